"""brat standoff: import brat collections and export a project's annotations as one.

Layout: ``annotation.conf``, ``annotator.json`` (the sidecar) and one folder per coder holding
``<report>.txt`` (the report text, UTF-8, LF) and ``<report>.ann``. What maps to what
(docs/formats.md has the full table):

- spans are ``T`` lines (split into fragments at line breaks, as brat requires);
- claims of an event type are ``E`` lines: the slot ``trigger`` (codebooks made from a brat conf)
  is the trigger, every other slot a role (a second span in a slot is ``Role2``); a slot holding
  another event's trigger names that event (nested events). Codebooks of our own have no trigger,
  so the claim's first evidence span is repeated as a ``T`` line of the claim's type and marked
  as such in the sidecar; relation claims are ``R`` lines, equivalence claims ``*`` lines;
- attribute values brat can hold are ``A`` lines: enum values, true booleans, and for codebooks
  of our own whole numbers, numbers, dates and texts without white space (the conf written with
  the export declares the values used). The others (false booleans, counts, places, texts with
  spaces, values of ``*`` lines) and what brat has no place for (a slot marked "not reported", a
  claim with no evidence, the report's title, published date, source, url, language and
  metadata, the coder's name and status, our ids) are kept in the sidecar, which brat ignores
  and our import reads back;
- ``N`` lines are the span attribute ``brat_norm``, ``#`` AnnotatorNotes the attribute ``note``,
  other ``#`` notes ``brat_notes``.

brat counts offsets in characters of the .txt file, which are Python's code points. A .txt with
CRLF newlines is read both ways (offsets counting the CR, or not); the reading under which every
T line's text is the text at its offsets is taken and mapped onto the stored LF text; if neither
fits, the file is refused with the first T line that does not match.
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

from annotator.core.codebook import NOT_REPORTED, AttributeDef, Codebook
from annotator.core.io.atomic import as_new_file
from annotator.core.io.brat_ann import Ann, BratError, decode, parse_ann
from annotator.core.io.brat_conf import TRIGGER_SLOT, codebook_from_brat_conf
from annotator.core.io.paths import inside, safe_name, unique_name
from annotator.core.io.textfile import normalize_newlines

__all__ = ["SIDECAR", "BratError", "codebook_from_brat_conf", "read_brat", "write_brat",
           "write_conf"]

SIDECAR = "annotator.json"
_SIDECAR_FORMAT = "annotator-brat-sidecar"


class _Names:
    """The names brat writes for a codebook's ids, and its kinds of claim."""

    def __init__(self, codebook: Codebook | None) -> None:
        raw = codebook.raw if codebook is not None else {}
        b = raw.get("brat") if isinstance(raw, Mapping) else None
        self.codebook = codebook
        self.native = codebook is not None and not isinstance(b, Mapping)
        b = b if isinstance(b, Mapping) else {}
        self.conf_text: str | None = b.get("conf") if isinstance(b.get("conf"), str) else None
        self.span_name: dict[str, str] = dict(b.get("span_types") or {})
        self.triggers: set[str] = set(b.get("triggers") or [])
        self.claims: dict[str, dict[str, Any]] = dict(b.get("claim_types") or {})
        self.slot_role: dict[str, dict[str, str]] = {k: dict(v) for k, v in (b.get("slots") or {}).items()}
        self.attr_name: dict[str, str] = dict(b.get("attributes") or {})
        self.span_by_name = {v: k for k, v in self.span_name.items()}
        self.event_by_name = {v["name"]: k for k, v in self.claims.items() if v.get("kind") == "event"}
        self.relation_by_name = {v["name"]: k for k, v in self.claims.items() if v.get("kind") == "relation"}
        self.attr_by_name = {v: k for k, v in self.attr_name.items()}

    def span_type(self, name: str) -> str | None:
        if self.codebook is None:
            return name
        sid = self.span_by_name.get(name, name)
        return sid if self.codebook.span_type(sid) is not None else None

    def claim_type(self, name: str, kind: str) -> str | None:
        if self.codebook is None:
            return name
        by = self.event_by_name if kind == "event" else self.relation_by_name
        cid = by.get(name, name)
        return cid if self.codebook.claim_type(cid) is not None else None

    def kind(self, claim_type: str) -> dict[str, Any]:
        return self.claims.get(claim_type) or {"name": claim_type, "kind": "event"}

    def slot(self, claim_type: str, role: str) -> str | None:
        """The slot of ``role`` ("Theme2" is the second span of "Theme" unless a slot is called
        so); None if the claim type has no such slot."""
        roles = {v: k for k, v in self.slot_role.get(claim_type, {}).items()}
        if self.codebook is None:
            return roles.get(role) or (role if role in ("Arg1", "Arg2") else
                                       re.sub(r"(?<=\D)\d+$", "", role))
        ct = self.codebook.claim_type(claim_type)
        for name in (role, re.sub(r"(?<=\D)\d+$", "", role)):
            sid = roles.get(name, name)
            if ct is not None and ct.slot(sid) is not None:
                return sid
        return None

    def attr(self, name: str) -> str:
        return self.attr_by_name.get(name, name)


