"""Inter-coder agreement: pure functions over plain data (no Qt, no database in the maths).

See docs/agreement.md for the definitions exactly as implemented.
"""

from annotator.core.agreement.align import (
    ClaimGroup,
    SpanGroup,
    align_claims,
    align_spans,
    span_group_index,
)
from annotator.core.agreement.alpha import AlphaResult, alpha, cohen_kappa, reliability_label
from annotator.core.agreement.compute import (
    AgreementResult,
    Disagreement,
    attribute_value,
    compute_agreement,
    f1_exact,
    f1_overlap,
    find_disagreements,
    unitizing_alpha,
)
from annotator.core.agreement.data import ClaimItem, Dataset, SpanItem, load_dataset

__all__ = [
    "AgreementResult",
    "AlphaResult",
    "ClaimGroup",
    "ClaimItem",
    "Dataset",
    "Disagreement",
    "SpanGroup",
    "SpanItem",
    "align_claims",
    "align_spans",
    "alpha",
    "attribute_value",
    "cohen_kappa",
    "compute_agreement",
    "f1_exact",
    "f1_overlap",
    "find_disagreements",
    "load_dataset",
    "reliability_label",
    "span_group_index",
    "unitizing_alpha",
]
