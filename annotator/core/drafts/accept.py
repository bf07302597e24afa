"""Storing an accepted draft in one undoable step, and drafting for a project."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook
from annotator.core.commands import (
    AddSpan,
    AddToSlot,
    Batch,
    Changes,
    CommandError,
    Context,
    CreateClaim,
    SetClaimAttribute,
)

if TYPE_CHECKING:
    from annotator.core.normalize import Suggestion
    from annotator.core.project import Project
from annotator.core.drafts.model import Draft, DraftSpan
from annotator.core.drafts.rules import propose_draft

# ---------------------------------------------------------------------------------------------
# Accepting


class AcceptDraft(Batch):
    """Store a draft as the coder's claim in one undoable step: AddSpan for each suggestion it
    uses (once, even when it fills two slots), CreateClaim, AddToSlot for every slot entry and
    SetClaimAttribute for every attribute. ``claim_id`` is the new claim's id after it ran."""

    def __init__(self, draft: Draft, report_id: int, coder_id: int) -> None:
        super().__init__(f"Accept draft {draft.claim_type} claim", [])
        self.draft, self.report_id, self.coder_id = draft, report_id, coder_id
        self._claim: CreateClaim | None = None

    @property
    def claim_id(self) -> int:
        if self._claim is None:
            raise CommandError("the draft has not been accepted yet")
        return self._claim.claim_id

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if self.commands:  # redo: the same rows again
            return super().do(conn, ctx)
        if not self.draft.slots:
            raise CommandError("the draft has no slot filled")
        changes = Changes(self.label)

        def step(cmd: Any) -> None:
            changes.merge(cmd.do(conn, ctx))
            self.commands.append(cmd)

        added: dict[tuple[str, int, int], int] = {}
        for items in self.draft.slots.values():
            for d in items:
                if d.is_suggestion and d.key not in added:
                    add = AddSpan(self.report_id, self.coder_id, d.type, d.start, d.end,
                                  _valid_span_attributes(ctx.codebook, d))
                    step(add)
                    added[d.key] = add.span_id
        claim = CreateClaim(self.report_id, self.coder_id, self.draft.claim_type)
        step(claim)
        self._claim = claim
        for slot, items in self.draft.slots.items():
            for d in items:
                span_id = d.span_id if d.span_id is not None else added[d.key]
                step(AddToSlot(claim.claim_id, slot, span_id))
        for name, value in self.draft.attributes.items():
            step(SetClaimAttribute(claim.claim_id, name, value))
        ct = ctx.codebook.claim_type(self.draft.claim_type)
        self.label = f"Accept draft {ct.label if ct else self.draft.claim_type} claim"
        changes.label = self.label
        return changes


def _valid_span_attributes(codebook: Codebook, d: DraftSpan) -> dict[str, Any]:
    """The suggested attributes the codebook accepts for the span type (others dropped)."""
    st = codebook.span_type(d.type)
    if st is None:
        return {}
    out = {}
    for k, v in d.attributes.items():
        ad = st.attribute(k)
        if ad is not None and v is not None and ad.check(v) is None:
            out[k] = v
    return out


def accept_draft(draft: Draft, report_id: int, coder_id: int) -> AcceptDraft:
    """The command that stores ``draft`` for a coder: ``project.run(accept_draft(...))``."""
    return AcceptDraft(draft, report_id, coder_id)


# ---------------------------------------------------------------------------------------------
# For a project


def draft_at(
    project: Project,
    report_id: int,
    coder_id: int,
    start: int,
    end: int | None = None,
    claim_type: str = "attack",
    suggestions: Sequence[Suggestion] | None = None,
) -> Draft | None:
    """A draft for the sentence under the caret (``start``) or a selection (``start``..``end``)
    of a report, from the coder's spans and the scan's suggestions (pass ``suggestions`` when
    the window already holds them, to skip the scan)."""
    text = project.report(report_id).text
    own = [DraftSpan(r.type, r.start, r.end, r.text, dict(r.attributes or {}), r.id)
           for r in project.spans(report_id, coder_id)]  # fmt: skip
    if suggestions is None:
        suggestions = project.suggestions(report_id, coder_id)
    sugg = [DraftSpan.from_suggestion(s) for s in suggestions]
    return propose_draft(text, start, end, own, sugg, project.codebook, claim_type)
