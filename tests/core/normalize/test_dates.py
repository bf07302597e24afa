"""Date phrases -> EDTF value, granularity and anchor, against a fixed publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.core.codebook import load_default_codebook
from annotator.core.normalize.dates import find_dates, normalize_date

PUBLISHED = dt.date(2023, 12, 5)  # a Tuesday
ABS, REL, OTHER = "absolute", "relative_to_publication", "relative_to_other_date"


@pytest.mark.parametrize(
    ("text", "value", "granularity", "anchor"),
    [
        ("3 December 2023", "2023-12-03", "day", ABS),
        ("December 3, 2023", "2023-12-03", "day", ABS),
        ("Sunday, December 3, 2023", "2023-12-03", "day", ABS),
        ("the 3rd of December", "2023-12-03", "day", ABS),
        ("Dec. 3", "2023-12-03", "day", ABS),
        ("December 3", "2023-12-03", "day", ABS),
        ("on December 3", "2023-12-03", "day", ABS),
        ("December 30", "2022-12-30", "day", ABS),  # later than publication: the year before
        ("12/03/2023", "2023-12-03", "day", ABS),
        ("13/03/2023", "2023-03-13", "day", ABS),  # only one order is a date
        ("03.12.2023", "2023-12-03", "day", ABS),  # dots: day first
        ("2023-12-03", "2023-12-03", "day", ABS),
        ("yesterday", "2023-12-04", "day", REL),
        ("today", "2023-12-05", "day", REL),
        ("last night", "2023-12-04", "day", REL),
        ("the day before yesterday", "2023-12-03", "day", REL),
        ("last Tuesday", "2023-11-28", "day", REL),  # said on a Tuesday: a week before
        ("on Sunday", "2023-12-03", "day", REL),
        ("Sunday", "2023-12-03", "day", REL),
        ("Saturday night", "2023-12-02", "day", REL),
        ("on Tuesday", "2023-12-05", "day", REL),  # on or before the publication date
        ("two days ago", "2023-12-03", "day", REL),
        ("2 days ago", "2023-12-03", "day", REL),
        ("three weeks ago", "2023-11-13/2023-11-19", "week", REL),
        ("earlier this month", "2023-12-01/2023-12-04", "week", REL),
        ("this month", "2023-12", "month", REL),
        ("last week", "2023-11-27/2023-12-03", "week", REL),
        ("last weekend", "2023-12-02/2023-12-03", "week", REL),
        ("last month", "2023-11", "month", REL),
        ("last year", "2022", "year", REL),
        ("this year", "2023", "year", REL),
        ("between December 1 and 6", "2023-12-01/2023-12-06", "week", ABS),
        ("from 1 to 6 December", "2023-12-01/2023-12-06", "week", ABS),
        ("December 1-6, 2023", "2023-12-01/2023-12-06", "week", ABS),
        ("1\u20136 December 2023", "2023-12-01/2023-12-06", "week", ABS),
        ("the first six days of December", "2023-12-01/2023-12-06", "week", ABS),
        ("the last three days of November", "2023-11-28/2023-11-30", "week", ABS),
        ("the first week of December", "2023-12-01/2023-12-07", "week", ABS),
        ("between 28 November and 3 December 2023", "2023-11-28/2023-12-03", "week", ABS),
        ("from November 28 to December 3", "2023-11-28/2023-12-03", "week", ABS),
        ("between December 28 and January 2, 2023", "2022-12-28/2023-01-02", "week", ABS),
        ("between October and December 2023", "2023-10/2023-12", "season", ABS),
        ("in November 2023", "2023-11", "month", ABS),
        ("November 2023", "2023-11", "month", ABS),
        ("in November", "2023-11", "month", ABS),
        ("November", "2023-11", "month", ABS),
        ("in 2023", "2023", "year", ABS),
        ("around mid-November", "2023-11-15~", "week", ABS),
        ("mid-November", "2023-11-15~", "week", ABS),
        ("early December", "2023-12-01~/2023-12-10~", "week", ABS),
        ("late November 2023", "2023-11-21~/2023-11-30~", "week", ABS),
        ("the end of November", "2023-11-21~/2023-11-30~", "week", ABS),
        ("around December 3", "2023-12-03~", "day", ABS),
        ("on or about 3 December 2023", "2023-12-03~", "day", ABS),
        ("early 2023", "2023-01~/2023-04~", "year", ABS),
        ("summer 2023", "2023-22", "season", ABS),
        ("last summer", "2023-22", "season", REL),
        ("last winter", "2022-24", "season", REL),
        ("3 d\u00e9cembre 2023", "2023-12-03", "day", ABS),  # French, through dateparser
        ("hier", "2023-12-04", "day", REL),
    ],
)
def test_normalize_date(text: str, value: str, granularity: str, anchor: str) -> None:
    best = normalize_date(text, PUBLISHED)[0]
    assert (best.value, best.granularity, best.anchor) == (value, granularity, anchor)
    assert load_default_codebook().check_span("date", best.attributes()) == []


def test_day_first_setting_and_alternative_order() -> None:
    us = normalize_date("12/03/2023", PUBLISHED)
    assert [v.value for v in us] == ["2023-12-03", "2023-03-12"]
    eu = normalize_date("12/03/2023", PUBLISHED, day_first=True)
    assert [v.value for v in eu] == ["2023-03-12", "2023-12-03"]


def test_start_end_and_approximate_flags() -> None:
    mid = normalize_date("around mid-November", PUBLISHED)
    assert mid[0].approximate
    assert (mid[0].start, mid[0].end) == (dt.date(2023, 11, 11), dt.date(2023, 11, 20))
    assert [v.value for v in mid[1:]] == ["2023-11-11~/2023-11-20~", "2023-11~"]
    week = normalize_date("last week", PUBLISHED)[0]
    assert (week.start, week.end) == (dt.date(2023, 11, 27), dt.date(2023, 12, 3))
    assert not week.approximate


def test_last_weekday_offers_previous_calendar_week() -> None:
    thursday = dt.date(2023, 12, 7)
    values = [v.value for v in normalize_date("last Tuesday", thursday)]
    assert values == ["2023-12-05", "2023-11-28"]


def test_relative_to_other_date() -> None:
    [v] = normalize_date("the next day", PUBLISHED, other_date=dt.date(2023, 12, 1))
    assert (v.value, v.anchor) == ("2023-12-02", OTHER)
    assert normalize_date("the next day", PUBLISHED) == []


def test_without_reference_only_explicit_years() -> None:
    assert normalize_date("yesterday", None) == []
    assert normalize_date("December 3", None) == []
    assert normalize_date("3 December 2023", None)[0].value == "2023-12-03"


def test_nothing_to_find() -> None:
    assert normalize_date("the soldiers", PUBLISHED) == []
    assert normalize_date("", PUBLISHED) == []


def test_find_dates_spans_and_attributes() -> None:
    text = (
        "On Sunday, fighters attacked the camp. The next day a second raid followed. "
        "Between December 1 and 6, 2023, thirty people were killed; about 40 died in November."
    )
    found = find_dates(text, PUBLISHED)
    assert [(f.text, f.attributes["value"], f.attributes["anchor"]) for f in found] == [
        ("Sunday", "2023-12-03", REL),
        ("The next day", "2023-12-04", OTHER),
        ("Between December 1 and 6, 2023", "2023-12-01/2023-12-06", ABS),
        ("November", "2023-11", ABS),
    ]
    for f in found:
        assert text[f.start:f.end] == f.text
        assert set(f.attributes) == {"value", "granularity", "anchor"}


def test_find_dates_ignores_lowercase_month_and_weekday_words() -> None:
    text = "They may march on in the sun; 12 may 3 things."
    assert find_dates(text, PUBLISHED) == []


def test_find_dates_numbers_are_not_years_unless_introduced() -> None:
    text = "In 2023, 2024 fighters joined; the unit of 1999 men left in 1999."
    assert [f.text for f in find_dates(text, PUBLISHED)] == ["2023", "1999"]
    assert find_dates(text, PUBLISHED)[1].start == text.rindex("1999")


def test_dateparser_reads_only_the_listed_languages() -> None:
    """A phrase that is no date makes dateparser try its languages; with every locale that is
    about 200 of them (seconds on the first tag). Only DATE_LANGUAGES may be loaded."""
    from dateparser.languages.loader import default_loader

    from annotator.core.normalize.dates import DATE_LANGUAGES

    assert normalize_date("les combattants de la brigade", PUBLISHED) == []
    assert normalize_date("Mittwoch", PUBLISHED)  # German, one of them
    loaded = set(getattr(default_loader, "_loaded_locales", {}))
    assert loaded, "dateparser's loader keeps its locales elsewhere: update this test"
    assert loaded <= set(DATE_LANGUAGES)
