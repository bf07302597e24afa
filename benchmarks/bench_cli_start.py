"""How long `annotator --version` and `--help` take beside a subcommand that loads the project
code (`formats`: the handlers, the facade, SQLAlchemy) and a bare interpreter, interleaved in
the same run (7 rounds; min/median/max seconds, and the ratio of the medians to `formats`).

    .venv/bin/python benchmarks/bench_cli_start.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "annotator --version": [sys.executable, "-m", "annotator.cli", "--version"],
    "annotator --help": [sys.executable, "-m", "annotator.cli", "--help"],
    "annotator formats": [sys.executable, "-m", "annotator.cli", "formats"],
}
ROUNDS = 7


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for cmd in COMMANDS.values():  # warm the file cache and the .pyc files first
        subprocess.run(cmd, capture_output=True, check=True)
    for _ in range(ROUNDS):
        for name, cmd in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["annotator formats"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:22} min {min(ts):.3f}  median {med:.3f}  max {max(ts):.3f} s"
              f"  ratio to formats {med / base:.2f}")


if __name__ == "__main__":
    main()
