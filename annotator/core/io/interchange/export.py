"""Writing the interchange format: every report (or some) with the annotations of some or all
coders, streamed one report at a time (memory stays flat in the number of reports).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from itertools import groupby
from typing import Any, TextIO

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import NOT_REPORTED
from annotator.core.io import textrules
from annotator.core.models import (
    assignment_t,
    claim_t,
    coder_t,
    decision_t,
    provenance_t,
    report_t,
    slot_fill_t,
    span_t,
)

__all__ = ["annotation_blocks", "export_jsonl", "iter_export"]


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


def annotation_blocks(
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
        # per statement: Connection.execution_options would leave the caller's connection
        # (a merge's write transaction) streaming every later statement through a cursor
        rows = conn.execute(q, execution_options={"yield_per": 2000})
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
    with engine.connect() as conn, engine.connect() as conn2, engine.connect() as conn3:
        blocks = annotation_blocks(conn2, report_ids, coder_ids)
        pending = next(blocks, None)
        decisions = _decisions(conn3, report_ids) if _with_decisions(conn3, coder_ids) else None
        decided = next(decisions, None) if decisions is not None else None
        for row in conn.execution_options(yield_per=500).execute(q):
            anns: list[dict[str, Any]] = []
            while pending is not None and pending[0] < row.id:
                pending = next(blocks, None)
            if pending is not None and pending[0] == row.id:
                anns = pending[1]
                pending = next(blocks, None)
            for ann in anns:
                ann["codebook"] = codebook_ref
            extra: dict[str, Any] = {}
            while decided is not None and decisions is not None and decided[0] < row.id:
                decided = next(decisions, None)
            if decided is not None and decisions is not None and decided[0] == row.id:
                extra["decisions"] = decided[1]
                decided = next(decisions, None)
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
                **extra,
            }


def _with_decisions(conn: Connection, coder_ids: Sequence[int] | None) -> bool:
    """Reviewers' decisions go with an export of every coder or of the gold layer (an export of
    some coders' own work, a coder's package, carries none)."""
    if coder_ids is None:
        return True
    gold = conn.execute(select(coder_t.c.id).where(coder_t.c.role == "gold")).scalars().all()
    return any(int(g) in coder_ids for g in gold)


def _decisions(
    conn: Connection, report_ids: Sequence[int] | None
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(report id, its decisions as interchange dicts), in report order, streamed."""
    d = decision_t
    q = select(d).order_by(d.c.report_id, d.c.id)
    if report_ids is not None:
        q = q.where(d.c.report_id.in_(report_ids))
    rows = conn.execute(q, execution_options={"yield_per": 2000}).mappings()
    for rid, group in groupby(rows, key=lambda row: int(row["report_id"])):
        out = []
        for row in group:
            item = {
                "item_key": row["item_key"],
                "kind": row["kind"],
                "action": row["action"],
                "coder": row["coder"],
                "decided_by": row["decided_by"],
                "decided_at": _format_time(row["decided_at"]),
                "rationale": row["rationale"],
            }
            out.append({k: v for k, v in item.items() if v is not None})
        yield rid, out


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
