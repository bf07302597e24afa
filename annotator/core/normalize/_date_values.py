"""EDTF values of dates: the :class:`DateValue` record and how day intervals become EDTF."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "ABSOLUTE",
    "ANCHORS",
    "GRANULARITIES",
    "OTHER",
    "RELATIVE",
    "DateValue",
    "approximated",
    "make_value",
    "month_end",
]

GRANULARITIES = ("day", "week", "month", "season", "year")
ANCHORS = ("absolute", "relative_to_publication", "relative_to_other_date")

ABSOLUTE = "absolute"
RELATIVE = "relative_to_publication"
OTHER = "relative_to_other_date"


@dataclass(frozen=True)
class DateValue:
    """One reading of a date expression.

    ``value`` is the EDTF string stored in the codebook; ``start``/``end`` the first and last
    day it covers (inclusive), whatever its granularity.
    """

    value: str
    granularity: str
    anchor: str
    start: dt.date
    end: dt.date
    approximate: bool = False

    def attributes(self) -> dict[str, Any]:
        """The attributes of a ``date`` span as the codebook stores them."""
        return {"value": self.value, "granularity": self.granularity, "anchor": self.anchor}


# ---------------------------------------------------------------------------------------------
# Building values


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _granularity_for(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if days <= 1:
        return "day"
    if days <= 10:
        return "week"
    if days <= 31:
        return "month"
    if days <= 92:
        return "season"
    return "year"


def _edtf(start: dt.date, end: dt.date) -> str:
    """Shortest EDTF for the closed day interval [start, end]."""
    if start == end:
        return start.isoformat()
    whole_months = start.day == 1 and end == month_end(end.year, end.month)
    if whole_months and start.month == 1 and end.month == 12:
        return str(start.year) if start.year == end.year else f"{start.year}/{end.year}"
    if whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.year:04d}-{start.month:02d}"
        return f"{start.year:04d}-{start.month:02d}/{end.year:04d}-{end.month:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"


def _approx(value: str) -> str:
    return "/".join(part if part in ("", "..") else part + "~" for part in value.split("/"))


def make_value(
    start: dt.date,
    end: dt.date,
    anchor: str,
    *,
    approximate: bool = False,
    granularity: str | None = None,
    value: str | None = None,
) -> DateValue:
    """A :class:`DateValue` for the day interval [start, end] (inclusive)."""
    text = value if value is not None else _edtf(start, end)
    if approximate and not text.endswith("~"):
        text = _approx(text)
    return DateValue(
        value=text,
        granularity=granularity or _granularity_for(start, end),
        anchor=anchor,
        start=start,
        end=end,
        approximate=approximate,
    )


def approximated(v: DateValue) -> DateValue:
    if v.approximate:
        return v
    return replace(v, value=_approx(v.value), approximate=True)
