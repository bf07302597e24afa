"""File → New project, Open project, Open Recent, Import a folder, Settings; Help → About.

Mixed into MainWindow. Opening another project opens a new window on it (asking who codes
there) and closes this one, so that each window always belongs to exactly one project.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from annotator.core.coding_keys import user_codebook
from annotator.core.project import Project
from annotator.core.userconfig import UserConfig, load_user_config

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object


class ProjectLaunchers(_Base):
    """Mixed into MainWindow."""

    _unwatch: Callable[[], None] | None = None
    _reopening = False

    def _project_folder(self) -> Path:
        loc = self.project.location
        return Path(loc).parent if "://" not in loc else Path.home()

    def new_project(self) -> None:
        from annotator.gui.project_dialogs import NewProjectDialog

        dlg = NewProjectDialog(self, folder=self._project_folder())
        if dlg.exec() and dlg.project is not None:
            self.switch_to_project(dlg.project)

    def open_project(self) -> None:
        from annotator.gui.project_dialogs import ask_open_project

        project = ask_open_project(self, self._project_folder())
        if project is not None:
            self.switch_to_project(project)

    def open_recent(self, location: str) -> None:
        from annotator.gui.project_dialogs import open_location

        if location == self.project.location:
            return
        project = open_location(location, self)
        if project is not None:
            self.switch_to_project(project)

    def switch_to_project(self, project: Project) -> None:
        from annotator.gui.app import open_window

        window = open_window(project, parent=self)
        if window is None:  # nobody to code as: stay here
            project.close()
            return
        self._stop_watching()
        self.next_window = window
        self.close()
        self.project.close()

    def install_recent_menu(self) -> None:
        """Put File → Open Recent right after Open project."""
        from annotator.gui.project_dialogs import RecentMenu

        anchor = self.actions_by_name.get("file.open_project")
        file_menu = next((a.menu() for a in self.menuBar().actions()
                          if a.menu() is not None and a.text() == "&File"), None)
        if anchor is None or not isinstance(file_menu, QMenu):
            return
        self.recent_menu = RecentMenu(self)
        self.recent_menu.open_requested.connect(self.open_recent)
        actions = file_menu.actions()
        after = actions.index(anchor) + 1 if anchor in actions else len(actions)
        before = actions[after] if after < len(actions) else None
        if before is None:
            file_menu.addMenu(self.recent_menu)
        else:
            file_menu.insertMenu(before, self.recent_menu)

    def import_folder(self) -> None:
        from annotator.gui.transfer import import_with_progress

        folder = QFileDialog.getExistingDirectory(self, "Import a folder (reports, brat)",
                                                  str(self._project_folder()))
        if folder:
            self.statusBar().showMessage(import_with_progress(self, self.project, [Path(folder)]), 10000)

    def open_settings(self) -> None:
        from PySide6.QtCore import QTimer

        from annotator.gui.settings_dialog import SettingsDialog
        from annotator.gui.user_keys import window_key_table

        table = window_key_table(self)
        dlg = SettingsDialog(self.project, table.menu_keys, self, coding_keys=table.coding_keys,
                             check_keys=table.clashes)
        self.settings_dialog = dlg  # reachable while it is open (tests, screenshots)
        # applied once the dialog is gone: new colours or coding keys open a fresh window
        dlg.user_changed.connect(lambda cfg: QTimer.singleShot(0, lambda: self.apply_user_config(cfg)))
        dlg.open()  # window-modal, without a nested event loop

    def open_upgrade(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from annotator.gui.upgrade_dialog import UpgradeDialog

        if self.role != "reviewer":
            QMessageBox.information(self, "Upgrade the codebook",
                                    "Changing the project's codebook is for reviewers.")
            return
        dlg = UpgradeDialog(self.project, self)
        if dlg.exec() and dlg.result_line:
            self.reopen(dlg.result_line)

    def watch_codebook(self) -> None:
        """Reopen when the project's codebook changes under the window (an upgrade undone or
        redone with Ctrl+Z / Ctrl+Shift+Z): menus, keys and colours come from the codebook."""
        from PySide6.QtCore import QTimer

        def check(_changes: object) -> None:
            if self.project.codebook is not self.source_codebook and not self._reopening:
                self._reopening = True
                QTimer.singleShot(0, lambda: self.reopen(f"Codebook now {self.project.codebook.ref}"))

        self._unwatch = self.project.subscribe(check)

    def _stop_watching(self) -> None:
        """This window is being replaced: its codebook watch and its backups stop (the new
        window has its own; a stale timer would keep backing up after the window closed)."""
        unwatch = getattr(self, "_unwatch", None)
        if unwatch is not None:
            unwatch()
            self._unwatch = None
        auto = getattr(self, "autobackup", None)
        if auto is not None:
            auto.stop()

    def reopen(self, message: str = "") -> None:
        """A fresh window on the same project (and undo history), on the same report: the
        codebook, or the user's colours or keys, changed."""
        from annotator.gui.app import open_window

        self._stop_watching()
        self._reopening = True
        window = open_window(self.project, self.coder_name, parent=self)
        if window is not None:
            self.next_window = window
            queue = getattr(window, "queue_panel", None)
            if self.report_id is not None and queue is not None:
                queue.select_report(self.report_id)
            if message:
                window.statusBar().showMessage(message, 30_000)
            self.close()

    def show_about(self) -> None:
        from annotator.gui.about_dialog import AboutDialog

        AboutDialog(self.project.location, self).exec()

    def apply_user_config(self, cfg: UserConfig | None = None) -> None:
        """Font size, colours and keys from the user's settings (at start and after Settings)."""
        cfg = cfg or load_user_config()
        if cfg.font_size:
            self.set_font_size(cfg.font_size)
        for spec in self.action_specs:
            action = self.actions_by_name.get(spec.name)
            if action is None or spec.coding_key:
                continue
            keys = [cfg.keys[spec.name]] if spec.name in cfg.keys else list(spec.keys)
            action.setShortcuts([QKeySequence(k) for k in keys])
        # the colours and the tag/claim/slot keys are built into the window (buttons, menus,
        # the claim strip, the F1 sheet): a change opens a fresh window on the same report
        seen = user_codebook(self.source_codebook, cfg.palette, cfg.keys)
        if seen != self.codebook and not self._reopening:
            self.reopen("Your colours and keys are applied")
