"""The interchange format (JSON Lines, schemas/interchange.schema.json): parse, store, stream out.

One line per report with the annotations of zero or more coders. Offsets are code points into
``report.text``, end exclusive, and ``text[start:end] == span.text`` for every span.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.io import textrules
from annotator.core.io.textfile import ImportProblem, normalize_newlines, text_sha256
from annotator.core.models import (
    GOLD_CODER,
    STATUSES,
    assignment_t,
    claim_t,
    coder_t,
    inserted_id,
    provenance_t,
    report_t,
    slot_fill_t,
    span_t,
    utcnow,
)
from annotator.core.resources import schemas_dir

__all__ = [
    "ParsedRecord",
    "Precheck",
    "StoreResult",
    "export_jsonl",
    "iter_export",
    "iter_records",
    "parse_data",
    "parse_record",
    "store_record",
]

_PROVENANCE_KEYS = ("from_coder", "from_id", "action", "decided_by", "decided_at", "rationale")


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


@dataclass
class StoreResult:
    report_external_id: str
    report_added: bool
    coders_added: list[str] = field(default_factory=list)
    coders_unchanged: list[str] = field(default_factory=list)


def _newline_map(text: str) -> list[int] | None:
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
    mapping = _newline_map(raw_text)
    annotations = data.get("annotations", [])
    textrules.check_record({**report, "text": text}, annotations)  # the one rule at the door
    if not text.strip():
        raise ValueError(f"report {report['id']}: empty text")
    seen_coders: set[str] = set()
    for ann in annotations:
        coder = ann["coder"]
        where = f"report {report['id']}, coder {coder}"
        if coder in seen_coders:
            raise ValueError(f"{where}: the coder appears twice in one line")
        seen_coders.add(coder)
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
    return ParsedRecord(report, annotations, text_sha256(text))


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


def iter_records(path: Path, codebook: Codebook) -> Iterator[tuple[int, ParsedRecord]]:
    """Parse a .jsonl file line by line (1-based line numbers); blank lines are skipped."""
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
                    yield number, parse_record(line, codebook)
                except ValueError as exc:
                    raise ImportProblem(path, str(exc), number) from exc
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"not UTF-8: {exc.reason}", number + 1) from exc


# ---------------------------------------------------------------- storing


def _coder_id(
    conn: Connection, name: str, role: str | None, cache_: dict[str, int], trusted: bool
) -> int:
    if name in cache_:
        return cache_[name]
    row = conn.execute(select(coder_t.c.id).where(coder_t.c.name == name)).first()
    if row is None:
        if not trusted:
            # an import run by a coder never creates a reviewer (nor the gold layer): a role a
            # file declares is taken only from a reviewer's (or the project lead's) import
            if name == GOLD_CODER or role == GOLD_CODER:
                raise ValueError(
                    f"coder {name}: gold annotations can only be imported by a reviewer"
                )
            role = "coder"
        role = role or ("gold" if name == GOLD_CODER else "coder")
        new_id = inserted_id(conn.execute(coder_t.insert().values(name=name, role=role)))
        cache_[name] = int(new_id)
    else:
        cache_[name] = int(row[0])
    return cache_[name]


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def store_record(
    conn: Connection,
    rec: ParsedRecord,
    codebook_id: int,
    coder_cache: dict[str, int],
    *,
    trusted: bool = True,
) -> StoreResult:
    """Store one parsed record inside the caller's transaction.

    The report is matched by the hash of its text (then not duplicated). A coder's annotations are
    added when the coder has none on the report yet, left alone when identical, and refused (a
    ValueError) when different: merging never silently overwrites or drops anyone's work. A
    status never goes back (done stays done when a file says todo). ``trusted`` (an import by a
    reviewer or the project lead) lets the file's ``role`` create reviewers; otherwise new coders
    are plain coders and gold annotations are refused.
    """
    r = rec.report
    existing = conn.execute(
        select(report_t.c.id, report_t.c.external_id).where(report_t.c.sha256 == rec.sha256)
    ).first()
    if existing is None:
        clash = conn.execute(select(report_t.c.id).where(report_t.c.external_id == r["id"])).first()
        if clash is not None:
            raise ValueError(f"report id '{r['id']}' is already in the project with another text")
        report_id = int(
            inserted_id(
                conn.execute(
                    report_t.insert().values(
                        external_id=r["id"],
                        title=r.get("title") or "",
                        source=r.get("source"),
                        url=r.get("url"),
                        published=r.get("published"),
                        language=r.get("language"),
                        text=normalize_newlines(r["text"]),
                        sha256=rec.sha256,
                        imported_at=utcnow(),
                        meta=r.get("metadata") or {},
                    )
                )
            )
        )
        result = StoreResult(r["id"], True)
    else:
        report_id = int(existing[0])
        result = StoreResult(str(existing[1]), False)
    for ann in rec.annotations:
        coder_id = _coder_id(conn, ann["coder"], ann.get("role"), coder_cache, trusted)
        if _store_annotation(conn, report_id, coder_id, ann, codebook_id):
            result.coders_added.append(ann["coder"])
        else:
            result.coders_unchanged.append(ann["coder"])
    return result


def _canonical(ann: dict[str, Any]) -> str:
    # the status is not compared: it only moves forward (see _later_status)
    keep = {"spans": ann.get("spans", []), "claims": ann.get("claims", [])}
    return json.dumps(keep, sort_keys=True, ensure_ascii=False)


def _later_status(old: str | None, new: str) -> str:
    """The status that is further along: an import never turns done back into todo."""
    if old is None:
        return new
    return max(old, new, key=lambda s: STATUSES.index(s) if s in STATUSES else -1)


def _merge_status(conn: Connection, report_id: int, coder_id: int, status: str) -> bool:
    """Set the coder's status on the report to the later of the stored one and ``status``;
    True when it changed."""
    a = assignment_t
    now = utcnow()
    old = conn.execute(
        select(a.c.id, a.c.status).where(a.c.report_id == report_id, a.c.coder_id == coder_id)
    ).first()
    if old is None:
        conn.execute(
            a.insert().values(
                report_id=report_id, coder_id=coder_id, status=status, created_at=now,
                updated_at=now,
            )
        )
        return True
    merged = _later_status(old[1], status)
    if merged == old[1]:
        return False
    conn.execute(a.update().where(a.c.id == old[0]).values(status=merged, updated_at=now))
    return True


class Precheck:
    """The refusals of :func:`store_record`, found without writing anything: what the project
    holds (read through ``conn``) and what the earlier records of the same file would add.

    ``record(rec)`` raises the ValueError that storing ``rec`` after the earlier ones would
    raise; a file whose every record passes can then be stored in several transactions."""

    def __init__(self, conn: Connection, trusted: bool) -> None:
        self.conn, self.trusted = conn, trusted
        self.sha_of_id: dict[str, str] = {}  # report id -> text hash, for reports the file adds
        self.added: set[str] = set()  # hashes of reports the file adds
        self.report_ids: dict[str, int | None] = {}  # hash -> stored report id (None: not stored)
        self.annotations: dict[tuple[str, str], str | None] = {}  # (hash, coder) -> canonical
        self.coders: dict[str, int | None] = {}

    def _report_id(self, sha: str) -> int | None:
        if sha not in self.report_ids:
            row = self.conn.execute(select(report_t.c.id).where(report_t.c.sha256 == sha)).first()
            self.report_ids[sha] = None if row is None else int(row[0])
        return self.report_ids[sha]

    def _coder(self, name: str) -> int | None:
        if name not in self.coders:
            row = self.conn.execute(select(coder_t.c.id).where(coder_t.c.name == name)).first()
            self.coders[name] = None if row is None else int(row[0])
        return self.coders[name]

    def record(self, rec: ParsedRecord) -> None:
        r, sha = rec.report, rec.sha256
        report_id = self._report_id(sha)
        if report_id is None and sha not in self.added:
            other = self.sha_of_id.get(r["id"])
            if other is not None or self.conn.execute(
                select(report_t.c.id).where(report_t.c.external_id == r["id"])
            ).first() is not None:
                raise ValueError(f"report id '{r['id']}' is already in the project with another text")
            self.sha_of_id[r["id"]] = sha
            self.added.add(sha)
        for ann in rec.annotations:
            name = ann["coder"]
            coder_id = self._coder(name)
            if coder_id is None and not self.trusted and GOLD_CODER in (name, ann.get("role")):
                raise ValueError(f"coder {name}: gold annotations can only be imported by a reviewer")
            key = (sha, name)
            has = bool(ann.get("spans") or ann.get("claims"))
            if key not in self.annotations:
                current: str | None = None
                if report_id is not None and coder_id is not None:
                    block = next(_annotation_blocks(self.conn, [report_id], [coder_id]), None)
                    if block is not None and block[1] and (
                        block[1][0]["spans"] or block[1][0]["claims"]
                    ):
                        current = _canonical(block[1][0])
                self.annotations[key] = current
            current = self.annotations[key]
            if current is None:
                self.annotations[key] = _canonical(ann) if has else None
            elif current != _canonical(ann):
                raise ValueError(
                    f"coder {name} already has different annotations on this report; nothing of "
                    "this file was imported (export theirs first, or import into a new project)"
                )


def _store_annotation(
    conn: Connection, report_id: int, coder_id: int, ann: dict[str, Any], codebook_id: int
) -> bool:
    """Insert one coder's annotations on one report; False when identical ones are there."""
    has = (
        conn.execute(
            select(span_t.c.id).where(
                span_t.c.report_id == report_id, span_t.c.coder_id == coder_id
            )
        ).first()
        or conn.execute(
            select(claim_t.c.id).where(
                claim_t.c.report_id == report_id, claim_t.c.coder_id == coder_id
            )
        ).first()
    )
    if has:
        current = next(_annotation_blocks(conn, [report_id], [coder_id]), None)
        if current is not None and _canonical(current[1][0]) == _canonical(ann):
            _merge_status(conn, report_id, coder_id, ann.get("status", "todo"))
            return False
        raise ValueError(
            f"coder {ann['coder']} already has different annotations on this report; "
            "nothing of this file was imported (export theirs first, or import into a new project)"
        )
    now = utcnow()
    _merge_status(conn, report_id, coder_id, ann.get("status", "todo"))
    span_ids = _insert_spans(conn, report_id, coder_id, ann.get("spans", []), codebook_id, now)
    _insert_claims(conn, report_id, coder_id, ann.get("claims", []), span_ids, codebook_id, now)
    return True


