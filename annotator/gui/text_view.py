"""The report text: read-only, selectable by mouse and keyboard, with the coder's spans highlighted.

Offsets in and out of this widget are code points; Qt's UTF-16 positions stay inside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.offsets import Utf16Map
from annotator.core.queries import SpanRow


class ReportTextView(QPlainTextEdit):
    """Shows one report. ``caret_moved`` carries the caret position in code points."""

    caret_moved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # read-only, but the caret stays visible and keyboard selection works
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)
        self._map = Utf16Map("")
        self._text = ""
        self.cursorPositionChanged.connect(self._on_cursor)

    # ------------------------------------------------------------ content

    @property
    def text(self) -> str:
        return self._text

    def set_report_text(self, text: str) -> None:
        self._text = text
        self._map = Utf16Map(text)
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def highlight(self, spans: Iterable[SpanRow], colors: dict[str, str]) -> None:
        """Paint every span's background in its type's colour (one edit block for speed)."""
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        formats: dict[str, QTextCharFormat] = {}
        for span in spans:
            fmt = formats.get(span.type)
            if fmt is None:
                fmt = QTextCharFormat()
                color = QColor(colors.get(span.type, "#999999"))
                color.setAlpha(90)
                fmt.setBackground(color)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(colors.get(span.type, "#999999")))
                formats[span.type] = fmt
            cursor.setPosition(self._map.to_utf16(span.start))
            cursor.setPosition(self._map.to_utf16(span.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        cursor.endEditBlock()

    # ------------------------------------------------------------ positions (code points)

    def selection(self) -> tuple[int, int] | None:
        """The selected range in code points, or None when nothing is selected."""
        c = self.textCursor()
        if not c.hasSelection():
            return None
        a = self._map.to_codepoint(c.selectionStart())
        b = self._map.to_codepoint(c.selectionEnd())
        return (a, b) if a < b else None

    def caret(self) -> int:
        return self._map.to_codepoint(self.textCursor().position())

    def select_range(self, start: int, end: int) -> None:
        """Select ``start``..``end`` (code points) and scroll to it."""
        c = self.textCursor()
        c.setPosition(self._map.to_utf16(start))
        c.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)
        self.ensureCursorVisible()

    def _on_cursor(self) -> None:
        self.caret_moved.emit(self.caret())
