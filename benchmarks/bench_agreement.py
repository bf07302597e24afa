"""Agreement figures (issue 5): the whole `agreement --json` on 1,000 reports double-coded with
100 spans each, and our alpha beside `krippendorff.alpha` and nltk's `AnnotationTask.alpha` on
the same attribute data, in the same run.

    .venv/bin/python benchmarks/bench_agreement.py
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import text_sha256  # noqa: E402

TYPES = ["actor", "location", "date", "casualty_count"]
STATUSES = ["killed", "wounded", "killed_or_wounded", "executed"]


def build(db: Path, n_reports: int = 1000, per_coder: int = 100) -> None:
    from annotator.core.models import assignment_t, report_t, span_t, utcnow
    from annotator.core.project import Project

    rnd = random.Random(1)
    project = Project.open(db, with_example=False)
    coders = [project.coder_id(c, create=True) for c in ("amina", "lukas")]
    now = utcnow()
    with project._engine.begin() as conn:
        # spans cover runs of "x"; the report number after them keeps every text (and checksum) unique
        texts = ["x" * 6000 + f"\n{i}\n" for i in range(n_reports)]
        reports = [{"external_id": f"r{i}", "title": f"r{i}", "text": text, "sha256": text_sha256(text),
                    "imported_at": now, "meta": {}} for i, text in enumerate(texts)]
        rids = [r[0] for r in conn.execute(report_t.insert().returning(report_t.c.id, sort_by_parameter_order=True), reports)]
        spans, assigns = [], []
        for rid in rids:
            base = []
            for k in range(per_coder):
                t = rnd.choice(TYPES)
                attrs = ({"count": {"best": rnd.randrange(1, 40)}, "status": rnd.choice(STATUSES)}
                         if t == "casualty_count" else {})
                base.append((k * 55 + rnd.randrange(0, 10), rnd.randrange(3, 30), t, attrs))
            for ci, cid in enumerate(coders):
                assigns.append({"report_id": rid, "coder_id": cid, "status": "done", "created_at": now, "updated_at": now})
                for k, (start, length, t, attrs) in enumerate(base):
                    # the second coder differs now and then: boundaries, type, values
                    if ci == 1 and rnd.random() < 0.1:
                        start += rnd.choice([-2, 0, 3])
                    if ci == 1 and rnd.random() < 0.05:
                        t = rnd.choice(TYPES)
                    if ci == 1 and attrs and rnd.random() < 0.15:
                        attrs = {"count": {"best": rnd.randrange(1, 40)}, "status": rnd.choice(STATUSES)}
                    if t != "casualty_count":
                        attrs = {}
                    spans.append({"report_id": rid, "coder_id": cid, "key": f"s{k + 1}", "type": t,
                                  "start": max(0, start), "end": max(0, start) + length, "text": "x" * length,
                                  "attributes": attrs, "codebook_id": project.codebook_id,
                                  "created_at": now, "updated_at": now})
        conn.execute(assignment_t.insert(), assigns)
        for i in range(0, len(spans), 50_000):
            conn.execute(span_t.insert(), spans[i:i + 50_000])
    project.close()


def main() -> None:
    from annotator.cli import main as cli
    from annotator.core.agreement import alpha

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "agree.db"
        build(db)
        buf = io.StringIO()
        t0 = time.perf_counter()
        with redirect_stdout(buf):
            code = cli(["--db", str(db), "agreement", "--json"])
        whole = time.perf_counter() - t0
        assert code == 0 and '"reports_used": 1000' in buf.getvalue()
    print("agreement --json, 1,000 reports x 2 coders x 100 spans (200,000 spans)")
    print(f"   whole command (read, align, all figures, 1,000 bootstrap resamples each): {whole:.2f} s   (goal < 2 s)")

    # the same kind of attribute data for the three implementations: 2 coders x 5,000 units
    import krippendorff
    from nltk.metrics.agreement import AnnotationTask

    rnd = random.Random(2)
    units = []
    for _ in range(5000):
        v = rnd.randrange(1, 6)
        units.append([v, v if rnd.random() < 0.8 else rnd.randrange(1, 6)])
    arr = np.array(units, dtype=float).T

    def best(fn, n=5):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    ours = best(lambda: alpha(units, "nominal", resamples=0))
    ref = best(lambda: krippendorff.alpha(reliability_data=arr, level_of_measurement="nominal"))
    task = AnnotationTask(data=[(f"c{c}", str(u), str(units[u][c])) for c in range(2) for u in range(len(units))])
    nl = best(lambda: task.alpha(), n=1)
    a1 = alpha(units, "nominal", resamples=0).alpha
    a2 = krippendorff.alpha(reliability_data=arr, level_of_measurement="nominal")
    print("nominal alpha, 2 coders x 5,000 units (best of 5; nltk once)")
    print(f"   annotator alpha:      {ours * 1000:8.2f} ms   value {a1:.6f}")
    print(f"   krippendorff.alpha:   {ref * 1000:8.2f} ms   value {a2:.6f}   ratio {ours / ref:.2f}x (goal <= 2x)")
    print(f"   nltk AnnotationTask:  {nl * 1000:8.2f} ms   value {task.alpha():.6f}   (ours {nl / ours:.0f}x faster)")
    ours_i = best(lambda: alpha(units, "interval", resamples=0))
    ref_i = best(lambda: krippendorff.alpha(reliability_data=arr, level_of_measurement="interval"))
    print(f"   interval: annotator {ours_i * 1000:.2f} ms, krippendorff {ref_i * 1000:.2f} ms, ratio {ours_i / ref_i:.2f}x")
    t0 = time.perf_counter()
    alpha(units, "nominal", resamples=1000)
    print(f"   annotator alpha with its 1,000-resample bootstrap interval: {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
