"""What the lock and flagged marks cost (issue 16, the lead's part), on SQLite:

1. a queue page as the window reads it (``Project.queue(limit=256)``) alone (A), and with the
   page's locked reports and the coder's open flagged spans there (B: what ``QueueModel`` reads
   per page since the queue marks 🔒 and ⚑), in a project of N reports with 5% locked and 1,000
   flagged history rows;
2. one coder's command (``SetStatus``, stored and undone) with the lock check (C) and with the
   check replaced by a no-op (D): the one indexed query per command the check costs.

Interleaved A B and C D, 7 runs each; min / median / max and the ratios B/A, C/D.

    .venv/bin/python benchmarks/bench_queue_marks.py [--reports 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import text_sha256  # noqa: E402


def build(path: Path, n: int) -> None:
    from annotator.core.locks import Lock
    from annotator.core.models import assignment_t, history_t, report_t, utcnow
    from annotator.core.project import Project

    p = Project.open(path)
    bob = p.coder_id("bob", create=True)
    now = utcnow()
    with p._engine.begin() as conn:
        texts = [f"Report {i}: fighters attacked a checkpoint.\n" for i in range(n)]
        rids = [int(r[0]) for r in conn.execute(
            report_t.insert().returning(report_t.c.id, sort_by_parameter_order=True),
            [{"external_id": f"r{i}", "title": f"r{i}", "text": t, "sha256": text_sha256(t),
              "imported_at": now, "meta": {}} for i, t in enumerate(texts)])]
        conn.execute(assignment_t.insert(), [
            {"report_id": r, "coder_id": bob, "status": "in_progress", "created_at": now,
             "updated_at": now} for r in rids])
        span = {"id": "s1", "type": "actor", "start": 0, "end": 6, "text": "Report"}
        conn.execute(history_t.insert(), [
            {"report_id": rids[i * (n // 1000)], "report_external_id": f"r{i * (n // 1000)}",
             "coder": "bob", "kind": "flagged", "reason": "bench", "text_sha256": "",
             "content": {"spans": [span], "claims": []}, "created_at": now}
            for i in range(1000)])
    p.run(Lock(rids[:: 20]))
    p.close()


def _stats(xs: list[float]) -> str:
    return (f"min {min(xs) * 1000:.2f} ms, median {statistics.median(xs) * 1000:.2f} ms, "
            f"max {max(xs) * 1000:.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    from annotator.core import commands as c
    from annotator.core import project as project_mod
    from annotator.core.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "team.db"
        t0 = time.perf_counter()
        build(path, args.reports)
        print(f"built {args.reports:,} reports, 5% locked, 1,000 flagged rows in "
              f"{time.perf_counter() - t0:.1f} s")
        p = Project.open(path)
        bob = p.coder_id("bob")
        offsets = [0, args.reports // 2, args.reports - 256]
        times: dict[str, list[float]] = {k: [] for k in "ABCD"}
        real_check = project_mod.check_locks
        target = p.reports(limit=1, offset=1)[0].id  # not locked (every 20th from 0 is)
        for _ in range(args.runs):
            for off in offsets:
                t = time.perf_counter()
                page = p.queue(bob, limit=256, offset=off)
                times["A"].append(time.perf_counter() - t)
                t = time.perf_counter()
                page = p.queue(bob, limit=256, offset=off)
                ids = [r.id for r in page]
                p.locked_reports(ids)
                p.flagged_reports("bob", ids)
                times["B"].append(time.perf_counter() - t)
            for key, check in (("C", real_check), ("D", lambda *_a: None)):
                project_mod.check_locks = check  # type: ignore[assignment]
                t = time.perf_counter()
                p.run(c.SetStatus(target, bob, "done"))
                p.undo()
                times[key].append((time.perf_counter() - t) / 2)
            project_mod.check_locks = real_check
        labels = {"A": "queue page", "B": "queue page + lock and flagged marks",
                  "C": "command with the lock check", "D": "command without it"}
        for key in "ABCD":
            print(f"{labels[key]:<38} {_stats(times[key])}")
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"ratio B/A {med['B'] / med['A']:.2f}; ratio C/D {med['C'] / med['D']:.2f}")
        p.close()


if __name__ == "__main__":
    main()
