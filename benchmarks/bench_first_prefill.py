"""The first prefills of a session (issue 19): a location and a date tag right after start.

    .venv/bin/python benchmarks/bench_first_prefill.py [--runs 5]

Each run is a fresh Python process that opens a project with one report and times, from the
moment the project is open:
  first location prefill, then first date prefill, and the longest stall a 1 ms ticker thread
  (standing in for the window's key handling) sees while the gazetteer loads;
for three subjects, interleaved (A B C A B C ...):
  A. before: the gazetteer read into memory (ANNOTATOR_GAZETTEER_INDEX=0), no warm-up;
  B. after: the prebuilt index (built once in a scratch cache before the runs), no warm-up;
  C. after with warm-up: ``start_warm_up()`` at start, the first tag 0.5 s later.
Then one span's prefill after warm-up (median of 200 per type, the tag action's share).
Prints min / median / max per subject and the ratios against A.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r'''
import json, statistics, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
mode, folder = sys.argv[2], sys.argv[3]
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl
text = ("On Sunday, gunmen attacked a post near Tessit in the Gao region of Mali, killing 12 "
        "soldiers. The army said the attackers fled towards Niger on Monday. Le Monde wrote "
        "of the 3 d\u00e9cembre 2023 raid.\n")
p = Project.open(f"{folder}/p-{mode}-{time.time_ns()}.db")
p.import_paths([write_jsonl(Path(folder) / f"r-{mode}-{time.time_ns()}.jsonl",
                            [record("r1", text, published="2024-03-06")])])
rid = p.reports()[0].id
stall = [0.0]
running = [True]
def ticker():
    last = time.perf_counter()
    while running[0]:
        time.sleep(0.001)
        now = time.perf_counter()
        stall[0] = max(stall[0], now - last)
        last = now
t = threading.Thread(target=ticker, daemon=True)
t0 = time.perf_counter()
t.start()
if mode == "C":
    from annotator.core.warmup import start_warm_up
    start_warm_up()
    time.sleep(0.5)
elif mode == "A":
    # as before: the window loaded the gazetteer in a background thread at start
    from annotator.core.normalize import Gazetteer
    threading.Thread(target=Gazetteer.default().load, daemon=True).start()
    time.sleep(0.5)
else:
    from annotator.core.normalize import Gazetteer
    threading.Thread(target=Gazetteer.default().load, daemon=True).start()
    time.sleep(0.5)
a = text.index("Tessit")
t1 = time.perf_counter()
loc = p.prefill(rid, "location", a, a + 6)
t2 = time.perf_counter()
d = text.index("Sunday")
date = p.prefill(rid, "date", d, d + 6)
t3 = time.perf_counter()
f = text.index("3 d\u00e9cembre 2023")
other = p.prefill(rid, "date", f, f + 15)  # read by dateparser
t4 = time.perf_counter()
time.sleep(0.2)
running[0] = False
out = {"location": t2 - t1, "date": t3 - t2, "dateparser": t4 - t3, "stall": stall[0],
       "ok": bool(loc) and bool(date) and bool(other)}
if mode == "C":
    from annotator.core.warmup import _thread
    if _thread is not None:
        _thread.join()
    per = {}
    spans = {"location": (a, a + 6), "date": (d, d + 6), "date (dateparser)": (f, f + 15),
             "actor": (text.index("gunmen"), text.index("gunmen") + 6),
             "casualty_count": (text.index("12"), text.index("12") + 2)}
    for type_, (s, e) in spans.items():
        times = []
        for _ in range(200):
            q0 = time.perf_counter()
            p.prefill(rid, type_, s, e)
            times.append(time.perf_counter() - q0)
        per[type_] = statistics.median(times)
    out["per_span"] = per
print(json.dumps(out))
'''


def run(mode: str, cache: str, folder: str) -> dict:
    env = dict(os.environ, ANNOTATOR_CACHE_DIR=cache)
    if mode == "A":
        env["ANNOTATOR_GAZETTEER_INDEX"] = "0"
    res = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), mode, folder], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as folder:
        env_cache = os.environ.get("ANNOTATOR_CACHE_DIR")
        os.environ["ANNOTATOR_CACHE_DIR"] = cache
        from annotator.core.normalize.places import ensure_index

        ensure_index()  # once per install / user cache, not part of the figures
        if env_cache is None:
            del os.environ["ANNOTATOR_CACHE_DIR"]
        results: dict[str, list[dict]] = {"A": [], "B": [], "C": []}
        for _ in range(args.runs):
            for mode in ("A", "B", "C"):
                results[mode].append(run(mode, cache, folder))
    names = {"A": "before (in memory, no warm-up)", "B": "after (index, no warm-up)",
             "C": "after (index + warm-up)"}
    print(f"first prefills 0.5 s after start, fresh process each, {args.runs} runs interleaved A B C")
    medians: dict[tuple[str, str], float] = {}
    for key in ("location", "date", "dateparser", "stall"):
        label = {"location": "first location prefill", "date": "first date prefill",
                 "dateparser": "first date prefill that needs dateparser ('3 d\u00e9cembre 2023')",
                 "stall": "longest ticker stall (GIL)"}[key]
        print(f"  {label}")
        for mode in ("A", "B", "C"):
            xs = [r[key] * 1000 for r in results[mode]]
            med = statistics.median(xs)
            medians[(mode, key)] = med
            ratio = "" if mode == "A" else f"   ratio to A {med / max(medians[('A', key)], 1e-9):.3f}"
            print(f"    {names[mode]:32} min {min(xs):8.1f}  median {med:8.1f}  max {max(xs):8.1f} ms{ratio}")
    per = [r["per_span"] for r in results["C"] if "per_span" in r]
    print("  one span's prefill after warm-up (median of 200, then median over runs; goal: a few ms)")
    for type_ in per[0]:
        xs = [x[type_] * 1000 for x in per]
        print(f"    {type_:18} min {min(xs):6.2f}  median {statistics.median(xs):6.2f}  max {max(xs):6.2f} ms")
    assert all(r["ok"] for rs in results.values() for r in rs), "a prefill came back empty"


if __name__ == "__main__":
    main()
