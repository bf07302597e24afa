"""The coding actions of the window: tag, retag, delete, claims and slots, suggested values and
suggested spans. Each builds a core Command and runs it through the Project; the view refreshes
from the change notification (main_window._on_changes), never from here."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.core.codebook import NOT_REPORTED
from annotator.core.commands import (
    AcceptIntoSlot,
    AddSpan,
    AddToSlot,
    Batch,
    Command,
    CommandError,
    CreateClaim,
    DeleteClaim,
    DeleteSpan,
    RemoveFromSlot,
    SetClaimAttribute,
    SetNotReported,
    SetSpanAttribute,
    SetSpanType,
)
from annotator.core.offsets import snap_to_words
from annotator.core.storage import StorageError
from annotator.core.warmup import warming
from annotator.gui.text_view import PaintedSpan

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object


class CodingActions(_Base):
    """Mixed into MainWindow; the state it reads (report, spans, current span and claim) is the
    window's (declared in window_host.WindowHost)."""

    def _run(self, cmd: Command, coalesce: Hashable | None = None, *,
             show_form: bool = True) -> bool:
        """Run ``cmd``; ``show_form`` False: the caller shows the form itself afterwards (for
        what the command made), so the change's reload does not show it first."""
        self.last_storage_error = None
        self._form_deferred = not show_form
        try:
            self.project.run(cmd, coalesce=coalesce)
        except CommandError as exc:
            self.statusBar().showMessage(f"Not done: {exc}", 8000)
            QApplication.beep()
            return False
        except StorageError as exc:  # locked, read-only, disk full: say so, keep the screen
            self.last_storage_error = exc
            self.storage_banner.setText(
                f"Not stored: {exc}" + ("  Trying again…" if exc.retry else "")
            )
            self.storage_banner.show()
            QApplication.beep()
            return False
        finally:
            self._form_deferred = False
        if self.storage_banner.isVisible():
            self.storage_banner.hide()
        return True

    # ---------------------------------------------------------------- spans

    def tag_selection(self, type_id: str) -> None:
        """Tag the selection (snapped to words unless Alt is held), or retag the current span."""
        if self.report_id is None:
            return
        sel = self.text.selection()
        if sel is None:
            span = self.current_span
            if span is not None and span.type != type_id:
                self._prefill.pop(span.id, None)  # suggested for the old type
                self._run(SetSpanType(span.id, type_id))
            elif span is None:
                self.statusBar().showMessage("Select some text first, then press the type's key.", 4000)
            return
        exact = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier) or self.text.alt_at_selection
        start, end = sel if exact else snap_to_words(self.report_text, *sel)
        if start >= end:  # only spaces and punctuation: say so (a silent key looks lost)
            self.statusBar().showMessage(
                "No word in the selection to tag (Alt with the key tags it exactly).", 4000)
            return
        # a span with these bounds covers their start: look there (a report may hold 10,000)
        same = min((s for pos in {start, sel[0]} for s in self._spans_covering(pos)
                    if (s.start, s.end) in ((start, end), sel)),
                   key=lambda s: (s.start, s.end, s.id), default=None)  # the first in text order
        if same is not None:  # the selection is a span already (find lands on one): retag it
            self.select_span(same.id)
            if same.type != type_id:
                self._prefill.pop(same.id, None)  # suggested for the old type
                self._run(SetSpanType(same.id, type_id))
            else:  # nothing to do, but the key is answered (the screen did not change)
                st = self.codebook.span_type(type_id)
                self.statusBar().showMessage(
                    f"“{same.text}” is already {st.label if st else type_id} ({same.key})", 4000)
            return
        cmd = AddSpan(self.report_id, self.coder_id, type_id, start, end)
        if self._run(cmd, show_form=False):  # shown once below
            self.current_span_id = cmd.span_id
            self.form_target = "span"
            self.text.blockSignals(True)
            self.text.select_range(end, end)
            self.text.blockSignals(False)
            self.after_frame.later(self._select_listed_span, "select span")  # after its row
            if self.current_claim_id is None:
                self.tabs.setCurrentIndex(0)
            self._show_form()
            # the suggested values (the normalizers: a date can take 20 ms) fill the form on
            # the next turn, once the span and its form are on screen; a key that reads them
            # (Enter, F2, ] and [) catches up first
            report_id, span_id = self.report_id, cmd.span_id
            self.after_frame.later(lambda: self._suggest_values(report_id, span_id, type_id, start, end))

    def _suggest_values(self, report_id: int, span_id: int, type_id: str, start: int, end: int,
                        now: bool = False) -> None:
        """Show the suggested values for the span just tagged (if it is still the one shown).
        While the warm-up runs (the first seconds after start) they wait for it, unless ``now``
        (a key reads them): the normalizers' first use would import and compile dateparser's
        tables on this thread, or wait here for the warm-up's own import."""
        if span_id not in self._span_by_id or self.report_id != report_id:
            return  # undone, or another report opened meanwhile
        if not now and warming():
            self._suggest_later = (report_id, span_id, type_id, start, end)
            QTimer.singleShot(50, self._suggest_when_warm)
            return
        try:
            alternatives = self.project.prefill(report_id, type_id, start, end)
        except Exception as exc:  # noqa: BLE001 - a normalizer failing must never cost the span
            alternatives = []
            self.statusBar().showMessage(f"No suggestion: {exc}", 5000)
        if alternatives:
            self._prefill[span_id] = (alternatives, 0)
            span = self.current_span
            if span is not None and span.id == span_id and span.type == type_id:
                self._show_form()

    def _suggest_when_warm(self) -> None:
        job = self._suggest_later
        if job is None:
            return
        if warming():
            QTimer.singleShot(50, self._suggest_when_warm)
            return
        self._suggest_later = None
        self._suggest_values(*job, now=True)

    def catch_up_suggestions(self) -> None:
        """The suggested values of the span just tagged, now (a key reads them)."""
        self.after_frame.catch_up()
        job, self._suggest_later = self._suggest_later, None
        if job is not None:
            self._suggest_values(*job, now=True)

    def retag_current(self, type_id: str) -> None:
        span = self.current_span
        if span is not None and type_id != span.type:
            self._prefill.pop(span.id, None)
            self._run(SetSpanType(span.id, type_id))

    def _on_span_attribute(self, attribute: str, value: object) -> None:
        # stored for the span the value was typed for, even if the caret has moved on since
        form = self.form.span_form
        owner = form.owner
        if isinstance(owner, tuple) and owner[0] == "span":
            if not self._run(SetSpanAttribute(owner[1], attribute, value), form.edit_key(attribute)):
                if self.last_storage_error is not None:
                    form.keep_unsaved(attribute, self.last_storage_error.retry)

    def _on_claim_attribute(self, attribute: str, value: object) -> None:
        form = self.form.claim_form
        owner = form.owner
        if isinstance(owner, tuple) and owner[0] == "claim":
            if not self._run(SetClaimAttribute(owner[1], attribute, value), form.edit_key(attribute)):
                if self.last_storage_error is not None:
                    form.keep_unsaved(attribute, self.last_storage_error.retry)

    def delete_current(self) -> None:
        if self.claims_view.hasFocus() and self.current_claim is not None:
            self._run(DeleteClaim(self.current_claim.id))
            return
        span = self.current_span
        if span is None:
            span = self.span_at(self.text.caret())
        if span is None:
            index = self.suggestion_under_caret()
            if index is not None:
                self.reject_suggestion(index)
                return
            self.statusBar().showMessage("Put the caret inside a span to delete it.", 4000)
            return
        self._run(DeleteSpan(span.id))

    # ---------------------------------------------------------------- claims and slots

    def new_claim(self, type_id: str) -> None:
        if self.report_id is None:
            return
        cmd = CreateClaim(self.report_id, self.coder_id, type_id)
        if self._run(cmd, show_form=False):  # select_claim below shows its form
            self.current_claim_id = cmd.claim_id
            self.tabs.setCurrentIndex(1)
            self.select_claim(cmd.claim_id)
            self.text.setFocus()
            ct = self.codebook.claim_type(type_id)
            keys = ", ".join(f"{s.hotkey} {s.label}" for s in (ct.slots if ct else ()) if s.hotkey)
            self.statusBar().showMessage(f"New claim: put the caret in a span and press a slot key ({keys}).", 8000)

    def _slot_for_key(self, key: str) -> str | None:
        claim = self.current_claim
        if claim is None:
            self.statusBar().showMessage("Start or select a claim first (a claim type's key).", 5000)
            return None
        ct = self.codebook.claim_type(claim.type)
        slot = next((sd.id for sd in (ct.slots if ct else ()) if sd.hotkey == key), None)
        if slot is None:
            self.statusBar().showMessage(f"A {claim.type} claim has no slot on key {key}.", 5000)
        return slot

    def _draft_slot_for_key(self, key: str) -> str | None:
        draft = self._draft
        ct = self.codebook.claim_type(draft.claim_type) if draft is not None else None
        return next((sd.id for sd in (ct.slots if ct else ()) if sd.hotkey == key), None)

    def _on_slot_key(self, key: str, in_draft: Callable[[str], object],
                     in_claim: Callable[[str], object]) -> None:
        """A slot key acts on the draft on show, else on the open claim."""
        slot = self._draft_slot_for_key(key) if self._draft is not None else self._slot_for_key(key)
        if slot is not None:
            (in_draft if self._draft is not None else in_claim)(slot)

    def fill_slot_key(self, key: str) -> None:
        self._on_slot_key(key, self.draft_slot, self.fill_slot)

    def toggle_not_reported_key(self, key: str) -> None:
        self._on_slot_key(key, self.draft_clear, self.toggle_not_reported)

    def fill_slot(self, slot: str, span_id: int | None = None) -> None:
        claim = self.current_claim
        if claim is None:
            self.statusBar().showMessage("Start or select a claim first (a claim type's key).", 5000)
            return
        if span_id is None:
            span = self.current_span or self.span_at(self.text.caret())
            if span is None:
                index = self.suggestion_under_caret()
                if index is not None:  # a suggested span: accept it with its values, into the slot
                    s = self._suggestions[index]
                    assert self.report_id is not None
                    add = AddSpan(self.report_id, self.coder_id, s.type, s.start, s.end, s.attributes)
                    if self._run(AcceptIntoSlot(add, claim.id, slot)):
                        self.form_target = "claim"
                        self.select_claim(claim.id)
                    return
                self.statusBar().showMessage("Put the caret in a span to put it in the slot.", 5000)
                return
            span_id = span.id
        if self._run(AddToSlot(claim.id, slot, span_id)):
            self.tabs.setCurrentIndex(1)
            self.select_claim(claim.id)

    def _remove_from_slot(self, slot: str, span_id: int) -> None:
        claim = self.current_claim
        if claim is not None:
            self._run(RemoveFromSlot(claim.id, slot, span_id))

    def toggle_not_reported(self, slot: str) -> None:
        claim = self.current_claim
        if claim is None:
            self.statusBar().showMessage("Start or select a claim first (a claim type's key).", 5000)
            return
        marked = claim.slots.get(slot) == NOT_REPORTED
        self.form_target = "claim"
        self._run(SetNotReported(claim.id, slot, not marked))

    # ---------------------------------------------------------------- suggested values

    def enter(self) -> None:
        """Enter: accept the draft on show, or what is suggested here (values, or a suggested
        span), else edit."""
        if self.accept_current_draft():
            return
        self.catch_up_suggestions()  # the suggested values of a span just tagged
        span = self.current_span
        if span is not None and span.id in self._prefill:
            self.form.span_form.accept_suggestions()
            return
        if span is None:
            index = self.suggestion_under_caret()
            if index is not None:
                self.accept_suggestion(index)
                return
        self.focus_form()

    def _on_span_suggestions_accepted(self, values: dict[str, Any]) -> None:
        span = self.current_span
        if span is None:
            return
        self._prefill.pop(span.id, None)
        cmds: list[Command] = [SetSpanAttribute(span.id, k, v) for k, v in values.items()]
        if cmds:
            self._run(Batch("Accept suggested values", cmds))

    def cycle_prefill(self, step: int) -> None:
        self.catch_up_suggestions()
        span = self.current_span
        if span is None or span.id not in self._prefill:
            self.statusBar().showMessage("No suggested values for this span.", 3000)
            return
        alternatives, shown = self._prefill[span.id]
        self._prefill[span.id] = (alternatives, (shown + step) % len(alternatives))
        self._show_span_form(span)

    # ---------------------------------------------------------------- suggested spans

    def toggle_scan(self) -> None:
        self.scan_on = not self.scan_on
        self._rescan()
        if self.scan_on:
            self.tabs.setCurrentIndex(2)
            self.statusBar().showMessage(
                f"{len(self._suggestions)} suggested span(s): caret in one, then Enter accepts, Delete rejects",
                8000,
            )

    def _rescan(self) -> None:
        self._suggestions = []
        if self.scan_on and self.report_id is not None:
            try:
                self._suggestions = self.project.suggestions(self.report_id, self.coder_id)
            except Exception as exc:  # noqa: BLE001 - the scan is a help, never a blocker
                self.statusBar().showMessage(f"The scan failed: {exc}", 8000)
        labels = self.suggestions_view.labels
        self.text.set_suggestions(
            PaintedSpan(k, s.type, s.start, s.end, f"{labels.get(s.type, s.type)}: {s.text}")
            for k, s in enumerate(self._suggestions)
        )
        self.suggestions_view.show_suggestions(self._suggestions)
        self.tabs.setTabText(2, f"Suggestions ({len(self._suggestions)})" if self.scan_on else "Suggestions")

    def suggestion_under_caret(self) -> int | None:
        """The index of the suggested span at the caret (or the one the selection is)."""
        sel = self.text.selection()
        if sel is not None:
            for k, s in enumerate(self._suggestions):
                if (s.start, s.end) == sel:
                    return k
        caret = self.text.caret()
        sug = self.text.suggestion_at(caret)
        if sug is None and caret > 0:
            sug = self.text.suggestion_at(caret - 1)
        return None if sug is None else int(sug.id)

    def step_suggestion(self, delta: int) -> None:
        """Select the next (1) or previous (-1) suggested span; scans first if needed."""
        if not self.scan_on:
            self.toggle_scan()
        if not self._suggestions:
            self.statusBar().showMessage("No suggested spans in this report.", 4000)
            return
        caret = self.text.caret()
        here = self.suggestion_under_caret()
        starts = [s.start for s in self._suggestions]
        if delta > 0:
            k = next((i for i, st in enumerate(starts) if st > caret and i != here), None)
            k = 0 if k is None else k
        else:
            before = [i for i, st in enumerate(starts) if st < (self._suggestions[here].start if here is not None else caret)]
            k = before[-1] if before else len(starts) - 1
        s = self._suggestions[k]
        self.text.select_range(s.start, s.end)
        self.statusBar().showMessage(
            "Suggested: Enter accepts, Delete rejects, a slot key puts it into the open claim", 4000
        )

    def _on_suggestion_chosen(self, index: int) -> None:
        if 0 <= index < len(self._suggestions):
            s = self._suggestions[index]
            self.text.select_range(s.start, s.start)

    def accept_suggestion(self, index: int) -> None:
        s = self._suggestions[index]
        if self.report_id is None:
            return
        cmd = AddSpan(self.report_id, self.coder_id, s.type, s.start, s.end, s.attributes)
        if self._run(cmd):
            self.select_span(cmd.span_id)

    def accept_all_suggestions(self) -> None:
        if self.report_id is None or not self._suggestions:
            return
        cmds: list[Command] = [
            AddSpan(self.report_id, self.coder_id, s.type, s.start, s.end, s.attributes)
            for s in self._suggestions
        ]
        self._run(Batch(f"Accept {len(cmds)} suggested spans", cmds))

    def reject_suggestion(self, index: int) -> None:
        s = self._suggestions[index]
        if self.report_id is not None:
            from annotator.core.assist import RejectSuggestions  # the normalizers load on first use

            self._run(RejectSuggestions(self.report_id, self.coder_id, [(s.type, s.start, s.end)]))

    def reject_all_suggestions(self) -> None:
        if self.report_id is None or not self._suggestions:
            return
        items = [(s.type, s.start, s.end) for s in self._suggestions]
        from annotator.core.assist import RejectSuggestions

        self._run(RejectSuggestions(self.report_id, self.coder_id, items))
