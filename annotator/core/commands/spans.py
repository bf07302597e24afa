"""Span commands: add, delete, retag, change an attribute, move the bounds (code points)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from annotator.core.commands.base import (
    _UNSET,
    CommandError,
    Context,
    CreateRow,
    DeleteRow,
    Row,
    SetAttribute,
    UpdateRow,
    insert_new,
    report_text,
)
from annotator.core.models import (
    span_t,
)

__all__ = ["AddSpan", "DeleteSpan", "SetSpanAttribute", "SetSpanBounds", "SetSpanType"]

# the columns another process's change to a span conflicts with (undo and redo compare them)
_COMPARED = ("type", "start", "end", "attributes")


class AddSpan(CreateRow):
    """Tag ``start``..``end`` (code points, end exclusive) of a report as a span of ``type``."""

    table = span_t
    kind = "span"
    compared = _COMPARED

    def __init__(
        self,
        report_id: int,
        coder_id: int,
        type: str,
        start: int,
        end: int,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(report_id, coder_id, type, attributes)
        self.start, self.end = start, end
        self.label = f"Tag {type}"

    @property
    def span_id(self) -> int:
        if self.row is None:
            raise CommandError("the span has not been added yet")
        return int(self.row["id"])

    def create(self, conn: Connection, ctx: Context) -> Row:
        self.label = f"Tag {self._checked_type(ctx).label}"
        covered = report_text(conn, self.report_id, self.start, self.end)
        values = dict(report_id=self.report_id, coder_id=self.coder_id, type=self.type,
                      start=self.start, end=self.end, text=covered, attributes=self.attributes)
        return insert_new(conn, ctx, span_t, values, "s", self)


class DeleteSpan(DeleteRow):
    """Delete a span; the claim slots it filled lose it (undo puts everything back)."""

    label = "Delete span"
    table = span_t
    kind = "span"
    compared = _COMPARED

    def __init__(self, span_id: int, *, expected_version: int | None = None) -> None:
        super().__init__(span_id, expected_version=expected_version)
        self.span_id = span_id


class SetSpanType(UpdateRow):
    """Retag a span; attributes the new type does not declare are dropped (undo restores them)."""

    table = span_t

    def __init__(self, span_id: int, type: str, *, expected_version: int | None = None) -> None:
        super().__init__(span_id, expected_version=expected_version)
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


class SetSpanAttribute(SetAttribute):
    """Set one attribute of a span (``value=None`` clears it); see :class:`SetAttribute`."""

    table = span_t

    def __init__(self, span_id: int, attribute: str, value: Any, expected: Any = _UNSET) -> None:
        super().__init__(span_id, attribute, value, expected)

    def _label(self, ctx: Context, row: Row) -> None:
        st = ctx.codebook.span_type(row["type"])
        ad = st.attribute(self.attribute) if st else None
        if ad is not None:
            self.label = f"Set {ad.label}"


class SetSpanBounds(UpdateRow):
    """Move a span's boundaries (code points, end exclusive); its text follows."""

    table = span_t
    label = "Resize span"

    def __init__(
        self, span_id: int, start: int, end: int, *, expected_version: int | None = None
    ) -> None:
        super().__init__(span_id, expected_version=expected_version)
        self.start, self.end = start, end

    def new_values(self, conn: Connection, ctx: Context, row: Row) -> Row:
        covered = report_text(conn, int(row["report_id"]), self.start, self.end)
        return {"start": self.start, "end": self.end, "text": covered}
