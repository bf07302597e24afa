"""Reads for the window and the command line (SQLAlchemy Core; one query per view)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import bindparam, exists, func, null, or_, select, text
from sqlalchemy.engine import Connection

from annotator.core.codebook import NOT_REPORTED
from annotator.core.give_way import give_way
from annotator.core.models import (
    assignment_t,
    claim_t,
    coder_t,
    report_t,
    slot_fill_t,
    span_t,
)

__all__ = [
    "ClaimRow",
    "CoderRow",
    "ReportDetail",
    "ReportRow",
    "SpanRow",
    "claim_rows",
    "patch_claims",
    "coder_rows",
    "report_detail",
    "report_rows",
    "span_rows",
    "status",
]


@dataclass(frozen=True)
class ReportRow:
    id: int
    external_id: str
    title: str
    published: str | None
    length: int | None  # code points (None when not read: report_rows(lengths=False))
    statuses: dict[str, str] = field(default_factory=dict)  # coder name -> status
    spans: int = 0  # of the coder asked about (report_rows(coder_id=...)), else 0
    claims: int = 0


@dataclass(frozen=True)
class CoderRow:
    id: int
    name: str
    role: str
    counts: dict[str, int]  # status -> number of reports


@dataclass(frozen=True)
class ReportDetail:
    id: int
    external_id: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    language: str | None
    text: str
    meta: dict[str, Any]
    reference_date: str | None = None  # overrides published for relative dates
    sha256: str | None = None  # the text's checksum as stored (integrity.loaded_report_problems)


class SpanRow(NamedTuple):
    """One span (a named tuple: 10,000 of them are built when a long report opens)."""

    id: int
    key: str
    type: str
    start: int  # code points
    end: int  # code points, exclusive
    text: str
    attributes: dict[str, Any]
    version: int = 1  # pass as expected_version to commands: refused if the span changed since


@dataclass(frozen=True)
class ClaimRow:
    id: int
    key: str
    type: str
    attributes: dict[str, Any]
    slots: dict[str, list[int] | str]  # slot -> span ids, or "not_reported"
    version: int = 1  # as SpanRow.version (slot changes count too)


def report_rows(
    conn: Connection,
    *,
    coder_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    scope: Any = None,
    ids: Sequence[int] | None = None,
    lengths: bool = True,
) -> list[ReportRow]:
    """Reports in id order with every coder's status; filters by one coder's status and by text.

    A report without an assignment for ``coder_id`` counts as "todo" for that coder. ``scope``
    (a ``team.QueueScope``) keeps the reports assigned to its coder, and with ``pool`` those no
    coder is assigned to: a coder's queue in a project with assignments. ``ids`` keeps only
    those reports (a short list: the reports with flagged spans). Without ``lengths`` the
    rows' ``length`` is None: counting a text's characters reads all of it (a page of 1 MB
    reports is a read of 256 MB; the window's queue reads one report's length for its tooltip).
    """
    r, a = report_t, assignment_t
    size = func.length(r.c.text) if lengths else null()
    q = select(r.c.id, r.c.external_id, r.c.title, r.c.published, size).order_by(r.c.id)
    if scope is not None:
        # EXISTS, probed per report in id order: a page reads about PAGE / (the coder's share)
        # reports whatever the project's size (IN (SELECT ...) collected every report assigned
        # to the coder first: 110 ms at 50,000 reports against 2 ms)
        assigned = exists().where(a.c.report_id == r.c.id, a.c.coder_id == scope.coder_id)
        if scope.pool:
            anyone = exists().where(a.c.report_id == r.c.id, coder_t.c.id == a.c.coder_id,
                                    coder_t.c.role != "gold")
            q = q.where(or_(assigned, ~anyone))
        else:
            q = q.where(assigned)
    if ids is not None:
        q = q.where(r.c.id.in_(sorted(set(ids))))
    if search:
        like = f"%{search}%"
        q = q.where(or_(r.c.title.ilike(like), r.c.text.ilike(like), r.c.external_id.ilike(like)))
    if coder_id is not None and status is not None:
        mine = (
            select(a.c.report_id)
            .where(a.c.coder_id == coder_id, a.c.status != "todo")
            .scalar_subquery()
        )
        if status == "todo":
            q = q.where(r.c.id.not_in(mine))
        else:
            q = q.where(
                r.c.id.in_(
                    select(a.c.report_id).where(a.c.coder_id == coder_id, a.c.status == status)
                )
            )
    if limit is not None:
        q = q.limit(limit).offset(offset)
    rows = conn.execute(q).all()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    sq = (
        select(a.c.report_id, coder_t.c.name, a.c.status)
        .join(coder_t, coder_t.c.id == a.c.coder_id)
        .order_by(coder_t.c.name)
    )
    if limit is not None:  # a page: its ids as parameters (a few hundred at most)
        sq = sq.where(a.c.report_id.in_(ids))
    else:  # every report (or every match): no list of ids, SQLite allows only 32,766 parameters
        sq = sq.where(a.c.report_id.in_(q.with_only_columns(r.c.id).order_by(None)))
    for rid, name, st in conn.execute(sq):
        statuses[int(rid)][str(name)] = str(st)
    span_counts: dict[int, int] = {}
    claim_counts: dict[int, int] = {}
    if coder_id is not None:
        for table, counts in ((span_t, span_counts), (claim_t, claim_counts)):
            cq = (
                select(table.c.report_id, func.count())
                .where(table.c.coder_id == coder_id)
                .group_by(table.c.report_id)
            )
            if limit is not None:
                cq = cq.where(table.c.report_id.in_(ids))
            counts.update((int(rid), int(n)) for rid, n in conn.execute(cq))
    return [
        ReportRow(
            int(i),
            str(e),
            str(t),
            p,
            int(n or 0) if lengths else None,
            statuses.get(int(i), {}),
            span_counts.get(int(i), 0),
            claim_counts.get(int(i), 0),
        )
        for i, e, t, p, n in rows
    ]


def report_length(conn: Connection, report_id: int) -> int:
    """The length of one report's text in code points (0 for a report that is gone)."""
    n = conn.execute(select(func.length(report_t.c.text)).where(report_t.c.id == report_id)
                     ).scalar_one_or_none()
    return int(n or 0)


