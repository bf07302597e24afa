"""The normalizers against the expression tables (at least 150 dates and 100 counts)."""

from __future__ import annotations

import pytest

from annotator.core.normalize import normalize_count, normalize_date
from tests.core.normalize.tables import COUNT_TABLE, DATE_TABLE, CountCase, DateCase


def test_table_sizes() -> None:
    assert len(DATE_TABLE) >= 150 and len(COUNT_TABLE) >= 100


@pytest.mark.parametrize("case", DATE_TABLE, ids=lambda c: f"{c[0]}@{c[1]}")
def test_date_table(case: DateCase) -> None:
    text, ref, day_first, value, granularity, anchor = case
    found = normalize_date(text, ref, day_first)
    assert found, f"nothing for {text!r}"
    best = found[0]
    assert (best.value, best.granularity, best.anchor) == (value, granularity, anchor)


@pytest.mark.parametrize("case", COUNT_TABLE, ids=lambda c: c[0])
def test_count_table(case: CountCase) -> None:
    text, low, best, high, kind, status, victim = case
    attrs = normalize_count(text).attributes()
    assert attrs["count"] == {"low": low, "best": best, "high": high}
    assert attrs["quantity_kind"] == kind
    assert attrs.get("status") == status
    assert attrs.get("victim_category") == victim
