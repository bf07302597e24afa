"""Agreement a chunk of reports at a time (issue 16: bounded memory at team scale) gives exactly
the figures of one computation over everything: every chunking, on random teams, on a project."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.agreement import ClaimItem, Dataset, SpanItem, alpha, cohen_kappa
from annotator.core.agreement.compute import Listing, compute_agreement, every_coder
from annotator.core.agreement.data import DatasetSource
from annotator.core.agreement.disagreements import DisagreementLog
from annotator.core.agreement.pairs import pairwise, pairwise_agreement
from annotator.core.agreement.report import write_json
from annotator.core.agreement.units import KappaCounter, UnitCounter
from annotator.core.codebook import load_default_codebook
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

CB = load_default_codebook()
CODERS = ["amina", "bob", "kim", "lee"]
ACTOR_TYPES = ["state_forces", "rebel_or_jihadist_group", "civilians"]


class Chunked:
    """A Dataset given a few reports at a time (with, if asked, empty chunks in between)."""

    def __init__(self, data: Dataset, size: int, empty_chunks: bool = False) -> None:
        self.data = data
        self.codebook = data.codebook
        self.report_lengths = data.report_lengths
        self.done = data.done
        self.size = size
        self.empty_chunks = empty_chunks
        self.seen: list[str] = []

    def coders(self) -> set[str]:
        return DatasetSource(self.data).coders()

    def chunks(self, reports: Sequence[str]) -> Iterator[
            tuple[list[str], list[SpanItem], list[ClaimItem]]]:
        for k in range(0, len(reports), self.size):
            part = list(reports[k:k + self.size])
            self.seen += part
            keep = set(part)
            if self.empty_chunks:
                yield [], [], []
            yield (part, [s for s in self.data.spans if s.report in keep],
                   [c for c in self.data.claims if c.report in keep])


@st.composite
def teams(draw: st.DrawFn) -> Dataset:
    """Reports double- or triple-coded by some of four coders, spans that agree, shift, change
    type or value, claims whose slots point at them; some reports with no spans at all."""
    n_reports = draw(st.integers(1, 9))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    spans: list[SpanItem] = []
    claims: list[ClaimItem] = []
    done: dict[str, frozenset[str]] = {}
    lengths: dict[str, int] = {}
    for i in range(n_reports):
        r = f"r{i}"
        lengths[r] = rnd.choice([0, 60, 120])
        coders = rnd.sample(CODERS, rnd.choice([1, 2, 2, 3, 4]))
        done[r] = frozenset(c for c in coders if rnd.random() < 0.9)
        places = [(rnd.randrange(0, 100), rnd.choice(["actor", "location", "date"]))
                  for _ in range(rnd.randrange(0, 5))]
        for c in coders:
            ids = []
            for k, (start, t) in enumerate(places):
                if rnd.random() < 0.15:
                    continue
                start += rnd.choice([0, 0, 0, 1])
                if rnd.random() < 0.1:
                    t = "actor" if t != "actor" else "location"
                attrs: dict[str, Any] = {}
                if t == "actor":
                    attrs = {"actor_type": rnd.choice(ACTOR_TYPES),
                             "canonical_name": f"Actor {rnd.randrange(3)}"}
                elif t == "date" and rnd.random() < 0.8:
                    attrs = {"granularity": rnd.choice(["day", "month", "year"])}
                sid = f"s{k}"
                ids.append(sid)
                spans.append(SpanItem(r, c, sid, t, start, start + rnd.randrange(1, 15), "x",
                                      attrs))
            for k in range(rnd.randrange(0, 3)):
                if not ids:
                    break
                slots: dict[str, tuple[str, ...] | str] = {
                    "perpetrator": tuple(rnd.sample(ids, 1)),
                    "location": "not_reported" if rnd.random() < 0.3 else tuple(rnd.sample(ids, 1))}
                claims.append(ClaimItem(r, c, f"c{k}", "attack", slots,
                                        {"event_type": rnd.choice(["armed_clash", "bombing"])}))
    return Dataset(CB, lengths, done, spans, claims)


def _json(result: Any) -> str:
    out = io.StringIO()
    write_json(result.to_json(), out)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=teams(), size=st.integers(1, 4), empty=st.booleans(), seed=st.integers(0, 3))
def test_any_chunking_gives_the_figures_of_the_whole(data: Dataset, size: int, empty: bool,
                                                     seed: int) -> None:
    """Chunks of 1..4 reports (a coder pair seen in only some chunks, chunks with no span, empty
    chunks) and a listing on disk give byte for byte the JSON of one pass over everything."""
    whole = pairwise_agreement(data, seed=seed, resamples=40)
    source = Chunked(data, size, empty)
    chunked = pairwise(source, None, None, seed, 40, Listing(DisagreementLog()))
    assert _json(chunked) == _json(whole)
    assert sorted(source.seen) == sorted(set(source.seen)), "a report read twice"
    every = compute_agreement(data, seed=seed, resamples=40)
    every_chunked = every_coder(Chunked(data, size, empty), None, None, seed, 40,
                                Listing(DisagreementLog()))
    assert _json(every_chunked) == _json(every)


def test_a_report_split_between_chunks_would_change_the_figures() -> None:
    """The property above can fail: giving a report's spans in two chunks aligns them apart."""
    spans = [SpanItem("r1", c, "s1", "actor", 0, 5, "x", {"actor_type": "civilians"})
             for c in ("amina", "bob")]
    data = Dataset(CB, {"r1": 50}, {"r1": frozenset(("amina", "bob"))}, spans)

    class Split(Chunked):
        def chunks(self, reports: Sequence[str]) -> Iterator[
                tuple[list[str], list[SpanItem], list[ClaimItem]]]:
            yield ["r1"], spans[:1], []
            yield ["r1"], spans[1:], []

    whole = compute_agreement(data, resamples=0).to_json()
    split = every_coder(Split(data, 1), None, None, 0, 0).to_json()
    assert whole["spans"]["actor"]["f1_exact"]["mean"] == 1.0
    assert split["spans"]["actor"]["f1_exact"]["mean"] != 1.0


