"""Reading the interchange format: validate a JSON line (schema, offsets, codebook), normalize
newlines and Unicode (NFC) with every span's offsets moved along, and stream a .jsonl file.

Offsets are code points into ``report.text``, end exclusive, and ``text[start:end] == span.text``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.coders import name_key
from annotator.core.io import textrules
from annotator.core.io.textfile import ImportProblem, normalize_newlines, text_sha256
from annotator.core.resources import schemas_dir

__all__ = ["ParsedRecord", "iter_records", "newline_map", "parse_data", "parse_record",
           "read_jsonl"]

_T = TypeVar("_T")


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads((schemas_dir() / "interchange.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


@dataclass
class ParsedRecord:
    """One validated interchange line, newlines normalized and offsets remapped accordingly."""

    report: dict[str, Any]
    annotations: list[dict[str, Any]]
    sha256: str
    decisions: list[dict[str, Any]] = field(default_factory=list)  # reviewers' decisions

def newline_map(text: str) -> list[int] | None:
    """For a text with CR characters: old offset -> new offset after newline normalization."""
    if "\r" not in text:
        return None
    mapping = [0] * (len(text) + 1)
    new = 0
    for i, ch in enumerate(text):
        mapping[i] = new
        # the CR of a CRLF pair disappears; a lone CR becomes LF
        if not (ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n"):
            new += 1
    mapping[len(text)] = new
    return mapping


def parse_record(line: str, codebook: Codebook) -> ParsedRecord:
    """Validate one JSON line: schema, offsets, span types, attributes and slot references.

    Raises ValueError with the reason (the caller adds file and line).
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON: {exc.msg} at column {exc.colno}") from exc
    except RecursionError as exc:
        raise ValueError("the JSON nests too deeply (arrays or objects inside each other)") from exc
    return parse_data(data, codebook)


def parse_data(data: Any, codebook: Codebook, *, shape_known: bool = False) -> ParsedRecord:
    """Validate one interchange record already read (a dict, as ``json.loads`` gives it);
    ``shape_known`` skips the JSON Schema for records an importer built itself (the checks of
    offsets, types, attributes and slots still run)."""
    try:
        errors = [] if shape_known else sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    except RecursionError as exc:
        raise ValueError("the JSON nests too deeply (arrays or objects inside each other)") from exc
    if errors:
        err = errors[0]
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path)
        raise ValueError(f"{path}: {err.message}")
    report = data["report"]
    raw_text: str = report["text"]
    text = normalize_newlines(raw_text)
    mapping = newline_map(raw_text)
    annotations = data.get("annotations", [])
    textrules.check_record({**report, "text": text}, annotations)  # the one rule at the door
    if not text.strip():
        raise ValueError(f"report {report['id']}: empty text")
    seen_coders: set[str] = set()
    for ann in annotations:
        coder = ann["coder"]
        where = f"report {report['id']}, coder {coder}"
        if name_key(coder) in seen_coders:
            raise ValueError(f"{where}: the coder appears twice in one line (names compare "
                             "case-insensitively)")
        seen_coders.add(name_key(coder))
        cb = ann.get("codebook")
        if cb and cb.split("@", 1)[0] != codebook.id:
            raise ValueError(
                f"{where}: coded with codebook '{cb}', but this project uses '{codebook.ref}'"
            )
        span_types = _check_spans(ann.get("spans", []), raw_text, text, mapping, codebook, where)
        _check_claims(ann.get("claims", []), span_types, codebook, where)
    text = _nfc(text, annotations, str(report["id"]))
    if text != raw_text:
        report["text"] = text
    return ParsedRecord(report, annotations, text_sha256(text), list(data.get("decisions") or []))


