"""Review figures (issue 6): opening review of one report with 3 coders x 2,000 spans, and
accept-unanimous over 1,000 reports; each beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_review.py
"""

from __future__ import annotations

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


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.core import review
    from annotator.core.project import Project
    from annotator.gui.review_window import ReviewWindow

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        p = Project.open(Path(tmp) / "one.db", with_example=False)
        small = fill(p, 1, ["amina", "lukas", "sam"], 3, 300, 1)[0]
        big = fill(p, 1, ["amina", "lukas", "sam"], 2000, 200_000, 2)[0]
        w = ReviewWindow(p, "rita")
        w.show()
        app.processEvents()
        core, opened = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            with p._engine.connect() as conn:
                items = review.review_items(conn, p.codebook, [big], ["amina", "lukas", "sam"])
            core.append(time.perf_counter() - t0)
            w.open_report(small)
            app.processEvents()
            t0 = time.perf_counter()
            w.open_report(big)
            app.processEvents()
            opened.append(time.perf_counter() - t0)
        n = len(items[big])
        print(f"open review of a report with 3 coders x 2,000 spans ({n:,} review items), median of 5")
        print(f"   review window (lanes painted, items, versions): {statistics.median(opened) * 1000:.0f} ms   (goal < 300 ms)")
        print(f"   of which the core (read, align, compare):       {statistics.median(core) * 1000:.0f} ms")
        w.close()
        p.close()

        p = Project.open(Path(tmp) / "many.db", with_example=False)
        fill(p, 1000, ["amina", "lukas"], 50, 3000, 3)
        with p._engine.connect() as conn:
            t0 = time.perf_counter()
            review.review_items(conn, p.codebook, None, ["amina", "lukas"])
            read = time.perf_counter() - t0
        cmd = review.AcceptUnanimous("rita", None, ["amina", "lukas"])
        t0 = time.perf_counter()
        p.run(cmd)
        took = time.perf_counter() - t0
        print(f"accept-unanimous over 1,000 reports x 2 coders x 50 spans: {took:.2f} s "
              f"({cmd.accepted:,} items into gold)   (goal < 5 s)")
        print(f"   baseline in the same run, reading and aligning them without writing: {read:.2f} s")
        p.close()


if __name__ == "__main__":
    main()
