"""Launch to the first paint offscreen, in CPU time and wall time, beside the bare window
(issue 19: the window's start within 3x of a bare PySide6 window on the same entry-point path).

    .venv/bin/python benchmarks/bench_launch_cpu.py DB TEXTS_DIR [--old TREE] [--runs 9]

Each run is a fresh process: the real entry point (``annotator.cli.main`` with
``--db DB gui --coder amina``, as the ``annotator`` command runs it) until the report text's
first paint event, and ``_bare_window.py TEXTS_DIR`` until its text's first paint; each prints
the wall time since its script began and the process's CPU time (``getrusage``: the
interpreter's start too). With ``--old`` an exported older tree (``git archive REV annotator
schemas resources``) runs the same entry point through PYTHONPATH. Runs interleave old, new,
bare; prints min / median / max and the ratios of the medians. The CPU time is steadier than
the wall time on a loaded machine; bench_latency.py --launch-only measures the launch under
Xvfb to the window being shown. DB and TEXTS_DIR: bench_latency's cached projects
(/tmp/annotator-bench-latency/million.db and million-texts, big27.db and big27-texts); the
window's start writes nothing to the project.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_PAINTED = r"""
import os, resource, sys, time
from PySide6.QtCore import QEvent, QObject

class FirstPaint(QObject):
    def eventFilter(self, _obj, ev):
        if ev.type() == QEvent.Type.Paint:
            ru = resource.getrusage(resource.RUSAGE_SELF)
            print("FIGURES", time.perf_counter() - T0, ru.ru_utime + ru.ru_stime, flush=True)
            os._exit(0)
        return False
"""

_OURS = r"""
import time
T0 = time.perf_counter()
import sys
""" + _PAINTED + r"""
import annotator.gui.app as app_mod
built = app_mod.open_window

def open_window(*args, **kwargs):
    w = built(*args, **kwargs)
    w.first_paint_watch = FirstPaint(w)
    w.text.viewport().installEventFilter(w.first_paint_watch)
    return w

app_mod.open_window = open_window
from annotator.cli import main
sys.exit(main(["--db", sys.argv[1], "gui", "--coder", "amina"]))
"""

_BARE = r"""
import time
T0 = time.perf_counter()
import sys
""" + _PAINTED + r"""
sys.path.insert(0, sys.argv[2])
import _bare_window as bw
built = bw.BareWindow.__init__

def init(self, *args):
    built(self, *args)
    self.first_paint_watch = FirstPaint(self)
    self.edit.viewport().installEventFilter(self.first_paint_watch)

bw.BareWindow.__init__ = init
sys.argv = ["_bare_window.py", sys.argv[1]]
sys.exit(bw.main())
"""


def _run(code: str, args: list[str], tree: Path | None, config: Path) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(config))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled bytecode, as an installed wheel has
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False, cwd="/")
    for line in done.stdout.splitlines():
        if line.startswith("FIGURES "):
            wall, cpu = line.split()[1:]
            return float(wall), float(cpu)
    raise SystemExit(f"no first paint: {done.stderr[-2000:]}")


def _fmt(xs: list[float]) -> str:
    return f"{min(xs) * 1000:.0f}/{statistics.median(xs) * 1000:.0f}/{max(xs) * 1000:.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("texts", type=Path, help="the bare window's texts (r0.txt, r1.txt, ...)")
    ap.add_argument("--old", type=Path, help="an exported older tree to run beside this one")
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    import compileall

    for tree in [ROOT] + ([args.old] if args.old else []):
        compileall.compile_dir(str(tree / "annotator"), quiet=1)
    subjects: list[tuple[str, str, list[str], Path | None]] = []
    if args.old:
        subjects.append(("old", _OURS, [str(args.db)], args.old.resolve()))
    subjects += [("new", _OURS, [str(args.db)], ROOT),
                 ("bare", _BARE, [str(args.texts), str(HERE)], None)]
    wall: dict[str, list[float]] = {name: [] for name, *_ in subjects}
    cpu: dict[str, list[float]] = {name: [] for name, *_ in subjects}
    with tempfile.TemporaryDirectory(prefix="annotator-launch-config-") as config:
        for _ in range(args.runs):
            for name, code, argv, tree in subjects:  # old, new, bare, old, new, bare ...
                w, c = _run(code, argv, tree, Path(config) / name)
                wall[name].append(w)
                cpu[name].append(c)
    print(f"launch to the first paint offscreen, {args.db.name} ({args.runs} fresh processes each,"
          f" {', '.join(n for n, *_ in subjects)} in turn): min/median/max")
    for name, *_ in subjects:
        print(f"  {name:4s}  wall {_fmt(wall[name])}   cpu {_fmt(cpu[name])}")
    for name, *_ in subjects[:-1]:
        print(f"  {name} / bare: wall {statistics.median(wall[name]) / statistics.median(wall['bare']):.2f}x,"
              f" cpu {statistics.median(cpu[name]) / statistics.median(cpu['bare']):.2f}x")
    if args.old:
        print(f"  new / old: wall {statistics.median(wall['new']) / statistics.median(wall['old']):.2f},"
              f" cpu {statistics.median(cpu['new']) / statistics.median(cpu['old']):.2f}")


if __name__ == "__main__":
    main()
