"""New project, Open project and Open Recent, driven with the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.project import Project
from annotator.core.userconfig import load_user_config
from annotator.gui import project_dialogs
from annotator.gui.project_dialogs import NewProjectDialog, RecentMenu, open_location


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_new_project_with_the_default_codebook(qtbot, tmp_path: Path) -> None:
    dlg = NewProjectDialog(folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "conflict-events@1" in dlg.preview.text() and dlg.create_button.isEnabled()
    _type(qtbot, dlg.path, str(tmp_path / "first"))
    qtbot.keyClick(dlg.example, Qt.Key.Key_Space)
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    assert dlg.result() == dlg.DialogCode.Accepted
    assert dlg.project is not None and dlg.project.location.endswith("first.db")
    assert dlg.project.reports()  # the example
    assert load_user_config().recent[0] == dlg.project.location
    dlg.project.close()


def test_new_project_from_a_codebook_file_shows_problems_inline(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "version": 1, "span_types": [{"id": "A", "hotkey": "toolong"}]}')
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"id": "ner", "version": 2, "title": "NER",
                                "span_types": [{"id": "PER", "label": "Person"}]}))
    dlg = NewProjectDialog(folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.file_radio.setFocus()
    qtbot.keyClick(dlg.file_radio, Qt.Key.Key_Space)
    assert dlg.file_radio.isChecked() and not dlg.create_button.isEnabled()
    _type(qtbot, dlg.codebook_path, str(bad))
    assert "hotkey" in dlg.preview.text() and not dlg.create_button.isEnabled()
    _type(qtbot, dlg.codebook_path, str(good))
    assert "ner@2" in dlg.preview.text() and "Person" in dlg.preview.text()
    (tmp_path / "taken.db").write_bytes(b"x")
    _type(qtbot, dlg.path, str(tmp_path / "taken.db"))
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    assert dlg.isVisible() and "already exists" in dlg.error.text()  # stays open, says why
    _type(qtbot, dlg.path, str(tmp_path / "ner.db"))
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    assert dlg.project is not None and dlg.project.codebook.ref == "ner@2"
    dlg.project.close()


def test_new_project_from_brat_conf(qtbot, tmp_path: Path) -> None:
    conf = tmp_path / "annotation.conf"
    conf.write_text("[entities]\nPerson\nWeapon\n[relations]\n[events]\n[attributes]\n")
    dlg = NewProjectDialog(folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.brat_radio.setFocus()
    qtbot.keyClick(dlg.brat_radio, Qt.Key.Key_Space)
    _type(qtbot, dlg.codebook_path, str(conf))
    assert "Weapon" in dlg.preview.text()
    _type(qtbot, dlg.path, str(tmp_path / "brat.db"))
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    assert dlg.project is not None
    assert [t.id for t in dlg.project.codebook.span_types] == ["Person", "Weapon"]
    dlg.project.close()


def test_open_and_recent(qtbot, tmp_path: Path, monkeypatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    (tmp_path / "empty.db").write_bytes(b"")
    assert open_location(str(tmp_path / "empty.db")) is None
    assert "empty" in warnings[0]
    for name in ("one.db", "two.db"):
        Project.open(tmp_path / name).close()
        p = open_location(str(tmp_path / name))
        assert p is not None
        p.close()
    (tmp_path / "one.db").rename(tmp_path / "moved.db")  # gone: left out of the menu
    menu = RecentMenu()
    qtbot.addWidget(menu)
    entries = [a for a in menu.actions() if a.data()]
    assert [a.data() for a in entries] == [str(tmp_path / "two.db")]
    with qtbot.waitSignal(menu.open_requested) as sig:
        entries[0].trigger()
    assert sig.args == [str(tmp_path / "two.db")]
    clear = next(a for a in menu.actions() if "Clear" in a.text())
    clear.trigger()
    assert load_user_config().recent == []
    assert not [a for a in menu.actions() if a.data()]


def test_open_dialog_uses_the_file_chosen(qtbot, tmp_path: Path, monkeypatch) -> None:
    Project.open(tmp_path / "p.db").close()
    monkeypatch.setattr(project_dialogs.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "p.db"), ""))
    p = project_dialogs.ask_open_project()
    assert p is not None and p.location == str(tmp_path / "p.db")
    p.close()


def test_new_project_from_a_refi_qda_codebook(qtbot, tmp_path: Path) -> None:
    qdc = Path(__file__).resolve().parents[1] / "fixtures" / "refi_qda" / "nested.qdc"
    bad = Path(__file__).resolve().parents[1] / "fixtures" / "refi_qda" / "bad.qdc"
    dlg = NewProjectDialog(folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.file_radio.setFocus()
    qtbot.keyClick(dlg.file_radio, Qt.Key.Key_Space)
    _type(qtbot, dlg.codebook_path, str(bad))
    assert "line 9" in dlg.preview.text() and not dlg.create_button.isEnabled()
    _type(qtbot, dlg.codebook_path, str(qdc))
    assert "Violence › Armed clash" in dlg.preview.text() and dlg.create_button.isEnabled()
    _type(qtbot, dlg.path, str(tmp_path / "qda.db"))
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    assert dlg.project is not None
    assert dlg.project.codebook.span_type("Violence__Armed_clash") is not None
    dlg.project.close()
