"""Span agreement: F1 (exact and with one-to-one overlap matching) per coder pair and type, and
the unitizing alpha over characters with its per-report bootstrap. Part of
:mod:`annotator.core.agreement.compute`; the definitions are in docs/agreement.md."""

from __future__ import annotations

import itertools
import statistics
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from annotator.core.agreement.alpha import AlphaResult
from annotator.core.agreement.data import SpanItem

__all__ = ["ALL", "SpanTally", "coverage", "f1_exact", "f1_overlap", "overlap_matches",
           "unitizing_alpha", "unitizing_from"]

ALL = "_all"

#: resamples x reports counts of the unitizing bootstrap are drawn in blocks of about this size
_BLOCK = 1 << 21


# ------------------------------------------------------------------ span F1


def f1_exact(a: set[tuple[Any, ...]], b: set[tuple[Any, ...]]) -> float | None:
    """2|A n B| / (|A| + |B|); None when both are empty."""
    if not a and not b:
        return None
    return 2 * len(a & b) / (len(a) + len(b))


def f1_overlap(a: Sequence[SpanItem], b: Sequence[SpanItem]) -> float | None:
    """F1 with one-to-one matching of same-type overlapping spans (identical offsets first,
    then the greatest overlap; ties by position)."""
    if not a and not b:
        return None
    return 2 * overlap_matches(a, b) / (len(a) + len(b))


def overlap_matches(a: Sequence[SpanItem], b: Sequence[SpanItem]) -> int:
    """How many one-to-one matches of same-type overlapping spans ``a`` and ``b`` have."""
    # identical spans come first in the greedy order and are interchangeable, so they are
    # matched by counting; only the rest go through the overlap search
    unmatched: dict[tuple[str, str, int, int], int] = {}
    for t in b:
        k = (t.report, t.type, t.start, t.end)
        unmatched[k] = unmatched.get(k, 0) + 1
    matched = 0
    rest_a = []
    for s in a:
        k = (s.report, s.type, s.start, s.end)
        left = unmatched.get(k, 0)
        if left:
            unmatched[k] = left - 1
            matched += 1
        else:
            rest_a.append(s)
    rest_b = []
    for t in b:
        k = (t.report, t.type, t.start, t.end)
        left = unmatched[k]
        if left:
            unmatched[k] = left - 1
            rest_b.append(t)
    return matched + _greedy_overlap_matches(rest_a, rest_b)


def _greedy_overlap_matches(a: Sequence[SpanItem], b: Sequence[SpanItem]) -> int:
    by_key: dict[tuple[str, str], list[SpanItem]] = defaultdict(list)
    for t in b:
        by_key[(t.report, t.type)].append(t)
    index: dict[tuple[str, str], tuple[list[int], list[SpanItem], int]] = {}
    for key, items in by_key.items():
        items.sort(key=lambda t: t.start)
        index[key] = ([t.start for t in items], items, max(t.end - t.start for t in items))
    pairs = []
    for i, s in enumerate(a):
        found = index.get((s.report, s.type))
        if found is None:
            continue
        starts, items, longest = found
        lo = bisect_left(starts, s.start - longest)
        hi = bisect_left(starts, s.end)
        for j in range(lo, hi):
            t = items[j]
            ov = min(s.end, t.end) - max(s.start, t.start)
            if ov > 0:
                exact = s.start == t.start and s.end == t.end
                pairs.append((0 if exact else 1, -ov, s.report, s.start, t.start, i, id(t)))
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = 0
    for *_, i, tid in pairs:
        if i in used_a or tid in used_b:
            continue
        used_a.add(i)
        used_b.add(tid)
        matched += 1
    return matched


# ------------------------------------------------------------------ unitizing alpha


def _binary_alpha(hist: np.ndarray, m: int) -> tuple[float | None, float]:
    """Nominal alpha for units that each hold m binary values, from hist[k] = units with k ones.
    Returns (alpha or None, n pairable values)."""
    values, n = _binary_alphas(np.asarray(hist, dtype=np.float64)[None, :], m)
    return (None if np.isnan(values[0]) else float(values[0])), float(n[0])


