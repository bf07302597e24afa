"""Agreement over coder pairs: the double-coded reports both coders of each pair finished."""

from __future__ import annotations

import json

import numpy as np
import pytest

from annotator.core.agreement import (
    ClaimItem,
    Dataset,
    SpanItem,
    compute_agreement,
    pair_reports,
    pairwise_agreement,
)
from annotator.core.agreement.report import text_table
from annotator.core.codebook import load_default_codebook

krippendorff = pytest.importorskip("krippendorff")

KINDS = ["state_forces", "rebel_or_jihadist_group", "civilians"]


def S(report: str, coder: str, kind: str, start: int = 0) -> SpanItem:
    return SpanItem(report, coder, "s1", "actor", start, start + 5, "xxxxx", {"actor_type": kind})


def team() -> Dataset:
    """Three coders double-coding in pairs: no report is done by all three."""
    spans = [S("r1", "a", KINDS[0]), S("r1", "b", KINDS[0]),
             S("r2", "b", KINDS[1]), S("r2", "c", KINDS[2]),
             S("r3", "a", KINDS[1]), S("r3", "c", KINDS[1], start=1),
             S("r4", "a", KINDS[0]),  # single-coded
             S("r5", "b", KINDS[2]), S("r5", "c", KINDS[2])]  # c did not finish r5
    claims = [ClaimItem("r2", "b", "c1", "attack", {"perpetrator": ("s1",)}, {}),
              ClaimItem("r2", "c", "c1", "attack", {"perpetrator": ("s1",)}, {})]
    done = {"r1": frozenset("ab"), "r2": frozenset("bc"), "r3": frozenset("ac"),
            "r4": frozenset("a"), "r5": frozenset("b")}
    return Dataset(load_default_codebook(), dict.fromkeys(done, 20), done, spans, claims)


def test_every_coder_selection_uses_nothing_pairs_use_the_double_coded() -> None:
    data = team()
    assert compute_agreement(data, resamples=0).reports_used == []
    assert pair_reports(data) == {("a", "b"): ["r1"], ("a", "c"): ["r3"], ("b", "c"): ["r2"]}
    res = pairwise_agreement(data, resamples=200).to_json()
    assert res["selection"] == "pairs" and res["reports_used"] == 3
    assert {k: v["n"] for k, v in res["pairs"].items()} == {"a|b": 1, "a|c": 1, "b|c": 1}
    assert res["reports_excluded"] == 2  # r4 single-coded, r5 not finished by c
    exact = res["spans"]["actor"]["f1_exact"]
    assert exact["pairs"] == {"a|b": 1.0, "a|c": 0.0, "b|c": 1.0}  # r3: other offsets
    assert exact["mean"] == pytest.approx(2 / 3)
    assert res["spans"]["actor"]["per_coder"] == {"a": 2, "b": 2, "c": 2}
    # the alpha pools every pair's values: the oracle is Krippendorff's alpha with the coder
    # who did not code a report missing (r3's spans align though their offsets differ)
    nan = np.nan
    codes = {k: i for i, k in enumerate(KINDS)}
    matrix = [[codes[KINDS[0]], nan, codes[KINDS[1]]],   # coder a: r1, r2, r3
              [codes[KINDS[0]], codes[KINDS[1]], nan],   # coder b
              [nan, codes[KINDS[2]], codes[KINDS[1]]]]   # coder c
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    got = res["attributes"]["actor"]["actor_type"]
    assert got["alpha"] == pytest.approx(expected) and got["n"] == 3
    assert "kappa" not in got  # Cohen's kappa needs the same two coders throughout
    # the disagreements name the real coders of each pair
    kinds = {(d["kind"], d["report"], tuple(d["coders"])) for d in res["disagreements"]}
    assert ("attribute_mismatch", "r2", ("b", "c")) in kinds
    assert ("boundary_mismatch", "r3", ("a", "c")) in kinds
    assert all(not c.startswith("\x00") for d in res["disagreements"] for c in d["coders"])
    assert res["claims"]["attack"]["_claims"]["n"] == 1
    table = text_table(res)
    assert "finished by both coders of a pair): 3 (n per pair: a & b 1; a & c 1; b & c 1)" in table
    json.dumps(res, allow_nan=False)


def test_one_pair_is_exactly_that_pairs_figures() -> None:
    data = team()
    res = pairwise_agreement(data, coders=["b", "c"], resamples=100).to_json()
    plain = compute_agreement(data, ["b", "c"], ["r2"], resamples=100).to_json()
    assert res["pairs"] == {"b|c": {"n": 1, "reports": ["r2"]}}
    for key in ("spans", "attributes", "claims", "confusion_span_types", "disagreements"):
        assert res[key] == plain[key]
    none = pairwise_agreement(data, coders=["a"], resamples=0).to_json()
    assert none["reports_used"] == 0 and "agreement needs two or more coders" in none["notes"]
