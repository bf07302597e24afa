"""The lead's actions in the window (issue 16): assign, move, unassign, lock and unlock the
selected reports from the keyboard and the queue's context menu, refused for a coder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.project import Project
from annotator.gui.main_window import MainWindow

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def _window(qtbot, project: Project, name: str, role: str = "coder") -> MainWindow:
    w = MainWindow(project, project.coder_id(name, create=True, role=role))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _pick(qtbot, w: MainWindow, *names: str) -> None:
    """Choose the coders in the picker by typing their first letters, then Enter."""
    qtbot.waitUntil(lambda: w.coder_picker is not None and w.coder_picker.isVisible())
    dlg = w.coder_picker
    dlg.activateWindow()  # as the window manager does: the keys go to the dialog
    qtbot.waitUntil(dlg.isActiveWindow)
    for box, name in zip(dlg.boxes, names, strict=True):
        box.setFocus()
        qtbot.keyClicks(box, name[:2])
        assert box.currentText() == name
    qtbot.keyClick(dlg.boxes[-1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    w.activateWindow()  # back to the window, as the window manager does
    qtbot.waitUntil(w.isActiveWindow)
    w.queue.setFocus()


def _assigned(p: Project, name: str) -> list[str]:
    return sorted(r.external_id for r in p.reports() if name in r.statuses)


def test_the_lead_assigns_moves_unassigns_and_locks_from_the_keyboard(
        qtbot, gui_project: Project) -> None:
    gui_project.coder_id("amina", create=True)
    gui_project.coder_id("lukas", create=True)
    w = _window(qtbot, gui_project, "rita", role="reviewer")
    w.toggle_progress()
    panel = w.progress_panel
    queue = w.queue
    queue.setFocus()
    qtbot.keyClick(queue, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(queue, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # both reports
    assert len(w.selected_reports()) == 2
    qtbot.keyClick(queue, Qt.Key.Key_A, CTRL_ALT)
    _pick(qtbot, w, "lukas")
    assert _assigned(gui_project, "lukas") == ["first", "second"]
    assert "Assigned 2 report(s)" in w.statusBar().currentMessage()
    tip = w.queue_panel.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "lukas: todo" in tip  # the queue shows it at once
    qtbot.waitUntil(lambda: any(panel.coders.item(r, 0).text() == "lukas"
                                and panel.coders.item(r, 1).text() == "2"
                                for r in range(panel.coders.rowCount())), timeout=3000)
    # move the first report to amina
    qtbot.keyClick(queue, Qt.Key.Key_Up)  # the first report alone
    assert w.selected_reports() == [w.queue_panel.model.rows[0].id]
    qtbot.keyClick(queue, Qt.Key.Key_M, CTRL_ALT)
    _pick(qtbot, w, "lukas", "amina")
    assert _assigned(gui_project, "amina") == ["first"]
    assert _assigned(gui_project, "lukas") == ["second"]
    # unassign amina again, then undo it
    qtbot.keyClick(queue, Qt.Key.Key_U, CTRL_ALT)
    _pick(qtbot, w, "amina")
    assert _assigned(gui_project, "amina") == []
    assert "Withdrew 1 assignment(s)" in w.statusBar().currentMessage()
    qtbot.keyClick(queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _assigned(gui_project, "amina") == ["first"]
    # lock and unlock the selected report
    qtbot.keyClick(queue, Qt.Key.Key_L, CTRL_ALT)
    first = w.queue_panel.model.rows[0].id
    assert gui_project.locked_reports() == {first}
    assert "locked" in w.queue_panel.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(queue, Qt.Key.Key_L, CTRL_ALT | Qt.KeyboardModifier.ShiftModifier)
    assert gui_project.locked_reports() == set()
    assert "Unlocked 1 report(s)" in w.statusBar().currentMessage()


def test_the_queues_context_menu_holds_the_leads_actions(qtbot, gui_project: Project) -> None:
    gui_project.coder_id("amina", create=True)
    w = _window(qtbot, gui_project, "rita", role="reviewer")
    view = w.queue
    rect = view.visualRect(w.queue_panel.model.index(1, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view.customContextMenuRequested.emit(rect.center())  # what a right click asks for
    menu = w.queue_context_menu
    qtbot.waitUntil(menu.isVisible)
    names = [a.objectName() for a in menu.actions()]
    assert names == ["team.assign", "team.move", "team.unassign", "team.lock", "team.unlock"]
    lock = menu.actions()[3]
    menu.setActiveAction(lock)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert gui_project.locked_reports() == {w.queue_panel.model.rows[1].id}


def test_a_coder_is_refused_the_leads_actions_with_a_plain_message(
        qtbot, gui_project: Project) -> None:
    w = _window(qtbot, gui_project, "amina")
    w.queue.setFocus()
    for key in (Qt.Key.Key_L, Qt.Key.Key_A):
        qtbot.keyClick(w.queue, key, CTRL_ALT)
        assert "amina is a coder: a coder cannot assign" in w.statusBar().currentMessage()
        assert w.coder_picker is None
    assert gui_project.locked_reports() == set()
    assert isinstance(QApplication.instance(), QApplication)
