"""Claim drafts in the window: Shift+claim key proposes a claim from the sentence under the
caret (core drafts.py does the reading); Enter accepts it; while it is shown a slot key puts the
span under the caret into that slot of the draft, Shift+slot key clears the slot, Esc drops it.

The drafting rules load with the first draft (the warm-up thread loads them after the window's
start: annotator.core.warmup), not with the window."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from annotator.core.summary import claim_summary, span_value

if TYPE_CHECKING:
    from annotator.core.drafts import Draft, DraftSpan
    from annotator.core.queries import ClaimRow
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object


class _Shown:
    """A draft span as span_value reads it."""

    def __init__(self, s: DraftSpan) -> None:
        self.type, self.text, self.attributes = s.type, s.text, dict(s.attributes)


class Drafting(_Base):
    """Mixed into MainWindow; ``self._draft`` is the draft on show, or None."""

    _draft: Draft | None = None
    _strip_open: bool | None  # the claim strip shows an open claim or draft (None: not set yet)

    def propose_draft(self, claim_type: str) -> None:
        if self.report_id is None:
            return
        self.form.flush()
        sel = self.text.selection()
        start, end = (sel[0], sel[1]) if sel else (self.text.caret(), None)
        if not self.scan_on:  # the draft uses suggested spans: show them, so keys can reach them
            self.toggle_scan()
        from annotator.core.drafts import draft_at

        try:
            draft = draft_at(
                self.project, self.report_id, self.coder_id, start, end, claim_type,
                suggestions=self._suggestions,
            )
        except Exception as exc:  # noqa: BLE001 - a draft is a help, never a blocker
            self.statusBar().showMessage(f"No draft: {exc}", 6000)
            return
        if draft is None or draft.is_empty():
            self.statusBar().showMessage("Nothing in this sentence to draft a claim from.", 5000)
            return
        self._draft = draft
        self._show_draft()

    def draft_slot(self, slot: str) -> bool:
        """A slot key while a draft shows: the span (or suggestion) under the caret goes there."""
        if self._draft is None:
            return False
        from annotator.core.drafts import DraftSpan

        span = self.span_under_caret()
        if span is not None:
            pick = DraftSpan(span.type, span.start, span.end, span.text, dict(span.attributes), span.id)
        else:
            index = self.suggestion_under_caret()
            if index is None:
                self.statusBar().showMessage("Put the caret in a span to put it into the draft.", 4000)
                return True
            pick = DraftSpan.from_suggestion(self._suggestions[index])
        self._draft = self._draft.with_slot(slot, [pick], "chosen by the coder")
        self._show_draft()
        return True

    def draft_clear(self, slot: str) -> bool:
        if self._draft is None:
            return False
        self._draft = self._draft.without(slot)
        self._show_draft()
        return True

    def accept_current_draft(self) -> bool:
        if self._draft is None or self.report_id is None:
            return False
        from annotator.core.drafts import accept_draft

        cmd = accept_draft(self._draft, self.report_id, self.coder_id)
        self._draft = None
        if self._run(cmd):
            self.select_claim(cmd.claim_id)
        else:
            self._show_claim_strip(self.current_claim)
        return True

    def drop_draft(self) -> bool:
        if self._draft is None:
            return False
        self._draft = None
        self._show_form()
        return True

    def _show_draft(self) -> None:
        draft = self._draft
        if draft is None:
            return
        ct = self.codebook.claim_type(draft.claim_type)
        parts = []
        for sd in ct.slots if ct else ():
            spans = draft.slots.get(sd.id)
            if spans:
                shown = " & ".join(span_value(_Shown(s), self.codebook) or s.text for s in spans)
                new = "*" if any(s.is_suggestion for s in spans) else ""
                parts.append(f"{sd.hotkey or '?'} {sd.label}: {shown}{new}")
        for ad in ct.attributes if ct else ():
            if ad.id in draft.attributes:
                parts.append(f"{ad.label}: {str(draft.attributes[ad.id]).replace('_', ' ')}")
        self.claim_strip.setText(
            f"Draft {ct.label if ct else draft.claim_type}:  " + "  ·  ".join(parts)
            + "\nEnter accepts · slot key: the span at the caret into that slot · Shift+slot key: "
            "clear it · Esc: drop the draft   (* a suggested span, accepted with the draft)"
        )
        self._set_strip_open(True)
        evidence = [(s.start, s.end) for spans in draft.slots.values() for s in spans]
        self.text.emphasize(None, evidence)

    # ---------------------------------------------------------------- the strip above the text

    def _show_claim_strip(self, claim: ClaimRow | None) -> None:
        """The open claim stays in view above the text: slot keys fill it (a draft shows there
        while it waits for Enter)."""
        if self._draft is not None:
            self._show_draft()
            return
        if claim is None:
            self._set_strip_open(False)
            self.claim_strip.setText(self._no_claim_text())
            return
        ct = self.codebook.claim_type(claim.type)
        keys = "  ".join(f"{sd.hotkey} {sd.label}" for sd in (ct.slots if ct else ()) if sd.hotkey)
        summary = claim_summary(claim, self._span_by_id, self.codebook)
        self.claim_strip.setText(
            f"Open claim {claim.key} {ct.label if ct else claim.type}: {summary}\n"
            f"{keys} · Shift+key: not reported · Esc: close"
        )
        self._set_strip_open(True)

    def _set_strip_open(self, on: bool) -> None:
        """An open claim or draft in plain text, the hint for none in grey: one style sheet for
        both (set once; setting another parsed it and polished the strip on every claim)."""
        if on == self._strip_open:
            return
        self._strip_open = on
        self.claim_strip.setTextFormat(Qt.TextFormat.PlainText if on else Qt.TextFormat.RichText)

    def _no_claim_text(self) -> str:
        types = [ct for ct in self.codebook.claim_types if ct.hotkey]
        keys = ", ".join(f"<b>{escape(str(ct.hotkey))}</b> {escape(ct.label)}" for ct in types)
        drafts = ", ".join(f"<b>Shift+{escape(str(ct.hotkey).upper())}</b>" for ct in types)
        return (f'<span style="color:#555555">No open claim. Start one: {keys or "Claim menu"}'
                + (f"<br>or draft one from the sentence at the caret: {drafts}" if drafts else "")
                + "</span>")

    @property
    def claim_open_shown(self) -> bool:
        """True while the strip shows an open claim or a draft."""
        return bool(self._strip_open)
