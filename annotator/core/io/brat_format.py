"""brat standoff: export a project's annotations, import brat collections, codebooks from brat.

Export layout: ``annotation.conf`` and one folder per coder holding ``<report>.txt`` (the report
text, UTF-8) and ``<report>.ann``:

- ``T`` lines for spans (a span that crosses a line break is written as fragments split at the
  line breaks, as brat requires; the importer joins fragments separated only by white space);
- ``A`` lines for enum attributes (``A1\\tactor_type T1 state_forces``) and true booleans;
- ``#`` AnnotatorNotes lines holding the other attribute values as JSON;
- ``E`` lines for claims. brat events need a trigger: the claim's first evidence span is
  repeated as a ``T`` line of the claim's type and used as the trigger; the roles are the slots
  (a second span in a slot is ``Role2``, a third ``Role3``); slots marked "not reported" and the
  claim's attributes go into an AnnotatorNotes line on the event as JSON;
- ``N`` lines for normalizations imported from brat (kept in the span attribute ``brat_norm``).

brat counts offsets in characters of the .txt file, which are Python's code points.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.io.atomic import as_new_file

__all__ = ["codebook_from_brat_conf", "read_brat", "write_brat"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_name(report_id: str) -> str:
    return _SAFE.sub("_", report_id).strip("_") or "report"


def _role(slot: str) -> str:
    return slot


def write_conf(codebook: Codebook) -> str:
    lines = ["[entities]"]
    lines += [st.id for st in codebook.span_types]
    lines += ["", "[relations]", "", "[events]"]
    for ct in codebook.claim_types:
        roles = []
        for sd in ct.slots:
            mark = "" if (sd.min, sd.max) == (1, 1) else "?" if (sd.min, sd.max) == (0, 1) else \
                "+" if sd.min >= 1 else "*"
            roles.append(f"{_role(sd.id)}{mark}:{'|'.join(sd.accepts)}")
        lines.append(f"{ct.id}\t{', '.join(roles)}")
    lines += ["", "[attributes]"]
    for st in codebook.span_types:
        for ad in st.attributes:
            if ad.type == "enum" and ad.values:
                lines.append(f"{ad.id}\tArg:{st.id}, Value:{'|'.join(ad.values)}")
            elif ad.type == "boolean":
                lines.append(f"{ad.id}\tArg:{st.id}")
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


def _ann(record: Mapping[str, Any], ann: Mapping[str, Any], codebook: Codebook) -> str:
    text = record["report"]["text"]
    lines: list[str] = []
    tnum = {}
    a_n = note_n = n_n = 0
    for k, s in enumerate(ann.get("spans", []), start=1):
        tid = f"T{k}"
        tnum[s["id"]] = tid
        frags = ";".join(f"{a} {b}" for a, b in _fragments(text, s["start"], s["end"]))
        shown = " ".join(text[a:b] for a, b in _fragments(text, s["start"], s["end"]))
        lines.append(f"{tid}\t{s['type']} {frags}\t{shown}")
        st = codebook.span_type(s["type"])
        rest: dict[str, Any] = {}
        for key, value in (s.get("attributes") or {}).items():
            ad = st.attribute(key) if st else None
            if key == "brat_norm" and isinstance(value, str):
                for ref in json.loads(value):
                    n_n += 1
                    lines.append(f"N{n_n}\tReference {tid} {ref.get('id', '')}\t{ref.get('text', '')}")
            elif ad is not None and ad.type == "enum":
                a_n += 1
                lines.append(f"A{a_n}\t{key} {tid} {value}")
            elif ad is not None and ad.type == "boolean" and value is True:
                a_n += 1
                lines.append(f"A{a_n}\t{key} {tid}")
            else:
                rest[key] = value
        if rest:
            note_n += 1
            lines.append(f"#{note_n}\tAnnotatorNotes {tid}\t{json.dumps(rest, ensure_ascii=False)}")
    next_t = len(ann.get("spans", [])) + 1
    for e, c in enumerate(ann.get("claims", []), start=1):
        slots = c.get("slots") or {}
        evidence = [sid for v in slots.values() if v != NOT_REPORTED for sid in v]
        by_id = {s["id"]: s for s in ann.get("spans", [])}
        if not evidence or evidence[0] not in by_id:
            continue  # brat cannot hold an event without a trigger
        first = by_id[evidence[0]]
        trigger = f"T{next_t}"
        next_t += 1
        frag = _fragments(text, first["start"], first["end"])[0]
        kept = (c.get("attributes") or {}).get("brat_trigger")
        if isinstance(kept, str) and re.fullmatch(r"\d+ \d+", kept):
            a, b = (int(x) for x in kept.split())
            if 0 <= a < b <= len(text):
                frag = (a, b)
        lines.append(f"{trigger}\t{c['type']} {frag[0]} {frag[1]}\t{text[frag[0]:frag[1]]}")
        roles = []
        for slot, value in slots.items():
            if value == NOT_REPORTED:
                continue
            for i, sid in enumerate(value, start=1):
                if sid in tnum:
                    roles.append(f"{_role(slot)}{'' if i == 1 else i}:{tnum[sid]}")
        lines.append(f"E{e}\t{c['type']}:{trigger}" + "".join(f" {r}" for r in roles))
        extra: dict[str, Any] = {"claim_id": c["id"]}
        nr = [slot for slot, v in slots.items() if v == NOT_REPORTED]
        if nr:
            extra["not_reported"] = nr
        attrs = {k: v for k, v in (c.get("attributes") or {}).items() if k != "brat_trigger"}
        if attrs:
            extra["attributes"] = attrs
        note_n += 1
        lines.append(f"#{note_n}\tAnnotatorNotes E{e}\t{json.dumps(extra, ensure_ascii=False)}")
    return "\n".join(lines) + ("\n" if lines else "")


def write_brat(records: Iterable[Mapping[str, Any]], codebook: Codebook, out_dir: Path) -> int:
    """Write the brat collection into a new or empty folder; returns the number of .ann files.

    Everything is written into a temporary folder beside it that takes its name at the end, so
    a failure or a cancel (an exception from ``records``) leaves no half-written collection."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FileExistsError(f"{out_dir}: choose a new or empty folder for the brat collection")
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".part", dir=parent))
    as_new_file(tmp, directory=True)
    try:
        (tmp / "annotation.conf").write_text(write_conf(codebook), "utf-8")
        n = 0
        taken: set[str] = set()  # file names in use, compared without case (Windows, macOS)
        for record in records:
            name = base = _file_name(record["report"]["id"])
            k = 1
            while name.casefold() in taken:  # "r/1" and "r_1" must not share a file
                k += 1
                name = f"{base}-{k}"
            taken.add(name.casefold())
            for ann in record.get("annotations", []):
                folder = tmp / _file_name(ann["coder"])
                folder.mkdir(exist_ok=True)
                (folder / f"{name}.txt").write_text(record["report"]["text"], "utf-8", newline="")
                (folder / f"{name}.ann").write_text(_ann(record, ann, codebook), "utf-8")
                n += 1
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return n


