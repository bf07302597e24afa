"""File → New/Open/Recent/Settings, Help → About, Review → Upgrade: wired into the window."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from annotator.core.project import Project
from annotator.core.userconfig import UserConfig, save_user_config
from annotator.gui import project_dialogs
from annotator.gui.app import open_window


def _file_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")


def test_file_menu_entries_and_keys(qtbot, window) -> None:
    a = window.actions_by_name
    assert a["file.open_project"].shortcut().toString() == "Ctrl+O"
    assert a["file.import"].shortcut().toString() == "Ctrl+I"  # import moved off Ctrl+O
    assert a["file.new_project"].shortcut().toString() == "Ctrl+N"
    assert "help.about" in a and "file.settings" in a and "review.upgrade" in a
    window.install_recent_menu()
    texts = [x.text() for x in _file_menu(window).actions()]
    assert texts.index("Open &Recent") == texts.index("&Open project…") + 1


def test_ctrl_o_opens_a_project_in_a_new_window(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    other = Project.open(tmp_path / "other.db")
    other.close()
    QSettings().setValue(f"coder/{tmp_path / 'other.db'}", "lukas")
    monkeypatch.setattr(project_dialogs.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "other.db"), ""))
    window.text.setFocus()
    qtbot.keyClick(window.text, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    new = window.next_window
    qtbot.addWidget(new)
    assert new.project.location == str(tmp_path / "other.db") and new.coder_name == "lukas"
    assert str(tmp_path / "other.db") in new.windowTitle()
    assert not window.isVisible()
    new.close()
    new.project.close()


def test_user_settings_apply_to_a_new_window(qtbot, gui_project: Project) -> None:
    save_user_config(UserConfig(font_size=17, palette="okabe-ito", keys={"file.export": "Ctrl+Shift+X"}))
    QSettings().setValue(f"coder/{gui_project.location}", "tester")
    w = open_window(gui_project)
    qtbot.addWidget(w)
    assert w.font_size() == 17
    assert w.actions_by_name["file.export"].shortcut().toString() == "Ctrl+Shift+X"
    assert w._colors[gui_project.codebook.span_types[0].id] == "#E69F00"
    w.close()


def test_undoing_a_codebook_upgrade_reopens_the_window(qtbot, tmp_path: Path) -> None:
    from annotator.core import codebook_upgrade as cu
    from annotator.core.codebook import load_default_codebook, parse_codebook

    p = Project.open(tmp_path / "u.db")
    QSettings().setValue(f"coder/{p.location}", "rita")
    p.coder_id("rita", create=True, role="reviewer")
    w = open_window(p)
    qtbot.addWidget(w)
    raw = json.loads(load_default_codebook().to_json())
    raw["version"] = 2
    raw["span_types"].append({"id": "weapon", "label": "Weapon", "hotkey": "5"})
    with p._engine.connect() as conn:
        plan = cu.plan_upgrade(conn, p.codebook, parse_codebook(raw, "v2"))
    p.run(cu.UpgradeCodebook(plan))
    qtbot.waitUntil(lambda: getattr(w, "next_window", None) is not None)
    w2 = w.next_window
    qtbot.addWidget(w2)
    assert "tag.weapon" in w2.actions_by_name
    p.undo()
    qtbot.waitUntil(lambda: getattr(w2, "next_window", None) is not None)
    w3 = w2.next_window
    qtbot.addWidget(w3)
    assert "tag.weapon" not in w3.actions_by_name and w3.project is p
    w3.close()
    QApplication.processEvents()
    p.close()


def test_about_names_the_version_and_project(qtbot, window) -> None:
    from annotator import __version__
    from annotator.gui.about_dialog import AboutDialog

    dlg = AboutDialog(window.project.location)
    qtbot.addWidget(dlg)
    assert __version__ in dlg.text.text() and window.project.location in dlg.text.text()
