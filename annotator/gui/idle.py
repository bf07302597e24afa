"""Work that waits until the window has painted its first report.

The window's start is what a coder waits for; what the first actions need but the first paint
does not (the background threads, the form pages, the application-wide window fitting) starts
on the event-loop turn after the first paint of a given widget, so it neither delays that paint
nor is missing when the first key arrives. A widget that is never painted (a window a test
builds without showing) still gets the work after ``latest_ms``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["after_first_paint"]


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, work: Callable[[], object], latest_ms: int) -> None:
        super().__init__(widget)
        self.widget, self.work, self.done = widget, work, False
        widget.installEventFilter(self)  # this widget's events only: a few at start
        QTimer.singleShot(latest_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self, self._run)  # after the paint has been flushed
        return False

    def _run(self) -> None:
        if self.done:
            return
        self.done = True
        self.widget.removeEventFilter(self)
        self.work()


def after_first_paint(widget: QWidget, work: Callable[[], object], latest_ms: int = 1500) -> None:
    """Run ``work`` once, just after ``widget`` is first painted (at the latest after
    ``latest_ms``); dropped if the widget is deleted first."""
    _FirstPaint(widget, work, latest_ms)
