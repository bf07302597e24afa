from __future__ import annotations

from annotator.core.codebook import load_default_codebook
from annotator.core.queries import ClaimRow, SpanRow
from annotator.core.summary import claim_summary, span_value


def s(i: int, type_: str, text: str, **attrs) -> SpanRow:
    return SpanRow(i, f"s{i}", type_, 0, len(text), text, attrs)


SPANS = {
    1: s(1, "actor", "Caliphate soldiers", canonical_name="ISIS Sahel"),
    2: s(2, "actor", "the apostate army", canonical_name="Malian soldiers"),
    3: s(3, "location", "Labbezenga", place={"name": "Labbezenga", "country": "ML"}),
    4: s(4, "date", "Sunday", value="2023-12-03"),
    5: s(5, "casualty_count", "killed or wounded 30", count={"best": 30}, status="killed_or_wounded"),
    6: s(6, "casualty_count", "at least 11", count={"low": 11, "best": 11}),
    7: s(7, "casualty_count", "24 operations", count={"best": 24}, unit="operations"),
}


def test_attack_summary_reads_like_a_sentence() -> None:
    claim = ClaimRow(1, "c1", "attack", {}, {"perpetrator": [1], "target": [2], "location": [3], "date": [4], "casualties": [5]})
    assert claim_summary(claim, SPANS, load_default_codebook()) == (
        "ISIS Sahel -> Malian soldiers, Labbezenga, 2023-12-03, 30 killed or wounded"
    )


def test_not_reported_and_empty_slots() -> None:
    claim = ClaimRow(1, "c1", "attack", {}, {"perpetrator": "not_reported", "casualties": [6]})
    assert claim_summary(claim, SPANS, load_default_codebook()) == "? , at least 11".replace(" ,", ",")
    empty = ClaimRow(2, "c2", "aggregate", {}, {})
    assert claim_summary(empty, SPANS, load_default_codebook()) == "Aggregate: (empty)"
    agg = ClaimRow(3, "c3", "aggregate", {}, {"counts": [7, 6]})
    assert claim_summary(agg, SPANS, load_default_codebook()) == "Aggregate: 24 operations & at least 11"


def test_span_value_falls_back_to_text() -> None:
    assert span_value(s(9, "actor", "gunmen")) == "gunmen"
    assert span_value(SPANS[3]) == "Labbezenga"
