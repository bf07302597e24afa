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