def _nfc(text: str, annotations: list[dict[str, Any]], report_id: str) -> str:
    """The text in Unicode NFC, as .txt imports store it (the same text imported both ways is
    one report), with every span's offsets moved along. A span boundary inside a sequence that
    NFC combines (a letter and its accent) cannot be moved: the record is refused."""
    nfc = unicodedata.normalize("NFC", text)
    if nfc == text:
        return text
    spans = [s for ann in annotations for s in ann.get("spans", [])]
    cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    moved: dict[int, int] = {}
    out: list[str] = []
    pos = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        moved[a] = pos
        piece = unicodedata.normalize("NFC", text[a:b])
        out.append(piece)
        pos += len(piece)
    moved[len(text)] = pos
    if "".join(out) != nfc:
        raise ValueError(f"report {report_id}: a span starts or ends inside a letter and its "
                         "combining mark, which Unicode normalization (NFC) joins into one "
                         "character; move the span's boundary")
    for s in spans:
        s["start"], s["end"] = moved[s["start"]], moved[s["end"]]
        s["text"] = nfc[s["start"]:s["end"]]
    return nfc


def _check_spans(
    spans: list[dict[str, Any]],
    raw_text: str,
    text: str,
    mapping: list[int] | None,
    codebook: Codebook,
    where: str,
) -> dict[str, str]:
    types: dict[str, str] = {}
    for span in spans:
        sid, start, end = span["id"], span["start"], span["end"]
        if sid in types:
            raise ValueError(f"{where}: span id '{sid}' is used twice")
        if not (0 <= start < end <= len(raw_text)):
            raise ValueError(
                f"{where}, span {sid}: offsets {start}-{end} are outside the text (0-{len(raw_text)})"
            )
        if raw_text[start:end] != span["text"]:
            raise ValueError(
                f"{where}, span {sid}: text[{start}:{end}] is {raw_text[start:end]!r}, "
                f"not {span['text']!r} (offsets must count code points)"
            )
        problems = codebook.check_span(span["type"], span.get("attributes") or {})
        if problems:
            raise ValueError(f"{where}, span {sid}: {'; '.join(problems)}")
        if mapping is not None:
            span["start"], span["end"] = mapping[start], mapping[end]
            span["text"] = text[span["start"] : span["end"]]
        types[sid] = span["type"]
    return types


def _check_claims(
    claims: list[dict[str, Any]], span_types: dict[str, str], codebook: Codebook, where: str
) -> None:
    seen: set[str] = set()
    for claim in claims:
        cid = claim["id"]
        if cid in seen:
            raise ValueError(f"{where}: claim id '{cid}' is used twice")
        seen.add(cid)
        slots = claim.get("slots") or {}
        for slot, value in slots.items():
            if value == NOT_REPORTED:
                continue
            for sid in value:
                if sid not in span_types:
                    raise ValueError(
                        f"{where}, claim {cid}: slot '{slot}' names span '{sid}', "
                        "which this coder does not have"
                    )
        problems = codebook.check_claim(
            claim["type"], slots, claim.get("attributes") or {}, span_types
        )
        if problems:
            raise ValueError(f"{where}, claim {cid}: {'; '.join(problems)}")


def read_jsonl(path: Path, codebook: Codebook,
               on_error: Callable[[int, ValueError], _T]) -> Iterator[tuple[int, ParsedRecord | _T]]:
    """Parse a .jsonl file line by line: (1-based line number, record) per line, blank lines
    skipped. A line that does not parse gives ``on_error(number, why)`` instead of a record (or
    ends the reading: ``on_error`` raises); a file that cannot be read or is not UTF-8 raises
    ImportProblem naming the file and the line."""
    try:
        fh = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    with fh:
        number = 0
        try:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record: ParsedRecord | _T = parse_record(line, codebook)
                except ValueError as exc:
                    record = on_error(number, exc)
                yield number, record
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"not UTF-8: {exc.reason}", number + 1) from exc


def iter_records(path: Path, codebook: Codebook) -> Iterator[tuple[int, ParsedRecord]]:
    """Parse a .jsonl file line by line (1-based line numbers); blank lines are skipped. The
    first bad line ends it with ImportProblem (file, line, reason)."""

    def refuse(number: int, exc: ValueError) -> NoReturn:
        raise ImportProblem(path, str(exc), number) from exc

    yield from read_jsonl(path, codebook, refuse)