# ------------------------------------------------------------------ import


def _align(ann_path: Path, ann: Ann, raw: str) -> tuple[str, list[int] | None]:
    """The stored text (LF newlines) and, for offsets that counted CRs, the map onto it."""
    text = normalize_newlines(raw)
    readings: list[tuple[str, list[int] | None]] = [(text, None)]
    if "\r" in raw:
        from annotator.core.io.interchange.parse import newline_map as _newline_map

        readings.insert(0, (raw, _newline_map(raw)))
    first_problem: BratError | None = None
    for base, mapping in readings:
        problem = None
        for t in ann.texts.values():
            if max(b for _, b in t.frags) > len(base):
                problem = BratError(ann_path, t.line, f"{t.id}: offsets {t.frags[0][0]}-"
                                    f"{t.frags[-1][1]} are outside the text (0-{len(base)})")
                break
            shown = " ".join(base[a:b] for a, b in t.frags)
            if t.text is not None and t.text != shown:
                problem = BratError(ann_path, t.line, f"{t.id}: the line says {t.text[:60]!r} but "
                                    f"the text at {t.frags[0][0]}-{t.frags[-1][1]} is {shown[:60]!r}")
                break
        if problem is None:
            return text, mapping
        first_problem = first_problem or problem
    if "\r" in raw and first_problem is not None:
        first_problem = BratError(first_problem.path, first_problem.line,
                                  first_problem.reason + " (read with and without counting the "
                                  "CRs of its CRLF newlines)")
    assert first_problem is not None
    raise first_problem


def _coerce(ad: AttributeDef | None, value: str | None, where: tuple[Path, int], name: str) -> Any:
    """An A line's value as the codebook's attribute type wants it."""
    if ad is None:
        raise BratError(*where, f"attribute '{name}' is not in the codebook")
    if value is None:
        if ad.type != "boolean":
            raise BratError(*where, f"attribute '{name}' needs a value")
        return True
    out: Any = value
    if ad.type == "integer":
        if not re.fullmatch(r"-?\d{1,18}", value):
            raise BratError(*where, f"attribute '{name}': {value!r} is not a whole number")
        out = int(value)
    elif ad.type == "number":
        try:
            out = int(value) if re.fullmatch(r"-?\d{1,18}", value) else float(value)
        except ValueError:
            raise BratError(*where, f"attribute '{name}': {value!r} is not a number") from None
    elif ad.type == "boolean":
        if value.lower() not in ("true", "yes", "1"):
            raise BratError(*where, f"attribute '{name}' is true or absent, not {value!r}")
        out = True
    elif ad.type in ("count", "place"):
        raise BratError(*where, f"attribute '{name}' ({ad.type}) cannot come from an A line")
    why = ad.check(out)
    if why:
        raise BratError(*where, f"attribute '{name}': {why}")
    return out


