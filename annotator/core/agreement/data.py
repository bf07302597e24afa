"""Plain data the agreement functions work on, and how to read it from a project."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.gcpause import without_gc
from annotator.core.models import assignment_t, claim_t, coder_t, report_t, slot_fill_t

__all__ = ["ClaimItem", "Dataset", "DatasetSource", "ProjectSource", "SpanItem", "load_dataset"]

#: up to this many reports asked for are read by their ids in SQL (a batch, one report); more
#: are read with the rest and picked out here
_IN_SQL = 2000


class SpanItem(NamedTuple):
    """One coder's span (a named tuple: a big project loads hundreds of thousands)."""

    report: str
    coder: str
    id: str
    type: str
    start: int
    end: int
    text: str
    attributes: Mapping[str, Any] = {}  # noqa: RUF012 (never mutated)


@dataclass(frozen=True)
class ClaimItem:
    report: str
    coder: str
    id: str
    type: str
    slots: Mapping[str, tuple[str, ...] | str]  # span ids, or "not_reported"
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Dataset:
    codebook: Codebook
    report_lengths: Mapping[str, int]  # report id -> length of its text (code points)
    done: Mapping[str, frozenset[str]]  # report id -> coders who marked it done
    spans: Sequence[SpanItem]
    claims: Sequence[ClaimItem] = ()
    titles: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Meta:
    """What agreement reads of a project before its spans: the coders and reports compared."""

    names: dict[int, str]  # coder id -> name
    ext: dict[int, str]  # report id -> external id
    lengths: dict[str, int]
    titles: dict[str, str]
    done: dict[str, frozenset[str]]
    only: list[int] | None  # a few reports asked for: their rows only


def _meta(conn: Connection, coders: Sequence[str] | None,
          reports: Sequence[str] | None) -> _Meta:
    names = {int(i): str(n) for i, n, role in conn.execute(
        select(coder_t.c.id, coder_t.c.name, coder_t.c.role)) if coders is not None or role != "gold"}
    if coders is not None:
        wanted = set(coders)
        missing = wanted - set(names.values())
        if missing:
            raise ValueError(f"no coder named {', '.join(sorted(missing))} in this project")
        names = {i: n for i, n in names.items() if n in wanted}
    # lengths, not texts: the whole project's text is never held for agreement
    rq = select(report_t.c.id, report_t.c.external_id, report_t.c.title,
                func.length(report_t.c.text))
    if reports is not None and len(reports) <= _IN_SQL:
        rq = rq.where(report_t.c.external_id.in_(list(reports)))
    rows = conn.execute(rq).all()
    ext = {int(r[0]): str(r[1]) for r in rows}
    if reports is not None:
        keep = set(reports)
        unknown = keep - set(ext.values())
        if unknown:
            raise ValueError(f"no report with id {', '.join(sorted(unknown)[:5])} in this project")
        ext = {i: e for i, e in ext.items() if e in keep}
    # a few reports (a batch, one report's decision): their rows only, not the project's
    only = sorted(ext) if reports is not None and len(ext) <= _IN_SQL else None
    lengths = {ext[int(r[0])]: int(r[3] or 0) for r in rows if int(r[0]) in ext}
    titles = {ext[int(r[0])]: str(r[2]) for r in rows if int(r[0]) in ext}
    done: dict[str, set[str]] = {}
    aq = select(assignment_t.c.report_id, assignment_t.c.coder_id, assignment_t.c.status)
    if only is not None:
        aq = aq.where(assignment_t.c.report_id.in_(only))
    for rid, cid, st in conn.execute(aq):
        if st == "done" and int(rid) in ext and int(cid) in names:
            done.setdefault(ext[int(rid)], set()).add(names[int(cid)])
    return _Meta(names, ext, lengths, titles, {k: frozenset(v) for k, v in done.items()}, only)


