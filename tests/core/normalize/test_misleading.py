"""Suggestions that used to mislead: what happened to a number, totals, regions, borders, the
publisher's boilerplate, counts of operations (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

from annotator.core.normalize import find_counts, normalize_count, suggest_attributes, suggest_spans
from annotator.core.normalize.counts import is_aggregate
from annotator.core.normalize.places import SUPRANATIONAL_REGIONS, Gazetteer, PlaceRecord
from annotator.core.normalize.suggest import boilerplate_start

GAZETTEER = Gazetteer.from_records([
    PlaceRecord("Mali", "country", "ML"),
    PlaceRecord("Niger", "country", "NE"),
    PlaceRecord("Iran", "country", "IR"),
    PlaceRecord("Burkina Faso", "country", "BF"),
    PlaceRecord("Tessit", "place", "ML", "Gao", "Ansongo Cercle", None, 15.9, 0.9, 2000,
                weight=2000),
    PlaceRecord("Sahel", "admin1", "BF", "Sahel", weight=500_000),
    PlaceRecord("Sahel", "region", None, alternates=SUPRANATIONAL_REGIONS["Sahel"],
                weight=2_000_000_000),
])  # fmt: skip


def _counts(text: str) -> dict[str, dict]:
    return {f.text: f.attributes for f in find_counts(text)}


def test_the_main_predicate_says_what_happened_not_a_relative_clause() -> None:
    text = ("Four Chadian soldiers who had been taken captive months earlier in an ambush near "
            "Tessit, were executed on Friday.")
    assert _counts(text)["Four"]["status"] == "executed"
    at = text.index("Four")
    assert normalize_count("Four", text, at=at).status == "executed"
    # without a relative clause the nearest word still decides
    assert _counts("Four soldiers were taken captive near Tessit.")["Four"]["status"] == (
        "captured_or_abducted")


def test_totals_over_a_period_or_several_attacks_are_aggregates() -> None:
    text = ("The group said it carried out 31 operations in the first nine days of March. Its "
            "fighters killed or wounded 52 people in the Liptako area alone. There were a total "
            "of 140 casualties from the attacks. On Monday, gunmen killed 7 villagers in Tessit.")
    found = _counts(text)
    assert found["31"]["unit"] == "operations" and found["31"]["aggregate"] is True
    assert "status" not in found["31"]
    assert found["52"]["aggregate"] is True
    assert found["140"]["aggregate"] is True
    assert "aggregate" not in found["7"]  # one event
    at = text.index("140")
    assert normalize_count("140 casualties", text, at=at).aggregate
    assert not is_aggregate(text, text.index("7 villagers"), text.index("7 villagers") + 1)
    # the prefill of a tagged "31 operations" proposes the unit
    value = normalize_count("31 operations", text, at=text.index("31"))
    assert (value.unit, value.aggregate) == ("operations", True)
    # two attacks is no table of operations: not proposed as a count
    assert "two" not in _counts("The fighters carried out two attacks on Monday.")


def test_a_region_across_countries_is_not_an_admin_unit_of_one() -> None:
    text = "Fighters killed 40 people in the Sahel region alone, and others near Tessit in Mali."
    found = {s.text: s.attributes for s in suggest_spans(text, dt.date(2024, 3, 9), None,
                                                         GAZETTEER, None)}
    region = found["Sahel region"]
    assert region["precision"] == "region" and region["place"]["country"] is None
    [best, *_] = suggest_attributes("location", "Sahel", "the Sahel", gazetteer=GAZETTEER, at=4)
    assert best["precision"] == "region"
    # Burkina Faso's Sahel Region still wins where the text is about Burkina Faso
    assert GAZETTEER.suggest("Sahel", country_hint="BF")[0].place["country"] == "BF"


def test_a_place_across_a_border_is_near_it() -> None:
    text = "The camp lies in Tessit, near the border with Niger, in Mali."
    found = {s.text: s.attributes for s in suggest_spans(text, None, None, GAZETTEER, None)}
    assert found["Niger"]["relation"] == "near"
    assert found["Tessit"]["relation"] == "in"
    at = text.index("Niger")
    assert suggest_attributes("location", "Niger", text, gazetteer=GAZETTEER, at=at)[0][
        "relation"] == "near"  # fmt: skip


def test_nothing_is_suggested_from_the_publishers_boilerplate() -> None:
    body = ("Gunmen attacked a checkpoint in Tessit in Mali on Monday, killing 4 soldiers. "
            "The army said the attackers fled toward Niger.\n\nWitnesses said the gunmen came "
            "on motorcycles before dawn and burned two trucks at the checkpoint. Residents "
            "said the road stayed closed for the rest of the day.\n\n")
    trailer = ("The full text of this post is available to subscribers.\n\nThe Monitoring Lab\n\n"
               "The Lab tracks militant media originating from the Middle East, Iran, and West "
               "Africa, in Iran and elsewhere, where 12 analysts were killed in a test.\n\nRead More")
    text = body + trailer
    assert boilerplate_start(text) == len(body)
    found = suggest_spans(text, dt.date(2024, 3, 9), None, GAZETTEER, None)
    assert found and all(s.start < len(body) for s in found)
    assert "Iran" not in {s.text for s in found}
    # an article that merely mentions subscribers early keeps its text
    early = "Please subscribe to read more. " + body * 3
    assert boilerplate_start(early) == len(early)
