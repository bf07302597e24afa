"""The units of one alpha added up a few reports at a time, kept only as what alpha needs.

Alpha and its bootstrap depend on the units through their distinct value patterns (how many units
hold each multiset of values, :class:`alpha._Units`) and the set of values; a :class:`UnitCounter`
takes the units one at a time, in the order a whole computation would meet them, and keeps
exactly that: the values once each and the patterns as flat integer arrays, so what it holds grows
with the distinct patterns, never with the spans or the units themselves. ``patterns`` then gives
the same ``_Units`` (same pattern order, same value numbering) as ``alpha._patterns`` over the
whole list, hence the same figures and the same intervals for a seed.

A claim slot's values are sets of the report's own span groups: such a value never occurs in
another report. A counter made with ``local`` forgets those values and the patterns holding them
at ``end_chunk`` (the end of a chunk of whole reports); only their count is kept. Nominal alpha
does not depend on how the values are numbered (its sums are sums of whole numbers), so its
figures stay exactly those of the whole list.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from annotator.core.agreement.alpha import AlphaResult, _sorted_domain, _Units, alpha_of

__all__ = ["KappaCounter", "UnitCounter"]


class UnitCounter:
    """The value patterns of units given one at a time (see the module's docstring)."""

    def __init__(self, local: Callable[[Any], bool] | None = None) -> None:
        self._local = local
        self._ids: dict[Any, int] = {}  # value -> its number, in the order first met
        self._chunk_ids: dict[Any, int] = {}  # this chunk's report-local values
        self._next = 0  # values numbered so far (shared and local)
        self._patterns: dict[tuple[int, ...], int] = {}  # pattern (sorted numbers) -> its row
        self._chunk_patterns: dict[tuple[int, ...], int] = {}  # patterns with a local value
        self._flat = array("q")  # the patterns' value numbers, one pattern after another
        self._m = array("q")  # values per pattern
        self._mult = array("q")  # units per pattern

    def _number(self, v: Any) -> tuple[int, bool]:
        found = self._ids.get(v)
        if found is not None:
            return found, False
        if self._local is not None and self._local(v):
            found = self._chunk_ids.get(v)
            if found is None:
                found = self._chunk_ids[v] = self._next
                self._next += 1
            return found, True
        found = self._ids[v] = self._next
        self._next += 1
        return found, False

    def add(self, unit: Iterable[Any]) -> None:
        """One unit: the coders' values, None where a coder has none."""
        nums = []
        local = False
        for v in unit:
            if v is None:
                continue
            k, is_local = self._number(v)
            nums.append(k)
            local = local or is_local
        if len(nums) < 2:
            return
        nums.sort()
        key = tuple(nums)
        table = self._chunk_patterns if local else self._patterns
        row = table.get(key)
        if row is None:
            row = table[key] = len(self._m)
            self._flat.extend(key)
            self._m.append(len(key))
            self._mult.append(1)
        else:
            self._mult[row] += 1

    def end_chunk(self) -> None:
        """The reports given so far are done: their local values will not come again."""
        self._chunk_ids.clear()
        self._chunk_patterns.clear()

    def patterns(self, level: str, order: Sequence[Hashable] | None) -> tuple[_Units, list[Any]]:
        """The ``_Units`` and the domain ``alpha._patterns`` and ``alpha._domain`` give for
        all the units added (with ``local``: the domain is not kept, an empty list)."""
        n_values = self._next
        if self._local is None:
            seen: set[Any] = set()
            for v in self._ids:  # one at a time, as alpha._domain builds its set
                seen.add(v)
            domain = _sorted_domain(seen, level, order)
            index = {v: i for i, v in enumerate(domain)}
            renumber = np.fromiter((index[v] for v in self._ids), np.int64, len(self._ids))
            n_values = len(domain)
        else:
            domain = []
            renumber = np.arange(self._next, dtype=np.int64)
        m = np.frombuffer(self._m, dtype=np.int64) if len(self._m) else np.empty(0, np.int64)
        flat = np.frombuffer(self._flat, dtype=np.int64) if len(self._flat) \
            else np.empty(0, np.int64)
        rows_all = np.repeat(np.arange(len(m), dtype=np.int64), m)
        cols_all = renumber[flat] if len(flat) else flat
        order_ = np.lexsort((cols_all, rows_all))
        rows_all, cols_all = rows_all[order_], cols_all[order_]
        first = np.r_[True, (rows_all[1:] != rows_all[:-1]) | (cols_all[1:] != cols_all[:-1])] \
            if len(rows_all) else np.empty(0, dtype=bool)
        starts = np.flatnonzero(first)
        counts = np.diff(np.r_[starts, len(rows_all)]).astype(np.float64)
        u = _Units(rows_all[starts], cols_all[starts], counts, m.astype(np.float64),
                   np.asarray(self._mult, dtype=np.float64), n_values)
        return u, domain

    def alpha(self, level: str, order: Sequence[Hashable] | None = None, resamples: int = 1000,
              seed: int = 0) -> AlphaResult:
        """``alpha.alpha`` over every unit added."""
        u, domain = self.patterns(level, order)
        return alpha_of(u, level, domain, resamples, seed)


class KappaCounter:
    """Cohen's kappa (``alpha.cohen_kappa``) over pairs of values given one at a time."""

    def __init__(self) -> None:
        self.total = 0
        self.same = 0
        self.first: Counter[Any] = Counter()
        self.second: Counter[Any] = Counter()

    def add(self, a: Any, b: Any) -> None:
        if a is None or b is None:
            return
        self.total += 1
        if a == b:
            self.same += 1
        self.first[a] += 1
        self.second[b] += 1

    def kappa(self) -> float | None:
        if not self.total:
            return None
        total = float(self.total)
        p_o = self.same / total
        p_e = sum(count * self.second.get(v, 0) for v, count in self.first.items()) / (total * total)
        if p_e >= 1.0:
            return None
        return float((p_o - p_e) / (1.0 - p_e))
