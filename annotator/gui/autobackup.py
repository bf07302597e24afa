"""Rotating backups while the window is open: one on open, then every N minutes of work.

The backup itself (annotator.core.backup) runs in a worker thread so that the window never
waits, once the coder's keys pause for a second; its outcome comes back as a Qt signal.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core import backup
from annotator.core.commands import Changes
from annotator.core.give_way import background_thread, give_way
from annotator.core.project import Project

__all__ = ["QUIET", "AutoBackup"]

QUIET = 1.0  # seconds without a key before a backup is copied


class AutoBackup(QObject):
    done = Signal(str)  # the backup file
    failed = Signal(str)  # a message for the status bar

    def __init__(self, project: Project, keep: int, every_minutes: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project, self.keep = project, keep
        self.dirty = False
        self._running = False
        self._unsubscribe = project.subscribe(self._changed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        if every_minutes > 0:
            self.timer.start(every_minutes * 60_000)
        self.enabled = True
        try:
            backup.sqlite_path(project.location)
        except backup.BackupError:
            self.enabled = False  # PostgreSQL: pg_dump on the server (docs/backups.md)
            self.timer.stop()

    def _changed(self, _changes: Changes) -> None:
        self.dirty = True

    def start(self) -> None:
        """The backup on open."""
        self._backup("open")

    def tick(self) -> None:
        if self.dirty:
            self._backup("timer")

    def stop(self) -> None:
        self.timer.stop()
        self._unsubscribe()

    def _backup(self, reason: str) -> threading.Thread | None:
        if not self.enabled or self._running:
            return None
        self.dirty = False
        self._running = True

        def tell(signal: Any, text: str) -> None:
            try:
                signal.emit(text)
            except RuntimeError:  # the window closed meanwhile: no one to tell
                pass

        def work() -> None:
            # the copy writes the whole project (283 MB at 1M spans): a tag's commit meanwhile
            # waited behind those writes for its fsync; it waits for a pause in the coder's keys
            # (annotator.core.give_way), at most half a minute
            give_way(limit=30.0, quiet=QUIET)
            try:
                made = backup.make_backup(self.project.location, reason=reason, keep=self.keep)
            except (backup.BackupError, OSError) as exc:
                self.dirty = True
                tell(self.failed, f"Backup failed: {exc}")
            else:
                tell(self.done, str(made.path))
            finally:
                self._running = False

        thread = background_thread(work, "backup")
        thread.start()
        self.worker = thread
        return thread
