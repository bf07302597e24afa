"""Slot commands: a claim's slot gets evidence spans, loses one, or is marked not reported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from annotator.core import statements
from annotator.core.commands.base import (
    Changes,
    Command,
    CommandError,
    Context,
    Row,
    check_version,
    insert_rows,
    one_row,
    refused,
    write_row,
)
from annotator.core.models import (
    claim_t,
    slot_fill_t,
    span_t,
    utcnow,
)

if TYPE_CHECKING:
    from annotator.core.commands.spans import AddSpan

__all__ = ["AcceptIntoSlot", "AddToSlot", "RemoveFromSlot", "SetNotReported"]


class _SlotCommand(Command):
    """Rewrite the entries of one slot; undo restores the entries it had before."""

    def __init__(self, claim_id: int, slot: str, *, expected_version: int | None = None) -> None:
        self.claim_id, self.slot = claim_id, slot
        self.expected_version = expected_version
        self._before: list[Row] | None = None
        self._after: list[Row] | None = None
        self._report_id = 0

    def entries(self, conn: Connection, ctx: Context, claim: Row, current: list[Row]) -> list[Row]:
        """The slot's new entries (dicts with span_id and not_reported), in order."""
        raise NotImplementedError

    def _current(self, conn: Connection) -> list[Row]:
        q = statements.rows_by(slot_fill_t, "claim_id", "slot", order_by=("position", "id"))
        rows = conn.execute(q, {"by_claim_id": self.claim_id, "by_slot": self.slot})
        return [dict(r) for r in rows.mappings()]

    @staticmethod
    def _entries(rows: list[Row]) -> list[tuple[Any, bool]]:
        return [(r["span_id"], bool(r["not_reported"])) for r in rows]

    def do(self, conn: Connection, ctx: Context) -> Changes:
        claim = one_row(conn, claim_t, self.claim_id, "claim")  # locks the claim and its slots
        if self._after is not None:
            if self._entries(self._current(conn)) != self._entries(self._before or []):
                raise refused(f"Redo of '{self.label}'", "claim")
        else:
            check_version(claim, self.expected_version, "claim")
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
        self._write(conn, claim, self._after)
        return Changes(self.label, reports={self._report_id}, claims={self.claim_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._before is not None and self._after is not None
        claim = one_row(conn, claim_t, self.claim_id, "claim")
        if self._entries(self._current(conn)) != self._entries(self._after):
            raise refused(f"Undo of '{self.label}'", "claim")
        self._write(conn, claim, self._before)
        return Changes(self.label, reports={self._report_id}, claims={self.claim_id})

    def _write(self, conn: Connection, claim: Row, rows: list[Row]) -> None:
        conn.execute(statements.delete_by(slot_fill_t, "claim_id", "slot"),
                     {"by_claim_id": self.claim_id, "by_slot": self.slot})
        insert_rows(conn, slot_fill_t, [{k: v for k, v in r.items() if k != "id"} for r in rows])
        write_row(conn, claim_t, claim, {"updated_at": utcnow()})


class AddToSlot(_SlotCommand):
    """Put a span into a claim slot. A slot that holds at most one span has it replaced."""

    def __init__(self, claim_id: int, slot: str, span_id: int) -> None:
        super().__init__(claim_id, slot)
        self.span_id = span_id
        self.label = f"Fill {slot}"

    def entries(self, conn: Connection, ctx: Context, claim: Row, current: list[Row]) -> list[Row]:
        span = one_row(conn, span_t, self.span_id, "span")
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


class AcceptIntoSlot(Command):
    """Accept a suggested span (an AddSpan with its suggested values) and put it into a claim's
    slot: one key, one undo step; if the slot refuses the span, nothing is stored."""

    def __init__(self, add: AddSpan, claim_id: int, slot: str) -> None:
        self.add = add
        self.claim_id, self.slot = claim_id, slot
        self.fill: AddToSlot | None = None
        self.label = "Accept the suggestion into the slot"

    def do(self, conn: Connection, ctx: Context) -> Changes:
        changes = self.add.do(conn, ctx)
        if self.fill is None:
            self.fill = AddToSlot(self.claim_id, self.slot, self.add.span_id)
        changes.merge(self.fill.do(conn, ctx))
        self.label = f"Accept the suggestion into {self.fill.label.removeprefix('Fill ')}"
        changes.label = self.label
        return changes

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self.fill is not None
        changes = self.fill.undo(conn, ctx)
        changes.merge(self.add.undo(conn, ctx))
        changes.label = self.label
        return changes
