"""After a change the window reads only the spans it names (Project.spans_after): what it shows
must still be what is stored, after undo and redo and after another process's change."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import commands as c
from annotator.core.project import Project
from tests.gui.test_coding_window import key, select


def shown(window) -> list:
    return [window.span_model.rows[i] for i in range(window.span_model.rowCount())]


def test_window_spans_stay_true_through_undo_redo_and_other_processes(qtbot, window, gui_project, new_db) -> None:
    rid, me = window.report_id, window.coder_id
    select(window, "Gao")
    key(qtbot, window, Qt.Key.Key_2)
    key(qtbot, window, Qt.Key.Key_1)  # retag the new span
    assert window._spans == gui_project.spans(rid, me) == shown(window)
    assert [s.type for s in window._spans] == ["actor"]
    assert len(window.text.spans_at(window._spans[0].start)) == 1
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.type for s in shown(window)] == ["location"]
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == [] and window.text.spans_at(window.report_text.index("Gao")) == []
    key(qtbot, window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window._spans == gui_project.spans(rid, me) == shown(window)
    # another process (a second window) tags and retags behind this window's back
    other = Project.open(gui_project.location)
    try:
        pos = window.report_text.index("Tessit")
        other.run(c.AddSpan(rid, me, "location", pos, pos + len("Tessit")))
        other.run(c.SetSpanType(window._spans[0].id, "date"))
    finally:
        other.close()
    select(window, "soldiers")
    key(qtbot, window, Qt.Key.Key_4)  # this window's change names one span: the rest is read too
    stored = gui_project.spans(rid, me)
    assert window._spans == stored == shown(window)
    assert sorted(s.type for s in stored) == ["casualty_count", "date", "location"]


def test_next_report_read_ahead_shows_what_is_stored_now(qtbot, window, gui_project) -> None:
    from annotator.gui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    nxt = window.queue_panel.neighbours(window.report_id)[0]
    taken = []
    real_take = window.prefetch.take
    window.prefetch.take = lambda rid, coder, **kw: taken.append(rid) or real_take(rid, coder, **kw)
    # read ahead (in the background) before another process tags that report
    qtbot.waitUntil(lambda: (nxt, window.coder_id) in window.prefetch._ready, timeout=30_000)
    other = Project.open(gui_project.location)
    try:
        other.run(c.AddSpan(nxt, window.coder_id, "location", 0, 3))
    finally:
        other.close()
    key(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.report_id == nxt and taken[-1] == nxt
    stored = gui_project.spans(nxt, window.coder_id)
    assert len(stored) == 1 and window._spans == stored == shown(window)
    assert window.text.spans_at(0) and window.text.spans_at(0)[0].id == stored[0].id


def test_queue_row_and_claim_list_follow_own_changes(qtbot, window, gui_project) -> None:
    rid, me = window.report_id, window.coder_id

    def row() -> tuple:
        model = window.queue_panel.model
        return model.figures(model.rows[model.row_of[rid]])

    select(window, "Gao")
    key(qtbot, window, Qt.Key.Key_2)
    # the row follows the text's frame (gui/after_frame.py): the event loop brings it
    qtbot.waitUntil(lambda: row() == (gui_project.status(rid, me), 1, 0), timeout=2000)
    key(qtbot, window, Qt.Key.Key_A)  # a claim
    qtbot.waitUntil(lambda: row()[1:] == (1, 1), timeout=2000)
    assert window.claims_view.topLevelItemCount() == 1
    select(window, "gunmen")
    key(qtbot, window, Qt.Key.Key_1)
    key(qtbot, window, Qt.Key.Key_P)  # the actor fills the open claim's perpetrator slot
    assert "gunmen" in window.claims_view.topLevelItem(0).text(1)
    assert window._claims == gui_project.claims(rid, me)
    window._set_status("done")
    qtbot.waitUntil(lambda: row() == ("done", 2, 1), timeout=2000)
    assert gui_project.status(rid, me) == "done"
