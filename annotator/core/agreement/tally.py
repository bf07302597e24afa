"""compute_agreement's figures added up a chunk of whole reports at a time.

Everything agreement reports is a sum over reports (F1 counts, confusion counts, the unitizing
alpha's per-report coverage rows) or depends on the units only through their distinct value
patterns (every other alpha, units.UnitCounter); the alignment and the disagreements are per
report. So a :class:`Tally` given the reports chunk by chunk, in the order of the whole
computation, keeps only those sums and patterns between chunks and finishes with exactly the
figures of the whole (the same group numbering, the same pattern order, the same intervals for a
seed). The disagreements of each chunk are handed back to the caller as they are found.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.core import values
from annotator.core.agreement.align import (
    ClaimGroup,
    SpanGroup,
    align_claims,
    align_spans,
    span_group_index,
)
from annotator.core.agreement.data import ClaimItem, Dataset, SpanItem
from annotator.core.agreement.disagreements import (
    Disagreement,
    attribute_value,
    find_disagreements,
    slot_value,
)
from annotator.core.agreement.spans import SpanTally
from annotator.core.agreement.units import KappaCounter, UnitCounter
from annotator.core.codebook import AttributeDef, Codebook

__all__ = ["Tally"]


def _report_local(value: Any) -> bool:
    """A claim slot value that names one of its report's span groups (group numbers are
    never shared between reports): it cannot occur in another report."""
    return isinstance(value, frozenset) and any(g >= 0 for g in value)


def _alpha_json(res: Any, kappa: float | None = None, level: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = res.to_json()
    if level is not None:
        out = {"level": level, **out}
    if kappa is not None:
        out["kappa"] = round(kappa, 6)
    return out


class _Attribute:
    """The units of one attribute's alpha, and Cohen's kappa for two coders on nominal values."""

    def __init__(self, ad: AttributeDef, n_coders: int, kappa: bool) -> None:
        self.ad = ad
        self.level, self.order = values.agreement_level(ad)
        self.units = UnitCounter()
        self.kappa = KappaCounter() if kappa and n_coders == 2 and self.level == "nominal" \
            else None

    def add(self, unit: list[Any]) -> None:
        self.units.add(unit)
        if self.kappa is not None:
            self.kappa.add(unit[0], unit[1])

    def figure(self, resamples: int, seed: int) -> dict[str, Any]:
        kappa = self.kappa.kappa() if self.kappa is not None else None
        return _alpha_json(self.units.alpha(self.level, self.order, resamples, seed), kappa,
                           self.level)


class Tally:
    """The figures of ``chosen`` over reports given a chunk at a time (see the module)."""

    def __init__(self, codebook: Codebook, chosen: Sequence[str], *, alphas: bool = True,
                 kappa: bool = True, listing: bool = True) -> None:
        self.cb = codebook
        self.listing = listing
        self.chosen = list(chosen)
        self.alphas = alphas
        self.types = [t.id for t in codebook.span_types]
        self.spans = SpanTally(self.chosen, self.types)
        self.n_groups = 0
        self.n_claim_groups = 0
        self.pair_index = list(itertools.combinations(range(len(self.chosen)), 2))
        kinds = [*self.types, "(none)"]
        self.confusion: dict[str, dict[str, int]] = {t: dict.fromkeys(kinds, 0) for t in kinds}
        n = len(self.chosen)
        self.attrs = {st.id: {ad.id: _Attribute(ad, n, kappa) for ad in st.attributes}
                      for st in codebook.span_types}
        self.claim_counts = {ct.id: [0, 0] for ct in codebook.claim_types}
        self.slots = {ct.id: {sd.id: UnitCounter(local=_report_local) for sd in ct.slots}
                      for ct in codebook.claim_types}
        self.claim_attrs = {ct.id: {ad.id: _Attribute(ad, n, kappa) for ad in ct.attributes}
                            for ct in codebook.claim_types}
        self._data = Dataset(codebook, {}, {}, [])  # find_disagreements reads its codebook

    def add(self, lengths: Mapping[str, int], spans: Sequence[SpanItem],
            claims: Sequence[ClaimItem]) -> list[Disagreement]:
        """A chunk of whole reports: ``lengths`` their text lengths, in the order of the whole
        computation; ``spans`` and ``claims`` theirs (others are ignored). Returns the
        chunk's disagreements, sorted as the whole computation sorts them."""
        chosen = self.chosen
        chosen_set = set(chosen)
        spans = [s for s in spans if s.report in lengths and s.coder in chosen_set]
        claims = [c for c in claims if c.report in lengths and c.coder in chosen_set]
        self.spans.add(spans, lengths, unitizing=self.alphas)
        groups: list[SpanGroup] = []
        claim_groups: list[ClaimGroup] = []
        by_report: dict[str, list[SpanItem]] = defaultdict(list)
        for s in spans:
            by_report[s.report].append(s)
        claims_by_report: dict[str, list[ClaimItem]] = defaultdict(list)
        for c in claims:
            claims_by_report[c.report].append(c)
        group_index: dict[tuple[str, str, str], int] = {}
        for r in lengths:
            gs = align_spans(by_report.get(r, []), first_id=self.n_groups)
            self.n_groups += len(gs)
            groups.extend(gs)
            for g in gs:
                for coder_name, sp in g.members.items():
                    group_index[(r, coder_name, sp.id)] = g.id
            report_claims = claims_by_report.get(r)
            if report_claims:
                found = align_claims(report_claims, span_group_index(gs), self.n_claim_groups)
                self.n_claim_groups += len(found)
                claim_groups.extend(found)
        self._span_groups(groups)
        span_lookup = {(s.report, s.coder, s.id): s for s in spans} if claims else {}
        self._claim_groups(claim_groups, span_lookup, group_index)
        for per in self.slots.values():
            for counter in per.values():
                counter.end_chunk()
        if not self.listing:
            return []
        return find_disagreements(groups, claim_groups, chosen, self._data, span_lookup,
                                  group_index)

    def _span_groups(self, groups: Sequence[SpanGroup]) -> None:
        """Span type confusion (aligned pairs of spans, by the two coders' types) and the
        attribute units (aligned groups, per span type)."""
        confusion = self.confusion
        chosen = self.chosen
        groups_by_type: dict[str, list[list[SpanItem | None]]] = defaultdict(list)
        for g in groups:
            members = g.members
            row = [members.get(c) for c in chosen]
            kinds = [s.type if s is not None else "(none)" for s in row]
            for ia, ib in self.pair_index:
                ta, tb = kinds[ia], kinds[ib]
                if ta == tb == "(none)":
                    continue
                line = confusion.setdefault(ta, {})
                line[tb] = line.get(tb, 0) + 1
            if not self.alphas or not any(s is not None and s.attributes for s in row):
                continue  # no coded attribute: no value for any attribute alpha
            if len(g.types) == 1:
                groups_by_type[next(iter(g.types))].append(row)
                continue
            for t in g.types:
                groups_by_type[t].append([s if s is not None and s.type == t else None for s in row])
        for st in self.cb.span_types:
            trows = groups_by_type.get(st.id)
            if not trows:
                continue
            for ad in st.attributes:
                key = ad.id
                counter = self.attrs[st.id][key]
                for row in trows:
                    counter.add([None if s is None or (v := s.attributes.get(key)) is None
                                 else attribute_value(ad, v) for s in row])

    def _claim_groups(self, claim_groups: Sequence[ClaimGroup],
                      span_lookup: Mapping[tuple[str, str, str], SpanItem],
                      group_index: Mapping[tuple[str, str, str], int]) -> None:
        """Claims: slots and attributes over aligned claim groups."""
        chosen = self.chosen
        for ct in self.cb.claim_types:
            cgs = [cg for cg in claim_groups if cg.type == ct.id]
            counts = self.claim_counts[ct.id]
            counts[0] += len(cgs)
            counts[1] += sum(1 for cg in cgs if len(cg.members) == len(chosen))
            if not self.alphas:
                continue
            for sd in ct.slots:
                counter = self.slots[ct.id][sd.id]
                for cg in cgs:
                    row = []
                    for coder in chosen:
                        item = cg.members.get(coder)
                        row.append(None if item is None
                                   else slot_value(item, sd.id, span_lookup, group_index))
                    counter.add(row)
            for ad in ct.attributes:
                attr = self.claim_attrs[ct.id][ad.id]
                for cg in cgs:
                    attr.add([attribute_value(ad, cg.members[c].attributes.get(ad.id))
                              if c in cg.members else None for c in chosen])

    def figures(self, resamples: int, seed: int) -> tuple[
            dict[str, dict[str, Any]], dict[str, dict[str, dict[str, Any]]],
            dict[str, dict[str, dict[str, Any]]], dict[str, dict[str, int]]]:
        """(spans, attributes, claims, confusion) as compute_agreement reports them."""
        span_out = self.spans.figures(resamples, seed, unitizing=self.alphas)
        attr_out: dict[str, dict[str, dict[str, Any]]] = {}
        claims_out: dict[str, dict[str, dict[str, Any]]] = {}
        if self.alphas:
            for st in self.cb.span_types:
                attr_out[st.id] = {k: a.figure(resamples, seed)
                                   for k, a in self.attrs[st.id].items()}
        for ct in self.cb.claim_types:
            n, matched = self.claim_counts[ct.id]
            per: dict[str, dict[str, Any]] = {"_claims": {"n": n, "matched": matched}}
            if self.alphas:
                for sd in ct.slots:
                    res = self.slots[ct.id][sd.id].alpha("nominal", None, resamples, seed)
                    per[sd.id] = _alpha_json(res, None, "nominal")
                for k, a in self.claim_attrs[ct.id].items():
                    per[k] = a.figure(resamples, seed)
            claims_out[ct.id] = per
        return span_out, attr_out, claims_out, self.confusion
