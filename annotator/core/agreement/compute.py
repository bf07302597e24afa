"""Inter-coder agreement over a Dataset: span F1 (exact and overlap), unitizing alpha, attribute
alpha, claim slot and attribute alpha, Cohen's kappa, bootstrap intervals, disagreements.
The definitions are in docs/agreement.md, written to match this code.
"""

from __future__ import annotations

import itertools
import statistics
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.core import values
from annotator.core.agreement.align import (
    ClaimGroup,
    SpanGroup,
    align_claims,
    align_spans,
    span_group_index,
)
from annotator.core.agreement.alpha import AlphaResult, alpha, cohen_kappa
from annotator.core.agreement.data import ClaimItem, Dataset, SpanItem
from annotator.core.agreement.kinds import kind_name, what_label
from annotator.core.codebook import NOT_REPORTED, AttributeDef, Codebook
from annotator.core.gcpause import without_gc
from annotator.core.summary import span_value

__all__ = [
    "AgreementResult",
    "Disagreement",
    "attribute_value",
    "compute_agreement",
    "f1_exact",
    "f1_overlap",
    "overlap_matches",
    "unitizing_alpha",
]

ALL = "_all"


@dataclass(frozen=True)
class Disagreement:
    kind: str  # span_only_one_coder, boundary_mismatch, type_mismatch, attribute_mismatch,
    # claim_missing, claim_slot_mismatch, claim_attribute_mismatch
    report: str
    start: int | None
    end: int | None
    coders: tuple[str, ...]
    detail: str  # which attribute or slot, or the span type
    values: Mapping[str, Any] = field(default_factory=dict)  # coder -> item id / value
    what: str = ""  # the codebook label of ``detail`` ("Actor type", "Perpetrator")
    shown: str = ""  # the versions as people read them: "Liptako Brigade (amina) vs Al-Bayan (lukas)"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "report": self.report, "start": self.start, "end": self.end,
                "coders": list(self.coders), "detail": self.detail,
                "values": {k: _jsonable(v) for k, v in self.values.items()},
                "kind_name": kind_name(self.kind), "what": self.what, "shown": self.shown}


def _jsonable(v: Any) -> Any:
    if isinstance(v, frozenset | set | tuple):
        return sorted((_jsonable(x) for x in v), key=repr)
    return v


# ------------------------------------------------------------------ attribute values


def attribute_value(ad: AttributeDef, value: Any) -> Any:
    """The value alpha compares (annotator/core/values.py: counts by best, dates by day number,
    places by geonameid or name, ordinal enums by rank, text and actors without case)."""
    return values.agreement_value(ad, value)


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
    m = len(coders)
    if m < 2:
        return AlphaResult(None, 0, 0, None, "needs two or more coders")
    reports = [r for r, n in report_lengths.items() if n > 0]
    if not reports:
        return AlphaResult(None, 0, 0, None, "no report text")
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
    hist = per_report.sum(axis=0)
    units = int(hist.sum())
    value, n_values = _binary_alpha(hist, m)
    if value is None:
        reason = ("no variation: no coder tagged this type" if hist[1:].sum() == 0
                  else "no variation: every character covered by every coder")
        return AlphaResult(None, units, int(n_values), None, reason)
    interval = None
    n_reports = len(reports)
    if resamples > 0 and n_reports > 1:
        # each resample draws n_reports reports with replacement; w[b, r] = times report r is drawn
        rng = np.random.default_rng(seed)
        drawn = rng.integers(0, n_reports, size=(resamples, n_reports))
        drawn += np.arange(resamples)[:, None] * n_reports
        w = np.bincount(drawn.ravel(), minlength=resamples * n_reports).reshape(resamples, n_reports)
        values, _ = _binary_alphas(w @ per_report, m)
        values = values[~np.isnan(values)]
        if values.size:
            lo, hi = np.quantile(values, [0.025, 0.975])
            interval = (float(lo), float(hi))
    return AlphaResult(value, units, int(n_values), interval, resampled=n_reports)


# ------------------------------------------------------------------ the whole computation


