"""Places the gazetteer lacks: the name with the report's country and nearby admin areas, and a
place coded once remembered for every later report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.core import assist
from annotator.core.commands import AddSpan, SetSpanAttribute, SetStatus
from annotator.core.normalize import suggest_attributes, suggest_spans
from annotator.core.normalize.places import Gazetteer, PlaceRecord
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

GAZETTEER = Gazetteer.from_records([
    PlaceRecord("Mali", "country", "ML"),
    PlaceRecord("Niger", "country", "NE"),
    PlaceRecord("Ansongo", "place", "ML", "Gao", "Ansongo Cercle", None, 15.6597, 0.5022, 3000,
                weight=3000),
    PlaceRecord("Gao", "admin1", "ML", "Gao", weight=70000),
    PlaceRecord("Ménaka", "admin1", "ML", "Ménaka", weight=20000),
    PlaceRecord("Per", "place", "HU", "Győr-Moson-Sopron", None, None, 47.6, 17.7, 1200),
])  # fmt: skip

# written for these tests
TEXT = (
    "Per the plan, fighters attacked a camp in the village of Oubelkoum, southwest of the town "
    "of Ansongo, near the border with Niger. Earlier, raids hit the villages of Tadamakat, "
    "In-Tillit and Egharouss in the Ménaka region."
)


def test_prefill_of_an_unknown_village_takes_country_and_admin_areas_from_around_it() -> None:
    at = TEXT.index("Oubelkoum")
    [best] = suggest_attributes("location", "Oubelkoum", TEXT, gazetteer=GAZETTEER, at=at)
    assert best["place"]["name"] == "Oubelkoum"
    # the country of the places named around it, not the town "Per" in Hungary nor Niger
    assert best["place"]["country"] == "ML"
    assert (best["place"]["admin1"], best["place"]["admin2"]) == ("Gao", "Ansongo Cercle")
    assert best["place"]["lat"] is None
    assert best["precision"] == "place" and best["relation"] == "in"
    at = TEXT.index("In-Tillit")
    [other] = suggest_attributes("location", "In-Tillit", TEXT, gazetteer=GAZETTEER, at=at)
    assert (other["place"]["country"], other["place"]["admin1"]) == ("ML", "Ménaka")


def test_the_scan_proposes_villages_named_as_such() -> None:
    found = {s.text: s.attributes for s in suggest_spans(TEXT, dt.date(2024, 1, 2), None,
                                                         GAZETTEER, None) if s.type == "location"}
    for name in ("Oubelkoum", "Tadamakat", "In-Tillit", "Egharouss"):
        assert found[name]["place"]["name"] == name
        assert found[name]["place"]["country"] == "ML"
        assert found[name]["precision"] == "place"
    assert found["Oubelkoum"]["place"]["admin2"] == "Ansongo Cercle"
    assert found["Egharouss"]["place"]["admin1"] == "Ménaka"
    assert "Per" not in found and "Earlier" not in found


def test_a_name_without_letters_gets_no_place() -> None:
    assert suggest_attributes("location", "12", "in 12", gazetteer=GAZETTEER, at=3) == []


@pytest.fixture
def proj(tmp_path: Path):
    one = "Fighters raided the village of Oubelkoum on Monday.\n"
    two = "A week later Oubelkoum was attacked again.\n"
    p = Project.open(tmp_path / "p.db")
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [
        record("r1", one, published="2024-01-10"), record("r2", two, published="2024-01-17")])])
    ids = {r.external_id: r.id for r in p.reports()}
    cid = p.coder_id("amina", create=True)
    yield p, ids, cid, one, two
    p.close()


def test_a_place_coded_once_is_suggested_in_later_reports(proj) -> None:
    p, ids, cid, one, two = proj
    at = one.index("Oubelkoum")
    add = AddSpan(ids["r1"], cid, "location", at, at + 9, {"precision": "place"})
    p.run(add)
    place = {"name": "Oubelkoum", "country": "ML", "admin1": "Gao", "admin2": "Ansongo Cercle"}
    p.run(SetSpanAttribute(add.span_id, "place", place))
    region = one.index("village")  # an admin-level value is not remembered
    p.run(AddSpan(ids["r1"], cid, "location", region, region + 7, {
        "precision": "admin1", "place": {"name": "Gao", "country": "ML", "admin1": "Gao"}}))
    with p._engine.connect() as conn:
        assert not assist.project_places(conn).contains("Oubelkoum")  # not yet: not done
    p.run(SetStatus(ids["r1"], cid, "done"))
    with p._engine.connect() as conn:
        assert assist.project_places(conn).contains("Oubelkoum")
        assert not assist.project_places(conn).contains("Gao")
    at2 = two.index("Oubelkoum")
    best = p.prefill(ids["r2"], "location", at2, at2 + 9)[0]
    assert best["place"]["name"] == "Oubelkoum"
    assert (best["place"]["country"], best["place"]["admin2"]) == ("ML", "Ansongo Cercle")
    found = [s for s in p.suggestions(ids["r2"], cid) if s.type == "location"]
    assert [s.text for s in found] == ["Oubelkoum"]
    p.undo()  # marking done undone: the place is forgotten with it
    with p._engine.connect() as conn:
        assert not assist.project_places(conn).contains("Oubelkoum")
    p.redo()
    with p._engine.connect() as conn:
        assert assist.project_places(conn).contains("Oubelkoum")
    p.run(SetStatus(ids["r1"], cid, "in_progress"))
    p.run(SetStatus(ids["r1"], cid, "done"))  # done again: nothing twice
    with p._engine.connect() as conn:
        assert assist.project_places(conn).names().count("Oubelkoum") == 1
