"""The dates an EDTF value (as the codebook stores it) covers."""

from __future__ import annotations

import datetime as dt

__all__ = ["bounds"]


def _one(part: str, end: bool) -> dt.date | None:
    part = part.rstrip("~?%")
    if not part or part == "..":
        return None
    bits = [int(x) for x in part.split("-")]
    if len(bits) == 3:
        return dt.date(*bits)
    if len(bits) == 2:
        if end:
            following = dt.date(bits[0] + bits[1] // 12, bits[1] % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(bits[0], bits[1], 1)
    return dt.date(bits[0], 12, 31) if end else dt.date(bits[0], 1, 1)


def bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of ``2023-12-03``, ``2023-12``, ``2023``, ``2023-12-01/2023-12-06``
    (qualifiers ignored; an open or unknown end is None; an unreadable value gives (None, None))."""
    if not value:
        return None, None
    parts = value.split("/")
    try:
        return _one(parts[0], False), _one(parts[-1], True)
    except (ValueError, IndexError):
        return None, None
