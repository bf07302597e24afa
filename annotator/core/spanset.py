"""The coder's spans of the open report, kept in memory and patched after each change.

A window shows one report with up to 10,000 spans of one coder; every keypress that changes one
of them must not read, sort, index or diff all of them again. :class:`SpanSet` holds the rows in
text order with an id index, the spans that lack a required value, and running checksums; after
a change :func:`patch_spans` reads only the spans the change names and tells the views exactly
which rows went and came (:class:`SpanPatch`), so each view updates those rows only.

It checks itself: the count and the sums of ids, versions and offsets in the database are
compared with the running sums of the patched set (one aggregate query, no rows), and when they
differ (a change it was not told of) everything is read again and the patch says ``reset``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook
from annotator.core.queries import SpanRow, span_rows

__all__ = ["SpanPatch", "SpanSet", "patch_spans", "read_span_set"]

# a change naming more spans than this is read whole (an import, a large undo)
_PATCH_LIMIT = 500


def _order(row: SpanRow) -> tuple[int, int, int]:
    return (row.start, row.end, row.id)


def _length(row: SpanRow) -> int:
    return row.end - row.start


@dataclass
class SpanPatch:
    """What a change did to a :class:`SpanSet`: the rows that went (old versions of changed
    rows included) and the rows that came (their new versions), or ``reset`` when the set was
    read again whole (views then rebuild)."""

    removed: list[SpanRow] = field(default_factory=list)
    added: list[SpanRow] = field(default_factory=list)
    reset: bool = False

    def __bool__(self) -> bool:
        return self.reset or bool(self.removed or self.added)

    def touched(self) -> list[tuple[int, int]]:
        """(start, end) of every row that went or came."""
        return [(r.start, r.end) for r in (*self.removed, *self.added)]


class SpanSet:
    """One coder's spans of one report in text order (start, end, id), with ``by_id`` and
    ``missing`` (span id -> labels of the required values it has none stored for)."""

    def __init__(self, rows: Sequence[SpanRow], codebook: Codebook | None = None) -> None:
        self._required: dict[str, list[tuple[str, str]]] = (
            {st.id: [(a.id, a.label) for a in st.attributes if a.required] for st in codebook.span_types}
            if codebook is not None
            else {}
        )
        self.rows: list[SpanRow] = []
        self.by_id: dict[int, SpanRow] = {}
        self.missing: dict[int, list[str]] = {}
        self.longest = 0
        self._sums = [0, 0, 0, 0, 0]
        self.replace(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[SpanRow]:
        return iter(self.rows)

    def replace(self, rows: Sequence[SpanRow]) -> None:
        """Hold ``rows`` (already in text order, as :func:`span_rows` reads them)."""
        self.rows = list(rows)
        self.by_id = {r.id: r for r in self.rows}
        self.missing = {}
        for r in self.rows:
            self._note_missing(r)
        # the longest span (an upper bound after removals): range lookups scan back that far
        self.longest = max(map(_length, self.rows), default=0)
        self._sums = [
            len(self.rows),
            sum(r.id for r in self.rows),
            sum(r.version for r in self.rows),
            sum(r.start for r in self.rows),
            sum(r.end for r in self.rows),
        ]

    def index_of(self, span_id: int) -> int | None:
        """The row number of the span (a binary search: no index to rebuild on insertions)."""
        row = self.by_id.get(span_id)
        if row is None:
            return None
        return bisect.bisect_left(self.rows, _order(row), key=_order)

    def first_at_or_after(self, pos: int) -> int:
        """The row number of the first span starting at ``pos`` or later."""
        return bisect.bisect_left(self.rows, pos, key=lambda r: r.start)

    def sums(self) -> tuple[int, int, int, int, int]:
        n, sid, sver, sstart, send = self._sums
        return (n, sid, sver, sstart, send)

    def apply(self, fresh: Sequence[SpanRow], asked: set[int]) -> SpanPatch:
        """The spans ``asked`` were read again: ``fresh`` are those still there."""
        patch = SpanPatch()
        for sid in asked:
            old = self.by_id.pop(sid, None)
            if old is None:
                continue
            i = bisect.bisect_left(self.rows, _order(old), key=_order)
            del self.rows[i]
            self.missing.pop(sid, None)
            self._count(old, -1)
            patch.removed.append(old)
        for row in fresh:
            self.longest = max(self.longest, row.end - row.start)
            bisect.insort(self.rows, row, key=_order)
            self.by_id[row.id] = row
            self._note_missing(row)
            self._count(row, 1)
            patch.added.append(row)
        return patch

    def _count(self, row: SpanRow, sign: int) -> None:
        s = self._sums
        s[0] += sign
        s[1] += sign * row.id
        s[2] += sign * row.version
        s[3] += sign * row.start
        s[4] += sign * row.end

    def _note_missing(self, row: SpanRow) -> None:
        required = self._required.get(row.type)
        if required:
            labels = [label for aid, label in required if row.attributes.get(aid) is None]
            if labels:
                self.missing[row.id] = labels


# ------------------------------------------------------------------ reads

_SUMS_SQLITE = (
    'SELECT count(*), total(id), total(version), total(start), total("end") FROM span '
    "WHERE report_id = ? AND coder_id = ?"
)
_SUMS_PORTABLE = text(
    'SELECT count(*), coalesce(sum(id), 0), coalesce(sum(version), 0), coalesce(sum(start), 0), '
    'coalesce(sum("end"), 0) FROM span WHERE report_id = :report_id AND coder_id = :coder_id'
)
_SOME_SQLITE = (
    'SELECT id, "key", type, start, "end", text, attributes, version FROM span '
    "WHERE report_id = ? AND coder_id = ? AND id IN ({marks})"
)
_SOME_PORTABLE = (
    'SELECT id, "key", type, start, "end", text, CAST(attributes AS TEXT), version FROM span '
    "WHERE report_id = :report_id AND coder_id = :coder_id AND id IN ({marks})"
)


def read_span_set(conn: Connection, report_id: int, coder_id: int, codebook: Codebook | None) -> SpanSet:
    return SpanSet(span_rows(conn, report_id, coder_id), codebook)


def _rows(found: Sequence[Any]) -> list[SpanRow]:
    loads = json.loads
    return [
        SpanRow(int(i), k, t, int(a), int(b), x, loads(at) if at and at != "{}" else {}, int(v))
        for i, k, t, a, b, x, at, v in found
    ]


def patch_spans(
    conn: Connection, report_id: int, coder_id: int, spans: SpanSet, changed: set[int],
    check: bool = True,
) -> SpanPatch:
    """Bring ``spans`` up to date after a change naming the spans ``changed`` (possibly none):
    only those are read again; when the database then holds something else than the patched
    set, everything is read again (``reset``).

    ``check=False`` skips that comparison (an aggregate over every span of the report): for a
    caller that knows by other means that nobody else changed the report (the window reads the
    change log, Project.changes_since, before patching for its own change)."""
    if len(changed) > _PATCH_LIMIT:
        spans.replace(span_rows(conn, report_id, coder_id))
        return SpanPatch(reset=True)
    ids = sorted(changed)
    marks_n = len(ids)
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        found: Sequence[Any] = (
            cursor.execute(_SOME_SQLITE.format(marks=",".join("?" * marks_n)), (report_id, coder_id, *ids)).fetchall()
            if ids
            else []
        )
        patch = spans.apply(_rows(found), changed)
        if not check:
            return patch
        sums = cursor.execute(_SUMS_SQLITE, (report_id, coder_id)).fetchone()
    else:
        params: dict[str, Any] = {"report_id": report_id, "coder_id": coder_id}
        params.update({f"i{n}": sid for n, sid in enumerate(ids)})
        marks = ",".join(f":i{n}" for n in range(marks_n))
        found = conn.execute(text(_SOME_PORTABLE.format(marks=marks)), params).fetchall() if ids else []
        patch = spans.apply(_rows(found), changed)
        if not check:
            return patch
        sums = conn.execute(_SUMS_PORTABLE, {"report_id": report_id, "coder_id": coder_id}).fetchone()
    assert sums is not None
    if tuple(int(x) for x in sums) != spans.sums():
        spans.replace(span_rows(conn, report_id, coder_id))
        return SpanPatch(reset=True)
    return patch
