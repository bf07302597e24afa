"""Every window fits the screen it opens on, and a restored size is never uselessly small.

``fit_rect`` is the rule (plain numbers, tested without a screen); ``GeometryGuard`` applies it to
a top-level window each time it is shown: each window class of ours calls
``GeometryGuard.watch(self)`` once in its constructor. The guard is not an application event
filter: that runs Python for every event of every widget (PySide wraps each object and event),
which was 10-20% of the window's thread while coding; the message and file dialogs Qt makes
place and size themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

__all__ = ["MAIN_MINIMUM", "GeometryGuard", "fit_rect", "fit_to_screen"]

#: the smallest useful size of a main window (queue, text and form side by side)
MAIN_MINIMUM = (960, 640)

Rect = tuple[int, int, int, int]  # x, y, width, height (pixels)
# menus, tooltips and completer lists place themselves
_SKIP = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.Desktop)


def fit_rect(rect: Rect, available: Rect, minimum: tuple[int, int] = (0, 0),
             frame: tuple[int, int] = (0, 0)) -> Rect:
    """The window rectangle ``rect`` moved and shrunk to lie inside ``available`` (a screen's
    area without panels), grown to ``minimum`` where the screen allows. ``frame`` is what the
    window manager's decorations add (width, height), kept on screen too."""
    x, y, w, h = rect
    ax, ay, aw, ah = available
    fw, fh = frame
    w = min(max(w, minimum[0]), aw - fw)
    h = min(max(h, minimum[1]), ah - fh)
    x = min(max(x, ax), ax + aw - fw - w)
    y = min(max(y, ay), ay + ah - fh - h)
    return x, y, max(w, 1), max(h, 1)


def fit_to_screen(window: QWidget) -> bool:
    """Apply :func:`fit_rect` to a top-level window; True when it had to move or shrink."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return False
    a = screen.availableGeometry()
    g = window.geometry()
    f = window.frameGeometry()
    frame = (max(0, f.width() - g.width()), max(0, f.height() - g.height()))
    minimum = MAIN_MINIMUM if isinstance(window, QMainWindow) else (0, 0)
    minimum = (max(minimum[0], window.minimumWidth()), max(minimum[1], window.minimumHeight()))
    # a window not placed yet (never shown) sits at 0,0 or anywhere: centre it when it is moved
    x, y, w, h = fit_rect((g.x(), g.y(), g.width(), g.height()),
                          (a.x(), a.y(), a.width(), a.height()), minimum, frame)
    if (x, y, w, h) == (g.x(), g.y(), g.width(), g.height()):
        return False
    if window.minimumWidth() > w or window.minimumHeight() > h:
        window.setMinimumSize(min(window.minimumWidth(), w), min(window.minimumHeight(), h))
    window.setGeometry(QRect(x, y, w, h))
    return True


class GeometryGuard(QObject):
    """An event filter on top-level windows (:meth:`watch`): each is fitted when shown."""

    _shared: GeometryGuard | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow() and watched.windowType() not in _SKIP):
            fit_to_screen(watched)
            # the window manager may place or decorate it after the first show
            QTimer.singleShot(0, lambda w=watched: _refit(w))
        return False

    @classmethod
    def watch(cls, window: QWidget) -> None:
        """Fit ``window`` to its screen whenever it is shown (call once, in its constructor)."""
        guard = cls._shared
        if guard is None:
            guard = cls._shared = cls(QApplication.instance())
        try:
            window.installEventFilter(guard)
        except RuntimeError:  # the application the guard belonged to is gone (tests)
            cls._shared = cls(QApplication.instance())
            window.installEventFilter(cls._shared)


def _refit(window: QWidget) -> None:
    try:
        if window.isVisible():
            fit_to_screen(window)
    except RuntimeError:  # deleted meanwhile
        pass

