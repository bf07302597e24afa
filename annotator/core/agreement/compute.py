"""Inter-coder agreement over a Dataset: span F1 (exact and overlap), unitizing alpha, attribute
alpha, claim slot and attribute alpha, Cohen's kappa, bootstrap intervals, disagreements.
The definitions are in docs/agreement.md, written to match this code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core.agreement.data import ClaimItem, Dataset, DatasetSource, SpanItem
from annotator.core.agreement.disagreements import (
    Disagreement,
    DisagreementLog,
    attribute_value,
    find_disagreements,
    order_key,
    versions_text,
)
from annotator.core.agreement.spans import (
    ALL,
    f1_exact,
    f1_overlap,
    overlap_matches,
    unitizing_alpha,
)
from annotator.core.agreement.tally import Tally
from annotator.core.codebook import Codebook
from annotator.core.gcpause import without_gc


class Source(Protocol):
    """Where agreement reads from: data.ProjectSource (a project, a chunk of reports at a
    time) or data.DatasetSource (a Dataset in memory)."""

    codebook: Codebook
    report_lengths: Mapping[str, int]
    done: Mapping[str, frozenset[str]]

    def coders(self) -> set[str]: ...

    def chunks(self, reports: Sequence[str]) -> Iterator[
        tuple[list[str], list[SpanItem], list[ClaimItem]]]: ...


__all__ = [
    "ALL",
    "AgreementResult",
    "Disagreement",
    "Listing",
    "Source",
    "attribute_value",
    "compute_agreement",
    "every_coder",
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
    #: a list, or a DisagreementLog (a listing of any size, on disk); to_json gives it as it is
    disagreements: Sequence[Disagreement] | DisagreementLog
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
            "disagreements": self.disagreements if isinstance(self.disagreements, DisagreementLog)
            else [d.to_json() for d in self.disagreements],
            "notes": self.notes,
            "labels": self.labels,
        }


class Listing:
    """The disagreements of a computation, a sorted run per chunk of reports, kept in a list
    (``log``: a DisagreementLog instead, for a listing of any size)."""

    def __init__(self, log: DisagreementLog | None = None) -> None:
        self.log = log
        self.items: list[Disagreement] = []

    def add_run(self, run: list[Disagreement]) -> None:
        if self.log is not None:
            self.log.add_run(run)
        else:
            self.items.extend(run)

    def result(self) -> Sequence[Disagreement] | DisagreementLog:
        if self.log is not None:
            return self.log
        self.items.sort(key=order_key)  # runs out of order (reports asked for in another order)
        return self.items


def compute_agreement(
    data: Dataset,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
    seed: int = 0,
    resamples: int = 1000,
) -> AgreementResult:
    """The agreement of ``coders`` on the reports every one of them marked done."""
    return every_coder(DatasetSource(data), coders, reports, seed, resamples)


@without_gc
def every_coder(
    source: Source,
    coders: Sequence[str] | None = None,
    reports: Sequence[str] | None = None,
    seed: int = 0,
    resamples: int = 1000,
    listing: Listing | None = None,
) -> AgreementResult:
    """compute_agreement over a source read a chunk of reports at a time (data.ProjectSource)."""
    cb = source.codebook
    done = source.done
    all_coders = sorted(source.coders() | {c for v in done.values() for c in v})
    chosen = sorted(coders) if coders else all_coders
    notes: list[str] = []
    candidates = list(reports) if reports else sorted(source.report_lengths)
    used = [r for r in dict.fromkeys(candidates) if set(chosen) <= set(done.get(r, ()))]
    excluded = len(candidates) - len(used)
    if excluded:
        notes.append(f"{excluded} report(s) left out: not marked done by every compared coder")
    if len(chosen) < 2:
        notes.append("agreement needs two or more coders")
    if not used:
        notes.append("no report was marked done by every compared coder")
    listing = listing or Listing()
    tally = Tally(cb, chosen)
    lengths = source.report_lengths
    for part, spans, claims in source.chunks(used):
        listing.add_run(tally.add({r: lengths[r] for r in part}, spans, claims))
    span_out, attr_out, claims_out, confusion = tally.figures(resamples, seed)
    return AgreementResult(chosen, used, excluded, span_out, attr_out, claims_out,
                           listing.result(), confusion, notes, item_labels(cb))


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


