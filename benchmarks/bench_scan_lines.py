"""The scan (suggested spans) on a report of one long line against the same text in lines.

    .venv/bin/python benchmarks/bench_scan_lines.py [--size BYTES] [--runs N] [--root REPO]

Three texts of ``--size`` characters (default 1 MB) built from the benchmark vocabulary in
sentences: A the report in normal lines (the baseline), B the same text with every newline a
space (one line), C one line without any sentence end either (no '.', ';', '!', '?', newline or
parenthesis: every number's clause would reach the end of the text). Interleaved A B C A B C,
``--runs`` times (default 5); min / median / max seconds and the ratio of the medians to A.
``--root`` runs another checkout's code (e.g. an older commit) for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _text(size: int) -> str:
    sys.path.insert(0, str(HERE))
    from _common import WORDS

    rnd = random.Random(17)
    lines: list[str] = []
    n = 0
    while n < size:
        sentences = []
        for _ in range(rnd.randint(2, 5)):
            words = [rnd.choice(WORDS) for _ in range(rnd.randint(8, 20))]
            if rnd.random() < 0.5:
                words.insert(rnd.randrange(len(words)), str(rnd.randint(2, 300)))
            if rnd.random() < 0.2:
                words.insert(rnd.randrange(len(words)), "on 3 December 2023")
            sentences.append(" ".join(words).capitalize() + ".")
        line = " ".join(sentences)
        lines.append(line)
        n += len(line) + 1
    return "\n".join(lines)[:size]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--root", type=Path, default=HERE.parent)
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from annotator.core.normalize import suggest_spans

    lines = _text(args.size)
    single = lines.replace("\n", " ")
    bare = single.translate(str.maketrans(".;!?()", "      "))
    texts = {"A lines": lines, "B one line": single, "C one line, no sentence ends": bare}
    published = dt.date(2023, 12, 8)
    times: dict[str, list[float]] = {k: [] for k in texts}
    found: dict[str, int] = {}
    for _ in range(args.runs):
        for name, text in texts.items():
            t0 = time.perf_counter()
            found[name] = len(suggest_spans(text, published))
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["A lines"])
    print(f"scan of {args.size:,} characters ({args.root}), {args.runs} runs interleaved")
    print(f"{'text':<30} {'min':>7} {'median':>7} {'max':>7}  {'ratio':>6}  suggestions")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<30} {min(ts):7.2f} {med:7.2f} {max(ts):7.2f}  {med / base:6.2f}  {found[name]}")


if __name__ == "__main__":
    main()
