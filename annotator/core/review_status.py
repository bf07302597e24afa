"""``adjudicate --status``: per report, how many review items, disagreements and open ones.

The figures are ``review.review_summary(review.review_items(...))`` (a test compares the two on
generated projects), computed without building the review items: at 50,000 reports x 3 coders x
30 spans (issue 16) the items' reading and checking took 7x the plain SQL reading the same rows.

- A batch of reports at a time (``_BATCH``): memory is one batch's whatever the project's size.
- Only the columns the figures need, as plain tuples from the driver (no span texts).
- A span's attributes stay JSON text until two versions with different texts are compared
  (``RawAttributes``): most aligned versions store the same text, or differ already in type,
  offsets or coder, and are never decoded.
- Whether an item disagrees stops at its first problem (``review.span_problems`` and
  ``review.claim_problems`` yield them cheapest first); a decision's key is made only on a report
  that has decisions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.agreement.align import align_claims, align_rest
from annotator.core.agreement.data import ClaimItem, SpanItem
from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.gcpause import without_gc
from annotator.core.models import coder_t, decision_t, report_t
from annotator.core.review import claim_problems, compared_coders, item_key, span_problems

__all__ = ["RawAttributes", "review_status"]

#: reports read and aligned at a time
_BATCH = 500


class RawAttributes(Mapping[str, Any]):
    """A span's attributes as stored (JSON text), decoded on first use. Two with the same text
    are equal without decoding; otherwise they compare as the decoded values do."""

    __slots__ = ("_value", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._value: dict[str, Any] | None = None

    def value(self) -> dict[str, Any]:
        if self._value is None:
            self._value = json.loads(self.raw) if self.raw else {}
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self.value()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.value().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.value())

    def __len__(self) -> int:
        return len(self.value())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RawAttributes):
            return self.raw == other.raw or self.value() == other.value()
        return self.value() == other

    __hash__ = None  # type: ignore[assignment]  # (as a dict's)



def review_status(
    conn: Connection,
    codebook: Codebook,
    report_ids: Sequence[int] | None = None,
    coders: Sequence[str] | None = None,
) -> Iterator[tuple[int, tuple[int, int, int]]]:
    """(report id, (items, disagreements, disagreements still open)) for ``report_ids``
    (default: every report, by external id) that exist, in that order; ``coders`` default to
    :func:`review.compared_coders`. ValueError names a coder the project does not have."""
    if report_ids is None:
        order = [int(i) for _, i in sorted(
            (str(e), int(i)) for i, e in conn.execute(select(report_t.c.id, report_t.c.external_id)))]
    else:
        order = list(report_ids)
    chosen = list(coders) if coders else compared_coders(conn)
    names = {int(i): str(n) for i, n in conn.execute(select(coder_t.c.id, coder_t.c.name))
             if str(n) in set(chosen)}
    missing = set(chosen) - set(names.values())
    if missing:
        raise ValueError(f"no coder named {', '.join(sorted(missing))} in this project")
    for lo in range(0, len(order), _BATCH):
        yield from _batch(conn, codebook, order[lo:lo + _BATCH], sorted(chosen), names)


@without_gc
def _batch(
    conn: Connection, cb: Codebook, rids: Sequence[int], chosen: Sequence[str],
    names: Mapping[int, str],
) -> list[tuple[int, tuple[int, int, int]]]:
    ids = ", ".join(str(int(i)) for i in rids) or "NULL"
    ext = {int(i): str(e) for i, e in conn.execute(
        select(report_t.c.id, report_t.c.external_id).where(report_t.c.id.in_(list(rids))))}
    rows_by, keys = _spans(conn, ids, names)
    claims_by = _claims(conn, ids, ext, names, keys)
    decided: dict[int, set[str]] = defaultdict(set)
    for rid, key in conn.execute(select(decision_t.c.report_id, decision_t.c.item_key).where(
            decision_t.c.report_id.in_(list(rids)))):
        decided[int(rid)].add(str(key))
    n_chosen = len(set(chosen))
    return [(rid, _figures(ext[rid], rows_by.get(rid, []), claims_by.get(rid), chosen, n_chosen,
                           cb, decided.get(rid)))
            for rid in rids if rid in ext]


def _figures(
    report: str, rows: Sequence[_Row], claims: Sequence[ClaimItem] | None,
    chosen: Sequence[str], n_chosen: int, cb: Codebook, decided: set[str] | None,
) -> tuple[int, int, int]:
    """(items, disagreements, open) of one report from its span rows and claims."""
    # align_spans' fast path on the rows themselves: a place where every coder of the report
    # has one span with the same offsets and type is a group (agreed when every compared coder
    # is among them and the attribute texts are the same); the rest are aligned as SpanItems
    same: dict[tuple[int, int, str], list[_Row]] = defaultdict(list)
    for r in rows:
        same[(r[4], r[5], r[3])].append(r)
    n_coders = len({r[0] for r in rows})
    rest: list[SpanItem] = []
    group_of: dict[tuple[str, str], int] = {}
    n = disagreements = still_open = 0
    open_groups: set[int] = set()
    for items in same.values():
        if n_coders > 1 and len(items) == n_coders and len({r[0] for r in items}) == n_coders:
            n += 1
            for r in items:
                group_of[(r[0], r[1])] = -n
            first = items[0][6]
            if n_coders >= n_chosen and all(r[6] == first for r in items):
                continue
            members = {r[0]: _item(report, r, decoded=True) for r in items}
            if n_coders >= n_chosen and next(span_problems(members, chosen, cb), None) is None:
                continue
            disagreements += 1
            if not decided or item_key("span", members) not in decided:
                still_open += 1
                open_groups.add(-n)
        else:
            rest.extend(_item(report, r) for r in items)
    for g in align_rest(rest, report):
        n += 1
        for c, sp in g.members.items():
            group_of[(c, sp.id)] = g.id
        if _span_disagrees(g.members, n_chosen, chosen, cb):
            disagreements += 1
            if not decided or item_key("span", g.members) not in decided:
                still_open += 1
                open_groups.add(g.id)
    for cg in align_claims(claims or (), group_of):
        n += 1
        bad = next(claim_problems(cg.members, chosen, cb, group_of), None) is not None
        if not bad and open_groups:  # evidence_open: its spans are to be decided first
            bad = any(group_of.get((c, sid)) in open_groups for c, cl in cg.members.items()
                      for v in cl.slots.values() if not isinstance(v, str) for sid in v)
        if bad:
            disagreements += 1
            if not decided or item_key("claim", cg.members) not in decided:
                still_open += 1
    return n, disagreements, still_open


def _item(report: str, r: _Row, decoded: bool = False) -> SpanItem:
    """The row as a SpanItem (no text), its attributes decoded now or on first use."""
    return SpanItem(report, r[0], r[1], r[3], r[4], r[5], "",
                    json.loads(r[6]) if decoded else RawAttributes(r[6]))


def _span_disagrees(
    members: Mapping[str, SpanItem], n_chosen: int, chosen: Sequence[str], cb: Codebook
) -> bool:
    """Whether ``review.span_problems`` finds any, the common cases decided without it: a
    compared coder missing (``members`` holds compared coders only), another type or other
    offsets, or the same attribute text in every version."""
    if len(members) < n_chosen:
        return True
    items = iter(members.values())
    first = next(items)
    same_text = True
    for s in items:
        if s.type != first.type or s.start != first.start or s.end != first.end:
            return True
        if s.attributes != first.attributes:  # (RawAttributes: the texts first)
            same_text = False
    return not same_text and next(span_problems(members, chosen, cb), None) is not None


#: a span as read: (coder name, key, id, type, start, end, attribute JSON text, report id)
_Row = tuple[str, str, int, str, int, int, str, int]


def _spans(
    conn: Connection, ids: str, names: Mapping[int, str]
) -> tuple[dict[int, list[_Row]], dict[int, str]]:
    """The compared coders' spans of the batch per report id (no texts, attributes as JSON
    text), and every such span's key by its row id (for the slot fills)."""
    text = "s.attributes" if conn.dialect.name == "sqlite" else "CAST(s.attributes AS TEXT)"
    coders = ", ".join(str(int(i)) for i in names) or "NULL"
    rows_by: dict[int, list[_Row]] = defaultdict(list)
    keys: dict[int, str] = {}
    # the rows as the driver makes them, coder names joined in SQL: nothing rebuilt per span
    for row in _rows(conn, f'SELECT c.name, s."key", s.id, s.type, s.start, s."end", '
                           f"COALESCE({text}, '{{}}'), s.report_id FROM span s "
                           f"JOIN coder c ON c.id = s.coder_id WHERE s.report_id IN ({ids}) "
                           f"AND s.coder_id IN ({coders})"):
        keys[row[2]] = row[1]
        rows_by[row[7]].append(row)
    return rows_by, keys


