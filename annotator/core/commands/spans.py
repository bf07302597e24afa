"""Span commands: add, delete, retag, change an attribute, move the bounds (code points)."""

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
    UpdateRow,
    check_attributes,
    check_version,
    insert_rows,
    one_row,
    refused,
    report_text,
    restore_assignment,
    rows_where,
    touch_assignment,
)
from annotator.core.models import (
    inserted_id,
    provenance_t,
    slot_fill_t,
    span_t,
    utcnow,
)

__all__ = ["AddSpan", "DeleteSpan", "SetSpanAttribute", "SetSpanBounds", "SetSpanType"]


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
            check_attributes(ctx, "span", self.type, self.attributes)
            covered = report_text(conn, self.report_id, self.start, self.end)
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
            insert_rows(conn, span_t, [self.row])
        self._assignment = touch_assignment(conn, self.report_id, self.coder_id)
        return Changes(
            self.label,
            reports={self.report_id},
            spans={self.span_id},
            statuses={(self.report_id, self.coder_id)} if self._assignment else set(),
        )

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self.row is not None
        current = conn.execute(
            select(span_t).where(span_t.c.id == self.span_id).with_for_update()
        ).mappings().first()
        if current is not None:
            if any(current[k] != self.row[k] for k in ("type", "start", "end", "attributes")):
                raise refused(f"Undo of '{self.label}'", "span")
            conn.execute(span_t.delete().where(span_t.c.id == self.span_id))
        restore_assignment(conn, self._assignment)
        return Changes(
            self.label,
            reports={self.report_id},
            spans={self.span_id},
            statuses={(self.report_id, self.coder_id)} if self._assignment else set(),
        )


class DeleteSpan(Command):
    """Delete a span; the claim slots it filled lose it (undo puts everything back)."""

    label = "Delete span"

    def __init__(self, span_id: int, *, expected_version: int | None = None) -> None:
        self.span_id = span_id
        self.expected_version = expected_version
        self._row: Row | None = None
        self._fills: list[Row] = []
        self._provenance: list[Row] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        row = one_row(conn, span_t, self.span_id, "span")
        if self._row is None:
            check_version(row, self.expected_version, "span")
        elif any(row[k] != self._row[k] for k in ("type", "start", "end", "attributes")):
            raise refused("Redo", "span")
        self._row = row
        self._fills = rows_where(conn, slot_fill_t, slot_fill_t.c.span_id, self.span_id)
        self._provenance = rows_where(conn, provenance_t, provenance_t.c.span_id, self.span_id)
        conn.execute(span_t.delete().where(span_t.c.id == self.span_id))  # cascades
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._row is not None
        insert_rows(conn, span_t, [self._row])
        insert_rows(conn, slot_fill_t, self._fills)
        insert_rows(conn, provenance_t, self._provenance)
        return self._changes()

    def _changes(self) -> Changes:
        assert self._row is not None
        return Changes(
            self.label,
            reports={int(self._row["report_id"])},
            spans={self.span_id},
            claims={int(f["claim_id"]) for f in self._fills},
        )


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
