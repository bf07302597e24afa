"""The window in a team project: locked reports, a coder's queue, the leads' progress dock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.core import commands as c
from annotator.core.assignments import Assign, Unassign
from annotator.core.locks import Lock, Unlock
from annotator.core.project import Project
from annotator.gui.main_window import MainWindow
from annotator.gui.settings_dialog import SettingsDialog
from tests.gui.test_coding_window import key, select


def _window(qtbot, project: Project, name: str, role: str = "coder") -> MainWindow:
    w = MainWindow(project, project.coder_id(name, create=True, role=role))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_locked_report_refuses_the_coders_keys(qtbot, window, gui_project: Project) -> None:
    gui_project.run(Lock([window.report_id]))
    window.queue_panel.reload()
    tip = window.queue_panel.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "locked: its gold version is done" in tip
    select(window, "gunmen")
    key(qtbot, window, Qt.Key.Key_1)
    assert gui_project.spans(window.report_id, window.coder_id) == []
    assert "locked" in window.statusBar().currentMessage()
    gui_project.run(Unlock([window.report_id]))
    select(window, "gunmen")
    key(qtbot, window, Qt.Key.Key_1)
    assert [s.text for s in gui_project.spans(window.report_id, window.coder_id)] == ["gunmen"]


def test_the_queue_shows_the_coders_reports_and_the_pool(qtbot, gui_project: Project) -> None:
    ids = {r.external_id: r.id for r in gui_project.reports()}
    amina = gui_project.coder_id("amina", create=True)
    lukas = gui_project.coder_id("lukas", create=True)
    gui_project.run(Assign([ids["second"]], [lukas]))
    w = _window(qtbot, gui_project, "amina")
    assert w.queue_panel.row_count() == 0  # nothing assigned to amina, no pool
    gui_project.run(Assign([ids["first"]], [amina]))
    assert [r.id for r in w.queue_panel.model.rows] == [ids["first"]]
    # the lead allows the unassigned pool in the settings dialog (from the keyboard)
    gui_project.run(Unassign(lukas))  # the second report is nobody's now
    assert [r.id for r in w.queue_panel.model.rows] == [ids["first"]]
    lead = _window(qtbot, gui_project, "rita", role="reviewer")
    assert lead.queue_panel.row_count() == 2  # reviewers see every report
    dlg = SettingsDialog(gui_project)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.pool.setFocus()
    qtbot.keyClick(dlg.pool, Qt.Key.Key_Space)
    dlg.accept()
    assert gui_project.team_settings().unassigned_pool
    assert [r.id for r in w.queue_panel.model.rows] == [ids["first"], ids["second"]]


def test_the_progress_dock_for_leads(qtbot, gui_project: Project) -> None:
    ids = [r.id for r in gui_project.reports()]
    amina = gui_project.coder_id("amina", create=True)
    lukas = gui_project.coder_id("lukas", create=True)
    gui_project.run(Assign(ids, [amina, lukas], share=1.0))
    coder = _window(qtbot, gui_project, "amina")
    assert not coder.actions_by_name["review.progress"].isEnabled()
    coder.close()
    lead = _window(qtbot, gui_project, "rita", role="reviewer")
    lead.activateWindow()
    qtbot.waitUntil(lead.isActiveWindow)
    lead.text.setFocus()
    qtbot.keyClick(lead.text, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = lead.progress_panel
    assert panel.isVisible()
    table = panel.coders
    rows = {table.item(r, 0).text(): [table.item(r, k).text() for k in range(1, 5)]
            for r in range(table.rowCount())}
    assert rows["amina"] == ["2", "0", "0", "0 of 2"]
    reads = panel.reads
    for rid in ids:  # a burst of changes: one read a moment later
        gui_project.run(c.SetStatus(rid, amina, "done"))
    gui_project.run(c.SetStatus(ids[0], lukas, "done"))
    qtbot.waitUntil(lambda: panel.reads == reads + 1, timeout=3000)
    rows = {table.item(r, 0).text(): [table.item(r, k).text() for k in range(1, 5)]
            for r in range(table.rowCount())}
    assert rows["amina"] == ["0", "0", "2", "2 of 2"] and rows["lukas"][2] == "1"
    assert "1 of 2 (50%)" in panel.summary.text()
    days = panel.days
    header = {days.horizontalHeaderItem(k).text(): k for k in range(days.columnCount())}
    assert days.rowCount() == 1
    assert days.item(0, header["Double-coded done"]).text() == "1"
    assert days.item(0, header["amina"]).text() == "2"
    assert days.item(0, header["Share done"]).text() == "50%"
    qtbot.keyClick(lead.text, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not panel.isVisible()


def test_the_agreement_dialog_compares_each_pair(qtbot, gui_project: Project, tmp_path) -> None:
    from annotator.gui.agreement_view import AgreementDialog
    from tests.core.helpers import record, span, write_jsonl

    text = "Gunmen attacked Kidal on Sunday.\n"

    def ann(coder: str) -> dict:
        return {"coder": coder, "status": "done", "spans": [span("s1", "actor", text, "Gunmen")]}

    gui_project.import_paths([write_jsonl(tmp_path / "p.jsonl", [
        record("p1", text, [ann("amina"), ann("lukas")]),
        record("p2", text + " ", [ann("lukas"), ann("kim")])])])
    dlg = AgreementDialog(gui_project, resamples=0)
    qtbot.addWidget(dlg)
    assert dlg.outcome["reports_used"] == 2
    head = dlg.findChild(QLabel, "agreement_head")
    assert "n per pair: amina & kim 0; amina & lukas 1; kim & lukas 1" in head.text()
    coders = dlg.outcome["coders"]
    cell = dlg.pairs.item(coders.index("amina"), coders.index("lukas"))
    assert cell.text() == "exact 1.000 (n 1)"
    every = AgreementDialog(gui_project, resamples=0, every_coder=True)
    qtbot.addWidget(every)
    assert every.outcome["reports_used"] == 0
