"""The first action of each kind after start does not pay for building widgets: every type's
form fields are built while the window is idle (the first tag of a type only shows them)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui import attribute_form
from tests.gui.test_coding_window import key, select


def test_every_types_fields_are_built_while_idle(qtbot, window, monkeypatch) -> None:
    span_types = window.codebook.span_types
    claim_defs = [tuple(ct.attributes) for ct in window.codebook.claim_types if ct.attributes]
    qtbot.waitUntil(lambda: len(window.span_form._pages) >= len(span_types)
                    and len(window.form.claim_form._pages) >= len(claim_defs), timeout=30_000)
    built = [p.defs for p in window.span_form._pages]
    assert all(tuple(st.attributes) in built for st in span_types)
    claim_built = [p.defs for p in window.form.claim_form._pages]
    assert all(d in claim_built for d in claim_defs)
    made = []
    real = attribute_form._Page.__init__

    def counting(self, *args, **kwargs) -> None:
        made.append(args[0])
        real(self, *args, **kwargs)

    monkeypatch.setattr(attribute_form._Page, "__init__", counting)
    for word, k in (("Gao", Qt.Key.Key_2), ("12", Qt.Key.Key_4), ("gunmen", Qt.Key.Key_1)):
        select(window, word)
        key(qtbot, window, k)
        assert window.current_span is not None and window.current_span.text.lower() == word.lower()
        assert window.span_form.isVisibleTo(window)
    assert made == []  # shown, never built on the key


def test_work_waits_for_the_first_paint_and_runs_once(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    from annotator.gui.idle import after_first_paint

    label = QLabel("a report")
    qtbot.addWidget(label)
    ran: list[int] = []
    after_first_paint(label, lambda: ran.append(1), latest_ms=60_000)
    QApplication.processEvents()
    assert ran == []  # not painted yet
    label.show()
    qtbot.waitUntil(lambda: ran == [1], timeout=10_000)
    label.update()
    qtbot.wait(50)
    assert ran == [1]
    never = QLabel("never shown")
    qtbot.addWidget(never)
    after_first_paint(never, lambda: ran.append(2), latest_ms=10)  # the latest moment
    qtbot.waitUntil(lambda: ran == [1, 2], timeout=10_000)


def test_the_window_starts_its_threads_only_once_its_first_report_is_painted(
        qtbot, gui_project, monkeypatch) -> None:
    from annotator.gui import autobackup
    from annotator.gui.app import open_window

    backups: list[str] = []
    monkeypatch.setattr(autobackup.AutoBackup, "_backup", lambda self, why: backups.append(why))
    w = open_window(gui_project, "tester")
    qtbot.addWidget(w)
    assert w.prefetch._held and backups == []  # nothing competes with the first paint
    qtbot.waitUntil(lambda: not w.prefetch._held and backups == ["open"], timeout=10_000)
