"""Word snapping: names with apostrophes, hyphens and accents stay whole; quotes do not stick."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.offsets import _core, snap_to_words

# written for these tests, the shape of a press-monitoring report
TEXT = (
    "The weekly 'Exclusive' Report of Al-Naba', issue 12, says fighters from Ti-n-Fadimata and "
    "Andéramboukane met al-Sahili near Côte d'Ivoire; Gao-based units lost 1,000 rifles. "
    "The soldiers' camp and Mali's army. ‘Caliphate’ men, “Ménaka” and O’Neill’s friend."
)


@pytest.mark.parametrize(
    ("selected", "occurrence", "snapped"),
    [
        ("Naba", 0, "Al-Naba'"),  # the trailing apostrophe (an ayn) belongs to the name
        ("Al-Naba", 0, "Al-Naba'"),
        ("Al-Naba', ", 0, "Al-Naba'"),
        ("l-Na", 0, "Al-Naba'"),
        ("ramb", 0, "Andéramboukane"),
        ("Fadim", 0, "Ti-n-Fadimata"),
        ("Ti", 0, "Ti-n-Fadimata"),
        ("Sahili", 0, "al-Sahili"),
        ("Ivoi", 0, "d'Ivoire"),
        ("Exclusive", 0, "Exclusive"),  # quotation marks, not apostrophes of the word
        ("Exclusive' ", 0, "Exclusive"),
        ("'Exclusive'", 0, "Exclusive"),
        ("Caliphate’ ", 0, "Caliphate"),
        ("Ménaka” ", 0, "Ménaka"),
        ("Gao", 0, "Gao"),  # "-based" is a modifier, not part of the place name
        ("Ga", 0, "Gao"),
        ("00", 0, "1,000"),
        ("soldiers", 0, "soldiers"),  # possessives stay outside
        ("Mal", 0, "Mali"),
        ("Neil", 0, "O’Neill"),
        ("fighters from Ti", 0, "fighters from Ti-n-Fadimata"),
    ],
)
def test_snap_keeps_the_parts_of_a_word(selected: str, occurrence: int, snapped: str) -> None:
    start = TEXT.index(selected)
    a, b = snap_to_words(TEXT, start, start + len(selected))
    assert TEXT[a:b] == snapped


def test_combining_accents_belong_to_the_word() -> None:
    text = unicodedata.normalize("NFD", "near Andéramboukane, in Ménaka")
    start = text.index("And")
    a, b = snap_to_words(text, start, start + 4)  # ends before the combining acute
    assert unicodedata.normalize("NFC", text[a:b]) == "Andéramboukane"
    start = text.index("Me")
    a, b = snap_to_words(text, start, start + 2)
    assert unicodedata.normalize("NFC", text[a:b]) == "Ménaka"


def test_a_selection_without_words_comes_back_empty() -> None:
    text = "a  , ' b"
    a, b = snap_to_words(text, 1, 6)
    assert a == b


# ------------------------------------------------------------------ properties

_ALPHABET = st.sampled_from(
    list("aAbZé") + ["e\u0301", "1", "0", " ", " ", "\n", "'", "’", "‘", "-", ",", ".", "“", "”",
                     "(", ")", "ا", "ل"]
)
_TEXTS = st.lists(_ALPHABET, min_size=1, max_size=40).map("".join)


def _inside_word(text: str, i: int) -> bool:
    """Whether offset ``i`` falls between two characters of one run of letters and digits."""
    return 0 < i < len(text) and _core(text[i - 1]) and _core(text[i])


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.data())
def test_snapped_spans_cover_the_selection_and_sit_on_word_boundaries(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    a, b = snap_to_words(text, start, end)
    assert 0 <= a <= b <= len(text)
    words = [i for i in range(start, end) if _core(text[i])]
    if not words:
        assert a == b
        return
    # every letter, digit and mark selected is inside the snapped span
    assert a <= words[0] and words[-1] < b
    # never cuts a run of letters, digits and marks
    assert not _inside_word(text, a)
    assert not _inside_word(text, b)
    # the edges are word characters or a word's own apostrophe, never spaces
    assert _core(text[a])
    assert _core(text[b - 1]) or text[b - 1] in "'’"
    # snapping twice changes nothing
    assert snap_to_words(text, a, b) == (a, b)