# ------------------------------------------------------------------ import


class BratError(ValueError):
    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}{f':{line}' if line else ''}: {reason}")


def _parse_ann(path: Path, text: str, codebook: Codebook | None) -> dict[str, Any]:
    spans: dict[str, dict[str, Any]] = {}
    triggers: dict[str, str] = {}
    events: list[tuple[int, str, str, str, list[tuple[str, str]]]] = []
    notes: dict[str, dict[str, Any]] = {}  # JSON objects: attribute values we wrote
    free_notes: dict[str, list[str]] = {}  # anything else a brat user typed, kept as text
    claim_types = {c.id for c in codebook.claim_types} if codebook else set()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T"):
            if len(fields) < 2:
                raise BratError(path, number, "a T line needs a type and offsets")
            type_, _, offs = fields[1].partition(" ")
            try:
                frags = [tuple(int(x) for x in part.split()) for part in offs.split(";")]
            except ValueError:
                raise BratError(path, number, f"offsets {offs!r} are not numbers") from None
            start, end = frags[0][0], frags[-1][1]
            for (_, e1), (s2, _) in zip(frags, frags[1:], strict=False):
                if text[e1:s2].strip():
                    raise BratError(path, number, f"discontinuous span {offs!r}: the codebook has no "
                                                  "discontinuous spans (split it into two)")
            if not (0 <= start < end <= len(text)):
                raise BratError(path, number, f"offsets {start}-{end} are outside the text")
            if type_ in claim_types and codebook is not None and codebook.span_type(type_) is None:
                triggers[ident] = f"{start} {end}"
                continue
            if codebook is not None and codebook.span_type(type_) is None:
                raise BratError(path, number, f"unknown span type '{type_}' for codebook {codebook.ref}")
            spans[ident] = {"id": ident, "type": type_, "start": start, "end": end,
                            "text": text[start:end], "attributes": {}}
        elif ident.startswith(("A", "M")):
            parts = fields[1].split()
            if len(parts) < 2 or parts[1] not in spans:
                raise BratError(path, number, f"attribute of an unknown annotation: {line!r}")
            spans[parts[1]]["attributes"][parts[0]] = parts[2] if len(parts) > 2 else True
        elif ident.startswith("N"):
            parts = fields[1].split()
            if len(parts) < 3 or parts[1] not in spans:
                raise BratError(path, number, f"normalization of an unknown annotation: {line!r}")
            attrs_of = spans[parts[1]]["attributes"]
            refs = json.loads(attrs_of.get("brat_norm", "[]"))
            refs.append({"id": parts[2], "text": fields[2] if len(fields) > 2 else ""})
            attrs_of["brat_norm"] = json.dumps(refs, ensure_ascii=False)
        elif ident.startswith("E"):
            parts = fields[1].split()
            head, _, trig = parts[0].partition(":")
            pairs = [p.split(":", 1) for p in parts[1:]]
            event_roles = [(p[0], p[1] if len(p) > 1 else "") for p in pairs]
            events.append((number, ident, head, trig, event_roles))
        elif ident.startswith("#"):
            parts = fields[1].split()
            target = parts[1] if len(parts) > 1 else ""
            body = fields[2] if len(fields) > 2 else ""
            try:
                value = json.loads(body)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                notes.setdefault(target, {}).update(value)
            else:
                free_notes.setdefault(target, []).append(body)
        elif ident.startswith(("R", "*")):
            kind = "relations (R lines)" if ident.startswith("R") else "equivalences (* lines)"
            raise BratError(path, number, f"{kind} have no place in this codebook; "
                                          "model them as claims")
        else:
            raise BratError(path, number, f"unknown brat line {ident!r}")
    for tid, extra in notes.items():
        if tid in spans:
            spans[tid]["attributes"].update(extra)
    for tid, bodies in free_notes.items():
        if tid in spans:
            spans[tid]["attributes"]["note"] = "\n".join(bodies)
    claims = []
    for number, eid, head, _trig, roles in events:
        extra = notes.get(eid, {})
        slots: dict[str, Any] = {}
        ct_def = codebook.claim_type(head) if codebook else None
        for role, target in roles:
            if target not in spans:
                raise BratError(path, number, f"event {eid}: role {role} names {target}, not a span")
            # "Place2" is the second span of slot "Place", unless the codebook has a slot "Place2"
            slot = role if ct_def is not None and ct_def.slot(role) is not None else re.sub(r"\d+$", "", role)
            slots.setdefault(slot, []).append(target)
        for slot in (extra or {}).get("not_reported", []):
            slots[slot] = NOT_REPORTED
        attributes = dict((extra or {}).get("attributes", {}))
        ct = codebook.claim_type(head) if codebook else None
        if _trig in triggers and ct is not None and ct.attribute("brat_trigger") is not None:
            attributes.setdefault("brat_trigger", triggers[_trig])
        claims.append({"id": (extra or {}).get("claim_id", eid), "type": head, "slots": slots,
                       "attributes": attributes})
    return {"spans": list(spans.values()), "claims": claims}


