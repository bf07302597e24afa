from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from annotator.core.codebook import (
    CodebookError,
    check_codebook,
    load_codebook,
    load_default_codebook,
    parse_codebook,
)
from annotator.core.resources import schemas_dir

FIXTURES = Path(__file__).parent.parent / "fixtures"


def default_raw() -> dict:
    return json.loads((schemas_dir() / "conflict-events.json").read_text("utf-8"))


def test_default_codebook_has_the_domain_types() -> None:
    cb = load_default_codebook()
    assert cb.ref == "conflict-events@1"
    assert [t.id for t in cb.span_types] == ["actor", "location", "date", "casualty_count"]
    assert [t.hotkey for t in cb.span_types] == ["1", "2", "3", "4"]
    attack = cb.claim_type("attack")
    assert attack is not None and attack.hotkey == "a"
    perp = attack.slot("perpetrator")
    assert perp is not None and perp.accepts == ("actor",) and perp.min == 1 and perp.max is None
    date_slot = attack.slot("date")
    assert date_slot is not None and date_slot.max == 1
    assert cb.claim_type("aggregate") is not None
    precision = cb.span_type("location").attribute("precision")  # type: ignore[union-attr]
    assert precision is not None and precision.level == "ordinal"
    assert precision.values is not None and precision.values[0] == "site"
    count = cb.span_type("casualty_count").attribute("count")  # type: ignore[union-attr]
    assert count is not None and count.type == "count" and count.level == "ratio"


def test_users_own_tag_set_loads() -> None:
    cb = load_codebook(FIXTURES / "ner-codebook.json")
    assert cb.ref == "ner-basic@2"
    assert [t.id for t in cb.span_types] == ["PER", "LOC", "ORG", "MISC"]
    assert cb.claim_types == ()
    assert cb.check_span("ORG", {"kind": "armed"}) == []
    assert cb.check_span("ORG", {"kind": "navy"})  # not an allowed value


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d.pop("id"), "$", "'id' is a required property"),
        (lambda d: d["span_types"][0].update(hotkey="F1"), "$.span_types[0].hotkey", "does not match"),
        (lambda d: d["span_types"][1].update(hotkey="1"), "$.span_types[1].hotkey", "already used"),
        (lambda d: d["span_types"][2].update(id="actor"), "$.span_types[2].id", "used twice"),
        (
            lambda d: d["claim_types"][0]["slots"][0].update(accepts=["weapon"]),
            "$.claim_types[0].slots[0].accepts[0]",
            "not a span type",
        ),
        (
            lambda d: d["claim_types"][0]["slots"][3].update(min=2, max=1),
            "$.claim_types[0].slots[3].max",
            "below min",
        ),
        (
            lambda d: d["span_types"][0]["attributes"][1].update(type="colour"),
            "$.span_types[0].attributes[1].type",
            "is not one of",
        ),
        (
            lambda d: d["span_types"][0]["attributes"][1].update(level="ratio"),
            "$.span_types[0].attributes[1].level",
            "cannot be ratio",
        ),
        (
            lambda d: d["span_types"][0]["attributes"][1].pop("values"),
            "$.span_types[0].attributes[1].values",
            "needs values",
        ),
        (lambda d: d.update(version="one"), "$.version", "is not of type 'integer'"),
    ],
)
def test_problems_are_reported_with_their_json_path(mutate, path: str, words: str) -> None:
    data = copy.deepcopy(default_raw())
    mutate(data)
    issues = check_codebook(data)
    assert any(i.path == path and words in i.message for i in issues), issues
    with pytest.raises(CodebookError) as err:
        parse_codebook(data, "mine.json")
    assert "mine.json" in str(err.value) and path in str(err.value)


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "id": "x",\n  "version": 1,\n  "span_types": [\n}\n', "utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(bad)
    assert "broken.json" in str(err.value) and "line 5" in str(err.value)


@pytest.mark.parametrize(
    ("type_", "attrs", "ok"),
    [
        ("date", {"value": "2023-12-03"}, True),
        ("date", {"value": "2023-12-01/2023-12-06"}, True),
        ("date", {"value": "2023-11~"}, True),
        ("date", {"value": "../2023-12-06"}, True),
        ("date", {"value": "2023-02-30"}, False),
        ("date", {"value": "3 December"}, False),
        ("casualty_count", {"count": {"low": 10, "best": 12, "high": 15}}, True),
        ("casualty_count", {"count": {"low": 20, "high": 15}}, False),
        ("casualty_count", {"count": {"best": -1}}, False),
        ("casualty_count", {"count": {"best": 2.5}}, False),
        ("casualty_count", {"aggregate": "yes"}, False),
        ("actor", {"country": "ML"}, True),
        ("actor", {"country": "Mali"}, False),
        ("location", {"place": {"name": "Ménaka", "country": "ML"}}, True),
        ("location", {"place": "Ménaka"}, False),
        ("location", {"colour": "red"}, False),
        ("weapon", {}, False),
    ],
)
def test_attribute_values_are_checked(type_: str, attrs: dict, ok: bool) -> None:
    problems = load_default_codebook().check_span(type_, attrs)
    assert (problems == []) is ok, problems


def test_claim_slots_are_checked() -> None:
    cb = load_default_codebook()
    types = {"s1": "actor", "s2": "date", "s3": "date"}
    assert cb.check_claim("attack", {"perpetrator": ["s1"], "date": ["s2"]}, {}, types) == []
    assert cb.check_claim("attack", {"date": "not_reported"}, {}, types) == []
    wrong = cb.check_claim("attack", {"perpetrator": ["s2"]}, {}, types)
    assert wrong and "accepts actor" in wrong[0]
    too_many = cb.check_claim("attack", {"date": ["s2", "s3"]}, {}, types)
    assert too_many and "at most 1" in too_many[0]
    assert cb.check_claim("attack", {"weapon": ["s1"]}, {}, types)
    assert cb.missing_slots("attack", {"date": ["s2"]}) == ["perpetrator"]
    assert cb.missing_slots("attack", {"perpetrator": "not_reported"}) == []
