"""Claim commands: create and delete a claim record, change one of its attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from annotator.core import statements
from annotator.core.commands.base import (
    _UNSET,
    CommandError,
    Context,
    CreateRow,
    DeleteRow,
    Row,
    SetAttribute,
    insert_new,
)
from annotator.core.models import (
    claim_t,
    report_t,
    slot_fill_t,
)

__all__ = ["CreateClaim", "DeleteClaim", "SetClaimAttribute"]


class CreateClaim(CreateRow):
    """Create an empty claim record of a codebook claim type."""

    table = claim_t
    kind = "claim"

    def __init__(
        self,
        report_id: int,
        coder_id: int,
        type: str,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(report_id, coder_id, type, attributes)
        self.label = f"New {type} claim"

    @property
    def claim_id(self) -> int:
        if self.row is None:
            raise CommandError("the claim has not been created yet")
        return int(self.row["id"])

    def create(self, conn: Connection, ctx: Context) -> Row:
        self.label = f"New {self._checked_type(ctx).label} claim"
        if conn.execute(statements.exists_by_id(report_t), {"row_id": self.report_id}).first() is None:
            raise CommandError(f"report {self.report_id} does not exist")
        values = dict(report_id=self.report_id, coder_id=self.coder_id, type=self.type,
                      attributes=self.attributes)
        return insert_new(conn, ctx, claim_t, values, "c", self)

    def in_use(self, conn: Connection) -> bool:
        """A slot of another claim holds this one (undo of its creation is refused then)."""
        query = statements.rows_by(slot_fill_t, "claim_id")
        return conn.execute(query, {"by_claim_id": self.claim_id}).first() is not None


class DeleteClaim(DeleteRow):
    """Delete a claim with its slot fills and provenance (undo puts everything back)."""

    label = "Delete claim"
    table = claim_t
    kind = "claim"

    def __init__(self, claim_id: int, *, expected_version: int | None = None) -> None:
        super().__init__(claim_id, expected_version=expected_version)
        self.claim_id = claim_id


class SetClaimAttribute(SetAttribute):
    """Set one attribute of a claim (``value=None`` clears it); see :class:`SetAttribute`."""

    table = claim_t
    kind = "claim"

    def __init__(self, claim_id: int, attribute: str, value: Any, expected: Any = _UNSET) -> None:
        super().__init__(claim_id, attribute, value, expected)
