"""Moving span offsets from one version of a report's text to a corrected one.

The two texts are compared by ``difflib`` on code points; a span moves along when the text it
covers lies inside one unchanged stretch (then ``new[start:end]`` is exactly the span's text), and
is *flagged* otherwise (its text was edited, or an edit falls inside it). Offsets are code points,
end exclusive.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher

__all__ = ["OffsetMap"]


class OffsetMap:
    """Maps code point ranges of ``old`` onto ``new`` through their unchanged stretches."""

    def __init__(self, old: str, new: str) -> None:
        # autojunk off: in a long report every frequent character (spaces, "e") would otherwise
        # be ignored as junk and whole unchanged paragraphs reported as replaced
        matcher = SequenceMatcher(None, old, new, autojunk=False)
        self._blocks: list[tuple[int, int, int]] = [
            (a, b, size) for a, b, size in matcher.get_matching_blocks() if size
        ]
        self._starts: Sequence[int] = [a for a, _, _ in self._blocks]
        self.old, self.new = old, new

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The offsets of ``old[start:end]`` in ``new``, or None when that text changed."""
        i = bisect_right(self._starts, start) - 1
        if i < 0 or start >= end:
            return None
        a, b, size = self._blocks[i]
        if end > a + size:
            return None
        moved = (start - a + b, end - a + b)
        return moved if self.new[moved[0] : moved[1]] == self.old[start:end] else None