def _insert_spans(
    conn: Connection,
    report_id: int,
    coder_id: int,
    spans: list[dict[str, Any]],
    codebook_id: int,
    now: datetime,
) -> dict[str, int]:
    if not spans:
        return {}
    rows = [
        {
            "report_id": report_id,
            "coder_id": coder_id,
            "key": s["id"],
            "type": s["type"],
            "start": s["start"],
            "end": s["end"],
            "text": s["text"],
            "attributes": {k: v for k, v in (s.get("attributes") or {}).items() if v is not None},
            "codebook_id": codebook_id,
            "created_at": now,
            "updated_at": now,
        }
        for s in spans
    ]
    returned = conn.execute(
        span_t.insert().returning(span_t.c.id, span_t.c.key, sort_by_parameter_order=True), rows
    ).all()
    ids = {str(key): int(sid) for sid, key in returned}
    prov = [
        _provenance_row(s["provenance"], span_id=ids[s["id"]]) for s in spans if s.get("provenance")
    ]
    if prov:
        conn.execute(provenance_t.insert(), prov)
    return ids


def _insert_claims(
    conn: Connection,
    report_id: int,
    coder_id: int,
    claims: list[dict[str, Any]],
    span_ids: dict[str, int],
    codebook_id: int,
    now: datetime,
) -> None:
    if not claims:
        return
    rows = [
        {
            "report_id": report_id,
            "coder_id": coder_id,
            "key": c["id"],
            "type": c["type"],
            "attributes": {k: v for k, v in (c.get("attributes") or {}).items() if v is not None},
            "codebook_id": codebook_id,
            "created_at": now,
            "updated_at": now,
        }
        for c in claims
    ]
    returned = conn.execute(
        claim_t.insert().returning(claim_t.c.id, claim_t.c.key, sort_by_parameter_order=True), rows
    ).all()
    ids = {str(key): int(cid) for cid, key in returned}
    fills: list[dict[str, Any]] = []
    prov: list[dict[str, Any]] = []
    for c in claims:
        claim_id = ids[c["id"]]
        for slot, value in (c.get("slots") or {}).items():
            if value == NOT_REPORTED:
                fills.append(
                    {
                        "claim_id": claim_id,
                        "slot": slot,
                        "position": 0,
                        "span_id": None,
                        "not_reported": True,
                    }
                )
                continue
            for pos, sid in enumerate(value):
                fills.append(
                    {
                        "claim_id": claim_id,
                        "slot": slot,
                        "position": pos,
                        "span_id": span_ids[sid],
                        "not_reported": False,
                    }
                )
        if c.get("provenance"):
            prov.append(_provenance_row(c["provenance"], claim_id=claim_id))
    if fills:
        conn.execute(slot_fill_t.insert(), fills)
    if prov:
        conn.execute(provenance_t.insert(), prov)


