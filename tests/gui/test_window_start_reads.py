"""What the window reads before its first report is painted (the entry point's path,
app.open_window): each read once, the same statements whatever the number of reports (one page
of the queue, never a list of every report as parameters), and no count that scans the project
(the progress line is counted after the paint, on a thread)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from annotator.core.assignments import Assign
from annotator.core.project import Project
from annotator.gui.app import open_window
from annotator.gui.main_window import MainWindow
from annotator.gui.queue_panel import PAGE
from tests.core.helpers import record, span, write_jsonl

#: the statements a window start runs before its first paint (a re-added read fails here):
#: the coder (by name: the window takes that row), the change-log position, the queue's scope,
#: the page (reports, statuses, span and claim counts, locked, flagged: the open report's too),
#: the open report (text, spans, claims, slot fills)
START_READS = 13


class _Reads:
    """Every statement the project's engine runs (SQLite's own trace: the span read goes
    through the driver's cursor), and the parameters of those SQLAlchemy runs."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.sql, self.params = engine, [], []
        self.sqlite = engine.dialect.name == "sqlite"
        event.listen(engine, "before_cursor_execute", self._run)
        if self.sqlite:
            event.listen(engine, "checkout", self._checkout)

    def _run(self, _conn: Any, _cur: Any, statement: str, params: Any, *_a: Any) -> None:
        self.params.append(len(params) if params else 0)
        if not self.sqlite:  # written out with its values, as SQLite's trace shows them
            for key, value in (params.items() if isinstance(params, dict) else ()):
                shown = f"'{value}'" if isinstance(value, str) else str(value)
                statement = statement.replace(f"%({key})s", shown)
            self._add(statement)

    def _checkout(self, dbapi: Any, _record: Any, _proxy: Any) -> None:
        dbapi.set_trace_callback(self._add)

    def _add(self, statement: str) -> None:
        text = " ".join(statement.split())
        if not re.match(r"(BEGIN|COMMIT|ROLLBACK|PRAGMA|SAVEPOINT|RELEASE)\b", text, re.I):
            self.sql.append(text)

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._run)
        if self.sqlite:
            event.remove(self.engine, "checkout", self._checkout)