def read_brat(path: Path, codebook: Codebook | None = None) -> Iterator[tuple[str, int | None, dict[str, Any] | str]]:
    """(file, line, interchange record or error message) for a brat folder: .txt/.ann pairs
    (one coder, named after the folder), or one sub-folder per annotator with the same texts."""
    subdirs = sorted(p for p in path.iterdir() if p.is_dir() and list(p.glob("*.ann")))
    layout = [(d.name, d) for d in subdirs] if subdirs else [(path.name or "brat", path)]
    by_text: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for coder, folder in layout:
        for ann_path in sorted(folder.glob("*.ann")):
            txt_path = ann_path.with_suffix(".txt")
            if not txt_path.exists():
                yield str(ann_path), None, f"no {txt_path.name} beside it"
                continue
            text = txt_path.read_text("utf-8")
            try:
                parsed = _parse_ann(ann_path, text, codebook)
            except BratError as exc:
                yield str(exc.path), exc.line, exc.reason
                continue
            key = ann_path.stem + "\0" + text
            if key not in by_text:
                by_text[key] = {"report": {"id": ann_path.stem, "title": text.split("\n", 1)[0][:200] or ann_path.stem,
                                           "text": text, "metadata": {"brat_file": ann_path.name}},
                                "annotations": []}
                order.append(key)
            by_text[key]["annotations"].append({"coder": coder, "status": "done", **parsed})
    for key in order:
        yield by_text[key]["report"]["metadata"]["brat_file"], None, by_text[key]