def _provenance_row(p: dict[str, Any], **item: int) -> dict[str, Any]:
    return {
        "span_id": item.get("span_id"),
        "claim_id": item.get("claim_id"),
        "from_coder": p.get("from_coder"),
        "from_key": p.get("from_id"),
        "action": p.get("action") or "accepted",
        "decided_by": p.get("decided_by"),
        "decided_at": _parse_time(p.get("decided_at")),
        "rationale": p.get("rationale"),
    }


# ---------------------------------------------------------------- export


def _format_time(value: datetime | None) -> str | None:
    """UTC time as ISO 8601 with Z (stored values may come back naive or aware)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _provenance_json(row: Any) -> dict[str, Any]:
    decided = _format_time(row.decided_at)
    out = {
        "from_coder": row.from_coder,
        "from_id": row.from_key,
        "action": row.action,
        "decided_by": row.decided_by,
        "decided_at": decided,
        "rationale": row.rationale,
    }
    return {k: v for k, v in out.items() if v is not None}


def _annotation_blocks(
    conn: Connection, report_ids: Sequence[int] | None, coder_ids: Sequence[int] | None
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(report id, [annotation dict per coder]) for each report, in report id order.

    Streams five ordered queries side by side (a merge join in Python): memory stays flat in the
    number of reports; only one report's annotations are held at a time.
    """
    a, s, c, f, p, k = assignment_t, span_t, claim_t, slot_fill_t, provenance_t, coder_t

    def scoped(q: Any, table: Any) -> Any:
        if report_ids is not None:
            q = q.where(table.c.report_id.in_(report_ids))
        if coder_ids is not None:
            q = q.where(table.c.coder_id.in_(coder_ids))
        return q

    names = {
        int(i): (str(n), str(r)) for i, n, r in conn.execute(select(k.c.id, k.c.name, k.c.role))
    }
    statuses = scoped(
        select(a.c.report_id, a.c.coder_id, a.c.status).order_by(a.c.report_id, a.c.coder_id),
        a,
    )
    spans = scoped(
        select(
            s.c.report_id,
            s.c.coder_id,
            s.c.id,
            s.c.key,
            s.c.type,
            s.c.start,
            s.c.end,
            s.c.text,
            s.c.attributes,
        ).order_by(s.c.report_id, s.c.coder_id, s.c.id),
        s,
    )
    claims = scoped(
        select(c.c.report_id, c.c.coder_id, c.c.id, c.c.key, c.c.type, c.c.attributes).order_by(
            c.c.report_id, c.c.coder_id, c.c.id
        ),
        c,
    )
    fills = scoped(
        select(c.c.report_id, f.c.claim_id, f.c.slot, f.c.span_id, f.c.not_reported)
        .join(c, c.c.id == f.c.claim_id)
        .order_by(c.c.report_id, f.c.claim_id, f.c.slot, f.c.position, f.c.id),
        c,
    )
    has_gold = any(role == "gold" for _, role in names.values())
    prov_rows: dict[tuple[str, int], Any] = {}
    if has_gold:
        # gold layers are small next to the coders' work; provenance is looked up by item
        for row in conn.execute(select(p)):
            kind, item = (
                ("span", row.span_id) if row.span_id is not None else ("claim", row.claim_id)
            )
            prov_rows[(kind, int(item))] = row

    def by_report(q: Any) -> Iterator[tuple[int, list[Any]]]:
        rows = conn.execution_options(yield_per=2000).execute(q)
        for rid, group in groupby(rows, key=lambda row: int(row[0])):
            yield rid, list(group)

    streams = [by_report(q) for q in (statuses, spans, claims, fills)]
    heads: list[tuple[int, list[Any]] | None] = [next(st, None) for st in streams]
    while True:
        live = [h[0] for h in heads if h is not None]
        if not live:
            return
        rid = min(live)
        parts: list[list[Any]] = []
        for i, head in enumerate(heads):
            if head is not None and head[0] == rid:
                parts.append(head[1])
                heads[i] = next(streams[i], None)
            else:
                parts.append([])
        yield rid, _assemble(parts, names, prov_rows)


