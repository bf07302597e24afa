"""Small pieces shared by the normalizers: the finder result and name folding."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Found", "IntervalSet", "Original", "fold", "lower_aligned"]


class IntervalSet:
    """Half-open intervals merged into disjoint runs, with an O(log n) overlap test."""

    def __init__(self, intervals: Iterable[tuple[int, int]] = ()) -> None:
        runs: list[list[int]] = []
        for s, e in sorted(intervals):
            if e <= s:
                continue
            if runs and s <= runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], e)
            else:
                runs.append([s, e])
        self._starts = [r[0] for r in runs]
        self._ends = [r[1] for r in runs]

    def runs(self) -> list[tuple[int, int]]:
        """The merged intervals, in order."""
        return list(zip(self._starts, self._ends, strict=True))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        if i >= 0 and self._ends[i] > start:
            return True
        j = i + 1
        return j < len(self._starts) and self._starts[j] < end


@dataclass(frozen=True)
class Found:
    """A stretch of text a finder proposes, with attributes as the codebook stores them.

    ``start``/``end`` are code point offsets into the searched text (end exclusive), so
    ``text == searched[start:end]`` always holds.
    """

    start: int
    end: int
    text: str
    attributes: dict[str, Any] = field(default_factory=dict)


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212_]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case- and accent-insensitive key for a name: ``"Ménaka "`` -> ``"menaka"``.

    Decomposes (NFKD), drops combining marks, casefolds, unifies apostrophes and dashes,
    and collapses whitespace. Letters of other scripts (Arabic, Cyrillic) are kept.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _DASHES.sub("-", stripped.translate(_QUOTES))
    return _SPACES.sub(" ", stripped.casefold()).strip()


class Original:
    """A match found in a lowered copy of ``text`` (the same length) that reads its groups from
    ``text`` itself: matching without case folding at every character is twice as fast, and
    some rules look at capitals ("May" the month, "may" the verb)."""

    __slots__ = ("_m", "_text")

    def __init__(self, m: re.Match[str], text: str) -> None:
        self._m = m
        self._text = text

    def __getitem__(self, group: int | str) -> str | None:
        s, e = self._m.span(group)
        return None if s < 0 else self._text[s:e]

    def group(self, group: int | str = 0) -> str | None:
        return self[group]

    def groupdict(self) -> dict[str, str | None]:
        return {name: self[name] for name in self._m.re.groupindex}

    def start(self, group: int | str = 0) -> int:
        return self._m.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._m.end(group)


def lower_aligned(text: str) -> str | None:
    """``text`` in lower case, position for position, to match without case folding at every
    character; None when a character lowers to two ("İ") and positions would shift."""
    low = text.lower()
    return low if len(low) == len(text) else None
