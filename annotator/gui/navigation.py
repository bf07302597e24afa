"""Moving around the report and choosing what the keys act on: the span under the caret (or the
one a selection or find landed on), next / previous span, jump labels, selecting spans and
claims from the lists, Esc, the find bar and the context menu. Mixed into MainWindow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem

from annotator.core.commands import DeleteSpan, SetSpanType
from annotator.core.queries import SpanRow

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object

_ID = Qt.ItemDataRole.UserRole


class Navigation(_Base):
    # ---------------------------------------------------------------- selection of items

    def span_at(self, pos: int) -> SpanRow | None:
        """The innermost span of this coder containing code point ``pos``."""
        hits = self.text.spans_at(pos)
        return self._span_by_id.get(hits[0].id) if hits else None

    def step_span(self, delta: int) -> None:
        """Make the next (1) or previous (-1) span in the text current."""
        if not self._spans:
            self.statusBar().showMessage("No spans in this report yet.", 3000)
            return
        here = self.current_span
        pos = here.start if here is not None else self.text.caret()
        if delta > 0:
            nxt = next((s for s in self._spans if s.start > pos or (here is None and s.start >= pos)), self._spans[0])
        else:
            before = [s for s in self._spans if s.start < pos]
            nxt = before[-1] if before else self._spans[-1]
        self.select_span(nxt.id)

    def jump(self, extend: bool = False) -> None:
        """Label every word in view; the label typed next selects (or extends to) that word."""
        self.text.setFocus()
        if not self.jumper.start(extend):
            self.statusBar().showMessage("No words in view to jump to.", 3000)
        else:
            self.statusBar().showMessage(
                "Type a word's label to " + ("extend the selection to it" if extend else "select it")
                + " (Esc: stay)", 4000,
            )

    def span_under_caret(self) -> SpanRow | None:
        """The span the keys act on: the one the selection covers exactly (as find leaves it),
        else the innermost one at the caret or just before it."""
        sel = self.text.selection()
        if sel is not None:
            covering = self._spans_covering(sel[0])
            exact = [s for s in covering if (s.start, s.end) == sel]
            if exact:
                return exact[0]
            inside = [s for s in covering if s.end >= sel[1]]
            return inside[0] if inside else None
        pos = self.text.caret()
        span = self.span_at(pos)
        if span is None and pos > 0:
            span = self.span_at(pos - 1)  # the caret right after a span's last character
        return span

    def _spans_covering(self, pos: int) -> list[SpanRow]:
        return [self._span_by_id[h.id] for h in self.text.spans_at(pos) if h.id in self._span_by_id]

    def _on_caret(self, _pos: int) -> None:
        span = self.span_under_caret()
        new_id = span.id if span else None
        if new_id != self.current_span_id:
            self.form.flush()  # typed values belong to the span they were typed for
            self.current_span_id = new_id
            self.after_frame.later(self._select_listed_span, "select span")  # after the text
            if span is not None:
                self.form_target = "span"
                if self.current_claim_id is None:
                    self.tabs.setCurrentIndex(0)
            self._show_form()

    def _select_row(self, view: QTreeWidget, item_id: int | None) -> None:
        view.blockSignals(True)
        view.clearSelection()
        for i in range(view.topLevelItemCount()):
            item = view.topLevelItem(i)
            if item is not None and item.data(0, _ID) == item_id:
                view.setCurrentItem(item)
                view.scrollToItem(item)
                break
        view.blockSignals(False)

    def _on_span_index(self, index: QModelIndex, _prev: object = None) -> None:
        if index.isValid():
            self.select_span(int(self.span_model.rows[index.row()].id), focus_text=False)

    def select_span(self, span_id: int, focus_text: bool = True) -> None:
        span = self._span_by_id.get(span_id)
        if span is None:
            return
        self.form.flush()
        self.current_span_id = span_id
        self.form_target = "span"
        self.text.blockSignals(True)
        self.text.select_range(span.start, span.start)
        self.text.blockSignals(False)
        self.after_frame.later(self._select_listed_span, "select span")  # after the text
        if self.current_claim_id is None:
            self.tabs.setCurrentIndex(0)
        self._show_form()
        if focus_text:
            self.text.setFocus()

    def _on_claim_item(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.select_claim(int(item.data(0, _ID)))

    def select_claim(self, claim_id: int) -> None:
        self.form.flush()
        self.current_claim_id = claim_id
        self.form_target = "claim"
        claim = self.current_claim
        if claim is not None:
            self.tabs.setCurrentIndex(1)
            # the claims list's row follows the form a frame later, after the list's own update
            # (a new claim's row is added there): reading the list here would fill it in the key
            self.after_frame.later(self._select_listed_claim, "select claim")
            self._show_form()

    def _select_listed_claim(self) -> None:
        if self.current_claim_id is not None:
            self._select_row(self._claims_view, self.current_claim_id)

    def escape(self) -> None:
        """Esc, from anywhere: back to the text; there, clear the selection, then close the claim."""
        self.form.flush()
        in_text = self.text.hasFocus()
        self.text.setFocus()
        if self.find_bar.isVisible():
            self.find_bar.hide()
            return
        if not in_text:
            return
        if self.drop_draft():
            return
        c = self.text.textCursor()
        if c.hasSelection():
            c.clearSelection()
            self.text.setTextCursor(c)
            return
        if self.current_claim_id is not None:
            self.current_claim_id = None
            self.form_target = "span"
            self.claims_view.clearSelection()
            self._show_form()

    # ---------------------------------------------------------------- find

    def open_find(self) -> None:
        sel = self.text.selection()
        self.find_bar.open_bar(self.report_text[sel[0] : sel[1]] if sel is not None else None)

    def close_find(self) -> None:
        self.find_bar.hide()
        self.text.setFocus()
        self._on_caret(self.text.caret())

    def find_next(self, backward: bool) -> None:
        self.find_bar.find_again(backward)

    def _find(self, needle: str, backward: bool) -> None:
        self.find_bar.show_result(self.text.find_text(needle, backward))

    # ---------------------------------------------------------------- context menu

    def _context_menu(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        pos = self.text.position_at(event.pos().x(), event.pos().y())
        if self.text.selection() is not None:
            for st in self.codebook.span_types:
                menu.addAction(self.tag_actions[st.id])
        span = self.span_at(pos)
        if span is not None:
            self.select_span(span.id)
            retag = menu.addMenu("Retag as")
            for st in self.codebook.span_types:
                if st.id != span.type:
                    a = retag.addAction(st.label)
                    a.triggered.connect(lambda _c=False, t=st.id, sid=span.id: self._run(SetSpanType(sid, t)))
            d = menu.addAction("Delete span")
            d.triggered.connect(lambda _c=False, sid=span.id: self._run(DeleteSpan(sid)))
            claim = self.current_claim
            if claim is not None:
                ct = self.codebook.claim_type(claim.type)
                fill = menu.addMenu(f"Put in a slot of {claim.key}")
                for sd in ct.slots if ct else ():
                    if span.type in sd.accepts:
                        a = fill.addAction(sd.label)
                        a.triggered.connect(lambda _c=False, s=sd.id, sid=span.id: self.fill_slot(s, sid))
        menu.addSeparator()
        for ct in self.codebook.claim_types:
            menu.addAction(self.claim_actions[ct.id])
        menu.addSeparator()
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menu.exec(event.globalPos())
