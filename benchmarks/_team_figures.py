"""The figures of bench_team.py, each A B A B against plain SQL doing the same reads in the same run.

The commands run as child processes (wall time and peak RSS of the child); the window figures run
in one child per database (offscreen Qt), the window's real panels and actions against the same
reads by the driver (sqlite3 / psycopg) with no Annotator code in between.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import child_peak_mb  # noqa: E402


def spread(xs: list[float]) -> str:
    return f"min {min(xs):.3f}  median {statistics.median(xs):.3f}  max {max(xs):.3f}"


def show(name: str, ours: list[float], base: list[float], unit: str = "s") -> None:
    ratio = statistics.median(ours) / statistics.median(base) if statistics.median(base) else 0
    print(f"  {name} ({len(ours)} runs, {unit})")
    print(f"     Annotator: {spread(ours)}")
    print(f"     plain SQL: {spread(base)}")
    print(f"     ratio of medians: {ratio:.2f}x")


def _child(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of ``_team_child.py args`` in a fresh interpreter."""
    t0 = time.perf_counter()
    peak, _ = child_peak_mb(str(HERE / "_team_child.py"), *args, fresh=True)
    return time.perf_counter() - t0, peak


def commands(target: str, runs: int, only: set[str]) -> None:
    for name, real in (("agreement", "agreement --json (every alpha, 1,000 resamples)"),
                       ("status", "adjudicate --status")):
        if only and name not in only:
            continue
        ours_t, ours_m, base_t, base_m = [], [], [], []
        for _ in range(runs):
            t, m = _child([name, target])
            ours_t.append(t)
            ours_m.append(m)
            t, m = _child(["sql", target])
            base_t.append(t)
            base_m.append(m)
        show(f"{real}: whole process, wall time", ours_t, base_t)
        show(f"{real}: peak RSS", ours_m, base_m, "MB")
        sys.stdout.flush()


def run_all(target: str, runs: int, only: set[str]) -> None:
    big_runs = max(1, min(runs, int(os.environ.get("BENCH_TEAM_BIG_RUNS", "2"))))
    print(f"  project: {target}")
    commands(target, big_runs, only)
    if not only or "window" in only:
        done = subprocess.run([sys.executable, str(HERE / "_team_child.py"), "window", target,
                               str(runs)], capture_output=True, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        if done.returncode:
            print(done.stderr[-3000:])
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        for name, (ours, base) in figures.items():
            show(name, ours, base)
    sys.stdout.flush()


def interleave(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    ta, tb = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return ta, tb
