"""brat standoff import: a folder of .txt/.ann pairs (with our sidecar) as interchange records.

What maps to what: brat_format.py and docs/formats.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import NOT_REPORTED, AttributeDef, Codebook
from annotator.core.io.brat_ann import Ann, BratError, decode, parse_ann
from annotator.core.io.brat_conf import TRIGGER_SLOT
from annotator.core.io.brat_names import SIDECAR, SIDECAR_FORMAT, BratNames
from annotator.core.io.textfile import normalize_newlines

__all__ = ["read_brat"]


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
                   names: BratNames, side: Mapping[str, Any]) -> dict[str, Any]:
    """One .ann file (its text aligned) as an interchange annotation: spans and claims."""
    return _FileReader(ann_path, ann, text, mapping, names, side).read()


class _FileReader:
    """The steps of reading one .ann file: T lines, E, R and * lines, A, N and # lines, then
    what the sidecar kept, then the ids our own export had given."""

    def __init__(self, ann_path: Path, ann: Ann, text: str, mapping: list[int] | None,
                 names: BratNames, side: Mapping[str, Any]) -> None:
        self.path, self.ann, self.text, self.mapping = ann_path, ann, text, mapping
        self.names, self.side, self.cb = names, side, names.codebook
        self.spans: dict[str, dict[str, Any]] = {}
        self.triggers: dict[str, str] = {}  # T id of a trigger that is no span -> its type
        self.claims: dict[str, dict[str, Any]] = {}
        self.event_args: dict[str, list[str]] = {}

    def read(self) -> dict[str, Any]:
        self._texts()
        self._events()
        self._relations()
        self._equivalences()
        for cid, tokens in self.event_args.items():
            self.claims[cid]["attributes"]["brat_event_args"] = " ".join(sorted(tokens))
        self._attributes()
        self._norms()
        self._notes()
        self._sidecar_values()
        return self._keyed()

    def _for_codebook(self) -> str:
        return f" for codebook {self.cb.ref}" if self.cb else ""

    def _texts(self) -> None:
        """T lines: spans, or the triggers of events that are no span."""
        names, text, mapping = self.names, self.text, self.mapping
        synthetic = set(self.side.get("synthetic") or [])
        for t in self.ann.texts.values():
            frags = [(mapping[a], mapping[b]) for a, b in t.frags] if mapping else t.frags
            for (_, e1), (s2, _) in zip(frags, frags[1:], strict=False):
                if text[e1:s2].strip():
                    raise BratError(self.path, t.line, f"{t.id}: discontinuous span "
                                    f"{';'.join(f'{a} {b}' for a, b in t.frags)}: the codebook has "
                                    "no discontinuous spans (split it into two)")
            st = names.span_type(t.type)
            if t.id in synthetic or (st is None and names.native and
                                     names.claim_type(t.type, "event") is not None):
                self.triggers[t.id] = t.type
                continue
            if st is None:
                raise BratError(self.path, t.line, f"{t.id}: unknown span type '{t.type}'"
                                + self._for_codebook())
            start, end = frags[0][0], frags[-1][1]
            self.spans[t.id] = {"id": t.id, "type": st, "start": start, "end": end,
                                "text": text[start:end], "attributes": {}}

    def _fill(self, cid: str, ctype: str, role: str, target: str, number: int,
              slots: dict[str, Any]) -> None:
        """Put ``target`` (a span, or an event by its trigger) into the slot of ``role``."""
        names = self.names
        slot = names.slot(ctype, role)
        if slot is None:
            raise BratError(self.path, number,
                            f"{cid}: claim type '{ctype}' has no slot for the role '{role}'")
        entries = slots.setdefault(slot, [])
        # what export would call this entry; a file that numbers its roles otherwise ("Theme1",
        # or "Site2" without a "Site") keeps its own names
        pos = len(entries)
        usual = names.slot_role.get(ctype, {}).get(slot, slot) + ("" if pos == 0 else str(pos + 1))
        own = "" if role == usual else role
        if target in self.spans:
            entries.append(target)
            if own:
                self.event_args.setdefault(cid, []).append(f"{slot}:{pos}::{own}")
        elif target in self.ann.events:
            trig = self.ann.events[target][1]
            if trig not in self.spans:
                raise BratError(self.path, number, f"{cid}: role {role} names the event "
                                f"{target}, which this codebook cannot hold inside another claim")
            self.event_args.setdefault(cid, []).append(f"{slot}:{pos}:{target}:{own}")
            entries.append(trig)
        else:
            raise BratError(self.path, number, f"{cid}: role {role} names {target}, which is no "
                            "span or event of this file")

    def _events(self) -> None:
        cb = self.cb
        for eid, (etype, trig, roles, number) in self.ann.events.items():
            ctype = self.names.claim_type(etype, "event")
            if ctype is None:
                raise BratError(self.path, number, f"{eid}: unknown event type '{etype}'"
                                + self._for_codebook())
            if trig not in self.spans and trig not in self.triggers:
                raise BratError(self.path, number,
                                f"{eid}: the trigger {trig} is no T line of this file")
            slots: dict[str, Any] = {}
            if trig in self.spans:
                ct = cb.claim_type(ctype) if cb is not None else None
                if cb is not None and (ct is None or ct.slot(TRIGGER_SLOT) is None):
                    raise BratError(self.path, number, f"{eid}: the trigger {trig} is a span, "
                                    f"but claim type '{ctype}' has no trigger slot")
                slots[TRIGGER_SLOT] = [trig]
            for role, target in roles:
                self._fill(eid, ctype, role, target, number, slots)
            self.claims[eid] = {"id": eid, "type": ctype, "slots": slots, "attributes": {}}

    def _relations(self) -> None:
        names = self.names
        for rid, (rtype, args, number) in self.ann.relations.items():
            ctype = names.claim_type(rtype, "relation")
            if ctype is None and names.native:
                ctype = names.claim_type(rtype, "event")
            if ctype is None:
                raise BratError(self.path, number, f"{rid}: unknown relation type '{rtype}'")
            slots: dict[str, Any] = {}
            for role, target in args:
                self._fill(rid, ctype, role, target, number, slots)
            self.claims[rid] = {"id": rid, "type": ctype, "slots": slots, "attributes": {}}

    def _equivalences(self) -> None:
        cb = self.cb
        for k, (qtype, members, number) in enumerate(self.ann.equivs, start=1):
            ctype = self.names.claim_type(qtype, "relation")
            ct = cb.claim_type(ctype) if cb is not None and ctype is not None else None
            if ctype is None or (cb is not None and (ct is None or len(ct.slots) < 2)):
                raise BratError(self.path, number, f"unknown equivalence type '{qtype}'")
            first, rest = (ct.slots[0].id, ct.slots[-1].id) if ct is not None else ("Arg1", "Arg2")
            qid = f"*{k}"
            slots: dict[str, Any] = {}
            for i, m in enumerate(members):
                if m not in self.spans:
                    raise BratError(self.path, number,
                                    f"the equivalence names {m}, which is no span")
                slots.setdefault(first if i == 0 else rest, []).append(m)
            self.claims[qid] = {"id": qid, "type": ctype, "slots": slots, "attributes": {}}

    def _target_of(self, target: str, number: int) -> tuple[dict[str, Any], Any]:
        """The attributes of the span or claim a line names, and its codebook type."""
        cb = self.cb
        if target in self.spans:
            s = self.spans[target]
            return s["attributes"], (cb.span_type(s["type"]) if cb else None)
        if target in self.claims:
            c = self.claims[target]
            return c["attributes"], (cb.claim_type(c["type"]) if cb else None)
        raise BratError(self.path, number,
                        f"{target} is no span, event or relation of this file")

    def _attributes(self) -> None:
        for name, target, value, number in self.ann.attributes:
            attrs, owner = self._target_of(target, number)
            aid = self.names.attr(name)
            if self.cb is None:
                attrs[aid] = value if value is not None else True
            else:
                attrs[aid] = _coerce(owner.attribute(aid), value, (self.path, number), name)

    def _norms(self) -> None:
        for ntype, target, ref, ntext, number in self.ann.norms:
            attrs, owner = self._target_of(target, number)
            if self.cb is not None and owner.attribute("brat_norm") is None:
                raise BratError(self.path, number, f"{target}: the codebook has no attribute "
                                "brat_norm for normalizations")
            try:
                refs = json.loads(attrs.get("brat_norm", "[]"))
                assert isinstance(refs, list)
            except (ValueError, TypeError, AssertionError):
                raise BratError(self.path, number, f"{target}: brat_norm holds no list of "
                                "normalizations") from None
            refs.append({"id": ref, "text": ntext,
                         **({} if ntype == "Reference" else {"type": ntype})})
            attrs["brat_norm"] = json.dumps(refs, ensure_ascii=False)

    def _notes(self) -> None:
        for ntype, target, body, number in self.ann.notes:
            attrs, owner = self._target_of(target, number)
            akey = "note" if ntype == "AnnotatorNotes" else "brat_notes"
            if self.cb is not None and owner.attribute(akey) is None:
                raise BratError(self.path, number, f"{target}: the codebook has no text "
                                f"attribute '{akey}' for this note")
            part = body if akey == "note" else f"{ntype}\t{body}"
            attrs[akey] = f"{attrs[akey]}\n{part}" if akey in attrs else part

    def _sidecar_values(self) -> None:
        """What the sidecar kept of our own export: values no line held, "not reported"."""
        for bid, extra in (self.side.get("values") or {}).items():
            if bid in self.spans:
                self.spans[bid]["attributes"].update(extra)
            elif bid in self.claims:
                self.claims[bid]["attributes"].update(extra)
        for bid, slot_ids in (self.side.get("not_reported") or {}).items():
            if bid in self.claims:
                for slot in slot_ids:
                    self.claims[bid]["slots"][slot] = NOT_REPORTED

    def _keyed(self) -> dict[str, Any]:
        """The spans and claims under the ids our export had (the sidecar's keys)."""
        keys = dict(self.side.get("keys") or {})

        def key(bid: str) -> str:
            return str(keys.get(bid, bid))

        out_spans = [{**s, "id": key(s["id"])} for s in self.spans.values()]
        out_claims = []
        for c in self.claims.values():
            slots = {slot: v if v == NOT_REPORTED else [key(x) for x in v]
                     for slot, v in c["slots"].items()}
            out_claims.append({**c, "id": key(c["id"]), "slots": slots})
        out_claims += list(self.side.get("claims") or [])
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
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        raise BratError(file, None, f"not an annotator sidecar (format {SIDECAR_FORMAT!r})")
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
    names = BratNames(codebook)
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
