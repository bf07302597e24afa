"""Throughput of the other tools' formats and of table import, against a stdlib baseline.

For each format: the exporter writing N coded reports (baseline: json.dumps of the same
interchange records to a file) and the reader parsing that file back into interchange records
(baseline: json.loads of the interchange JSON Lines of the same records). Tables: an ACLED-shaped
CSV read into reports (baseline: csv.DictReader over the same file). Runs are interleaved
A B A B ..., min / median / max of each, and the ratio of medians.

    .venv/bin/python benchmarks/bench_formats.py [--reports 200] [--rows 5000] [--runs 5]
                                                 [--only webanno,xmi]   # some formats alone
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.codebook import load_default_codebook  # noqa: E402
from annotator.core.io import registry  # noqa: E402
from annotator.core.io.tables import read_report_table  # noqa: E402
from benchmarks._common import report_text  # noqa: E402


def records(n: int) -> list[dict[str, Any]]:
    """N reports of ~5 kB (an emoji in each), two coders with ~15 spans and a claim each."""
    out = []
    for i in range(n):
        text = report_text(i).replace("attacked", "\U0001F525 attacked", 1)
        rnd = random.Random(i)
        anns = []
        for coder in ("amina", "lukas"):
            words = [(m, m + len(w)) for m, w in _words(text)]
            spans = sorted(rnd.sample(words, 15))
            chosen, last = [], -1
            for a, b in spans:
                if a >= last:
                    chosen.append((a, b))
                    last = b
            sp = [{"id": f"s{k}", "type": "actor" if k % 2 else "location", "start": a, "end": b,
                   "text": text[a:b], "attributes": {"actor_type": "state_forces"} if k % 2 else {}}
                  for k, (a, b) in enumerate(chosen)]
            actors = [s["id"] for s in sp if s["type"] == "actor"]
            claims = [{"id": "c1", "type": "attack", "slots": {"perpetrator": actors[:1],
                                                               "date": "not_reported"},
                       "attributes": {}}] if actors else []
            anns.append({"coder": coder, "status": "done", "spans": sp, "claims": claims})
        out.append({"report": {"id": f"r{i}", "title": f"Report {i}", "text": text,
                               "published": "2023-12-05", "metadata": {}}, "annotations": anns})
    return out


def _words(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for w in text.split(" "):
        if w.strip() and w.isalpha():
            out.append((pos, w))
        pos += len(w) + 1
    return out


def acled_csv(path: Path, rows: int) -> None:
    cols = ["event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1",
            "actor2", "country", "admin1", "location", "latitude", "longitude", "source", "notes",
            "fatalities"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for i in range(rows):
            w.writerow([f"XYZ{i}", "2023-12-04", 2023, "Battles", "Armed clash", "Falcon Brigade",
                        "Military Forces", "Xland", "Northern", "Kora", 12.3456, -1.2345,
                        "Sahel Wire", report_text(i, 600).replace("\n", " "), i % 7])


def say(text: str) -> None:
    print(text, flush=True)


def interleave(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    ta, tb = [], []
    for _ in range(runs):
        for fn, times in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return ta, tb


def line(name: str, n: int, ta: list[float], tb: list[float]) -> str:
    def rate(ts: list[float]) -> str:
        return (f"{n / statistics.median(ts):10.0f}/s (min {min(ts) * 1000:7.1f} ms, "
                f"median {statistics.median(ts) * 1000:7.1f}, max {max(ts) * 1000:7.1f})")

    ratio = statistics.median(ta) / statistics.median(tb)
    return f"{name:<22} {rate(ta)}   baseline {rate(tb)}   ratio {ratio:5.1f}x"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated formats (default: all)")
    args = ap.parse_args()
    only = {x for x in args.only.split(",") if x}
    cb = load_default_codebook()
    recs = records(args.reports)
    tmp = Path(tempfile.mkdtemp(prefix="bench_formats."))
    baseline_json = tmp / "base.json"
    jsonl = tmp / "base.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")

    def base_write() -> None:
        baseline_json.write_text(json.dumps(recs, ensure_ascii=False), "utf-8")

    def base_read() -> None:
        [json.loads(x) for x in jsonl.read_text("utf-8").splitlines()]

    say(f"{args.reports} reports x 2 coders, {args.runs} interleaved runs; "
          "documents (report x coder) or rows per second")
    targets = {"labelstudio": "t.json", "doccano": "d.jsonl", "conll": "c.conll",
               "spacy": "s.spacy", "xmi": "xmi", "webanno": "tsv", "qdpx": "p.qdpx"}
    for name, target in targets.items():
        if only and name not in only:
            continue
        try:
            exp = registry.exporter(name)
        except ValueError:
            continue
        out = tmp / target
        finals = iter(range(1, args.runs + 1))

        def write(exp: registry.Exporter = exp, out: Path = out,
                  finals: Any = finals) -> None:
            final = out.with_name(f"{next(finals)}-{out.name}")
            exp.write(registry.ExportJob(recs, cb, final, registry.option_defaults(exp)))

        try:
            ta, tb = interleave(write, base_write, args.runs)
        except ImportError as exc:
            say(f"{name:<22} skipped: {exc}")
            continue
        say(line(f"export {name}", args.reports * 2, ta, tb))
        written = out.with_name(f"1-{out.name}")
        imp = next(i for i in registry.importers() if i.name == name)
        files = sorted(p for p in written.iterdir() if p.suffix in (".xmi", ".tsv")) \
            if written.is_dir() else [written]

        def read(imp: registry.Importer = imp, files: list[Path] = files) -> None:
            for f in files:
                list(imp.read(f, cb))

        ta, tb = interleave(read, base_read, args.runs)
        say(line(f"import {name}", args.reports * 2, ta, tb))
    if only and "table" not in only:
        return
    table = tmp / "acled.csv"
    acled_csv(table, args.rows)

    def read_table() -> None:
        for _n, item in read_report_table(table):
            assert not isinstance(item, str), item

    def base_table() -> None:
        with table.open(encoding="utf-8", newline="") as fh:
            list(csv.DictReader(io.StringIO(fh.read())))

    ta, tb = interleave(read_table, base_table, args.runs)
    say(line("table ACLED csv", args.rows, ta, tb))


if __name__ == "__main__":
    main()
