"""Inter-coder agreement: pure functions over plain data (no Qt, no database in the maths).

See docs/agreement.md for the definitions exactly as implemented.

The names load with their module when first used: adjudication needs the alignment, not
the statistics (numpy), and the window's start needs neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.lazy import lazy_names

if TYPE_CHECKING:  # the names, for type checkers; at run time each loads when first used
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
    from annotator.core.agreement.pairs import PairwiseResult, pair_reports, pairwise_agreement

# name -> the module that defines it
_HOME = {
    'ClaimGroup': 'annotator.core.agreement.align',
    'SpanGroup': 'annotator.core.agreement.align',
    'align_claims': 'annotator.core.agreement.align',
    'align_spans': 'annotator.core.agreement.align',
    'span_group_index': 'annotator.core.agreement.align',
    'AlphaResult': 'annotator.core.agreement.alpha',
    'alpha': 'annotator.core.agreement.alpha',
    'cohen_kappa': 'annotator.core.agreement.alpha',
    'reliability_label': 'annotator.core.agreement.alpha',
    'AgreementResult': 'annotator.core.agreement.compute',
    'Disagreement': 'annotator.core.agreement.compute',
    'attribute_value': 'annotator.core.agreement.compute',
    'compute_agreement': 'annotator.core.agreement.compute',
    'f1_exact': 'annotator.core.agreement.compute',
    'f1_overlap': 'annotator.core.agreement.compute',
    'find_disagreements': 'annotator.core.agreement.compute',
    'unitizing_alpha': 'annotator.core.agreement.compute',
    'ClaimItem': 'annotator.core.agreement.data',
    'Dataset': 'annotator.core.agreement.data',
    'SpanItem': 'annotator.core.agreement.data',
    'load_dataset': 'annotator.core.agreement.data',
    'PairwiseResult': 'annotator.core.agreement.pairs',
    'pair_reports': 'annotator.core.agreement.pairs',
    'pairwise_agreement': 'annotator.core.agreement.pairs',
}


__getattr__, __dir__ = lazy_names(__name__, _HOME, globals())

__all__ = [
    "AgreementResult",
    "AlphaResult",
    "ClaimGroup",
    "ClaimItem",
    "Dataset",
    "Disagreement",
    "PairwiseResult",
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
    "pair_reports",
    "pairwise_agreement",
    "reliability_label",
    "span_group_index",
    "unitizing_alpha",
]
