"""Painting segments: every character's covering spans, checked against a brute force."""

from __future__ import annotations

import random

from annotator.gui.text_view import PaintedSpan, segments


def test_segments_match_brute_force() -> None:
    rnd = random.Random(5)
    for _ in range(200):
        spans = []
        for k in range(rnd.randint(0, 12)):
            a = rnd.randrange(0, 60)
            spans.append(PaintedSpan(k, rnd.choice("ab"), a, a + rnd.randint(1, 15)))
        lo, hi = sorted(rnd.sample(range(0, 80), 2))
        got = {}
        for a, b, covering in segments(spans, lo, hi):
            assert lo <= a < b <= hi
            assert [s.end - s.start for s in covering] == sorted((s.end - s.start for s in covering), reverse=True)
            for pos in range(a, b):
                assert pos not in got
                got[pos] = {s.id for s in covering}
        for pos in range(lo, hi):
            want = {s.id for s in spans if s.start <= pos < s.end}
            assert got.get(pos, set()) == want
