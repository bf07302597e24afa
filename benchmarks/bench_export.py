"""Export of N spans to JSON Lines: spans/s against plain sqlite3 + json.dumps of the same rows.

    .venv/bin/python benchmarks/bench_export.py            # 1,000,000 spans (10,000 reports x 2 coders x 50)
    .venv/bin/python benchmarks/bench_export.py 200000     # a smaller run

The project is filled with SQLAlchemy Core bulk inserts (not part of the timing). The baseline
reads the same span rows with sqlite3 ordered by report and coder and writes one json.dumps line
per report (report fields, then per coder the list of span objects): the same work without the
claims merge, provenance and schema shape. Peak memory is each child's max RSS at N/5 and N.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from itertools import groupby
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import child_peak_mb, help_and_exit_if_asked, report_text, text_sha256, timed  # noqa: E402

SPANS_PER_CODER = 50
CODERS = ("amina", "lukas")


def build(db: Path, n_spans: int) -> int:
    from annotator.core.models import assignment_t, coder_t, report_t, span_t, utcnow
    from annotator.core.project import Project

    project = Project.open(db, with_example=False)
    n_reports = max(1, n_spans // (SPANS_PER_CODER * len(CODERS)))
    now = utcnow()
    with project._engine.begin() as conn:
        coder_ids = [project.coder_id(c, create=True) for c in CODERS]
        for first in range(0, n_reports, 1000):
            reports = []
            for i in range(first, min(n_reports, first + 1000)):
                text = report_text(i, 2000)
                reports.append({"external_id": f"r{i}", "title": f"Report {i}", "text": text,
                                "sha256": text_sha256(text), "imported_at": now, "meta": {}})
            rids = [r[0] for r in conn.execute(
                report_t.insert().returning(report_t.c.id, sort_by_parameter_order=True), reports)]
            spans, assignments = [], []
            for rid, rep in zip(rids, reports, strict=True):
                text = rep["text"]
                for cid in coder_ids:
                    assignments.append({"report_id": rid, "coder_id": cid, "status": "done",
                                        "created_at": now, "updated_at": now})
                    for k in range(SPANS_PER_CODER):
                        start = k * 30
                        spans.append({"report_id": rid, "coder_id": cid, "key": f"s{k + 1}",
                                      "type": "actor", "start": start, "end": start + 12,
                                      "text": text[start:start + 12],
                                      "attributes": {"actor_type": "state_forces"},
                                      "codebook_id": project.codebook_id,
                                      "created_at": now, "updated_at": now})
            conn.execute(assignment_t.insert(), assignments)
            conn.execute(span_t.insert(), spans)
        del coder_t
    project.close()
    return n_reports * len(CODERS) * SPANS_PER_CODER


def export_annotator(db: Path, out: Path) -> None:
    from annotator.core.project import Project

    project = Project.open(db)
    with out.open("w", encoding="utf-8") as fh:
        project.export_jsonl(fh)
    project.close()


def export_baseline(db: Path, out: Path) -> None:
    con = sqlite3.connect(db)
    reports = con.execute("SELECT id, external_id, title, text FROM report ORDER BY id")
    spans_cur = con.cursor()
    spans = spans_cur.execute(
        "SELECT s.report_id, c.name, s.key, s.type, s.start, s.\"end\", s.text, s.attributes"
        " FROM span s JOIN coder c ON c.id = s.coder_id ORDER BY s.report_id, s.coder_id, s.id"
    )
    groups = groupby(spans, key=lambda r: r[0])
    pending = next(groups, None)
    with out.open("w", encoding="utf-8") as fh:
        for rid, ext, title, text in reports:
            anns = []
            while pending is not None and pending[0] < rid:
                pending = next(groups, None)
            if pending is not None and pending[0] == rid:
                for coder, rows in groupby(pending[1], key=lambda r: r[1]):
                    anns.append({"coder": coder, "spans": [
                        {"id": r[2], "type": r[3], "start": r[4], "end": r[5], "text": r[6],
                         "attributes": json.loads(r[7])} for r in rows]})
                pending = next(groups, None)
            fh.write(json.dumps({"report": {"id": ext, "title": title, "text": text},
                                 "annotations": anns}, ensure_ascii=False))
            fh.write("\n")
    con.close()


def child(db: Path, which: str) -> None:
    out = db.with_suffix(f".{which}.jsonl")
    fn = export_annotator if which == "annotator" else export_baseline
    seconds, _ = timed(lambda: fn(db, out))
    lines = sum(1 for _ in out.open(encoding="utf-8"))
    out.unlink()
    print(json.dumps({"seconds": seconds, "lines": lines}))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        print(json.dumps({"spans": build(Path(sys.argv[3]), int(sys.argv[2]))}))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3])
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        small_db, big_db = Path(tmp) / "small.db", Path(tmp) / "big.db"
        # building runs in children too, before the measured ones (ru_maxrss is a running max,
        # so the export children are measured separately below via their own peak)
        _, built_small = child_peak_mb(__file__, "--build", str(n // 5), str(small_db))
        _, built = child_peak_mb(__file__, "--build", str(n), str(big_db))
        small_peak, _ = child_peak_mb(__file__, "--child", str(small_db), "annotator", fresh=True)
        big_peak, big = child_peak_mb(__file__, "--child", str(big_db), "annotator", fresh=True)
        base_peak, base = child_peak_mb(__file__, "--child", str(big_db), "baseline", fresh=True)
    big["spans"] = base["spans"] = built["spans"]
    rate, base_rate = big["spans"] / big["seconds"], base["spans"] / base["seconds"]
    print(f"export of {big['spans']:,} spans ({big['lines']:,} reports) to JSON Lines")
    print(f"  annotator export:        {rate:12,.0f} spans/s  ({big['seconds']:.2f} s)")
    print(f"  sqlite3 + json.dumps:    {base_rate:12,.0f} spans/s  ({base['seconds']:.2f} s)")
    print(f"  ratio (baseline/annotator): {base_rate / rate:.2f}x   (goal: within 3x)")
    print(f"  peak RSS of the export: {small_peak:.0f} MB at {built_small['spans']:,} spans, "
          f"{big_peak:.0f} MB at {built['spans']:,} (baseline: {base_peak:.0f} MB)")


if __name__ == "__main__":
    help_and_exit_if_asked(__doc__)
    main()
