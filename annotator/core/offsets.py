"""Code points (what we store) <-> UTF-16 code units (what Qt counts).

Only characters outside the Basic Multilingual Plane (emoji, some CJK) take two UTF-16 units, so
the map keeps just their positions and converts with a binary search: O(log k) per offset.
"""

from __future__ import annotations

import re
import unicodedata
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
# joiners inside a word: "Ti-n-Fadimata", "al-Sahili", "d'Ivoire", "Al-Naba'a"
_HYPHENS = frozenset("-\u2010\u2011")
_APOSTROPHES = frozenset("'\u2019\u02bc")
# digit group and decimal separators between digits: "1,000", "3.5"
_DIGIT_JOINERS = frozenset(",.")
# what may stand before an opening quote: the start of the line, spaces, brackets, dashes
_BEFORE_OPENING = frozenset("([{\"“«—–-/")
# an opening quote that a trailing apostrophe closes: ' with ', ’ with ‘ or '
_OPENERS = {"'": "'", "\u2019": "\u2018'", "\u02bc": ""}
_QUOTE_LOOKBACK = 200


def _core(ch: str) -> bool:
    """A letter, digit or combining mark (an accent typed as a separate code point)."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M" or ch in "\u200c\u200d"


def _joins(text: str, i: int) -> bool:
    """Whether ``text[i]`` (a hyphen, apostrophe or digit separator) sits inside a word."""
    if i <= 0 or i + 1 >= len(text):
        return False
    ch, before, after = text[i], text[i - 1], text[i + 1]
    if ch in _DIGIT_JOINERS:
        return before.isdigit() and after.isdigit()
    if ch in _APOSTROPHES and _possessive(text, i):
        return False
    if ch in _HYPHENS or ch in _APOSTROPHES:
        return _core(before) and _core(after)
    return False


def _possessive(text: str, i: int) -> bool:
    """An English possessive at ``text[i]``: "Mali's" ('s then the word ends) or
    "soldiers'" (an apostrophe after an s)."""
    if i + 1 < len(text) and text[i + 1] in "sS":
        return i + 2 >= len(text) or not _core(text[i + 2])
    return i > 0 and text[i - 1] in "sS" and (i + 1 >= len(text) or not _core(text[i + 1]))


def _modifier_tail(text: str, hyphen: int, word_start: int) -> bool:
    """"Gao-based", "ISIS-linked": a capitalised word, a hyphen, then only lower-case letters
    to the end of the compound. Such a tail is an English modifier, not part of the name."""
    if not any(c.isupper() for c in text[word_start:hyphen]):
        return False
    j = hyphen + 1
    while j < len(text) and (_core(text[j]) or _joins(text, j)):
        if text[j].isupper():
            return False
        j += 1
    return True


def _quoted(text: str, word_start: int, closer: str) -> bool:
    """Whether an apostrophe after the word at ``word_start`` closes a quotation that an
    opening quote earlier on the same line started ("'Exclusive' report"), rather than
    ending the word itself ("Al-Naba'", "soldiers'")."""
    openers = _OPENERS.get(closer, "")
    lo = max(0, word_start - _QUOTE_LOOKBACK)
    for i in range(word_start - 1, lo - 1, -1):
        ch = text[i]
        if ch == "\n":
            return False
        at_opening = (i == 0 or text[i - 1].isspace() or text[i - 1] in _BEFORE_OPENING) and (
            i + 1 < len(text) and _core(text[i + 1]))
        if ch in openers and at_opening:
            return True
        if ch in _APOSTROPHES and not at_opening and not _joins(text, i):
            return False  # a trailing apostrophe in between: that quotation is closed
    return False


def _word_start(text: str, i: int) -> int:
    """Start of the word holding the core character ``text[i]``."""
    while i > 0 and (_core(text[i - 1]) or (i >= 2 and _joins(text, i - 1))):
        i -= 1
    return i


def _word_end(text: str, i: int, word_start: int) -> int:
    """End (exclusive) of the word holding the core character ``text[i]``, with a trailing
    apostrophe that belongs to it ("Al-Naba'")."""
    n = len(text)
    j = i + 1
    while j < n:
        if _core(text[j]):
            j += 1
        elif _joins(text, j) and not (
            text[j] in _HYPHENS and _modifier_tail(text, j, word_start)
        ):
            j += 1
        else:
            break
    if (j < n and text[j] in _APOSTROPHES and text[j - 1].isalpha() and not _possessive(text, j)
            and (j + 1 >= n or not _core(text[j + 1]))
            and not _quoted(text, word_start, text[j])):  # fmt: skip
        j += 1
    return j


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection (code points) to whole words and trim what surrounds them.

    Words are runs of letters, digits and combining marks, joined by a hyphen or an apostrophe
    between two of them ("Ti-n-Fadimata", "al-Sahili", "d'Ivoire") or a separator between
    digits ("1,000"); a word may end with an apostrophe ("Al-Naba'") unless that apostrophe
    closes a quotation opened before the word on the same line ("'Exclusive' report"). A
    capitalised word followed by a hyphen and a lower-case tail stops at the hyphen when the
    selection ends there ("Gao" of "Gao-based"). Spaces, line breaks, quotes and
    punctuation at either edge are dropped.

    A selection that starts or ends inside a word grows to take the whole word. Returns
    (start, end) with start < end, or the trimmed input (start == end) when it holds no word
    character. Offsets are code points, end exclusive.
    """
    start, end = max(0, start), min(len(text), end)
    edge = _EDGE_PUNCTUATION
    while start < end and not _core(text[start]) and (
        text[start].isspace() or text[start] in edge or text[start] in _HYPHENS
    ):
        start += 1
    while end > start and not _core(text[end - 1]) and (
        text[end - 1].isspace() or text[end - 1] in edge or text[end - 1] in _HYPHENS
    ):
        end -= 1
    if start >= end:
        return start, end
    if _core(text[start]):
        start = _word_start(text, start)
    last = end - 1
    if _core(text[last]):
        ws = _word_start(text, last)
        if end < len(text) and text[end] in _HYPHENS and _modifier_tail(text, end, ws):
            pass  # "Gao" selected in "Gao-based": keep it
        else:
            end = max(end, _word_end(text, last, ws))
    return start, end
