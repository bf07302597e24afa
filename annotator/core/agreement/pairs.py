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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement.compute import AgreementResult, compute_agreement
from annotator.core.agreement.data import ClaimItem, Dataset, SpanItem

__all__ = ["PairwiseResult", "pair_reports", "pairwise_agreement"]

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


def _coders(data: Dataset, coders: Sequence[str] | None) -> list[str]:
    if coders:
        return sorted(coders)
    return sorted({s.coder for s in data.spans} | {c.coder for c in data.claims}
                  | {c for v in data.done.values() for c in v})


def pair_reports(data: Dataset, coders: Sequence[str] | None = None,
                 reports: Sequence[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """Every pair of ``coders`` (default: all in ``data``) -> the reports both marked done."""
    candidates = list(reports) if reports is not None else sorted(data.report_lengths)
    out: dict[tuple[str, str], list[str]] = {}
    for a, b in itertools.combinations(_coders(data, coders), 2):
        out[(a, b)] = [r for r in candidates if {a, b} <= data.done.get(r, frozenset())]
    return out


def _pooled(data: Dataset, pairs: Mapping[tuple[str, str], Sequence[str]]) -> Dataset:
    """One dataset in which every (report, pair) is a report coded by two positions."""
    lengths: dict[str, int] = {}
    # (report, coder) -> the units and positions of its copies: a coder in several pairs on
    # one report has a copy in each pair's unit
    multi: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for (a, b), reps in pairs.items():
        for r in reps:
            unit = f"{r}\x1f{a}\x1f{b}"
            lengths[unit] = data.report_lengths[r]
            multi.setdefault((r, a), []).append((unit, _FIRST))
            multi.setdefault((r, b), []).append((unit, _SECOND))
    spans: list[SpanItem] = []
    for s in data.spans:
        for unit, pos in multi.get((s.report, s.coder), ()):
            spans.append(s._replace(report=unit, coder=pos))
    claims: list[ClaimItem] = []
    for c in data.claims:
        for unit, pos in multi.get((c.report, c.coder), ()):
            claims.append(dataclasses.replace(c, report=unit, coder=pos))
    done = {u: frozenset((_FIRST, _SECOND)) for u in lengths}
    return Dataset(data.codebook, lengths, done, spans, claims, {})


def _mean_sd(values: Mapping[str, float | None]) -> dict[str, Any]:
    got = [v for v in values.values() if v is not None]
    return {
        "mean": round(statistics.fmean(got), 6) if got else None,
        "sd": round(statistics.stdev(got), 6) if len(got) > 1 else (0.0 if got else None),
        "pairs": dict(values),
        "label": None,
    }


def _drop_kappa(section: Iterable[dict[str, Any]]) -> None:
    for per in section:
        for fig in per.values():
            if isinstance(fig, dict):
                fig.pop("kappa", None)  # Cohen's kappa needs the same two coders throughout


def pairwise_agreement(
    data: Dataset,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
    seed: int = 0,
    resamples: int = 1000,
) -> PairwiseResult:
    """Agreement over the coder pairs (see the module's docstring)."""
    chosen = _coders(data, coders)
    candidates = list(reports) if reports is not None else sorted(data.report_lengths)
    pairs = pair_reports(data, chosen, candidates)
    active = {p: r for p, r in pairs.items() if r}
    used = sorted({r for reps in active.values() for r in reps})
    if len(active) <= 1:  # one pair (or none): exactly that pair's figures
        if active:
            ((pair, reps),) = active.items()
            res = compute_agreement(data, list(pair), reps, seed, resamples)
        else:
            res = _empty(data, chosen, seed)
        out = PairwiseResult(**{f.name: getattr(res, f.name) for f in dataclasses.fields(res)})
    else:
        pooled = compute_agreement(_pooled(data, active), [_FIRST, _SECOND], None, seed, resamples)
        per = {p: compute_agreement(data, list(p), reps, seed, 0) for p, reps in active.items()}
        spans = pooled.spans
        for t, entry in spans.items():
            for measure in ("f1_exact", "f1_overlap"):
                entry[measure] = _mean_sd({f"{a}|{b}": r.spans[t][measure]["mean"]
                                           for (a, b), r in per.items()})
            counts: dict[str, int] = dict.fromkeys(chosen, 0)
            for r in per.values():
                for c, n in r.spans[t]["per_coder"].items():
                    counts[c] += n
            entry["per_coder"] = counts
        _drop_kappa(pooled.attributes.values())
        _drop_kappa(pooled.claims.values())
        disagreements = sorted(
            (d for r in per.values() for d in r.disagreements),
            key=lambda d: (d.report, d.start if d.start is not None else -1, d.kind))
        out = PairwiseResult(chosen, used, 0, spans, pooled.attributes, pooled.claims,
                             disagreements, pooled.confusion, [], pooled.labels)
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


def _empty(data: Dataset, chosen: Sequence[str], seed: int) -> AgreementResult:
    empty = Dataset(data.codebook, {}, {}, [], [], {})
    return compute_agreement(empty, list(chosen), None, seed, 0)
