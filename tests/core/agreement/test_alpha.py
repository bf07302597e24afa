"""Krippendorff's alpha against his published example and against the reference packages."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from annotator.core.agreement import alpha, cohen_kappa, reliability_label

krippendorff = pytest.importorskip("krippendorff")
nltk_agreement = pytest.importorskip("nltk.metrics.agreement")

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the reliability data with
# 4 observers x 12 units and missing values (written out here as the fixture).
N = None
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
EXPECTED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def units_of(matrix: list[list]) -> list[list]:
    return [[row[u] for row in matrix] for u in range(len(matrix[0]))]


def as_array(matrix: list[list]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)


@pytest.mark.parametrize("level", list(EXPECTED))
def test_published_example(level: str) -> None:
    res = alpha(units_of(PUBLISHED), level, resamples=0)
    assert res.alpha is not None and round(res.alpha, 3) == EXPECTED[level]
    assert res.n_units == 11  # unit 12 has a single value: not pairable
    assert res.n_values == 40  # n in his coincidence matrix


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", range(6))
def test_matches_krippendorff_package_on_random_data(level: str, seed: int) -> None:
    rnd = random.Random(seed)
    coders, n_units = rnd.randint(2, 5), rnd.randint(5, 40)
    matrix = [[rnd.choice([None, 1, 2, 3, 4, 5, 7]) if rnd.random() > 0.2 else None
               for _ in range(n_units)] for _ in range(coders)]
    matrix[0][0] = matrix[1][0] = 1  # at least one pairable unit
    matrix[0][1], matrix[1][1] = 2, 5  # and some variation
    ours = alpha(units_of(matrix), level, resamples=0).alpha
    ref = krippendorff.alpha(reliability_data=as_array(matrix), level_of_measurement=level)
    assert ours is not None and math.isclose(ours, ref, abs_tol=1e-9)


def test_matches_nltk_nominal_and_interval() -> None:
    rnd = random.Random(42)
    matrix = [[rnd.choice("abcd") for _ in range(30)] for _ in range(3)]
    task = nltk_agreement.AnnotationTask(
        data=[(f"c{c}", f"u{u}", matrix[c][u]) for c in range(3) for u in range(30)])
    assert math.isclose(alpha(units_of(matrix), "nominal", resamples=0).alpha, task.alpha(), abs_tol=1e-9)
    two = [matrix[0], matrix[1]]
    task2 = nltk_agreement.AnnotationTask(
        data=[(f"c{c}", f"u{u}", two[c][u]) for c in range(2) for u in range(30)])
    assert math.isclose(cohen_kappa(two[0], two[1]), task2.kappa(), abs_tol=1e-9)


def test_ordinal_uses_the_given_order() -> None:
    units = [["low", "low"], ["high", "mid"], ["mid", "mid"], ["high", "high"], ["low", "mid"]]
    a = alpha(units, "ordinal", order=["low", "mid", "high"], resamples=0).alpha
    coded = [[{"low": 1, "mid": 2, "high": 3}[v] for v in u] for u in units]
    ref = krippendorff.alpha(reliability_data=np.array(coded, dtype=float).T, level_of_measurement="ordinal")
    assert math.isclose(a, ref, abs_tol=1e-9)


def test_bootstrap_is_seeded_and_brackets_alpha() -> None:
    units = units_of(PUBLISHED)
    a = alpha(units, "interval", resamples=500, seed=7)
    b = alpha(units, "interval", resamples=500, seed=7)
    c = alpha(units, "interval", resamples=500, seed=8)
    assert a.ci == b.ci and a.ci != c.ci
    lo, hi = a.ci
    assert lo <= a.alpha <= hi and hi <= 1.0


@pytest.mark.parametrize(
    ("units", "reason"),
    [
        ([], "no unit"),
        ([[1, None], [None, 2]], "no unit"),  # no overlap: nothing pairable
        ([[1, 1], [1, 1], [1, 1]], "no variation"),  # a single category
        ([[None, None]], "no unit"),  # all values missing
    ],
)
def test_degenerate_inputs_give_none_with_a_reason(units, reason: str) -> None:
    res = alpha(units, "nominal")
    assert res.alpha is None and reason in (res.reason or "")
    json = res.to_json()
    assert json["alpha"] is None and json["label"] == "undefined"


def test_labels() -> None:
    assert reliability_label(0.81) == "reliable"
    assert reliability_label(0.8) == "reliable"
    assert reliability_label(0.7) == "tentative"
    assert reliability_label(0.667) == "tentative"
    assert reliability_label(0.66) == "unreliable"
    assert reliability_label(None) == "undefined"
