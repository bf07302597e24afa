"""Inter-coder agreement over a Dataset: span F1 (exact and overlap), unitizing alpha, attribute
alpha, claim slot and attribute alpha, Cohen's kappa, bootstrap intervals, disagreements.
The definitions are in docs/agreement.md, written to match this code.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
from annotator.core.agreement.disagreements import (
    Disagreement,
    attribute_value,
    find_disagreements,
    slot_value,
    versions_text,
)
from annotator.core.agreement.spans import (
    ALL,
    f1_exact,
    f1_overlap,
    overlap_matches,
    span_figures,
    unitizing_alpha,
)
from annotator.core.codebook import AttributeDef, Codebook
from annotator.core.gcpause import without_gc

__all__ = [
    "ALL",
    "AgreementResult",
    "Disagreement",
    "attribute_value",
    "compute_agreement",
    "f1_exact",
    "f1_overlap",
    "find_disagreements",
    "item_labels",
    "overlap_matches",
    "unitizing_alpha",
    "versions_text",
]


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


def _alpha_json(res: AlphaResult, kappa: float | None = None, level: str | None = None) -> dict[str, Any]:
    out = res.to_json()
    if level is not None:
        out = {"level": level, **out}
    if kappa is not None:
        out["kappa"] = round(kappa, 6)
    return out


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

    span_out = span_figures(data, spans, chosen, types, used, resamples, seed)

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
                    row.append(None if item is None else slot_value(item, sd.id, span_lookup, group_index))
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