@dataclass
class AgreementResult:
    coders: list[str]
    reports_used: list[str]
    reports_excluded: int
    spans: dict[str, dict[str, Any]]
    attributes: dict[str, dict[str, dict[str, Any]]]
    claims: dict[str, dict[str, dict[str, Any]]]
    disagreements: list[Disagreement]
    confusion: dict[str, dict[str, int]]
    notes: list[str]
    labels: dict[str, str] = field(default_factory=dict)  # item key -> codebook label

    def to_json(self) -> dict[str, Any]:
        return {
            "coders": self.coders,
            "reports_used": len(self.reports_used),
            "reports_excluded": self.reports_excluded,
            "reports": self.reports_used,
            "spans": self.spans,
            "attributes": self.attributes,
            "claims": self.claims,
            "confusion_span_types": self.confusion,
            "disagreements": [d.to_json() for d in self.disagreements],
            "notes": self.notes,
            "labels": self.labels,
        }


def _mean_sd(values: Mapping[str, float | None]) -> dict[str, Any]:
    got = [v for v in values.values() if v is not None]
    return {
        "mean": round(statistics.fmean(got), 6) if got else None,
        "sd": round(statistics.stdev(got), 6) if len(got) > 1 else (0.0 if got else None),
        "pairs": {k: (None if v is None else round(v, 6)) for k, v in values.items()},
        "label": None,  # F1 has no reliability thresholds (alpha.verdict is for alpha)
    }


def _alpha_json(res: AlphaResult, kappa: float | None = None, level: str | None = None) -> dict[str, Any]:
    out = res.to_json()
    if level is not None:
        out = {"level": level, **out}
    if kappa is not None:
        out["kappa"] = round(kappa, 6)
    return out


def _span_figures(data: Dataset, spans: Sequence[SpanItem], chosen: Sequence[str],
                  types: Sequence[str], used: Sequence[str], resamples: int,
                  seed: int) -> dict[str, dict[str, Any]]:
    """Span F1 (exact and overlap) per coder pair, per type and over all types, with the
    unitizing alpha of each type."""
    span_out: dict[str, dict[str, Any]] = {}
    pairs = list(itertools.combinations(chosen, 2))
    by_type_coder: dict[tuple[str, str], list[SpanItem]] = defaultdict(list)
    for sp in spans:
        by_type_coder[(sp.type, sp.coder)].append(sp)
        by_type_coder[(ALL, sp.coder)].append(sp)
    # matches are within a type, so the all-types figures add up the per-type counts
    inter: dict[tuple[str, str], int] = defaultdict(int)
    over: dict[tuple[str, str], int] = defaultdict(int)
    sizes: dict[tuple[str, str, str], int] = defaultdict(int)
    for t in types:
        for a, b in pairs:
            sa = by_type_coder.get((t, a), [])
            sb = by_type_coder.get((t, b), [])
            key = f"{a}|{b}"
            inter[(t, key)] = len({(s.report, s.start, s.end) for s in sa}
                                  & {(s.report, s.start, s.end) for s in sb})
            over[(t, key)] = overlap_matches(sa, sb)
            sizes[(t, key, "n")] = len(sa) + len(sb)
            inter[(ALL, key)] += inter[(t, key)]
            over[(ALL, key)] += over[(t, key)]
            sizes[(ALL, key, "n")] += len(sa) + len(sb)
    for t in [*types, ALL]:
        exact: dict[str, float | None] = {}
        overlap: dict[str, float | None] = {}
        for a, b in pairs:
            key = f"{a}|{b}"
            n = sizes[(t, key, "n")]
            exact[key] = 2 * inter[(t, key)] / n if n else None
            overlap[key] = 2 * over[(t, key)] / n if n else None
        sel = [s for c in chosen for s in by_type_coder.get((t, c), [])]
        entry: dict[str, Any] = {
            "f1_exact": _mean_sd(exact),
            "f1_overlap": _mean_sd(overlap),
            "n": len(sel),
            "per_coder": {c: len(by_type_coder.get((t, c), [])) for c in chosen},
        }
        if t != ALL:
            entry["alpha_u"] = unitizing_alpha(
                sel, chosen, {r: data.report_lengths[r] for r in used}, resamples, seed).to_json()
        span_out[t] = entry

    return span_out


def _attribute_alpha(ad: AttributeDef, units: list[list[Any]], n_coders: int, resamples: int,
                     seed: int) -> dict[str, Any]:
    """Alpha of one attribute at the level its value type gives (and Cohen's kappa for two
    coders on nominal values)."""
    level, order = values.agreement_level(ad)
    kappa = None
    if n_coders == 2 and level == "nominal":
        kappa = cohen_kappa([u[0] for u in units], [u[1] for u in units])
    return _alpha_json(alpha(units, level, order=order, resamples=resamples, seed=seed), kappa, level)