def _to_annotation(ann_path: Path, ann: Ann, text: str, mapping: list[int] | None,
                   names: _Names, side: Mapping[str, Any]) -> dict[str, Any]:
    cb = names.codebook
    synthetic = set(side.get("synthetic") or [])
    spans: dict[str, dict[str, Any]] = {}
    triggers: dict[str, str] = {}  # T id of a trigger that is no span -> its type
    for t in ann.texts.values():
        frags = [(mapping[a], mapping[b]) for a, b in t.frags] if mapping else t.frags
        for (_, e1), (s2, _) in zip(frags, frags[1:], strict=False):
            if text[e1:s2].strip():
                raise BratError(ann_path, t.line, f"{t.id}: discontinuous span "
                                f"{';'.join(f'{a} {b}' for a, b in t.frags)}: the codebook has no "
                                "discontinuous spans (split it into two)")
        st = names.span_type(t.type)
        if t.id in synthetic or (st is None and names.native and
                                 names.claim_type(t.type, "event") is not None):
            triggers[t.id] = t.type
            continue
        if st is None:
            raise BratError(ann_path, t.line, f"{t.id}: unknown span type '{t.type}'"
                            + (f" for codebook {cb.ref}" if cb else ""))
        start, end = frags[0][0], frags[-1][1]
        spans[t.id] = {"id": t.id, "type": st, "start": start, "end": end,
                       "text": text[start:end], "attributes": {}}
    claims: dict[str, dict[str, Any]] = {}
    event_args: dict[str, list[str]] = {}

    def fill(cid: str, ctype: str, role: str, target: str, number: int, slots: dict[str, Any]) -> None:
        slot = names.slot(ctype, role)
        if slot is None:
            raise BratError(ann_path, number, f"{cid}: claim type '{ctype}' has no slot for the role '{role}'")
        entries = slots.setdefault(slot, [])
        # what export would call this entry; a file that numbers its roles otherwise ("Theme1",
        # or "Site2" without a "Site") keeps its own names
        pos = len(entries)
        usual = names.slot_role.get(ctype, {}).get(slot, slot) + ("" if pos == 0 else str(pos + 1))
        own = "" if role == usual else role
        if target in spans:
            entries.append(target)
            if own:
                event_args.setdefault(cid, []).append(f"{slot}:{pos}::{own}")
        elif target in ann.events:
            trig = ann.events[target][1]
            if trig not in spans:
                raise BratError(ann_path, number, f"{cid}: role {role} names the event {target}, "
                                "which this codebook cannot hold inside another claim")
            event_args.setdefault(cid, []).append(f"{slot}:{pos}:{target}:{own}")
            entries.append(trig)
        else:
            raise BratError(ann_path, number, f"{cid}: role {role} names {target}, which is no "
                            "span or event of this file")

    for eid, (etype, trig, roles, number) in ann.events.items():
        ctype = names.claim_type(etype, "event")
        if ctype is None:
            raise BratError(ann_path, number, f"{eid}: unknown event type '{etype}'"
                            + (f" for codebook {cb.ref}" if cb else ""))
        if trig not in spans and trig not in triggers:
            raise BratError(ann_path, number, f"{eid}: the trigger {trig} is no T line of this file")
        slots: dict[str, Any] = {}
        if trig in spans:
            has_trigger = cb is None or (cb.claim_type(ctype) is not None and
                                         cb.claim_type(ctype).slot(TRIGGER_SLOT) is not None)  # type: ignore[union-attr]
            if not has_trigger:
                raise BratError(ann_path, number, f"{eid}: the trigger {trig} is a span, but "
                                f"claim type '{ctype}' has no trigger slot")
            slots[TRIGGER_SLOT] = [trig]
        for role, target in roles:
            fill(eid, ctype, role, target, number, slots)
        claims[eid] = {"id": eid, "type": ctype, "slots": slots, "attributes": {}}
    for rid, (rtype, args, number) in ann.relations.items():
        ctype = names.claim_type(rtype, "relation")
        if ctype is None and names.native:
            ctype = names.claim_type(rtype, "event")
        if ctype is None:
            raise BratError(ann_path, number, f"{rid}: unknown relation type '{rtype}'")
        slots = {}
        for role, target in args:
            fill(rid, ctype, role, target, number, slots)
        claims[rid] = {"id": rid, "type": ctype, "slots": slots, "attributes": {}}
    for k, (qtype, members, number) in enumerate(ann.equivs, start=1):
        ctype = names.claim_type(qtype, "relation")
        ct = cb.claim_type(ctype) if cb is not None and ctype is not None else None
        if ctype is None or (cb is not None and (ct is None or len(ct.slots) < 2)):
            raise BratError(ann_path, number, f"unknown equivalence type '{qtype}'")
        first, rest = (ct.slots[0].id, ct.slots[-1].id) if ct is not None else ("Arg1", "Arg2")
        qid = f"*{k}"
        slots = {}
        for i, m in enumerate(members):
            if m not in spans:
                raise BratError(ann_path, number, f"the equivalence names {m}, which is no span")
            slots.setdefault(first if i == 0 else rest, []).append(m)
        claims[qid] = {"id": qid, "type": ctype, "slots": slots, "attributes": {}}
    for cid, tokens in event_args.items():
        claims[cid]["attributes"]["brat_event_args"] = " ".join(sorted(tokens))

    def target_of(target: str, number: int) -> tuple[dict[str, Any], Any]:
        if target in spans:
            s = spans[target]
            return s["attributes"], (cb.span_type(s["type"]) if cb else None)
        if target in claims:
            c = claims[target]
            return c["attributes"], (cb.claim_type(c["type"]) if cb else None)
        raise BratError(ann_path, number, f"{target} is no span, event or relation of this file")

    for name, target, value, number in ann.attributes:
        attrs, owner = target_of(target, number)
        aid = names.attr(name)
        if cb is None:
            attrs[aid] = value if value is not None else True
        else:
            attrs[aid] = _coerce(owner.attribute(aid), value, (ann_path, number), name)
    for ntype, target, ref, ntext, number in ann.norms:
        attrs, owner = target_of(target, number)
        if cb is not None and owner.attribute("brat_norm") is None:
            raise BratError(ann_path, number, f"{target}: the codebook has no attribute brat_norm "
                            "for normalizations")
        try:
            refs = json.loads(attrs.get("brat_norm", "[]"))
            assert isinstance(refs, list)
        except (ValueError, TypeError, AssertionError):
            raise BratError(ann_path, number, f"{target}: brat_norm holds no list of "
                            "normalizations") from None
        refs.append({"id": ref, "text": ntext, **({} if ntype == "Reference" else {"type": ntype})})
        attrs["brat_norm"] = json.dumps(refs, ensure_ascii=False)
    for ntype, target, body, number in ann.notes:
        attrs, owner = target_of(target, number)
        akey = "note" if ntype == "AnnotatorNotes" else "brat_notes"
        if cb is not None and owner.attribute(akey) is None:
            raise BratError(ann_path, number, f"{target}: the codebook has no text attribute "
                            f"'{akey}' for this note")
        part = body if akey == "note" else f"{ntype}\t{body}"
        attrs[akey] = f"{attrs[akey]}\n{part}" if akey in attrs else part
    # what the sidecar kept of our own export
    for bid, extra in (side.get("values") or {}).items():
        if bid in spans:
            spans[bid]["attributes"].update(extra)
        elif bid in claims:
            claims[bid]["attributes"].update(extra)
    for bid, slot_ids in (side.get("not_reported") or {}).items():
        if bid in claims:
            for slot in slot_ids:
                claims[bid]["slots"][slot] = NOT_REPORTED
    keys = dict(side.get("keys") or {})

    def key(bid: str) -> str:
        return str(keys.get(bid, bid))

    out_spans = [{**s, "id": key(s["id"])} for s in spans.values()]
    out_claims = []
    for c in claims.values():
        slots = {slot: v if v == NOT_REPORTED else [key(x) for x in v] for slot, v in c["slots"].items()}
        out_claims.append({**c, "id": key(c["id"]), "slots": slots})
    out_claims += list(side.get("claims") or [])
    return {"spans": out_spans, "claims": out_claims}


