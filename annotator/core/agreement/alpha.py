"""Krippendorff's alpha at the four levels of measurement, from the coincidence matrix.

    alpha = 1 - D_o / D_e
    D_o = (1/n) sum_{c,k} o_ck delta2(c, k)
    D_e = (1/(n(n-1))) sum_{c,k} n_c n_k delta2(c, k)

where o is the coincidence matrix (every ordered pair of values within a unit, weighted by
1/(m_u - 1), over units with m_u >= 2 values), n_c its marginals and n = sum n_c. The distance
delta2 is 0/1 (nominal), Krippendorff's rank-sum form (ordinal), (c - k)^2 (interval) or
((c - k)/(c + k))^2 (ratio). The coincidences are never built as a matrix: the sums are taken per
unit and per value from the units' sparse value counts (nominal from sums of squared counts,
interval from sums of squares about the unit's mean, ordinal as interval on mid-ranks, ratio over
the pairs within each unit and the values in bounded blocks), so memory grows with the units and
values, not with the square of the number of distinct values (issue 16: a claim slot with 15,325
distinct values once asked for a 15,325 x 15,325 matrix). The
bootstrap resamples units (Krippendorff 2004; Hayes & Krippendorff 2007 resample pairs, we
resample units, which keeps each unit's values together), seeded and reproducible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["MIN_UNITS", "RELIABLE", "TENTATIVE", "AlphaResult", "LEVELS", "alpha", "alpha_of",
           "cohen_kappa",
           "figure_text", "reliability_label", "thresholds_text", "verdict"]

#: Krippendorff's thresholds: alpha from RELIABLE up is reliable, from TENTATIVE tentative.
RELIABLE = 0.800
TENTATIVE = 0.667
#: Below this many units (pairable units; reports for the unitizing alpha, whose interval
#: resamples reports) no alpha gets a reading: its interval says nothing yet.
MIN_UNITS = 10
TOO_FEW = "too few units"

LEVELS = ("nominal", "ordinal", "interval", "ratio")
Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None  # None when undefined (see reason)
    n_units: int  # units with at least two values (pairable)
    n_values: int  # pairable values
    ci: tuple[float, float] | None = None
    reason: str | None = None  # why alpha is None, or a note
    resampled: int | None = None  # the units the interval resamples when not n_units (reports)

    @property
    def label(self) -> str:
        units = self.n_units if self.resampled is None else self.resampled
        return verdict(self.alpha, self.ci, units)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "alpha": None if self.alpha is None else round(self.alpha, 6),
            "ci": None if self.ci is None else [round(self.ci[0], 6), round(self.ci[1], 6)],
            "n": self.n_units,
            "values": self.n_values,
            "label": self.label,
        }
        if self.resampled is not None:
            out["reports"] = self.resampled
        if self.reason:
            out["reason"] = self.reason
        return out


def reliability_label(value: float | None) -> str:
    """Krippendorff's reading: from RELIABLE reliable, from TENTATIVE tentative, below unreliable."""
    if value is None:
        return "undefined"
    if value >= RELIABLE:
        return "reliable"
    if value >= TENTATIVE:
        return "tentative"
    return "unreliable"


def verdict(value: float | None, ci: tuple[float, float] | Sequence[float] | None, units: int) -> str:
    """The reading of an alpha, the one rule every output uses (CLI text, HTML, CSV, JSON, the
    window): "undefined" without a value; "too few units" below MIN_UNITS units; else
    Krippendorff's thresholds applied to the lower bound of the 95% interval (the point value
    when there is no interval), so that a figure is called reliable only when its interval lies
    above .800 (Krippendorff 2004: reject data whose alpha may lie below the minimum). F1 has no
    such thresholds and gets no reading."""
    if value is None:
        return "undefined"
    if units < MIN_UNITS:
        return TOO_FEW
    return reliability_label(value if not ci else min(value, ci[0]))


def figure_text(value: float) -> str:
    text = f"{value:.3f}"
    return "-" + text[1:].lstrip("0") if text.startswith("-") else text.lstrip("0")


def thresholds_text() -> str:
    """"Below .667 unreliable, .667 to .800 tentative" for the reader of a report."""
    return (f"Alpha is read by the lower bound of its 95% interval: from {figure_text(RELIABLE)} "
            f"reliable, {figure_text(TENTATIVE)} to {figure_text(RELIABLE)} tentative, below "
            f"{figure_text(TENTATIVE)} unreliable; under {MIN_UNITS} units: too few units. "
            "F1 has no such thresholds")


def _domain(
    units: Sequence[Sequence[Any]], level: str, order: Sequence[Hashable] | None
) -> list[Any]:
    return _sorted_domain({v for unit in units for v in unit if v is not None}, level, order)