@without_gc
def compute_agreement(
    data: Dataset,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
    seed: int = 0,
    resamples: int = 1000,
) -> AgreementResult:
    cb = data.codebook
    all_coders = sorted({s.coder for s in data.spans} | {c.coder for c in data.claims}
                        | {c for v in data.done.values() for c in v})
    chosen = sorted(coders) if coders else all_coders
    notes: list[str] = []
    candidates = list(reports) if reports else sorted(data.report_lengths)
    used = [r for r in candidates if set(chosen) <= set(data.done.get(r, ()))]
    excluded = len(candidates) - len(used)
    if excluded:
        notes.append(f"{excluded} report(s) left out: not marked done by every compared coder")
    if len(chosen) < 2:
        notes.append("agreement needs two or more coders")
    if not used:
        notes.append("no report was marked done by every compared coder")
    used_set = set(used)
    spans = [s for s in data.spans if s.report in used_set and s.coder in chosen]
    claims = [c for c in data.claims if c.report in used_set and c.coder in chosen]
    types = [t.id for t in cb.span_types]

    span_out = _span_figures(data, spans, chosen, types, used, resamples, seed)

    # alignment, per report
    groups: list[SpanGroup] = []
    claim_groups: list[ClaimGroup] = []
    by_report: dict[str, list[SpanItem]] = defaultdict(list)
    for s in spans:
        by_report[s.report].append(s)
    claims_by_report: dict[str, list[ClaimItem]] = defaultdict(list)
    for c in claims:
        claims_by_report[c.report].append(c)
    group_index: dict[tuple[str, str, str], int] = {}
    for r in used:
        gs = align_spans(by_report.get(r, []), first_id=len(groups))
        groups.extend(gs)
        for g in gs:
            for coder_name, sp in g.members.items():
                group_index[(r, coder_name, sp.id)] = g.id
        report_claims = claims_by_report.get(r)
        if report_claims:
            claim_groups.extend(align_claims(report_claims, span_group_index(gs), len(claim_groups)))

    # span type confusion: aligned pairs of spans, by the two coders' types
    confusion: dict[str, dict[str, int]] = {t: {u: 0 for u in [*types, "(none)"]} for t in [*types, "(none)"]}
    # attribute alpha: units are aligned groups, per span type
    attr_out: dict[str, dict[str, dict[str, Any]]] = {}
    groups_by_type: dict[str, list[list[SpanItem | None]]] = defaultdict(list)
    pair_index = list(itertools.combinations(range(len(chosen)), 2))
    for g in groups:
        members = g.members
        row = [members.get(c) for c in chosen]
        kinds = [s.type if s is not None else "(none)" for s in row]
        for ia, ib in pair_index:
            ta, tb = kinds[ia], kinds[ib]
            if ta == tb == "(none)":
                continue
            line = confusion.setdefault(ta, {})
            line[tb] = line.get(tb, 0) + 1
        if not any(s is not None and s.attributes for s in row):
            continue  # no coded attribute: no value for any attribute alpha
        if len(g.types) == 1:
            groups_by_type[next(iter(g.types))].append(row)
            continue
        for t in g.types:
            groups_by_type[t].append([s if s is not None and s.type == t else None for s in row])
    for st in cb.span_types:
        per_attr: dict[str, dict[str, Any]] = {}
        trows = groups_by_type.get(st.id, [])
        for ad in st.attributes:
            key = ad.id
            units = [[None if s is None or (v := s.attributes.get(key)) is None else attribute_value(ad, v)
                      for s in row] for row in trows]
            per_attr[ad.id] = _attribute_alpha(ad, units, len(chosen), resamples, seed)
        attr_out[st.id] = per_attr

    # claims: slots and attributes over aligned claim groups
    span_lookup = {(s.report, s.coder, s.id): s for s in spans} if claims else {}
    claims_out: dict[str, dict[str, dict[str, Any]]] = {}
    for ct in cb.claim_types:
        cgs = [cg for cg in claim_groups if cg.type == ct.id]
        per: dict[str, dict[str, Any]] = {"_claims": {"n": len(cgs), "matched": sum(
            1 for cg in cgs if len(cg.members) == len(chosen))}}
        for sd in ct.slots:
            units = []
            for cg in cgs:
                row = []
                for coder in chosen:
                    item = cg.members.get(coder)
                    row.append(None if item is None else _slot_value(item, sd.id, span_lookup, group_index))
                units.append(row)
            per[sd.id] = _alpha_json(alpha(units, "nominal", resamples=resamples, seed=seed), None, "nominal")
        for ad in ct.attributes:
            units = [[attribute_value(ad, cg.members[c].attributes.get(ad.id)) if c in cg.members else None
                      for c in chosen] for cg in cgs]
            per[ad.id] = _attribute_alpha(ad, units, len(chosen), resamples, seed)
        claims_out[ct.id] = per

    disagreements = find_disagreements(groups, claim_groups, chosen, data, span_lookup, group_index)
    return AgreementResult(chosen, used, excluded, span_out, attr_out, claims_out, disagreements,
                           confusion, notes, item_labels(cb))