def _after_name(line: str) -> str:
    """What follows the type name on a conf line (brat separates it by a tab or spaces)."""
    parts = line.strip().split(None, 1)
    return parts[1] if len(parts) > 1 else ""


def codebook_from_brat_conf(path: Path) -> dict[str, Any]:
    """A codebook (dict) from brat's annotation.conf: entities -> span types, events -> claim
    types with their roles as slots, attributes -> enum (or boolean) attributes."""
    section = ""
    entities: list[str] = []
    events: list[tuple[str, list[tuple[str, str, list[str]]]]] = []
    attrs: list[tuple[str, list[str], list[str] | None]] = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if line.strip().startswith("[") and line.strip().endswith("]"):
            section = line.strip()[1:-1]
            continue
        name = line.strip().split("\t")[0].split()[0].lstrip("!")
        if section in ("entities", "spans"):  # older brat confs call entities [spans]
            entities.append(name)
        elif section == "events":
            roles = []
            rest = _after_name(line)
            for part in filter(None, (p.strip() for p in rest.split(","))):
                role, _, targets = part.partition(":")
                mark = role[-1] if role and role[-1] in "?*+{" else ""
                roles.append((role.rstrip("?*+"), mark, [t for t in targets.split("|") if t]))
            events.append((name, roles))
        elif section == "attributes":
            rest = _after_name(line)
            args = [a.split(":", 1)[1] for a in rest.split(",") if a.strip().startswith("Arg:")]
            value_lists = [a.split(":", 1)[1].split("|") for a in rest.split(",")
                           if a.strip().startswith("Value:")]
            attrs.append((name, [x for a in args for x in a.split("|")],
                          value_lists[0] if value_lists else None))
    palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    keys = [str(i) for i in range(1, 10)] + list("bcdefhijklmnoqsuvwxyz")
    span_types = []
    for i, ent in enumerate(entities):
        st: dict[str, Any] = {"id": re.sub(r"[^A-Za-z0-9_-]", "_", ent), "label": ent,
                              "color": palette[i % len(palette)], "attributes": [
                                  {"id": "brat_norm", "type": "text", "label": "brat normalizations"}]}
        if i < len(keys):
            st["hotkey"] = keys[i]
        for aname, arg_types, allowed in attrs:
            if ent in arg_types or "<ENTITY>" in arg_types:
                st["attributes"].append({"id": aname, "type": "enum", "values": allowed} if allowed
                                        else {"id": aname, "type": "boolean"})
        span_types.append(st)
    claim_types = []
    for name, role_defs in events:
        slots = []
        for role, mark, arg_types in role_defs:
            accepts = [t for t in arg_types if t in entities] or entities[:1]
            lo = 0 if mark in ("?", "*") else 1
            hi = 1 if mark in ("", "?") else None
            slots.append({"id": re.sub(r"[^A-Za-z0-9_-]", "_", role), "accepts": accepts, "min": lo, "max": hi})
        if slots:
            claim_types.append({"id": re.sub(r"[^A-Za-z0-9_-]", "_", name), "label": name, "slots": slots,
                                "attributes": [{"id": "brat_trigger", "type": "text",
                                                "label": "brat trigger (start end)"}]})
    return {"id": re.sub(r"[^A-Za-z0-9_-]", "-", path.parent.name or "brat") or "brat",
            "version": 1, "title": f"From brat's {path}", "span_types": span_types, "claim_types": claim_types}