unit_values = st.one_of(st.none(), st.integers(0, 6))


@settings(max_examples=150, deadline=None)
@given(units=st.lists(st.lists(unit_values, min_size=1, max_size=4), max_size=30),
       level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
       cuts=st.lists(st.integers(0, 30), max_size=4))
def test_unit_counter_is_alpha_over_the_whole_list(units: list[list[int | None]], level: str,
                                                   cuts: list[int]) -> None:
    counter = UnitCounter()
    for i, unit in enumerate(units):
        if i in cuts:
            counter.end_chunk()
        counter.add(unit)
    assert counter.alpha(level, None, 50, 3) == alpha(units, level, resamples=50, seed=3)


@settings(max_examples=150, deadline=None)
@given(chunks=st.lists(st.lists(st.lists(st.one_of(st.none(), st.integers(-1, 3)),
                                         min_size=1, max_size=3), max_size=6), max_size=6))
def test_report_local_values_are_forgotten_with_the_same_alpha(
        chunks: list[list[list[int | None]]]) -> None:
    """Claim slot values name a report's own span groups: a value k of chunk i is that chunk's
    alone (frozenset {i * 10 + k}), -1 (a span not found) is shared, and so is not_reported."""
    counter = UnitCounter(local=lambda v: isinstance(v, frozenset) and any(g >= 0 for g in v))
    units = []
    for i, chunk in enumerate(chunks):
        for unit in chunk:
            values = [None if v is None else "not_reported" if v == 3
                      else frozenset({-1 if v < 0 else i * 10 + v}) for v in unit]
            units.append(values)
            counter.add(values)
        counter.end_chunk()
    assert counter.alpha("nominal", None, 50, 1) == alpha(units, "nominal", resamples=50, seed=1)
    assert not counter._chunk_ids and not counter._chunk_patterns  # nothing of them is kept


@given(pairs=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 3)),
                                st.one_of(st.none(), st.integers(0, 3))), max_size=20))
def test_kappa_counter_is_cohen_kappa(pairs: list[tuple[int | None, int | None]]) -> None:
    counter = KappaCounter()
    for a, b in pairs:
        counter.add(a, b)
    assert counter.kappa() == cohen_kappa([a for a, _ in pairs], [b for _, b in pairs])