def _load_sidecar(path: Path) -> dict[str, Any]:
    file = path / SIDECAR
    if not file.is_file():
        return {}
    try:
        data = json.loads(decode(file, file.read_bytes()))
    except json.JSONDecodeError as exc:
        raise BratError(file, exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BratError(file, None, "JSON nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != _SIDECAR_FORMAT:
        raise BratError(file, None, f"not an annotator sidecar (format {_SIDECAR_FORMAT!r})")
    for key in ("reports", "coders"):
        if not isinstance(data.get(key, {}), dict):
            raise BratError(file, None, f"'{key}' must be an object")
    return data


def _side(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    for k in keys:
        nxt = data.get(k) if isinstance(data, Mapping) else None
        if not isinstance(nxt, Mapping):
            return {}
        data = nxt
    return dict(data)


def read_brat(path: Path, codebook: Codebook | None = None) -> Iterator[tuple[str, int | None, dict[str, Any] | str]]:
    """(file, line, interchange record or error message) for a brat folder: .txt/.ann pairs
    (one coder, named after the folder), or one sub-folder per annotator with the same texts.
    Every problem is a message naming the file, the line and the reason, never an exception."""
    names = _Names(codebook)
    try:
        sidecar = _load_sidecar(path)
        subdirs = sorted(p for p in path.iterdir() if p.is_dir() and any(p.glob("*.ann")))
    except BratError as exc:
        yield str(exc.path), exc.line, exc.reason
        return
    except OSError as exc:
        yield str(path), None, f"cannot read the folder: {exc.strerror or exc}"
        return
    layout = [(d.name, d) for d in subdirs] if subdirs else [(path.name or "brat", path)]
    by_text: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for folder_name, folder in layout:
        coder_side = _side(sidecar, "coders", folder_name)
        coder = coder_side.get("name") if isinstance(coder_side.get("name"), str) else folder_name
        for ann_path in sorted(folder.glob("*.ann")):
            txt_path = ann_path.with_suffix(".txt")
            if not txt_path.is_file():
                yield str(ann_path), None, f"no {txt_path.name} beside it"
                continue
            side = _side(coder_side, "files", ann_path.stem)
            try:
                raw = decode(txt_path, txt_path.read_bytes())
                if "\x00" in raw:
                    raise BratError(txt_path, raw[: raw.index("\x00")].count("\n") + 1,
                                    "a NUL character: not a text file")
                ann = parse_ann(ann_path, decode(ann_path, ann_path.read_bytes()))
                text, mapping = _align(ann_path, ann, raw)
                parsed = _to_annotation(ann_path, ann, text, mapping, names, side)
            except BratError as exc:
                yield str(exc.path), exc.line, exc.reason
                continue
            except OSError as exc:
                yield str(ann_path), None, f"cannot read: {exc.strerror or exc}"
                continue
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                # a sidecar whose values are not of the expected shapes
                yield str(ann_path), None, f"cannot use {SIDECAR} for this file: {exc}"
                continue
            report = _side(sidecar, "reports", ann_path.stem)
            key = ann_path.stem + "\0" + text
            if key not in by_text:
                meta = dict(report.get("metadata") or {}) if isinstance(report.get("metadata"), Mapping) else {}
                meta.setdefault("brat_file", ann_path.name)
                from annotator.core.io.textrules import one_line

                rec = {"id": ann_path.stem,
                       "title": one_line(text.split("\n", 1)[0])[:200].strip() or ann_path.stem}
                rec.update({k: v for k, v in report.items() if k in
                            ("id", "title", "source", "url", "published", "language") and v is not None})
                by_text[key] = {"report": {**rec, "text": text, "metadata": meta},
                                "annotations": []}
                order.append(key)
            status = side.get("status") if side.get("status") in ("todo", "in_progress", "done") else "done"
            by_text[key]["annotations"].append({"coder": coder, "status": status, **parsed})
    for key in order:
        yield str(by_text[key]["report"]["metadata"]["brat_file"]), None, by_text[key]


# ------------------------------------------------------------------ export


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

    def __init__(self, text: str, ann: Mapping[str, Any], names: _Names,
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
        text, names, cb = self.text, self.names, self.cb
        spans = list(self.ann.get("spans") or [])
        claims = list(self.ann.get("claims") or [])
        by_id = {s["id"]: s for s in spans}
        tmap = self._ids(spans, "T", set())
        kinds = {c["id"]: names.kind(c["type"]) for c in claims}
        events = [c for c in claims if kinds[c["id"]].get("kind") == "event"]
        rels = [c for c in claims if kinds[c["id"]].get("kind") == "relation" and not (
            kinds[c["id"]].get("symmetric") and not re.fullmatch(r"R\d+", str(c["id"])))]
        emap = self._ids(events, "E", set())
        rmap = self._ids(rels, "R", set())
        keys = {bid: sid for sid, bid in {**tmap, **emap, **rmap}.items() if sid != bid}
        values: dict[str, Any] = {}
        for s in spans:
            frags = _fragments(text, s["start"], s["end"])
            name = names.span_name.get(s["type"], s["type"])
            self.lines.append(f"{tmap[s['id']]}\t{name} {';'.join(f'{a} {b}' for a, b in frags)}\t"
                              + " ".join(text[a:b] for a, b in frags))
            kept = self._attrs(tmap[s["id"]], s.get("attributes") or {}, cb.span_type(s["type"]))
            if kept:
                values[tmap[s["id"]]] = kept
        owner_of: dict[str, list[str]] = {}  # trigger span -> event claim ids
        for c in events:
            trig = (c.get("slots") or {}).get(TRIGGER_SLOT)
            if isinstance(trig, list) and trig:
                owner_of.setdefault(trig[0], []).append(c["id"])

        def args_of(c: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
            """slot:position -> (event id, role name as the file wrote it), from brat_event_args"""
            out = {}
            for a in str((c.get("attributes") or {}).get("brat_event_args", "")).split():
                parts = a.split(":")
                if len(parts) == 4:
                    out[f"{parts[0]}:{parts[1]}"] = (parts[2], parts[3])
            return out

        def ref(c: Mapping[str, Any], slot: str, i: int, sid: str) -> str | None:
            if sid not in tmap:
                return None
            if by_id[sid]["type"] in names.triggers:
                target = args_of(c).get(f"{slot}:{i}", ("", ""))[0]
                if target in emap:
                    return emap[target]
                owners = [o for o in owner_of.get(sid, []) if o != c["id"]]
                if owners:
                    return emap[owners[0]]
            return tmap[sid]

        next_t = len(spans) and max(int(t[1:]) for t in tmap.values())
        synthetic: list[str] = []
        not_reported: dict[str, list[str]] = {}
        lone: list[dict[str, Any]] = []
        star = 0
        for c in claims:
            kind = kinds[c["id"]]
            slots = c.get("slots") or {}
            nr = [slot for slot, v in slots.items() if v == NOT_REPORTED]
            evidence = [sid for slot, v in slots.items() if v != NOT_REPORTED and slot != TRIGGER_SLOT
                        for sid in v if sid in tmap]
            roles: list[str] = []
            role_of = names.slot_role.get(c["type"], {})
            own = {k: v[1] for k, v in args_of(c).items() if v[1]} if not names.native else {}
            for slot, v in slots.items():
                if v == NOT_REPORTED or slot == TRIGGER_SLOT:
                    continue
                for i, sid in enumerate(v):
                    r = ref(c, slot, i, sid)
                    if r is not None:
                        role = own.get(f"{slot}:{i}") or role_of.get(slot, slot) + ("" if i == 0 else str(i + 1))
                        roles.append(f"{role}:{r}")
            ct = cb.claim_type(c["type"])
            if kind.get("kind") == "event":
                trig = slots.get(TRIGGER_SLOT)
                if isinstance(trig, list) and trig and trig[0] in tmap:
                    tid = tmap[trig[0]]
                elif evidence:
                    first = by_id[evidence[0]]
                    a, b = _fragments(text, first["start"], first["end"])[0]
                    legacy = (c.get("attributes") or {}).get("brat_trigger")
                    if isinstance(legacy, str) and re.fullmatch(r"\d+ \d+", legacy):
                        x, y = (int(v) for v in legacy.split())
                        if 0 <= x < y <= len(text) and "\n" not in text[x:y]:
                            a, b = x, y
                    next_t += 1
                    tid = f"T{next_t}"
                    synthetic.append(tid)
                    self.lines.append(f"{tid}\t{kind['name']} {a} {b}\t{text[a:b]}")
                else:
                    lone.append(dict(c))  # brat cannot hold an event without a trigger
                    continue
                bid = emap[c["id"]]
                self.lines.append(f"{bid}\t{kind['name']}:{tid}" + "".join(f" {r}" for r in roles))
            elif c["id"] in rmap:
                bid = rmap[c["id"]]
                if not roles:
                    lone.append(dict(c))
                    continue
                self.lines.append(f"{bid}\t{kind['name']} " + " ".join(roles))
            else:  # an equivalence: no id, so its attributes stay in the sidecar
                members = [r.split(":", 1)[1] for r in roles]
                if len(members) < 2:
                    lone.append(dict(c))
                    continue
                star += 1
                bid = f"*{star}"
                if c["id"] != bid:
                    keys[bid] = c["id"]
                self.lines.append(f"*\t{kind['name']} " + " ".join(members))
            if nr:
                not_reported[bid] = nr
            self.unheld += len(nr)
            kept = self._attrs(None if bid.startswith("*") else bid, c.get("attributes") or {}, ct)
            if kept:
                values[bid] = kept
        side: dict[str, Any] = {"status": self.ann.get("status") or "todo"}
        for name, part in (("keys", keys), ("values", values), ("not_reported", not_reported),
                           ("synthetic", synthetic), ("claims", lone)):
            if part:
                side[name] = part
        self.unheld += len(lone)
        self.side = side


def write_brat(records: Iterable[Mapping[str, Any]], codebook: Codebook, out_dir: Path,
               notes: list[str] | None = None) -> int:
    """Write the brat collection into a new or empty folder; returns the number of .ann files.
    ``notes`` hears what the user should know (values kept in the sidecar only).

    Every name that becomes a path (coder, report id) goes through
    :func:`annotator.core.io.paths.safe_name`; the originals are in the sidecar. Everything is
    written into a temporary folder beside the target that takes its name at the end, so a
    failure or a cancel (an exception from ``records``) leaves no half-written collection."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FileExistsError(f"{out_dir}: choose a new or empty folder for the brat collection")
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".brat-export.", suffix=".part", dir=parent))
    as_new_file(tmp, directory=True)
    names = _Names(codebook)
    values: dict[str, set[str]] = {}
    sidecar: dict[str, Any] = {"format": _SIDECAR_FORMAT, "version": 1, "codebook": codebook.ref,
                               "reports": {}, "coders": {}}
    try:
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
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if notes is not None and unheld:
        notes.append(f"{unheld} value(s) that brat's lines cannot hold (false booleans, counts, "
                     f"places, texts with spaces, 'not reported' slots, claims without evidence) "
                     f"are kept in {SIDECAR}; brat ignores that file, a re-import reads it")
    return n
