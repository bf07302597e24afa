"""The coding window's figures (issue 3), each beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_window.py

1. launch of the real `annotator` command to a shown window (Xvfb) on a project of 10,000
   reports, beside a bare PySide6 window started by the same interpreter (A B A B, ratio);
2. open and highlight a 1 MB report with 10,000 spans, beside a bare QPlainTextEdit given the same
   text and ranges (mergeCharFormat inside one edit block);
3. one tag action (selection -> the hotkey's action -> committed and repainted) in a project of
   1,000,000 spans: median and 95th percentile over 60 actions.
Runs offscreen (QT_QPA_PLATFORM=offscreen), so painting to a screen is not included.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import help_and_exit_if_asked, report_text, text_sha256  # noqa: E402


def fill_reports(db: Path, n: int) -> None:
    from annotator.core.models import report_t, utcnow
    from annotator.core.project import Project

    project = Project.open(db, with_example=False)
    now = utcnow()
    texts = [report_text(i, 3000) for i in range(n)]
    rows = [{"external_id": f"r{i}", "title": f"Report {i}: shelling near a town", "text": text,
             "sha256": text_sha256(text), "imported_at": now, "meta": {}} for i, text in enumerate(texts)]
    with project._engine.begin() as conn:
        conn.execute(report_t.insert(), rows)
    project.close()


def bench_launch(tmp: Path) -> None:
    """The real `annotator` command against a bare PySide6 window started by the same
    interpreter, A B A B, to the window being shown on an Xvfb server (bench_latency.py)."""
    import shutil

    from _xwin import Xvfb
    from bench_latency import _start, _stop, bare_argv, compare, subject_argv

    db = tmp / "launch.db"
    fill_reports(db, 10_000)
    texts = tmp / "texts"
    texts.mkdir()
    (texts / "r0.txt").write_text(report_text(0, 3000), encoding="utf-8")
    config = tmp / "config"
    ours, bare = [], []
    x = Xvfb()
    try:
        for _ in range(5):
            for argv, out in ((subject_argv(db), ours), (bare_argv(texts), bare)):
                shutil.rmtree(config, ignore_errors=True)
                proc, _, took = _start(x, argv, config)
                out.append(took)
                _stop(proc)
    finally:
        x.close()
    print("1. launch to a shown window, 10,000 reports (5 fresh processes each, A B A B, Xvfb)")
    print(compare("`annotator --db launch.db gui` vs a bare PySide6 window", ours, bare)
          + "   (goal <= 3x)")


def big_report(n_spans: int = 10_000, size: int = 1_000_000) -> tuple[str, list[tuple[int, int, str]]]:
    rnd = random.Random(7)
    text = "".join(report_text(i, 5000) for i in range(size // 5000 + 1))[:size]
    text = "🚨 " + text  # an astral character first: every offset needs the UTF-16 mapping
    types = ["actor", "location", "date", "casualty_count"]
    spans = []
    step = len(text) // n_spans
    for k in range(n_spans):
        start = k * step + rnd.randrange(0, step // 2)
        end = min(len(text), start + rnd.randrange(3, step + 20))  # some overlap the next
        spans.append((start, end, types[k % 4]))
    return text, spans


def _insert_spans(project, report_id: int, coder_id: int, spans: list[tuple[int, int, str]], text: str) -> None:
    from annotator.core.models import span_t, utcnow

    now = utcnow()
    rows = [{"report_id": report_id, "coder_id": coder_id, "key": f"s{k + 1}", "type": t,
             "start": a, "end": b, "text": text[a:b], "attributes": {}, "codebook_id": project.codebook_id,
             "created_at": now, "updated_at": now} for k, (a, b, t) in enumerate(spans)]
    with project._engine.begin() as conn:
        for first in range(0, len(rows), 50_000):
            conn.execute(span_t.insert(), rows[first:first + 50_000])


def _add_report(project, ext: str, text: str) -> int:
    from annotator.core.models import report_t, utcnow

    with project._engine.begin() as conn:
        return int(conn.execute(report_t.insert().values(
            external_id=ext, title=ext, text=text, sha256=text_sha256(text),
            imported_at=utcnow(), meta={})).inserted_primary_key[0])


def bench_open(tmp: Path) -> None:
    from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from annotator.core.offsets import Utf16Map
    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    text, spans = big_report()
    project = Project.open(tmp / "big.db", with_example=False)
    small = _add_report(project, "small", "A short report.\n")
    big = _add_report(project, "big", text)
    coder = project.coder_id("bench", create=True)
    _insert_spans(project, big, coder, spans, text)
    w = MainWindow(project, coder)
    w.resize(1300, 850)
    w.show()
    app.processEvents()
    ours, base, ours_scroll, base_scroll = [], [], [], []
    colors = {t.id: t.color for t in project.codebook.span_types}
    m = Utf16Map(text)
    ranges16 = [(m.to_utf16(a), m.to_utf16(b), t) for a, b, t in spans]
    for _ in range(5):
        w.open_report(small)
        app.processEvents()
        t0 = time.perf_counter()
        w.open_report(big)
        app.processEvents()
        ours.append(time.perf_counter() - t0)
        assert len(w.text.spans_at(spans[0][0])) >= 1
        ours_scroll.append(_page_through(app, w.text))
        # the baseline: the same text and ranges in a bare QPlainTextEdit
        edit = QPlainTextEdit()
        edit.resize(680, 800)
        edit.show()
        app.processEvents()
        t0 = time.perf_counter()
        edit.setPlainText(text)
        cur = QTextCursor(edit.document())
        cur.beginEditBlock()
        fmts = {}
        for a, b, t in ranges16:
            f = fmts.get(t)
            if f is None:
                f = fmts[t] = QTextCharFormat()
                f.setBackground(QColor(colors[t]))
            cur.setPosition(a)
            cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            cur.mergeCharFormat(f)
        cur.endEditBlock()
        app.processEvents()
        base.append(time.perf_counter() - t0)
        base_scroll.append(_page_through(app, edit))
        edit.deleteLater()
    o, b = statistics.median(ours), statistics.median(base)
    print(f"2. open and highlight a {len(text) / 1e6:.1f} MB report with {len(spans):,} spans (median of 5)")
    print(f"   annotator open_report:          {o * 1000:7.0f} ms")
    print(f"   bare QPlainTextEdit + mergeCharFormat: {b * 1000:5.0f} ms   ratio {o / b:.2f}x (goal <= 1.5x)")
    # highlights are given to blocks as they come into view: jumping around must stay cheap
    o, b = statistics.median(ours_scroll), statistics.median(base_scroll)
    print(f"   then 20 jumps through the report (scrollbar to 5%, 10%, ... 100%, each painted): "
          f"{o * 1000:.0f} ms vs bare {b * 1000:.0f} ms, ratio {o / b:.2f}x")
    w.close()
    project.close()


def _page_through(app, edit) -> float:
    bar = edit.verticalScrollBar()
    t0 = time.perf_counter()
    for k in range(1, 21):
        bar.setValue(bar.maximum() * k // 20)
        edit.viewport().repaint()
    app.processEvents()
    took = time.perf_counter() - t0
    bar.setValue(0)
    app.processEvents()
    return took


def bench_tag(tmp: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    db = tmp / "million.db"
    subprocess.run([sys.executable, str(Path(__file__).with_name("bench_export.py")), "--build",
                    "1000000", str(db)], check=True, capture_output=True)
    project = Project.open(db)
    coder = project.coder_id("amina")
    w = MainWindow(project, coder)
    w.show()
    app.processEvents()
    text = w.report_text
    rnd = random.Random(3)
    words = [(m_start, m_start + len(word)) for m_start, word in _words(text)]
    times = []
    for _ in range(60):
        a, b = rnd.choice(words)
        w.text.select_range(a, b)
        app.processEvents()
        t0 = time.perf_counter()
        w.tag_actions["location"].trigger()
        app.processEvents()
        times.append(time.perf_counter() - t0)
        project.undo()
        app.processEvents()
    times.sort()
    print(f"3. one tag action in a project of 1,000,000 spans ({len(times)} actions)")
    print(f"   median {statistics.median(times) * 1000:.1f} ms, 95th percentile {times[int(len(times) * 0.95)] * 1000:.1f} ms"
          "   (goal: median < 16 ms)")
    w.close()
    project.close()


def _words(text: str):
    import re

    for m in re.finditer(r"[A-Za-z]{4,}", text):
        yield m.start(), m.group()


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        bench_launch(tmp)
        bench_open(tmp)
        bench_tag(tmp)


if __name__ == "__main__":
    help_and_exit_if_asked(__doc__)
    main()