def _binary_alphas(hists: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """``_binary_alpha`` for each row of ``hists`` at once: (alphas with NaN where undefined,
    pairable values per row)."""
    k = np.arange(m + 1, dtype=np.float64)
    o01 = (hists * (k * (m - k))).sum(axis=1) / (m - 1)
    n1 = hists @ k
    n = hists.sum(axis=1) * m
    n0 = n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        d_e = 2 * n1 * n0 / (n * (n - 1))
        out = 1 - (2 * o01 / n) / d_e
    out[(n < 2) | ~(d_e > 0)] = np.nan
    return out, n


def unitizing_alpha(
    spans: Sequence[SpanItem],
    coders: Sequence[str],
    report_lengths: Mapping[str, int],
    resamples: int = 1000,
    seed: int = 0,
) -> AlphaResult:
    """Character-level binary alpha for one span type: every character of every report is a
    unit; each coder's value is 1 inside any of their spans of the type, else 0; nominal alpha
    over those units, computed from the histogram of how many coders cover each character.
    The 95% interval resamples whole reports (characters of a report are not independent)."""
    if len(coders) < 2:
        return AlphaResult(None, 0, 0, None, "needs two or more coders")
    return unitizing_from(coverage(spans, coders, report_lengths), len(coders), resamples, seed)


def coverage(spans: Sequence[SpanItem], coders: Sequence[str],
             report_lengths: Mapping[str, int]) -> np.ndarray:
    """Per report with text (in ``report_lengths``' order), how many of its characters k of
    the ``coders`` cover (k = 0..m): what the unitizing alpha needs of a report, computed a few
    reports at a time and stacked (a report's row depends on its own spans only)."""
    m = len(coders)
    reports = [r for r, n in report_lengths.items() if n > 0]
    if not reports:
        return np.zeros((0, m + 1))
    # all reports end to end (global offsets); per coder the union of their intervals, then one
    # sweep over the boundaries gives, per report, how many characters k coders cover
    offset = {}
    total = 0
    for r in reports:
        offset[r] = total
        total += report_lengths[r]
    # each span placed at its report's global offset and clipped to the report's text
    report_pos = {r: i for i, r in enumerate(reports)}
    coder_pos = {c: i for i, c in enumerate(coders)}
    n_spans = len(spans)
    r_idx = np.fromiter((report_pos.get(s.report, -1) for s in spans), np.int64, n_spans)
    c_idx = np.fromiter((coder_pos.get(s.coder, -1) for s in spans), np.int64, n_spans)
    raw_starts = np.fromiter((s.start for s in spans), np.int64, n_spans)
    raw_ends = np.fromiter((s.end for s in spans), np.int64, n_spans)
    # spans of other reports or coders, and empty or reversed ones (none stored ever is), add nothing
    keep_span = (r_idx >= 0) & (c_idx >= 0) & (raw_ends > raw_starts)
    r_idx, c_idx = r_idx[keep_span], c_idx[keep_span]
    raw_starts, raw_ends = raw_starts[keep_span], raw_ends[keep_span]
    base_of = np.fromiter((offset[r] for r in reports), np.int64, len(reports))
    length_of = np.fromiter((report_lengths[r] for r in reports), np.int64, len(reports))
    span_lengths = length_of[r_idx]
    all_starts = base_of[r_idx] + np.minimum(raw_starts, span_lengths)
    all_ends = base_of[r_idx] + np.minimum(raw_ends, span_lengths)
    starts = [all_starts[c_idx == k] for k in range(m)]
    ends = [all_ends[c_idx == k] for k in range(m)]
    pos_parts, delta_parts = [], []
    for k in range(m):
        if not len(starts[k]):
            continue
        st, en = starts[k], ends[k]
        order = np.argsort(st, kind="stable")
        st, en = st[order], en[order]
        reach = np.maximum.accumulate(en)
        new_run = np.ones(len(st), dtype=bool)
        new_run[1:] = st[1:] > reach[:-1]  # a gap before this span: a new covered run starts
        run_starts = st[new_run]
        run_ends = np.append(reach[np.flatnonzero(new_run)[1:] - 1], reach[-1])
        pos_parts += [run_starts, run_ends]
        delta_parts += [np.ones(len(run_starts), dtype=np.int64),
                        -np.ones(len(run_ends), dtype=np.int64)]
    bounds = np.asarray([offset[r] for r in reports] + [total], dtype=np.int64)
    pos = np.concatenate([*pos_parts, bounds])
    delta = np.concatenate([*delta_parts, np.zeros(len(bounds), dtype=np.int64)])
    order = np.argsort(pos, kind="stable")
    pos, delta = pos[order], delta[order]
    level = np.cumsum(delta)  # coders covering [pos[i], pos[i+1])
    lengths = np.diff(pos)
    level = level[:-1]
    report_idx = np.searchsorted(bounds, pos[:-1], side="right") - 1
    keep = (lengths > 0) & (report_idx < len(reports))
    per_report = np.bincount(
        report_idx[keep] * (m + 1) + level[keep], weights=lengths[keep],
        minlength=len(reports) * (m + 1),
    ).reshape(len(reports), m + 1)
    # characters nobody covers: the rest of each report
    covered_chars = per_report[:, 1:].sum(axis=1)
    per_report[:, 0] = np.asarray([report_lengths[r] for r in reports]) - covered_chars
    return per_report


def unitizing_from(per_report: np.ndarray, m: int, resamples: int = 1000,
                   seed: int = 0) -> AlphaResult:
    """The unitizing alpha and its interval from the reports' ``coverage`` rows."""
    if m < 2:
        return AlphaResult(None, 0, 0, None, "needs two or more coders")
    if not len(per_report):
        return AlphaResult(None, 0, 0, None, "no report text")
    hist = per_report.sum(axis=0)
    units = int(hist.sum())
    value, n_values = _binary_alpha(hist, m)
    if value is None:
        reason = ("no variation: no coder tagged this type" if hist[1:].sum() == 0
                  else "no variation: every character covered by every coder")
        return AlphaResult(None, units, int(n_values), None, reason)
    interval = None
    n_reports = len(per_report)
    if resamples > 0 and n_reports > 1:
        # each resample draws n_reports reports with replacement; w[b, r] = times report r is drawn
        rng = np.random.default_rng(seed)
        found = []
        step = max(1, _BLOCK // n_reports)  # a block of resamples at a time: bounded memory
        for lo in range(0, resamples, step):
            size = min(step, resamples - lo)
            drawn = rng.integers(0, n_reports, size=(size, n_reports))
            drawn += np.arange(size)[:, None] * n_reports
            w = np.bincount(drawn.ravel(), minlength=size * n_reports).reshape(size, n_reports)
            found.append(_binary_alphas(w @ per_report, m)[0])
        values = np.concatenate(found)
        values = values[~np.isnan(values)]
        if values.size:
            lo, hi = np.quantile(values, [0.025, 0.975])
            interval = (float(lo), float(hi))
    return AlphaResult(value, units, int(n_values), interval, resampled=n_reports)


def _mean_sd(values: Mapping[str, float | None]) -> dict[str, Any]:
    got = [v for v in values.values() if v is not None]
    return {
        "mean": round(statistics.fmean(got), 6) if got else None,
        "sd": round(statistics.stdev(got), 6) if len(got) > 1 else (0.0 if got else None),
        "pairs": {k: (None if v is None else round(v, 6)) for k, v in values.items()},
        "label": None,  # F1 has no reliability thresholds (alpha.verdict is for alpha)
    }



class SpanTally:
    """Span F1 (exact and overlap) per coder pair, per type and over all types, with the
    unitizing alpha of each type, added up a chunk of reports at a time (matches are within a
    report, so the counts of the chunks add up to those of the whole)."""

    def __init__(self, chosen: Sequence[str], types: Sequence[str]) -> None:
        self.chosen = list(chosen)
        self.types = list(types)
        self.pairs = list(itertools.combinations(self.chosen, 2))
        # matches are within a type, so the all-types figures add up the per-type counts
        self.inter: dict[tuple[str, str], int] = defaultdict(int)
        self.over: dict[tuple[str, str], int] = defaultdict(int)
        self.sizes: dict[tuple[str, str], int] = defaultdict(int)
        self.count: dict[tuple[str, str], int] = defaultdict(int)  # (type, coder) -> spans
        self.rows: dict[str, list[np.ndarray]] = {t: [] for t in self.types}  # coverage rows

    def add(self, spans: Sequence[SpanItem], lengths: Mapping[str, int],
            unitizing: bool = True) -> None:
        """The spans of ``chosen`` on a chunk of reports (``lengths``: those reports in order)."""
        by_type_coder: dict[tuple[str, str], list[SpanItem]] = defaultdict(list)
        for sp in spans:
            by_type_coder[(sp.type, sp.coder)].append(sp)
            by_type_coder[(ALL, sp.coder)].append(sp)
        for t in self.types:
            for a, b in self.pairs:
                sa = by_type_coder.get((t, a), [])
                sb = by_type_coder.get((t, b), [])
                key = f"{a}|{b}"
                common = len({(s.report, s.start, s.end) for s in sa}
                             & {(s.report, s.start, s.end) for s in sb})
                matched = overlap_matches(sa, sb)
                for kind in (t, ALL):
                    self.inter[(kind, key)] += common
                    self.over[(kind, key)] += matched
                    self.sizes[(kind, key)] += len(sa) + len(sb)
        for (t, c), items in by_type_coder.items():
            self.count[(t, c)] += len(items)
        if unitizing:
            for t in self.types:
                sel = [s for c in self.chosen for s in by_type_coder.get((t, c), [])]
                self.rows[t].append(coverage(sel, self.chosen, lengths))

    def figures(self, resamples: int, seed: int, unitizing: bool = True) -> dict[str, dict[str, Any]]:
        span_out: dict[str, dict[str, Any]] = {}
        m = len(self.chosen)
        for t in [*self.types, ALL]:
            exact: dict[str, float | None] = {}
            overlap: dict[str, float | None] = {}
            for a, b in self.pairs:
                key = f"{a}|{b}"
                n = self.sizes[(t, key)]
                exact[key] = 2 * self.inter[(t, key)] / n if n else None
                overlap[key] = 2 * self.over[(t, key)] / n if n else None
            entry: dict[str, Any] = {
                "f1_exact": _mean_sd(exact),
                "f1_overlap": _mean_sd(overlap),
                "n": sum(self.count[(t, c)] for c in self.chosen),
                "per_coder": {c: self.count[(t, c)] for c in self.chosen},
            }
            if t != ALL and unitizing:
                rows = self.rows[t]
                per_report = np.concatenate(rows) if rows else np.zeros((0, m + 1))
                entry["alpha_u"] = unitizing_from(per_report, m, resamples, seed).to_json()
            span_out[t] = entry
        return span_out
