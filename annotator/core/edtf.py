"""The dates an EDTF value (as the codebook stores it) covers, by the ``edtf`` package.

Seasons (``2024-21`` spring ... ``2024-24`` winter, with the package's month ranges: spring
March-May, summer June-August, autumn September-November, winter December), qualifiers (``?``
``~`` ``%``, ignored for the bounds), and intervals whose open (``..``) or unknown (empty) end
gives None.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

__all__ = ["bounds"]


@lru_cache(maxsize=4096)
def _one(part: str) -> tuple[dt.date | None, dt.date | None]:
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
