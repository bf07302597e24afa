"""Normalized-value suggestions for a project: the project's actor list and places, settings,
rejected suggestions, and the commands that change them (undoable like every other action).

The pure normalizers live in annotator.core.normalize; this module feeds them the project's data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook
from annotator.core.commands.base import Changes, Command, CommandError, Context
from annotator.core.commands.lists import AddActor, AddPlace, RejectSuggestions, SetReferenceDate
from annotator.core.db import get_meta, set_meta
from annotator.core.models import (
    actor_t,
    place_t,
    rejected_t,
    report_t,
    span_t,
)
from annotator.core.normalize import (
    DEFAULT_VAGUE_TABLE,
    ActorEntry,
    ActorList,
    Gazetteer,
    ProjectPlaces,
    Suggestion,
    read_actors_csv,
    suggest_attributes,
    suggest_spans,
)
from annotator.core.resources import resources_dir

__all__ = [
    "AddActor",
    "AddPlace",
    "RejectSuggestions",
    "REFERENCE_RULES",
    "SetProjectSettings",
    "SetReferenceDate",
    "Settings",
    "actor_list",
    "load_settings",
    "place_names",
    "project_places",
    "report_suggestions",
    "save_settings",
    "span_prefill",
    "starter_actors",
    "starter_actors_path",
    "store_starter_actors",
]


# ------------------------------------------------------------------ settings


#: what relative dates ("on Sunday", "3 December") resolve against when a report has no
#: reference date of its own: its published date only, or else the day it was imported, or else
#: one fixed date for the whole project
REFERENCE_RULES = ("published", "published_or_imported", "published_or_fixed")


class Settings:
    """The project's settings (stored in the meta table as JSON): normalization (day first, the
    vague-number table, the reference-date rule) and the double-coded share, the fraction
    (0-1) of reports that ``assign`` gives a second coder unless told otherwise."""

    def __init__(
        self,
        day_first: bool = False,
        vague_table: Mapping[str, int] | None = None,
        reference_rule: str = "published",
        reference_fixed: str | None = None,
        double_coding_share: float = 0.0,
    ):
        self.day_first = day_first
        self.vague_table = dict(DEFAULT_VAGUE_TABLE if vague_table is None else vague_table)
        self.reference_rule = reference_rule
        self.reference_fixed = reference_fixed
        self.double_coding_share = double_coding_share

    def problems(self) -> list[str]:
        """Why these settings cannot be stored (empty when they can)."""
        out = []
        if self.reference_rule not in REFERENCE_RULES:
            out.append(f"reference rule {self.reference_rule!r} is not one of {', '.join(REFERENCE_RULES)}")
        if self.reference_rule == "published_or_fixed":
            try:
                dt.date.fromisoformat(str(self.reference_fixed))
            except ValueError:
                out.append(f"the fixed reference date {self.reference_fixed!r} is not a date (YYYY-MM-DD)")
        for word, n in self.vague_table.items():
            if not word.strip():
                out.append("a vague-number word is empty")
            elif word != word.strip().lower():
                out.append(f"vague-number word {word!r}: write it in lower case without spaces around")
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                out.append(f"vague-number word {word!r}: {n!r} is not a whole number >= 0")
        share = self.double_coding_share
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            out.append(f"the double-coded share {share!r} is not between 0 and 1")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"day_first": self.day_first, "vague_table": dict(sorted(self.vague_table.items())),
                "reference_rule": self.reference_rule, "reference_fixed": self.reference_fixed,
                "double_coding_share": self.double_coding_share}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.to_json() == other.to_json()


def load_settings(conn: Connection) -> Settings:
    raw = get_meta(conn, "normalize_settings")
    if not raw:
        return Settings()
    data = json.loads(raw)
    share = data.get("double_coding_share", 0.0)
    return Settings(bool(data.get("day_first", False)), data.get("vague_table"),
                    data.get("reference_rule") or "published", data.get("reference_fixed"),
                    float(share) if type(share) in (int, float) else 0.0)


def save_settings(conn: Connection, settings: Settings) -> None:
    bad = settings.problems()
    if bad:
        raise CommandError("; ".join(bad))
    set_meta(conn, "normalize_settings", json.dumps(settings.to_json(), sort_keys=True))


class SetProjectSettings(Command):
    """Change the project's normalization settings (undoable like every other change)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.label = "Change project settings"
        self._old: Settings | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        self._old = load_settings(conn)
        save_settings(conn, self.settings)
        return Changes(self.label, structure=True)

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._old is not None
        save_settings(conn, self._old)
        return Changes(self.label, structure=True)


# ------------------------------------------------------------------ lists


# Built lists by their rows: building an ActorList folds every name (tens of ms for the starter
# list), reading the rows again is well under a millisecond, so a tag's prefill reuses the list
# while its rows are the same (and never serves a stale one)
_LIST_CACHE: dict[tuple[str, tuple[Any, ...]], Any] = {}
_LIST_CACHE_SIZE = 8


def _cached(kind: str, rows: tuple[Any, ...], build: Any) -> Any:
    key = (kind, rows)
    found = _LIST_CACHE.get(key)
    if found is None:
        found = build()
        if len(_LIST_CACHE) >= _LIST_CACHE_SIZE:
            _LIST_CACHE.pop(next(iter(_LIST_CACHE)))
        _LIST_CACHE[key] = found
    return found


def actor_list(conn: Connection) -> ActorList:
    rows = tuple(
        (c, t, k, tuple(a or ())) for c, t, k, a in conn.execute(
            select(actor_t.c.canonical, actor_t.c.type, actor_t.c.country, actor_t.c.aliases)
            .order_by(actor_t.c.id))
    )  # fmt: skip
    return _cached("actors", rows, lambda: ActorList(ActorEntry(*r) for r in rows))  # type: ignore[no-any-return]


