"""The first keys after start, key to pixels, measured from outside the window (issue 19).

    .venv/bin/python benchmarks/bench_first_keys.py [--rounds N] [--only a|b]
                                                    [--offsets 0.3,1,2,4] [--old DIR]

After the window appears, the warm-up thread, the start checks, the read-ahead, the span
prefetch, the backup and the progress count all compete with a coder's first keys. Each launch
starts the real ``annotator`` command under Xvfb (benchmarks/_xwin.py: XTest keys, X DAMAGE) on a
fresh copy of a cached project of bench_latency.py (a: 1M spans / 100k reports; b: 1 MB reports
with 10k spans), and OFFSET seconds after its window appeared (the first poll that sees it)
selects a word, tags it with one span type (actor, location, date, casualty: each launch
another), makes a claim of it and moves to the next report, each key sent once the window has
drawn nothing for 0.1 s (at most 1 s after the key before: a tag's lists are drawn a frame after
its span, and were once taken for the claim key's pixels). The baseline, in the same process: the same keys once everything has
settled (8 s after the window appeared), on another word of the next report.

With ``--old DIR`` (an export of main's tree: ``git archive main annotator schemas resources |
tar -x -C DIR``) every launch is made twice, this tree and DIR (PYTHONPATH), in turn (A B A B).

A key's pixels: the first X DAMAGE after it wider than the caret, taller than a frame line,
outside the status bar (the progress count and messages are painted there on their own), in the
text's column (found from the selection's damage); a tag's must cover the selected word's line.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_latency as bl  # noqa: E402

TYPES = {"actor": "1", "location": "2", "date": "3", "casualty": "4"}
SETTLED = 8.0  # seconds after the window appeared: the steady-state baseline
QUIET, QUIET_CAP = 0.1, 1.0  # before a key: 0.1 s with nothing drawn, waited for at most 1 s
STATUS_BAR = 26  # the bottom strip of the window: its own repaints are no key's pixels
CARET_BOX = 24  # at most this wide, a damage box of a word move is the caret's
Rect = tuple[int, int, int, int]  # x, y, width, height


def _damage(x: Any, until: float) -> list[tuple[float, Rect]]:
    """Damage rectangles (time, rect) until ``until`` or until the first batch arrived."""
    got: list[tuple[float, Rect]] = []
    while True:
        while x.d.pending_events():
            ev = x.d.next_event()
            if type(ev).__name__ == "DamageNotify":
                a = ev.area
                got.append((time.perf_counter(), (a.x, a.y, a.width, a.height)))
        if got:
            return got
        left = until - time.perf_counter()
        if left <= 0:
            return got
        select.select([x.d.display.socket], [], [], left)


def _meets(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


class Keys:
    """Keys to one window and the time to their pixels."""

    def __init__(self, x: Any, win: Any) -> None:
        self.x, self.win = x, win
        self.height = int(win.get_geometry().height)
        self.line: Rect | None = None  # the selected word's line in the text
        self.carets: list[Rect] = []  # the caret's boxes seen: they lie in the text's column

    def _counts(self, r: Rect, tag: bool) -> bool:
        if r[2] <= 6 or r[3] <= 2 or r[1] >= self.height - STATUS_BAR:
            return False
        if self.line is None:
            return True
        if tag:
            return _meets(r, self.line)
        return _meets(r, (self.line[0], 0, self.line[2], self.height))  # the text's column

    def press(self, key: str, tag: bool = False, timeout: float = 5.0,
              settle: bool = True) -> float | None:
        """Send ``key`` once the window has drawn what the key before it left for a frame
        later (as a coder reads before the next key: sent at once, the claim key's "pixels"
        were the tag's deferred lists, and the next key's time held the claim's work);
        seconds until its first pixels (None: none within ``timeout``)."""
        if settle:
            self.x.settle(QUIET, QUIET_CAP)
        self.x.drain()
        t0 = self.x.key(key)
        until = t0 + timeout
        while time.perf_counter() < until:
            for t, r in _damage(self.x, until):
                if self._counts(r, tag):
                    return t - t0
        return None

    def select_word(self, moves: int) -> None:
        """Move past ``moves`` words and select the next one; its line is where a tag paints.

        The selection's line is the damage in the text's column, which the caret's boxes of
        the word moves mark out (narrow boxes, in the text only): a move into a coded span
        redraws the form's panel a few milliseconds later, and that panel's strip, arriving
        after the selection key, was once taken for the selected line, so the tag's own pixels
        were not counted and the panel's later repaint was (the settled tag: 18-32 ms
        measured instead of 8-13)."""
        for _ in range(moves):
            self.x.drain()
            t0 = self.x.key("ctrl+Right")
            until = t0 + 5
            boxes: list[Rect] = []
            while time.perf_counter() < until and not boxes:
                boxes = [r for _, r in _damage(self.x, until) if 2 < r[3] < 60
                         and r[1] < self.height - STATUS_BAR]
            self.carets += [r for r in boxes if r[2] <= CARET_BOX]
        self.x.drain()
        t0 = self.x.key("ctrl+shift+Right")
        lines: list[Rect] = []
        until = t0 + 5
        while time.perf_counter() < until and not lines:
            lines = [r for _, r in _damage(self.x, until) if r[2] > 6 and 2 < r[3] < 60
                     and r[1] < self.height - STATUS_BAR and self._in_text(r)]
        self.line = max(lines, key=lambda r: r[2]) if lines else None

    def _in_text(self, r: Rect) -> bool:
        if not self.carets:
            return True
        left = min(c[0] for c in self.carets)
        right = max(c[0] + c[2] for c in self.carets)
        return r[0] < right and left < r[0] + r[2]

    def actions(self, type_key: str) -> dict[str, float | None]:
        took: dict[str, float | None] = {"tag": self.press(type_key, tag=True, settle=False)}
        took["claim"] = self.press("a")
        took["next"] = self.press("ctrl+Next")
        return took


def launch(x: Any, db: Path, offset: float, type_key: str, old: str | None) -> dict[str, Any]:
    """One fresh process: the keys ``offset`` s after its window appeared, then settled."""
    config = Path(tempfile.mkdtemp(prefix="first-keys-config-"))
    work = bl.working_copy(db)
    saved = os.environ.get("PYTHONPATH")
    if old is not None:
        os.environ["PYTHONPATH"] = old
    try:
        proc, win, _ = bl._start(x, bl.subject_argv(work), config)
        shown = time.perf_counter()
        keys = Keys(x, win)
        x.watch(win)
        x.focus(win)
        wait = shown + max(0.0, offset - 0.25) - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        keys.select_word(3)
        x.settle(QUIET, max(0.0, shown + offset - time.perf_counter()))  # the selection drawn
        late = shown + offset - time.perf_counter()
        if late > 0:
            time.sleep(late)
        at = time.perf_counter() - shown
        first = keys.actions(type_key)
        wait = shown + SETTLED - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        x.settle()
        keys.select_word(4)
        x.settle(QUIET, QUIET_CAP)
        steady = keys.actions(type_key)
        bl._stop(proc)
        return {"at": at, "first": first, "steady": steady}
    finally:
        if old is not None:
            if saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved
        bl.drop_copy(work)
        shutil.rmtree(config, ignore_errors=True)


def ms(v: float | None) -> str:
    return "miss" if v is None else f"{v * 1000:.0f}"


def three(xs: list[float]) -> str:
    if not xs:
        return "no figures"
    return f"{min(xs) * 1000:.0f}/{statistics.median(xs) * 1000:.0f}/{max(xs) * 1000:.0f} ms"


def report(size: str, who: str, runs: list[dict[str, Any]], offsets: list[float]) -> None:
    print(f"\nsize {size}, {who}: key to pixels (min/median/max; per type the first of each round)")
    steady: dict[str, list[float]] = {"tag": [], "claim": [], "next": []}
    for r in runs:
        for k, v in r["steady"].items():
            if v is not None:
                steady[k].append(v)
    for off in offsets:
        mine = [r for r in runs if r["offset"] == off]
        at = statistics.median(r["at"] for r in mine)
        per_type = ", ".join(
            f"{t} " + "/".join(ms(r["first"]["tag"]) for r in mine if r["type"] == t) for t in TYPES)
        for kind in ("tag", "claim", "next"):
            xs = [r["first"][kind] for r in mine if r["first"][kind] is not None]
            miss = sum(1 for r in mine if r["first"][kind] is None)
            extra = f"   ({per_type})" if kind == "tag" else ""
            print(f"   {kind} at {off:g} s (sent at {at:.2f} s): {three(xs)}"
                  + (f", {miss} without pixels in 5 s" if miss else "") + extra)
    for kind, xs in steady.items():
        print(f"   {kind} settled ({SETTLED:g} s, baseline): {three(xs)}")
    sys.stdout.flush()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=2, help="launches per offset and span type")
    p.add_argument("--only", choices=["a", "b"], help="only this size")
    p.add_argument("--offsets", default="0.3,1,2,4", help="seconds after the window appeared")
    p.add_argument("--old", help="an export of the old tree: every launch made with it too, in turn")
    args = p.parse_args()
    offsets = [float(v) for v in args.offsets.split(",")]
    import compileall

    import annotator

    compileall.compile_dir(str(Path(annotator.__file__).parent), quiet=1)  # as pip install does
    if args.old:
        compileall.compile_dir(str(Path(args.old) / "annotator"), quiet=1)
    from _xwin import Xvfb

    t_start = time.perf_counter()
    sizes = {s: bl.project_for(s, 5)[0] for s in ("a", "b") if args.only in (None, s)}
    whos = [("this tree", None)] + ([("old", args.old)] if args.old else [])
    x = Xvfb()
    try:
        for size, db in sizes.items():
            runs: dict[str, list[dict[str, Any]]] = {w: [] for w, _ in whos}
            n = 0
            for rnd in range(args.rounds):
                for off in offsets:
                    for k, (name, key) in enumerate(TYPES.items()):
                        order = whos if (n % 2 == 0) else list(reversed(whos))  # A B B A ...
                        n += 1
                        for who, path in order:
                            r = launch(x, db, off, key, path)
                            r.update(offset=off, type=name, round=rnd, k=k)
                            runs[who].append(r)
            for who, _ in whos:
                report(size, who, runs[who], offsets)
    finally:
        x.close()
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")


if __name__ == "__main__":
    main()
