"""The base of every command: ``Command``, what it returns (``Changes``), its ``Context``, and
the row helpers the command modules share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core import statements
from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.models import (
    assignment_t,
    inserted_id,
    provenance_t,
    report_t,
    slot_fill_t,
    utcnow,
)

__all__ = [
    "NOT_REPORTED",
    "Batch",
    "Changes",
    "Command",
    "CommandError",
    "Context",
    "CreateRow",
    "DeleteRow",
    "OTHER",
    "Row",
    "SetAttribute",
    "UpdateRow",
    "check_attributes",
    "check_version",
    "insert_new",
    "refused",
    "insert_rows",
    "one_row",
    "report_text",
    "restore_assignment",
    "rows_where",
    "touch_assignment",
    "write_row",
]

Row = dict[str, Any]

OTHER = "another window or process"


class CommandError(Exception):
    """A command that cannot be applied; nothing was changed."""


@dataclass
class Changes:
    """What a command changed, so that each view refreshes only what it shows, and where the
    change came from, so that a view can tell its own changes from others'.

    ``session`` is the id of the ``Project`` (one open project in one process) that made the
    change; ``origin`` is who in that session: the name the caller gave ``Project.run`` /
    ``undo`` / ``redo`` (a view names itself, e.g. "review"), or "import", "coders".
    ``undone`` is True when the change is an undo. What :meth:`Project.changes_since` reports
    (changes other windows or commands made) has the origin "other process".
    """

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
    #: a lead's or reviewer's action (adjudication, assignments, locks, codebook upgrades): not a
    #: coder's edit, so allowed on a report whose gold version is done (annotator.core.locks)
    reviewer_action = False

    def do(self, conn: Connection, ctx: Context) -> Changes:
        raise NotImplementedError

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        raise NotImplementedError


# ---------------------------------------------------------------- row helpers


def one_row(conn: Connection, table: Any, row_id: int, what: str) -> Row:
    """The row, locked until the transaction ends (FOR UPDATE; SQLite ignores it: its writing
    transactions hold the write lock from the start)."""
    row = conn.execute(statements.row_by_id(table), {"row_id": row_id}).mappings().first()
    if row is None:
        raise CommandError(f"{what} {row_id} does not exist (it may have been deleted in {OTHER})")
    return dict(row)


def write_row(conn: Connection, table: Any, row: Row, values: Row) -> int:
    """Update a row read (locked) in this transaction, bumping its version; returns the new
    version. The version condition is a second guard: the update fails rather than overwrite."""
    version = int(row["version"])
    params = {f"new_{k}": v for k, v in values.items()}
    params.update(w_id=row["id"], w_version=version, new_version=version + 1)
    result = conn.execute(statements.update_versioned(table, values), params)
    if result.rowcount != 1:
        raise CommandError(f"it was changed in {OTHER} at the same moment; nothing was changed")
    return version + 1


def check_version(row: Row, expected: int | None, what: str) -> None:
    if expected is not None and int(row["version"]) != expected:
        raise CommandError(
            f"the {what} was changed in {OTHER} since it was shown; nothing was changed "
            "(the view shows the new state)"
        )


def refused(action: str, what: str) -> CommandError:
    return CommandError(
        f"{action} refused: the {what} was changed in {OTHER} since; "
        "nothing was changed (the view shows the new state)"
    )


def rows_where(conn: Connection, table: Any, column: str, value: Any) -> list[Row]:
    """The rows of ``table`` whose ``column`` (its name) is ``value``."""
    rows = conn.execute(statements.rows_by(table, column), {f"by_{column}": value}).mappings()
    return [dict(r) for r in rows]


def insert_rows(conn: Connection, table: Any, rows: Sequence[Row]) -> None:
    if rows:
        conn.execute(statements.insert_into(table), list(rows) if len(rows) > 1 else dict(rows[0]))


def bulk_insert(conn: Connection, table: Any, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (every one with the same keys) in one executemany.

    On SQLite the statement is compiled once and the driver is given plain tuples, each value
    through its column type's own bind processor (what Core's executemany does, but per row it
    also builds the whole parameter set again: two thirds of an accept-unanimous of 45,000
    items). Elsewhere Core's executemany."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), list(rows))
        return
    dialect = conn.dialect
    names = set(rows[0])
    compiled = table.insert().compile(dialect=dialect, column_keys=list(names))
    order = list(compiled.positiontup or ())
    fixed: dict[str, Any] = {}  # a column left out: its default, when that is a constant
    for n in order:
        default = table.c[n].default if n in table.c and n not in names else None
        if default is not None and default.is_scalar:
            fixed[n] = default.arg
    if set(order) != names | set(fixed):  # a computed default or a renamed bind: Core's own way
        conn.execute(table.insert(), list(rows))
        return
    steps = [(n, table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in order]
    params = [tuple(v if p is None or v is None else p(v)
                    for n, p in steps for v in (row[n] if n in names else fixed[n],))
              for row in rows]
    conn.exec_driver_sql(str(compiled), params)


def insert_returning_ids(conn: Connection, table: Any, rows: Sequence[Row]) -> list[int]:
    """Insert ``rows`` in bulk and return their new ids, in the order of ``rows``.

    On SQLite the ids are given here, after the largest ever used (``sqlite_sequence`` for an
    AUTOINCREMENT table), under the write lock the transaction holds from its start: there
    SQLAlchemy's ordered RETURNING falls back to one statement per row (18,000 statements for
    an accept-unanimous of 9,000 items). Elsewhere RETURNING comes in batches."""
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        result = conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), list(rows))
        return [int(r[0]) for r in result]
    top = int(conn.execute(select(func.max(table.c.id))).scalar() or 0)
    seq = conn.exec_driver_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = ?", (table.name,)
    ).scalar() if _has_sequence(conn) else None
    first = max(top, int(seq or 0)) + 1
    ids = list(range(first, first + len(rows)))
    bulk_insert(conn, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def _has_sequence(conn: Connection) -> bool:
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
    ).first() is not None


def report_text(conn: Connection, report_id: int, start: int, end: int) -> str:
    """The covered text, checking the offsets against the report (code points)."""
    covered = None
    if 0 <= start < end:
        # SQL substr counts characters (code points), 1-based: no need to load a 1 MB text, nor
        # to count all of its characters (length() reads every one): a range that runs past the
        # end comes back short
        covered = conn.execute(statements.covered_text(),
                               {"c_from": start + 1, "c_length": end - start,
                                "c_report": report_id}).first()
        if covered is not None and len(str(covered[0])) == end - start:
            return str(covered[0])
    length = conn.execute(
        select(func.length(report_t.c.text)).where(report_t.c.id == report_id)
    ).scalar()
    if length is None:
        raise CommandError(f"report {report_id} does not exist")
    raise CommandError(f"offsets {start}-{end} are outside the report (0-{int(length)})")


def touch_assignment(conn: Connection, report_id: int, coder_id: int) -> Row | None:
    """Mark the coder's assignment in progress when they start coding; return the old row.

    Returns None when nothing changed, or {"id": ..., "created": True} when the row was created.
    """
    a = assignment_t
    row = conn.execute(statements.rows_by(a, "report_id", "coder_id"),
                       {"by_report_id": report_id, "by_coder_id": coder_id}).mappings().first()
    now = utcnow()
    if row is None:
        values = dict(report_id=report_id, coder_id=coder_id, status="in_progress",
                      created_at=now, updated_at=now)
        result = conn.execute(statements.insert_into(a), values)
        return {"id": inserted_id(result), "created": True}
    if row["status"] == "todo":
        conn.execute(
            a.update()
            .where(a.c.id == row["id"])
            .values(status="in_progress", updated_at=now, version=int(row["version"]) + 1)
        )
        return dict(row)
    return None


def restore_assignment(conn: Connection, old: Row | None, ours: str = "in_progress") -> bool:
    """Put back the assignment as it was, only if its status is still the one we set
    (``ours``); returns whether it was put back."""
    if old is None:
        return False
    a = assignment_t
    current = conn.execute(statements.row_by_id(a), {"row_id": old["id"]}).mappings().first()
    if current is None or current["status"] != ours:
        return False
    if old.get("created"):
        conn.execute(a.delete().where(a.c.id == old["id"]))
    else:
        conn.execute(
            a.update()
            .where(a.c.id == old["id"])
            .values(
                status=old["status"],
                updated_at=old["updated_at"],
                version=int(current["version"]) + 1,
            )
        )
    return True


def check_attributes(ctx: Context, kind: str, type_id: str, attributes: Mapping[str, Any]) -> None:
    if kind == "span":
        problems = ctx.codebook.check_span(type_id, dict(attributes))
    else:
        problems = ctx.codebook.check_claim(type_id, {}, dict(attributes), {})
    if problems:
        raise CommandError("; ".join(problems))


def insert_new(conn: Connection, ctx: Context, table: Any, values: Row, prefix: str,
               maker: object) -> Row:
    """Insert a new span or claim (``values``: its own columns) with the project's codebook,
    the time and its key (``prefix`` and the new id: "s12", "c7"); returns the row as stored."""
    now = utcnow()
    row: Row = dict(values, key=f"new-{id(maker)}-{now.timestamp()}",
                    codebook_id=ctx.codebook_id, created_at=now, updated_at=now)
    new_id = inserted_id(conn.execute(statements.insert_into(table), row))
    key, n = f"{prefix}{new_id}", 1
    # an imported or merged item may carry that key already (keys come from the file there):
    # the key is set only if free, else the next one is tried
    free = statements.set_free_key(table)
    where = {"k_id": new_id, "k_report": row["report_id"], "k_coder": row["coder_id"]}
    while conn.execute(free, {**where, "k_key": key}).rowcount != 1:
        n += 1
        key = f"{prefix}{new_id}-{n}"
    row["id"], row["key"] = new_id, key
    return row


class CreateRow(Command):
    """Create one span or claim (``kind``) of a coder on a report, putting the coder's assignment
    in progress; redo inserts the same row again. Undo deletes it, compare-and-set on
    ``compared``: refused when another process changed those columns since, or when
    :meth:`in_use` says something now refers to the row; a row already gone stays gone."""

    table: Any = None
    kind = "span"
    compared: tuple[str, ...] = ("attributes",)

    def __init__(self, report_id: int, coder_id: int, type: str,
                 attributes: Mapping[str, Any] | None) -> None:
        self.report_id, self.coder_id, self.type = report_id, coder_id, type
        self.attributes = {k: v for k, v in (attributes or {}).items() if v is not None}
        self.row: Row | None = None
        self._assignment: Row | None = None

    def create(self, conn: Connection, ctx: Context) -> Row:
        """Check and insert the new row (see :func:`insert_new`); returns it as stored."""
        raise NotImplementedError

    def in_use(self, conn: Connection) -> bool:
        return False

    def _checked_type(self, ctx: Context) -> Any:
        """The codebook's definition of the row's type, with ``attributes`` checked against it;
        CommandError when the codebook has no such type or refuses a value."""
        codebook = ctx.codebook
        td = codebook.span_type(self.type) if self.kind == "span" else codebook.claim_type(self.type)
        if td is None:
            raise CommandError(f"unknown {self.kind} type '{self.type}'")
        check_attributes(ctx, self.kind, self.type, self.attributes)
        return td

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if self.row is None:
            self.row = self.create(conn, ctx)
        else:
            insert_rows(conn, self.table, [self.row])
        self._assignment = touch_assignment(conn, self.report_id, self.coder_id)
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self.row is not None
        table, row_id = self.table, self.row["id"]
        current = conn.execute(statements.row_by_id(table), {"row_id": row_id}).mappings().first()
        if current is not None:
            if any(current[k] != self.row[k] for k in self.compared) or self.in_use(conn):
                raise refused(f"Undo of '{self.label}'", self.kind)
            conn.execute(statements.delete_by_id(table), {"row_id": row_id})
        restore_assignment(conn, self._assignment)
        return self._changes()

    def _changes(self) -> Changes:
        assert self.row is not None
        ids = {int(self.row["id"])}
        statuses = {(self.report_id, self.coder_id)} if self._assignment else set()
        if self.kind == "span":
            return Changes(self.label, reports={self.report_id}, spans=ids, statuses=statuses)
        return Changes(self.label, reports={self.report_id}, claims=ids, statuses=statuses)


class DeleteRow(Command):
    """Delete one span or claim (``kind``) with the slot fills and provenance that name it; undo
    puts them all back. Redo is refused when another process changed ``compared`` since."""

    table: Any = None
    kind = "span"
    compared: tuple[str, ...] = ("attributes",)

    def __init__(self, row_id: int, *, expected_version: int | None = None) -> None:
        self.row_id = row_id
        self.expected_version = expected_version
        self._row: Row | None = None
        self._fills: list[Row] = []
        self._provenance: list[Row] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        row = one_row(conn, self.table, self.row_id, self.kind)
        if self._row is None:
            check_version(row, self.expected_version, self.kind)
        elif any(row[k] != self._row[k] for k in self.compared):
            raise refused("Redo", self.kind)
        self._row = row
        link = f"{self.kind}_id"
        self._fills = rows_where(conn, slot_fill_t, link, self.row_id)
        self._provenance = rows_where(conn, provenance_t, link, self.row_id)
        conn.execute(statements.delete_by_id(self.table), {"row_id": self.row_id})  # cascades
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._row is not None
        insert_rows(conn, self.table, [self._row])
        insert_rows(conn, slot_fill_t, self._fills)
        insert_rows(conn, provenance_t, self._provenance)
        return self._changes()

    def _changes(self) -> Changes:
        """The report, the row, and the claims whose slots it filled."""
        assert self._row is not None
        report = {int(self._row["report_id"])}
        claims = {int(f["claim_id"]) for f in self._fills}
        if self.kind == "span":
            return Changes(self.label, reports=report, spans={self.row_id}, claims=claims)
        return Changes(self.label, reports=report, claims={self.row_id} | claims)


class UpdateRow(Command):
    """Change some columns of one row; undo writes the old values back.

    Undo (and redo) compare-and-set those columns only: refused when another process changed
    them since, whatever happened to the row's other columns.
    """

    table: Any = None
    kind = "span"

    def __init__(self, row_id: int, *, expected_version: int | None = None) -> None:
        self.row_id = row_id
        self.expected_version = expected_version
        self._before: Row | None = None
        self._after: Row | None = None
        self.version: int | None = None  # the row's version after this command's last write

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        raise NotImplementedError

    def _same(self, row: Row, values: Row) -> bool:
        return all(row[k] == v for k, v in values.items() if k != "updated_at")

    def do(self, conn: Connection, ctx: Context) -> Changes:
        row = one_row(conn, self.table, self.row_id, self.kind)
        if self._after is None:
            check_version(row, self.expected_version, self.kind)
            after = self.new_values(conn, ctx, row)
            after["updated_at"] = utcnow()
            self._before = {k: row[k] for k in after}
            self._after = after
            self._report_id = int(row["report_id"])
        elif not self._same(row, self._before or {}):
            raise refused(f"Redo of '{self.label}'", self.kind)
        self.version = write_row(conn, self.table, row, self._after)
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._before is not None and self._after is not None
        row = one_row(conn, self.table, self.row_id, self.kind)
        if not self._same(row, self._after):
            raise refused(f"Undo of '{self.label}'", self.kind)
        self.version = write_row(conn, self.table, row, self._before)
        return self._changes()

    def _changes(self) -> Changes:
        ids = {self.row_id}
        if self.kind == "span":
            return Changes(self.label, reports={self._report_id}, spans=ids)
        return Changes(self.label, reports={self._report_id}, claims=ids)


_UNSET: Any = object()


class SetAttribute(UpdateRow):
    """Set one attribute of a span or claim (``value=None`` clears it), compare-and-set on that
    attribute alone: edits of other attributes, here or elsewhere, never conflict with it.

    ``expected``: the value the window showed; the edit is refused when it is no longer there.
    After each do or undo, ``before``/``after`` are the attribute's values it replaced and wrote
    and ``version`` the row version it produced.
    """

    def __init__(self, row_id: int, attribute: str, value: Any, expected: Any = _UNSET) -> None:
        super().__init__(row_id)
        self.attribute, self.value, self.expected = attribute, value, expected
        self.label = f"Set {attribute}"
        self._old: Any = None
        self._done_once = False
        self.before: Any = None
        self.after: Any = None

    def _label(self, ctx: Context, row: Row) -> None:
        pass

    def _apply(self, conn: Connection, ctx: Context, row: Row, value: Any) -> None:
        attrs = dict(row["attributes"] or {})
        self.before = attrs.get(self.attribute)
        if value is None:
            attrs.pop(self.attribute, None)
        else:
            attrs[self.attribute] = value
        check_attributes(ctx, self.kind, row["type"], attrs)
        self.after = value
        self.version = write_row(
            conn,
            self.table,
            row,
            {"attributes": attrs, "codebook_id": ctx.codebook_id, "updated_at": utcnow()},
        )

    def do(self, conn: Connection, ctx: Context) -> Changes:
        row = one_row(conn, self.table, self.row_id, self.kind)
        current = (row["attributes"] or {}).get(self.attribute)
        if not self._done_once:
            self._label(ctx, row)
            if self.expected is not _UNSET and current != self.expected:
                raise CommandError(
                    f"{self.label}: the value was changed in {OTHER} since it was shown "
                    f"(it is now {current!r}); nothing was changed"
                )
            self._old = current
            self._report_id = int(row["report_id"])
        elif current != self._old:
            raise refused(f"Redo of '{self.label}'", self.kind)
        self._apply(conn, ctx, row, self.value)
        self._done_once = True
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        row = one_row(conn, self.table, self.row_id, self.kind)
        if (row["attributes"] or {}).get(self.attribute) != self.value:
            raise refused(f"Undo of '{self.label}'", self.kind)
        self._apply(conn, ctx, row, self._old)
        return self._changes()


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