_PLACE_KEYS = ("name", "country", "admin1", "admin2", "admin3", "lat", "lon", "geonameid",
               "precision", "aliases")


def place_names(conn: Connection) -> list[str]:
    """The names of the project's own places (for the settings dialog), sorted."""
    return sorted({str(n) for (n,) in conn.execute(select(place_t.c.name))})


def project_places(conn: Connection) -> ProjectPlaces:
    cols = [place_t.c[k] for k in _PLACE_KEYS]
    rows = tuple(
        tuple(tuple(v) if isinstance(v, list) else v for v in row)
        for row in conn.execute(select(*cols).order_by(place_t.c.id))
    )
    return _cached(  # type: ignore[no-any-return]
        "places", rows, lambda: ProjectPlaces(dict(zip(_PLACE_KEYS, r, strict=True)) for r in rows))


def starter_actors_path() -> Path:
    """The shipped starter list of actors (``resources/actors-starter.csv``, the format of
    ``actors import``): state forces and well-known armed groups with their usual aliases."""
    return resources_dir() / "actors-starter.csv"


def starter_actors(codebook: Codebook) -> list[ActorEntry]:
    """The starter actors a project with ``codebook`` can use: none without an ``actor`` span
    type; an actor type the codebook's ``actor_type`` enum lacks is left empty, and so is the
    country when the codebook has no ``country`` attribute."""
    span_type = codebook.span_type("actor")
    if span_type is None:
        return []
    type_attr = span_type.attribute("actor_type")
    types = set(type_attr.values or ()) if type_attr is not None else set()
    keep_country = span_type.attribute("country") is not None
    return [
        ActorEntry(e.canonical, e.type if e.type in types else None,
                   e.country if keep_country else None, e.aliases)
        for e in read_actors_csv(starter_actors_path())
    ]  # fmt: skip


def store_starter_actors(conn: Connection, codebook: Codebook) -> int:
    """Add the starter actors to a project's (empty) actor list; returns how many were added.

    Does nothing when the list already holds actors, so a project lead's own list is never
    mixed with it. ``Project.open`` calls it for every new project; ``actors export`` /
    ``actors import`` edit the list afterwards.
    """
    if conn.execute(select(actor_t.c.id).limit(1)).first() is not None:
        return 0
    rows = [{"canonical": e.canonical, "type": e.type, "country": e.country,
             "aliases": list(e.aliases)} for e in starter_actors(codebook)]  # fmt: skip
    if rows:
        conn.execute(actor_t.insert(), rows)
    return len(rows)





# ------------------------------------------------------------------ suggestions


def reference_date(conn: Connection, report_id: int) -> dt.date | None:
    """The report's own reference date, else its published date, else what the project's
    reference rule says (the import day, or a fixed date), else None."""
    row = conn.execute(
        select(report_t.c.reference_date, report_t.c.published, report_t.c.imported_at)
        .where(report_t.c.id == report_id)
    ).one()
    candidates: list[Any] = [row[0], row[1]]
    rule = load_settings(conn)
    if rule.reference_rule == "published_or_imported":
        candidates.append(row[2])
    elif rule.reference_rule == "published_or_fixed":
        candidates.append(rule.reference_fixed)
    for value in candidates:
        if value:
            try:
                return dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                continue
    return None


def _gazetteer() -> Gazetteer | None:
    return Gazetteer.default() if Gazetteer.available() else None


def report_suggestions(
    conn: Connection, report_id: int, coder_id: int, span_types: Sequence[str]
) -> list[Suggestion]:
    """Suggested spans for a coder on a report: never one that duplicates or overlaps the coder's
    own span of the same type, never one the coder rejected, only types the codebook has."""
    text = conn.execute(select(report_t.c.text).where(report_t.c.id == report_id)).scalar_one()
    settings = load_settings(conn)
    found = suggest_spans(
        text, reference_date(conn, report_id), actor_list(conn), _gazetteer(),
        project_places(conn), settings.day_first, settings.vague_table,
    )
    mine: dict[str, list[tuple[int, int]]] = {}
    for t, a, b in conn.execute(
        select(span_t.c.type, span_t.c.start, span_t.c.end).where(
            span_t.c.report_id == report_id, span_t.c.coder_id == coder_id)
    ):
        mine.setdefault(str(t), []).append((int(a), int(b)))
    rejected = {
        (str(t), int(a), int(b)) for t, a, b in conn.execute(
            select(rejected_t.c.type, rejected_t.c.start, rejected_t.c.end).where(
                rejected_t.c.report_id == report_id, rejected_t.c.coder_id == coder_id))
    }
    out = []
    for s in found:
        if s.type not in span_types or (s.type, s.start, s.end) in rejected:
            continue
        if any(a < s.end and s.start < b for a, b in mine.get(s.type, ())):
            continue
        out.append(s)
    return out


def span_prefill(
    conn: Connection, report_id: int, type_: str, start: int, end: int
) -> list[dict[str, Any]]:
    """Attribute suggestions for a span just tagged: best first, alternatives after."""
    lo = max(0, start - 400)
    # only the span's neighbourhood: a report may be 1 MB (SQL substr counts code points)
    context = str(conn.execute(
        select(func.substr(report_t.c.text, lo + 1, end + 400 - lo)).where(report_t.c.id == report_id)
    ).scalar_one())
    settings = load_settings(conn)
    return suggest_attributes(
        type_, context[start - lo : end - lo], context, reference_date(conn, report_id),
        actor_list(conn) if type_ == "actor" else None,
        _gazetteer() if type_ == "location" else None,
        project_places(conn) if type_ == "location" else None,
        settings.day_first, settings.vague_table, at=start - lo,
    )
