"""The form under the lists: the current span's type and values, or the current claim's slots and
attributes, under a title naming the object shown (in its type's colour)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import AttributeDef, ClaimTypeDef, Codebook, SpanTypeDef
from annotator.gui.attribute_form import AttributeForm
from annotator.gui.claim_panel import SlotTree
from annotator.gui.text_view import EVIDENCE_COLOR as CLAIM_COLOR

EMPTY, SPAN, CLAIM = 0, 1, 2

HINT = (
    "Select text and press a type's key (or a palette button) to tag it.\n"
    "Put the caret in a span to edit its values (Enter).\n"
    "Press a claim type's key to start a claim. F1 lists every key."
)


class FormPanel(QWidget):
    """Shows one object at a time: nothing, a span, or a claim (``page``)."""

    retag_requested = Signal(str)  # span type id
    delete_requested = Signal()

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.home: QWidget | None = None  # where the keyboard goes when the page it was on goes
        self.title = QLabel()
        self.title.setObjectName("form_title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.hint = QLabel()
        self.hint.setObjectName("form_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.hint.hide()

        self.span_type_box = QComboBox()
        self.span_type_box.setObjectName("span_type")
        for st in codebook.span_types:
            self.span_type_box.addItem(st.label, st.id)
        self.span_type_box.activated.connect(self._on_retag_box)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_requested.emit)
        head = QHBoxLayout()
        head.addWidget(self.span_type_box, 1)
        head.addWidget(self.delete_button)
        self.span_form = AttributeForm()
        self.span_form.setObjectName("span_form")
        span_page = QWidget()
        sp = QVBoxLayout(span_page)
        sp.setContentsMargins(0, 0, 0, 0)
        sp.addLayout(head)
        sp.addWidget(self.span_form, 1)

        self.slot_tree = SlotTree(span_labels={t.id: t.label for t in codebook.span_types})
        self.slot_tree.setObjectName("slots")
        self.claim_form = AttributeForm()
        self.claim_form.setObjectName("claim_form")
        claim_page = QWidget()
        cp = QVBoxLayout(claim_page)
        cp.setContentsMargins(0, 0, 0, 0)
        cp.addWidget(self.slot_tree, 2)
        cp.addWidget(self.claim_form, 1)

        self.empty_page = QLabel(HINT)
        self.empty_page.setWordWrap(True)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_page.setStyleSheet("color: #555; padding: 8px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(span_page)
        self.stack.addWidget(claim_page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        lay.addWidget(self.stack, 1)
        self._set_band(None)

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def flush(self) -> None:
        """Store what was typed in either form and not yet stored."""
        self.span_form.flush()
        self.claim_form.flush()

    def _switch(self, page: int) -> None:
        if page == self.stack.currentIndex():
            return
        self.flush()
        focus = self.focusWidget()
        had_focus = focus is not None and focus.hasFocus() and self.isAncestorOf(focus)
        self.stack.setCurrentIndex(page)
        if had_focus and self.home is not None:
            # never leave the keyboard in a field of the page that appeared
            self.home.setFocus()

    def _set_band(self, color: str | None) -> None:
        """The title in the colour of what is shown, so a coder sees at once span or claim."""
        if color == getattr(self, "_band", ""):
            return  # a style sheet set again is parsed and the title polished again
        self._band = color
        if color is None:
            self.title.setStyleSheet("padding: 4px;")
            return
        c = QColor(color)
        self.title.setStyleSheet(
            f"padding: 4px; border-left: 6px solid {color};"
            f" background: rgba({c.red()},{c.green()},{c.blue()},40);"
        )

    def _set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def prebuild(self, span_types: Sequence[SpanTypeDef], claim_types: Sequence[ClaimTypeDef]) -> None:
        """Build the fields of every type while the window is idle, one page per event-loop
        turn, so that no first tag of a type waits for them (and no key waits long)."""
        todo: list[tuple[AttributeForm, Sequence[AttributeDef]]] = []
        todo += [(self.span_form, st.attributes) for st in span_types]
        todo += [(self.claim_form, ct.attributes) for ct in claim_types if ct.attributes]

        def step() -> None:
            while todo:
                form, defs = todo.pop(0)
                if form.prebuild(defs):
                    QTimer.singleShot(0, self, step)  # dropped with the panel (a window reopened)
                    return

        QTimer.singleShot(0, self, step)

    def show_empty(self) -> None:
        self.title.setText("")
        self._set_hint("")
        self._set_band(None)
        self._switch(EMPTY)

    def show_span(
        self,
        span_type: SpanTypeDef | None,
        title: str,
        values: Mapping[str, Any],
        suggestions: Mapping[str, Any] | None,
        hint: str = "",
        owner: object = None,
    ) -> None:
        self.title.setText(title)
        self._set_hint(hint)
        self._set_band(span_type.color if span_type else "#888888")
        if span_type is not None:
            self.span_type_box.setCurrentIndex(self.span_type_box.findData(span_type.id))
        self.span_form.set_attributes(
            span_type.attributes if span_type else (), dict(values), suggestions, owner=owner
        )
        self.span_form.set_read_only(False)
        self._switch(SPAN)

    def show_claim(
        self,
        claim_type: ClaimTypeDef | None,
        title: str,
        slots: Mapping[str, list[int] | str],
        describe: Mapping[int, str],
        missing: set[str],
        attributes: Mapping[str, Any],
        hint: str = "",
        owner: object = None,
    ) -> None:
        self.title.setText(title)
        self._set_hint(hint)
        self._set_band(CLAIM_COLOR)
        self.slot_tree.show_claim(claim_type, slots, describe, missing)
        self.claim_form.set_attributes(
            claim_type.attributes if claim_type else (), dict(attributes), owner=owner
        )
        self._switch(CLAIM)

    def focus_first(self) -> None:
        if self.page == SPAN:
            self.span_form.focus_first()
        elif self.page == CLAIM:
            self.claim_form.focus_first()

    def _on_retag_box(self, index: int) -> None:
        type_id = self.span_type_box.itemData(index)
        if type_id:
            self.retag_requested.emit(str(type_id))