class _FirstPaint(QObject):
    def __init__(self, reads: _Reads) -> None:
        super().__init__()
        self.reads, self.at = reads, None

    def eventFilter(self, _obj: QObject, ev: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if ev.type() == QEvent.Type.Paint and self.at is None:
            self.at = len(self.reads.sql)
        return False


def _project(tmp_path: Path, new_db: Any, n: int) -> Project:
    text = "Gunmen attacked Gao on Monday, killing 3.\n"
    project = Project.open(new_db(f"p{n}.db"))
    project.import_paths([write_jsonl(tmp_path / f"r{n}.jsonl", [
        record(f"r{i}", f"Report {i}. {text}", [{"coder": "amina", "spans": [
            span("s1", "location", f"Report {i}. {text}", "Gao")]}])
        for i in range(n)])])
    amina = project.coder_id("amina")
    project.run(Assign([r.id for r in project.reports()], [amina]))  # a queue with a scope
    return project


def _start(qtbot: Any, project: Project, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[list[str], list[int], Any]:
    reads = _Reads(project._engine)
    painted = _FirstPaint(reads)
    built = MainWindow.__init__

    def watched(self: MainWindow, *args: Any) -> None:  # watched before open_window shows it
        built(self, *args)
        self.text.viewport().installEventFilter(painted)

    monkeypatch.setattr(MainWindow, "__init__", watched)
    w = open_window(project, "amina")
    monkeypatch.setattr(MainWindow, "__init__", built)
    assert w is not None
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: painted.at is not None, timeout=10_000)
    reads.stop()
    assert painted.at is not None
    return reads.sql[: painted.at], reads.params, w


@pytest.mark.parametrize("n", [PAGE + 40])
def test_the_start_reads_each_thing_once_and_the_same_at_any_size(
        qtbot: Any, tmp_path: Path, new_db: Any, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = {}
    for count in (n, 2 * n):
        project = _project(tmp_path, new_db, count)
        try:
            sql, params, w = _start(qtbot, project, monkeypatch)
            repeated = sorted({s for s in sql if sql.count(s) > 1})
            assert repeated == [], f"read twice at start: {[s[:160] for s in repeated]}"
            assert len(sql) <= START_READS, "\n".join(s[:160] for s in sql)
            assert max(params) <= PAGE + 8  # one page's ids at most, never every report's
            assert not [s for s in sql if re.search(r"count\(\*\)[^()]* FROM report\b", s)]
            assert not [s for s in sql if "GROUP BY assignment.status" in s]
            # the progress line comes just after the paint
            qtbot.waitUntil(lambda w=w, c=count: w.progress.text() == f"0 of {c} reports done",
                            timeout=10_000)
            w.close()
        finally:
            project.close()
        sizes[count] = [re.sub(r"\d+", "#", s) for s in sql]
    assert sizes[n] == sizes[2 * n]  # flat: the same statements at twice the reports


def test_closing_the_window_waits_for_a_progress_count_in_flight(window, monkeypatch) -> None:
    """The status bar's counts are read on a thread that emits a Qt signal when done: a window
    closing (and being deleted) while that thread emits can crash the process, so the close
    waits for the count to end."""
    import threading
    import time

    started = threading.Event()
    real = window.project.status_counts

    def slow(coder_id: int) -> dict[str, int]:
        started.set()
        time.sleep(0.5)
        return real(coder_id)

    monkeypatch.setattr(window.project, "status_counts", slow)
    window.progress_line.refresh_in_background()
    assert started.wait(5)
    window.close()
    assert not window.progress_line.worker.is_alive()


def test_the_first_reports_flagged_spans_are_read_with_the_page(
        qtbot: Any, tmp_path: Path, new_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's flagged spans fill the first report's Flagged tab (one read of the history
    at start, not one for the page and one for the report), and the tooltip's length of a
    report is read when it is shown (the page does not count every text's characters)."""
    from annotator.core.packages import make_package

    old = "Alpha3 struck Beta in Gao.\nLater Alpha3 left Gao.\n"
    new = "Alfa3 struck Beta in Gau.\nLater Alpha3 left Gao.\n"
    src = Project.open(new_db("src.db"))
    src.import_paths([write_jsonl(tmp_path / "o.jsonl", [record("r1", old, [
        {"coder": "amina", "status": "in_progress", "spans": [
            span("s1", "actor", old, "Alpha3"), span("s2", "location", old, "Gao")]}])])])
    make_package(src, "amina", tmp_path / "amina.db")
    src.close()
    project = Project.open(new_db("team.db"))
    try:
        project.import_paths([write_jsonl(tmp_path / "n.jsonl", [
            record("r1", new), record("r2", "Another report.\n")])])
        assert project.merge(tmp_path / "amina.db").flagged == 2
        sql, _params, w = _start(qtbot, project, monkeypatch)
        history = [s for s in sql if "annotation_history.kind = 'flagged'" in s]
        assert len(history) == 1, history
        assert not [s for s in sql if "length(report.text)" in s]
        r1 = w.report_id
        assert r1 == w.queue_panel.model.rows[0].id
        assert w.tabs.tabText(w.tabs.indexOf(w.flagged_view)) == "Flagged (2)"
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow)
        w.text.setFocus()
        qtbot.keyClick(w.text, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is w.flagged_view
        assert w.flagged_view.count() == 2
        model = w.queue_panel.model
        tip = model.index(model.row_of[r1], 1).data(Qt.ItemDataRole.ToolTipRole)
        assert f"{len(new):,} characters" in tip and "2 span(s) flagged" in tip
        other = model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert f"{len('Another report.' + chr(10))} characters" in other
        w.close()
    finally:
        project.close()
