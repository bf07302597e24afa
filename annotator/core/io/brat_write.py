"""brat standoff export: a project's annotations as a brat collection with annotation.conf and
our sidecar. What maps to what: brat_format.py and docs/formats.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import NOT_REPORTED, AttributeDef, Codebook
from annotator.core.io.atomic import atomic_folder
from annotator.core.io.brat_conf import TRIGGER_SLOT
from annotator.core.io.brat_names import SIDECAR, SIDECAR_FORMAT, BratNames
from annotator.core.io.paths import inside, safe_name, unique_name

__all__ = ["write_brat", "write_conf"]


def _token(value: Any) -> str | None:
    """``value`` as a brat A-line value, or None if brat cannot hold it (brat splits the line at
    white space, so a value is one printable word)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, str) and value and value.isprintable() and len(value.split()) == 1 \
            and value == value.strip():
        return value
    return None


def _a_value(ad: AttributeDef | None, value: Any, native: bool) -> str | bool | None:
    """True for a binary A line, a string for a valued one, None if no A line can hold it."""
    if ad is None:
        return None
    if ad.type == "boolean":
        return True if value is True else None
    if ad.type == "enum":
        return _token(value)
    if native and ad.type in ("integer", "number", "date", "text", "actor"):
        return _token(value)
    return None


