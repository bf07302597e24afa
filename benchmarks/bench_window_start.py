"""The team window's start against an older tree's, A B A B in one run (issue 16 item 5, 19).

    .venv/bin/python benchmarks/bench_window_start.py DB_OR_URL [--old TREE] [--rounds 3] [--runs 3]

TREE is an exported older tree (``mkdir T && git archive REV annotator schemas resources | tar -x
-C T``), imported through PYTHONPATH in its own processes. Each process opens the project, then
times ``--runs`` window starts (MainWindow to the first paint of the report text; a first, warm-up
start is not counted) and, after each, the plain SQL of bench_team's window child: the first
page and the report (what the window reads before that paint), and the same with the progress
counts, then the plainest window showing the same reads (``_team_child.bare_start``: the page as
tree rows, the text with its spans highlighted, the span and claim lists, from the same driver
reads). Processes alternate old, new, old, new for ``--rounds``; prints min / median / max and
the ratios of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[3])
from PySide6.QtWidgets import QApplication
app = QApplication([])
import annotator
from annotator.core.project import Project
import _team_child as tc
target, runs = sys.argv[1], int(sys.argv[2])
later = "prune" in Project.open.__code__.co_varnames  # what the window's start opens with
project = Project.open(target, verify=False, **({"prune": False} if later else {}))
coder = project.coder_id("amina")
conn = tc._connect(target)
first = project.reports(limit=1)[0].id

out = {"window": [], "sql": [], "sql_progress": [], "bare": [], "tree": annotator.__file__}
shown = []
for i in range(runs + 1):
    if shown:
        shown.pop().close()
    took, w = tc.window_start(project, coder)
    shown.append(w)
    t1 = time.perf_counter()
    tc._page_reads(conn, coder, "", ())
    tc._report_reads(conn, first, coder)
    t2 = time.perf_counter()
    tc._progress_reads(conn, coder)
    t3 = time.perf_counter()
    bare_took, bare = tc.bare_start(conn, coder, first)
    bare.close()
    if i:
        out["bare"].append(bare_took)
        out["window"].append(took)
        out["sql"].append(t2 - t1)
        out["sql_progress"].append(t3 - t1)
print(json.dumps(out))
"""


def _child(target: str, tree: Path, runs: int) -> dict[str, list[float]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", _CHILD, target, str(runs), str(HERE)], env=env,
                          capture_output=True, text=True, cwd="/", check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(out["tree"]).startswith(str(tree)):
        raise SystemExit(f"{tree}: the child imported {out['tree']}")
    return out


def _fmt(xs: list[float]) -> str:
    return f"min {min(xs):.3f}  median {statistics.median(xs):.3f}  max {max(xs):.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("target", help="a team project (bench_team.py --build) or its URL")
    ap.add_argument("--old", type=Path, help="an exported older tree to run beside this one")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3, help="window starts per process")
    args = ap.parse_args()
    trees = ([("old", args.old.resolve())] if args.old else []) + [("new", ROOT)]
    got: dict[str, dict[str, list[float]]] = {name: {"window": [], "sql": [], "sql_progress": [],
                                                     "bare": []} for name, _t in trees}
    for _ in range(args.rounds):
        for name, tree in trees:
            out = _child(args.target, tree, args.runs)
            for key in got[name]:
                got[name][key] += out[key]
    print(f"window start, {args.target} ({args.rounds} rounds x {args.runs} starts, s)")
    for name, _t in trees:
        g = got[name]
        print(f"  {name}: window {_fmt(g['window'])}")
        print(f"       plain SQL, page and report {_fmt(g['sql'])}")
        print(f"       plain SQL with the progress counts {_fmt(g['sql_progress'])}")
        print(f"       a bare window showing the same reads {_fmt(g['bare'])}")
        med = statistics.median(g["window"])
        print(f"       ratio {med / statistics.median(g['sql']):.2f}x (page and report), "
              f"{med / statistics.median(g['sql_progress']):.2f}x (with the counts), "
              f"{med / statistics.median(g['bare']):.2f}x (the bare window)")
    if args.old:
        ratio = statistics.median(got["new"]["window"]) / statistics.median(got["old"]["window"])
        print(f"  new / old window start: {ratio:.2f}")


if __name__ == "__main__":
    main()
