from __future__ import annotations

import pytest

from annotator.core.offsets import Utf16Map, snap_to_words

TEXT = "on December 6, 2024, carries (Gao). “Ménaka” الجيش، و 🔥fighters"


@pytest.mark.parametrize(
    ("selected", "snapped"),
    [
        ("December 6, ", "December 6"),
        ("2024, ", "2024"),
        ("Gao).", "Gao"),
        ("Ménaka” ", "Ménaka"),
        ("لجيش، ", "الجيش"),  # grows to the whole Arabic word, drops the Arabic comma
        ("ighte", "fighters"),
    ],
)
def test_snap_to_words(selected: str, snapped: str) -> None:
    start = TEXT.index(selected)
    a, b = snap_to_words(TEXT, start, start + len(selected))
    assert TEXT[a:b] == snapped


def test_utf16_map_round_trip_with_astral_characters() -> None:
    text = "a🔥b😀😀c\nد"
    m = Utf16Map(text)
    utf16 = text.encode("utf-16-le")
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert len(text[:cp].encode("utf-16-le")) // 2 == u
        assert m.to_codepoint(u) == cp
    assert m.to_utf16(len(text)) == len(utf16) // 2
