"""Team scale (issue 16, item 5): 50,000 reports x 3 coders x 30 spans (4.5M spans), on SQLite and
on PostgreSQL, each figure beside plain SQL doing the same reads in the same run.

    .venv/bin/python benchmarks/bench_team.py --build 50000 /tmp/annotator-team/team-50000.db
    .venv/bin/python benchmarks/bench_team.py [--reports 50000] [--runs 5] [--sqlite|--pg]

``--build N TARGET`` only fills a project (a path or a postgresql:// URL). Without it the script
builds (or reuses) the projects cached under /tmp/annotator-team: a SQLite file, and a database in
a PostgreSQL cluster kept in /tmp/annotator-team/pg (started on a loopback port for the run and
stopped at the end; ``--drop-pg`` removes it). Each figure is run A B A B (the real command, then
the plain-SQL baseline), min / median / max over ``--runs`` runs, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _pg  # noqa: E402
from _team_build import build  # noqa: E402

CACHE = Path("/tmp/annotator-team")


def cached_sqlite(n: int) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"team-{n}.db"
    done = CACHE / f"team-{n}.db.built"
    if not done.exists():
        for p in CACHE.glob(f"team-{n}.db*"):
            p.unlink()
        t0 = time.perf_counter()
        counts = build(str(db), n)
        done.write_text(f"{counts} in {time.perf_counter() - t0:.0f} s\n")
    return str(db)


def cached_pg(server: str, n: int) -> str:
    name = f"team_{n}"
    marker = CACHE / f"pg-{name}.built"
    if not marker.exists() or not _pg.has_database(server, name):
        url = _pg.create_database(server, name)
        t0 = time.perf_counter()
        counts = build(url, n)
        marker.write_text(f"{counts} in {time.perf_counter() - t0:.0f} s\n")
    return _pg.database(server, name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", nargs=2, metavar=("N", "TARGET"))
    ap.add_argument("--reports", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sqlite", action="store_true", help="only SQLite")
    ap.add_argument("--pg", action="store_true", help="only PostgreSQL")
    ap.add_argument("--drop-pg", action="store_true", help="remove the cached cluster at the end")
    ap.add_argument("--only", default="", help="comma-separated figures: agreement, status, "
                    "window (default: all)")
    ap.add_argument("--command-runs", type=int, default=None,
                    help="runs of each command (default: --runs up to 5,000 reports, else 1)")
    args = ap.parse_args(argv)
    if args.build:
        n, target = int(args.build[0]), args.build[1]
        t0 = time.perf_counter()
        counts = build(target, n)
        print(f"built {target}: {counts} in {time.perf_counter() - t0:.0f} s")
        return 0
    from _team_figures import run_all

    only = {x for x in args.only.split(",") if x}
    command_runs = args.command_runs or (args.runs if args.reports <= 5000 else 1)
    if not args.pg:
        print(f"== SQLite, {args.reports:,} reports x 3 coders x 30 spans")
        run_all(cached_sqlite(args.reports), args.runs, only, command_runs)
    if not args.sqlite:
        with _pg.cluster(CACHE / "pg", keep=not args.drop_pg) as server:
            print(f"== PostgreSQL, {args.reports:,} reports x 3 coders x 30 spans")
            run_all(cached_pg(server, args.reports), args.runs, only, command_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
