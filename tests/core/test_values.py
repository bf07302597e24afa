"""The value type registry: one rule per type for import, commands and the form; the spans
table, agreement and summaries read the types, not the attribute names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import values
from annotator.core.codebook import (
    ATTRIBUTE_TYPES,
    AttributeDef,
    load_default_codebook,
    parse_codebook,
)
from annotator.core.io.spreadsheet import span_columns, span_rows
from annotator.core.project import Project
from annotator.core.resources import schemas_dir
from annotator.core.summary import span_value

CB = load_default_codebook()
PLACE = AttributeDef("place", "Place", "place", "nominal")

#: place values the form refuses, with the message; import must refuse them the same way
BAD_PLACES = [
    ({"name": "Gao", "lat": 200.0, "lon": 0.0}, "lat must be between -90 and 90"),
    ({"name": "Gao", "lat": 16.0, "lon": -181.0}, "lon must be between -180 and 180"),
    ({"name": "Gao", "country": "Mali"}, "country: two letters (ISO 3166-1), e.g. ML"),
    ({"name": "Gao", "lat": 16.27}, "give both lat and lon, or neither"),
    ({"country": "ML"}, "a place needs a name"),
]


def test_every_codebook_type_is_registered() -> None:
    schema = json.loads((schemas_dir() / "codebook.schema.json").read_text("utf-8"))
    text = json.dumps(schema)
    assert set(ATTRIBUTE_TYPES) == set(values.value_types())
    for name in values.value_types():
        assert f'"{name}"' in text


@pytest.mark.parametrize(("place", "message"), BAD_PLACES)
def test_check_span_refuses_what_the_form_refuses(place: dict, message: str) -> None:
    assert values.check(PLACE, place) == message
    assert CB.check_span("location", {"place": place}) == [f"attribute 'place': {message}"]


@pytest.mark.parametrize(("place", "message"), BAD_PLACES)
def test_import_refuses_the_same_places(tmp_path: Path, place: dict, message: str) -> None:
    text = "Gunmen attacked Gao."
    record = {"report": {"id": "r1", "title": "t", "text": text},
              "annotations": [{"coder": "amina", "spans": [
                  {"id": "s1", "type": "location", "start": 16, "end": 19, "text": "Gao",
                   "attributes": {"place": place}}]}]}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record) + "\n", "utf-8")
    p = Project.open(tmp_path / "v.db")
    try:
        summary = p.import_paths([src])
        assert not summary.files[0].ok and message in summary.files[0].message
        assert p.reports() == []
    finally:
        p.close()


def test_a_lower_case_country_is_refused_as_stored_and_upper_cased_as_typed() -> None:
    assert values.check(PLACE, {"name": "Gao", "country": "ml"}) == (
        "country: two letters (ISO 3166-1), e.g. ML")
    assert values.parse(PLACE, {"name": "Gao", "country": "ml"})["country"] == "ML"


def test_good_places_and_parsing() -> None:
    assert values.check(PLACE, {"name": "Gao", "country": "ML", "lat": 16.27, "lon": -0.05,
                                "geonameid": 2457163, "admin1": None}) is None
    assert values.parse(PLACE, {"name": " Gao ", "country": "ml", "lat": "16.27", "lon": "0"}) == {
        "name": "Gao", "country": "ML", "lat": 16.27, "lon": 0.0}
    with pytest.raises(ValueError, match="lat: 'north' is not a number"):
        values.parse(PLACE, {"name": "Gao", "lat": "north", "lon": "1"})
    assert values.parse(PLACE, {"name": "", "lat": ""}) is None


def test_counts_numbers_and_dates() -> None:
    count = AttributeDef("count", "Count", "count", "ratio")
    assert values.parse(count, {"low": "1,200", "best": "", "high": "1 500"}) == {
        "low": 1200, "high": 1500}
    with pytest.raises(ValueError, match="low 30 is above high 20"):
        values.parse(count, {"low": "30", "high": "20"})
    assert values.check(count, {"best": -1}) == "best: a count cannot be negative"
    number = AttributeDef("share", "Share", "number", "ratio")
    assert values.parse(number, "12") == 12 and values.parse(number, "1.5") == 1.5
    with pytest.raises(ValueError, match="'inf' is not a number"):
        values.parse(number, "inf")
    date = AttributeDef("when", "When", "date", "interval")
    assert values.parse(date, " 2023-12 ") == "2023-12"
    with pytest.raises(ValueError, match="not an EDTF date"):
        values.parse(date, "last Sunday")


def test_agreement_reads_the_type() -> None:
    ordinal = AttributeDef("g", "G", "enum", "ordinal", values=("day", "week", "month"))
    assert values.agreement_level(ordinal) == ("ordinal", [0, 1, 2])
    assert values.agreement_level(PLACE) == ("nominal", None)
    assert values.agreement_value(ordinal, "month") == 2
    assert values.agreement_value(AttributeDef("c", "C", "count", "ratio"), {"low": 10, "high": 20}) == 15
    assert values.agreement_value(AttributeDef("a", "A", "actor", "nominal"), " ISIS ") == "isis"


def _when_codebook():
    return parse_codebook({
        "id": "when-test", "version": 1, "title": "a date attribute not named value",
        "span_types": [{"id": "event", "label": "Event", "color": "#112233", "hotkey": "e",
                        "attributes": [{"id": "when", "type": "date", "level": "interval"},
                                       {"id": "where", "type": "place", "level": "nominal"}]}],
    }, "test")


def test_a_date_named_when_gets_its_start_and_end() -> None:
    cb = _when_codebook()
    cols = span_columns(cb)
    assert cols[-9:] == ["when", "date_start", "date_end", "where_name", "where_country",
                         "where_admin1", "where_admin2", "where_lat", "where_lon"]
    record = {"report": {"id": "r1", "text": "In December in Gao"}, "annotations": [
        {"coder": "amina", "spans": [{"id": "s1", "type": "event", "start": 0, "end": 11,
                                      "text": "In December",
                                      "attributes": {"when": "2023-12", "where": {"name": "Gao"}}}]}]}
    row = next(span_rows([record], cb))
    assert (str(row["date_start"]), str(row["date_end"])) == ("2023-12-01", "2023-12-31")
    assert row["when"] == "2023-12" and row["where_name"] == "Gao"


def test_span_value_reads_the_type_not_the_name() -> None:
    from annotator.core.queries import SpanRow

    cb = _when_codebook()
    span = SpanRow(1, "s1", "event", 0, 11, "In December", {"when": "2023-12"})
    assert span_value(span, cb) == "2023-12"
    assert span_value(SpanRow(2, "s2", "event", 0, 3, "Gao", {"where": {"name": "Gao"}}), cb) == "Gao"
    # a codebook attribute named like the default's means nothing by its name
    assert span_value(SpanRow(3, "s3", "event", 0, 3, "Gao", {"value": "x"}), cb) == "Gao"


def test_text_of_shows_labels_and_words_never_reprs() -> None:
    from annotator.core.codebook import AttributeDef
    from annotator.core.values import text_of

    kind = AttributeDef("event_type", "Event type", "enum", "nominal", ("armed_clash", "attack"),
                        value_labels={"attack": "Attack on a position"})
    assert text_of(kind, "armed_clash") == "armed clash"
    assert text_of(kind, "attack") == "Attack on a position"
    assert text_of(kind, None) == "not coded"
    place = AttributeDef("place", "Place", "place", "nominal")
    assert text_of(place, {"name": "Ayorou", "country": "NE", "lat": 14.7}) == "Ayorou (NE)"
    count = AttributeDef("count", "Count", "count", "ratio")
    assert text_of(count, {"low": 11}) == "at least 11"
    flag = AttributeDef("aggregate", "Aggregate", "boolean", "nominal")
    assert text_of(flag, False) == "no"


def test_text_hint_shows_examples_or_definition_never_the_pattern() -> None:
    base = dict(id="country", label="country", type="text", level="nominal", pattern="^[A-Z]{2}$")
    assert values.text_hint(AttributeDef(**base, examples=("IQ", "SY", "NG", "ML"))) == \
        "e.g. IQ, SY, NG"
    long = "ISO 3166-1 alpha-2 code of the country where the attack took place, upper case"
    hint = values.text_hint(AttributeDef(**base, definition=long))
    assert long.startswith(hint[:-1]) and hint.endswith("…") and len(hint) <= 48
    assert values.text_hint(AttributeDef(**base)) == ""
    assert values.text_hint(AttributeDef(**base, definition="Two letters.")) == "Two letters."
