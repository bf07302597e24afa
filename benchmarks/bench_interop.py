"""Interoperability figures (issue 7), each beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_interop.py

1. CSV export of 1,000,000 spans (the whole `export --format csv`), beside plain sqlite3 + the
   csv module writing the same span rows;
2. xlsx export of 100,000 claims, beside openpyxl writing the same number of plain rows;
3. import of 1,000 HTML pages, beside the same texts imported as .txt files.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import child_peak_mb, help_and_exit_if_asked, report_text  # noqa: E402,F401


def csv_figure(tmp: Path) -> None:
    import subprocess

    from annotator.core.io.spreadsheet import write_csv
    from annotator.core.project import Project

    db = tmp / "million.db"
    subprocess.run([sys.executable, str(Path(__file__).with_name("bench_export.py")), "--build", "1000000", str(db)],
                   check=True, capture_output=True)
    p = Project.open(db)
    t0 = time.perf_counter()
    counts = write_csv(p.iter_export(), p.codebook, tmp / "csv", "native")
    ours = time.perf_counter() - t0

    p.close()
    con = sqlite3.connect(db)
    t0 = time.perf_counter()
    with (tmp / "base.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["report_id", "coder", "span_id", "type", "start", "end", "text", "attributes"])
        for row in con.execute(
            "SELECT r.external_id, c.name, s.key, s.type, s.start, s.\"end\", s.text, s.attributes "
            "FROM span s JOIN report r ON r.id = s.report_id JOIN coder c ON c.id = s.coder_id "
            "ORDER BY s.report_id, s.coder_id, s.id"
        ):
            attrs = json.loads(row[7]) if row[7] else {}
            w.writerow([*row[:7], *attrs.values()])
    base = time.perf_counter() - t0
    print(f"1. CSV export of {counts['spans']:,} spans (all four tables)")
    print(f"   annotator export --format csv:  {ours:6.2f} s  ({counts['spans'] / ours:,.0f} spans/s)")
    print(f"   sqlite3 + csv, same span rows:  {base:6.2f} s  ratio {ours / base:.2f}x (goal <= 3x)")


def xlsx_figure(tmp: Path) -> None:
    from openpyxl import Workbook

    from annotator.core.codebook import load_default_codebook
    from annotator.core.io.spreadsheet import write_xlsx

    rnd = random.Random(1)
    text = "The Brigade attacked a post near Gao on Sunday, killing 12 soldiers. " * 3
    records = []
    for i in range(1000):
        spans = [{"id": "s1", "type": "actor", "start": 4, "end": 11, "text": "Brigade", "attributes": {"canonical_name": "Brigade"}},
                 {"id": "s2", "type": "location", "start": 39, "end": 42, "text": "Gao", "attributes": {"place": {"name": "Gao", "country": "ML"}}},
                 {"id": "s3", "type": "date", "start": 46, "end": 52, "text": "Sunday", "attributes": {"value": "2023-12-03", "granularity": "day"}},
                 {"id": "s4", "type": "casualty_count", "start": 54, "end": 71, "text": "killing 12 soldiers", "attributes": {"count": {"best": 12}, "status": "killed"}}]
        claims = [{"id": f"c{k}", "type": "attack", "slots": {"perpetrator": ["s1"], "location": ["s2"], "date": ["s3"], "casualties": ["s4"]},
                   "attributes": {"stance": rnd.choice(["claimed_responsibility", "third_party_report"])}} for k in range(100)]
        records.append({"report": {"id": f"r{i}", "title": f"r{i}", "text": text, "published": "2023-12-05"},
                        "annotations": [{"coder": "amina", "spans": spans, "claims": claims}]})
    t0 = time.perf_counter()
    counts = write_xlsx(records, load_default_codebook(), tmp / "claims.xlsx", "acled")
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("claims")
    for k in range(counts["claims"]):
        ws.append([f"r{k // 100}", "amina", f"c{k}", "attack", "2023-12-03", 1, "Brigade", "", "ML", "", "", "Gao", None, None, 1, "", "", 12])
    wb.save(tmp / "base.xlsx")
    base = time.perf_counter() - t0
    print(f"2. xlsx export of {counts['claims']:,} claims (acled profile; with the spans, reports and codebook sheets)")
    print(f"   annotator write_xlsx:             {ours:6.2f} s")
    print(f"   openpyxl, same number of rows:    {base:6.2f} s  ratio {ours / base:.2f}x")


def html_figure(tmp: Path) -> None:
    from annotator.core.project import Project

    html_dir, txt_dir = tmp / "html", tmp / "txt"
    html_dir.mkdir()
    txt_dir.mkdir()
    for i in range(1000):
        body = report_text(i, 4000)
        (html_dir / f"p{i}.html").write_text(
            f"<html><head><title>Page {i}</title><script>var x={i};</script></head><body><nav>menu</nav>"
            f"<article><h1>Report {i}</h1><p>{body}</p></article><footer>(c)</footer></body></html>", "utf-8")
        (txt_dir / f"p{i}.txt").write_text(f"Report {i}\n\n{body}", "utf-8")
    p = Project.open(tmp / "html.db", with_example=False)
    t0 = time.perf_counter()
    s = p.import_paths([html_dir])
    ours = time.perf_counter() - t0
    assert s.added == 1000, s.line()
    q = Project.open(tmp / "txt.db", with_example=False)
    t0 = time.perf_counter()
    q.import_paths([txt_dir])
    base = time.perf_counter() - t0
    print("3. import of 1,000 HTML pages (~4 KB of text each)")
    print(f"   annotator import (main text extracted): {ours:5.2f} s ({1000 / ours:,.0f} pages/s)")
    print(f"   the same texts as .txt files:           {base:5.2f} s  ratio {ours / base:.2f}x")


if __name__ == "__main__":
    help_and_exit_if_asked(__doc__)
    with tempfile.TemporaryDirectory() as t:
        csv_figure(Path(t))
    with tempfile.TemporaryDirectory() as t:
        xlsx_figure(Path(t))
    with tempfile.TemporaryDirectory() as t:
        html_figure(Path(t))