def _sorted_domain(seen: set[Any], level: str, order: Sequence[Hashable] | None) -> list[Any]:
    """The values in the order alpha numbers them (``seen``: every value of every unit)."""
    if order is not None:
        extra = seen - set(order)
        if extra:
            raise ValueError(f"values not in the given order: {sorted(map(str, extra))[:5]}")
        return [v for v in order if v in seen] if level != "ordinal" else list(order)
    try:
        return sorted(seen)
    except TypeError:
        return sorted(seen, key=repr)


#: a bound on the temporaries of one step (elements): the bootstrap works through its resamples
#: and the ratio distances through the values in blocks of about this size
_BLOCK = 1 << 21


@dataclass(frozen=True)
class _Units:
    """The distinct value patterns of the pairable units (units with two or more values), in
    sparse form: entry e says that pattern ``rows[e]`` holds value ``cols[e]`` ``counts[e]``
    times (entries of a pattern are adjacent). ``m`` is the values per pattern (m_u) and
    ``mult`` how many units have the pattern.

    Units with the same values are interchangeable in alpha and in its bootstrap, so everything
    downstream works on the patterns weighted by their multiplicity; nothing is ever as big as
    patterns x values or values x values."""

    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    counts: Matrix
    m: Matrix
    mult: Matrix
    n_domain: int

    def marginals(self, weights: Matrix) -> Matrix:
        """n_c: the pairable values of each value when pattern p counts ``weights[p]`` times."""
        out: Matrix = np.asarray(np.bincount(self.cols, weights=self.counts * weights[self.rows],
                                             minlength=self.n_domain), dtype=np.float64)
        return out

    def per_pattern(self, x: Matrix) -> Matrix:
        """sum_c c_pc x_c for every pattern p."""
        out: Matrix = np.asarray(np.bincount(self.rows, weights=self.counts * x[self.cols],
                                             minlength=len(self.m)), dtype=np.float64)
        return out


def _patterns(units: Sequence[Sequence[Any]], domain: Sequence[Any]) -> _Units:
    index = {v: i for i, v in enumerate(domain)}
    seen: dict[tuple[int, ...], int] = {}
    for unit in units:
        vals = [index[v] for v in unit if v is not None]
        if len(vals) < 2:
            continue
        vals.sort()
        key = tuple(vals)
        seen[key] = seen.get(key, 0) + 1
    rows: list[int] = []
    cols: list[int] = []
    counts: list[float] = []
    m = np.empty(len(seen), dtype=np.float64)
    for r, key in enumerate(seen):
        m[r] = len(key)
        prev = -1
        for v in key:  # sorted: equal values are adjacent
            if v == prev:
                counts[-1] += 1.0
            else:
                rows.append(r)
                cols.append(v)
                counts.append(1.0)
                prev = v
    return _Units(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                  np.asarray(counts, dtype=np.float64), m,
                  np.fromiter(seen.values(), dtype=np.float64, count=len(seen)), len(domain))


def _midranks(n_c: Matrix) -> Matrix:
    """Krippendorff's ordinal distance is (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 = (p_k - p_c)^2
    with p_g = sum_{h<g} n_h + n_g/2, the mid-rank of category g: ordinal alpha is interval
    alpha on the mid-ranks, whatever the number of categories."""
    out: Matrix = np.cumsum(n_c) - n_c / 2.0
    return out


