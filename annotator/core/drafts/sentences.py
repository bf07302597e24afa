"""Sentence bounds (code points) for drafts: abbreviations and line breaks handled."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "sgt", "maj", "cpl", "st", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "est", "fig", "etc", "al", "inc", "ltd", "co", "corp", "dept", "gov", "sen", "rep", "prof",
}  # fmt: skip
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n\s*")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds (code points, end exclusive, surrounding spaces excluded).

    A sentence ends at ``.``, ``!`` or ``?`` (with closing quotes or brackets after it) before
    a space and a capital letter, digit or opening quote, or at a line break; not after a known
    abbreviation ("Dec.", "Gen.") or a single capital letter ("U.S.", "J. Smith").
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if not m.group().startswith("\n"):
            nxt = text[end:end + 3].lstrip()
            if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"'“‘(["):
                continue
            word = re.search(r"(\w+)\W*$", text[max(start, m.start() - 12):m.start() + 1])
            if word and text[m.start()] == "." and (
                word.group(1).lower() in _ABBREVIATIONS
                or (len(word.group(1)) == 1 and word.group(1).isupper())
            ):
                continue
        _add(text, out, start, end)
        start = end
    _add(text, out, start, len(text))
    return out


def _add(text: str, out: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """Bounds of the sentence holding code point ``pos`` (or the nearest one before it)."""
    found = (0, 0)
    for s, e in sentences(text):
        if s > pos:
            break
        found = (s, e)
    return found
