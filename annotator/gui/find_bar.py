"""The find bar under the report text (Ctrl+F, F3 / Shift+F3, Enter, Shift+Enter, Esc)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget


class _FindEdit(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous one."""

    find_requested = Signal(bool)  # backward
    escape_pressed = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()  # Esc closes the bar, before the window's Esc
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.find_requested.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            event.accept()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """A search field; ``find_requested(text, backward)`` asks the text view to move there."""

    find_requested = Signal(str, bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = _FindEdit()
        self.edit.setObjectName("find")
        self.edit.setPlaceholderText("Find in the report (Enter: next, Shift+Enter: previous, Esc: close)")
        self.edit.find_requested.connect(lambda back: self.find_requested.emit(self.edit.text(), back))
        self.edit.escape_pressed.connect(self.close_bar)
        self.status = QLabel()
        lay.addWidget(QLabel("Find:"))
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.status)
        self.hide()

    def open_bar(self, initial: str | None = None) -> None:
        self.show()
        if initial:
            self.edit.setText(initial)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def find_again(self, backward: bool) -> None:
        """F3 / Shift+F3: search again, or open the bar when it is closed."""
        if not self.isVisible():
            self.open_bar()
            return
        self.find_requested.emit(self.edit.text(), backward)

    def show_result(self, found: bool) -> None:
        self.status.setText("" if found else "not found")
