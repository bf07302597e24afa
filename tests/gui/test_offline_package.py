"""A coder's package opens in the window like any project; what is tagged there merges back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.packages import make_package
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen attacked the market in Gao on Sunday; soldiers answered from Menaka.\n"


def test_a_package_is_coded_in_the_window_and_merged_back(qtbot, tmp_path: Path, new_db) -> None:
    from annotator.gui.main_window import MainWindow

    team = Project.open(new_db("team.db"))
    team.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT, [
        {"coder": "bob", "status": "in_progress", "spans": [
            {"id": "s1", "type": "actor", "start": 0, "end": 6, "text": "Gunmen"}]}])])])
    package = tmp_path / "bob.db"
    make_package(team, "bob", package)
    pkg = Project.open(package, create=False)
    window = MainWindow(pkg, pkg.coder_id("bob"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    pos = window.report_text.index("soldiers")
    window.text.select_range(pos, pos)
    window.text.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.text)
    qtbot.keyClick(window.text, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.text, Qt.Key.Key_1)  # the codebook's hotkey for actor
    qtbot.waitUntil(lambda: len(pkg.spans(window.report_id, window.coder_id)) == 2, timeout=3000)
    window.close()
    pkg.close()
    summary = team.merge(package)
    assert summary.ok and summary.count("replaced") == 1, summary.line()
    bob = team.coder_id("bob")
    assert sorted(s.text for s in team.spans(team.reports()[0].id, bob)) == ["Gunmen", "soldiers"]
    team.close()
