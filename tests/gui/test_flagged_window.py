"""Flagged spans in the window: a mark and a filter in the queue, the Flagged tab of the open
report; Enter finds a flagged span's text, the type key tags it, Space marks one re-placed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.packages import make_package
from annotator.core.project import Project
from tests.core.helpers import record, span, write_jsonl

OLD = "Alpha3 struck Beta in Gao.\nLater Alpha3 left Gao.\n"
NEW = "Alfa3 struck Beta in Gau.\nLater Alpha3 left Gao.\n"


def test_a_coder_finds_and_re_places_flagged_spans(qtbot, tmp_path: Path, new_db) -> None:
    from annotator.gui.main_window import MainWindow

    src = Project.open(new_db("src.db"))
    src.import_paths([write_jsonl(tmp_path / "o.jsonl", [record("r1", OLD, [
        {"coder": "bob", "status": "in_progress", "spans": [
            span("s1", "actor", OLD, "Alpha3"), span("s2", "location", OLD, "Gao"),
            span("s3", "actor", OLD, "Beta")]}])])])
    make_package(src, "bob", tmp_path / "bob.db")
    src.close()
    team = Project.open(new_db("team.db"))
    team.import_paths([write_jsonl(tmp_path / "n.jsonl", [record("r0", "Another report.\n"),
                                                          record("r1", NEW)])])
    assert team.merge(tmp_path / "bob.db").flagged == 2
    w = MainWindow(team, team.coder_id("bob"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    model = w.queue_panel.model
    r1 = next(r.id for r in team.reports() if r.external_id == "r1")
    row = model.row_of[r1]
    assert model.index(row, 1).data().startswith("⚑ ")
    assert "2 span(s) flagged" in model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert not model.index(model.row_of[r1 - 1], 1).data().startswith("⚑")
    # the queue's filter keeps the reports with flagged spans
    box = w.status_filter
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End)
    assert box.currentText() == "With flagged spans"
    assert [r.id for r in model.rows] == [r1]
    w.queue_panel.select_report(r1)
    assert w.report_id == r1
    qtbot.waitUntil(lambda: w.tabs.tabText(3) == "Flagged (2)")  # after the text's paint
    w.text.setFocus()
    qtbot.keyClick(w.text, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    flagged = w.flagged_view
    assert QApplication.focusWidget() is flagged and flagged.currentRow() == 0
    qtbot.keyClick(flagged, Qt.Key.Key_Return)  # select "Alpha3" where it still is
    later = NEW.index("Alpha3")
    assert w.text.selection() == (later, later + 6)
    assert QApplication.focusWidget() is w.text
    qtbot.keyClick(w.text, Qt.Key.Key_1)  # actor
    qtbot.waitUntil(lambda: w.tabs.tabText(3) == "Flagged (1)", timeout=3000)
    assert flagged.item(0).text().startswith("✓ ")
    assert "2 span(s)" not in model.index(model.row_of[r1], 1).data(Qt.ItemDataRole.ToolTipRole)
    # the other one: the coder decides it needs no span and marks it re-placed with Space
    qtbot.keyClick(w.text, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(flagged, Qt.Key.Key_Down)
    qtbot.keyClick(flagged, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.tabs.tabText(3) == "Flagged (0)", timeout=3000)
    assert team.flagged_reports("bob") == {}
    assert not model.index(model.row_of[r1], 1).data().startswith("⚑")
    w.queue_panel.reload()
    assert model.rows == []  # nothing flagged is open any more
    qtbot.keyClick(flagged, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert team.flagged_reports("bob") == {r1: 1}
    w.close()
    team.close()