def _rows(conn: Connection, sql: str) -> list[Any]:
    """Plain tuples straight from the driver (SQLite) or through SQLAlchemy's raw execution."""
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        return cursor.execute(sql).fetchall()  # type: ignore[no-any-return]
    return list(conn.exec_driver_sql(sql).fetchall())


def _claims(
    conn: Connection, ids: str, ext: Mapping[int, str], names: Mapping[int, str],
    keys: Mapping[int, str],
) -> dict[int, list[ClaimItem]]:
    """The compared coders' claims of the batch per report id, slots as span keys (as
    ``agreement.load_dataset`` reads them)."""
    text = "attributes" if conn.dialect.name == "sqlite" else "CAST(attributes AS TEXT)"
    fills: dict[int, dict[str, Any]] = {}
    for cl, slot, sid, nr in _rows(conn, (
            "SELECT f.claim_id, f.slot, f.span_id, f.not_reported FROM slot_fill f "
            f"JOIN claim c ON c.id = f.claim_id WHERE c.report_id IN ({ids}) "
            "ORDER BY f.claim_id, f.position")):
        entry = fills.setdefault(cl, {})
        if nr:
            entry[slot] = NOT_REPORTED
        elif sid is not None and sid in keys:
            current = entry.setdefault(slot, [])
            if isinstance(current, list):
                current.append(keys[sid])
    claims_by: dict[int, list[ClaimItem]] = defaultdict(list)
    decoded: dict[str, dict[str, Any]] = {}
    for cl, rid, cid, key, t, at in _rows(conn, (
            f'SELECT id, report_id, coder_id, "key", type, {text} FROM claim '
            f"WHERE report_id IN ({ids})")):
        coder = names.get(cid)
        if coder is not None:
            slots = {k: (v if isinstance(v, str) else tuple(v))
                     for k, v in fills.get(cl, {}).items()}
            attrs = decoded.get(at) if at else {}
            if attrs is None:
                attrs = decoded[at] = json.loads(at) or {}
            claims_by[rid].append(ClaimItem(ext[rid], coder, key, t, slots, attrs))
    return claims_by