def _assemble(
    parts: list[list[Any]], names: dict[int, tuple[str, str]], prov: dict[tuple[str, int], Any]
) -> list[dict[str, Any]]:
    status_rows, span_rows, claim_rows, fill_rows = parts
    blocks: dict[int, dict[str, Any]] = {}

    def block(coder_id: int) -> dict[str, Any]:
        if coder_id not in blocks:
            name, role = names[coder_id]
            b: dict[str, Any] = {"coder": name}
            if role != "coder":
                b["role"] = role
            b.update(status="todo", spans=[], claims=[])
            blocks[coder_id] = b
        return blocks[coder_id]

    for row in status_rows:
        block(int(row.coder_id))["status"] = row.status
    span_keys: dict[int, str] = {}
    for row in span_rows:
        span_keys[int(row.id)] = row.key
        item: dict[str, Any] = {
            "id": row.key,
            "type": row.type,
            "start": row.start,
            "end": row.end,
            "text": row.text,
            "attributes": row.attributes or {},
        }
        if prov and ("span", int(row.id)) in prov:
            item["provenance"] = _provenance_json(prov[("span", int(row.id))])
        block(int(row.coder_id))["spans"].append(item)
    slots: dict[int, dict[str, Any]] = {}
    for row in fill_rows:
        claim_slots = slots.setdefault(int(row.claim_id), {})
        if row.not_reported:
            claim_slots[row.slot] = NOT_REPORTED
        else:
            entry = claim_slots.setdefault(row.slot, [])
            if isinstance(entry, list):
                entry.append(span_keys[int(row.span_id)])
    for row in claim_rows:
        citem: dict[str, Any] = {
            "id": row.key,
            "type": row.type,
            "slots": slots.get(int(row.id), {}),
            "attributes": row.attributes or {},
        }
        if prov and ("claim", int(row.id)) in prov:
            citem["provenance"] = _provenance_json(prov[("claim", int(row.id))])
        block(int(row.coder_id))["claims"].append(citem)
    return [blocks[k] for k in sorted(blocks)]


