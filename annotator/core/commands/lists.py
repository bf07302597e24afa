"""Commands on the project's lists and report settings: actors, places, rejected suggestions,
a report's reference date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import (
    Changes,
    Command,
    CommandError,
    Context,
    Row,
)
from annotator.core.models import (
    actor_t,
    inserted_id,
    place_t,
    rejected_t,
    report_t,
)
from annotator.core.normalize import ActorEntry

__all__ = ["AddActor", "AddPlace", "ImportActors", "RejectSuggestions", "SetReferenceDate"]


class AddActor(Command):
    """Add an actor to the project's list (from the form: "new actor")."""

    def __init__(self, entry: ActorEntry) -> None:
        self.entry = entry
        self.label = f"Add actor {entry.canonical}"
        self._id: int | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if not self.entry.canonical.strip():
            raise CommandError("an actor needs a canonical name")
        found = conn.execute(
            select(actor_t.c.id).where(actor_t.c.canonical == self.entry.canonical)
        ).first()
        if found is not None:
            raise CommandError(f"'{self.entry.canonical}' is already in the actor list")
        self._id = inserted_id(conn.execute(actor_t.insert().values(
            canonical=self.entry.canonical, type=self.entry.type, country=self.entry.country,
            aliases=list(self.entry.aliases))))
        return Changes(self.label, structure=False)

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        conn.execute(delete(actor_t).where(actor_t.c.id == self._id))
        return Changes(self.label)


class AddPlace(Command):
    """Add a place to the project's own place list."""

    def __init__(self, place: Mapping[str, Any]) -> None:
        self.place = dict(place)
        self.label = f"Add place {self.place.get('name')}"
        self._id: int | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        name = str(self.place.get("name") or "").strip()
        if not name:
            raise CommandError("a place needs a name")
        keys = ("country", "admin1", "admin2", "admin3", "lat", "lon", "geonameid")
        values = {k: self.place.get(k) for k in keys}
        values["name"] = name
        values["precision"] = self.place.get("precision") or "place"
        values["aliases"] = list(self.place.get("aliases") or [])
        found = conn.execute(select(place_t.c.id).where(
            place_t.c.name == name,
            place_t.c.country.is_(values["country"]) if values["country"] is None
            else place_t.c.country == values["country"],
            place_t.c.admin1.is_(values["admin1"]) if values["admin1"] is None
            else place_t.c.admin1 == values["admin1"],
        )).first()
        if found is not None:
            raise CommandError(f"'{name}' is already in the project's places")
        self._id = inserted_id(conn.execute(place_t.insert().values(**values)))
        return Changes(self.label)

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        conn.execute(delete(place_t).where(place_t.c.id == self._id))
        return Changes(self.label)


class RejectSuggestions(Command):
    """Remember rejected suggestions so that the scan never proposes them to this coder again."""

    def __init__(self, report_id: int, coder_id: int, items: Iterable[tuple[str, int, int]]):
        self.report_id, self.coder_id = report_id, coder_id
        self.items = sorted(set(items))
        self.label = "Reject suggestion" if len(self.items) == 1 else f"Reject {len(self.items)} suggestions"
        self._ids: list[int] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        self._ids = []
        for type_, start, end in self.items:
            cond = (rejected_t.c.report_id == self.report_id, rejected_t.c.coder_id == self.coder_id,
                    rejected_t.c.type == type_, rejected_t.c.start == start, rejected_t.c.end == end)
            if conn.execute(select(rejected_t.c.id).where(*cond)).first() is None:
                self._ids.append(inserted_id(conn.execute(rejected_t.insert().values(
                    report_id=self.report_id, coder_id=self.coder_id, type=type_, start=start,
                    end=end))))
        return Changes(self.label, reports={self.report_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if self._ids:
            conn.execute(delete(rejected_t).where(rejected_t.c.id.in_(self._ids)))
        return Changes(self.label, reports={self.report_id})


class SetReferenceDate(Command):
    """Override the date a report's relative dates resolve against (None: its published date)."""

    reviewer_action = True

    def __init__(self, report_id: int, date: str | None) -> None:
        if date is not None:
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"'{date}' is not a date (YYYY-MM-DD)") from None
        self.report_id, self.date = report_id, date
        self.label = "Set reference date" if date else "Clear reference date"
        self._old: str | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        self._old = conn.execute(
            select(report_t.c.reference_date).where(report_t.c.id == self.report_id)
        ).scalar_one()
        conn.execute(report_t.update().where(report_t.c.id == self.report_id)
                     .values(reference_date=self.date))
        return Changes(self.label, reports={self.report_id})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        conn.execute(report_t.update().where(report_t.c.id == self.report_id)
                     .values(reference_date=self._old))
        return Changes(self.label, reports={self.report_id})


class ImportActors(Command):
    """Add or update the project's actors from entries read from a CSV file (all or nothing;
    undo removes the added ones and writes the updated ones back)."""

    def __init__(self, entries: Iterable[ActorEntry], source: str = "") -> None:
        self.entries = list(entries)
        self.label = f"Import actors{f' from {source}' if source else ''}"
        self.added = self.updated = 0
        self._added_ids: list[int] = []
        self._before: list[Row] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        existing = {str(r["canonical"]): dict(r) for r in conn.execute(select(actor_t)).mappings()}
        self._added_ids, self._before = [], []
        seen: set[str] = set()
        for e in self.entries:
            row = {"canonical": e.canonical, "type": e.type, "country": e.country,
                   "aliases": list(e.aliases)}
            old = existing.get(e.canonical)
            if old is not None:
                if e.canonical not in seen:
                    self._before.append(old)
                conn.execute(actor_t.update().where(actor_t.c.id == old["id"]).values(**row))
            else:
                new_id = inserted_id(conn.execute(actor_t.insert().values(**row)))
                self._added_ids.append(new_id)
                existing[e.canonical] = {"id": new_id, **row}
            seen.add(e.canonical)
        self.added, self.updated = len(self._added_ids), len(self._before)
        return Changes(self.label)

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if self._added_ids:
            conn.execute(delete(actor_t).where(actor_t.c.id.in_(self._added_ids)))
        for old in self._before:
            conn.execute(actor_t.update().where(actor_t.c.id == old["id"]).values(
                **{k: v for k, v in old.items() if k != "id"}))
        return Changes(self.label)