def test_a_log_read_back_is_in_order_and_json_is_json_dumps() -> None:
    from annotator.core.agreement.disagreements import Disagreement

    def d(report: str, start: int | None, kind: str, n: int) -> Disagreement:
        return Disagreement(kind, report, start, None, ("a", "b"), f"t{n}", {"a": "x\ny\u2028"})

    runs = [[d("r2", 1, "k", 0), d("r2", 1, "k", 1)], [d("r1", None, "k", 2)], [],
            [d("r2", 1, "k", 3), d("r3", 0, "a", 4)]]
    log = DisagreementLog()
    for run in runs:
        log.add_run(run)
    expected = sorted((x for run in runs for x in run),
                      key=lambda x: (x.report, -1 if x.start is None else x.start, x.kind))
    assert [x["detail"] for x in log] == [x.detail for x in expected] == ["t2", "t0", "t1", "t3",
                                                                           "t4"]
    assert len(log) == 5 and log.kinds == {"k": 4, "a": 1}
    result = {"before": 1, "disagreements": log, "after": "é"}
    out = io.StringIO()
    write_json(result, out)
    plain = json.dumps({**result, "disagreements": [x.to_json() for x in expected]},
                       ensure_ascii=False, allow_nan=False) + "\n"
    assert out.getvalue() == plain


def _project_records(n: int) -> list[dict[str, Any]]:
    """n reports coded in pairs and threes by three coders, with attributes and claims."""
    rnd = random.Random(16)
    recs = []
    for i in range(n):
        words = [f"w{rnd.randrange(50)}" for _ in range(40)]
        text = " ".join(words) + "\n"
        coders = rnd.sample(["amina", "bob", "kim"], rnd.choice([2, 2, 3]))
        anns = []
        for c in coders:
            spans = []
            for k in range(0, 40, 4):
                if rnd.random() < 0.1:
                    continue
                pos = sum(len(w) + 1 for w in words[:k])
                end = pos + len(words[k]) + (len(words[k + 1]) + 1 if rnd.random() < 0.1 else 0)
                attrs = {"actor_type": rnd.choice(ACTOR_TYPES)}
                spans.append({"id": f"s{k}", "type": "actor", "start": pos, "end": end,
                              "text": text[pos:end], "attributes": attrs})
            claims = [{"id": "c1", "type": "attack",
                       "slots": {"perpetrator": [rnd.choice(spans)["id"]]}, "attributes": {}}]
            anns.append({"coder": c, "status": "done" if rnd.random() < 0.9 else "in_progress",
                         "spans": spans, "claims": claims})
        recs.append(record(f"rep-{i:02d}", text, anns))
    return recs


@pytest.mark.parametrize("every", [False, True])
def test_project_agreement_read_in_chunks_is_the_whole_computation(new_db, tmp_path: Path,
                                                                   every: bool) -> None:
    """Project.agreement reads the project a chunk of reports at a time (ProjectSource): chunks
    of 1, 3 and 7 reports give exactly the figures of one pass over agreement_data."""
    p = Project.open(new_db("stream.db"))
    try:
        p.import_paths([write_jsonl(tmp_path / "r.jsonl", _project_records(12))])
        coders = ["amina", "bob"] if every else None  # (few reports were done by all three)
        compute = compute_agreement if every else pairwise_agreement
        whole = compute(p.agreement_data(coders), coders, seed=2, resamples=30)
        assert whole.disagreements and whole.reports_used
        for chunk in (1, 3, 7):
            got = p.agreement(coders, every_coder=every, seed=2, resamples=30, chunk=chunk)
            assert _json(got) == _json(whole)
        picked = ["rep-07", "rep-02", "rep-11"]  # asked for out of order: the listing is sorted
        got = p.agreement(coders, picked, every_coder=every, seed=2, resamples=30, chunk=1)
        alone = compute(p.agreement_data(coders, picked), coders, picked, seed=2, resamples=30)
        assert _json(got) == _json(alone)
    finally:
        p.close()
