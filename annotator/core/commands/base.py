"""The base of every command: ``Command``, what it returns (``Changes``), its ``Context``, and
the row helpers the command modules share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.models import (
    assignment_t,
    inserted_id,
    report_t,
    utcnow,
)

__all__ = [
    "NOT_REPORTED",
    "Batch",
    "Changes",
    "Command",
    "CommandError",
    "Context",
    "Row",
    "UpdateRow",
    "check_attributes",
    "insert_rows",
    "one_row",
    "report_text",
    "restore_assignment",
    "rows_where",
    "touch_assignment",
]

Row = dict[str, Any]


class CommandError(Exception):
    """A command that cannot be applied; nothing was changed."""


@dataclass
class Changes:
    """What a command changed, so that each view refreshes only what it shows, and where the
    change came from, so that a view can tell its own changes from others'.

    ``session`` is the id of the ``Project`` (one open project in one process) that made the
    change; ``origin`` is who in that session: the name the caller gave ``Project.run`` /
    ``undo`` / ``redo`` (a view names itself, e.g. "review"), or "import", "coders".
    ``undone`` is True when the change is an undo."""

    label: str = ""
    reports: set[int] = field(default_factory=set)  # reports whose annotations changed
    spans: set[int] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)
    statuses: set[tuple[int, int]] = field(default_factory=set)  # (report id, coder id)
    structure: bool = False  # reports, coders or the codebook were added or removed
    session: str = ""
    origin: str = ""
    undone: bool = False

    def merge(self, other: Changes) -> None:
        self.reports |= other.reports
        self.spans |= other.spans
        self.claims |= other.claims
        self.statuses |= other.statuses
        self.structure = self.structure or other.structure

    def touched_reports(self) -> set[int]:
        """Every report whose annotations or statuses changed (empty with only ``structure``)."""
        return self.reports | {report for report, _coder in self.statuses}

    def made_by(self, session: str, origin: str | None = None) -> bool:
        """Made in ``session`` (and, when given, by ``origin``)."""
        return self.session == session and (origin is None or self.origin == origin)


@dataclass(frozen=True)
class Context:
    """What commands need besides the connection: the active codebook and its row id."""

    codebook: Codebook
    codebook_id: int


class Command:
    """Base class. Subclasses set ``label`` and implement ``do`` and ``undo``."""

    label = "Change"

    def do(self, conn: Connection, ctx: Context) -> Changes:
        raise NotImplementedError

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        raise NotImplementedError


# ---------------------------------------------------------------- row helpers


def one_row(conn: Connection, table: Any, row_id: int, what: str) -> Row:
    row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise CommandError(f"{what} {row_id} does not exist")
    return dict(row)


def rows_where(conn: Connection, table: Any, column: Any, value: Any) -> list[Row]:
    return [dict(r) for r in conn.execute(select(table).where(column == value)).mappings()]


def insert_rows(conn: Connection, table: Any, rows: Sequence[Row]) -> None:
    if rows:
        conn.execute(table.insert(), list(rows))


def report_text(conn: Connection, report_id: int, start: int, end: int) -> str:
    """The covered text, checking the offsets against the report (code points)."""
    row = conn.execute(
        select(report_t.c.id, func.length(report_t.c.text)).where(report_t.c.id == report_id)
    ).first()
    if row is None:
        raise CommandError(f"report {report_id} does not exist")
    length = int(row[1])
    if not (0 <= start < end <= length):
        raise CommandError(f"offsets {start}-{end} are outside the report (0-{length})")
    # SQL substr counts characters (code points), 1-based: no need to load a 1 MB text
    covered = conn.execute(
        select(func.substr(report_t.c.text, start + 1, end - start)).where(
            report_t.c.id == report_id
        )
    ).scalar_one()
    return str(covered)


def touch_assignment(conn: Connection, report_id: int, coder_id: int) -> Row | None:
    """Mark the coder's assignment in progress when they start coding; return the old row.

    Returns None when nothing changed, or {"id": ..., "created": True} when the row was created.
    """
    a = assignment_t
    row = (
        conn.execute(select(a).where(a.c.report_id == report_id, a.c.coder_id == coder_id))
        .mappings()
        .first()
    )
    now = utcnow()
    if row is None:
        result = conn.execute(
            a.insert().values(
                report_id=report_id,
                coder_id=coder_id,
                status="in_progress",
                created_at=now,
                updated_at=now,
            )
        )
        return {"id": inserted_id(result), "created": True}
    if row["status"] == "todo":
        conn.execute(
            a.update().where(a.c.id == row["id"]).values(status="in_progress", updated_at=now)
        )
        return dict(row)
    return None


def restore_assignment(conn: Connection, old: Row | None) -> None:
    if old is None:
        return
    a = assignment_t
    if old.get("created"):
        conn.execute(a.delete().where(a.c.id == old["id"]))
    else:
        conn.execute(
            a.update()
            .where(a.c.id == old["id"])
            .values(status=old["status"], updated_at=old["updated_at"])
        )


def check_attributes(ctx: Context, kind: str, type_id: str, attributes: Mapping[str, Any]) -> None:
    if kind == "span":
        problems = ctx.codebook.check_span(type_id, dict(attributes))
    else:
        problems = ctx.codebook.check_claim(type_id, {}, dict(attributes), {})
    if problems:
        raise CommandError("; ".join(problems))


class UpdateRow(Command):
    """Change some columns of one row; undo writes the old values back."""

    table: Any = None
    kind = "span"

    def __init__(self, row_id: int) -> None:
        self.row_id = row_id
        self._before: Row | None = None
        self._after: Row | None = None

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        raise NotImplementedError

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if self._after is None:
            row = one_row(conn, self.table, self.row_id, self.kind)
            after = self.new_values(conn, ctx, row)
            after["updated_at"] = utcnow()
            self._before = {k: row[k] for k in after}
            self._after = after
            self._report_id = int(row["report_id"])
        conn.execute(
            self.table.update().where(self.table.c.id == self.row_id).values(**self._after)
        )
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._before is not None
        conn.execute(
            self.table.update().where(self.table.c.id == self.row_id).values(**self._before)
        )
        return self._changes()

    def _changes(self) -> Changes:
        ids = {self.row_id}
        if self.kind == "span":
            return Changes(self.label, reports={self._report_id}, spans=ids)
        return Changes(self.label, reports={self._report_id}, claims=ids)


class Batch(Command):
    """Several commands as one undoable step (e.g. accept all suggestions)."""

    def __init__(self, label: str, commands: Iterable[Command]) -> None:
        self.label = label
        self.commands = list(commands)

    def do(self, conn: Connection, ctx: Context) -> Changes:
        changes = Changes(self.label)
        for cmd in self.commands:
            changes.merge(cmd.do(conn, ctx))
        return changes

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        changes = Changes(self.label)
        for cmd in reversed(self.commands):
            changes.merge(cmd.undo(conn, ctx))
        return changes
