"""One attribute edit through Project.run (locked read, compare-and-set, version bump, change
log, undo state), beside the plain driver doing one UPDATE and a commit on the same database.

    .venv/bin/python benchmarks/bench_edits.py [postgresql://user@host:port/db]

Without a URL the project is a SQLite file; with one, a fresh schema in that PostgreSQL database
(dropped at the end). 7 runs of 200 edits each, interleaved A B A B, min/median/max per edit and
the ratio of the medians; then how long a window's poll takes when nothing changed
(changes_since), beside the plain driver reading one row.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core import commands as c  # noqa: E402
from annotator.core.project import Project  # noqa: E402

RUNS, EDITS = 7, 200


def pair(name: str, a: Callable[[int], object], b: Callable[[int], object], n: int) -> None:
    ta: list[float] = []
    tb: list[float] = []
    for run in range(RUNS):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            for i in range(n):
                fn(run * n + i)
            out.append((time.perf_counter() - t) / n)

    def fmt(xs: list[float]) -> str:
        return "/".join(f"{x * 1e3:.3f}" for x in (min(xs), statistics.median(xs), max(xs)))

    print(f"{name}: {fmt(ta)} ms (min/median/max)  baseline {fmt(tb)} ms  "
          f"ratio {statistics.median(ta) / statistics.median(tb):.2f}")


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else None
    tmp = tempfile.TemporaryDirectory()
    schema = None
    if url:
        from sqlalchemy import create_engine

        from annotator.core.db import database_url

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(database_url(url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        db = database_url(url) + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    else:
        db = str(Path(tmp.name) / "bench.db")
    project = Project.open(db)
    from tests.core.helpers import record, write_jsonl

    project.import_paths([write_jsonl(Path(tmp.name) / "r.jsonl",
                                      [record("r1", "Gunmen attacked Kidal on Sunday.\n")])])
    rid = project.reports()[0].id
    coder = project.coder_id("amina", create=True)
    add = c.AddSpan(rid, coder, "actor", 0, 6)
    project.run(add)
    sid = add.span_id

    def edit(i: int) -> None:
        project.run(c.SetSpanAttribute(sid, "canonical_name", f"name {i}"))

    if url:
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(database_url(url))
        raw = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                              dbname=u.database, options=f"-csearch_path={schema}")

        def plain(i: int) -> None:
            raw.execute("UPDATE span SET attributes = %s WHERE id = %s",
                        (f'{{"canonical_name": "plain {i}"}}', sid))
            raw.commit()

        def plain_read(i: int) -> None:
            raw.execute("SELECT seq FROM change_counter").fetchone()
            raw.commit()
    else:
        import sqlite3

        raw = sqlite3.connect(db)
        raw.execute("PRAGMA synchronous=NORMAL")

        def plain(i: int) -> None:
            raw.execute("UPDATE span SET attributes = ? WHERE id = ?",
                        (f'{{"canonical_name": "plain {i}"}}', sid))
            raw.commit()

        def plain_read(i: int) -> None:
            raw.execute("SELECT seq FROM change_counter").fetchone()

    print(f"database: {'PostgreSQL' if url else 'SQLite'}")
    pair("attribute edit via Project.run", edit, plain, EDITS)
    token = project.change_token()

    def poll(i: int) -> None:
        project.changes_since(token)

    pair("poll for other processes' changes (none)", poll, plain_read, EDITS)
    raw.close()
    project.close()
    if url:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import help_and_exit_if_asked

    help_and_exit_if_asked(__doc__)
    main()
