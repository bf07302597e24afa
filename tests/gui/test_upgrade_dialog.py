"""Review → Upgrade the codebook: plan first, apply with a backup, undoable."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.core import backup
from annotator.core.codebook import parse_codebook
from annotator.core.project import Project
from annotator.gui.upgrade_dialog import UpgradeDialog
from tests.core.helpers import record, write_jsonl
from tests.core.test_codebook_upgrade import TEXT, V1, _ann, v2


def _project(tmp_path: Path) -> Project:
    p = Project.open(tmp_path / "evo.db", codebook=parse_codebook(V1, "v1"))
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT, [
        _ann("alice", ["army", "police"], "reported", True)])])])
    (tmp_path / "v2.json").write_text(json.dumps(v2()))
    return p


def test_plan_then_apply_then_undo(qtbot, tmp_path: Path) -> None:
    p = _project(tmp_path)
    dlg = UpgradeDialog(p)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.path, str(tmp_path / "v2.json"))
    dlg.renames.setPlainText("merge actor.actor_type:army,police=state_forces")
    assert not dlg.apply_button.isEnabled()
    qtbot.mouseClick(dlg.show_plan, Qt.MouseButton.LeftButton)
    text = dlg.plan_view.toPlainText()
    assert "evo@1 -> evo@2" in text and "merged" in text and "span type weapon" in text
    assert p.codebook.ref == "evo@1" and dlg.apply_button.isEnabled()
    dlg.renames.moveCursor(dlg.renames.textCursor().MoveOperation.End)
    qtbot.keyClick(dlg.renames, Qt.Key.Key_Return)
    qtbot.keyClicks(dlg.renames, "frobnicate x")  # editing drops the plan
    assert not dlg.apply_button.isEnabled()
    qtbot.mouseClick(dlg.show_plan, Qt.MouseButton.LeftButton)
    assert "rename or merge" in dlg.error.text() and not dlg.apply_button.isEnabled()
    dlg.renames.setPlainText("merge actor.actor_type:army,police=state_forces")
    qtbot.mouseClick(dlg.show_plan, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.apply_button, Qt.MouseButton.LeftButton)
    assert p.codebook.ref == "evo@2" and "marked" in dlg.result_line
    assert backup.newest_backup(p.location).reason == "before_upgrade"
    p.undo()
    assert p.codebook.ref == "evo@1"
    p.close()


def test_a_bad_codebook_file_is_named(qtbot, tmp_path: Path) -> None:
    p = _project(tmp_path)
    dlg = UpgradeDialog(p)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.path, str(tmp_path / "nope.json"))
    qtbot.mouseClick(dlg.show_plan, Qt.MouseButton.LeftButton)
    assert "nope.json" in dlg.error.text() and not dlg.apply_button.isEnabled()
    p.close()
