"""Import of N generated ~5 KB text reports: reports/s against plain sqlite3 executemany.

    .venv/bin/python benchmarks/bench_import.py            # 10,000 reports, plus a 2,000 run for memory
    .venv/bin/python benchmarks/bench_import.py --child N  # one measured run (used internally)

The baseline inserts the same rows (external id, title, text, sha256) with sqlite3 executemany in
one transaction into a table of the same shape, after the files have been read and hashed; the
annotator run does everything (walk the folder, read, detect the encoding, normalize, hash, dedupe,
insert). Peak memory is the child's max RSS, for N and N/5 reports: flat means streaming.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import child_peak_mb, help_and_exit_if_asked, report_text, timed  # noqa: E402


def make_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:06d}.txt").write_text(report_text(i), "utf-8")


def baseline(folder: Path, db: Path) -> tuple[float, float]:
    """(seconds to read+hash+insert, seconds to insert only) with plain sqlite3."""
    t_read, rows = timed(lambda: read_rows(folder))
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(
        "CREATE TABLE report (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, title TEXT,"
        " text TEXT, sha256 TEXT UNIQUE)"
    )
    seconds, _ = timed(lambda: (con.executemany(
        "INSERT INTO report (external_id, title, text, sha256) VALUES (?, ?, ?, ?)", rows), con.commit()))
    con.close()
    return t_read + seconds, seconds


def read_rows(folder: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text("utf-8")
        sha = hashlib.sha256(text.encode()).hexdigest()
        rows.append((path.stem, text.splitlines()[0][:200], text, sha))
    return rows


def child(n: int, which: str) -> None:
    from annotator.core.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        make_corpus(folder, n)
        if which == "baseline":
            whole, insert_only = baseline(folder, Path(tmp) / "baseline.db")
            print(json.dumps({"n": n, "seconds": whole, "insert_seconds": insert_only}))
            return
        project = Project.open(Path(tmp) / "p.db", with_example=False)
        seconds, summary = timed(lambda: project.import_paths([folder]))
        assert summary.added == n and not summary.failed, summary.line()
        project.close()
    print(json.dumps({"n": n, "seconds": seconds}))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3])
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    # children run smallest first: ru_maxrss of children is a running maximum
    small_peak, _ = child_peak_mb(__file__, "--child", str(n // 5), "annotator")
    big_peak, big = child_peak_mb(__file__, "--child", str(n), "annotator")
    _, base = child_peak_mb(__file__, "--child", str(n), "baseline")
    rate = big["n"] / big["seconds"]
    base_rate = n / base["seconds"]
    insert_rate = n / base["insert_seconds"]
    print(f"import of {n:,} text reports of ~5 KB")
    print(f"  annotator import:          {rate:10,.0f} reports/s  ({big['seconds']:.2f} s)")
    print(f"  sqlite3 read+hash+executemany: {base_rate:10,.0f} reports/s  ({base['seconds']:.2f} s)")
    print(f"  sqlite3 executemany only:      {insert_rate:10,.0f} reports/s  ({base['insert_seconds']:.2f} s)")
    print(f"  ratio vs read+hash+insert: {base_rate / rate:.2f}x, vs insert only: {insert_rate / rate:.2f}x"
          "   (goal: >= 1,000 reports/s, within 3x)")
    print(f"  peak RSS of the import: {small_peak:.0f} MB for {n // 5:,} reports, {big_peak:.0f} MB for {n:,}")


if __name__ == "__main__":
    help_and_exit_if_asked(__doc__)
    main()
