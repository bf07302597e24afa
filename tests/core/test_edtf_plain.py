"""Plain years, months and days take a short path past the EDTF grammar (issue 16: thousands of
distinct dates in a team project took ~0.1 s each): the bounds are the `edtf` package's."""

from __future__ import annotations

import datetime as dt

from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import edtf


def _package(value: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        parsed = parse_edtf(value)
        return struct_time_to_date(parsed.lower_strict()), struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError, OverflowError):
        return None, None


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(1, 3))
def test_plain_dates_have_the_packages_bounds(year: int, month: int, day: int, parts: int) -> None:
    value = "-".join([f"{year:04d}", f"{month:02d}", f"{day:02d}"][:parts])
    fast = edtf._plain(value)
    expected = _package(value)
    if fast is None:  # not a plain valid date: the parser decides, as before
        assert edtf._one(value) == expected
    else:
        assert fast == expected
    assert edtf.bounds(value) == (expected if expected[0] is not None else (None, None))


def test_the_short_path_leaves_other_forms_to_the_parser() -> None:
    assert edtf._plain("2024-21") is None  # a season
    assert edtf._plain("2024-02-30") is None  # no such day
    assert edtf._plain("2024-12?") is None
    assert edtf.bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert edtf.bounds("2023-12-01/2023-12-06") == (dt.date(2023, 12, 1), dt.date(2023, 12, 6))
