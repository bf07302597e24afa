"""Span F1, unitizing alpha, alignment, claims and the whole computation on hand-made cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.core.agreement import (
    ClaimItem,
    Dataset,
    SpanItem,
    align_claims,
    align_spans,
    compute_agreement,
    f1_exact,
    f1_overlap,
    span_group_index,
    unitizing_alpha,
)
from annotator.core.codebook import load_default_codebook

krippendorff = pytest.importorskip("krippendorff")


def S(coder: str, sid: str, type_: str, start: int, end: int, report: str = "r1", **attrs) -> SpanItem:
    return SpanItem(report, coder, sid, type_, start, end, "x" * (end - start), attrs)


def test_f1_exact_hand_computed() -> None:
    a = {("r", "actor", 0, 5), ("r", "actor", 10, 15), ("r", "date", 20, 25)}
    b = {("r", "actor", 0, 5), ("r", "date", 20, 26)}
    assert f1_exact(a, b) == pytest.approx(2 * 1 / 5)
    assert f1_exact(set(), set()) is None
    assert f1_exact(a, set()) == 0.0


def test_f1_overlap_is_one_to_one() -> None:
    a = [S("a", "1", "actor", 0, 10)]
    b = [S("b", "1", "actor", 0, 4), S("b", "2", "actor", 5, 10)]  # two overlap one
    assert f1_overlap(a, b) == pytest.approx(2 * 1 / 3)
    # identical offsets win over a bigger overlap elsewhere
    a2 = [S("a", "1", "actor", 0, 10), S("a", "2", "actor", 2, 6)]
    b2 = [S("b", "1", "actor", 2, 6)]
    assert f1_overlap(a2, b2) == pytest.approx(2 * 1 / 3)
    # types must match
    assert f1_overlap([S("a", "1", "actor", 0, 5)], [S("b", "1", "date", 0, 5)]) == 0.0


def _reference_overlap_matches(a: list[SpanItem], b: list[SpanItem]) -> int:
    """The definition, slowly: every same-type overlapping pair, identical offsets first, then the
    greatest overlap, ties by position; greedy one-to-one."""
    pairs = []
    for i, s in enumerate(a):
        for j, t in enumerate(b):
            ov = min(s.end, t.end) - max(s.start, t.start)
            if s.report == t.report and s.type == t.type and ov > 0:
                exact = (s.start, s.end) == (t.start, t.end)
                pairs.append((0 if exact else 1, -ov, s.report, s.start, t.start, i, j))
    pairs.sort()
    used_a, used_b = set(), set()
    for *_, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def test_overlap_matches_follow_the_definition_on_random_spans() -> None:
    # duplicates and identical spans across coders exercise the counting shortcut for exact pairs
    import random

    from annotator.core.agreement.compute import overlap_matches

    rnd = random.Random(11)
    for _ in range(1500):
        def gen(coder: str) -> list[SpanItem]:
            out = []
            for k in range(rnd.randint(0, 10)):
                start = rnd.randrange(0, 25)
                out.append(S(coder, f"{coder}{k}", rnd.choice(["actor", "date"]), start,
                             start + rnd.randint(1, 7), rnd.choice(["r1", "r2"])))
            if out and rnd.random() < 0.4:
                out.append(out[0]._replace(id="dup"))
            return out

        a, b = gen("a"), gen("b")
        b += [s._replace(coder="b", id=f"copy{s.id}") for s in a if rnd.random() < 0.5]
        rnd.shuffle(b)
        assert overlap_matches(a, b) == _reference_overlap_matches(a, b), (a, b)


def test_unitizing_alpha_matches_the_character_matrix() -> None:
    spans = [S("a", "1", "actor", 2, 8), S("b", "1", "actor", 3, 8), S("c", "1", "actor", 2, 6),
             S("a", "2", "actor", 12, 15), S("b", "2", "actor", 13, 15, report="r2")]
    lengths = {"r1": 20, "r2": 16}
    res = unitizing_alpha(spans, ["a", "b", "c"], lengths, resamples=0)
    rows = []
    for coder in "abc":
        row = []
        for report, n in lengths.items():
            covered = np.zeros(n)
            for s in spans:
                if s.coder == coder and s.report == report:
                    covered[s.start:s.end] = 1
            row.extend(covered)
        rows.append(row)
    ref = krippendorff.alpha(reliability_data=np.array(rows), level_of_measurement="nominal")
    assert math.isclose(res.alpha, ref, abs_tol=1e-9)
    assert res.n_units == 36


def test_unitizing_alpha_ignores_empty_and_reversed_spans() -> None:
    good = [S("a", "1", "actor", 0, 5), S("b", "1", "actor", 0, 4)]
    bad = [S("a", "2", "actor", 9, 3), S("b", "2", "actor", 7, 7)]
    lengths = {"r1": 20}
    assert unitizing_alpha(good + bad, ["a", "b"], lengths, 0) == unitizing_alpha(good, ["a", "b"], lengths, 0)


def test_unitizing_alpha_degenerate() -> None:
    assert unitizing_alpha([], ["a", "b"], {"r1": 10}).reason.startswith("no variation")
    assert unitizing_alpha([], ["a"], {"r1": 10}).alpha is None


def test_alignment_identical_overlap_type_mismatch_and_singletons() -> None:
    spans = [
        S("a", "a1", "actor", 0, 10), S("b", "b1", "actor", 0, 10), S("c", "c1", "actor", 0, 8),
        S("a", "a2", "date", 20, 30), S("b", "b2", "location", 20, 30),  # type mismatch
        S("a", "a3", "location", 40, 45),  # only a
        S("b", "b4", "location", 2, 5),  # nested in the actor group, another type: apart
    ]
    groups = align_spans(spans)
    by_member = {frozenset((c, s.id) for c, s in g.members.items()) for g in groups}
    assert frozenset({("a", "a1"), ("b", "b1"), ("c", "c1")}) in by_member
    assert frozenset({("a", "a2"), ("b", "b2")}) in by_member
    assert frozenset({("a", "a3")}) in by_member
    assert frozenset({("b", "b4")}) in by_member
    assert all(len(g.members) == len({c for c in g.members}) for g in groups)


def test_claim_alignment_by_shared_evidence() -> None:
    spans = [S("a", "s1", "actor", 0, 5), S("b", "t1", "actor", 0, 6),
             S("a", "s2", "location", 10, 15), S("b", "t2", "location", 10, 15)]
    idx = span_group_index(align_spans(spans))
    claims = [
        ClaimItem("r1", "a", "c1", "attack", {"perpetrator": ("s1",), "location": ("s2",)}),
        ClaimItem("r1", "a", "c2", "attack", {"perpetrator": ("s1",)}),
        ClaimItem("r1", "b", "k1", "attack", {"perpetrator": ("t1",), "location": ("t2",)}),
    ]
    groups = align_claims(claims, idx)
    pairs = {frozenset(c.id for c in g.members.values()) for g in groups}
    assert frozenset({"c1", "k1"}) in pairs and frozenset({"c2"}) in pairs


def dataset(done=("a", "b")) -> Dataset:
    cb = load_default_codebook()
    spans = [
        S("a", "s1", "actor", 0, 5, canonical_name="X"), S("b", "s1", "actor", 0, 5, canonical_name="X"),
        S("a", "s2", "casualty_count", 10, 20, count={"best": 12}, status="killed"),
        S("b", "s2", "casualty_count", 10, 18, count={"best": 12}, status="wounded"),
        S("a", "s3", "date", 30, 35, value="2023-12-03"),
        S("a", "s1", "actor", 0, 5, report="r2"), S("b", "s1", "actor", 0, 5, report="r2"),
    ]
    claims = [
        ClaimItem("r1", "a", "c1", "attack", {"perpetrator": ("s1",), "casualties": ("s2",), "date": ("s3",)},
                  {"stage": "accomplished"}),
        ClaimItem("r1", "b", "c1", "attack", {"perpetrator": ("s1",), "casualties": ("s2",), "date": "not_reported"},
                  {"stage": "attempted"}),
    ]
    return Dataset(cb, {"r1": 40, "r2": 10, "r3": 10}, {"r1": frozenset(done), "r2": frozenset(done),
                                                        "r3": frozenset({"a"})}, spans, claims)


def test_compute_agreement_shape_and_values() -> None:
    res = compute_agreement(dataset(), resamples=100).to_json()
    assert res["reports_used"] == 2 and res["reports_excluded"] == 1
    assert res["spans"]["_all"]["f1_exact"]["pairs"]["a|b"] == pytest.approx(2 * 2 / 7)
    assert res["spans"]["_all"]["f1_overlap"]["pairs"]["a|b"] == pytest.approx(2 * 3 / 7)
    assert "alpha_u" in res["spans"]["actor"]
    status = res["attributes"]["casualty_count"]["status"]
    assert status["level"] == "nominal" and status["n"] == 1 and "kappa" in status
    kinds = {(d["kind"], d["detail"]) for d in res["disagreements"]}
    assert ("boundary_mismatch", "casualty_count") in kinds
    assert ("attribute_mismatch", "status") in kinds
    assert ("span_only_one_coder", "date") in kinds
    assert ("claim_slot_mismatch", "date") in kinds
    assert ("claim_attribute_mismatch", "stage") in kinds
    assert ("claim_slot_mismatch", "perpetrator") not in kinds  # same evidence, other offsets ok
    assert res["claims"]["attack"]["_claims"] == {"n": 1, "matched": 1}
    assert res["confusion_span_types"]["date"]["(none)"] == 1


def test_one_coder_and_no_overlap_of_reports_are_defined() -> None:
    one = compute_agreement(dataset(), coders=["a"], resamples=0).to_json()
    assert "agreement needs two or more coders" in one["notes"]
    assert one["spans"]["actor"]["f1_exact"]["mean"] is None
    none_done = compute_agreement(dataset(done=("a",)), coders=["a", "b"], resamples=0).to_json()
    assert none_done["reports_used"] == 0
    assert any("no report" in n for n in none_done["notes"])
    assert none_done["attributes"]["actor"]["canonical_name"]["alpha"] is None
    import json

    json.dumps(one)  # no NaN, nothing unserialisable
    json.dumps(none_done, allow_nan=False)


def test_agreement_cli_json_html_csv(tmp_path, capsys, new_db) -> None:
    import json

    from annotator.cli import main
    from annotator.core.resources import resources_dir

    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(resources_dir() / "example" / "example.jsonl")]) == 0
    capsys.readouterr()
    html, csvdir = tmp_path / "a.html", tmp_path / "csv"
    assert main(["--db", db, "agreement", "--json", "--html", str(html), "--csv", str(csvdir),
                 "--resamples", "200"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reports_used"] == 1 and out["coders"] == ["amina", "lukas"]
    assert set(out["spans"]) == {"actor", "location", "date", "casualty_count", "_all"}
    assert {"f1_exact", "f1_overlap", "alpha_u", "n"} <= set(out["spans"]["actor"])
    status = out["attributes"]["casualty_count"]["status"]
    assert {"level", "alpha", "ci", "n"} <= set(status) and status["label"] == "too few units"  # n 4
    assert "event_type" in out["claims"]["attack"]
    assert "<svg" in html.read_text("utf-8") and "unreliable" in html.read_text("utf-8")
    assert (csvdir / "agreement-figures.csv").exists()
    assert main(["--db", db, "agreement", "--coders", "amina,nobody"]) == 1
    assert "nobody" in capsys.readouterr().err
    assert main(["--db", db, "agreement"]) == 0
    assert "too few units (n 4; a reading needs 10)" in capsys.readouterr().out  # status