def report_names(conn: Connection) -> dict[int, str]:
    r = report_t
    return {int(i): str(e) for i, e in conn.execute(select(r.c.id, r.c.external_id))}


def coder_row(conn: Connection, coder_id: int, counts: bool = True) -> CoderRow | None:
    """One coder with their own counts (coder_rows counts every coder's assignments); without
    ``counts``, name and role only (the counts are a scan of the coder's assignments)."""
    row = conn.execute(
        select(coder_t.c.id, coder_t.c.name, coder_t.c.role).where(coder_t.c.id == coder_id)
    ).first()
    if row is None:
        return None
    return CoderRow(int(row[0]), str(row[1]), str(row[2]),
                    status_counts(conn, coder_id) if counts else {})


def status_counts(conn: Connection, coder_id: int) -> dict[str, int]:
    """One coder's assignments per status (a grouped count over that coder's rows only)."""
    a = assignment_t
    return {str(st): int(n) for st, n in conn.execute(
        select(a.c.status, func.count()).where(a.c.coder_id == coder_id).group_by(a.c.status))}


def report_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(report_t)).scalar_one())


def coder_rows(conn: Connection, with_counts: bool = False) -> list[CoderRow]:
    a = assignment_t
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if with_counts:
        for cid, st, n in conn.execute(
            select(a.c.coder_id, a.c.status, func.count()).group_by(a.c.coder_id, a.c.status)
        ):
            counts[int(cid)][str(st)] = int(n)
    rows = conn.execute(
        select(coder_t.c.id, coder_t.c.name, coder_t.c.role).order_by(coder_t.c.name)
    )
    return [CoderRow(int(i), str(n), str(role), counts.get(int(i), {})) for i, n, role in rows]


def report_detail(conn: Connection, report_id: int) -> ReportDetail:
    r = report_t
    row = conn.execute(select(r).where(r.c.id == report_id)).mappings().first()
    if row is None:
        raise KeyError(f"report {report_id} does not exist")
    return ReportDetail(
        int(row["id"]),
        row["external_id"],
        row["title"],
        row["source"],
        row["url"],
        row["published"],
        row["language"],
        row["text"],
        row["meta"] or {},
        row["reference_date"],
        row["sha256"],
    )


_SPAN_ROWS_SQL = (
    'SELECT id, "key", type, start, "end", text, attributes, version FROM span '
    'WHERE report_id = ? AND coder_id = ? ORDER BY start, "end", id'
)
# the same read for other databases: named parameters, and the JSON as text (psycopg would
# decode it into a dict, SQLite's driver gives the text)
_SPAN_ROWS_PORTABLE = text(
    'SELECT id, "key", type, start, "end", text, CAST(attributes AS TEXT), version FROM span '
    'WHERE report_id = :report_id AND coder_id = :coder_id ORDER BY start, "end", id'
)


_SPAN_CHUNK = 1000  # rows read between two of a background reader's checkpoints (give_way)


