"""Jump to any word in view with two or three keys, as keyboard browsers label links.

``j`` shows a short label on every word in view; typing a label selects that word. ``Shift+J``
does the same but extends the selection from where it starts to the labelled word, so a phrase
of any length is two jumps. Esc (or a key no label starts with) leaves without moving.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

# home row first: the labels a coder types most are the easiest to reach
ALPHABET = "asdfghjklqwertyuiopzxcvbnm"
_WORD = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")


def labels_for(n: int) -> list[str]:
    """``n`` distinct labels, none a prefix of another: one letter each when they fit, else two."""
    if n <= len(ALPHABET):
        return list(ALPHABET[:n])
    return ["".join(p) for p in product(ALPHABET, repeat=2)][:n]


@dataclass(frozen=True)
class Target:
    label: str
    start: int  # UTF-16 positions in the document
    end: int
    rect: QRect


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def visible_words(view: QPlainTextEdit) -> list[tuple[int, int, QRect]]:
    """(start, end, rectangle of the first character) of every word whose start is in view,
    in text order; positions in UTF-16 units, as Qt counts."""
    out: list[tuple[int, int, QRect]] = []
    height = view.viewport().height()
    block = view.firstVisibleBlock()
    offset = view.contentOffset()
    while block.isValid():
        top = view.blockBoundingGeometry(block).translated(offset).top()
        if top > height:
            break
        if block.isVisible():
            text = block.text()
            units = 0
            last = 0
            for m in _WORD.finditer(text):
                units += _utf16_len(text[last : m.start()])
                start = block.position() + units
                units += _utf16_len(m.group())
                last = m.end()
                cur = QTextCursor(block)
                cur.setPosition(start)
                rect = view.cursorRect(cur)
                if rect.bottom() < 0:
                    continue
                if rect.top() > height:
                    break
                out.append((start, block.position() + units, rect))
        block = block.next()
    return out


class _Overlay(QWidget):
    """The labels, painted over the text's viewport; the mouse passes through."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.targets: list[Target] = []
        self.typed = ""
        font = QFont(parent.font())
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        self.setFont(font)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        fm = self.fontMetrics()
        for t in self.targets:
            if not t.label.startswith(self.typed):
                continue
            w = fm.horizontalAdvance(t.label) + 6
            box = QRect(t.rect.left(), t.rect.top(), w, fm.height() + 2)
            p.fillRect(box, QColor("#ffd54f"))
            p.setPen(QColor("#7a5c00"))
            p.drawRect(box.adjusted(0, 0, -1, -1))
            p.setPen(QColor("#000000"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, t.label)
        p.end()


class Jumper(QObject):
    """Jump mode for one text view; ``on_done(changed)`` after a jump or a cancel."""

    def __init__(self, view: QPlainTextEdit, on_done: Callable[[bool], None] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.on_done = on_done
        self.overlay = _Overlay(view.viewport())
        self.overlay.hide()
        self.extend = False
        view.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.overlay.isVisible()

    def start(self, extend: bool = False) -> int:
        """Show the labels; returns how many words are labelled."""
        words = visible_words(self.view)
        labels = labels_for(len(words))
        self.overlay.targets = [Target(lab, s, e, r) for lab, (s, e, r) in zip(labels, words, strict=False)]
        self.overlay.typed = ""
        self.extend = extend
        if not self.overlay.targets:
            return 0
        self.overlay.setGeometry(self.view.viewport().rect())
        self.overlay.show()
        self.overlay.raise_()
        return len(self.overlay.targets)

    def cancel(self) -> None:
        self.overlay.hide()
        if self.on_done:
            self.on_done(False)

    def type_key(self, letter: str) -> None:
        typed = self.overlay.typed + letter.lower()
        matching = [t for t in self.overlay.targets if t.label.startswith(typed)]
        if not matching:
            self.cancel()
            return
        exact = next((t for t in matching if t.label == typed), None)
        if exact is None:
            self.overlay.typed = typed
            self.overlay.update()
            return
        self.overlay.hide()
        self._go(exact)
        if self.on_done:
            self.on_done(True)

    def _go(self, target: Target) -> None:
        cur = self.view.textCursor()
        if self.extend:
            anchor = cur.selectionStart() if cur.hasSelection() else cur.position()
            head = target.end if target.end > anchor else target.start
            if cur.hasSelection() and target.start < cur.selectionStart():
                anchor = cur.selectionEnd()  # extending backwards keeps the far end
            cur.setPosition(anchor)
            cur.setPosition(head, QTextCursor.MoveMode.KeepAnchor)
        else:
            cur.setPosition(target.start)
            cur.setPosition(target.end, QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cur)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.active or obj is not self.view:
            return False
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # every key is ours while the labels show
                return True
            text = event.text()
            if event.key() == Qt.Key.Key_Escape:
                self.cancel()
            elif text and text.isalpha() and text.isascii():
                self.type_key(text)
            elif event.key() not in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
                self.cancel()
            return True
        if kind in (QEvent.Type.FocusOut, QEvent.Type.Resize, QEvent.Type.Wheel):
            self.cancel()
        return False
