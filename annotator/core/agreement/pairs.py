"""Agreement over coder pairs: each pair of coders compared on the reports both of them finished.

A team double-codes a share of the reports, each double-coded report by one pair of coders; no
report is then done by *every* coder, so the all-coders selection uses nothing. This is the
default of ``annotator agreement``: for every pair (a, b) the reports both marked done
(``n`` per pair), and

- span F1 per pair on that pair's reports (the figure is the mean over the pairs, with SD and
  every pair, as for the all-coders selection);
- every alpha pooled over the pairs: each pair's report is a unit set coded by two coders, so
  the alphas are Krippendorff's over all the pairable values of all pairs (a report three coders
  finished counts once per pair); with one pair it is exactly that pair's figure;
- the disagreements of every pair, with the coders' names.

``compute_agreement`` with ``every_coder`` selection (``--all-done``) keeps the reports done by
every compared coder.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement.compute import (
    AgreementResult,
    Listing,
    Source,
    every_coder,
    item_labels,
)
from annotator.core.agreement.data import ClaimItem, Dataset, DatasetSource, SpanItem
from annotator.core.agreement.disagreements import order_key
from annotator.core.agreement.tally import Tally
from annotator.core.gcpause import without_gc

__all__ = ["PairwiseResult", "pair_reports", "pairwise", "pairwise_agreement"]

# the two positions of a pair in the pooled computation (never shown: figures that name coders
# are put back per pair)
_FIRST, _SECOND = "\x00first", "\x00second"


@dataclass
class PairwiseResult(AgreementResult):
    #: "a|b" -> the reports both finished (external ids, sorted)
    pairs: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["selection"] = "pairs"
        out["pairs"] = {k: {"n": len(v), "reports": v} for k, v in self.pairs.items()}
        return out


def _coders(source: Source, coders: Sequence[str] | None) -> list[str]:
    if coders:
        return sorted(coders)
    return sorted(source.coders() | {c for v in source.done.values() for c in v})


def pair_reports(data: Dataset | Source, coders: Sequence[str] | None = None,
                 reports: Sequence[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """Every pair of ``coders`` (default: all in ``data``) -> the reports both marked done."""
    source = DatasetSource(data) if isinstance(data, Dataset) else data
    candidates = list(reports) if reports is not None else sorted(source.report_lengths)
    out: dict[tuple[str, str], list[str]] = {}
    for a, b in itertools.combinations(_coders(source, coders), 2):
        out[(a, b)] = [r for r in candidates if {a, b} <= source.done.get(r, frozenset())]
    return out


class _Pooled:
    """Every (report, pair) as a report coded by two positions, a chunk of reports at a time:
    the pooled alphas' units in the order of their names, as one computation over all of them
    would meet them."""

    def __init__(self, source: Source, pairs: Mapping[tuple[str, str], Sequence[str]]) -> None:
        self.lengths = source.report_lengths
        self.pairs = {p: set(reps) for p, reps in pairs.items()}
        self.tally = Tally(source.codebook, [_FIRST, _SECOND], kappa=False, listing=False)

    def add(self, part: Sequence[str], spans: Sequence[SpanItem],
            claims: Sequence[ClaimItem]) -> None:
        units: dict[str, int] = {}
        # (report, coder) -> the units and positions of its copies: a coder in several pairs on
        # one report has a copy in each pair's unit
        multi: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for (a, b), reps in self.pairs.items():
            for r in part:
                if r in reps:
                    unit = f"{r}\x1f{a}\x1f{b}"
                    units[unit] = self.lengths[r]
                    multi.setdefault((r, a), []).append((unit, _FIRST))
                    multi.setdefault((r, b), []).append((unit, _SECOND))
        pooled_spans = [s._replace(report=unit, coder=pos) for s in spans
                        for unit, pos in multi.get((s.report, s.coder), ())]
        pooled_claims = [dataclasses.replace(c, report=unit, coder=pos) for c in claims
                         for unit, pos in multi.get((c.report, c.coder), ())]
        self.tally.add({u: units[u] for u in sorted(units)}, pooled_spans, pooled_claims)


def _mean_sd(values: Mapping[str, float | None]) -> dict[str, Any]:
    got = [v for v in values.values() if v is not None]
    return {
        "mean": round(statistics.fmean(got), 6) if got else None,
        "sd": round(statistics.stdev(got), 6) if len(got) > 1 else (0.0 if got else None),
        "pairs": dict(values),
        "label": None,
    }


def pairwise_agreement(
    data: Dataset,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
    seed: int = 0,
    resamples: int = 1000,
) -> PairwiseResult:
    """Agreement over the coder pairs (see the module's docstring)."""
    return pairwise(DatasetSource(data), coders, reports, seed, resamples)


@without_gc
def pairwise(
    source: Source,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
    seed: int = 0,
    resamples: int = 1000,
    listing: Listing | None = None,
) -> PairwiseResult:
    """pairwise_agreement over a source read a chunk of reports at a time: the pooled figures
    and every pair's F1 and disagreements added up chunk by chunk (tally.Tally)."""
    chosen = _coders(source, coders)
    candidates = list(reports) if reports is not None else sorted(source.report_lengths)
    pairs = pair_reports(source, chosen, candidates)
    active = {p: r for p, r in pairs.items() if r}
    used = sorted({r for reps in active.values() for r in reps})
    listing = listing or Listing()
    if len(active) <= 1:  # one pair (or none): exactly that pair's figures
        if active:
            ((pair, reps),) = active.items()
            res = every_coder(source, list(pair), reps, seed, resamples, listing)
        else:
            res = every_coder(_Nothing(source), list(chosen), None, seed, 0, listing)
        out = PairwiseResult(**{f.name: getattr(res, f.name) for f in dataclasses.fields(res)})
    else:
        pooled = _Pooled(source, active)
        per = {p: Tally(source.codebook, list(p), alphas=False) for p in active}
        of_pair = {p: set(reps) for p, reps in active.items()}
        lengths = source.report_lengths
        # the pooled units are named report + "\x1f" + pair: in that order
        for part, spans, claims in source.chunks(sorted(used, key=lambda r: r + "\x1f")):
            pooled.add(part, spans, claims)
            run = []
            for p, tally in per.items():
                run.extend(tally.add({r: lengths[r] for r in part if r in of_pair[p]}, spans,
                                     claims))
            run.sort(key=order_key)
            listing.add_run(run)
        spans_out, attributes, claims_out, confusion = pooled.tally.figures(resamples, seed)
        per_spans = {p: t.figures(0, seed)[0] for p, t in per.items()}
        for t, entry in spans_out.items():
            for measure in ("f1_exact", "f1_overlap"):
                entry[measure] = _mean_sd({f"{a}|{b}": s[t][measure]["mean"]
                                           for (a, b), s in per_spans.items()})
            counts: dict[str, int] = dict.fromkeys(chosen, 0)
            for s in per_spans.values():
                for c, n in s[t]["per_coder"].items():
                    counts[c] += n
            entry["per_coder"] = counts
        out = PairwiseResult(chosen, used, 0, spans_out, attributes, claims_out,
                             listing.result(), confusion, [], item_labels(source.codebook))
    out.coders = chosen
    out.reports_used = used
    out.reports_excluded = len(candidates) - len(used)
    out.pairs = {f"{a}|{b}": list(r) for (a, b), r in pairs.items()}
    notes: list[str] = []
    if len(chosen) < 2:
        notes = ["agreement needs two or more coders"]
    elif not used:
        notes.append("no report was finished by both coders of any pair")
    if out.reports_excluded:
        notes.append(f"{out.reports_excluded} report(s) left out: not finished by two compared "
                     "coders")
    out.notes = notes
    return out


class _Nothing:
    """A source with no reports (no pair finished any): the figures of nothing."""

    def __init__(self, source: Source) -> None:
        self.codebook = source.codebook
        self.report_lengths: Mapping[str, int] = {}
        self.done: Mapping[str, frozenset[str]] = {}

    def coders(self) -> set[str]:
        return set()

    def chunks(self, reports: Sequence[str]) -> Iterator[
            tuple[list[str], list[SpanItem], list[ClaimItem]]]:
        return iter(())
