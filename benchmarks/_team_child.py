"""One measured child of bench_team.py: ``agreement DB``, ``status DB`` (the real commands, output
to /dev/null), ``sql DB`` (the rows those commands read, by the driver alone, all held),
``chunks DB`` (the rows agreement reads, 500 reports at a time as it reads them) or ``window DB RUNS``
(the window's start, queue filter, search and status change, each against the same reads by the
driver, A B A B; prints the times as JSON)."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _connect(target: str) -> Any:
    if target.startswith("postgresql"):
        import psycopg

        return psycopg.connect(target)
    import sqlite3

    return sqlite3.connect(target)


def _pg(conn: Any) -> bool:
    return type(conn).__module__.startswith("psycopg")


def _q(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    if _pg(conn):
        sql = sql.replace("?", "%s")
    cur = conn.cursor()
    cur.execute(sql, params)
    return cur.fetchall()


def plain_reads(target: str) -> None:
    """Every row agreement and review read: reports (lengths), statuses, spans with their
    attributes, claims, slot fills, decisions; held in memory as they would be."""
    conn = _connect(target)
    attrs = "CAST(attributes AS TEXT)" if _pg(conn) else "attributes"
    held = [
        _q(conn, "SELECT id, external_id, title, length(text) FROM report"),
        _q(conn, "SELECT report_id, coder_id, status FROM assignment"),
        _q(conn, f'SELECT id, report_id, coder_id, "key", type, start, "end", text, {attrs} '
                 "FROM span"),
        _q(conn, "SELECT claim_id, slot, span_id, not_reported FROM slot_fill "
                 "ORDER BY claim_id, position"),
        _q(conn, f'SELECT id, report_id, coder_id, "key", type, {attrs} FROM claim'),
        _q(conn, "SELECT * FROM decision"),
    ]
    conn.close()
    print(json.dumps({"rows": sum(len(h) for h in held)}))


def chunked_reads(target: str, chunk: int = 500) -> None:
    """The rows ``agreement`` reads, read as it reads them: the reports' lengths and the
    statuses, then 500 reports at a time their spans (with attributes), claims and slot fills,
    each chunk dropped before the next (the memory of one chunk, like the command)."""
    conn = _connect(target)
    attrs = "CAST(attributes AS TEXT)" if _pg(conn) else "attributes"
    reports = _q(conn, "SELECT id, external_id, title, length(text) FROM report")
    n = len(reports) + len(_q(conn, "SELECT report_id, coder_id, status FROM assignment"))
    ids = sorted(int(r[0]) for r in reports)
    for k in range(0, len(ids), chunk):
        part = ", ".join(map(str, ids[k:k + chunk]))
        held = [
            _q(conn, f'SELECT id, report_id, coder_id, "key", type, start, "end", text, {attrs} '
                     f"FROM span WHERE report_id IN ({part})"),
            _q(conn, "SELECT claim_id, slot, span_id, not_reported FROM slot_fill WHERE claim_id "
                     f"IN (SELECT id FROM claim WHERE report_id IN ({part})) "
                     "ORDER BY claim_id, position"),
            _q(conn, f'SELECT id, report_id, coder_id, "key", type, {attrs} FROM claim '
                     f"WHERE report_id IN ({part}) ORDER BY id"),
        ]
        n += sum(len(h) for h in held)
        del held
    conn.close()
    print(json.dumps({"rows": n}))


def command(argv: list[str]) -> None:
    from annotator.cli import main

    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1)
    os.dup2(devnull, 1)
    try:
        code = main(argv)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    print(json.dumps({"exit": code}))


# ------------------------------------------------------------------ the window

PAGE = 256


def _page_reads(conn: Any, coder: int, where: str, params: tuple[Any, ...]) -> list[Any]:
    """What one queue page costs the driver: the page of reports, their statuses, this coder's
    span and claim counts (the queries report_rows makes, written by hand). Returns the page's
    rows (id, external id, title, published, length, status...)."""
    rows = _q(conn, f"SELECT id, external_id, title, published, length(text) FROM report {where} "
                    f"ORDER BY id LIMIT {PAGE} OFFSET 0", params)
    ids = ",".join(str(r[0]) for r in rows) or "NULL"
    statuses = _q(conn, "SELECT a.report_id, c.name, a.status FROM assignment a JOIN coder c ON "
                        f"c.id = a.coder_id WHERE a.report_id IN ({ids}) ORDER BY c.name")
    counts = [_q(conn, f"SELECT report_id, count(*) FROM {table} WHERE coder_id = ? AND "
                       f"report_id IN ({ids}) GROUP BY report_id", (coder,))
              for table in ("span", "claim")]
    status = {r[0]: r[2] for r in statuses}
    spans, claims = (dict(c) for c in counts)
    return [(*r, status.get(r[0], "todo"), spans.get(r[0], 0), claims.get(r[0], 0)) for r in rows]


def _progress_reads(conn: Any, coder: int) -> None:
    _q(conn, "SELECT status, count(*) FROM assignment WHERE coder_id = ? GROUP BY status", (coder,))
    _q(conn, "SELECT count(*) FROM report")


def _report_reads(conn: Any, report: int, coder: int) -> tuple[Any, list[Any], list[Any]]:
    """The report's row (by column name), this coder's spans and claims (with their slot
    fills)."""
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM report WHERE id = {'%s' if _pg(conn) else '?'}", (report,))
    row = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    spans = _q(conn, 'SELECT id, "key", type, start, "end", text, attributes, version FROM span '
                     "WHERE report_id = ? AND coder_id = ? ORDER BY start", (report, coder))
    claims = _q(conn, 'SELECT id, "key", type, attributes FROM claim WHERE report_id = ? AND '
                      "coder_id = ?", (report, coder))
    _q(conn, "SELECT f.claim_id, f.slot, f.span_id FROM slot_fill f JOIN claim c ON c.id = "
             "f.claim_id WHERE c.report_id = ? AND c.coder_id = ?", (report, coder))
    return row, spans, claims


def first_paint(widget: Any) -> Any:
    """An event filter, parented to ``widget``, whose ``at`` is when it first saw a paint: put on
    a text view's viewport, the window's start ends there (what the window leaves for after that
    paint, the form pages, runs in the same processEvents and is not part of the start)."""
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        at: float | None = None

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    return FirstPaint(widget)


def window_start(project: Any, coder: int) -> tuple[float, Any]:
    """A new MainWindow shown at the size `annotator gui` opens at the first time
    (gui/launchers.py): seconds to the first paint of its report text, and the window."""
    from PySide6.QtWidgets import QApplication

    from annotator.gui.main_window import MainWindow

    t0 = time.perf_counter()
    w = MainWindow(project, coder)
    painted = first_paint(w)
    w.text.viewport().installEventFilter(painted)
    w.resize(1360, 860)
    w.show()
    QApplication.processEvents()
    assert w.report_id is not None, "no report opened"
    assert painted.at is not None, "the report was not painted"
    return painted.at - t0, w


def bare_start(conn: Any, coder: int, report: int) -> tuple[float, Any]:
    """The plainest window showing what the window shows at its first paint, from the same
    reads by the driver: the queue page as tree rows, the report's text with its spans
    highlighted, the span and claim lists. Returns the seconds to the text's first paint and
    the window (the caller closes it)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
    from PySide6.QtWidgets import (
        QApplication,
        QListWidget,
        QMainWindow,
        QPlainTextEdit,
        QSplitter,
        QTextEdit,
        QTreeWidget,
        QTreeWidgetItem,
    )

    t0 = time.perf_counter()
    page = _page_reads(conn, coder, "", ())
    row, spans, claims = _report_reads(conn, report, coder)
    win = QMainWindow()
    split = QSplitter(Qt.Orientation.Horizontal)
    tree = QTreeWidget()
    tree.setHeaderLabels(["report", "title", "status", "spans", "claims"])
    tree.addTopLevelItems([QTreeWidgetItem([str(r[1]), str(r[2]), str(r[5]), str(r[6]),
                                            str(r[7])]) for r in page])
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setPlainText(row["text"])
    fmt = QTextCharFormat()
    fmt.setBackground(QColor("#a3c8f4"))
    marks = []
    for s in spans:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(text.document())
        cur.setPosition(s[3])
        cur.setPosition(s[4], QTextCursor.MoveMode.KeepAnchor)
        sel.cursor, sel.format = cur, fmt
        marks.append(sel)
    text.setExtraSelections(marks)
    lists = QSplitter(Qt.Orientation.Vertical)
    span_list, claim_list = QListWidget(), QListWidget()
    span_list.addItems([f"{s[2]}  {s[5]}" for s in spans])
    claim_list.addItems([f"{c[2]} {c[1]}" for c in claims])
    lists.addWidget(span_list)
    lists.addWidget(claim_list)
    for w in (tree, text, lists):
        split.addWidget(w)
    win.setCentralWidget(split)
    painted = first_paint(win)
    text.viewport().installEventFilter(painted)
    win.resize(1360, 860)  # the window's first size (gui/launchers.py)
    win.show()
    QApplication.processEvents()
    assert painted.at is not None, "the bare window's text was not painted"
    return painted.at - t0, win


