"""The dates an EDTF value (as the codebook stores it) covers, by the ``edtf`` package.

Seasons (``2024-21`` spring ... ``2024-24`` winter, with the package's month ranges: spring
March-May, summer June-August, autumn September-November, winter December), qualifiers (``?``
``~`` ``%``, ignored for the bounds), and intervals whose open (``..``) or unknown (empty) end
gives None.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

__all__ = ["bounds"]


_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _plain(part: str) -> tuple[dt.date, dt.date] | None:
    """The bounds of a plain year, month or day (most stored values) without the EDTF grammar,
    which takes ~0.1 s per value (a team project has thousands of distinct dates); None when
    ``part`` is anything else (seasons, qualifiers, unreadable dates: the parser decides)."""
    match = _PLAIN.fullmatch(part)
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _one(part: str) -> tuple[dt.date | None, dt.date | None]:
    plain = _plain(part)
    if plain is not None:
        return plain
    from edtf import parse_edtf, struct_time_to_date
    from edtf.parser.edtf_exceptions import EDTFParseException

    if not part or part == "..":
        return None, None
    try:
        value = parse_edtf(part)
        return (struct_time_to_date(value.lower_strict()), struct_time_to_date(value.upper_strict()))
    except (EDTFParseException, ValueError, TypeError, OverflowError):
        return None, None


def bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of ``2023-12-03``, ``2023-12``, ``2023``, ``2024-21`` (a season),
    ``2023-12-01/2023-12-06`` (qualifiers ignored; an open or unknown end is None; an unreadable
    value gives (None, None))."""
    if not value or not isinstance(value, str):
        return None, None
    parts = value.split("/")
    if len(parts) > 2:
        return None, None
    lo = _one(parts[0])[0]
    hi = _one(parts[-1])[1]
    if len(parts) == 1 and lo is None:
        return None, None
    if len(parts) == 2 and ((parts[0] not in ("", "..") and lo is None)
                            or (parts[1] not in ("", "..") and hi is None)):
        return None, None
    return lo, hi
