"""A coder's status on a report (todo, in progress, done)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import (
    Changes,
    Command,
    CommandError,
    Context,
    Row,
    refused,
    restore_assignment,
    write_row,
)
from annotator.core.models import (
    STATUSES,
    assignment_t,
    inserted_id,
    utcnow,
)

__all__ = ["SetStatus"]


class SetStatus(Command):
    """Set a coder's status on a report (todo, in_progress, done)."""

    def __init__(self, report_id: int, coder_id: int, status: str) -> None:
        if status not in STATUSES:
            raise CommandError(f"status must be one of {', '.join(STATUSES)}, not '{status}'")
        self.report_id, self.coder_id, self.status = report_id, coder_id, status
        self.label = {"done": "Mark done", "todo": "Mark to do"}.get(status, "Mark in progress")
        self._old: Row | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        a = assignment_t
        row = (
            conn.execute(
                select(a)
                .where(a.c.report_id == self.report_id, a.c.coder_id == self.coder_id)
                .with_for_update()
            )
            .mappings()
            .first()
        )
        now = utcnow()
        if row is None:
            new_id = inserted_id(
                conn.execute(
                    a.insert().values(
                        report_id=self.report_id,
                        coder_id=self.coder_id,
                        status=self.status,
                        created_at=now,
                        updated_at=now,
                    )
                )
            )
            self._old = {"id": new_id, "created": True}
        else:
            self._old = dict(row)
            write_row(conn, a, self._old, {"status": self.status, "updated_at": now})
        return Changes(self.label, statuses={(self.report_id, self.coder_id)})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if not restore_assignment(conn, self._old, ours=self.status):
            raise refused(f"Undo of '{self.label}'", "status")
        return Changes(self.label, statuses={(self.report_id, self.coder_id)})