def item_labels(cb: Codebook) -> dict[str, str]:
    """The codebook labels of the figures' items: "actor" -> "Actor", "actor.actor_type" ->
    "Actor: Actor type", "attack.perpetrator" -> "Attack: Perpetrator", "_all" -> "All types"."""
    out = {ALL: "All span types", "(none)": "(no span)"}
    for st in cb.span_types:
        out[st.id] = st.label
        out.update({f"{st.id}.{ad.id}": f"{st.label}: {ad.label}" for ad in st.attributes})
    for ct in cb.claim_types:
        out[ct.id] = f"{ct.label} claims"
        out.update({f"{ct.id}.{sd.id}": f"{ct.label}: {sd.label}" for sd in ct.slots})
        out.update({f"{ct.id}.{ad.id}": f"{ct.label}: {ad.label}" for ad in ct.attributes})
    return out


def _slot_value(
    claim: ClaimItem,
    slot: str,
    spans: Mapping[tuple[str, str, str], SpanItem],
    group_index: Mapping[tuple[str, str, str], int],
) -> Any:
    """A claim slot as alpha compares it: "not_reported", or the set of aligned span groups its
    spans belong to (the same evidence, whatever each coder's span boundaries); an empty slot is
    missing (None)."""
    value = claim.slots.get(slot)
    if value is None or value == ():
        return None
    if value == NOT_REPORTED or isinstance(value, str):
        return NOT_REPORTED
    groups = frozenset(group_index.get((claim.report, claim.coder, sid), -1) for sid in value)
    return groups


