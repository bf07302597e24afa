"""The lead's actions in the window: assign the selected reports to a coder, move them from one
coder to another, unassign a coder, lock and unlock them (Review → Team, the queue's context
menu, Ctrl+Alt+A / M / U / L / Shift+L).

They run the same core commands as ``annotator assign`` (core/assignments.py, core/locks.py),
one undoable step each, and are refused with a plain message for a coder (core/roles.py). The
coder picker is a small dialog of one or two lists: type a name's first letters, arrows, Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMenu,
    QWidget,
)

from annotator.core import roles
from annotator.core.commands import Command

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object

__all__ = ["CoderPicker", "LeadActions"]


class CoderPicker(QDialog):
    """Choose one coder (or a *from* and a *to* coder) from the project's coders."""

    def __init__(self, title: str, labels: Sequence[str], names: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coder_picker")
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.boxes: list[QComboBox] = []
        for i, label in enumerate(labels):
            box = QComboBox()
            box.setObjectName(f"coder_picker_{i}")
            box.addItems(list(names))
            if i and len(names) > 1:
                box.setCurrentIndex(1)  # "from" and "to" start apart
            form.addRow(label, box)
            self.boxes.append(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.boxes[0].setFocus()

    def chosen(self) -> list[str]:
        return [b.currentText() for b in self.boxes]


class LeadActions(_Base):
    """Mixed into MainWindow (the queue, the status bar and ``_run`` are the window's)."""

    coder_picker: CoderPicker | None = None

    # ------------------------------------------------------------ what they act on

    def selected_reports(self) -> list[int]:
        """The reports selected in the queue (in list order), else the open report."""
        panel = self.queue_panel
        rows = sorted({i.row() for i in panel.view.selectionModel().selectedRows()})
        ids = [panel.model.rows[r].id for r in rows if 0 <= r < len(panel.model.rows)]
        if not ids and self.report_id is not None:
            ids = [self.report_id]
        return ids

    def _lead_targets(self) -> list[int]:
        """The reports a lead's action is for (the queue's selection); none, with the reason
        said, for a coder who may not assign."""
        why = roles.refusal("assign", self.coder_name, self.role)
        if why is not None:
            self.statusBar().showMessage(f"Not done: {why}", 8000)
            return []
        return self.selected_reports()

    def _team_names(self) -> list[str]:
        return roles.switch_targets(self.project.coders())

    def _pick(self, title: str, labels: Sequence[str], then: Callable[[list[int]], None]) -> None:
        """Open the coder picker; ``then`` gets the chosen coders' ids once it is accepted."""
        names = self._team_names()
        if len(names) < len(labels):
            self.statusBar().showMessage(
                f"Not done: {title.rstrip('…')} needs {len(labels)} coder(s) in the project "
                "(add them: annotator coders --add NAME)", 8000)
            return
        dlg = self.coder_picker = CoderPicker(title, labels, names, self)

        def accepted() -> None:
            then([self.project.coder_id(n) for n in dlg.chosen()])

        dlg.accepted.connect(accepted)
        dlg.open()

    def _lead_run(self, cmd: Command, said: Callable[[], str]) -> None:
        if self._run(cmd):
            self.queue_panel.reload()  # the lock marks and everyone's statuses, at once
            self.statusBar().showMessage(said(), 6000)

    # ------------------------------------------------------------ the actions

    def lead_assign(self) -> None:
        from annotator.core.assignments import Assign

        ids = self._lead_targets()
        if not ids:
            return

        def go(coders: list[int]) -> None:
            cmd = Assign(ids, coders, also=True)
            self._lead_run(cmd, lambda: f"Assigned {len(cmd.planned)} report(s)"
                           + (f"; {cmd.skipped} had that coder already" if cmd.skipped else ""))

        self._pick(f"Assign {len(ids)} report(s) to…", ["Coder:"], go)

    def lead_move(self) -> None:
        from annotator.core.assignments import MoveAssignments
        from annotator.core.commands import CommandError

        ids = self._lead_targets()
        if not ids:
            return

        def go(coders: list[int]) -> None:
            try:
                cmd = MoveAssignments(coders[0], coders[1], ids)
            except CommandError as exc:
                self.statusBar().showMessage(f"Not done: {exc}", 8000)
                return
            self._lead_run(cmd, lambda: f"Moved {len(cmd.moved)} assignment(s); {cmd.kept} "
                           "kept (started, or the other coder has the report already)")

        self._pick(f"Move {len(ids)} report(s)…", ["From:", "To:"], go)

    def lead_unassign(self) -> None:
        from annotator.core.assignments import Unassign

        ids = self._lead_targets()
        if not ids:
            return

        def go(coders: list[int]) -> None:
            cmd = Unassign(coders[0], ids)
            self._lead_run(cmd, lambda: f"Withdrew {len(cmd.removed)} assignment(s); "
                           f"{cmd.kept} kept (started or done)")

        self._pick(f"Unassign {len(ids)} report(s) from…", ["Coder:"], go)

    def lead_lock(self, lock: bool = True) -> None:
        from annotator.core.locks import Lock, Unlock

        ids = self._lead_targets()
        if not ids:
            return
        cmd = Lock(ids) if lock else Unlock(ids)
        word = "Locked" if lock else "Unlocked"
        self._lead_run(cmd, lambda: f"{word} {len(cmd.changed)} report(s); "
                       f"{len(cmd.report_ids) - len(cmd.changed)} already so")

    def queue_menu(self, pos: QPoint) -> None:
        """The queue's context menu: the lead's actions on the selected reports."""
        menu = QMenu(self)
        for name in ("team.assign", "team.move", "team.unassign", "team.lock", "team.unlock"):
            menu.addAction(self.actions_by_name[name])
        menu.popup(self.queue.viewport().mapToGlobal(pos))
        self.queue_context_menu = menu


def install_queue_menu(window: LeadActions) -> None:
    view = window.queue
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(window.queue_menu)
