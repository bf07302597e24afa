"""Updates that follow a coding key one frame later: what the coder looks at first paints first.

A tag, retag, claim or undo changes the text's highlight and the form (where the coder looks and
types next) and, besides, the span list's rows, the claims list, the queue row's counts and the
status bar. Painted in one frame, the key waits for all of them (the span list alone, a table of
up to 10,000 rows, costs as much as the text). Here the secondary updates wait in order until the
window has painted the primary ones: they run on an event of the lowest priority, and that event
first sends the window's pending update request (also of the lowest priority, but posted by the
first widget changed, which may come after the first update queued here: a new claim queues the
claims list before the form changes), so the paint and flush of the primary updates come first
and the secondary ones' own paint follows on the next turn of the event loop.

Whatever reads the secondary widgets' state, or changes it wholesale, calls :meth:`catch_up`
first, so the updates apply in the order the changes were made.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

__all__ = ["AfterFrame"]

_EVENT = QEvent.Type(QEvent.registerEventType())


class AfterFrame(QObject):
    """Runs queued updates after the next frame, in the order queued; a key queued again
    replaces its earlier update in place (the latest state wins, once)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._queue: dict[Hashable, Callable[[], object]] = {}
        self._posted = False
        self._serial = 0

    def later(self, fn: Callable[[], object], key: Hashable | None = None) -> None:
        """Run ``fn`` after the next frame; ``key``: runs once however often queued (None: each
        call runs, in order)."""
        if key is None:
            self._serial += 1
            key = ("once", self._serial)
        self._queue[key] = fn
        if not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(_EVENT), Qt.EventPriority.LowEventPriority.value)

    @property
    def pending(self) -> bool:
        return bool(self._queue)

    def catch_up(self) -> None:
        """Run every queued update now (in order)."""
        while self._queue:
            key = next(iter(self._queue))
            fn = self._queue.pop(key)
            fn()

    def event(self, event: QEvent) -> bool:
        if event.type() == _EVENT:
            self._posted = False
            parent = self.parent()
            if isinstance(parent, QWidget) and self._queue:
                # the frame of what changed first: its paint request may be queued behind us
                QCoreApplication.sendPostedEvents(parent.window(), QEvent.Type.UpdateRequest)
            self.catch_up()
            return True
        return super().event(event)