def find_disagreements(
    groups: Sequence[SpanGroup],
    claim_groups: Sequence[ClaimGroup],
    coders: Sequence[str],
    data: Dataset,
    spans: Mapping[tuple[str, str, str], SpanItem] | None = None,
    group_index: Mapping[tuple[str, str, str], int] | None = None,
) -> list[Disagreement]:
    """Every disagreement among ``coders`` in the aligned groups, in text order per report."""
    cb = data.codebook
    span_types = {t.id: t for t in cb.span_types}
    out: list[Disagreement] = []
    everyone = tuple(coders)
    everyone_set = set(everyone)

    def add(kind: str, report: str, pos: tuple[int | None, int | None], present: tuple[str, ...],
            detail: str, vals: Mapping[str, Any], texts: Mapping[str, str],
            item_type: str | None = None) -> None:
        out.append(Disagreement(kind, report, pos[0], pos[1], present, detail, vals,
                                what_label(cb, kind, detail, item_type),
                                versions_text(texts, everyone)))

    for g in groups:
        members = g.members
        if len(g.types) == 1 and members.keys() == everyone_set:
            # the common case, everyone agrees on offsets and attributes: nothing to report
            it = iter(members.values())
            first_span = next(it)
            if all(o.start == first_span.start and o.end == first_span.end
                   and o.attributes == first_span.attributes for o in it):
                continue
        pos: tuple[int | None, int | None] = (g.start, g.end)
        present = tuple(c for c in everyone if c in g.members)
        ids = {c: g.members[c].id for c in present}
        types = "/".join(sorted(g.types))
        quoted = {c: f"“{g.members[c].text}”" for c in present}
        if len(present) < len(everyone):
            add("span_only_one_coder" if len(present) == 1 else "span_missing", g.report, pos,
                present, types, ids, quoted)
            if len(present) == 1:
                continue
        if len(g.types) > 1:
            add("type_mismatch", g.report, pos, present, types,
                {c: g.members[c].type for c in present},
                {c: _type_label(cb, g.members[c].type) for c in present})
        if not g.exact():
            add("boundary_mismatch", g.report, pos, present, types,
                {c: (g.members[c].start, g.members[c].end) for c in present}, quoted)
        if len(g.types) == 1:
            st = span_types.get(next(iter(g.types)))
            first = g.members[present[0]].attributes
            if all(g.members[c].attributes == first for c in present[1:]):
                continue  # identical attributes: nothing to compare
            for ad in st.attributes if st else ():
                vals = {c: g.members[c].attributes.get(ad.id) for c in present}
                norm = {repr(attribute_value(ad, v)) for v in vals.values()}
                if len(norm) > 1:
                    add("attribute_mismatch", g.report, pos, present, ad.id, vals,
                        {c: values.text_of(ad, v) for c, v in vals.items()}, st.id if st else None)
    spans = spans or {}
    group_index = group_index or {}
    for cg in claim_groups:
        present = tuple(c for c in everyone if c in cg.members)
        ids = {c: cg.members[c].id for c in present}
        pos = _claim_position(cg, spans)
        ct = cb.claim_type(cg.type)
        if len(present) < len(everyone):
            add("claim_missing", cg.report, pos, present, cg.type, ids,
                {c: f"{ct.label if ct else cg.type} claim {ids[c]}" for c in present})
            if len(present) == 1:
                continue
        for sd in ct.slots if ct else ():
            vals = {c: _slot_value(cg.members[c], sd.id, spans, group_index) for c in present}
            if len({repr(_jsonable(v)) for v in vals.values()}) > 1:
                fills = {c: cg.members[c].slots.get(sd.id) for c in present}
                add("claim_slot_mismatch", cg.report, pos, present, sd.id, fills,
                    {c: _fill_text(cb, cg.report, c, f, spans) for c, f in fills.items()}, cg.type)
        for ad in ct.attributes if ct else ():
            vals = {c: cg.members[c].attributes.get(ad.id) for c in present}
            if len({repr(attribute_value(ad, v)) for v in vals.values()}) > 1:
                add("claim_attribute_mismatch", cg.report, pos, present, ad.id, vals,
                    {c: values.text_of(ad, v) for c, v in vals.items()}, cg.type)
    out.sort(key=lambda d: (d.report, d.start if d.start is not None else -1, d.kind))
    return out


def versions_text(texts: Mapping[str, str], coders: Sequence[str]) -> str:
    """The coders' versions side by side, equal ones together, a coder without a version as
    "nothing": "Liptako Brigade (amina) vs Al-Bayan (lukas)"."""
    by_text: dict[str, list[str]] = {}
    for c in coders:
        by_text.setdefault(texts.get(c, "nothing"), []).append(c)
    return " vs ".join(f"{t} ({', '.join(cs)})" for t, cs in by_text.items())


def _type_label(cb: Codebook, type_id: str) -> str:
    st = cb.span_type(type_id)
    return st.label if st else type_id


def _fill_text(cb: Codebook, report: str, coder: str, fill: Any,
               spans: Mapping[tuple[str, str, str], SpanItem]) -> str:
    """A slot's fill as people read it: the spans' values ("Liptako Brigade & ISWAP"), "not
    reported", or "empty"."""
    if fill is None or fill == ():
        return "empty"
    if isinstance(fill, str):
        return "not reported"
    shown = []
    for sid in fill:
        sp = spans.get((report, coder, sid))
        shown.append(span_value(sp, cb) if sp is not None else sid)
    return " & ".join(shown)


def _claim_position(
    cg: ClaimGroup, spans: Mapping[tuple[str, str, str], SpanItem]
) -> tuple[int | None, int | None]:
    starts, ends = [], []
    for c, claim in cg.members.items():
        for value in claim.slots.values():
            if isinstance(value, str):
                continue
            for sid in value:
                s = spans.get((claim.report, c, sid))
                if s is not None:
                    starts.append(s.start)
                    ends.append(s.end)
    return (min(starts), max(ends)) if starts else (None, None)
