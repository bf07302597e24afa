"""Claim commands: create and delete a claim record, change one of its attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import (
    Changes,
    Command,
    CommandError,
    Context,
    Row,
    UpdateRow,
    check_attributes,
    insert_rows,
    one_row,
    restore_assignment,
    rows_where,
    touch_assignment,
)
from annotator.core.models import (
    claim_t,
    inserted_id,
    provenance_t,
    report_t,
    slot_fill_t,
    utcnow,
)

__all__ = ["CreateClaim", "DeleteClaim", "SetClaimAttribute"]


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
            check_attributes(ctx, "claim", self.type, self.attributes)
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
            insert_rows(conn, claim_t, [self.row])
        self._assignment = touch_assignment(conn, self.report_id, self.coder_id)
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        conn.execute(claim_t.delete().where(claim_t.c.id == self.claim_id))
        restore_assignment(conn, self._assignment)
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
        self._row = one_row(conn, claim_t, self.claim_id, "claim")
        self._fills = rows_where(conn, slot_fill_t, slot_fill_t.c.claim_id, self.claim_id)
        self._provenance = rows_where(conn, provenance_t, provenance_t.c.claim_id, self.claim_id)
        conn.execute(claim_t.delete().where(claim_t.c.id == self.claim_id))
        return Changes(self.label, reports={int(self._row["report_id"])}, claims={self.claim_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._row is not None
        insert_rows(conn, claim_t, [self._row])
        insert_rows(conn, slot_fill_t, self._fills)
        insert_rows(conn, provenance_t, self._provenance)
        return Changes(self.label, reports={int(self._row["report_id"])}, claims={self.claim_id})


class SetClaimAttribute(UpdateRow):
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
        check_attributes(ctx, "claim", row["type"], attrs)
        return {"attributes": attrs, "codebook_id": ctx.codebook_id}
