"""The scan stays linear on a report of one long line: a number's clause is bounded on both
sides, so its work does not grow with the text (figures: benchmarks/bench_scan_lines.py)."""

from __future__ import annotations

import datetime as dt

from annotator.core.normalize import suggest_spans
from annotator.core.normalize._numbers import parse_number
from annotator.core.normalize.counts import _CLAUSE_REACH, _clause, _Clauses, find_counts


def test_a_clause_without_sentence_ends_is_bounded_ahead_and_behind() -> None:
    text = "gunmen killed 12 villagers " * 5000  # one line, no sentence end anywhere
    start = text.index("12", len(text) // 2)
    for left, right in (_Clauses(text).bounds(start, start + 2), _clause(text, start, start + 2)):
        assert start - _CLAUSE_REACH <= left and right <= start + 2 + _CLAUSE_REACH
    # a sentence end still closes the clause first
    short = "Gunmen killed 12 villagers. Then more."
    assert _Clauses(short).bounds(14, 16)[1] == short.index(".")


def test_one_line_gives_the_same_suggestions_as_lines() -> None:
    lines = "\n".join(f"Gunmen killed {n} villagers near Gao on 3 December 2023" for n in range(2, 60))
    one = lines.replace("\n", " ")
    a = [(s.start, s.end, s.type) for s in suggest_spans(lines, dt.date(2023, 12, 8))]
    b = [(s.start, s.end, s.type) for s in suggest_spans(one, dt.date(2023, 12, 8))]
    assert a and a == b


def test_a_run_of_digits_is_no_count_and_no_crash() -> None:
    assert parse_number("1" * 20_000) is None and parse_number("1" * 16) is None
    assert parse_number("123456789012345") == 123456789012345
    assert find_counts("killed " + "1" * 20_000 + " people") == []
