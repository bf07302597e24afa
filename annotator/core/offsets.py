"""Code points (what we store) <-> UTF-16 code units (what Qt counts).

Only characters outside the Basic Multilingual Plane (emoji, some CJK) take two UTF-16 units, so
the map keeps just their positions and converts with a binary search: O(log k) per offset.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")

__all__ = ["Utf16Map", "snap_to_words"]


class Utf16Map:
    def __init__(self, text: str) -> None:
        astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        self._astral = astral  # code point indices of astral characters
        self._astral16 = [cp + k for k, cp in enumerate(astral)]  # their UTF-16 positions
        self.length = len(text)
        self.length16 = len(text) + len(astral)

    @property
    def astral_positions(self) -> list[int]:
        """Code point offsets of the characters that take two UTF-16 units, in order."""
        return self._astral

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code point offset ``cp``."""
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code point offset of UTF-16 position ``u16`` (inside a surrogate pair: rounds down)."""
        return u16 - bisect_left(self._astral16, u16)


# punctuation a word selection (Shift+Ctrl+arrows, double click) drags along at its edges
_EDGE_PUNCTUATION = frozenset(",;:!?()[]{}\"'“”‘’«»‹›.…—–·、，。؛،؟")


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection (code points) to whole words and trim surrounding whitespace.

    A selection that starts or ends inside a word grows to take the whole word; spaces and
    line breaks at either edge are dropped. Returns (start, end) with start < end, or the
    trimmed input when it holds no word character.
    """
    edge = _EDGE_PUNCTUATION
    while start < end and (text[start].isspace() or text[start] in edge):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in edge):
        end -= 1
    if start >= end:
        return start, end
    if text[start].isalnum():
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    if text[end - 1].isalnum():
        while end < len(text) and text[end].isalnum():
            end += 1
    return start, end
