"""The kinds of disagreement (agreement and review), with the names people read.

The agreement code (compute.find_disagreements) and review (review._span_problems,
_claim_problems) use the identifiers; every text a user reads goes through ``kind_name`` or
``problem_text``.
"""

from __future__ import annotations

from annotator.core.codebook import Codebook

__all__ = ["KIND_NAMES", "kind_name", "problem_text", "what_label"]

KIND_NAMES = {
    "span_only_one_coder": "span of one coder only",
    "span_missing": "span missing for some coders",
    "type_mismatch": "different span types",
    "boundary_mismatch": "different boundaries",
    "attribute_mismatch": "different values",
    "claim_missing": "claim missing for some coders",
    "claim_slot_mismatch": "different slot evidence",
    "claim_attribute_mismatch": "different claim values",
    "evidence_open": "its evidence spans are undecided",
}

# kinds whose detail names an attribute or slot: shown as "<its label> differs"
_PER_FIELD = ("attribute_mismatch", "claim_slot_mismatch", "claim_attribute_mismatch")


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("_", " "))


def what_label(codebook: Codebook, kind: str, detail: str, item_type: str | None = None) -> str:
    """The codebook label of what a disagreement is about: the span types ("Actor / Location"),
    the attribute or the slot (of ``item_type``, else of any type that has it)."""
    if kind == "claim_missing":
        ct = codebook.claim_type(detail)
        return f"{ct.label} claim" if ct else detail
    if kind not in _PER_FIELD:
        labels = []
        for t in detail.split("/"):
            st = codebook.span_type(t)
            labels.append(st.label if st else t)
        return " / ".join(labels)
    if kind == "attribute_mismatch":
        span_types = [codebook.span_type(item_type)] if item_type else list(codebook.span_types)
        for st in span_types:
            ad = st.attribute(detail) if st else None
            if ad is not None:
                return ad.label
        return detail
    claim_types = [codebook.claim_type(item_type)] if item_type else list(codebook.claim_types)
    for ct in claim_types:
        if ct is None:
            continue
        found = ct.slot(detail) if kind == "claim_slot_mismatch" else ct.attribute(detail)
        if found is not None:
            return found.label
    return detail


def problem_text(problem: str, codebook: Codebook, item_type: str | None = None) -> str:
    """A review problem ("attribute_mismatch:actor_type") as people read it ("Actor type
    differs"); ``item_type`` is the span or claim type of the item."""
    kind, _, detail = problem.partition(":")
    if detail and kind in _PER_FIELD:
        return f"{what_label(codebook, kind, detail, item_type)} differs"
    return kind_name(kind)
