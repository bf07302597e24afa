"""Small pieces shared by the normalizers: the finder result and name folding."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Found", "fold"]


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
