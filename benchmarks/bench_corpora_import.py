"""Files per second of each corpus importer (issue 14), beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_corpora_import.py [CORPORA]   # default ../shared/corpora

- MUC-4: the TST3 message file (100 messages) imported into a new project, beside importing the
  same file as one plain text report (the MUC-4 importer splits it and reads each dateline);
- WikiEvents: dev.jsonl and test.jsonl (40 documents with their mentions and events) into a
  project with the codebook made from them, beside json.loads of the same lines (the baseline
  is the reading alone: what the importer adds is aligning, checking and storing);
- brat: the figures of benchmarks/bench_brat_corpora.py.

Interleaved A B A B, 5 runs each, min/median/max printed.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.core.codebook import parse_codebook
from annotator.core.io.wikievents import wikievents_codebook
from annotator.core.project import Project

CORPORA = Path(__file__).resolve().parents[1].parent.parent / "shared" / "corpora"


def runs(a: Callable[[int], int], b: Callable[[int], int], n: int = 5) -> tuple[list[float], list[float], int]:
    ta, tb = [], []
    files = 0
    for i in range(n):
        t0 = time.perf_counter()
        files = a(i)
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b(i)
        tb.append(time.perf_counter() - t0)
    return ta, tb, files


def show(name: str, unit_count: int, unit: str, ta: list[float], tb: list[float], base: str) -> None:
    def fmt(xs: list[float]) -> str:
        return "/".join(f"{unit_count / x:,.1f}" for x in (max(xs), statistics.median(xs), min(xs)))

    print(f"{name}: {fmt(ta)} {unit}/s (min/median/max); {base}: {fmt(tb)} {unit}/s; "
          f"ratio of medians {statistics.median(ta) / statistics.median(tb):.1f}x")


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPORA
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        muc = root / "muc4" / "tst3" / "tst3-muc4"
        plain = tmp / "tst3-as-text.txt"
        plain.write_bytes(muc.read_bytes())

        def muc_import(i: int) -> int:
            p = Project.open(tmp / f"muc-{i}.db")
            s = p.import_paths([muc])
            p.close()
            assert not s.failed, s.files[0].message
            return s.added

        def muc_text(i: int) -> int:
            p = Project.open(tmp / f"txt-{i}.db")
            p.import_paths([plain])
            p.close()
            return 1

        ta, tb, n = runs(muc_import, muc_text)
        print(f"MUC-4 {muc.name}: {n} messages from 1 file")
        show("  MUC-4 importer", n, "messages", ta, tb, "the same file as one text report")

        wiki = [root / "wikievents" / "dev.jsonl", root / "wikievents" / "test.jsonl"]
        cb = parse_codebook(wikievents_codebook(wiki), "wikievents")
        docs = sum(1 for f in wiki for line in f.read_text("utf-8").splitlines() if line.strip())

        def wiki_import(i: int) -> int:
            p = Project.open(tmp / f"wiki-{i}.db", codebook=cb)
            s = p.import_paths(wiki)
            p.close()
            assert not s.failed, [f.message for f in s.failed]
            return s.added

        def wiki_read(i: int) -> int:
            return sum(len(json.loads(line)["tokens"]) for f in wiki
                       for line in f.read_text("utf-8").splitlines() if line.strip())

        ta, tb, n = runs(wiki_import, wiki_read)
        print(f"WikiEvents: {n} documents from {len(wiki)} files")
        show("  WikiEvents importer", docs, "documents", ta, tb, "json.loads of the lines")
        print(f"  = {len(wiki) / statistics.median(ta):.2f} files/s")
    print("brat: run benchmarks/bench_brat_corpora.py")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import help_and_exit_if_asked

    help_and_exit_if_asked(__doc__)
    main()
