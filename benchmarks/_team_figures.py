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


def spread(xs: list[float]) -> str:
    return f"min {min(xs):.3f}  median {statistics.median(xs):.3f}  max {max(xs):.3f}"


def show(name: str, ours: list[float], base: list[float], unit: str = "s") -> None:
    ratio = statistics.median(ours) / statistics.median(base) if statistics.median(base) else 0
    print(f"  {name} ({len(ours)} runs, {unit})")
    print(f"     Annotator: {spread(ours)}")
    label = "bare window" if "bare window" in name else "plain SQL"
    print(f"     {label}: {spread(base)}")
    print(f"     ratio of medians: {ratio:.2f}x")


def _measured(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s (user + system), peak RSS MB) of one process running ``cmd``, its output
    to /dev/null; the figures are that process's own (os.wait4), not the driver's."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def annotator_command() -> str:
    """The installed ``annotator`` command of the interpreter running the benchmark."""
    found = Path(sys.executable).with_name("annotator")
    if not found.exists():
        raise SystemExit(f"no {found}: pip install -e . in this environment first")
    return str(found)


COMMANDS = {
    # the baseline: plain SQL reading the same rows (``_team_child.py``): agreement reads them 500
    # reports at a time and is compared with the driver doing the same; the other, all at once
    "agreement": ("agreement --json (every alpha, 1,000 resamples)", ["agreement", "--json"],
                  "chunks"),
    "status": ("adjudicate --status", ["adjudicate", "--status"], "sql"),
}


def commands(target: str, runs: int, only: set[str]) -> None:
    """Each command as the real ``annotator`` process beside the plain-SQL child
    (``_team_child.py sql`` or ``chunks``: the driver reading every row the command reads), A B A B."""
    for name, (real, argv, baseline) in COMMANDS.items():
        if only and name not in only:
            continue
        base_cmd = [sys.executable, str(HERE / "_team_child.py"), baseline, target]
        ours: list[tuple[float, float, float]] = []
        base: list[tuple[float, float, float]] = []
        for _ in range(runs):
            ours.append(_measured([annotator_command(), "--db", target, *argv]))
            base.append(_measured(base_cmd))
        for k, what, unit in ((1, "CPU time (user + system)", "s"), (0, "wall time", "s"),
                              (2, "peak RSS", "MB")):
            show(f"annotator {real}: {what} (baseline: plain SQL, {baseline})",
                 [o[k] for o in ours], [b[k] for b in base], unit)
        sys.stdout.flush()


def run_all(target: str, runs: int, only: set[str], command_runs: int) -> None:
    print(f"  project: {target}")
    commands(target, command_runs, only)
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
        took = a()  # a float: the subject timed itself (to the first paint, say)
        ta.append(took if isinstance(took, float) else time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return ta, tb
