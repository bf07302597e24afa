"""File → New project, Open project and Open Recent.

The dialogs gather choices; annotator.core.projects decides (which codebook, refusing an
existing file for New, an empty or foreign file for Open). The recent list lives in the user's
config (annotator.core.userconfig).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Codebook, CodebookError
from annotator.core.db import DatabaseOpenError
from annotator.core.project import Project, ProjectError
from annotator.core.projects import choose_codebook, create_project, existing_recent, open_project
from annotator.core.userconfig import load_user_config, save_user_config
from annotator.gui.geometry import GeometryGuard

__all__ = ["NewProjectDialog", "RecentMenu", "ask_open_project", "open_location", "remember"]

PROJECT_FILTER = "Annotator projects (*.db *.sqlite *.sqlite3);;All files (*)"


def remember(location: str) -> None:
    """Put a project at the top of Open Recent."""
    cfg = load_user_config()
    cfg.add_recent(location)
    try:
        save_user_config(cfg)
    except OSError:
        pass  # a read-only config folder must not keep a project from opening


class NewProjectDialog(QDialog):
    """Choose the file and the codebook of a new project; ``project`` is set on accept."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle("New project")
        self.project: Project | None = None
        self._codebook: Codebook | None = None
        self.folder = folder or Path.home()
        grid = QGridLayout()
        self.path = QLineEdit(str(self.folder / "project.db"))
        self.path.setMinimumWidth(380)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse_path)
        label = QLabel("Project &file:")
        label.setBuddy(self.path)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.path, 0, 1)
        grid.addWidget(browse, 0, 2)

        grid.addWidget(QLabel("Codebook:"), 1, 0, Qt.AlignmentFlag.AlignTop)
        self.choice = QButtonGroup(self)
        self.default_radio = QRadioButton("The &default codebook (conflict events: actors, places, dates, casualties)")
        self.file_radio = QRadioButton("A codebook &file (JSON, or REFI-QDA .qdc / .qdpx)")
        self.brat_radio = QRadioButton("From brat's &annotation.conf")
        box = QVBoxLayout()
        for i, radio in enumerate((self.default_radio, self.file_radio, self.brat_radio)):
            self.choice.addButton(radio, i)
            box.addWidget(radio)
        self.default_radio.setChecked(True)
        row = QHBoxLayout()
        self.codebook_path = QLineEdit()
        self.codebook_path.setPlaceholderText("codebook file")
        self.codebook_browse = QPushButton("Bro&wse…")
        self.codebook_browse.clicked.connect(self._browse_codebook)
        row.addWidget(self.codebook_path)
        row.addWidget(self.codebook_browse)
        box.addLayout(row)
        grid.addLayout(box, 1, 1, 1, 2)

        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.preview, 2, 1, 1, 2)
        self.example = QCheckBox("Also import the &example report (two coders who disagree in places)")
        grid.addWidget(self.example, 3, 1, 1, 2)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        grid.addWidget(self.error, 4, 0, 1, 3)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.choice.idToggled.connect(lambda *_: self._update())
        self.codebook_path.textChanged.connect(lambda *_: self._update())
        self.path.textChanged.connect(lambda *_: self.error.clear())
        self._update()

    # -- choices

    def choice_name(self) -> str:
        return ("default", "file", "brat")[max(0, self.choice.checkedId())]

    def _update(self) -> None:
        kind = self.choice_name()
        self.codebook_path.setEnabled(kind != "default")
        self.codebook_browse.setEnabled(kind != "default")
        self.codebook_path.setPlaceholderText(
            "a codebook .json, .qdc or .qdpx file" if kind == "file" else "brat's annotation.conf")
        self._codebook = None
        try:
            if kind != "default" and not self.codebook_path.text().strip():
                raise ProjectError("choose the file above")
            cb = choose_codebook(kind, self.codebook_path.text().strip() or None)
        except (CodebookError, ProjectError) as exc:
            self.preview.setText(f"<span style='color:#b00020'>{_html(str(exc))}</span>")
        else:
            self._codebook = cb
            spans = ", ".join(t.label for t in cb.span_types)
            claims = ", ".join(t.label for t in cb.claim_types) or "none"
            self.preview.setText(f"<b>{_html(cb.title)}</b> ({_html(cb.ref)})<br>"
                                 f"Span types: {_html(spans)}<br>Claim types: {_html(claims)}")
        self.create_button.setEnabled(self._codebook is not None)

    def _browse_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "New project file", self.path.text(),
                                              PROJECT_FILTER)
        if name:
            self.path.setText(name)

    def _browse_codebook(self) -> None:
        kind = self.choice_name()
        flt = "Codebooks (*.json *.qdc *.qdpx);;All files (*)" if kind == "file" else "brat configuration (annotation.conf *.conf);;All files (*)"
        name, _ = QFileDialog.getOpenFileName(self, "Codebook", str(self.folder), flt)
        if name:
            self.codebook_path.setText(name)

    def accept(self) -> None:
        if self._codebook is None:
            return
        try:
            self.project = create_project(self.path.text().strip(), self._codebook,
                                          with_example=self.example.isChecked())
        except (ProjectError, DatabaseOpenError, OSError) as exc:
            self.error.setText(str(exc))  # stays open: the user fixes the name
            return
        remember(self.project.location)
        super().accept()


def open_location(location: str, parent: QWidget | None = None) -> Project | None:
    """Open an existing project, telling the user why when it cannot be opened."""
    try:
        project = open_project(location)
    except (ProjectError, DatabaseOpenError) as exc:
        QMessageBox.warning(parent, "Open project", str(exc))
        return None
    remember(project.location)
    return project


def ask_open_project(parent: QWidget | None = None, folder: Path | None = None) -> Project | None:
    """File → Open project (Ctrl+O): choose a project file and open it."""
    name, _ = QFileDialog.getOpenFileName(parent, "Open project", str(folder or Path.home()),
                                          PROJECT_FILTER)
    return open_location(name, parent) if name else None


class RecentMenu(QMenu):
    """File → Open Recent: the projects opened last, newest first (missing files left out)."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Open &Recent", parent)
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        recent = existing_recent(load_user_config().recent)
        for i, location in enumerate(recent):
            prefix = f"&{i + 1} " if i < 9 else ""
            action = QAction(prefix + _shorten(location), self)
            action.setData(location)
            action.setToolTip(location)
            action.triggered.connect(lambda _=False, loc=location: self.open_requested.emit(loc))
            self.addAction(action)
        if not recent:
            none = self.addAction("No recent projects")
            none.setEnabled(False)
        self.addSeparator()
        clear = self.addAction("&Clear the list")
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self._clear)

    def _clear(self) -> None:
        cfg = load_user_config()
        cfg.recent = []
        save_user_config(cfg)
        self.refresh()


def _shorten(location: str) -> str:
    home = str(Path.home())
    return "~" + location[len(home):] if location.startswith(home + "/") else location


def _html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