def write_conf(codebook: Codebook, values: Mapping[str, set[str]] | None = None) -> str:
    """annotation.conf for a codebook of our own; ``values`` adds the values written for
    attributes brat has no type for (numbers, dates, texts), so brat accepts the A lines."""
    lines = ["[entities]"]
    lines += [st.id for st in codebook.span_types]
    lines += ["", "[relations]", "", "[events]"]
    for ct in codebook.claim_types:
        roles = []
        for sd in ct.slots:
            mark = "" if (sd.min, sd.max) == (1, 1) else "?" if (sd.min, sd.max) == (0, 1) else \
                "+" if sd.min >= 1 else "*"
            roles.append(f"{sd.id}{mark}:{'|'.join(sd.accepts)}")
        lines.append(f"{ct.id}\t{', '.join(roles)}")
    lines += ["", "[attributes]"]
    merged: dict[str, tuple[list[str], list[str] | None]] = {}
    for owner in list(codebook.span_types) + list(codebook.claim_types):
        for ad in owner.attributes:
            seen = sorted((values or {}).get(ad.id, set()))
            if ad.type == "enum":
                vals: list[str] | None = [v for v in (ad.values or ()) if _token(v)]
            elif ad.type == "boolean":
                vals = None
            elif seen:
                vals = seen
            else:
                continue
            targets, old = merged.get(ad.id, ([], None))
            targets.append(owner.id)
            if vals is not None:
                old = list(dict.fromkeys((old or []) + vals))
            merged[ad.id] = (targets, old)
    for aid, (targets, vals) in merged.items():
        lines.append(f"{aid}\tArg:{'|'.join(targets)}" + (f", Value:{'|'.join(vals)}" if vals else ""))
    return "\n".join(lines) + "\n"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at line breaks (brat spans cannot cross them)."""
    out, s = [], start
    for i in range(start, end):
        if text[i] == "\n":
            if i > s:
                out.append((s, i))
            s = i + 1
    if end > s:
        out.append((s, end))
    return out or [(start, end)]


class _Writer:
    """The .ann lines of one coder's annotation of one report, and what goes to the sidecar."""

    def __init__(self, text: str, ann: Mapping[str, Any], names: BratNames,
                 values: dict[str, set[str]]) -> None:
        self.text, self.ann, self.names, self.values = text, ann, names, values
        assert names.codebook is not None
        self.cb: Codebook = names.codebook
        self.lines: list[str] = []
        self.side: dict[str, Any] = {}
        self.unheld = 0  # attribute values no A line can hold
        self.counters = {"A": 0, "N": 0, "#": 0}

    def _ids(self, items: list[Mapping[str, Any]], prefix: str, used: set[int]) -> dict[str, str]:
        out: dict[str, str] = {}
        for it in items:
            m = re.fullmatch(rf"{prefix}(\d{{1,9}})", str(it["id"]))
            if m and int(m.group(1)) not in used:
                used.add(int(m.group(1)))
                out[it["id"]] = str(it["id"])
        n = max(used, default=0)
        for it in items:
            if it["id"] not in out:
                n += 1
                used.add(n)
                out[it["id"]] = f"{prefix}{n}"
        return out

    def _attrs(self, bid: str | None, attrs: Mapping[str, Any], owner: Any) -> dict[str, Any]:
        keep: dict[str, Any] = {}
        native = self.names.native
        for key, value in attrs.items():
            if key == "brat_event_args" and not native:
                continue
            if bid is not None and not native and key == "brat_norm" and isinstance(value, str):
                try:
                    refs = json.loads(value)
                    for ref in refs:
                        self.counters["N"] += 1
                        self.lines.append(f"N{self.counters['N']}\t{ref.get('type', 'Reference')} "
                                          f"{bid} {ref['id']}\t{ref.get('text', '')}")
                    continue
                except (ValueError, TypeError, KeyError, AttributeError):
                    pass
            if bid is not None and not native and key in ("note", "brat_notes") and isinstance(value, str):
                for part in value.split("\n"):
                    ntype, body = ("AnnotatorNotes", part) if key == "note" else part.partition("\t")[::2]
                    self.counters["#"] += 1
                    self.lines.append(f"#{self.counters['#']}\t{ntype} {bid}\t{body}")
                continue
            ad = owner.attribute(key) if owner is not None else None
            held = _a_value(ad, value, native) if bid is not None else None
            if held is None:
                keep[key] = value
                self.unheld += 1
                continue
            self.counters["A"] += 1
            name = self.names.attr_name.get(key, key)
            if held is True:
                self.lines.append(f"A{self.counters['A']}\t{name} {bid}")
            else:
                self.lines.append(f"A{self.counters['A']}\t{name} {bid} {held}")
                if ad is not None and ad.type not in ("enum", "boolean"):
                    self.values.setdefault(key, set()).add(str(held))
        return keep

    def run(self) -> None:
        """The .ann lines (T, then E, R and * with their A, N and # lines) and the sidecar."""
        spans = list(self.ann.get("spans") or [])
        claims = list(self.ann.get("claims") or [])
        self._number(spans, claims)
        for s in spans:
            self._span_line(s)
        for c in claims:
            self._claim_line(c)
        side: dict[str, Any] = {"status": self.ann.get("status") or "todo"}
        for name, part in (("keys", self.keys), ("values", self.kept),
                           ("not_reported", self.not_reported), ("synthetic", self.synthetic),
                           ("claims", self.lone)):
            if part:
                side[name] = part
        self.unheld += len(self.lone)
        self.side = side

    def _number(self, spans: list[Mapping[str, Any]], claims: list[Mapping[str, Any]]) -> None:
        """brat ids for the spans (T), events (E) and relations (R); ours where they fit."""
        names = self.names
        self.by_id = {s["id"]: s for s in spans}
        self.tmap = self._ids(spans, "T", set())
        self.kinds = {c["id"]: names.kind(c["type"]) for c in claims}
        kinds = self.kinds
        events = [c for c in claims if kinds[c["id"]].get("kind") == "event"]
        rels = [c for c in claims if kinds[c["id"]].get("kind") == "relation" and not (
            kinds[c["id"]].get("symmetric") and not re.fullmatch(r"R\d+", str(c["id"])))]
        self.emap = self._ids(events, "E", set())
        self.rmap = self._ids(rels, "R", set())
        self.keys = {bid: sid for sid, bid in {**self.tmap, **self.emap, **self.rmap}.items()
                     if sid != bid}
        self.owner_of: dict[str, list[str]] = {}  # trigger span -> event claim ids
        for c in events:
            trig = (c.get("slots") or {}).get(TRIGGER_SLOT)
            if isinstance(trig, list) and trig:
                self.owner_of.setdefault(trig[0], []).append(c["id"])
        self.next_t = len(spans) and max(int(t[1:]) for t in self.tmap.values())
        self.kept: dict[str, Any] = {}  # brat id -> the values no line holds
        self.synthetic: list[str] = []
        self.not_reported: dict[str, list[str]] = {}
        self.lone: list[dict[str, Any]] = []
        self.star = 0

    def _span_line(self, s: Mapping[str, Any]) -> None:
        text, tid = self.text, self.tmap[s["id"]]
        frags = _fragments(text, s["start"], s["end"])
        name = self.names.span_name.get(s["type"], s["type"])
        self.lines.append(f"{tid}\t{name} {';'.join(f'{a} {b}' for a, b in frags)}\t"
                          + " ".join(text[a:b] for a, b in frags))
        kept = self._attrs(tid, s.get("attributes") or {}, self.cb.span_type(s["type"]))
        if kept:
            self.kept[tid] = kept

    @staticmethod
    def _args_of(c: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
        """slot:position -> (event id, role name as the file wrote it), from brat_event_args"""
        out = {}
        for a in str((c.get("attributes") or {}).get("brat_event_args", "")).split():
            parts = a.split(":")
            if len(parts) == 4:
                out[f"{parts[0]}:{parts[1]}"] = (parts[2], parts[3])
        return out

    def _ref(self, c: Mapping[str, Any], slot: str, i: int, sid: str) -> str | None:
        """The brat id a slot entry names: the span, or the event whose trigger it is."""
        if sid not in self.tmap:
            return None
        if self.by_id[sid]["type"] in self.names.triggers:
            target = self._args_of(c).get(f"{slot}:{i}", ("", ""))[0]
            if target in self.emap:
                return self.emap[target]
            owners = [o for o in self.owner_of.get(sid, []) if o != c["id"]]
            if owners:
                return self.emap[owners[0]]
        return self.tmap[sid]

    def _roles(self, c: Mapping[str, Any]) -> list[str]:
        """"Role:ID" of every slot entry brat can name (not the trigger, not "not reported")."""
        names, slots = self.names, c.get("slots") or {}
        roles: list[str] = []
        role_of = names.slot_role.get(c["type"], {})
        own = {k: v[1] for k, v in self._args_of(c).items() if v[1]} if not names.native else {}
        for slot, v in slots.items():
            if v == NOT_REPORTED or slot == TRIGGER_SLOT:
                continue
            for i, sid in enumerate(v):
                r = self._ref(c, slot, i, sid)
                if r is not None:
                    role = own.get(f"{slot}:{i}") or role_of.get(slot, slot) + (
                        "" if i == 0 else str(i + 1))
                    roles.append(f"{role}:{r}")
        return roles

    def _claim_line(self, c: Mapping[str, Any]) -> None:
        """An E, R or * line for a claim (the sidecar keeps one brat cannot hold)."""
        kind = self.kinds[c["id"]]
        slots = c.get("slots") or {}
        nr = [slot for slot, v in slots.items() if v == NOT_REPORTED]
        roles = self._roles(c)
        if kind.get("kind") == "event":
            bid = self._event_line(c, kind, roles)
        elif c["id"] in self.rmap:
            bid = self.rmap[c["id"]] if roles else None
            if bid is not None:
                self.lines.append(f"{bid}\t{kind['name']} " + " ".join(roles))
        else:  # an equivalence: no id, so its attributes stay in the sidecar
            bid = self._equivalence_line(c, kind, roles)
        if bid is None:
            self.lone.append(dict(c))
            return
        if nr:
            self.not_reported[bid] = nr
        self.unheld += len(nr)
        kept = self._attrs(None if bid.startswith("*") else bid, c.get("attributes") or {},
                           self.cb.claim_type(c["type"]))
        if kept:
            self.kept[bid] = kept

    def _event_line(self, c: Mapping[str, Any], kind: Mapping[str, Any],
                    roles: list[str]) -> str | None:
        """The E line (and a T line for its trigger when it has none); None: no trigger."""
        text, slots = self.text, c.get("slots") or {}
        evidence = [sid for slot, v in slots.items() if v != NOT_REPORTED and slot != TRIGGER_SLOT
                    for sid in v if sid in self.tmap]
        trig = slots.get(TRIGGER_SLOT)
        if isinstance(trig, list) and trig and trig[0] in self.tmap:
            tid = self.tmap[trig[0]]
        elif evidence:
            first = self.by_id[evidence[0]]
            a, b = _fragments(text, first["start"], first["end"])[0]
            legacy = (c.get("attributes") or {}).get("brat_trigger")
            if isinstance(legacy, str) and re.fullmatch(r"\d+ \d+", legacy):
                x, y = (int(v) for v in legacy.split())
                if 0 <= x < y <= len(text) and "\n" not in text[x:y]:
                    a, b = x, y
            self.next_t += 1
            tid = f"T{self.next_t}"
            self.synthetic.append(tid)
            self.lines.append(f"{tid}\t{kind['name']} {a} {b}\t{text[a:b]}")
        else:
            return None  # brat cannot hold an event without a trigger
        bid = self.emap[c["id"]]
        self.lines.append(f"{bid}\t{kind['name']}:{tid}" + "".join(f" {r}" for r in roles))
        return bid

    def _equivalence_line(self, c: Mapping[str, Any], kind: Mapping[str, Any],
                          roles: list[str]) -> str | None:
        members = [r.split(":", 1)[1] for r in roles]
        if len(members) < 2:
            return None
        self.star += 1
        bid = f"*{self.star}"
        if c["id"] != bid:
            self.keys[bid] = c["id"]
        self.lines.append(f"*\t{kind['name']} " + " ".join(members))
        return bid


def write_brat(records: Iterable[Mapping[str, Any]], codebook: Codebook, out_dir: Path,
               notes: list[str] | None = None) -> int:
    """Write the brat collection into a new or empty folder; returns the number of .ann files.
    ``notes`` hears what the user should know (values kept in the sidecar only).

    Every name that becomes a path (coder, report id) goes through
    :func:`annotator.core.io.paths.safe_name`; the originals are in the sidecar. Everything is
    written into a temporary folder beside the target that takes its name at the end, so a
    failure or a cancel (an exception from ``records``) leaves no half-written collection."""
    names = BratNames(codebook)
    values: dict[str, set[str]] = {}
    sidecar: dict[str, Any] = {"format": SIDECAR_FORMAT, "version": 1, "codebook": codebook.ref,
                               "reports": {}, "coders": {}}
    with atomic_folder(out_dir, "the brat collection", make_parent=True) as tmp:
        n = unheld = 0
        taken: set[str] = {"annotation.conf".casefold(), SIDECAR.casefold()}
        folders: dict[str, str] = {}
        for record in records:
            report = record["report"]
            name = unique_name(safe_name(str(report["id"]), "report"), taken)
            sidecar["reports"][name] = {k: report.get(k) for k in (
                "id", "title", "source", "url", "published", "language", "metadata")
                if report.get(k) is not None}
            for ann in record.get("annotations", []):
                coder = str(ann["coder"])
                if coder not in folders:
                    folders[coder] = unique_name(safe_name(coder, "coder"), taken)
                    entry: dict[str, Any] = {"files": {}}
                    if folders[coder] != coder:
                        entry["name"] = coder
                    sidecar["coders"][folders[coder]] = entry
                folder = inside(tmp, folders[coder])
                folder.mkdir(exist_ok=True)
                writer = _Writer(report["text"], ann, names, values)
                writer.run()
                unheld += writer.unheld
                inside(folder, f"{name}.txt").write_text(report["text"], "utf-8", newline="")
                inside(folder, f"{name}.ann").write_text(
                    "\n".join(writer.lines) + ("\n" if writer.lines else ""), "utf-8", newline="")
                sidecar["coders"][folders[coder]]["files"][name] = writer.side
                n += 1
        conf = names.conf_text if names.conf_text is not None else write_conf(codebook, values)
        (tmp / "annotation.conf").write_text(conf, "utf-8", newline="")
        (tmp / SIDECAR).write_text(json.dumps(sidecar, ensure_ascii=False, indent=1), "utf-8")
    if notes is not None and unheld:
        notes.append(f"{unheld} value(s) that brat's lines cannot hold (false booleans, counts, "
                     f"places, texts with spaces, 'not reported' slots, claims without evidence) "
                     f"are kept in {SIDECAR}; brat ignores that file, a re-import reads it")
    return n
