"""The shortcuts that make a whole-report scan fast give the same answers as the plain way.

Each test runs the fast path and a plain reference (written out here, or the module's own slow
path) on random text built from the words the finders look for."""

from __future__ import annotations

import datetime as dt
import random
import re

from annotator.core.normalize import ActorEntry, ActorList, find_counts
from annotator.core.normalize import counts as counts_mod
from annotator.core.normalize import dates as dates_mod
from annotator.core.normalize._common import fold, lower_aligned
from annotator.core.normalize._date_rules import Ctx
from annotator.core.normalize.actors import fold_with_map

WORDS = (
    "on in near the of between from and to - , . ; ( ) \n killed killing wounded soldiers "
    "civilians fighters at least about several dozens 3 12 30 2023 1999 twenty-two a dozen "
    "Sunday sunday last this week weeks day days ago later earlier yesterday morning "
    "December Dec. May may March 1st the first early mid late summer 12/03/2023 2023-12-03 "
    "Brigade the 12th Brigade Ménaka while but which x12 group up 1.200 3.5 killed.12"
).split(" ")


def random_text(rnd: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        w = rnd.choice(WORDS)
        parts.append(w)
        parts.append(rnd.choice([" ", " ", " ", "  ", "\n"]))
    return "".join(parts)


def test_fold_with_map_matches_folding_each_character() -> None:
    rnd = random.Random(1)
    alphabet = [*"abcXYZ  \n\t_`'-.", "é", "ß", "ﬁ", "\u00a0", "\u0301", "İ", "Ω", "😀", "ا", "\u2019"]
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        folded, index = fold_with_map(text)
        # the reference: whitespace runs become one space, every other character folds alone
        want, want_index = [], []
        for m in re.finditer(r"\s+|\S", text):
            piece = " " if m.group().isspace() else (
                m.group().lower() if m.group().isascii() and m.group() not in "`_" else fold(m.group()))
            want.append(piece)
            want_index += [m.start()] * len(piece)
        assert folded == "".join(want), text
        assert [index[i] for i in range(len(folded))] == want_index, text


def test_actor_finder_matches_the_longest_name_like_a_plain_alternation() -> None:
    rnd = random.Random(2)
    names = ["Brigade 1", "Brigade 12", "Brigade 12 North", "the 12th Brigade", "IS", "Ménaka Front",
             "al-Naba'", "Katiba Macina", "Katiba"]
    actors = ActorList(ActorEntry(n, None, None, ()) for n in names)
    folded_names = sorted({fold(n) for n in names}, key=len, reverse=True)
    plain = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in folded_names) + r")(?!\w)")
    vocab = [*names, "brigade", "12", "north", "Katiba Macina's", "IS", "is", "and", "x", "Front"]
    for _ in range(400):
        text = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 12)))
        folded, index = fold_with_map(text)
        want = [(index[m.start()], index[m.end() - 1] + 1) for m in plain.finditer(folded)]
        got = [(f.start, f.end) for f in actors.find(text)]
        assert set(got) <= set(want), text  # acronyms in lower case are dropped after matching
        assert [w for w in want if text[w[0]:w[1]] != "is"] == got, text


def test_clause_index_gives_the_bounds_of_the_search_around_one_number() -> None:
    rnd = random.Random(3)
    for _ in range(300):
        text = random_text(rnd, rnd.randint(5, 300))
        clauses = counts_mod._Clauses(text)
        for m in re.finditer(r"\d+", text):
            assert clauses.bounds(m.start(), m.end()) == counts_mod._clause(text, m.start(), m.end())


def _cands(text: str, low: str | None) -> list[tuple[int, int, str, str]]:
    ctx = Ctx(dt.date(2023, 12, 5), False, None)
    return sorted((c.start, c.end, c.rule, repr(c.values)) for c in dates_mod._candidates(text, ctx, low, {}))


def test_dates_tried_near_their_words_find_what_trying_everywhere_finds() -> None:
    rnd = random.Random(4)
    for _ in range(300):
        text = random_text(rnd, rnd.randint(5, 400))
        assert _cands(text, lower_aligned(text)) == _cands(text, None), text
    # a character that lowers to two falls back to searching everywhere, with the same result
    assert lower_aligned("İ 3 December") is None
    assert [f.text for f in dates_mod.find_dates("İ on 3 December", dt.date(2023, 12, 5))] == [
        "3 December"]


def test_counts_on_lowered_text_equal_counts_with_case_folding() -> None:
    rnd = random.Random(5)
    for _ in range(300):
        text = random_text(rnd, rnd.randint(5, 200))
        fast = find_counts(text, exclude=[])
        # "İ" at the end lowers to two characters: find_counts then folds case as it goes
        slow = find_counts(text + " İ", exclude=[])
        assert [(f.start, f.end, f.attributes) for f in fast] == [
            (f.start, f.end, f.attributes) for f in slow], text


def test_a_count_glued_inside_a_word_is_no_count() -> None:
    # "group to several" once matched "up to several" inside "group", hiding "several"
    text = "the group to several the wounding"
    assert [f.text for f in find_counts(text, exclude=[])] == ["several"]
    assert find_counts("x12 killed", exclude=[]) == []
