"""Build the one-folder bundle (`make bundle`) and time what a user runs first from it.

Prints the build time, the bundle's size, and for `annotator --version` and `init --example`
min/median/max over >= 5 interleaved runs, each against the same command run from the source
venv (the baseline measured in the same run) with the ratio bundle/venv.

    .venv/bin/python benchmarks/bench_bundle.py [--runs 5] [--no-build]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "annotator" / "annotator"


def _files(folder: Path) -> list[Path]:
    """Every file once: PyInstaller links some libraries and folders (symlinks), which
    Path.rglob would follow and count again."""
    return [Path(root, name) for root, _dirs, names in os.walk(folder) for name in names
            if not Path(root, name).is_symlink()]


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in _files(folder)) / 1e6


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def _stats(xs: list[float]) -> str:
    return f"min {min(xs):.2f} s  median {statistics.median(xs):.2f} s  max {max(xs):.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-build", action="store_true", help="use the bundle already in dist/")
    args = ap.parse_args()
    if not args.no_build:
        t0 = time.perf_counter()
        subprocess.run(["make", "-C", str(ROOT), "bundle"], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"build: {time.perf_counter() - t0:.0f} s")
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE}: no bundle (run without --no-build)")
    print(f"bundle: {_size_mb(BUNDLE.parent):.0f} MB in {len(_files(BUNDLE.parent))} files")
    venv = [str(ROOT / ".venv" / "bin" / "annotator")]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOME=tmp, XDG_DATA_HOME=f"{tmp}/data", XDG_CONFIG_HOME=f"{tmp}/config")
        env.pop("ANNOTATOR_DB", None)
        for label, argv in (("--version", ["--version"]), ("init --example", ["init", "--example"])):
            times: dict[str, list[float]] = {"bundle": [], "venv": []}
            for i in range(args.runs):  # interleaved: A B A B ...
                for name, exe in (("bundle", [str(BUNDLE)]), ("venv", venv)):
                    extra = ["--db", f"{tmp}/{name}-{i}.db"] if label.startswith("init") else []
                    times[name].append(_run([*exe, *extra, *argv], env))
            ratio = statistics.median(times["bundle"]) / statistics.median(times["venv"])
            print(f"{label:<15} bundle {_stats(times['bundle'])}")
            print(f"{'':<15} venv   {_stats(times['venv'])}  ratio bundle/venv {ratio:.2f}")
        # the bundle's example project really holds the example
        out = subprocess.run([str(BUNDLE), "--db", f"{tmp}/bundle-0.db", "reports"],
                             capture_output=True, text=True, env=env, check=True).stdout
        assert "example-liptako-claim" in out, out
        print("bundle: init --example then reports lists the example report")


if __name__ == "__main__":
    sys.exit(main())