def span_rows(conn: Connection, report_id: int, coder_id: int) -> list[SpanRow]:
    """One coder's spans on one report, in text order.

    The hot read of the window (a 10,000-span report opens with it): plain SQL through the
    driver, attributes decoded only when there are any. Read by a background thread (the
    read-ahead), it gives way to the window's thread every :data:`_SPAN_CHUNK` rows while the
    window handles a key (a 10,000-span read is some 30 ms of Python).
    """
    loads = json.loads
    fetch: Callable[[int], Sequence[Any]]
    if conn.dialect.name == "sqlite":
        # straight through the driver's cursor: plain tuples, no per-row result processing
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        fetch = cursor.execute(_SPAN_ROWS_SQL, (report_id, coder_id)).fetchmany
    else:
        fetch = conn.execute(
            _SPAN_ROWS_PORTABLE, {"report_id": report_id, "coder_id": coder_id}
        ).fetchmany
    out: list[SpanRow] = []
    while True:
        rows = fetch(_SPAN_CHUNK)
        out += [SpanRow(i, k, t, a, b, x, loads(at) if at and at != "{}" else {}, v)
                for i, k, t, a, b, x, at, v in rows]
        if len(rows) < _SPAN_CHUNK:
            return out
        give_way()


_CLAIMS = (select(claim_t.c.id, claim_t.c.key, claim_t.c.type, claim_t.c.attributes, claim_t.c.version)
           .where(claim_t.c.report_id == bindparam("r"), claim_t.c.coder_id == bindparam("c"))
           .order_by(claim_t.c.id))
_FILLS = (select(slot_fill_t.c.claim_id, slot_fill_t.c.slot, slot_fill_t.c.span_id,
                 slot_fill_t.c.not_reported)
          .join(claim_t, claim_t.c.id == slot_fill_t.c.claim_id)
          .where(claim_t.c.report_id == bindparam("r"), claim_t.c.coder_id == bindparam("c"))
          .order_by(slot_fill_t.c.claim_id, slot_fill_t.c.slot, slot_fill_t.c.position,
                    slot_fill_t.c.id))
# some claims with their fills in one statement (the window after its own change of a claim)
_CLAIMS_OF = (select(claim_t.c.id, claim_t.c.key, claim_t.c.type, claim_t.c.attributes,
                     claim_t.c.version, slot_fill_t.c.slot, slot_fill_t.c.span_id,
                     slot_fill_t.c.not_reported)
              .select_from(claim_t.outerjoin(slot_fill_t, slot_fill_t.c.claim_id == claim_t.c.id))
              .where(claim_t.c.id.in_(bindparam("ids", expanding=True)),
                     claim_t.c.report_id == bindparam("r"), claim_t.c.coder_id == bindparam("c"))
              .order_by(claim_t.c.id, slot_fill_t.c.slot, slot_fill_t.c.position, slot_fill_t.c.id))


def _add_fill(entry: dict[str, list[int] | str], slot: str, span_id: Any, nr: Any) -> None:
    if nr:
        entry[slot] = NOT_REPORTED
    else:
        current = entry.setdefault(slot, [])
        if isinstance(current, list):
            current.append(int(span_id))


def claim_rows(conn: Connection, report_id: int, coder_id: int) -> list[ClaimRow]:
    """The coder's claims of the report with their slots, in id order."""
    where = {"r": report_id, "c": coder_id}
    claims = conn.execute(_CLAIMS, where).all()
    slots: dict[int, dict[str, list[int] | str]] = defaultdict(dict)
    for cid, slot, span_id, nr in conn.execute(_FILLS, where):
        _add_fill(slots[int(cid)], slot, span_id, nr)
    return [
        ClaimRow(int(i), k, t, at or {}, slots.get(int(i), {}), int(v))
        for i, k, t, at, v in claims
    ]


def patch_claims(conn: Connection, report_id: int, coder_id: int, claims: Sequence[ClaimRow],
                 changed: set[int]) -> list[ClaimRow]:
    """``claims`` (the coder's claims of the report, in id order) after a change naming the
    claims ``changed``: only those are read again (one statement, whatever the report holds);
    the ones gone are dropped, new ones take their place in id order."""
    if not changed:
        return list(claims)
    if len(changed) > 500:  # a bulk change: the whole read is as cheap
        return claim_rows(conn, report_id, coder_id)
    rows: dict[int, ClaimRow] = {}
    where = {"ids": sorted(changed), "r": report_id, "c": coder_id}
    for i, k, t, at, v, slot, span_id, nr in conn.execute(_CLAIMS_OF, where):
        row = rows.get(int(i))
        if row is None:
            row = rows[int(i)] = ClaimRow(int(i), k, t, at or {}, {}, int(v))
        if slot is not None:
            _add_fill(row.slots, slot, span_id, nr)
    out = [c for c in claims if c.id not in changed] + list(rows.values())
    out.sort(key=lambda c: c.id)
    return out


# built once: the window reads a status after the first change of each report
_STATUS = select(assignment_t.c.status).where(assignment_t.c.report_id == bindparam("r"),
                                              assignment_t.c.coder_id == bindparam("c"))


def status(conn: Connection, report_id: int, coder_id: int) -> str:
    found = conn.execute(_STATUS, {"r": report_id, "c": coder_id}).scalar_one_or_none()
    return str(found) if found else "todo"
