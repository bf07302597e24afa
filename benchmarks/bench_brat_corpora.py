"""brat's example collections: import table, export, re-import, and what a round trip keeps.

    .venv/bin/python benchmarks/bench_brat_corpora.py [ROOT]     # default ../shared/corpora/brat-examples

Every folder under ROOT that holds .ann files is one collection, read with the annotation.conf
brat would use for it (its own, else the nearest parent's). For each: files imported / refused
(with the reasons), then the project is exported as brat and each exported .ann is compared
with the original by meaning (``brat_ann.brat_meaning``: the same spans, events, relations,
equivalences, attributes, normalizations and notes, ids aside), then the export is imported
into a fresh project and the two projects' interchange exports are compared. Files per second
of the import are printed beside only reading and splitting the same files (a baseline measured
in the same run, interleaved, 5 runs, min/median/max).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from annotator.core.codebook import parse_codebook
from annotator.core.io.brat_ann import brat_meaning, parse_ann
from annotator.core.io.brat_conf import codebook_from_brat_conf, find_conf
from annotator.core.io.brat_format import write_brat
from annotator.core.project import Project

ROOT = Path(__file__).resolve().parents[1].parent.parent / "shared" / "corpora" / "brat-examples"


def collections(root: Path) -> list[Path]:
    return sorted({p.parent for p in root.rglob("*.ann")})


def records_of(project: Project) -> list[str]:
    out = []
    for rec in project.iter_export():
        rec = json.loads(json.dumps(rec))
        for ann in rec["annotations"]:
            for item in ann["spans"] + ann["claims"]:
                item.pop("provenance", None)
        rec["report"].pop("metadata", None)
        for ann in rec["annotations"]:
            ann.pop("codebook", None)
        out.append(json.dumps(rec, sort_keys=True))
    return sorted(out)


def one(folder: Path, root: Path, tmp: Path) -> dict[str, object]:
    conf = find_conf(folder, root)
    assert conf is not None, f"{folder}: no annotation.conf"
    cb = parse_codebook(codebook_from_brat_conf(conf), str(conf))
    db = tmp / f"{abs(hash(folder))}.db"
    project = Project.open(db, codebook=cb)
    t0 = time.perf_counter()
    summary = project.import_paths([folder])
    seconds = time.perf_counter() - t0
    refused = [f.message for f in summary.files if not f.ok]
    out = tmp / f"{abs(hash(folder))}-out"
    write_brat(project.iter_export(), cb, out)
    lost = same = 0
    for ann in sorted(folder.glob("*.ann")):
        exported = out / folder.name / ann.name
        if not exported.exists():
            continue
        a = brat_meaning(ann.read_text("utf-8"))
        b = brat_meaning(exported.read_text("utf-8"))
        if a == b:
            same += 1
        else:
            lost += 1
            missing = a - b
            extra = b - a
            print(f"  {ann.name}: {sum(missing.values())} annotation(s) lost, {sum(extra.values())} added; "
                  f"e.g. {list(missing)[:1]} {list(extra)[:1]}")
    cb2 = parse_codebook(codebook_from_brat_conf(out / "annotation.conf"), "exported conf")
    p2 = Project.open(tmp / f"{abs(hash(folder))}-2.db", codebook=cb2)
    s2 = p2.import_paths([out])
    reimport_same = records_of(project) == records_of(p2)
    project.close()
    p2.close()
    return {"files": len(list(folder.glob("*.ann"))), "imported": sum(f.ok for f in summary.files),
            "refused": refused, "seconds": seconds, "same": same, "lost": lost,
            "reimport_refused": len(s2.failed), "reimport_same": reimport_same}


def parse_only(folder: Path) -> int:
    """The baseline: reading and splitting the same .txt/.ann files into lines and fields."""
    n = 0
    for ann in folder.glob("*.ann"):
        ann.with_suffix(".txt").read_text("utf-8")
        n += len(parse_ann(ann, ann.read_text("utf-8")).texts)
    return n


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    total: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    print(f"{'collection':52} {'files':>5} {'in':>4} {'out':>4} {'same':>5} {'lost':>4} re-import")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for folder in collections(root):
            r = one(folder, root, tmp)
            total.update({k: int(r[k]) for k in ("files", "imported", "same", "lost")})  # type: ignore[call-overload]
            total["refused"] += len(r["refused"])  # type: ignore[arg-type]
            total["reimport_same"] += bool(r["reimport_same"])
            total["collections"] += 1
            for msg in r["refused"]:  # type: ignore[attr-defined]
                reasons[str(msg).split(": ", 2)[-1][:90]] += 1
            print(f"{str(folder.relative_to(root)):52} {r['files']:>5} {r['imported']:>4} "
                  f"{len(r['refused']):>4} {r['same']:>5} {r['lost']:>4} "  # type: ignore[arg-type]
                  f"{'same' if r['reimport_same'] else 'DIFFERENT'} ({r['reimport_refused']} refused)")
        print(f"\n{total['files']} .ann files in {total['collections']} collections: "
              f"{total['imported']} texts imported, {total['refused']} refused; "
              f"round trip: {total['same']} files say the same, {total['lost']} lost something; "
              f"re-import of the export gives the same project for "
              f"{total['reimport_same']}/{total['collections']} collections")
        for reason, n in reasons.most_common():
            print(f"  refused {n}x: {reason}")
        # speed: our import vs pybrat reading the same files, interleaved
        folders = collections(root)
        ours, theirs = [], []
        for run in range(int(__import__("os").environ.get("RUNS", "5"))):
            t0 = time.perf_counter()
            for i, folder in enumerate(folders):
                conf = find_conf(folder, root)
                assert conf is not None
                cb = parse_codebook(codebook_from_brat_conf(conf), str(conf))
                p = Project.open(tmp / f"speed-{run}-{i}.db", codebook=cb)
                p.import_paths([folder])
                p.close()
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for folder in folders:
                parse_only(folder)
            theirs.append(time.perf_counter() - t0)
        n = total["files"]

        def fmt(xs: list[float]) -> str:
            return "/".join(f"{n / x:,.0f}" for x in (max(xs), statistics.median(xs), min(xs)))

        print(f"\nimport (parse, check, store): {fmt(ours)} files/s (min/median/max of 5)")
        print(f"reading and splitting the files only (baseline): {fmt(theirs)} files/s")
        print(f"ratio (median): ours takes {statistics.median(ours) / statistics.median(theirs):.1f}x "
              "the time of parsing alone")


if __name__ == "__main__":
    main()
