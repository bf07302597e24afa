"""Pixels of a report's text view, for the tests that look at what is drawn: a span's background
colour and the box of pixels between two code points of one line."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCursor


def blended(*hexes: str) -> QColor:
    """Span backgrounds as the view draws them: each colour at 30 % over white, in order
    (text_view's format)."""
    r = g = b = 255.0
    for h in hexes:
        c = QColor(h)
        r, g, b = (r * 0.7 + c.red() * 0.3, g * 0.7 + c.green() * 0.3, b * 0.7 + c.blue() * 0.3)
    return QColor(int(r), int(g), int(b))


def span_box(view, start: int, end: int, ratio: float = 1.0) -> tuple[range, range]:
    """The pixel columns and rows strictly between the carets at code points ``start`` and
    ``end`` of one line (caret pixels left out), scaled by the image's device pixel ratio."""
    cur = QTextCursor(view.document())
    cur.setPosition(view._map.to_utf16(start))
    left = view.cursorRect(cur)
    cur.setPosition(view._map.to_utf16(end))
    right = view.cursorRect(cur)
    return (range(int(left.right() * ratio) + 2, int(right.left() * ratio) - 1),
            range(int(left.top() * ratio), int(left.bottom() * ratio)))
