"""Every change a user can make, as a Command with do/undo (pure Python, SQLAlchemy Core).

``Project.run(cmd)`` runs ``cmd.do`` inside one transaction, pushes it on the undo stack and tells
listeners the returned :class:`Changes`. ``undo`` runs in its own transaction too. ``do`` is also
the redo: a command remembers the rows it created so that redo restores them under the same ids.
Offsets are code points into the report text, end exclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook
from annotator.core.models import (
    STATUSES,
    assignment_t,
    claim_t,
    inserted_id,
    provenance_t,
    report_t,
    slot_fill_t,
    span_t,
    utcnow,
)

__all__ = [
    "AddSpan",
    "AddToSlot",
    "Batch",
    "Changes",
    "Command",
    "CommandError",
    "Context",
    "CreateClaim",
    "DeleteClaim",
    "DeleteSpan",
    "NOT_REPORTED",
    "RemoveFromSlot",
    "SetClaimAttribute",
    "SetNotReported",
    "SetSpanAttribute",
    "SetSpanBounds",
    "SetSpanType",
    "SetStatus",
]

NOT_REPORTED = "not_reported"

Row = dict[str, Any]


class CommandError(Exception):
    """A command that cannot be applied; nothing was changed."""


@dataclass
class Changes:
    """What a command changed, so that each view refreshes only what it shows."""

    label: str = ""
    reports: set[int] = field(default_factory=set)  # reports whose annotations changed
    spans: set[int] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)
    statuses: set[tuple[int, int]] = field(default_factory=set)  # (report id, coder id)
    structure: bool = False  # reports, coders or the codebook were added or removed

    def merge(self, other: Changes) -> None:
        self.reports |= other.reports
        self.spans |= other.spans
        self.claims |= other.claims
        self.statuses |= other.statuses
        self.structure = self.structure or other.structure


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


def _one(conn: Connection, table: Any, row_id: int, what: str) -> Row:
    row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise CommandError(f"{what} {row_id} does not exist")
    return dict(row)


def _rows(conn: Connection, table: Any, column: Any, value: Any) -> list[Row]:
    return [dict(r) for r in conn.execute(select(table).where(column == value)).mappings()]


def _insert(conn: Connection, table: Any, rows: Sequence[Row]) -> None:
    if rows:
        conn.execute(table.insert(), list(rows))


def _report_text(conn: Connection, report_id: int, start: int, end: int) -> str:
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


def _touch_assignment(conn: Connection, report_id: int, coder_id: int) -> Row | None:
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


def _restore_assignment(conn: Connection, old: Row | None) -> None:
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


def _check_attributes(ctx: Context, kind: str, type_id: str, attributes: Mapping[str, Any]) -> None:
    if kind == "span":
        problems = ctx.codebook.check_span(type_id, dict(attributes))
    else:
        problems = ctx.codebook.check_claim(type_id, {}, dict(attributes), {})
    if problems:
        raise CommandError("; ".join(problems))


# ---------------------------------------------------------------- spans


class AddSpan(Command):
    """Tag ``start``..``end`` (code points, end exclusive) of a report as a span of ``type``."""

    def __init__(
        self,
        report_id: int,
        coder_id: int,
        type: str,
        start: int,
        end: int,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        self.report_id, self.coder_id, self.type = report_id, coder_id, type
        self.start, self.end = start, end
        self.attributes = {k: v for k, v in (attributes or {}).items() if v is not None}
        self.row: Row | None = None
        self._assignment: Row | None = None
        self.label = f"Tag {type}"

    @property
    def span_id(self) -> int:
        if self.row is None:
            raise CommandError("the span has not been added yet")
        return int(self.row["id"])

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if self.row is None:
            st = ctx.codebook.span_type(self.type)
            if st is None:
                raise CommandError(f"unknown span type '{self.type}'")
            self.label = f"Tag {st.label}"
            _check_attributes(ctx, "span", self.type, self.attributes)
            covered = _report_text(conn, self.report_id, self.start, self.end)
            now = utcnow()
            row: Row = dict(
                report_id=self.report_id,
                coder_id=self.coder_id,
                key=f"new-{id(self)}-{now.timestamp()}",
                type=self.type,
                start=self.start,
                end=self.end,
                text=covered,
                attributes=self.attributes,
                codebook_id=ctx.codebook_id,
                created_at=now,
                updated_at=now,
            )
            new_id = inserted_id(conn.execute(span_t.insert().values(**row)))
            row["id"] = new_id
            row["key"] = f"s{new_id}"
            conn.execute(span_t.update().where(span_t.c.id == new_id).values(key=row["key"]))
            self.row = row
        else:
            _insert(conn, span_t, [self.row])
        self._assignment = _touch_assignment(conn, self.report_id, self.coder_id)
        return Changes(
            self.label,
            reports={self.report_id},
            spans={self.span_id},
            statuses={(self.report_id, self.coder_id)} if self._assignment else set(),
        )

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        conn.execute(span_t.delete().where(span_t.c.id == self.span_id))
        _restore_assignment(conn, self._assignment)
        return Changes(
            self.label,
            reports={self.report_id},
            spans={self.span_id},
            statuses={(self.report_id, self.coder_id)} if self._assignment else set(),
        )


class DeleteSpan(Command):
    """Delete a span; the claim slots it filled lose it (undo puts everything back)."""

    label = "Delete span"

    def __init__(self, span_id: int) -> None:
        self.span_id = span_id
        self._row: Row | None = None
        self._fills: list[Row] = []
        self._provenance: list[Row] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        self._row = _one(conn, span_t, self.span_id, "span")
        self._fills = _rows(conn, slot_fill_t, slot_fill_t.c.span_id, self.span_id)
        self._provenance = _rows(conn, provenance_t, provenance_t.c.span_id, self.span_id)
        conn.execute(span_t.delete().where(span_t.c.id == self.span_id))  # cascades
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._row is not None
        _insert(conn, span_t, [self._row])
        _insert(conn, slot_fill_t, self._fills)
        _insert(conn, provenance_t, self._provenance)
        return self._changes()

    def _changes(self) -> Changes:
        assert self._row is not None
        return Changes(
            self.label,
            reports={int(self._row["report_id"])},
            spans={self.span_id},
            claims={int(f["claim_id"]) for f in self._fills},
        )


class _UpdateRow(Command):
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
            row = _one(conn, self.table, self.row_id, self.kind)
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


class SetSpanType(_UpdateRow):
    """Retag a span; attributes the new type does not declare are dropped (undo restores them)."""

    table = span_t

    def __init__(self, span_id: int, type: str) -> None:
        super().__init__(span_id)
        self.type = type
        self.label = f"Retag as {type}"

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        st = ctx.codebook.span_type(self.type)
        if st is None:
            raise CommandError(f"unknown span type '{self.type}'")
        self.label = f"Retag as {st.label}"
        keep = {a.id for a in st.attributes}
        attrs = {k: v for k, v in (row["attributes"] or {}).items() if k in keep}
        return {"type": self.type, "attributes": attrs, "codebook_id": ctx.codebook_id}


class SetSpanAttribute(_UpdateRow):
    """Set one attribute of a span (``value=None`` clears it)."""

    table = span_t

    def __init__(self, span_id: int, attribute: str, value: Any) -> None:
        super().__init__(span_id)
        self.attribute, self.value = attribute, value
        self.label = f"Set {attribute}"

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        attrs = dict(row["attributes"] or {})
        if self.value is None:
            attrs.pop(self.attribute, None)
        else:
            attrs[self.attribute] = self.value
        _check_attributes(ctx, "span", row["type"], attrs)
        st = ctx.codebook.span_type(row["type"])
        ad = st.attribute(self.attribute) if st else None
        if ad is not None:
            self.label = f"Set {ad.label}"
        return {"attributes": attrs, "codebook_id": ctx.codebook_id}


class SetSpanBounds(_UpdateRow):
    """Move a span's boundaries (code points, end exclusive); its text follows."""

    table = span_t
    label = "Resize span"

    def __init__(self, span_id: int, start: int, end: int) -> None:
        super().__init__(span_id)
        self.start, self.end = start, end

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        covered = _report_text(conn, int(row["report_id"]), self.start, self.end)
        return {"start": self.start, "end": self.end, "text": covered}


