"""Start the window: open the project, find out who is coding, show the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from annotator.core import roles
from annotator.core.db import DatabaseOpenError
from annotator.core.integrity import DamagedProject
from annotator.core.project import Project, ProjectError
from annotator.core.storage import StorageError


def ask_coder(project: Project, parent: QWidget | None = None) -> str | None:
    """Ask who is coding, offering the known coders; None when the user cancels."""
    names = roles.switch_targets(project.coders())  # every coder and reviewer, never gold
    name, ok = QInputDialog.getItem(
        parent, "Who is coding?", "Your coder name (pick one or type a new one):", names, 0, True
    )
    name = name.strip()
    return name if ok and name else None


def run(db: str | None, coder: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    try:
        project = Project.open(db)
    except (DatabaseOpenError, ProjectError, DamagedProject, StorageError) as exc:
        QMessageBox.critical(None, "Annotator", str(exc))
        return 1
    settings = QSettings()
    name = coder or str(settings.value(f"coder/{project.location}", "") or "") or ask_coder(project)
    if not name:
        return 1
    settings.setValue(f"coder/{project.location}", name)
    from annotator.gui.main_window import MainWindow

    window = MainWindow(project, project.coder_id(name, create=True))
    # the gazetteer index, dateparser and the normalizers load in the background, so the first
    # location or date tag does not wait for them (annotator.core.warmup)
    from annotator.core.warmup import start_warm_up

    start_warm_up()
    window.show()
    window.raise_()
    window.activateWindow()  # take the keyboard focus even without a window manager
    code = app.exec()
    project.close()
    return int(code)