def window(target: str, runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from _team_figures import interleave

    from annotator.core.project import Project

    project = Project.open(target)
    coder = project.coder_id("amina")
    conn = _connect(target)
    out: dict[str, tuple[list[float], list[float]]] = {}
    windows: list[Any] = []

    def start() -> float:
        if windows:
            windows.pop().close()
        took, w = window_start(project, coder)
        windows.append(w)
        return took

    first = project.reports(limit=1)[0].id

    def start_sql() -> None:
        # what the window reads before its first report is painted: the first queue page and
        # the report (the progress counts, which grow with the project, are read after that
        # paint on a thread: gui/progress_line.py; the status change below times them)
        _page_reads(conn, coder, "", ())
        _report_reads(conn, first, coder)

    out["window start (to the first report shown)"] = interleave(start, start_sql, runs)
    bare: list[Any] = []

    def start_bare() -> None:
        while bare:
            bare.pop().close()
        bare.append(bare_start(conn, coder, first)[1])

    # the same start beside the plainest window showing the same reads (the fixed cost of
    # building any window is on both sides; what is left is the window's own work)
    out["window start, against a bare window showing the same reads"] = interleave(
        start, start_bare, runs)
    while bare:
        bare.pop().close()
    w = windows[0]
    panel = w.queue_panel
    cycle = [1, 2, 3, 0]
    state = {"filter": 0, "sql": 0}

    def filter_once() -> None:
        panel.status_filter.setCurrentIndex(cycle[state["filter"] % 4])
        state["filter"] += 1
        app.processEvents()

    def filter_sql() -> None:
        status = [None, "todo", "in_progress", "done"][cycle[state["sql"] % 4]]
        state["sql"] += 1
        if status is None:
            _page_reads(conn, coder, "", ())
        elif status == "todo":
            _page_reads(conn, coder, "WHERE id NOT IN (SELECT report_id FROM assignment WHERE "
                                     "coder_id = ? AND status != 'todo')", (coder,))
        else:
            _page_reads(conn, coder, "WHERE id IN (SELECT report_id FROM assignment WHERE "
                                     "coder_id = ? AND status = ?)", (coder, status))
        _progress_reads(conn, coder)

    out["queue filter (status, first page)"] = interleave(filter_once, filter_sql, runs * 2)
    panel.status_filter.setCurrentIndex(0)
    app.processEvents()
    n = project.report_count()
    rnd = random.Random(3)
    terms = [f"Report {rnd.randrange(n)}:" for _ in range(runs * 2)]
    pos = {"ours": 0, "sql": 0}

    def search_once() -> None:
        panel.search.setText(terms[pos["ours"]])
        pos["ours"] += 1
        panel._search_timer.stop()
        panel.reload()
        app.processEvents()

    def search_sql() -> None:
        like = f"%{terms[pos['sql']]}%"
        pos["sql"] += 1
        op = "ILIKE" if _pg(conn) else "LIKE"
        _page_reads(conn, coder, f"WHERE title {op} ? OR text {op} ? OR external_id {op} ?",
                    (like, like, like))
        _progress_reads(conn, coder)

    out["queue search (title and text, first page)"] = interleave(search_once, search_sql,
                                                                 runs * 2)
    panel.search.setText("")
    panel._search_timer.stop()
    panel.reload()
    app.processEvents()
    flip = {"ours": 0, "sql": 0}

    def status_once() -> None:
        w._set_status(("in_progress", "done")[flip["ours"] % 2])
        flip["ours"] += 1
        app.processEvents()

    report = w.report_id

    def status_sql() -> None:
        status = ("in_progress", "done")[flip["sql"] % 2]
        flip["sql"] += 1
        _q(conn, "UPDATE assignment SET status = ?, version = version + 1 WHERE report_id = ? "
                 "AND coder_id = ? RETURNING id", (status, report, coder))
        conn.commit()
        _progress_reads(conn, coder)

    out["status change (stored, queue row and progress shown)"] = interleave(
        status_once, status_sql, runs * 2)
    w.close()
    project.close()
    conn.close()
    print(json.dumps(out))


def main() -> None:
    mode, target = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    if mode == "sql":
        plain_reads(target)
    elif mode == "chunks":
        chunked_reads(target)
    elif mode == "agreement":
        command(["--db", target, "agreement", "--json"])
    elif mode == "status":
        command(["--db", target, "adjudicate", "--status"])
    elif mode == "window":
        window(target, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    del t0


if __name__ == "__main__":
    main()
