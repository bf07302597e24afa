"""The project checks a window's start runs after its first paint instead of before it.

Opening a project checks the checksums of a sample of its reports (integrity.quick_verify: 0.5 s
when the reports are 1 MB each) and prunes the change log (a write, which waits while another
process writes). The window's start opens the project without either (``Project.open(verify=False,
prune=False)``) and, once the first report is painted:

1. checks the open report on what the window has just read (its text against the stored
   checksum, its spans against the text: no database read, a few milliseconds), before the
   coder's first key is handled: the report the coder can edit first is never a damaged one;
2. checks the sample and prunes on a background thread (its reads let go of the interpreter
   lock while SQLite and the hash work; each waits while the window handles a key).

A mismatch reaches the user as the same message the refused open showed (``DamagedProject``),
and the caller closes the window (nothing was changed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.give_way import background_thread, give_way
from annotator.core.integrity import DamagedProject, loaded_report_problems
from annotator.core.project import Project

__all__ = ["StartChecks"]


class StartChecks(QObject):
    """Run the open checks for ``project`` after ``window``'s first paint (``start``); a damaged
    project calls ``on_damaged`` with the message, on the window's thread."""

    damaged = Signal(str)

    def __init__(self, window: Any, project: Project, on_damaged: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window, self.project = window, project
        self.damaged.connect(on_damaged)
        self.worker: threading.Thread | None = None

    def start(self) -> None:
        problems = self._open_report_problems()
        if problems:
            self.damaged.emit(str(DamagedProject(self.project.location, problems)))
            return
        self.worker = background_thread(self._sample, "open checks")
        self.worker.start()

    def _open_report_problems(self) -> list[Any]:
        w = self.window
        if w.report_id is None:
            return []
        spans = [(s.id, s.start, s.end, s.text) for s in w._spans]
        return loaded_report_problems(w.report_external_id, w.report_text, w.report_sha256, spans)

    def _sample(self) -> None:
        give_way()  # while the window handles a key, wait (annotator.core.give_way)
        try:
            self.project.verify_sample()
        except DamagedProject as exc:
            try:
                self.damaged.emit(str(exc))
            except RuntimeError:  # the window was closed and deleted meanwhile
                pass
            return
        except Exception:  # a closed or busy database: the next open checks again
            return
        give_way()
        self.project.prune_change_log()

    def wait(self, seconds: float = 5.0) -> None:
        """Let a running check end (before the project is closed)."""
        if self.worker is not None:
            self.worker.join(seconds)
