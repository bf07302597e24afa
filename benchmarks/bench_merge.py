"""Packages and merges (issue 16, item 4): `package` and `merge` of a package in which the coder
changed every report (every report a resubmission: the old version goes into the history, the
new one is written), beside a plain import of the same records into an empty project (the same
rows written, no comparison, no history) measured in the same run, interleaved A B A B.

    .venv/bin/python benchmarks/bench_merge.py [N_REPORTS] [RUNS]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

SPANS, CLAIMS = 30, 5


def _text(i: int) -> str:
    return "".join(f"Week {k} of report {i}: the group Alpha{k} attacked Beta{k}.\n"
                   for k in range(SPANS + 5))


def build(folder: Path, n: int) -> tuple[Path, Path, Path]:
    """The team project, bob's package with one more span per report, and its JSONL export."""
    import json

    from annotator.core.commands import AddSpan
    from annotator.core.packages import make_package
    from annotator.core.project import Project

    lines = []
    for i in range(n):
        text = _text(i)
        spans = []
        for k in range(SPANS):
            pos = text.index(f"Alpha{k} ")
            spans.append({"id": f"s{k}", "type": "actor", "start": pos, "end": pos + len(f"Alpha{k}"),
                          "text": f"Alpha{k}"})
        claims = [{"id": f"c{k}", "type": "attack", "slots": {"perpetrator": [f"s{k}"]}}
                  for k in range(CLAIMS)]
        lines.append(json.dumps({"report": {"id": f"r{i}", "text": text}, "annotations": [
            {"coder": "bob", "status": "in_progress", "spans": spans, "claims": claims}]}))
    src = folder / "start.jsonl"
    src.write_text("\n".join(lines) + "\n", "utf-8")
    team = folder / "team.db"
    p = Project.open(team, with_example=False)
    assert not p.import_paths([src]).failed
    package = folder / "bob.db"
    make_package(p, "bob", package)
    p.close()
    pkg = Project.open(package, create=False)
    bob = pkg.coder_id("bob")
    for r in pkg.reports():
        text = pkg.report(r.id).text
        pos = text.index("Beta0")
        pkg.run(AddSpan(r.id, bob, "location", pos, pos + 5))
    export = folder / "bob.jsonl"
    with export.open("w", encoding="utf-8") as fh:
        pkg.export_jsonl(fh)
    pkg.close()
    return team, package, export


def main() -> None:
    from annotator.core import backup
    from annotator.core.packages import make_package
    from annotator.core.project import Project

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        team, package, export = build(folder, n)
        merge_t, import_t, package_t = [], [], []
        for run in range(runs):
            copy = backup.safe_copy(team, folder / f"team-{run}.db")
            p = Project.open(copy, verify=False)
            t0 = time.perf_counter()
            summary = p.merge(package)
            merge_t.append(time.perf_counter() - t0)
            assert summary.ok and summary.count("replaced") == n, summary.line()
            t0 = time.perf_counter()
            make_package(p, "bob", folder / f"again-{run}.db")
            package_t.append(time.perf_counter() - t0)
            p.close()
            empty = Project.open(folder / f"empty-{run}.db", with_example=False,
                                 starter_actors=False)
            t0 = time.perf_counter()
            assert not empty.import_paths([export]).failed
            import_t.append(time.perf_counter() - t0)
            empty.close()
            for f in folder.glob(f"*-{run}.db*"):
                f.unlink() if f.is_file() else shutil.rmtree(f)

    def line(name: str, xs: list[float]) -> str:
        return (f"{name:<34} min {min(xs):7.2f} s  median {statistics.median(xs):7.2f} s  "
                f"max {max(xs):7.2f} s")

    print(f"{n} reports x {SPANS + 1} spans + {CLAIMS} claims of one coder, {runs} runs")
    print(line("merge (every report replaced)", merge_t))
    print(line("package (make)", package_t))
    print(line("baseline: import into empty project", import_t))
    print(f"merge / import: {statistics.median(merge_t) / statistics.median(import_t):.2f}x "
          f"(median); {n / statistics.median(merge_t):.0f} reports/s merged")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import help_and_exit_if_asked

    help_and_exit_if_asked(__doc__)
    main()
