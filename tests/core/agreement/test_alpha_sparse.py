"""Alpha computed per value (issue 16): the same figures as the `krippendorff` package on random
data at every level, with missing values; an input with 20,000 distinct values runs without a
values x values matrix; the bootstrap draws in blocks and by units stay seeded; Cohen's kappa
without a category table agrees with nltk."""

from __future__ import annotations

import importlib
import math
import random
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.agreement import alpha, cohen_kappa

alpha_module = importlib.import_module("annotator.core.agreement.alpha")
krippendorff = pytest.importorskip("krippendorff")
nltk_agreement = pytest.importorskip("nltk.metrics.agreement")


@st.composite
def reliability_data(draw: st.DrawFn) -> list[list[int | None]]:
    """2-5 coders x 2-40 units, values from a small or a wide range, about a fifth missing."""
    coders = draw(st.integers(2, 5))
    n_units = draw(st.integers(2, 40))
    top = draw(st.sampled_from([2, 4, 9, 60]))
    value = st.one_of(st.none(), st.integers(1, top), st.integers(1, top), st.integers(1, top),
                      st.integers(1, top))
    return [[draw(value) for _ in range(coders)] for _ in range(n_units)]


def _reference(units: list[list[int | None]], level: str, domain: list[int] | None = None) -> float:
    data = np.array([[np.nan if v is None else float(v) for v in unit] for unit in units]).T
    kwargs = {} if domain is None else {"value_domain": domain}
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level, **kwargs))


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=reliability_data())
def test_matches_the_krippendorff_package(level: str, units: list[list[int | None]]) -> None:
    ours = alpha(units, level, resamples=0)
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    values = {v for u in pairable for v in u if v is not None}
    if not pairable or len(values) < 2:
        assert ours.alpha is None and ours.reason  # undefined, and said why
        return
    ref = _reference(units, level)
    assert ours.alpha is not None
    assert math.isclose(ours.alpha, ref, rel_tol=1e-9, abs_tol=1e-9), (ours.alpha, ref)
    assert ours.n_units == len(pairable)


@settings(max_examples=40, deadline=None)
@given(units=reliability_data(), data=st.data())
def test_ordinal_with_unused_categories_matches(units: list[list[int | None]],
                                                data: st.DataObject) -> None:
    """An ordinal order naming categories nobody used: they count for the mid-ranks of
    nothing (zero marginals), as in the package given the same value domain."""
    top = max((v for u in units for v in u if v is not None), default=1)
    order = list(range(1, top + data.draw(st.integers(0, 3)) + 1))
    ours = alpha(units, "ordinal", order=order, resamples=0)
    if ours.alpha is None:
        return
    assert math.isclose(ours.alpha, _reference(units, "ordinal", order), rel_tol=1e-9,
                        abs_tol=1e-9)


def test_twenty_thousand_distinct_values_run_in_bounded_memory() -> None:
    """A claim slot's value set as big as a team project's (each value a set of aligned span
    groups, mostly one per unit): a values x values float matrix would be 3.2 GB."""
    rnd = random.Random(7)
    units: list[list[frozenset[int] | None]] = []
    for u in range(20_000):
        mine = frozenset({u})
        other = mine if rnd.random() < 0.8 else frozenset({u, 100_000 + u})
        units.append([mine, other, None if rnd.random() < 0.3 else mine])
    tracemalloc.start()
    result = alpha(units, "nominal", resamples=200, seed=3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    distinct = len({v for u in units for v in u if v is not None})
    assert distinct > 20_000
    # the expected disagreement is nearly 1 (almost every pair of values differs), the observed
    # is the share of disagreeing pairs within units: alpha is close to 1 - that share
    disagree = sum(len({v for v in u if v is not None}) > 1 for u in units)
    assert result.alpha is not None and 0.5 < result.alpha < 1.0
    assert result.n_units == 20_000
    assert result.ci is not None and result.ci[0] <= result.alpha <= result.ci[1]
    assert disagree > 0
    assert peak < 400 * 2**20, f"peak {peak / 2**20:.0f} MB"  # a V x V matrix alone: 3,200 MB


def test_interval_over_twenty_thousand_values_matches_the_definition() -> None:
    """Interval values spread over 20,000 numbers (the package builds units x V x V arrays and
    cannot): alpha from its definition, pair by pair within units for the observed
    disagreement and from all pairs of the pooled values (their variance) for the expected."""
    rnd = random.Random(11)
    units = []
    for _ in range(12_000):
        v = rnd.randrange(20_000)
        units.append([v, v if rnd.random() < 0.7 else rnd.randrange(20_000), None])
    pooled = [float(v) for u in units for v in u if v is not None]
    n = len(pooled)
    d_o = sum((a - b) ** 2 for u in units for i, a in enumerate(u) for j, b in enumerate(u)
              if i != j and a is not None and b is not None) / n  # m_u = 2: weight 1
    mean = sum(pooled) / n
    d_e = 2 * n * sum((x - mean) ** 2 for x in pooled) / (n * (n - 1))
    ours = alpha(units, "interval", resamples=0)
    assert ours.alpha is not None
    assert math.isclose(ours.alpha, 1 - d_o / d_e, rel_tol=1e-9)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_bootstrap_in_blocks_is_the_same_as_in_one(level: str, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    """Resamples drawn a few at a time give the same interval as all at once (the block size
    changes memory, not figures), and both bracket alpha."""
    rnd = random.Random(5)
    units = [[v, v if rnd.random() < 0.75 else rnd.randrange(1, 8), rnd.choice([None, v])]
             for v in (rnd.randrange(1, 8) for _ in range(300))]
    whole = alpha(units, level, resamples=300, seed=9)
    monkeypatch.setattr(alpha_module, "_BLOCK", 64)
    blocks = alpha(units, level, resamples=300, seed=9)
    assert whole.ci is not None and blocks.ci is not None
    assert np.allclose(whole.ci, blocks.ci, rtol=1e-12)
    assert whole.ci[0] <= whole.alpha <= whole.ci[1]  # type: ignore[operator]


def test_bootstrap_by_units_is_seeded_and_brackets() -> None:
    """Many distinct patterns: the resamples draw units (not a multinomial over patterns)."""
    rnd = random.Random(2)
    units = [[i, i if rnd.random() < 0.8 else -i, i] for i in range(2_000)]
    a = alpha(units, "nominal", resamples=400, seed=1)
    b = alpha(units, "nominal", resamples=400, seed=1)
    c = alpha(units, "nominal", resamples=400, seed=2)
    assert a.ci == b.ci and a.ci != c.ci
    assert a.ci is not None and a.alpha is not None and a.ci[0] < a.alpha < a.ci[1]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=60))
def test_cohen_kappa_matches_nltk(pairs: list[tuple[int, int]]) -> None:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    task = nltk_agreement.AnnotationTask(
        data=[(c, str(i), str(v)) for i, (x, y) in enumerate(pairs) for c, v in (("a", x), ("b", y))])
    expected = sum(1 for x in a for y in b if x == y) / (len(a) * len(b))
    if expected >= 1.0:
        assert ours is None
        return
    assert ours is not None
    assert math.isclose(ours, task.kappa(), rel_tol=1e-9, abs_tol=1e-9)
