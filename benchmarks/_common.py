"""Helpers shared by the benchmarks: generated text, timing, peak memory of a child process."""

from __future__ import annotations

import hashlib
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


def help_and_exit_if_asked(doc: str | None) -> None:
    """For the benchmarks that read their arguments from ``sys.argv`` by position: ``-h`` or
    ``--help`` prints the script's docstring (its usage) and exits, instead of being taken for
    a count or a path."""
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print((doc or "").strip())
        raise SystemExit(0)


def report_text(i: int, size: int = 5000) -> str:
    rnd = random.Random(i)
    words: list[str] = [f"Report {i}:"]
    n = len(words[0])
    while n < size:
        w = rnd.choice(WORDS)
        words.append(w)
        n += len(w) + 1
    return " ".join(words)[:size] + "\n"


def text_sha256(text: str) -> str:
    """The checksum the project stores for a report's text (opening a project verifies a sample,
    so a builder writing made-up checksums gets its project refused as damaged)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def child_peak_mb(script: str, *args: str, fresh: bool = False) -> tuple[float, dict[str, Any]]:
    """Run ``script`` in a fresh interpreter; return its peak RSS (MB) and the JSON it prints.

    With ``fresh`` the child runs under /usr/bin/time-like accounting of its own (a wrapper
    process reports the grandchild's peak), so earlier, bigger children do not mask it.
    """
    if fresh:
        wrapper = (
            "import resource, subprocess, sys, json;"
            "d = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True);"
            "sys.stdout.write(d.stdout);"
            "print(json.dumps({'peak_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
        )
        done = subprocess.run(
            [sys.executable, "-c", wrapper, sys.executable, script, *args],
            capture_output=True, text=True, check=True,
        )
        lines = done.stdout.strip().splitlines()
        return json.loads(lines[-1])["peak_kb"] / 1024, json.loads(lines[-2])
    done = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, check=True
    )
    # ru_maxrss of children is the max over all children so far: run the big case last
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / 1024, json.loads(done.stdout.strip().splitlines()[-1])


def here() -> Path:
    return Path(__file__).resolve().parent

