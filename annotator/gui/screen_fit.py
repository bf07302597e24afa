"""Windows that open inside the screen they open on, buttons included (a 1024x700 laptop too).

``fit(rect, available, frame)`` is the rule on plain numbers; ``clamp_to_screen`` applies it to
a window when it is shown (call it from ``showEvent``). A window that uses it keeps its own
layout's minimum size below the smallest screen it supports.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["clamp_to_screen", "fit", "initial_size"]

Rect = tuple[int, int, int, int]  # x, y, width, height in pixels


def fit(rect: Rect, available: Rect) -> Rect:
    """``rect`` (a window's frame) shrunk and moved to lie inside ``available``."""
    x, y, w, h = rect
    ax, ay, aw, ah = available
    w, h = max(1, min(w, aw)), max(1, min(h, ah))
    x = min(max(x, ax), ax + aw - w)
    y = min(max(y, ay), ay + ah - h)
    return x, y, w, h


def _available(widget: QWidget) -> QRect | None:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry()


def initial_size(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """``width`` x ``height``, or less on a smaller screen (room left for a window frame)."""
    a = _available(widget)
    if a is None:
        return width, height
    return min(width, a.width() - 16), min(height, a.height() - 40)


def clamp_to_screen(window: QWidget) -> None:
    """Shrink and move a shown window so that its frame lies inside the screen's available
    area, now and once more after the window manager has decorated it."""

    def apply() -> None:
        try:
            if not window.isVisible():
                return
        except RuntimeError:  # deleted meanwhile
            return
        a = _available(window)
        if a is None:
            return
        g, f = window.geometry(), window.frameGeometry()
        now = (f.x(), f.y(), f.width(), f.height())
        x, y, w, h = fit(now, (a.x(), a.y(), a.width(), a.height()))
        if (x, y, w, h) != now:  # the frame's new place, less the decorations around the window
            left, top = g.x() - f.x(), g.y() - f.y()
            window.setGeometry(QRect(x + left, y + top, w - (f.width() - g.width()),
                                     h - (f.height() - g.height())))

    apply()
    QTimer.singleShot(0, apply)
