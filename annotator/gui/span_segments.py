"""Spans as the text view paints them: elementary segments where the set of covering spans is
constant (nested and overlapping spans stack), overlapping formatted layers flattened, and the
index of spans by start for point and range lookups. No widgets here (gui/text_view.py)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtGui import QTextCharFormat

__all__ = ["PaintedSpan", "flatten_layers", "segments", "sorted_segments"]


class PaintedSpan(NamedTuple):
    id: int
    type: str
    start: int
    end: int
    label: str = ""  # for tooltips: "Actor: Liptako Brigade" (computed lazily when empty)


def flatten_layers(
    layers: Sequence[tuple[int, int, QTextCharFormat]],
) -> list[tuple[int, int, QTextCharFormat]]:
    """Overlapping formatted ranges as ranges that do not overlap, each with the formats of the
    layers covering it merged in order (a later layer wins where both set something).

    Qt draws no glyphs where two extra selections overlap on text that also has a layout
    format and one of them sets a foreground (Qt 6.8-6.11): the current span inside a claim's
    evidence showed as an empty coloured box. One selection per piece avoids it."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, (a, b, _) in enumerate(layers):
        if a < b:
            starts.setdefault(a, []).append(i)
            ends.setdefault(b, []).append(i)
    out: list[tuple[int, int, QTextCharFormat]] = []
    active: set[int] = set()
    cuts = sorted(starts.keys() | ends.keys())
    for lo, hi in pairwise(cuts):
        active.difference_update(ends.get(lo, ()))
        active.update(starts.get(lo, ()))
        if not active:
            continue
        order = sorted(active)
        merged = layers[order[0]][2]
        if len(order) > 1:
            merged = QTextCharFormat(merged)
            for i in order[1:]:
                merged.merge(layers[i][2])
        out.append((lo, hi, merged))
    return out


def segments(
    spans: Sequence[PaintedSpan], lo: int, hi: int
) -> list[tuple[int, int, list[PaintedSpan]]]:
    """Elementary segments of [lo, hi) with the spans covering each, outermost first.

    Spans that overlap nothing are segments as they are; only clusters of overlapping spans go
    through a sweep over their start and end events."""
    live = (
        sorted((s for s in spans if s.end > lo and s.start < hi), key=lambda s: (s.start, s.end))
        if not _is_sorted_inside(spans, lo, hi)
        else list(spans)
    )
    return list(sorted_segments(live, lo, hi))


def sorted_segments(
    live: Sequence[PaintedSpan], lo: int, hi: int
) -> Iterator[tuple[int, int, list[PaintedSpan]]]:
    """``segments`` of spans that all overlap [lo, hi) and are sorted by (start, end) already
    (what the span index returns): a lone span is one segment, a cluster is swept."""
    for first, last in _clusters(live):
        if first == last:
            s = live[first]
            yield max(lo, s.start), min(hi, s.end), [s]
        else:
            yield from _sweep(live[first : last + 1], lo, hi)


def _clusters(live: Sequence[PaintedSpan]) -> Iterator[tuple[int, int]]:
    """(first, last) index of each run of overlapping spans in a list sorted by start."""
    n = len(live)
    i = 0
    while i < n:
        j, end = i, live[i].end
        while j + 1 < n and live[j + 1].start < end:
            j += 1
            if live[j].end > end:
                end = live[j].end
        yield i, j
        i = j + 1


def _is_sorted_inside(spans: Sequence[PaintedSpan], lo: int, hi: int) -> bool:
    """Spans already sorted by (start, end) and all inside [lo, hi) (the whole-report paint)."""
    if not spans:
        return True
    if spans[0].start < lo or max(s.end for s in spans) > hi:
        return False
    return all(
        a.start < b.start or (a.start == b.start and a.end <= b.end)
        for a, b in zip(spans, spans[1:], strict=False)
    )


def _sweep(
    live_spans: Sequence[PaintedSpan], lo: int, hi: int
) -> list[tuple[int, int, list[PaintedSpan]]]:
    events: list[tuple[int, int, int]] = []  # (position, 0 = end / 1 = start, index)
    for k, s in enumerate(live_spans):
        events.append((max(lo, s.start), 1, k))
        events.append((min(hi, s.end), 0, k))
    events.sort()
    out: list[tuple[int, int, list[PaintedSpan]]] = []
    active: dict[int, PaintedSpan] = {}
    prev: int | None = None
    i = 0
    while i < len(events):
        pos = events[i][0]
        if prev is not None and active and pos > prev:
            if len(active) == 1:
                covering = list(active.values())
            else:
                covering = sorted(active.values(), key=_outer_first)
            out.append((prev, pos, covering))
        while i < len(events) and events[i][0] == pos:
            _, kind, k = events[i]
            if kind:
                active[k] = live_spans[k]
            else:
                active.pop(k, None)
            i += 1
        prev = pos
    return out


def _outer_first(s: PaintedSpan) -> tuple[int, int, int]:
    return (s.start - s.end, s.start, s.id)


class _Index:
    """Spans sorted by start, with the longest span length, for point and range lookups."""

    def __init__(self, spans: Iterable[PaintedSpan], presorted: bool = False,
                 longest: int | None = None) -> None:
        self.spans = (
            list(spans) if presorted else sorted(spans, key=lambda s: (s.start, s.end, s.id))
        )
        self.starts = [s.start for s in self.spans]
        # ``longest`` may come with the spans (core.spanset keeps it): an upper bound is enough
        self.longest = longest if longest is not None else max((s.end - s.start for s in self.spans), default=0)

    def overlapping(self, lo: int, hi: int) -> list[PaintedSpan]:
        first = bisect.bisect_left(self.starts, lo - self.longest)
        last = bisect.bisect_left(self.starts, hi)
        return [s for s in self.spans[first:last] if s.end > lo and s.start < hi]

    def at(self, pos: int) -> list[PaintedSpan]:
        return [s for s in self.overlapping(pos, pos + 1)]

    def remove(self, span: PaintedSpan) -> None:
        i = bisect.bisect_left(self.spans, _order(span), key=_order)
        if i < len(self.spans) and self.spans[i].id == span.id:
            del self.spans[i]
            del self.starts[i]
        # ``longest`` stays: an upper bound only widens the range a lookup scans

    def add(self, span: PaintedSpan) -> None:
        i = bisect.bisect_left(self.spans, _order(span), key=_order)
        self.spans.insert(i, span)
        self.starts.insert(i, span.start)
        self.longest = max(self.longest, span.end - span.start)


def _order(s: PaintedSpan) -> tuple[int, int, int]:
    return (s.start, s.end, s.id)
