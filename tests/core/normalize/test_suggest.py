"""suggest_spans (code point offsets, non-overlap, order) and suggest_attributes prefills."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.core.codebook import load_default_codebook
from annotator.core.normalize.actors import ActorEntry, ActorList
from annotator.core.normalize.places import Gazetteer, PlaceRecord, ProjectPlaces
from annotator.core.normalize.suggest import Suggestion, suggest_attributes, suggest_spans

PUBLISHED = dt.date(2023, 12, 5)

ACTORS = ActorList([
    ActorEntry("Islamic State Sahel Province", "rebel_or_jihadist_group", None, ("ISSP",)),
    ActorEntry("Malian Armed Forces", "state_forces", "ML", ("FAMa", "Malian army")),
    ActorEntry("Al-Naba'", "media_or_propaganda_outlet", None, ()),
])  # fmt: skip

GAZETTEER = Gazetteer.from_records([
    PlaceRecord("Mali", "country", "ML"),
    PlaceRecord("Niger", "country", "NE"),
    PlaceRecord("M\u00e9naka", "place", "ML", "M\u00e9naka", "Cercle de M\u00e9naka", None,
                15.91985, 2.39609, 14085, weight=14085),
    PlaceRecord("Ansongo", "place", "ML", "Gao", "Ansongo Cercle", None, 15.6597, 0.5022, 3000,
                weight=3000),
    PlaceRecord("Gao", "place", "ML", "Gao", None, None, 16.27167, -0.04472, 133110,
                weight=133110),
    PlaceRecord("Gao", "admin1", "ML", "Gao", weight=70000),
    PlaceRecord("Sahel", "admin1", "BF", "Sahel", weight=50000),
    PlaceRecord("North", "admin1", "CM", "North", weight=500000),
    PlaceRecord("Islamic", "place", "XX", None, weight=10),  # a trap for the actor name
])  # fmt: skip

PROJECT = ProjectPlaces([{"name": "Labbezenga", "country": "ML", "admin1": "Gao",
                          "aliases": ["Labezanga"]}])  # fmt: skip

# written for these tests; emoji (two UTF-16 units each) and Arabic before the matches
TEXT = (
    "\U0001f4f0\U0001f525 \u0627\u0644\u0646\u0628\u0623 \u2014 In its weekly Al-Naba' issue, "
    "ISSP said its fighters attacked a FAMa camp in M\u00e9naka on Sunday, killing at least 20 "
    "soldiers and wounding 12 others. Between December 1 and 6, fighters raided villages near "
    "Labbezenga and Ansongo in the Gao region. The Islamic State Sahel Province also claimed "
    "24 operations in Mali and Niger. North of the river, Mr. Diallo said several "
    "people were killed."
)


@pytest.fixture(scope="module")
def found() -> list[Suggestion]:
    return suggest_spans(TEXT, PUBLISHED, ACTORS, GAZETTEER, PROJECT)


def test_offsets_are_code_points(found: list[Suggestion]) -> None:
    assert found
    for s in found:
        assert TEXT[s.start:s.end] == s.text
    first_actor = next(s for s in found if s.type == "actor")
    assert first_actor.text == "Al-Naba'"
    assert first_actor.start == TEXT.index("Al-Naba'")  # 2 emoji + Arabic before it


def test_what_is_found(found: list[Suggestion]) -> None:
    assert [(s.type, s.text) for s in found] == [
        ("actor", "Al-Naba'"),
        ("actor", "ISSP"),
        ("actor", "FAMa"),
        ("location", "M\u00e9naka"),
        ("date", "Sunday"),
        ("casualty_count", "at least 20"),
        ("casualty_count", "12"),
        ("date", "Between December 1 and 6"),
        ("location", "Labbezenga"),
        ("location", "Ansongo"),
        ("location", "Gao region"),
        ("actor", "Islamic State Sahel Province"),
        ("casualty_count", "24"),  # a count of operations (unit), a total over many events
        ("location", "Mali"),
        ("location", "Niger"),
        ("casualty_count", "several"),
    ]


def test_attributes_are_codebook_values(found: list[Suggestion]) -> None:
    cb = load_default_codebook()
    for s in found:
        assert cb.check_span(s.type, s.attributes) == [], s
    by_text = {s.text: s.attributes for s in found}
    assert (by_text["24"]["unit"], by_text["24"]["aggregate"]) == ("operations", True)
    assert by_text["Sunday"] == {"value": "2023-12-03", "granularity": "day",
                                 "anchor": "relative_to_publication"}  # fmt: skip
    assert by_text["Labbezenga"]["place"]["name"] == "Labbezenga"  # the project's own place
    assert (by_text["Labbezenga"]["relation"], by_text["Labbezenga"]["precision"]) == (
        "near", "near_place")  # fmt: skip
    assert by_text["Ansongo"]["relation"] == "near"  # "near Labbezenga and Ansongo"
    assert (by_text["Gao region"]["precision"], by_text["Gao region"]["place"]["name"]) == (
        "admin1", "Gao")  # fmt: skip
    assert by_text["M\u00e9naka"]["place"]["admin2"] == "Cercle de M\u00e9naka"
    assert by_text["at least 20"]["count"] == {"low": 20, "best": 20, "high": None}
    assert by_text["FAMa"] == {"canonical_name": "Malian Armed Forces",
                               "actor_type": "state_forces", "country": "ML"}  # fmt: skip


def test_sorted_and_no_overlap_within_a_type(found: list[Suggestion]) -> None:
    assert [s.start for s in found] == sorted(s.start for s in found)
    for t in ("actor", "location", "date", "casualty_count"):
        spans = [(s.start, s.end) for s in found if s.type == t]
        for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
            assert e1 <= s2


def test_conservative_locations(found: list[Suggestion]) -> None:
    texts = [s.text for s in found if s.type == "location"]
    assert "North" not in texts  # a compass word, though Cameroon has a region of that name
    assert "Islamic" not in texts  # part of an actor's name
    assert "Diallo" not in texts


def test_without_actor_list_or_gazetteer() -> None:
    found = suggest_spans(TEXT, PUBLISHED)
    assert {s.type for s in found} == {"date", "casualty_count"}
    assert suggest_spans("", PUBLISHED) == []


def test_no_relative_dates_without_publication_date() -> None:
    texts = [s.text for s in suggest_spans(TEXT, None) if s.type == "date"]
    assert texts == []  # "Sunday" and "December 1 and 6" need the publication year


def test_suggest_attributes_date_count_actor() -> None:
    assert suggest_attributes("date", "yesterday", published=PUBLISHED) == [
        {"value": "2023-12-04", "granularity": "day", "anchor": "relative_to_publication"}
    ]
    ctx = "The raid came on 2 December 2023. The next day the group struck again."
    [nxt] = suggest_attributes("date", "The next day", ctx, PUBLISHED)
    assert (nxt["value"], nxt["anchor"]) == ("2023-12-03", "relative_to_other_date")
    [count] = suggest_attributes("casualty_count", "12 others", TEXT)
    assert count["status"] == "wounded" and count["count"]["best"] == 12
    assert suggest_attributes("casualty_count", "the soldiers") == []
    actors = suggest_attributes("actor", "Malian army", actors=ACTORS)
    assert actors == [
        {"canonical_name": "Malian Armed Forces", "actor_type": "state_forces", "country": "ML"},
        # a new name, as written, last, with the type its words imply
        {"canonical_name": "Malian army", "actor_type": "state_forces"},
    ]
    assert suggest_attributes("actor", "Unknown gunmen") == [
        {"canonical_name": "Unknown gunmen", "actor_type": "unidentified_armed_group"}]
    assert suggest_attributes("claim", "x") == []


def test_suggest_attributes_location_alternatives_and_relation() -> None:
    ctx = "Fighters were seen near Gao in Mali."
    got = suggest_attributes("location", "Gao", ctx, gazetteer=GAZETTEER, at=ctx.index("Gao"))
    assert [(a["place"]["name"], a["precision"], a["relation"]) for a in got] == [
        ("Gao", "near_place", "near"),
        ("Gao", "admin1", "near"),
    ]
    assert suggest_attributes("location", "Labezanga", project_places=PROJECT)[0]["place"][
        "name"] == "Labbezenga"  # fmt: skip


def test_five_kilobytes_keep_their_offsets() -> None:
    # the scan time of this text is a figure of benchmarks/bench_suite_figures.py, not a test
    text = (TEXT + "\n") * (5000 // len(TEXT) + 1)
    text = text[:5000]
    found = suggest_spans(text, PUBLISHED, ACTORS, GAZETTEER, PROJECT)
    assert found
    assert all(text[s.start:s.end] == s.text for s in found)
