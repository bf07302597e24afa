"""Storing interchange records: a report matched by the hash of its text, each coder's
annotations added when the coder has none there, left alone when identical, refused when
different (see :mod:`annotator.core.merge` for the merge that replaces and keeps history).
A coder's new annotations or a later status on a report that is locked (its gold version is
done, core/locks.py) are refused like a difference; gold annotations are the reviewers' and go in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.codebook import NOT_REPORTED
from annotator.core.coders import find_coder, name_key
from annotator.core.io.interchange.export import annotation_blocks
from annotator.core.io.interchange.parse import ParsedRecord
from annotator.core.io.textfile import normalize_newlines
from annotator.core.locks import locked_reports
from annotator.core.models import (
    GOLD_CODER,
    STATUSES,
    assignment_t,
    claim_t,
    coder_t,
    decision_t,
    inserted_id,
    provenance_t,
    report_t,
    slot_fill_t,
    span_t,
    utcnow,
)

__all__ = [
    "Precheck",
    "StoreResult",
    "canonical",
    "coder_id_for",
    "insert_annotation",
    "insert_report",
    "later_status",
    "merge_status",
    "store_decisions",
    "store_record",
]


@dataclass
class StoreResult:
    report_external_id: str
    report_added: bool
    coders_added: list[str] = field(default_factory=list)
    coders_unchanged: list[str] = field(default_factory=list)



def _coder_id(
    conn: Connection, name: str, role: str | None, cache_: dict[str, int], trusted: bool
) -> int:
    key = name_key(name)
    if key in cache_:
        return cache_[key]
    row = find_coder(conn, name)
    if row is None:
        if not trusted:
            # an import run by a coder never creates a reviewer (nor the gold layer): a role a
            # file declares is taken only from a reviewer's (or the project lead's) import
            if name_key(name) == GOLD_CODER or role == GOLD_CODER:
                raise ValueError(
                    f"coder {name}: gold annotations can only be imported by a reviewer"
                )
            role = "coder"
        role = role or ("gold" if name_key(name) == GOLD_CODER else "coder")
        new_id = inserted_id(conn.execute(coder_t.insert().values(name=name, role=role)))
        cache_[key] = int(new_id)
    else:
        cache_[key] = row[0]
    return cache_[key]


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
        report_id = insert_report(conn, rec)
        result = StoreResult(r["id"], True)
    else:
        report_id = int(existing[0])
        result = StoreResult(str(existing[1]), False)
    for ann in rec.annotations:
        coder_id = _coder_id(conn, ann["coder"], ann.get("role"), coder_cache, trusted)
        if _store_annotation(conn, report_id, coder_id, ann, codebook_id,
                             new_report=result.report_added):
            result.coders_added.append(ann["coder"])
        else:
            result.coders_unchanged.append(ann["coder"])
    store_decisions(conn, report_id, rec.decisions, trusted)
    return result


def insert_report(conn: Connection, rec: ParsedRecord) -> int:
    """Insert the report of ``rec`` (the caller checked it is new); its id."""
    r = rec.report
    return int(inserted_id(conn.execute(report_t.insert().values(
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
    ))))


def store_decisions(
    conn: Connection, report_id: int, decisions: list[dict[str, Any]], trusted: bool
) -> int:
    """Add the reviewers' decisions the report has none for yet (by item); how many were added.
    A decision already there stays as it is. Only a reviewer's or the lead's import may bring
    decisions (a ValueError otherwise), as for gold annotations."""
    if not decisions:
        return 0
    if not trusted:
        raise ValueError("reviewer decisions can only be imported by a reviewer")
    d = decision_t
    have = set(conn.execute(select(d.c.item_key).where(d.c.report_id == report_id)).scalars())
    rows = [
        {
            "report_id": report_id,
            "item_key": x["item_key"],
            "kind": x["kind"],
            "action": x["action"],
            "coder": x.get("coder"),
            "decided_by": x["decided_by"],
            "decided_at": _parse_time(x.get("decided_at")) or utcnow(),
            "rationale": x.get("rationale"),
        }
        for x in decisions
        if x["item_key"] not in have
    ]
    if rows:
        conn.execute(d.insert(), rows)
    return len(rows)


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
        self._locked: set[int] | None = None  # the project's locked reports, read once

    def _is_locked(self, report_id: int) -> bool:
        if self._locked is None:
            self._locked = locked_reports(self.conn)
        return report_id in self._locked

    def _report_id(self, sha: str) -> int | None:
        if sha not in self.report_ids:
            row = self.conn.execute(select(report_t.c.id).where(report_t.c.sha256 == sha)).first()
            self.report_ids[sha] = None if row is None else int(row[0])
        return self.report_ids[sha]

    def _coder(self, name: str) -> int | None:
        key = name_key(name)
        if key not in self.coders:
            row = find_coder(self.conn, name)
            self.coders[key] = None if row is None else row[0]
        return self.coders[key]

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
        if rec.decisions and not self.trusted:
            raise ValueError("reviewer decisions can only be imported by a reviewer")
        for ann in rec.annotations:
            name = ann["coder"]
            coder_id = self._coder(name)
            if coder_id is None and not self.trusted and GOLD_CODER in (name_key(name), ann.get("role")):
                raise ValueError(f"coder {name}: gold annotations can only be imported by a reviewer")
            key = (sha, name_key(name))
            has = bool(ann.get("spans") or ann.get("claims"))
            if key not in self.annotations:
                current: str | None = None
                if report_id is not None and coder_id is not None:
                    block = next(annotation_blocks(self.conn, [report_id], [coder_id]), None)
                    if block is not None and block[1] and (
                        block[1][0]["spans"] or block[1][0]["claims"]
                    ):
                        current = _canonical(block[1][0])
                self.annotations[key] = current
            current = self.annotations[key]
            if (report_id is not None and name_key(name) != GOLD_CODER
                    and self._is_locked(report_id)):
                # adding work, or moving a status on: refused (a difference is refused below)
                ahead = coder_id is None or _status_ahead(self.conn, report_id, coder_id, ann)
                if (current is None and has) or (
                        (current is None or current == _canonical(ann)) and ahead):
                    raise ValueError(_locked(name))
            if current is None:
                self.annotations[key] = _canonical(ann) if has else None
            elif current != _canonical(ann):
                raise ValueError(
                    f"coder {name} already has different annotations on this report; nothing of "
                    "this file was imported (`annotator merge FILE` replaces or lists them)"
                )


def _store_annotation(
    conn: Connection, report_id: int, coder_id: int, ann: dict[str, Any], codebook_id: int,
    new_report: bool = False,
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
    locked = new_report is False and name_key(ann["coder"]) != GOLD_CODER and bool(
        locked_reports(conn, [report_id]))
    if has:
        current = next(annotation_blocks(conn, [report_id], [coder_id]), None)
        if current is not None and _canonical(current[1][0]) == _canonical(ann):
            if locked and _status_ahead(conn, report_id, coder_id, ann):
                raise ValueError(_locked(ann["coder"]))
            _merge_status(conn, report_id, coder_id, ann.get("status", "todo"))
            return False
        raise ValueError(
            f"coder {ann['coder']} already has different annotations on this report; "
            "nothing of this file was imported (`annotator merge FILE` replaces or lists them)"
        )
    if locked and (ann.get("spans") or ann.get("claims")
                   or _status_ahead(conn, report_id, coder_id, ann)):
        raise ValueError(_locked(ann["coder"]))
    _merge_status(conn, report_id, coder_id, ann.get("status", "todo"))
    insert_annotation(conn, report_id, coder_id, ann, codebook_id)
    return True


def _locked(coder: str) -> str:
    return (f"the report is locked (its gold version is done), so coder {coder}'s annotations "
            "cannot be added or changed there; nothing of this file was imported (a reviewer "
            "or the lead can unlock it: annotator assign --unlock ID; `annotator merge FILE` "
            "merges the other reports and lists this one)")


def _status_ahead(conn: Connection, report_id: int, coder_id: int, ann: dict[str, Any]) -> bool:
    """The file's status for the coder is further along than the stored one."""
    a = assignment_t
    old = conn.execute(select(a.c.status).where(a.c.report_id == report_id,
                                                a.c.coder_id == coder_id)).scalar()
    stored = None if old is None else str(old)
    return _later_status(stored, ann.get("status", "todo")) != stored


def insert_annotation(
    conn: Connection, report_id: int, coder_id: int, ann: dict[str, Any], codebook_id: int
) -> None:
    """Insert one coder's spans and claims (with their slots and provenance) on one report."""
    now = utcnow()
    span_ids = _insert_spans(conn, report_id, coder_id, ann.get("spans", []), codebook_id, now)
    _insert_claims(conn, report_id, coder_id, ann.get("claims", []), span_ids, codebook_id, now)


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
        span_t.insert().returning(span_t.c.id, span_t.c.key), rows  # matched by key: any order
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
        claim_t.insert().returning(claim_t.c.id, claim_t.c.key), rows  # matched by key
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


# the names the merge (annotator.core.merge) builds on
coder_id_for = _coder_id
canonical = _canonical
merge_status = _merge_status
later_status = _later_status
