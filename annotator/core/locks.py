"""Locked reports: once a report's gold version is done, coders' edits of it are refused.

A report is *locked* while the gold coder's status on it is ``done``: adjudication sets it when
the reviewer's last open disagreement there is decided (commands/adjudication.py), and
:class:`Lock` sets it by hand. :class:`Unlock` (``annotator assign --unlock ID,...``, a lead or
reviewer) sets gold back to in progress, so coders may change the report again; the next
decision that leaves nothing open, or :class:`Lock`, locks it again.

The rule lives here, once: :func:`check_locks` runs inside the transaction of every command,
undo and redo (``Project._apply``), so the window and the command line refuse the same edits
with the same message. Commands of leads and reviewers (adjudication, assignments, locking,
codebook upgrades, a report's reference date) set ``Command.reviewer_action`` and are not
coders' edits; the gold layer is not a coder's either (a reviewer edits gold in a locked report).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import Batch, Changes, Command, CommandError, Context
from annotator.core.models import (
    GOLD_CODER,
    assignment_t,
    claim_t,
    coder_t,
    report_t,
    span_t,
    utcnow,
)

__all__ = ["Lock", "Unlock", "check_locks", "is_locked", "locked_reports", "lock_message"]


def _gold_id(conn: Connection) -> int | None:
    row = conn.execute(select(coder_t.c.id).where(coder_t.c.name == GOLD_CODER)).first()
    return None if row is None else int(row[0])


def locked_reports(conn: Connection, report_ids: Iterable[int] | None = None) -> set[int]:
    """The reports (of ``report_ids``, default: all) whose gold version is done (one indexed
    query per 500 reports: every command of a coder asks it for the reports it touched)."""
    if report_ids is None:
        return {int(r) for (r,) in conn.execute(_LOCKED)}
    ids = sorted(set(report_ids))
    out: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        out |= {int(r) for (r,) in conn.execute(_LOCKED_OF, {"ids": chunk})}
    return out


# built once (every command of a coder runs the second): building it was most of its cost
_LOCKED = (select(assignment_t.c.report_id)
           .join(coder_t, coder_t.c.id == assignment_t.c.coder_id)
           .where(coder_t.c.name == GOLD_CODER, assignment_t.c.status == "done"))
_LOCKED_OF = _LOCKED.where(assignment_t.c.report_id.in_(bindparam("ids", expanding=True)))


def is_locked(conn: Connection, report_id: int) -> bool:
    return bool(locked_reports(conn, [report_id]))


def lock_message(external_ids: Sequence[str]) -> str:
    names = ", ".join(sorted(external_ids)[:5]) + (" …" if len(external_ids) > 5 else "")
    one = len(external_ids) == 1
    return (f"report {names} {'is' if one else 'are'} locked: {'its' if one else 'their'} gold "
            f"version is done, so coders' changes are refused (a reviewer or the lead can "
            f"unlock: annotator assign --unlock {','.join(sorted(external_ids)[:5])}); "
            "nothing was changed")


def _flat(cmd: Command) -> Iterator[Command]:
    if isinstance(cmd, Batch):
        for sub in cmd.commands:
            yield from _flat(sub)
    else:
        yield cmd


def _coders_touched(conn: Connection, cmds: Sequence[Command], changes: Changes,
                    reports: set[int]) -> set[int]:
    """The coders whose annotations or statuses on ``reports`` the command changed."""
    coders = {c for r, c in changes.statuses if r in reports}
    for table, ids in ((span_t, changes.spans), (claim_t, changes.claims)):
        if ids:
            q = select(table.c.coder_id).where(table.c.id.in_(sorted(ids)[:500]),
                                               table.c.report_id.in_(sorted(reports)))
            coders |= {int(c) for (c,) in conn.execute(q)}
    for cmd in cmds:
        coder = getattr(cmd, "coder_id", None)
        if isinstance(coder, int):
            coders.add(coder)
        row = getattr(cmd, "_row", None)  # a deleted span or claim
        if isinstance(row, dict) and isinstance(row.get("coder_id"), int):
            coders.add(int(row["coder_id"]))
    return coders


def check_locks(conn: Connection, cmd: Command, changes: Changes) -> None:
    """Raise CommandError when ``cmd`` (just applied in this transaction, which the caller then
    rolls back) changed a coder's annotations or status on a locked report."""
    cmds = list(_flat(cmd))
    if all(c.reviewer_action for c in cmds):
        return
    touched = changes.touched_reports()
    if not touched:
        return
    locked = locked_reports(conn, touched)
    if not locked:
        return
    gold = _gold_id(conn)
    coders = _coders_touched(conn, cmds, changes, locked)
    if coders and coders <= {gold}:
        return  # the reviewer editing the gold layer
    ext = [str(e) for (e,) in conn.execute(
        select(report_t.c.external_id).where(report_t.c.id.in_(sorted(locked))))]
    raise CommandError(f"{cmd.label}: {lock_message(ext)}")


class _SetGold(Command):
    """Set the gold status of reports (``done`` locks, ``in_progress`` unlocks); undo puts back
    each report's previous gold status."""

    reviewer_action = True
    target = "done"

    def __init__(self, report_ids: Sequence[int]) -> None:
        self.report_ids = sorted(set(report_ids))
        self.changed: list[tuple[int, str | None]] = []  # report, its gold status before
        self.gold = 0

    def do(self, conn: Connection, ctx: Context) -> Changes:
        from annotator.core.review import gold_coder_id

        gold = gold_coder_id(conn)
        assert gold is not None
        self.gold = gold
        a = assignment_t
        before = {int(r): str(s) for r, s in conn.execute(
            select(a.c.report_id, a.c.status).where(a.c.coder_id == gold,
                                                    a.c.report_id.in_(self.report_ids)))}
        now = utcnow()
        self.changed = []
        for rid in self.report_ids:
            old = before.get(rid)
            if old == self.target or (old is None and self.target != "done"):
                continue  # already so (a report never locked needs no unlocking)
            if old is None:
                conn.execute(a.insert().values(report_id=rid, coder_id=gold, status=self.target,
                                               created_at=now, updated_at=now))
            else:
                conn.execute(a.update().where(a.c.report_id == rid, a.c.coder_id == gold)
                             .values(status=self.target, updated_at=now, version=a.c.version + 1))
            self.changed.append((rid, old))
        return Changes(self.label, statuses={(r, gold) for r, _ in self.changed})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        a = assignment_t
        for rid, old in self.changed:
            where = (a.c.report_id == rid, a.c.coder_id == self.gold)
            if old is None:
                conn.execute(a.delete().where(*where))
            else:
                conn.execute(a.update().where(*where).values(status=old, version=a.c.version + 1))
        return Changes(self.label, statuses={(r, self.gold) for r, _ in self.changed})


class Lock(_SetGold):
    """Mark the gold version of reports done by hand: coders' changes are refused there."""

    target = "done"
    label = "Lock reports"


class Unlock(_SetGold):
    """Reopen the gold version of reports (gold status in progress): coders may change them
    again; the reviewer's next decision that leaves nothing open locks them again."""

    target = "in_progress"
    label = "Unlock reports"