# ---------------------------------------------------------------- claims


class CreateClaim(Command):
    """Create an empty claim record of a codebook claim type."""

    def __init__(
        self,
        report_id: int,
        coder_id: int,
        type: str,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        self.report_id, self.coder_id, self.type = report_id, coder_id, type
        self.attributes = {k: v for k, v in (attributes or {}).items() if v is not None}
        self.row: Row | None = None
        self._assignment: Row | None = None
        self.label = f"New {type} claim"

    @property
    def claim_id(self) -> int:
        if self.row is None:
            raise CommandError("the claim has not been created yet")
        return int(self.row["id"])

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if self.row is None:
            ct = ctx.codebook.claim_type(self.type)
            if ct is None:
                raise CommandError(f"unknown claim type '{self.type}'")
            self.label = f"New {ct.label} claim"
            _check_attributes(ctx, "claim", self.type, self.attributes)
            if (
                conn.execute(select(report_t.c.id).where(report_t.c.id == self.report_id)).first()
                is None
            ):
                raise CommandError(f"report {self.report_id} does not exist")
            now = utcnow()
            row: Row = dict(
                report_id=self.report_id,
                coder_id=self.coder_id,
                key=f"new-{id(self)}-{now.timestamp()}",
                type=self.type,
                attributes=self.attributes,
                codebook_id=ctx.codebook_id,
                created_at=now,
                updated_at=now,
            )
            new_id = inserted_id(conn.execute(claim_t.insert().values(**row)))
            row["id"], row["key"] = new_id, f"c{new_id}"
            conn.execute(claim_t.update().where(claim_t.c.id == new_id).values(key=row["key"]))
            self.row = row
        else:
            _insert(conn, claim_t, [self.row])
        self._assignment = _touch_assignment(conn, self.report_id, self.coder_id)
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        conn.execute(claim_t.delete().where(claim_t.c.id == self.claim_id))
        _restore_assignment(conn, self._assignment)
        return self._changes()

    def _changes(self) -> Changes:
        return Changes(
            self.label,
            reports={self.report_id},
            claims={self.claim_id},
            statuses={(self.report_id, self.coder_id)} if self._assignment else set(),
        )


class DeleteClaim(Command):
    label = "Delete claim"

    def __init__(self, claim_id: int) -> None:
        self.claim_id = claim_id
        self._row: Row | None = None
        self._fills: list[Row] = []
        self._provenance: list[Row] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        self._row = _one(conn, claim_t, self.claim_id, "claim")
        self._fills = _rows(conn, slot_fill_t, slot_fill_t.c.claim_id, self.claim_id)
        self._provenance = _rows(conn, provenance_t, provenance_t.c.claim_id, self.claim_id)
        conn.execute(claim_t.delete().where(claim_t.c.id == self.claim_id))
        return Changes(self.label, reports={int(self._row["report_id"])}, claims={self.claim_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._row is not None
        _insert(conn, claim_t, [self._row])
        _insert(conn, slot_fill_t, self._fills)
        _insert(conn, provenance_t, self._provenance)
        return Changes(self.label, reports={int(self._row["report_id"])}, claims={self.claim_id})


class SetClaimAttribute(_UpdateRow):
    """Set one attribute of a claim (``value=None`` clears it)."""

    table = claim_t
    kind = "claim"

    def __init__(self, claim_id: int, attribute: str, value: Any) -> None:
        super().__init__(claim_id)
        self.attribute, self.value = attribute, value
        self.label = f"Set {attribute}"

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        attrs = dict(row["attributes"] or {})
        if self.value is None:
            attrs.pop(self.attribute, None)
        else:
            attrs[self.attribute] = self.value
        _check_attributes(ctx, "claim", row["type"], attrs)
        return {"attributes": attrs, "codebook_id": ctx.codebook_id}


class _SlotCommand(Command):
    """Rewrite the entries of one slot; undo restores the entries it had before."""

    def __init__(self, claim_id: int, slot: str) -> None:
        self.claim_id, self.slot = claim_id, slot
        self._before: list[Row] | None = None
        self._after: list[Row] | None = None
        self._report_id = 0

    def entries(self, conn: Connection, ctx: Context, claim: Row, current: list[Row]) -> list[Row]:
        """The slot's new entries (dicts with span_id and not_reported), in order."""
        raise NotImplementedError

    def _current(self, conn: Connection) -> list[Row]:
        f = slot_fill_t
        q = (
            select(f)
            .where(f.c.claim_id == self.claim_id, f.c.slot == self.slot)
            .order_by(f.c.position, f.c.id)
        )
        return [dict(r) for r in conn.execute(q).mappings()]

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if self._after is None:
            claim = _one(conn, claim_t, self.claim_id, "claim")
            self._report_id = int(claim["report_id"])
            ct = ctx.codebook.claim_type(claim["type"])
            if ct is None or ct.slot(self.slot) is None:
                raise CommandError(f"claim type '{claim['type']}' has no slot '{self.slot}'")
            self._before = self._current(conn)
            new = self.entries(conn, ctx, claim, self._before)
            self._after = [
                {
                    "claim_id": self.claim_id,
                    "slot": self.slot,
                    "position": i,
                    "span_id": e.get("span_id"),
                    "not_reported": bool(e.get("not_reported", False)),
                }
                for i, e in enumerate(new)
            ]
        self._write(conn, self._after)
        return Changes(self.label, reports={self._report_id}, claims={self.claim_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._before is not None
        self._write(conn, self._before)
        return Changes(self.label, reports={self._report_id}, claims={self.claim_id})

    def _write(self, conn: Connection, rows: list[Row]) -> None:
        f = slot_fill_t
        conn.execute(f.delete().where(f.c.claim_id == self.claim_id, f.c.slot == self.slot))
        _insert(conn, f, [{k: v for k, v in r.items() if k != "id"} for r in rows])
        conn.execute(
            claim_t.update().where(claim_t.c.id == self.claim_id).values(updated_at=utcnow())
        )


class AddToSlot(_SlotCommand):
    """Put a span into a claim slot. A slot that holds at most one span has it replaced."""

    def __init__(self, claim_id: int, slot: str, span_id: int) -> None:
        super().__init__(claim_id, slot)
        self.span_id = span_id
        self.label = f"Fill {slot}"

    def entries(self, conn: Connection, ctx: Context, claim: Row, current: list[Row]) -> list[Row]:
        span = _one(conn, span_t, self.span_id, "span")
        if (span["report_id"], span["coder_id"]) != (claim["report_id"], claim["coder_id"]):
            raise CommandError("a slot takes spans of the same report and coder as its claim")
        ct = ctx.codebook.claim_type(claim["type"])
        assert ct is not None
        sd = ct.slot(self.slot)
        assert sd is not None
        self.label = f"Fill {sd.label}"
        if span["type"] not in sd.accepts:
            raise CommandError(
                f"slot '{sd.label}' accepts {', '.join(sd.accepts)}, not {span['type']}"
            )
        spans = [r for r in current if r["span_id"] is not None]
        if any(r["span_id"] == self.span_id for r in spans):
            raise CommandError(f"the span is already in slot '{sd.label}'")
        if sd.max == 1:
            spans = []
        elif sd.max is not None and len(spans) >= sd.max:
            raise CommandError(f"slot '{sd.label}' holds at most {sd.max} spans")
        return [*spans, {"span_id": self.span_id}]


class RemoveFromSlot(_SlotCommand):
    def __init__(self, claim_id: int, slot: str, span_id: int) -> None:
        super().__init__(claim_id, slot)
        self.span_id = span_id
        self.label = f"Remove from {slot}"

    def entries(self, conn: Connection, ctx: Context, claim: Row, current: list[Row]) -> list[Row]:
        kept = [r for r in current if r["span_id"] != self.span_id]
        if len(kept) == len(current):
            raise CommandError(f"the span is not in slot '{self.slot}'")
        return kept


class SetNotReported(_SlotCommand):
    """Mark a slot as explicitly "not reported" (clearing its spans), or clear the mark."""

    def __init__(self, claim_id: int, slot: str, not_reported: bool = True) -> None:
        super().__init__(claim_id, slot)
        self.not_reported = not_reported
        self.label = f"{slot}: not reported" if not_reported else f"{slot}: reported"

    def entries(self, conn: Connection, ctx: Context, claim: Row, current: list[Row]) -> list[Row]:
        if self.not_reported:
            return [{"span_id": None, "not_reported": True}]
        return [r for r in current if not r["not_reported"]]


# ---------------------------------------------------------------- status and grouping


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
                select(a).where(a.c.report_id == self.report_id, a.c.coder_id == self.coder_id)
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
            a_upd = a.update().where(a.c.id == row["id"])
            conn.execute(a_upd.values(status=self.status, updated_at=now))
        return Changes(self.label, statuses={(self.report_id, self.coder_id)})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        _restore_assignment(conn, self._old)
        return Changes(self.label, statuses={(self.report_id, self.coder_id)})


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
