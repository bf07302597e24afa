"""Re-emit the project's change notifications as a Qt signal (the GUI subscribes once)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.commands import Changes
from annotator.core.project import Project


class ChangeBridge(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = project.subscribe(self._on_change)

    def _on_change(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        self._unsubscribe()
