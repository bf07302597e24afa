"""The project's change log: every committed change numbered, so that each window hears what
other windows and processes changed (``Project.changes_since``) with one cheap read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from annotator.core.commands import Changes
from annotator.core.models import change_counter_t, change_log_t, utcnow

__all__ = [
    "KEEP", "OTHER_PROCESS", "change_token", "changes_since", "log_changes", "prune", "touched_since",
]

#: Changes.origin of what changes_since reports
OTHER_PROCESS = "other process"
#: the change log keeps this many entries; a window further behind refreshes everything
KEEP = 50_000

# built once: every command runs the first two (building them was a third of their cost)
_k = change_counter_t
_BUMP = _k.update().where(_k.c.id == 1).values(seq=_k.c.seq + 1).returning(_k.c.seq)
_INSERT = change_log_t.insert()
_TOKEN = select(_k.c.seq)


def log_changes(conn: Any, changes: Changes, session: str) -> int | None:
    """Number this transaction's changes in the change log (the counter is updated last:
    its row lock orders concurrent commits the way they become visible); returns the number
    (None when there was nothing to log). The counter goes up by one per commit, so a session
    whose last commit got ``n`` and which had seen ``n - 1`` before it has missed nothing."""
    entries: list[dict[str, Any]] = [
        {"report_id": r, "coder_id": None, "what": "annotations"} for r in changes.reports
    ]
    entries += [{"report_id": r, "coder_id": c, "what": "status"} for r, c in changes.statuses]
    if changes.structure:
        entries.append({"report_id": None, "coder_id": None, "what": "structure"})
    if not entries:
        return None
    seq = int(conn.execute(_BUMP).scalar_one())
    now = utcnow()
    conn.execute(_INSERT, [{**e, "seq": seq, "origin": session, "at": now} for e in entries])
    return seq


def change_token(conn: Any) -> int:
    """The position in the change log now."""
    return int(conn.execute(_TOKEN).scalar_one())


def _entries_since(conn: Any, token: int, but: str | None = None
                   ) -> tuple[int, bool, list[Any]]:
    """(now, pruned, rows of report_id, coder_id, what) logged after ``token`` by any session
    but ``but``; pruned is True when the log no longer reaches back to ``token``. One read of
    one row when nothing was logged since."""
    now = change_token(conn)
    if now == token:
        return now, False, []
    log = change_log_t
    where = [log.c.seq > token, log.c.seq <= now]
    if but is not None:
        where.append(log.c.origin != but)
    rows = conn.execute(select(log.c.report_id, log.c.coder_id, log.c.what).where(*where)).all()
    oldest = conn.execute(select(log.c.seq).order_by(log.c.seq).limit(1)).scalar()
    return now, oldest is None or oldest > token + 1, rows


def changes_since(conn: Any, token: int, session: str) -> tuple[Changes, int]:
    """What sessions other than ``session`` changed after ``token`` (origin "other process"),
    and the token to pass next time; see ``Project.changes_since``."""
    changes = Changes("Changes elsewhere", origin=OTHER_PROCESS)
    now, pruned, rows = _entries_since(conn, token, but=session)
    changes.structure = pruned  # the entries after token were pruned
    for report_id, coder_id, what in rows:
        if what == "structure":
            changes.structure = True
        elif what == "status" and report_id is not None and coder_id is not None:
            changes.statuses.add((int(report_id), int(coder_id)))
            changes.reports.add(int(report_id))
        elif report_id is not None:
            changes.reports.add(int(report_id))
    return changes, now


def touched_since(conn: Any, token: int) -> tuple[bool, set[int]]:
    """(structure, reports): what anyone, this session included, changed after ``token``;
    structure is True when the log no longer reaches back that far. One read of one row when
    nothing changed."""
    _now, pruned, rows = _entries_since(conn, token)
    structure = pruned or any(what == "structure" for _r, _c, what in rows)
    return structure, {int(r) for r, _c, _w in rows if r is not None}


def prune(conn: Any, keep: int = KEEP) -> None:
    """Drop all but the newest ``keep`` entries."""
    top = change_token(conn)
    conn.execute(change_log_t.delete().where(change_log_t.c.seq <= top - keep))