def _ratio_delta(x: Matrix, y: Matrix) -> Matrix:
    total = x[:, None] + y[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(total == 0, 0.0, (x[:, None] - y[None, :]) / total)
    out: Matrix = r * r
    return out


def _observed(u: _Units, level: str, x: Matrix | None) -> Matrix:
    """D_p = sum_{c,k} c_pc c_pk delta2(c, k) / (m_p - 1) for every pattern (x: the values'
    positions for interval and ordinal, their numbers for ratio)."""
    if level == "nominal":
        same = np.bincount(u.rows, weights=u.counts * u.counts, minlength=len(u.m))
        out: Matrix = (u.m * u.m - same) / (u.m - 1.0)
        return out
    assert x is not None
    if level in ("interval", "ordinal"):
        # sum_{c,k} c_c c_k (x_c - x_k)^2 = 2 m sum_c c_c (x_c - mean)^2 (no cancellation)
        mean = u.per_pattern(x) / u.m
        dev = x[u.cols] - mean[u.rows]
        spread = np.bincount(u.rows, weights=u.counts * dev * dev, minlength=len(u.m))
        out = 2.0 * u.m * spread / (u.m - 1.0)
        return out
    # ratio: over the pairs of distinct values within each pattern (a pattern has few)
    total = np.zeros(len(u.m))
    xs = x[u.cols]
    for d in range(1, len(u.rows)):
        same = u.rows[d:] == u.rows[:-d]
        if not same.any():
            break
        i = np.flatnonzero(same)
        j = i + d
        a, b = xs[i], xs[j]
        s = a + b
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(s == 0, 0.0, (a - b) / s)
        total += np.bincount(u.rows[i], weights=2.0 * u.counts[i] * u.counts[j] * r * r,
                             minlength=len(u.m))
    out = total / (u.m - 1.0)
    return out


def _expected(level: str, n_c: Matrix, x: Matrix | None) -> Matrix:
    """sum_{c,k} n_c n_k delta2(c, k) for each row of ``n_c`` (resamples x values; 1-d: one)."""
    nn = np.atleast_2d(n_c)
    n = nn.sum(axis=1)
    if level == "nominal":
        out: Matrix = n * n - (nn * nn).sum(axis=1)
    elif level in ("interval", "ordinal"):
        assert x is not None
        xx = np.atleast_2d(x)  # one row, or one row of mid-ranks per resample
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(n > 0, (nn * xx).sum(axis=1) / n, 0.0)
        dev = xx - mean[:, None]
        out = 2.0 * n * (nn * dev * dev).sum(axis=1)
    else:
        assert x is not None
        keep = np.flatnonzero(nn.any(axis=0))  # values no row holds add nothing
        xs, nk = x[keep], nn[:, keep]
        out = np.zeros(len(nn))
        step = max(1, _BLOCK // max(1, len(keep)))
        for lo in range(0, len(keep), step):
            block = _ratio_delta(xs[lo:lo + step], xs)  # step x V, bounded
            out += (nk[:, lo:lo + step] * (nk @ block.T)).sum(axis=1)
    return out if n_c.ndim > 1 else out[:1]


def _positions(level: str, domain: Sequence[Any]) -> Matrix | None:
    if level == "nominal" or level == "ordinal":
        return None
    if level in ("interval", "ratio"):
        x = np.asarray(domain, dtype=np.float64)
        if level == "interval" and len(x):
            x = x - x.mean()  # distances do not change; sums of squares stay small
        return x
    raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")


def _alpha_from(u: _Units, level: str, domain: Sequence[Any]) -> tuple[float | None, str | None]:
    n_c = u.marginals(u.mult)
    n = float(n_c.sum())
    if n < 2:
        return None, "fewer than two pairable values"
    x = _midranks(n_c) if level == "ordinal" else _positions(level, domain)
    d_o = float(u.mult @ _observed(u, level, x)) / n
    d_e = float(_expected(level, n_c, x)[0]) / (n * (n - 1.0))
    if d_e <= 0.0:
        if d_o <= 0.0:
            return None, "no variation: every coder gave the same single value"
        return None, "no expected disagreement"
    return 1.0 - d_o / d_e, None


def alpha(
    units: Sequence[Sequence[Any]],
    level: str = "nominal",
    *,
    order: Sequence[Hashable] | None = None,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> AlphaResult:
    """Krippendorff's alpha over ``units`` (each a list of the coders' values, None = missing).

    ``order`` gives the categories of an ordinal variable in order (default: sorted values).
    Returns alpha None with a reason when it is undefined: fewer than two pairable values, or no
    variation at all (every value identical), which Krippendorff leaves undefined. Memory grows
    with the number of units and values, never with their product or a square of either.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")
    domain = _domain(units, level, order)
    return alpha_of(_patterns(units, domain), level, domain, resamples, seed, confidence)


def alpha_of(u: _Units, level: str, domain: Sequence[Any], resamples: int = 1000, seed: int = 0,
             confidence: float = 0.95) -> AlphaResult:
    """``alpha`` from the units' value patterns (``_patterns``, or
    ``units.UnitCounter.patterns`` when the units were added up a few reports at a time)."""
    n_units, n_values = int(u.mult.sum()), int(u.m @ u.mult)
    if n_units == 0:
        return AlphaResult(None, 0, 0, None, "no unit has values from two or more coders")
    value, reason = _alpha_from(u, level, domain)
    ci = None
    if value is not None and resamples > 0 and n_units > 1:
        # resampling the distinct patterns with multinomial weights in proportion to how often
        # each occurs is the same distribution as resampling the units themselves
        ci = _bootstrap(u, level, domain, resamples, seed, confidence)
    return AlphaResult(value, n_units, n_values, ci, reason)


def _bootstrap(
    u: _Units, level: str, domain: Sequence[Any], resamples: int, seed: int, confidence: float,
) -> tuple[float, float] | None:
    """Percentile interval over ``resamples`` resamplings of the units (numpy, seeded), drawn
    and evaluated a block of resamples at a time so that memory stays bounded."""
    rng = np.random.default_rng(seed)
    total = int(u.mult.sum())
    pvals = u.mult / u.mult.sum()
    x = None if level == "ordinal" else _positions(level, domain)
    per_pattern = None if level == "ordinal" else _observed(u, level, x)
    width = max(total, len(u.rows), u.n_domain, 1)
    step = max(1, min(resamples, _BLOCK // width))
    # many distinct patterns (a claim slot: nearly one per unit): drawing the units themselves
    # and counting them is far cheaper than a multinomial over the patterns; few patterns (an
    # enum): the multinomial. Both are the same distribution: resampling the units.
    by_units = len(u.m) * 8 > total
    found: list[Matrix] = []
    by_value = _ByValue(u) if level != "interval" else None
    for lo in range(0, resamples, step):
        w = _draw(rng, u.mult, total, pvals, min(step, resamples - lo), by_units)
        n = w @ u.m
        n_c = None if by_value is None else by_value.marginals(w)
        if level == "ordinal":
            assert n_c is not None
            d_o = np.empty(len(w))
            d_e = np.empty(len(w))
            for b in range(len(w)):  # the mid-ranks depend on each resample's marginals
                ranks = _midranks(n_c[b])
                d_o[b] = float(w[b] @ _observed(u, level, ranks))
                d_e[b] = float(_expected(level, n_c[b], ranks)[0])
        elif level == "interval":
            assert x is not None and per_pattern is not None
            s1, s2 = w @ u.per_pattern(x), w @ u.per_pattern(x * x)
            d_o = w @ per_pattern
            d_e = 2.0 * (n * s2 - s1 * s1)
        else:
            assert n_c is not None and per_pattern is not None
            d_o = w @ per_pattern
            d_e = _expected(level, n_c, x)
        ok = n > 1
        with np.errstate(divide="ignore", invalid="ignore"):
            d_e = d_e / (n * (n - 1.0))
            values = 1.0 - (d_o / n) / d_e
        found.append(values[ok & (d_e > 0)])
    result = np.concatenate(found) if found else np.empty(0)
    if result.size == 0:
        return None
    tail = (1.0 - confidence) / 2.0
    lo_q, hi_q = np.quantile(result, [tail, 1.0 - tail])
    return float(lo_q), float(hi_q)


def _draw(rng: np.random.Generator, mult: Matrix, total: int, pvals: Matrix, size: int,
          by_units: bool) -> Matrix:
    """How often each pattern occurs in each of ``size`` resamples of the ``total`` units."""
    if not by_units:
        out: Matrix = rng.multinomial(total, pvals, size=size).astype(np.float64)
        return out
    pattern_of = np.repeat(np.arange(len(mult)), mult.astype(np.int64))  # unit -> its pattern
    # uniform doubles scaled to unit numbers: the stream does not depend on the block size
    picks = np.minimum((rng.random((size, total)) * total).astype(np.int64), total - 1)
    drawn = pattern_of[picks]
    drawn += np.arange(size)[:, None] * len(mult)
    counted = np.bincount(drawn.ravel(), minlength=size * len(mult)).reshape(size, len(mult))
    out = counted.astype(np.float64)
    return out


class _ByValue:
    """The entries of ``u`` sorted by value, to add up the marginals of many resamples at once."""

    def __init__(self, u: _Units) -> None:
        order = np.argsort(u.cols, kind="stable")
        cols = u.cols[order]
        self.starts = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]]) if len(cols) \
            else np.empty(0, dtype=np.int64)
        self.values = cols[self.starts]
        self.rows, self.counts, self.n_domain = u.rows[order], u.counts[order], u.n_domain

    def marginals(self, w: Matrix) -> Matrix:
        """n_c of each resample (rows of pattern weights ``w``): resamples x values (block x
        entries temporaries: the caller bounds the block)."""
        out = np.zeros((len(w), self.n_domain))
        if len(self.rows):
            contrib = w[:, self.rows] * self.counts
            out[:, self.values] = np.add.reduceat(contrib, self.starts, axis=1)
        return out


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa for two coders over the units both coded (pairs with a None are dropped),
    from the agreeing share and each coder's value counts (no category x category table)."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return None
    total = float(len(pairs))
    p_o = sum(1 for x, y in pairs if x == y) / total
    first = Counter(x for x, _ in pairs)
    second = Counter(y for _, y in pairs)
    p_e = sum(count * second.get(v, 0) for v, count in first.items()) / (total * total)
    if p_e >= 1.0:
        return None
    return float((p_o - p_e) / (1.0 - p_e))
