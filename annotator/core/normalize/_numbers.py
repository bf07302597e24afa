"""Cardinal numbers written in digits or English words ("1,200", "thirty-two", "a dozen")."""

from __future__ import annotations

import re

__all__ = ["NUMBER_RE", "parse_number"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_WORD = (
    r"(?:"
    + "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
    + r")"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
# digits (optionally "2 thousand"), or a run of number words ("two thousand five hundred and
# six", "thirty-two"), or "a dozen" / "a hundred" / "half a dozen".
NUMBER_RE = (
    rf"(?:(?:{_DIGITS})(?:\s+(?:hundred|thousand|million))?(?![\w,]*\d)"
    rf"|(?:half\s+a\s+dozen|an?\s+(?:dozen|hundred|thousand))"
    rf"(?:(?:\s+and\s+|\s+|-){_WORD}\b)*"
    rf"|{_WORD}\b(?:(?:\s+and\s+|\s+|-){_WORD}\b)*)"
)
_NUMBER_FULL = re.compile(rf"^{NUMBER_RE}$", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z]+|\d{1,3}(?:,\d{3})+|\d+", re.IGNORECASE)
# more digits than this are no count (a phone number, an id, a run of digits in a table): and
# int() refuses strings of over 4,300 digits
_MAX_DIGITS = 15


def parse_number(text: str) -> int | None:
    """Value of a cardinal written as digits, words or both; None when it is not one.

    >>> parse_number("two thousand five hundred")
    2500
    """
    text = text.strip()
    if not text or not _NUMBER_FULL.match(text):
        return None
    low = text.lower()
    if low.startswith("half a dozen"):
        return 6
    total = 0
    current = 0
    seen = False
    for tok in _TOKEN.findall(low):
        if tok[0].isdigit():
            digits = tok.replace(",", "")
            if len(digits) > _MAX_DIGITS:
                return None
            current += int(digits)
            seen = True
        elif tok in ("a", "an"):
            current += 1
        elif tok == "and":
            continue
        elif tok in _UNITS:
            current += _UNITS[tok]
            seen = True
        elif tok in _TENS:
            current += _TENS[tok]
            seen = True
        elif tok == "dozen":
            current = (current or 1) * 12
            seen = True
        elif tok == "hundred":
            current = (current or 1) * 100
            seen = True
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None
