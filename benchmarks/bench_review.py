"""Review figures (issue 6): opening review of one report with 3 coders x 2,000 spans, and
accept-unanimous over 1,000 reports; each beside a baseline measured in the same run (A B A B,
5 runs unless told, min/median/max, wall and the main thread's CPU).

    .venv/bin/python benchmarks/bench_review.py [RUNS]

Old against new: run it with PYTHONPATH set to an export of main's tree (it shadows the editable
install), alternating with a run on this tree.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import text_sha256  # noqa: E402

TYPES = ["actor", "location", "date", "casualty_count"]


def _text(length: int, i: int) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import report_text

    out = "".join(report_text(i * 1000 + k, 2000) for k in range(length // 2000 + 1))
    return out[:length]


def fill(project, n_reports: int, coders: list[str], per_coder: int, text_len: int, seed: int) -> list[int]:
    from annotator.core.models import assignment_t, report_t, span_t, utcnow

    rnd = random.Random(seed)
    now = utcnow()
    ids = [project.coder_id(c, create=True) for c in coders]
    with project._engine.begin() as conn:
        texts = [_text(text_len, i) + f"\n{seed}-{i}\n" for i in range(n_reports)]
        reports = [{"external_id": f"r{seed}-{i}", "title": f"r{i}", "text": text, "sha256": text_sha256(text),
                    "imported_at": now, "meta": {}} for i, text in enumerate(texts)]
        rids = [int(r[0]) for r in conn.execute(
            report_t.insert().returning(report_t.c.id, sort_by_parameter_order=True), reports)]
        spans, assigns = [], []
        step = text_len // per_coder
        for rid in rids:
            base = [(k * step + rnd.randrange(0, step // 3), rnd.randrange(3, step // 2), rnd.choice(TYPES))
                    for k in range(per_coder)]
            for ci, cid in enumerate(ids):
                assigns.append({"report_id": rid, "coder_id": cid, "status": "done", "created_at": now, "updated_at": now})
                for k, (start, length, t) in enumerate(base):
                    if ci and rnd.random() < 0.1:
                        start += 2
                    spans.append({"report_id": rid, "coder_id": cid, "key": f"s{k + 1}", "type": t, "start": start,
                                  "end": start + length, "text": "x" * length, "attributes": {},
                                  "codebook_id": project.codebook_id, "created_at": now, "updated_at": now})
        conn.execute(assignment_t.insert(), assigns)
        for i in range(0, len(spans), 50_000):
            conn.execute(span_t.insert(), spans[i:i + 50_000])
    return rids


def _fig(label: str, wall: list[float], cpu: list[float], unit: str = "ms") -> str:
    k = 1000 if unit == "ms" else 1

    def three(xs: list[float]) -> str:
        return "/".join(f"{x * k:.0f}" if unit == "ms" else f"{x * k:.2f}"
                        for x in (min(xs), statistics.median(xs), max(xs)))
    return f"   {label}: wall {three(wall)} {unit}, main-thread CPU {three(cpu)} {unit} (min/median/max)"


def _timed(fn) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.thread_time()
    fn()
    return time.perf_counter() - t0, time.thread_time() - c0


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.core import review
    from annotator.core.project import Project
    from annotator.gui.review_window import ReviewWindow

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=5, help="runs of each side (A B A B)")
    reps = parser.parse_args().runs
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        p = Project.open(Path(tmp) / "one.db", with_example=False)
        small = fill(p, 1, ["amina", "lukas", "sam"], 3, 300, 1)[0]
        big = fill(p, 1, ["amina", "lukas", "sam"], 2000, 200_000, 2)[0]
        w = ReviewWindow(p, "rita")
        w.show()
        app.processEvents()
        core: list[tuple[float, float]] = []
        opened: list[tuple[float, float]] = []
        found: dict[int, list] = {}

        def read() -> None:
            with p._engine.connect() as conn:
                found.update(review.review_items(conn, p.codebook, [big], ["amina", "lukas", "sam"]))

        def show() -> None:
            w.open_report(big)
            app.processEvents()

        for _ in range(reps):  # A B A B: the core's read beside the window's whole open
            core.append(_timed(read))
            w.open_report(small)
            app.processEvents()
            opened.append(_timed(show))
        n = len(found[big])
        med = statistics.median(x for x, _ in opened) / statistics.median(x for x, _ in core)
        print(f"open review of a report with 3 coders x 2,000 spans ({n:,} review items), {reps} runs")
        print(_fig("review window (lanes painted, items, versions)", *zip(*opened, strict=True))
              + "   (goal < 300 ms)")
        print(_fig("baseline: the core alone (read, align, compare)", *zip(*core, strict=True)))
        print(f"   ratio window / core (median wall): {med:.2f}x")
        w.close()
        p.close()

        p = Project.open(Path(tmp) / "many.db", with_example=False)
        fill(p, 1000, ["amina", "lukas"], 50, 3000, 3)
        reads: list[tuple[float, float]] = []
        accepts: list[tuple[float, float]] = []
        accepted = 0

        def read_all() -> None:
            with p._engine.connect() as conn:
                review.review_items(conn, p.codebook, None, ["amina", "lukas"])

        for _ in range(reps):  # A B A B, each accept undone before the next run
            reads.append(_timed(read_all))
            cmd = review.AcceptUnanimous("rita", None, ["amina", "lukas"])
            accepts.append(_timed(lambda cmd=cmd: p.run(cmd)))
            accepted = cmd.accepted
            p.undo()
        med = statistics.median(x for x, _ in accepts) / statistics.median(x for x, _ in reads)
        print(f"accept-unanimous over 1,000 reports x 2 coders x 50 spans ({accepted:,} items into "
              f"gold), {reps} runs")
        print(_fig("accept-unanimous (read, align, write gold, commit)", *zip(*accepts, strict=True),
                   unit="s") + "   (goal < 5 s)")
        print(_fig("baseline: reading and aligning them without writing", *zip(*reads, strict=True),
                   unit="s"))
        print(f"   ratio accept / read (median wall): {med:.2f}x")
        p.close()


if __name__ == "__main__":
    main()
