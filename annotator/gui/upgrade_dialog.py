"""Review → Upgrade the codebook: the same as ``annotator codebook upgrade``, in the window.

Choose the new codebook (and renames/merges, one per line as on the command line), read the
plan, then Apply: a backup is taken first, then one undoable command migrates everything.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import backup
from annotator.core import codebook_upgrade as cu
from annotator.core.codebook import CodebookError, load_codebook
from annotator.core.project import Project
from annotator.core.userconfig import load_user_config
from annotator.gui.geometry import GeometryGuard
from annotator.gui.screen_fit import initial_size

__all__ = ["UpgradeDialog"]


class UpgradeDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle(f"Upgrade the codebook {project.codebook.ref}")
        self.project = project
        self.plan: cu.UpgradePlan | None = None
        self.result_line = ""
        form = QFormLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("the new version of the codebook (.json)")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel("&New codebook:")
        label.setBuddy(self.path)  # the field is in a row with its button: name the buddy
        form.addRow(label, row)
        self.renames = QPlainTextEdit()
        self.renames.setPlaceholderText(
            "one per line, e.g.\nrename actor.actor_type:army=state_forces\n"
            "merge actor.actor_type:army,police=state_forces\nrename weapon=instrument")
        self.renames.setFixedHeight(80)
        form.addRow("&Renames, merges:", self.renames)
        self.plan_view = QPlainTextEdit()
        self.plan_view.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.plan_view.setFont(mono)
        self.plan_view.setPlaceholderText("The plan appears here; nothing changes before Apply.")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_plan = self.buttons.addButton("Show the &plan", QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button = self.buttons.addButton("&Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.show_plan.clicked.connect(self.make_plan)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.path.textChanged.connect(self._invalidate)
        self.renames.textChanged.connect(self._invalidate)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.plan_view, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        # wide enough for a plan line (about 110 monospace characters) on a 1400-pixel screen
        self.resize(*initial_size(self, 1000, 600))

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "New codebook", str(Path.home()),
                                              "Codebooks (*.json);;All files (*)")
        if name:
            self.path.setText(name)

    def _invalidate(self) -> None:
        self.plan = None
        self.apply_button.setEnabled(False)

    def mapping(self) -> cu.UpgradeMap:
        m = cu.UpgradeMap()
        for raw in self.renames.toPlainText().splitlines():
            line = raw.strip()
            if not line:
                continue
            verb, _, spec = line.partition(" ")
            if verb == "rename":
                cu.parse_rename([spec.strip()], m)
            elif verb == "merge":
                cu.parse_merge([spec.strip()], m)
            else:
                raise cu.UpgradeError(f"'{line}': start the line with rename or merge")
        return m

    def make_plan(self) -> None:
        self.error.clear()
        self._invalidate()
        try:
            new = load_codebook(self.path.text().strip())
            mapping = self.mapping()
            self.plan = self.project.plan_upgrade(new, mapping)
        except (CodebookError, cu.UpgradeError) as exc:
            self.plan_view.clear()
            self.error.setText(str(exc))
            return
        self.plan_view.setPlainText(self.plan.text())
        self.apply_button.setEnabled(bool(self.plan.steps) or new.ref != self.project.codebook.ref)

    def apply(self) -> None:
        if self.plan is None:
            return
        saved = None
        try:
            saved = backup.make_backup(self.project.location, reason="before-upgrade",
                                       keep=load_user_config().backup_keep)
        except backup.BackupError as exc:
            if "pg_dump" not in str(exc):
                self.error.setText(f"{exc}; nothing was changed")
                return
        cmd = cu.UpgradeCodebook(self.plan)
        self.project.run(cmd)
        self.result_line = (f"Codebook {self.project.codebook.ref}: {cmd.migrated} item(s) migrated, "
                            f"{cmd.marked} marked; undo with Ctrl+Z"
                            + (f" or restore {saved.path.name}" if saved else ""))
        self.accept()
