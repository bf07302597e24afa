"""The first keys after start: background work waits while the window's thread handles a key
(core.give_way), and a span tagged while the warm-up runs gets its
suggested values once the warm-up is done, never by importing or compiling the normalizers on
the window's thread meanwhile (a key that reads them, Enter, has them at once)."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QEventLoop, Qt, QTimer

from annotator.core import give_way
from annotator.gui import coding
from tests.gui.test_coding_window import key, select


def test_a_key_holds_background_work_until_it_is_handled(qtbot, window, monkeypatch) -> None:
    """A background thread at its checkpoint while a key is handled waits there; it goes on
    once the event loop is idle again."""
    arrived, passed = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}
    real = window._run

    def tagging(*args: object, **kwargs: object) -> bool:  # the tag key's command
        threading.Thread(target=lambda: (arrived.set(), give_way.give_way(60), passed.set()),
                         daemon=True).start()
        assert arrived.wait(30)
        seen["held"] = not passed.wait(0.3)  # the key is being handled: the thread waits
        return real(*args, **kwargs)

    monkeypatch.setattr(window, "_run", tagging)
    select(window, "gunmen")
    loop = QEventLoop()
    QTimer.singleShot(0, lambda: key(qtbot, window, Qt.Key.Key_1))
    poll = QTimer()
    poll.timeout.connect(lambda: passed.is_set() and loop.quit())
    poll.start(20)
    QTimer.singleShot(30_000, loop.quit)
    normal = sys.getswitchinterval()
    try:
        give_way.watch_event_loop(sys._getframe())  # this frame runs the loop, as app.run's
        loop.exec()
    finally:
        give_way._loop = None
        sys.setswitchinterval(normal)
        poll.stop()
    assert seen == {"held": True} and passed.is_set()
    assert window.current_span is not None and window.current_span.text == "gunmen"


def test_suggestions_wait_for_the_warm_up_and_enter_reads_them_at_once(
        qtbot, window, gui_project, monkeypatch) -> None:
    warm = {"running": True}
    monkeypatch.setattr(coding, "warming", lambda: warm["running"])
    asked: list[tuple[str, bool]] = []
    real = gui_project.prefill

    def prefill(report_id: int, type_id: str, start: int, end: int) -> list:
        asked.append((type_id, warm["running"]))
        return real(report_id, type_id, start, end)

    monkeypatch.setattr(gui_project, "prefill", prefill)
    select(window, "12 soldiers")
    key(qtbot, window, Qt.Key.Key_4)
    span_id = window.current_span_id
    qtbot.wait(300)  # several turns of the event loop and the retry timer
    assert asked == [] and span_id not in window._prefill  # nothing normalized meanwhile
    warm["running"] = False
    qtbot.waitUntil(lambda: span_id in window._prefill, timeout=5000)
    assert asked == [("casualty_count", False)]  # once, after the warm-up
    assert window.span_form.has_suggestions()

    warm["running"] = True  # a key that reads the suggestions does not wait
    select(window, "Tessit")
    key(qtbot, window, Qt.Key.Key_2)
    key(qtbot, window, Qt.Key.Key_Return)
    assert asked[-1] == ("location", True)
    assert window._suggest_later is None
