"""The settings dialog: project settings go to the project (undoable), user settings to the
user's config file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt

from annotator.core import assist
from annotator.core.project import Project
from annotator.core.userconfig import load_user_config
from annotator.gui.settings_dialog import SettingsDialog

KEYS = [("open_project", "Open project", "Ctrl+O"), ("import", "Import reports", "Ctrl+I")]


def _settings(project: Project) -> assist.Settings:
    with project._engine.connect() as conn:
        return assist.load_settings(conn)


def test_project_settings_are_saved_through_a_command(qtbot, gui_project: Project) -> None:
    dlg = SettingsDialog(gui_project, KEYS)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg.day_first, Qt.Key.Key_Space)
    dlg.rule.setFocus()
    qtbot.keyClick(dlg.rule, Qt.Key.Key_End)  # the last rule: a fixed date
    assert dlg.fixed.isEnabled()
    dlg.fixed.setDate(QDate(2024, 3, 6))
    dlg._add_vague("loads", 50)
    dlg.accept()
    saved = _settings(gui_project)
    assert saved.day_first and saved.reference_rule == "published_or_fixed"
    assert saved.reference_fixed == "2024-03-06" and saved.vague_table["loads"] == 50
    gui_project.undo()
    assert _settings(gui_project) == assist.Settings()


def test_double_coded_share_is_a_project_setting(qtbot, gui_project: Project) -> None:
    dlg = SettingsDialog(gui_project, KEYS)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.share.value() == 0
    dlg.share.setFocus()
    qtbot.keyClick(dlg.share, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dlg.share, "25")
    qtbot.keyClick(dlg.share, Qt.Key.Key_Return)  # Return in the box is the dialog's OK
    assert not dlg.isVisible()
    assert _settings(gui_project).double_coding_share == 0.25
    again = SettingsDialog(gui_project, KEYS)  # read back from the project
    qtbot.addWidget(again)
    assert again.share.value() == 25
    gui_project.undo()
    assert _settings(gui_project).double_coding_share == 0.0


def test_bad_values_keep_the_dialog_open_and_store_nothing(qtbot, gui_project: Project) -> None:
    dlg = SettingsDialog(gui_project, KEYS)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg._add_vague("heaps", 0)
    dlg.vague.item(dlg.vague.rowCount() - 1, 1).setText("lots")
    dlg.accept()
    assert dlg.isVisible() and "heaps" in dlg.error.text()
    assert _settings(gui_project) == assist.Settings()


def test_user_settings_and_keys(qtbot, gui_project: Project) -> None:
    dlg = SettingsDialog(gui_project, KEYS)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.tabs.setCurrentIndex(1)
    dlg.font_size.setFocus()
    qtbot.keyClick(dlg.font_size, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dlg.font_size, "14")
    dlg.palette_box.setCurrentIndex(1)
    edit = dlg.key_edits["import"]
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # clashes with Open
    dlg.accept()
    assert dlg.isVisible() and "Ctrl+O is used by both" in dlg.error.text()
    edit.clear()
    qtbot.keyClick(edit, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(dlg.user_changed) as sig:
        dlg.accept()
    cfg = load_user_config()
    assert sig.args[0] == cfg
    assert cfg.font_size == 14 and cfg.palette == "okabe-ito" and cfg.keys == {"import": "Ctrl+M"}


def test_actor_list_add_and_import(qtbot, gui_project: Project, tmp_path: Path) -> None:
    dlg = SettingsDialog(gui_project, [])
    qtbot.addWidget(dlg)
    dlg.show()
    before = dlg.actors.rowCount()  # new projects start with a list of known actors
    qtbot.keyClicks(dlg.new_actor, "Katiba Test")
    dlg._add_actor()
    names = [dlg.actors.item(r, 0).text() for r in range(dlg.actors.rowCount())]
    assert "Katiba Test" in names and len(names) == before + 1
    dlg._add_actor()  # empty: nothing
    qtbot.keyClicks(dlg.new_actor, "Katiba Test")
    dlg._add_actor()
    assert "already" in dlg.error.text()
    bad = tmp_path / "a.csv"
    bad.write_text("nothing useful\n")
    dlg.import_actors(bad)
    assert "no actor was imported" in dlg.error.text() and dlg.actors.rowCount() == before + 1
    assert "Katiba Test" in gui_project.actor_names()
