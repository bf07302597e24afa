"""A coder's status on a report (todo, in progress, done)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import (
    Changes,
    Command,
    CommandError,
    Context,
    Row,
    insert_rows,
    refused,
    restore_assignment,
    write_row,
)
from annotator.core.models import (
    STATUSES,
    assignment_t,
    inserted_id,
    place_t,
    span_t,
    utcnow,
)

__all__ = ["SetStatus"]

# precisions of places worth remembering: settlements and sites, not admin units or countries
_LEARNED_PRECISIONS = (None, "site", "place", "near_place")
_PLACE_COLUMNS = ("name", "country", "admin1", "admin2", "admin3", "lat", "lon", "geonameid")


def learn_places(conn: Connection, ctx: Context, report_id: int, coder_id: int) -> list[Row]:
    """Add to the project's places every place a coder gave a location span of a report
    (an attribute of type ``place`` on a span whose ``precision`` is absent, site, place or
    near place) that the project's places lack (same name, country and admin1); returns the
    rows added, for undo. Admin units and countries are not added: the gazetteer has them."""
    added: list[Row] = []
    place_attrs = {
        st.id: [a.id for a in st.attributes if a.type == "place"] for st in ctx.codebook.span_types
    }
    types = [t for t, attrs in place_attrs.items() if attrs]
    if not types:
        return added
    rows = conn.execute(
        select(span_t.c.type, span_t.c.attributes).where(
            span_t.c.report_id == report_id, span_t.c.coder_id == coder_id,
            span_t.c.type.in_(types))
    )  # fmt: skip
    seen: set[tuple[Any, ...]] = set()
    for type_, attrs in rows:
        attrs = attrs or {}
        precision = attrs.get("precision")
        if precision not in _LEARNED_PRECISIONS:
            continue
        for attr in place_attrs[str(type_)]:
            value = attrs.get(attr)
            if not isinstance(value, dict) or not str(value.get("name") or "").strip():
                continue
            values: Row = {k: value.get(k) for k in _PLACE_COLUMNS}
            values["name"] = str(values["name"]).strip()
            key = (values["name"], values["country"], values["admin1"])
            if key in seen:
                continue
            seen.add(key)
            cond = [place_t.c.name == values["name"]]
            for col in ("country", "admin1"):
                v = values[col]
                cond.append(place_t.c[col].is_(None) if v is None else place_t.c[col] == v)
            if conn.execute(select(place_t.c.id).where(*cond)).first() is not None:
                continue
            values["precision"] = "place" if precision in (None, "near_place") else precision
            values["aliases"] = []
            values["id"] = inserted_id(conn.execute(place_t.insert().values(**values)))
            added.append(values)
    return added


class SetStatus(Command):
    """Set a coder's status on a report (todo, in_progress, done).

    Marking a report done also remembers the places of its location spans in the project's
    places (:func:`learn_places`), so a village coded once is suggested in every later report;
    undo forgets them again.
    """

    def __init__(self, report_id: int, coder_id: int, status: str) -> None:
        if status not in STATUSES:
            raise CommandError(f"status must be one of {', '.join(STATUSES)}, not '{status}'")
        self.report_id, self.coder_id, self.status = report_id, coder_id, status
        self.label = {"done": "Mark done", "todo": "Mark to do"}.get(status, "Mark in progress")
        self._old: Row | None = None
        self._places: list[Row] | None = None

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
        if self.status == "done":
            if self._places is None:
                self._places = learn_places(conn, ctx, self.report_id, self.coder_id)
            else:  # redo: the same rows again
                insert_rows(conn, place_t, self._places)
        return Changes(self.label, statuses={(self.report_id, self.coder_id)})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if not restore_assignment(conn, self._old, ours=self.status):
            raise refused(f"Undo of '{self.label}'", "status")
        if self._places:
            conn.execute(place_t.delete().where(place_t.c.id.in_([p["id"] for p in self._places])))
        return Changes(self.label, statuses={(self.report_id, self.coder_id)})
