"""Claim commands: create and delete a claim record, change one of its attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import (
    _UNSET,
    Changes,
    Command,
    CommandError,
    Context,
    Row,
    SetAttribute,
    check_attributes,
    check_version,
    insert_rows,
    one_row,
    refused,
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
        assert self.row is not None
        current = conn.execute(
            select(claim_t).where(claim_t.c.id == self.claim_id).with_for_update()
        ).mappings().first()
        if current is not None:
            filled = conn.execute(
                select(slot_fill_t.c.id).where(slot_fill_t.c.claim_id == self.claim_id)
            ).first()
            if current["attributes"] != self.row["attributes"] or filled is not None:
                raise refused(f"Undo of '{self.label}'", "claim")
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

    def __init__(self, claim_id: int, *, expected_version: int | None = None) -> None:
        self.claim_id = claim_id
        self.expected_version = expected_version
        self._row: Row | None = None
        self._fills: list[Row] = []
        self._provenance: list[Row] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        row = one_row(conn, claim_t, self.claim_id, "claim")
        if self._row is None:
            check_version(row, self.expected_version, "claim")
        elif row["attributes"] != self._row["attributes"]:
            raise refused("Redo", "claim")
        self._row = row
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


class SetClaimAttribute(SetAttribute):
    """Set one attribute of a claim (``value=None`` clears it); see :class:`SetAttribute`."""

    table = claim_t
    kind = "claim"

    def __init__(self, claim_id: int, attribute: str, value: Any, expected: Any = _UNSET) -> None:
        super().__init__(claim_id, attribute, value, expected)
