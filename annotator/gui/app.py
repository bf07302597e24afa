"""Start the window: open the project, find out who is coding, show the main window."""

from __future__ import annotations

import sys
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from annotator.core import roles
from annotator.core.db import DatabaseOpenError
from annotator.core.give_way import watch_event_loop
from annotator.core.integrity import DamagedProject
from annotator.core.project import Project, ProjectError
from annotator.core.storage import StorageError

if TYPE_CHECKING:
    from annotator.gui.autobackup import AutoBackup
    from annotator.gui.stop_signals import StopOnSignal


def ask_coder(project: Project, parent: QWidget | None = None) -> str | None:
    """Ask who is coding, offering the known coders; None when the user cancels."""
    names = roles.switch_targets(project.coders())  # every coder and reviewer, never gold
    from PySide6.QtWidgets import QInputDialog  # (the dialog classes load when first shown)

    name, ok = QInputDialog.getItem(
        parent, "Who is coding?", "Your coder name (pick one or type a new one):", names, 0, True
    )
    name = name.strip()
    return name if ok and name else None


def _start_backups(project: Project, window: QMainWindow) -> AutoBackup:
    """Every N minutes of work a backup (the user's settings); the caller starts the one on
    open (after the first paint)."""
    from annotator.core.userconfig import load_user_config
    from annotator.gui.autobackup import AutoBackup

    cfg = load_user_config()
    auto = AutoBackup(project, cfg.backup_keep, cfg.backup_every_minutes, window)
    auto.failed.connect(lambda message: window.statusBar().showMessage(message, 30_000))
    window.autobackup = auto  # type: ignore[attr-defined]  # lives as long as the window
    return auto


def run(db: str | None, coder: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    from annotator.gui.stop_signals import StopOnSignal

    stopper = StopOnSignal(app)  # a kill or Ctrl+C closes the windows cleanly, no traceback
    try:
        return _run(app, db, coder, stopper)
    finally:
        stopper.restore()


def _run(app: QApplication, db: str | None, coder: str | None, stopper: StopOnSignal) -> int:
    from annotator.core.resources import resources_dir

    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.is_file():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    app.setDesktopFileName("annotator")  # Wayland/X11 match the window with the menu entry
    from annotator.core.projects import missing_project

    why = missing_project(db, default_may_be_made=True)  # only the default project is made here
    if why is not None:
        QMessageBox.critical(None, "Annotator", f"{why}\n\nOr start Annotator without --db and choose File → New project.")
        return 1
    try:
        # the sample check and the change-log prune wait for the first paint (gui/start_checks)
        project = Project.open(db, verify=False, prune=False)
    except (DatabaseOpenError, ProjectError, DamagedProject, StorageError) as exc:
        QMessageBox.critical(None, "Annotator", str(exc))
        return 1
    window = open_window(project, coder)
    if stopper.exit_status is not None:  # stopped while asking who codes
        project.close()
        return stopper.exit_status
    if window is None:
        return 1
    # the gazetteer index, dateparser and the normalizers load in the background, so the first
    # location or date tag does not wait for them (annotator.core.warmup); the thread starts
    # once the first report is painted, so it does not compete with that paint
    from annotator.core.warmup import start_warm_up, warm_up_keys, warm_up_project
    from annotator.gui.idle import after_first_paint
    from annotator.gui.start_checks import StartChecks

    def damaged(message: str) -> None:
        QMessageBox.critical(window, "Annotator", message)
        window.close()
        app.exit(1)

    checks = StartChecks(window, project, damaged)
    viewport = cast(Any, window).text.viewport()
    from annotator.core.gcpause import end_start

    after_first_paint(viewport, end_start)  # the collector, paused by the command line's main
    after_first_paint(viewport, checks.start)
    from annotator.core.warmup import warm_up_done
    from annotator.gui.long_lived import freeze_when

    freeze_when(window, warm_up_done)  # what the warm-up loads, out of the full collections too

    def warm() -> None:
        opened = cast(Any, window).report_id
        start_warm_up(project=None if opened is None else partial(warm_up_project, project, opened),
                      keys=partial(warm_up_keys, project))

    after_first_paint(viewport, warm)
    # background threads wait while this thread runs Python of its own (handles a key)
    watch_event_loop(sys._getframe())
    code = app.exec()
    checks.wait()
    project.close()
    return stopper.exit_status if stopper.exit_status is not None else int(code)


def open_window(project: Project, coder: str | None = None, parent: QWidget | None = None) -> QMainWindow | None:
    """Show a coding window on ``project`` (asking who codes unless known); None when the user
    cancels. File → New/Open/Recent use it to move to another project."""
    from annotator.gui.idle import after_first_paint

    settings = QSettings()
    name = coder or str(settings.value(f"coder/{project.location}", "") or "") or ask_coder(project, parent)
    if not name:
        return None
    settings.setValue(f"coder/{project.location}", name)
    from annotator.gui.main_window import MainWindow
    from annotator.gui.project_dialogs import remember

    me = project.coder_named(name, create=True)  # read once: the window takes the row
    window = MainWindow(project, me.id, me)
    window.install_recent_menu()
    window.apply_user_config()
    window.watch_codebook()
    remember(project.location)
    auto = _start_backups(project, window)
    window.show()
    window.raise_()
    window.activateWindow()  # take the keyboard focus even without a window manager
    after_first_paint(window.text.viewport(), auto.start)  # the backup on open
    return window
