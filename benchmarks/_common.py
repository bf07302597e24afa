"""Helpers shared by the benchmarks: generated text, timing, peak memory of a child process."""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORDS = (
    "the army said fighters attacked a checkpoint near the town on Sunday killing several "
    "soldiers and wounding civilians according to a local official who asked not to be named "
    "while the group claimed responsibility in its weekly newsletter published on Thursday"
).split()


def report_text(i: int, size: int = 5000) -> str:
    rnd = random.Random(i)
    words: list[str] = [f"Report {i}:"]
    n = len(words[0])
    while n < size:
        w = rnd.choice(WORDS)
        words.append(w)
        n += len(w) + 1
    return " ".join(words)[:size] + "\n"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def child_peak_mb(script: str, *args: str) -> tuple[float, dict[str, Any]]:
    """Run ``script`` in a fresh interpreter; return its peak RSS (MB) and the JSON it prints."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, check=True
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: run the big case last
    return max(peak, before) / 1024, json.loads(done.stdout.strip().splitlines()[-1])


def here() -> Path:
    return Path(__file__).resolve().parent
