"""Progress of a team project (issue 16, item 3): ``Project.progress()`` (one grouped scan and the
double-coded reports' rows: what the ``progress`` command and the leads' dock read after a
status change) at 50,000 reports x 3 coders with 20% double-coded, beside the same statements in
plain sqlite3 (the baseline) and beside reading every assignment row and counting in Python (how
progress was counted before).
Interleaved A B C, 7 runs; min / median / max.

    .venv/bin/python benchmarks/bench_progress.py [--reports 50000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import text_sha256  # noqa: E402

BASELINE = [  # the statements progress() runs, in plain sqlite3 (rows fetched, not counted)
    "SELECT coder_id, status, date(updated_at), count(*) FROM assignment "
    "GROUP BY coder_id, status, date(updated_at)",
    "SELECT report_id, coder_id, status, updated_at FROM assignment WHERE report_id IN "
    "(SELECT report_id FROM assignment WHERE coder_id IN (SELECT id FROM coder WHERE role != "
    "'gold') GROUP BY report_id HAVING count(*) >= 2) "
    "AND coder_id IN (SELECT id FROM coder WHERE role != 'gold')",
]


def build(path: Path, n: int) -> None:
    from annotator.core.assignments import plan_assignments
    from annotator.core.models import assignment_t, report_t, utcnow
    from annotator.core.project import Project

    p = Project.open(path)
    coders = [p.coder_id(c, create=True) for c in ("amina", "bob", "kim")]
    now = utcnow()
    rnd = random.Random(1)
    with p._engine.begin() as conn:
        texts = [f"Report {i}: fighters attacked a checkpoint.\n" for i in range(n)]
        rids = [int(r[0]) for r in conn.execute(
            report_t.insert().returning(report_t.c.id, sort_by_parameter_order=True),
            [{"external_id": f"r{i}", "title": f"r{i}", "text": t, "sha256": text_sha256(t),
              "imported_at": now, "meta": {}} for i, t in enumerate(texts)])]
        rows = []
        for rid, cid in plan_assignments(rids, coders, 0.2, seed=1):
            status = rnd.choice(("todo", "in_progress", "done", "done"))
            at = now - timedelta(days=rnd.randrange(10))
            rows.append({"report_id": rid, "coder_id": cid, "status": status, "created_at": at,
                         "updated_at": at})
        for start in range(0, len(rows), 5000):
            conn.execute(assignment_t.insert(), rows[start : start + 5000])
    p.close()


def read_all_rows(con: sqlite3.Connection) -> tuple[int, int]:
    """Progress as it was counted before: every assignment row into Python."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    per_report: dict[int, list[bool]] = defaultdict(list)
    for rid, cid, status, _updated in con.execute(
            "SELECT report_id, coder_id, status, updated_at FROM assignment"):
        counts[cid][status] += 1
        per_report[rid].append(status == "done")
    doubles = [f for f in per_report.values() if len(f) >= 2]
    return len(doubles), sum(all(f) for f in doubles)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    from annotator.core.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "team.db"
        t0 = time.perf_counter()
        build(path, args.reports)
        print(f"built {args.reports:,} reports x 3 coders, 20% double-coded in "
              f"{time.perf_counter() - t0:.1f} s")
        p = Project.open(path)
        con = sqlite3.connect(path)
        times: dict[str, list[float]] = {"progress()": [], "plain SQL": [], "read every row": []}
        for _ in range(args.runs):
            t = time.perf_counter()
            res = p.progress()
            times["progress()"].append(time.perf_counter() - t)
            t = time.perf_counter()
            for sql in BASELINE:
                con.execute(sql).fetchall()
            times["plain SQL"].append(time.perf_counter() - t)
            t = time.perf_counter()
            doubles = read_all_rows(con)
            times["read every row"].append(time.perf_counter() - t)
        assert doubles == (res.double_coded, res.double_coded_done), (doubles, res)
        base = statistics.median(times["plain SQL"])
        for name, ts in times.items():
            print(f"{name:<16} min {min(ts) * 1000:7.1f} ms  median {statistics.median(ts) * 1000:7.1f}"
                  f" ms  max {max(ts) * 1000:7.1f} ms  ratio to plain SQL "
                  f"{statistics.median(ts) / base:.2f}")
        print(f"double-coded {res.double_coded:,}, done by both {res.double_coded_done:,}; "
              f"{len(res.per_day())} days")
        con.close()
        p.close()


if __name__ == "__main__":
    main()
