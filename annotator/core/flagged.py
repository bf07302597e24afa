"""Flagged spans: a coder's spans that a merge could not carry onto a report's corrected text.

When ``merge`` finds that the project holds a corrected text of a report (core/merge.py), the
coder's spans whose covered text changed are left out of the stored version and kept in the
history (kind ``flagged``, with their offsets in the text the coder coded). This module makes
them findable: every flagged span with its report, coder, type and text, and whether it is
still **open**. It is closed when the coder marks it re-placed (:class:`MarkFlagged`, an
undoable command that adds a ``flagged_done`` row to the history naming the flagged row and the
span's place in it; the window's Flagged tab does it with Space) or when the coder has a span of
the same type covering the same text on the report now (counted: two flagged spans of one text
need two). Nothing of the history is changed or deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.coders import find_coder, name_key
from annotator.core.commands.base import Changes, Command, CommandError, Context
from annotator.core.models import history_t, inserted_id, span_t, utcnow

__all__ = ["DONE_KIND", "FlaggedSpan", "MarkFlagged", "flagged_reports", "flagged_spans",
           "nearest_place"]

DONE_KIND = "flagged_done"  # a history row marking one flagged span re-placed

_CHUNK = 500  # ids per query (SQLite's parameter limit)


@dataclass(frozen=True)
class FlaggedSpan:
    history_id: int
    index: int  # the span's place in that history row
    report_id: int | None
    report: str  # the report's id (external)
    coder: str
    type: str
    text: str
    start: int  # in the text the coder coded (code points, end exclusive)
    end: int
    replaced: bool  # closed: marked re-placed, or a span of this type and text is there now
    when: datetime | None

    def line(self) -> str:
        state = "re-placed" if self.replaced else "open"
        return (f"#{self.history_id}  {self.report}  {self.coder}  {self.type} "
                f"\u201c{self.text}\u201d (was {self.start}-{self.end}): {state}")


def _rows(conn: Connection, report_ids: list[int] | None, kind: str = "flagged") -> list[Any]:
    h = history_t
    q = (select(h.c.id, h.c.report_id, h.c.report_external_id, h.c.coder, h.c.content,
                h.c.created_at).where(h.c.kind == kind).order_by(h.c.id))
    if report_ids is None:
        return list(conn.execute(q))
    out: list[Any] = []
    for i in range(0, len(report_ids), _CHUNK):
        out += conn.execute(q.where(h.c.report_id.in_(report_ids[i : i + _CHUNK]))).all()
    return sorted(out, key=lambda r: int(r[0]))


def flagged_spans(conn: Connection, *, coder: str | None = None,
                  report_ids: Iterable[int] | None = None,
                  open_only: bool = False) -> list[FlaggedSpan]:
    """Every flagged span (oldest first), of one coder (any case) and/or some reports."""
    ids = None if report_ids is None else sorted(set(report_ids))
    rows = [r for r in _rows(conn, ids) if coder is None or name_key(str(r[3])) == name_key(coder)]
    if not rows:
        return []
    coder_ids: dict[str, int | None] = {}
    for r in rows:
        key = name_key(str(r[3]))
        if key not in coder_ids:
            found = find_coder(conn, str(r[3]))
            coder_ids[key] = None if found is None else found[0]
    # what the coders have now on those reports: (report, coder) -> (type, text) counts
    have: dict[tuple[int, int], Counter[tuple[str, str]]] = {}
    reports = sorted({int(r[1]) for r in rows if r[1] is not None})
    wanted = sorted({c for c in coder_ids.values() if c is not None})
    s = span_t
    for i in range(0, len(reports), _CHUNK):
        if not wanted:
            break
        q = select(s.c.report_id, s.c.coder_id, s.c.type, s.c.text).where(
            s.c.report_id.in_(reports[i : i + _CHUNK]), s.c.coder_id.in_(wanted))
        for rid, cid, typ, text in conn.execute(q):
            have.setdefault((int(rid), int(cid)), Counter())[(str(typ), str(text))] += 1
    marked = {(int((r[4] or {}).get("flagged", 0)), int((r[4] or {}).get("index", -1)))
              for r in _rows(conn, ids, DONE_KIND)}
    out: list[FlaggedSpan] = []
    for hid, rid, ext, name, content, when in rows:
        cid = coder_ids[name_key(str(name))]
        now = have.get((int(rid), cid), Counter()) if rid is not None and cid is not None \
            else Counter()
        for index, sp in enumerate((content or {}).get("spans", [])):
            what = (str(sp.get("type")), str(sp.get("text")))
            replaced = (int(hid), index) in marked or now[what] > 0
            if now[what] > 0 and (int(hid), index) not in marked:
                now[what] -= 1
            if open_only and replaced:
                continue
            out.append(FlaggedSpan(int(hid), index, None if rid is None else int(rid), str(ext),
                                   str(name), what[0], what[1], int(sp.get("start", 0)),
                                   int(sp.get("end", 0)), replaced, when))
    return out


def flagged_reports(conn: Connection, coder: str,
                    report_ids: Iterable[int] | None = None) -> dict[int, int]:
    """report -> how many of ``coder``'s flagged spans there are still open."""
    out: Counter[int] = Counter()
    for f in flagged_spans(conn, coder=coder, report_ids=report_ids, open_only=True):
        if f.report_id is not None:
            out[f.report_id] += 1
    return dict(out)


def nearest_place(text: str, flagged: FlaggedSpan) -> tuple[int, int] | None:
    """Where the flagged span's text is in the (corrected) report ``text``: the occurrence
    nearest its old start (code points), or None when the text is not there at all."""
    needle = flagged.text
    if not needle:
        return None
    best: int | None = None
    pos = text.find(needle)
    while pos >= 0:
        if best is None or abs(pos - flagged.start) < abs(best - flagged.start):
            best = pos
        pos = text.find(needle, pos + 1)
    return None if best is None else (best, best + len(needle))


class MarkFlagged(Command):
    """Mark one flagged span re-placed (the coder tagged what it covered in the corrected
    text, or decided it has no place there): a ``flagged_done`` history row; undo removes it."""

    label = "Mark a flagged span re-placed"

    def __init__(self, flagged: FlaggedSpan, coder_id: int) -> None:
        if flagged.report_id is None:
            raise CommandError("this flagged span's report is no longer in the project")
        self.flagged, self.coder_id = flagged, coder_id
        self.report_id = flagged.report_id
        self.row_id: int | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        f = self.flagged
        self.row_id = int(inserted_id(conn.execute(history_t.insert().values(
            report_id=f.report_id, report_external_id=f.report, coder=f.coder, kind=DONE_KIND,
            reason=f"flagged span {f.type} \u201c{f.text}\u201d of history #{f.history_id} "
                   "marked re-placed",
            content={"flagged": f.history_id, "index": f.index}, text_sha256="",
            source=None, created_at=utcnow()))))
        return Changes(self.label, reports={self.report_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if self.row_id is not None:
            conn.execute(history_t.delete().where(history_t.c.id == self.row_id))
        return Changes(self.label, reports={self.report_id})
