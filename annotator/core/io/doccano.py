"""doccano JSONL in and out: sequence labeling (``label``) and relation (``entities`` +
``relations``) projects.

Export: one line per report and coder (a report nobody coded: one line without entities):
``text``, ``entities`` (``id``, ``label`` = span type, ``start_offset``, ``end_offset``),
``relations`` (``from_id``, ``to_id``, ``type`` = claim type) for the claims a binary relation
says whole, ``report_id``, and ``annotator`` holding what doccano cannot (the report's fields,
the coder, span attributes, the other claims). doccano keeps unknown keys of an imported line as
the example's metadata. Offsets count code points, as doccano's own export does.

Import: both shapes (``label`` as ``[[start, end, "LABEL"], ...]`` or ``entities``); lines of
the same text are one report, each line a coder (the ``annotator`` extension's coder, else
``doccano``, ``doccano-2`` ...). Document-level labels (text classification) are refused: they
are no spans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.io.atomic import atomic_text_file
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    binary_claims,
    extension,
    relation_claim,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem, text_sha256

__all__ = ["doccano_lines", "read_doccano", "write_doccano"]


def doccano_lines(records: Iterable[Mapping[str, Any]], codebook: Codebook) -> Iterable[dict[str, Any]]:
    n = 0
    for record in records:
        rep = record["report"]
        anns = record.get("annotations") or [None]
        for ann in anns:
            n += 1
            line: dict[str, Any] = {"id": n, "text": rep["text"], "entities": [], "relations": [],
                                    "report_id": rep["id"]}
            if ann is None:
                line[EXTENSION] = extension(record)
                yield line
                continue
            ids = {s["id"]: str(k) for k, s in enumerate(ann.get("spans", []), start=1)}
            line["entities"] = [{"id": int(ids[s["id"]]), "label": s["type"],
                                 "start_offset": s["start"], "end_offset": s["end"]}
                                for s in ann.get("spans", [])]
            relations = binary_claims(codebook, ann)
            line["relations"] = [{"id": k, "from_id": int(ids[a]), "to_id": int(ids[b]), "type": t}
                                 for k, (_c, t, a, b) in enumerate(relations, start=1)]
            ext = extension(record, ann, [r[0] for r in relations], ids)
            ext["relation_ids"] = [r[0] for r in relations]
            line[EXTENSION] = ext
            yield line


def write_doccano(records: Iterable[Mapping[str, Any]], codebook: Codebook, out: Path) -> int:
    """Write a doccano JSONL file; returns the number of lines."""
    n = 0
    with atomic_text_file(out) as fh:
        for line in doccano_lines(records, codebook):
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            n += 1
    return n


def _entities(line: Mapping[str, Any], text: str, codebook: Codebook,
              where: str) -> list[dict[str, Any]]:
    spans = []
    if "entities" in line:
        for k, e in enumerate(line.get("entities") or []):
            at = f"{where}.entities[{k}]"
            if not isinstance(e, dict):
                raise FormatError(at, "an entity must be an object")
            spans.append((str(e.get("id", k + 1)), e.get("label"), e.get("start_offset"),
                          e.get("end_offset"), at))
    else:
        labels = line.get("label", line.get("labels")) or []
        for k, item in enumerate(labels):
            at = f"{where}.label[{k}]"
            if isinstance(item, str):
                raise FormatError(at, f"document label {item!r}: text classification labels "
                                      "are no spans")
            if not isinstance(item, list) or len(item) != 3:
                raise FormatError(at, "a label must be [start, end, \"LABEL\"]")
            spans.append((str(k + 1), item[2], item[0], item[1], at))
    out = []
    for sid, label, start, end, at in spans:
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            raise FormatError(at, f"offsets {start!r}-{end!r} are not inside the text "
                                  f"(0-{len(text)} code points)")
        out.append({"id": sid, "type": span_type_id(codebook, str(label), at), "start": start,
                    "end": end, "text": text[start:end], "attributes": {}})
    return out


def _relations(line: Mapping[str, Any], spans: list[dict[str, Any]], codebook: Codebook,
               where: str) -> list[dict[str, Any]]:
    ids = {s["id"] for s in spans}
    claims = []
    for k, r in enumerate(line.get("relations") or []):
        at = f"{where}.relations[{k}]"
        if not isinstance(r, dict):
            raise FormatError(at, "a relation must be an object")
        ct = relation_claim(codebook, str(r.get("type", "")), at)
        a, b = str(r.get("from_id")), str(r.get("to_id"))
        for sid in (a, b):
            if sid not in ids:
                raise FormatError(at, f"the relation names entity {sid}, which the line does not have")
        claims.append({"id": f"rel{k + 1}", "type": ct.id,
                       "slots": {ct.slots[0].id: [a], ct.slots[1].id: [b]}, "attributes": {}})
    return claims


def read_doccano(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    """Interchange records from a doccano JSONL file (the first problem raises ImportProblem
    with its line)."""
    try:
        fh = path.open("r", encoding="utf-8-sig")
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    reports: dict[str, dict[str, Any]] = {}
    with fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
                if not isinstance(line, dict) or not isinstance(line.get("text"), str):
                    raise FormatError("$", "a doccano line is an object with a 'text'")
                _line(line, codebook, path.stem, number, reports)
            except json.JSONDecodeError as exc:
                raise ImportProblem(path, f"malformed JSON: {exc.msg} at column {exc.colno}",
                                    number) from exc
            except FormatError as exc:
                raise ImportProblem(path, str(exc), number) from exc
            except UnicodeDecodeError as exc:
                raise ImportProblem(path, f"not UTF-8: {exc.reason}", number) from exc
    return list(reports.values())


def _line(line: dict[str, Any], codebook: Codebook, stem: str, number: int,
          reports: dict[str, dict[str, Any]]) -> None:
    text: str = line["text"]
    ext = line.get(EXTENSION)
    key = text_sha256(text)
    rec = reports.get(key)
    if rec is None:
        rid = str(line.get("report_id") or f"{stem}-{line.get('id', number)}")
        meta = {k: v for k, v in line.items() if k not in
                ("id", "text", "entities", "relations", "label", "labels", "report_id", EXTENSION)}
        rec = reports[key] = {"report": {"id": rid, "text": text, "metadata": meta},
                              "annotations": []}
    report = rec["report"]
    spans = _entities(line, text, codebook, "$")
    if isinstance(ext, dict) and "coder" not in ext:
        apply_extension(report, {"spans": []}, ext, f"$.{EXTENSION}")
        if not spans:
            return
    coder = ext.get("coder") if isinstance(ext, dict) else None
    taken = {a["coder"] for a in rec["annotations"]}
    if not isinstance(coder, str) or not coder:
        coder, k = "doccano", 1
        while coder in taken:
            k += 1
            coder = f"doccano-{k}"
    elif coder in taken:
        raise FormatError("$", f"coder {coder} has a second line for the same text")
    ann: dict[str, Any] = {"coder": coder, "status": "done", "spans": spans,
                           "claims": _relations(line, spans, codebook, "$")}
    if isinstance(ext, dict):
        for c, cid in zip(ann["claims"], ext.get("relation_ids") or [], strict=False):
            c["id"] = cid
        apply_extension(report, ann, ext, f"$.{EXTENSION}")
    rec["annotations"].append(ann)


def looks_like_doccano(path: Path) -> bool:
    """A .jsonl file whose first line has a 'text' and no 'report' (the interchange format)."""
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            for raw in fh:
                if raw.strip():
                    first = json.loads(raw)
                    return isinstance(first, dict) and "text" in first and "report" not in first
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False
