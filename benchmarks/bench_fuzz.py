"""The long fuzz run: hostile files for every importer (but brat) and the codebook loader.

    .venv/bin/python benchmarks/bench_fuzz.py [--per-kind N] [--seed S] [--no-exports]

Each input is a seed file of the format with 1 to 32 random byte mutations (flips, cuts,
insertions of NUL, ESC, surrogates' UTF-8, quotes, brackets, long digit runs, repeats), imported
into a project that already holds coded work (tests/core/fuzzing.py). Printed per importer:
inputs tried, stored, refused, tracebacks and other findings (goal 0), and the slowest input
with its time; the baseline beside the times is the seed file's own import, measured in the
same run. Findings are written to benchmarks/fuzz-findings/ (input and traceback) to replay.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.core.fuzzing import (  # noqa: E402
    EXTENSIONS,
    Harness,
    codebook_attempt,
    codebook_seed,
    digest,
    mutate,
    seeds,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-kind", type=int, default=300)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--no-exports", action="store_true", help="skip the exports after each import")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    findings_dir = HERE / "fuzz-findings"
    all_seeds = seeds()
    print(f"fuzz: {args.per_kind} inputs per importer, seed {args.seed}, exports "
          f"{'off' if args.no_exports else 'on'}")
    print(f"{'importer':<10} {'tried':>6} {'stored':>7} {'refused':>8} {'findings':>9}  "
          f"{'seed s':>7} {'median s':>8} {'slowest s':>9}  slowest input")
    total = {"tried": 0, "findings": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in [*sorted(EXTENSIONS), "codebook"]:
            folder = Path(tmp) / kind
            folder.mkdir()
            harness = None if kind == "codebook" else Harness(folder, exports=not args.no_exports)
            seed_data = codebook_seed() if kind == "codebook" else all_seeds[kind]

            def attempt(data: bytes, kind: str = kind, harness: Harness | None = harness,
                        folder: Path = folder) -> object:
                if harness is None:
                    return codebook_attempt(data, folder)
                return harness.attempt(kind, data)

            t0 = time.perf_counter()
            attempt(seed_data)
            seed_s = time.perf_counter() - t0
            counts = {"stored": 0, "refused": 0, "findings": 0}
            times: list[float] = []
            slowest = (0.0, "")
            for i in range(args.per_kind):
                data = mutate(seed_data, rnd, rnd.randint(1, 32))
                outcome = attempt(data)
                times.append(outcome.seconds)  # type: ignore[attr-defined]
                if outcome.seconds > slowest[0]:  # type: ignore[attr-defined]
                    slowest = (outcome.seconds, f"#{i} {len(data):,} bytes {digest(data)}")  # type: ignore[attr-defined]
                if outcome.kind in ("stored", "refused"):  # type: ignore[attr-defined]
                    counts[outcome.kind] += 1  # type: ignore[attr-defined]
                    continue
                counts["findings"] += 1
                findings_dir.mkdir(exist_ok=True)
                name = f"{kind}-{digest(data)}"
                suffix = ".json" if kind == "codebook" else EXTENSIONS[kind]
                (findings_dir / f"{name}{suffix}").write_bytes(data)
                (findings_dir / f"{name}.txt").write_text(outcome.detail, "utf-8")  # type: ignore[attr-defined]
            if harness is not None:
                harness.close()
            total["tried"] += args.per_kind
            total["findings"] += counts["findings"]
            print(f"{kind:<10} {args.per_kind:>6} {counts['stored']:>7} {counts['refused']:>8} "
                  f"{counts['findings']:>9}  {seed_s:7.3f} {statistics.median(times):8.3f} "
                  f"{slowest[0]:9.3f}  {slowest[1]}", flush=True)
    print(f"total: {total['tried']} inputs, {total['findings']} finding(s) (tracebacks or "
          "violations; goal 0)" + (f", written to {findings_dir}" if total["findings"] else ""))


if __name__ == "__main__":
    main()
