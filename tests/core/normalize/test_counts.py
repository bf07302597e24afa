"""Counts: numbers, vague words and bounds -> low/best/high, kind, status, victim category."""

from __future__ import annotations

import pytest

from annotator.core.codebook import load_default_codebook
from annotator.core.normalize.counts import DEFAULT_VAGUE_TABLE, find_counts, normalize_count


@pytest.mark.parametrize(
    ("text", "low", "best", "high", "kind"),
    [
        ("1,200", 1200, 1200, 1200, "exact"),
        ("30", 30, 30, 30, "exact"),
        ("thirty-two", 32, 32, 32, "exact"),
        ("a dozen", 12, 12, 12, "exact"),
        ("half a dozen", 6, 6, 6, "exact"),
        ("three hundred", 300, 300, 300, "exact"),
        ("two thousand five hundred", 2500, 2500, 2500, "exact"),
        ("three hundred and twelve", 312, 312, 312, "exact"),
        ("at least 20", 20, 20, None, "at_least"),
        ("more than 100", 100, 100, None, "at_least"),
        ("over fifty", 50, 50, None, "at_least"),
        ("up to 15", None, None, 15, "at_most"),
        ("as many as 15", None, None, 15, "at_most"),
        ("between 10 and 15", 10, 10, 15, "range"),
        ("10 to 15", 10, 10, 15, "range"),
        ("10-15", 10, 10, 15, "range"),
        ("two or three", 2, 2, 3, "range"),
        ("about 30", None, 30, None, "approximate"),
        ("some 30", None, 30, None, "approximate"),
        ("nearly forty", None, 40, None, "approximate"),
        ("an estimated 200", None, 200, None, "approximate"),
    ],
)
def test_numbers_and_bounds(text: str, low: int | None, best: int | None, high: int | None,
                            kind: str) -> None:  # fmt: skip
    v = normalize_count(text)
    assert v.count == {"low": low, "best": best, "high": high}
    assert v.quantity_kind == kind
    assert v.vague_word is None


@pytest.mark.parametrize(
    ("text", "best", "word"),
    [
        ("several", 10, "several"),
        ("many", 10, "many"),
        ("a few", 3, "a few"),
        ("dozens", 12, "dozens"),
        ("Dozens of", 12, "Dozens"),
        ("hundreds", 100, "hundreds"),
        ("thousands", 1000, "thousands"),
        ("tens", 10, "tens"),
    ],
)
def test_vague_words_follow_acled(text: str, best: int, word: str) -> None:
    v = normalize_count(text)
    assert v.count == {"low": None, "best": best, "high": None}
    assert (v.quantity_kind, v.vague_word) == ("vague", word)


def test_vague_table_is_editable_per_project() -> None:
    assert DEFAULT_VAGUE_TABLE["dozens"] == 12
    assert normalize_count("several", vague_table={"Several": 3}).best == 3
    assert normalize_count("dozens", vague_table={"several": 3}).best == 12  # others kept
    with pytest.raises(TypeError):
        DEFAULT_VAGUE_TABLE["dozens"] = 24  # type: ignore[index]


def test_at_least_with_vague_word() -> None:
    v = normalize_count("at least dozens")
    assert (v.low, v.best, v.high, v.quantity_kind, v.vague_word) == (12, 12, None, "at_least",
                                                                      "dozens")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "context", "status", "victim"),
    [
        ("killed or wounded 30", "", "killed_or_wounded", None),
        ("30", "the attack killed or wounded 30 enemy fighters", "killed_or_wounded", "military"),
        ("12 civilians", "militants killed 12 civilians in the village", "killed", "civilian"),
        ("20 soldiers", "at least 20 soldiers were wounded", "wounded", "military"),
        ("five", "the group executed five captives", "executed", "unknown"),
        ("7", "gunmen abducted 7 traders on the road", "captured_or_abducted", "civilian"),
        ("three", "three gendarmes are still missing", "missing", "military"),
        ("nine militants", "nine militants were killed in the clash", "killed", "perpetrator"),
        ("4", "4 fighters died", "killed", "perpetrator"),
        ("15", "15 people were killed and 20 wounded", "killed", "unknown"),
        ("20", "15 people were killed and 20 wounded", "wounded", "unknown"),
    ],
)
def test_status_and_victim_from_nearby_words(text: str, context: str, status: str,
                                             victim: str | None) -> None:  # fmt: skip
    v = normalize_count(text, context)
    assert (v.status, v.victim_category) == (status, victim)


def test_unit_is_read_from_the_noun() -> None:
    assert normalize_count("24 operations").unit == "operations"
    assert normalize_count("3 vehicles").unit == "vehicles"
    assert normalize_count("30 soldiers").unit == "persons"


def test_no_number() -> None:
    v = normalize_count("casualties")
    assert v.count == {"low": None, "best": None, "high": None}
    assert v.quantity_kind is None


def test_attributes_pass_the_codebook() -> None:
    cb = load_default_codebook()
    for text in ("at least 20", "up to 15", "dozens", "between 10 and 15", "killed 30 soldiers"):
        assert cb.check_span("casualty_count", normalize_count(text).attributes()) == []


SAMPLE = (
    "On 3 December 2023, militants killed at least 20 soldiers and wounded 12 others near the "
    "town, which has 15,000 inhabitants. A 25-year-old man was abducted. In 2022 the group "
    "executed five captives. The group claimed 24 operations that killed or wounded 30 enemy "
    "fighters. Dozens of civilians fled; many were killed. Route 7 was closed at 10:30 after "
    "the 2019 attack on 40 vehicles."
)


def test_find_counts_only_casualty_like_numbers() -> None:
    found = find_counts(SAMPLE)
    assert [f.text for f in found] == ["at least 20", "12", "five", "30", "many"]
    for f in found:
        assert SAMPLE[f.start:f.end] == f.text
        assert f.attributes["unit"] == "persons"
    first = found[0].attributes
    assert first == {
        "count": {"low": 20, "best": 20, "high": None},
        "quantity_kind": "at_least",
        "status": "killed",
        "victim_category": "military",
        "unit": "persons",
    }
    assert found[3].attributes["status"] == "killed_or_wounded"
    assert found[4].attributes["vague_word"] == "many"


def test_find_counts_respects_exclusions() -> None:
    text = "Gunmen killed 14 villagers."
    assert [f.text for f in find_counts(text)] == ["14"]
    assert find_counts(text, exclude=[(14, 16)]) == []