def _read(conn: Connection, meta: _Meta, only: Sequence[int] | None,
          in_order: bool = False) -> tuple[list[SpanItem], list[ClaimItem]]:
    """The spans and claims of ``meta``'s coders on ``only`` (report ids; None: every report
    of ``meta``). ``in_order``: in the order of their ids (the order of a whole-table read)."""
    ext, names = meta.ext, meta.names
    spans = []
    keys: dict[int, str] = {}
    loads = json.loads
    # raw rows: attributes decoded only when there are any (most spans of a big project have few)
    # attributes as JSON text on every database (psycopg would decode them into unhashable dicts)
    sqlite = conn.dialect.name == "sqlite"
    where = "" if only is None else f" WHERE report_id IN ({', '.join(map(str, only))})"
    sql = ('SELECT id, report_id, coder_id, "key", type, start, "end", text, '
           f"{'attributes' if sqlite else 'CAST(attributes AS TEXT)'} FROM span{where}")
    if sqlite:  # plain tuples straight from the driver
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        span_rows = cursor.execute(sql).fetchall()
    else:
        span_rows = conn.exec_driver_sql(sql).fetchall()
    if in_order:
        span_rows.sort(key=lambda row: int(row[0]))
    decoded: dict[str, Mapping[str, Any]] = {}
    empty: Mapping[str, Any] = {}
    for sid, rid, cid, key, t, a, b, x, at in span_rows:
        if rid in ext and cid in names:
            keys[sid] = key
            if not at or at == "{}":
                attrs = empty
            else:
                attrs = decoded.get(at)  # type: ignore[assignment]
                if attrs is None:
                    attrs = decoded[at] = loads(at)
            spans.append(SpanItem(ext[rid], names[cid], key, t, a, b, x, attrs))
    del span_rows, decoded
    fills: dict[int, dict[str, Any]] = {}
    fq = select(slot_fill_t.c.claim_id, slot_fill_t.c.slot, slot_fill_t.c.span_id,
                slot_fill_t.c.not_reported).order_by(slot_fill_t.c.claim_id, slot_fill_t.c.position)
    cq = select(claim_t.c.id, claim_t.c.report_id, claim_t.c.coder_id, claim_t.c.key,
                claim_t.c.type, claim_t.c.attributes)
    if only is not None:
        fq = fq.where(slot_fill_t.c.claim_id.in_(
            select(claim_t.c.id).where(claim_t.c.report_id.in_(only))))
        cq = cq.where(claim_t.c.report_id.in_(only))
    if in_order:
        cq = cq.order_by(claim_t.c.id)
    for cl, slot, sid, nr in conn.execute(fq):
        entry = fills.setdefault(int(cl), {})
        if nr:
            entry[str(slot)] = NOT_REPORTED
        elif sid is not None and int(sid) in keys:
            current = entry.setdefault(str(slot), [])
            if isinstance(current, list):
                current.append(keys[int(sid)])
    claims = []
    for cl, rid, cid, key, t, at in conn.execute(cq):
        if int(rid) in ext and int(cid) in names:
            slots = {k: (v if isinstance(v, str) else tuple(v))
                     for k, v in fills.get(int(cl), {}).items()}
            claims.append(ClaimItem(ext[int(rid)], names[int(cid)], str(key), str(t), slots,
                                    at or {}))
    return spans, claims


@without_gc
def load_dataset(
    conn: Connection,
    codebook: Codebook,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
) -> Dataset:
    """Read the spans and claims of ``coders`` (default: every coder except gold) on
    ``reports`` (default: all) with SQLAlchemy Core."""
    meta = _meta(conn, coders, reports)
    spans, claims = _read(conn, meta, meta.only)
    return Dataset(codebook, meta.lengths, meta.done, spans, claims, meta.titles)


class ProjectSource:
    """A project's agreement data read a chunk of reports at a time (agreement.run): what is
    held at once is one chunk's spans and claims, whatever the project's size."""

    def __init__(self, conn: Connection, codebook: Codebook, coders: Sequence[str] | None = None,
                 reports: Sequence[str] | None = None, chunk: int = 500) -> None:
        self.conn = conn
        self.codebook = codebook
        self.meta = _meta(conn, coders, reports)
        self.report_lengths: Mapping[str, int] = self.meta.lengths
        self.done: Mapping[str, frozenset[str]] = self.meta.done
        self.chunk = chunk
        self._restricted = reports is not None
        self._rid = {e: i for i, e in self.meta.ext.items()}

    def coders(self) -> set[str]:
        """The compared coders with a span or a claim on the reports compared."""
        ids = None if not self._restricted else sorted(self.meta.ext)
        parts: list[list[int] | None] = [None] if ids is None else \
            [ids[k:k + _IN_SQL] for k in range(0, len(ids), _IN_SQL)]
        found: set[int] = set()
        for table in ("span", "claim"):
            for part in parts:
                where = "" if part is None else \
                    f" WHERE report_id IN ({', '.join(map(str, part))})"
                found.update(int(c) for (c,) in self.conn.exec_driver_sql(
                    f"SELECT DISTINCT coder_id FROM {table}{where}"))
        return {self.meta.names[c] for c in found if c in self.meta.names}

    def chunks(self, reports: Sequence[str]) -> Iterator[
            tuple[list[str], list[SpanItem], list[ClaimItem]]]:
        """``reports`` (external ids) in their order, a chunk at a time, with their spans and
        claims in the order of their ids."""
        for k in range(0, len(reports), self.chunk):
            part = list(reports[k:k + self.chunk])
            spans, claims = _read(self.conn, self.meta, sorted(self._rid[r] for r in part),
                                  in_order=True)
            yield part, spans, claims
            del spans, claims
            gc.collect()  # the callers pause the collector: what a chunk's reads left in cycles


class DatasetSource:
    """A Dataset already in memory as agreement.run's source: one chunk, every report."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.codebook = data.codebook
        self.report_lengths = data.report_lengths
        self.done = data.done

    def coders(self) -> set[str]:
        return {s.coder for s in self.data.spans} | {c.coder for c in self.data.claims}

    def chunks(self, reports: Sequence[str]) -> Iterator[
            tuple[list[str], list[SpanItem], list[ClaimItem]]]:
        yield list(reports), list(self.data.spans), list(self.data.claims)