def iter_export(
    engine: Engine,
    *,
    coder_ids: Sequence[int] | None = None,
    codebook_ref: str,
    report_ids: Sequence[int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every report (or ``report_ids``) as an interchange record with the annotations of
    ``coder_ids`` (default all), in report order. Streams: one report in memory at a time."""
    r = report_t
    q = select(
        r.c.id, r.c.external_id, r.c.title, r.c.source, r.c.url, r.c.published, r.c.language,
        r.c.text, r.c.meta,
    ).order_by(r.c.id)
    if report_ids is not None:
        q = q.where(r.c.id.in_(report_ids))
    with engine.connect() as conn, engine.connect() as conn2:
        blocks = _annotation_blocks(conn2, report_ids, coder_ids)
        pending = next(blocks, None)
        for row in conn.execution_options(yield_per=500).execute(q):
            anns: list[dict[str, Any]] = []
            while pending is not None and pending[0] < row.id:
                pending = next(blocks, None)
            if pending is not None and pending[0] == row.id:
                anns = pending[1]
                pending = next(blocks, None)
            for ann in anns:
                ann["codebook"] = codebook_ref
            yield {
                "report": {
                    "id": row.external_id,
                    "title": row.title,
                    "source": row.source,
                    "url": row.url,
                    "published": row.published,
                    "language": row.language,
                    "text": row.text,
                    "metadata": row.meta or {},
                },
                "annotations": anns,
            }


def export_jsonl(
    engine: Engine,
    out: TextIO,
    *,
    coder_ids: Sequence[int] | None = None,
    codebook_ref: str,
    report_ids: Sequence[int] | None = None,
) -> int:
    """Write every report (or ``report_ids``) with the annotations of ``coder_ids`` (default all).

    Returns the number of lines written. Streams: memory stays flat in the number of reports.
    """
    count = 0
    for record in iter_export(
        engine, coder_ids=coder_ids, codebook_ref=codebook_ref, report_ids=report_ids
    ):
        out.write(textrules.json_line(record))
        out.write("\n")
        count += 1
    return count
