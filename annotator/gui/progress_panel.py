"""The leads' progress panel: per coder to do, in progress, done and their double-coded reports
done, and per day what each coder finished with the share of the double-coded reports done.

A dock of the coding window (Review → Progress, Ctrl+Shift+P; reviewers only). It shows
``Project.progress()``, which the database counts with a few grouped queries; a status change
(here or in another process, as the window hears it) schedules one refresh a moment later, so a
burst of changes costs one read, and nothing is read while the dock is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.assignments import Progress
from annotator.core.commands import Changes
from annotator.core.project import Project

__all__ = ["ProgressPanel"]

REFRESH_MS = 300
CODER_HEADERS = ("Coder", "To do", "In progress", "Done", "Double-coded done")


def _table(headers: tuple[str, ...] | list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(list(headers))
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def _cell(text: object, number: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _share(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


class ProgressPanel(QDockWidget):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__("Progress", parent)
        self.setObjectName("progress_dock")
        self.project = project
        self.result: Progress | None = None
        self.reads = 0  # how many times the figures were read (a test counts them)
        body = QWidget()
        self.summary = QLabel()
        self.summary.setObjectName("progress_summary")
        self.summary.setWordWrap(True)
        self.coders = _table(CODER_HEADERS, "progress_coders")
        self.days = _table(["Day (UTC)"], "progress_days")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.coders, 1)
        lay.addWidget(QLabel("Done per day:"))
        lay.addWidget(self.days, 1)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._stale = True
        self.visibilityChanged.connect(self._on_visible)

    def on_changes(self, changes: Changes) -> None:
        """A change the window heard: statuses or the set of reports/coders change the figures."""
        if changes.statuses or changes.structure:
            self._stale = True
            if self.isVisible():
                self._timer.start()  # one read for a burst of changes

    def _on_visible(self, visible: bool) -> None:
        if visible and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        self.reads += 1
        res = self.result = self.project.progress()
        self.coders.setRowCount(len(res.coders))
        for row, c in enumerate(res.coders):
            cells = [_cell(c.name, number=False), _cell(c.todo), _cell(c.in_progress),
                     _cell(c.done), _cell(f"{c.double_coded_done} of {c.double_coded}")]
            for col, item in enumerate(cells):
                self.coders.setItem(row, col, item)
        self.summary.setText(
            f"Double-coded reports finished by both coders: {res.double_coded_done} of "
            f"{res.double_coded} ({_share(res.double_coded_share_done)})")
        names = [c.name for c in res.coders]
        headers = ["Day (UTC)", *names, "Double-coded done", "Share done"]
        days = res.per_day()
        self.days.setColumnCount(len(headers))
        self.days.setHorizontalHeaderLabels(headers)
        self.days.setRowCount(len(days))
        for row, d in enumerate(reversed(days)):  # the newest day first
            cells = [_cell(d["day"], number=False), *(_cell(d["done"][n]) for n in names),
                     _cell(d["double_coded_done"]), _cell(_share(d["double_coded_share_done"]))]
            for col, item in enumerate(cells):
                self.days.setItem(row, col, item)
