"""Claim drafts: a proposed claim record built from the spans of one sentence and its neighbours.

Pure Python, no Qt. :func:`propose_draft` reads a report's text, a caret position or a selection
(code points), the coder's spans and the suggested spans, and proposes the slots of an attack
claim (perpetrator, target, location, date, casualties, claimant) and its attributes (stance,
event type, stage) with the reason for each. :func:`accept_draft` turns an accepted draft into
one undoable command: it accepts the suggestions the draft uses (AddSpan), creates the claim
(CreateClaim), fills its slots (AddToSlot) and sets its attributes (SetClaimAttribute), so that
one ``Project.run`` stores it all and one undo takes it all back. :func:`draft_at` does the
reading for a project. The rules are documented in docs/drafts.md.
"""

from annotator.core.drafts.accept import AcceptDraft, accept_draft, draft_at
from annotator.core.drafts.model import Draft, DraftSpan
from annotator.core.drafts.rules import propose_draft
from annotator.core.drafts.sentences import sentence_at, sentences

__all__ = [
    "AcceptDraft",
    "Draft",
    "DraftSpan",
    "accept_draft",
    "draft_at",
    "propose_draft",
    "sentence_at",
    "sentences",
]
