"""Krippendorff's alpha at the four levels of measurement, from the coincidence matrix.

    alpha = 1 - D_o / D_e
    D_o = (1/n) sum_{c,k} o_ck delta2(c, k)
    D_e = (1/(n(n-1))) sum_{c,k} n_c n_k delta2(c, k)

where o is the coincidence matrix (every ordered pair of values within a unit, weighted by
1/(m_u - 1), over units with m_u >= 2 values), n_c its marginals and n = sum n_c. The distance
delta2 is 0/1 (nominal), Krippendorff's rank-sum form (ordinal), (c - k)^2 (interval) or
((c - k)/(c + k))^2 (ratio). Everything is computed from the unit x value count matrix with numpy;
the bootstrap resamples units (Krippendorff 2004; Hayes & Krippendorff 2007 resample pairs, we
resample units, which keeps each unit's values together), seeded and reproducible.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["MIN_UNITS", "RELIABLE", "TENTATIVE", "AlphaResult", "LEVELS", "alpha", "cohen_kappa",
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
    seen = {v for unit in units for v in unit if v is not None}
    if order is not None:
        extra = seen - set(order)
        if extra:
            raise ValueError(f"values not in the given order: {sorted(map(str, extra))[:5]}")
        return [v for v in order if v in seen] if level != "ordinal" else list(order)
    try:
        return sorted(seen)
    except TypeError:
        return sorted(seen, key=repr)


def _distance(level: str, domain: Sequence[Any], marginals: npt.NDArray[np.float64]) -> Matrix:
    v = len(domain)
    if level == "nominal":
        return 1.0 - np.eye(v)
    if level == "ordinal":
        # delta2(c, k) = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2, ranks in domain order
        cum = np.concatenate([[0.0], np.cumsum(marginals)])
        i, j = np.meshgrid(np.arange(v), np.arange(v), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi + 1] - cum[lo]
        d = between - (marginals[i] + marginals[j]) / 2.0
        out: Matrix = d * d
        return out
    x = np.asarray(domain, dtype=np.float64)
    diff = x[:, None] - x[None, :]
    if level == "interval":
        out = diff * diff
        return out
    if level == "ratio":
        total = x[:, None] + x[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(total == 0, 0.0, diff / total)
        out = r * r
        return out
    raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")


def _patterns(units: Sequence[Sequence[Any]], domain: Sequence[Any]) -> tuple[Matrix, Matrix, Matrix]:
    """The distinct value patterns of the pairable units (units with two or more values): a
    pattern x value count matrix, values per pattern (m_u), and how many units have each pattern.

    Units with the same values are interchangeable in alpha and in its bootstrap, so everything
    downstream works on the (few) patterns weighted by their multiplicity."""
    index = {v: i for i, v in enumerate(domain)}
    seen: dict[tuple[int, ...], int] = {}
    for unit in units:
        vals = [index[v] for v in unit if v is not None]
        if len(vals) < 2:
            continue
        vals.sort()
        key = tuple(vals)
        seen[key] = seen.get(key, 0) + 1
    c = np.zeros((len(seen), len(domain)), dtype=np.float64)
    for r, key in enumerate(seen):
        for v in key:
            c[r, v] += 1.0
    return c, c.sum(axis=1), np.fromiter(seen.values(), dtype=np.float64, count=len(seen))


def _alpha_from(
    c: Matrix, m: Matrix, level: str, domain: Sequence[Any], weights: Matrix | None = None
) -> tuple[float | None, str | None]:
    w = np.ones(len(m)) if weights is None else weights
    scale = w / (m - 1.0)
    # coincidences: o = C^T diag(scale) C - diag(sum_u scale_u C_u)
    o = (c * scale[:, None]).T @ c
    o -= np.diag((c * scale[:, None]).sum(axis=0))
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    if n < 2:
        return None, "fewer than two pairable values"
    delta = _distance(level, domain, n_c)
    d_o = float((o * delta).sum()) / n
    d_e = float(n_c @ delta @ n_c) / (n * (n - 1.0))
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
    variation at all (every value identical), which Krippendorff leaves undefined.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")
    domain = _domain(units, level, order)
    c, m, mult = _patterns(units, domain)
    n_units, n_values = int(mult.sum()), int(m @ mult)
    if n_units == 0:
        return AlphaResult(None, 0, 0, None, "no unit has values from two or more coders")
    value, reason = _alpha_from(c, m, level, domain, mult)
    ci = None
    if value is not None and resamples > 0 and n_units > 1:
        # resampling the distinct patterns with multinomial weights in proportion to how often
        # each occurs is the same distribution as resampling the units themselves
        ci = _bootstrap(c, m, level, domain, resamples, seed, confidence, mult)
    return AlphaResult(value, n_units, n_values, ci, reason)


def _bootstrap(
    c: Matrix, m: Matrix, level: str, domain: Sequence[Any], resamples: int, seed: int,
    confidence: float, multiplicity: Matrix | None = None,
) -> tuple[float, float] | None:
    """Percentile interval over ``resamples`` resamplings of the units (numpy, seeded).

    ``c`` may hold distinct unit patterns with their ``multiplicity``; a resample then draws
    how many units of each pattern it holds."""
    rng = np.random.default_rng(seed)
    mult = np.ones(len(m)) if multiplicity is None else multiplicity
    total = int(mult.sum())
    w = rng.multinomial(total, mult / mult.sum(), size=resamples).astype(np.float64)  # B x U
    n_c = w @ c  # B x V: marginals of each resample's coincidence matrix
    n = n_c.sum(axis=1)
    ok = n > 1
    if level == "ordinal":  # the distances depend on the marginals: one resample at a time
        values = []
        for b in np.flatnonzero(ok):
            delta = _distance(level, domain, n_c[b])
            per_unit = np.einsum("uv,vw,uw->u", c, delta, c) / (m - 1.0)
            d_o = float(w[b] @ per_unit) / n[b]
            d_e = float(n_c[b] @ delta @ n_c[b]) / (n[b] * (n[b] - 1.0))
            if d_e > 0:
                values.append(1.0 - d_o / d_e)
        result = np.asarray(values)
    else:
        delta = _distance(level, domain, c.sum(axis=0))
        per_unit = np.einsum("uv,vw,uw->u", c, delta, c) / (m - 1.0)  # observed, per unit
        d_o = (w @ per_unit)[ok] / n[ok]
        d_e = ((n_c[ok] @ delta) * n_c[ok]).sum(axis=1) / (n[ok] * (n[ok] - 1.0))
        keep = d_e > 0
        result = 1.0 - d_o[keep] / d_e[keep]
    if result.size == 0:
        return None
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.quantile(result, [tail, 1.0 - tail])
    return float(lo), float(hi)


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa for two coders over the units both coded (pairs with a None are dropped)."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return None
    cats = sorted({v for p in pairs for v in p}, key=repr)
    idx = {v: i for i, v in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in pairs:
        table[idx[x], idx[y]] += 1
    total = table.sum()
    p_o = np.trace(table) / total
    p_e = float((table.sum(axis=1) / total) @ (table.sum(axis=0) / total))
    if p_e >= 1.0:
        return None
    return float((p_o - p_e) / (1.0 - p_e))
