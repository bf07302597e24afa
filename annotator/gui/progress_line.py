"""The status bar's "N of M reports done".

Its two counts (the coder's assignments per status, every report) are reads that grow with the
project (30-160 ms at 50,000 reports): the window's start does not wait for them. They are read
on a background thread once the first report is painted, and at once after a change of status
(the coder sees their own click counted). A background count that a later one overtook is
dropped, so an older figure never replaces a newer one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from annotator.core.give_way import background_thread, give_way
from annotator.core.project import Project

__all__ = ["ProgressLine"]


class ProgressLine(QObject):
    _counted = Signal(int, int, int)  # generation, done, total

    def __init__(self, label: QLabel, project: Project, coder_id: Callable[[], int]) -> None:
        super().__init__(label)
        self.label, self.project, self.coder_id = label, project, coder_id
        self._generation = 0
        self._counted.connect(self._show)
        self.worker: threading.Thread | None = None

    def _count(self) -> tuple[int, int]:
        counts = self.project.status_counts(self.coder_id())  # this coder's rows only
        return counts.get("done", 0), self.project.report_count()

    def refresh(self) -> None:
        """Count now and show it."""
        self._generation += 1
        self._show(self._generation, *self._count())

    def refresh_in_background(self) -> None:
        """Count on a thread; shown when done unless a newer count came first."""
        self._generation += 1
        generation = self._generation

        def work() -> None:
            give_way()  # while the window handles a key, wait (annotator.core.give_way)
            try:
                done, total = self._count()
                self._counted.emit(generation, done, total)
            except Exception:  # the window closed (project closed, label deleted) meanwhile
                pass

        self.worker = background_thread(work, "progress counts")
        self.worker.start()

    def wait(self, seconds: float = 5.0) -> None:
        """Let a count in flight end (the window calls it as it closes: a thread emitting on an
        object Qt is deleting at that moment can crash the process)."""
        if self.worker is not None:
            self.worker.join(seconds)

    def _show(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.label.setText(f"{done} of {total} reports done")
