"""Normalizer and suggestion figures (issue 4), each with a baseline or a count beside it.

    .venv/bin/python benchmarks/bench_normalize.py [--before REF]

a. accuracy of the date and count normalizers on the tables in tests/core/normalize/tables.py;
b. MUC-4 TST3: how many of the answer keys' incident dates and human-target numbers the scan
   suggests for their messages, the dateline as the reference date (read from ../shared at run
   time; nothing of it is stored in the project); b2. the same per incident (every number of an
   incident template found), beside a git revision's code with --before REF;
c. scan time of a 1 MB report (with the gazetteer and a 300-entry actor list), beside a plain
   regular-expression pass over the same text;
d. time of one span's suggested values (the form's prefill), per type.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# ../shared next to the checkout (/work/main) or next to the folder of worktrees (/work/wt/x)
MUC = next((p / "shared" / "corpora" / "muc4" / "tst3" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "corpora" / "muc4").is_dir()),
           ROOT.parent / "shared" / "corpora" / "muc4" / "tst3")
MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)}


def accuracy() -> None:
    from annotator.core.normalize import normalize_count, normalize_date
    from tests.core.normalize.tables import COUNT_TABLE, DATE_TABLE

    ok = 0
    for text, ref, day_first, value, gran, anchor in DATE_TABLE:
        found = normalize_date(text, ref, day_first)
        ok += bool(found) and (found[0].value, found[0].granularity, found[0].anchor) == (value, gran, anchor)
    cok = 0
    for text, low, best, high, kind, status, victim in COUNT_TABLE:
        a = normalize_count(text).attributes()
        cok += (a["count"] == {"low": low, "best": best, "high": high} and a["quantity_kind"] == kind
                and a.get("status") == status and a.get("victim_category") == victim)
    print("a. accuracy on the tables written for the project")
    print(f"   dates:  {ok}/{len(DATE_TABLE)} ({ok / len(DATE_TABLE):.1%}) value, granularity and anchor all right")
    print(f"   counts: {cok}/{len(COUNT_TABLE)} ({cok / len(COUNT_TABLE):.1%}) low/best/high, kind, status and victim all right")


def _muc_date(s: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{1,2}) ([A-Z]{3}) (\d{2})", s.strip())
    if not m or m[2] not in MONTHS:
        return None
    return dt.date(1900 + int(m[3]), MONTHS[m[2]], int(m[1]))


def _messages() -> dict[str, str]:
    text = (MUC / "tst3-muc4").read_text("latin-1")
    parts = re.split(r"^(TST3-MUC4-\d{4})\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _keys() -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    current = None
    for line in (MUC / "key-tst3.v2").read_text("latin-1").splitlines():
        m = re.match(r"^0\.\s+MESSAGE: ID\s+(\S+)", line)
        if m:
            current = out.setdefault(m[1], {"dates": [], "numbers": []})
            continue
        if current is None:
            continue
        m = re.match(r"^2\.\s+INCIDENT: DATE\s+(.*)$", line)
        if m:
            value = m[1].strip()
            if " - " in value and not value.startswith("-"):
                a, b = (_muc_date(x) for x in value.split(" - ", 1))
                if a and b:
                    current["dates"].append((a, b))
            else:
                d = _muc_date(value)
                if d:
                    current["dates"].append((d, d))
        m = re.match(r"^21\.\s+HUM TGT: NUMBER\s+(.*)$", line)
        if m:
            for n in re.findall(r"(?<![\w?])(\d+):", m[1]):
                if int(n) >= 2:  # 1 is mostly a named person, not a figure in the text
                    current["numbers"].append(int(n))
    return out


def muc_recall() -> None:
    from annotator.core.edtf import bounds
    from annotator.core.normalize import suggest_spans

    if not (MUC / "tst3-muc4").exists():
        print("b. MUC-4: ../shared/corpora/muc4 not found; skipped")
        return
    messages, keys = _messages(), _keys()
    results = {}
    for variant in ("as written (upper case)", "lower-cased copy (same offsets)"):
        found_d = total_d = found_n = total_n = 0
        for mid, key in keys.items():
            body = messages.get(mid)
            if body is None:
                continue
            m = re.search(r",\s+(\d{1,2} [A-Z]{3} \d{2})\b", body[:300])
            ref = _muc_date(m[1]) if m else None
            text = body if variant.startswith("as") else body.lower()
            sug = suggest_spans(text, ref)
            spans = [s for s in sug if s.type == "date"]
            # only suggestions precise to the day or the week count: "in 1989" containing the
            # incident date would flatter the recall
            intervals = [(lo, hi) for lo, hi in (bounds(s.attributes.get("value", "")) for s in spans)
                         if lo and hi and (hi - lo).days <= 6]
            for a, b in set(key["dates"]):
                total_d += 1
                found_d += any(lo <= a and b <= hi or (a <= lo and hi <= b) for lo, hi in intervals)
            counts = [s.attributes.get("count", {}) for s in sug if s.type == "casualty_count"]
            values = {v for c in counts for v in c.values() if v is not None}
            for n in set(key["numbers"]):
                total_n += 1
                found_n += n in values
        results[variant] = (found_d, total_d, found_n, total_n)
    print("b. MUC-4 TST3 (100 messages): key incident dates and human-target numbers (>= 2) the scan suggests")
    for variant, (fd, td, fn, tn) in results.items():
        print(f"   {variant:34} dates {fd}/{td} ({fd / max(td, 1):.0%}), numbers {fn}/{tn} ({fn / max(tn, 1):.0%})")


def _incident_numbers() -> list[tuple[str, set[int]]]:
    """(message id, human-target numbers >= 2) for every incident template of the keys."""
    out: list[tuple[str, set[int]]] = []
    mid = None
    for line in (MUC / "key-tst3.v2").read_text("latin-1").splitlines():
        m = re.match(r"^0\.\s+MESSAGE: ID\s+(\S+)", line)
        if m:
            mid = m[1]
            continue
        m = re.match(r"^21\.\s+HUM TGT: NUMBER\s+(.*)$", line)
        if m and mid is not None:
            numbers = {int(n) for n in re.findall(r"(?<![\w?])(\d+):", m[1]) if int(n) >= 2}
            if numbers:
                out.append((mid, numbers))
    return out


def incident_recall() -> tuple[int, int]:
    """Incidents (answer-key templates with a human-target number >= 2) whose every number is
    the low, best or high of a casualty count the scan suggests for the message."""
    from annotator.core.normalize import suggest_spans

    messages = _messages()
    values: dict[str, set[int]] = {}
    found = total = 0
    for mid, numbers in _incident_numbers():
        body = messages.get(mid)
        if body is None:
            continue
        if mid not in values:
            m = re.search(r",\s+(\d{1,2} [A-Z]{3} \d{2})\b", body[:300])
            sug = suggest_spans(body, _muc_date(m[1]) if m else None)
            values[mid] = {v for s in sug if s.type == "casualty_count"
                           for v in s.attributes.get("count", {}).values() if v is not None}
        total += 1
        found += numbers <= values[mid]
    return found, total


def muc_incidents(before: str | None) -> None:
    """b2. Incident recall of the casualty numbers, this tree and (``--before REF``) the code of
    a git revision, extracted to a temporary folder and run in a subprocess the same way."""
    import subprocess
    import tempfile

    if not (MUC / "tst3-muc4").exists():
        print("b2. MUC-4: ../shared/corpora/muc4 not found; skipped")
        return
    found, total = incident_recall()
    print("b2. MUC-4 TST3 incidents whose human-target numbers (>= 2) are all suggested as counts")
    if before:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", before, "annotator",
                                      "resources", "schemas"], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            # the module puts this checkout first on sys.path: the revision goes before it
            code = ("import sys; sys.path.insert(0, sys.argv[2]); import bench_normalize as b;"
                    "sys.path.insert(0, sys.argv[1]); import annotator;"
                    "assert annotator.__file__.startswith(sys.argv[1]), annotator.__file__;"
                    "print(*b.incident_recall())")
            res = subprocess.run([sys.executable, "-c", code, tmp, str(Path(__file__).parent)],
                                 check=True, capture_output=True, text=True)
            bf, bt = (int(x) for x in res.stdout.split()[-2:])
        print(f"   before ({before}): {bf}/{bt} ({bf / max(bt, 1):.0%})")
    print(f"   after (this tree): {found}/{total} ({found / max(total, 1):.0%})   (goal 8 in 10)")


def scan_time() -> None:
    from annotator.core.normalize import ActorEntry, ActorList, Gazetteer, suggest_spans

    rnd = random.Random(4)
    places = ["Gao", "Kidal", "Ménaka", "Ansongo", "Tessit", "Mopti", "Timbuktu", "Niamey", "Djibo", "Dori"]
    actors = ActorList(ActorEntry(f"Brigade {i}", "militia", None, (f"the {i}th Brigade",)) for i in range(300))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import report_text

    # news-like density: one sentence with a date, a count, places and an actor for every
    # ~600 characters of ordinary prose (the seed report has about one suggestion per 250)
    sentences = []
    size = 0
    k = 0
    while size < 1_000_000:
        s = (f"On {rnd.randint(1, 28)} November, fighters of Brigade {rnd.randrange(300)} attacked a post near "
             f"{rnd.choice(places)}, killing {rnd.randint(2, 40)} soldiers, while dozens of civilians fled "
             f"towards {rnd.choice(places)} the day before yesterday. ")
        filler = report_text(k, 600).replace("\n", " ")
        k += 1
        sentences += [s, filler, "\n\n"]
        size += len(s) + len(filler) + 2
    text = "".join(sentences)[:1_000_000]
    gaz = Gazetteer.default()
    t0 = time.perf_counter()
    gaz.load()
    load = time.perf_counter() - t0
    suggest_spans("warm up in Gao on Sunday, killing 3.", dt.date(2023, 12, 5), actors, gaz)
    t0 = time.perf_counter()
    found = suggest_spans(text, dt.date(2023, 12, 5), actors, gaz)
    scan = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = sum(1 for _ in re.finditer(r"\d+|[A-Z][a-z]+", text))
    base = time.perf_counter() - t0
    print(f"c. scan of a 1 MB report ({len(found):,} suggestions): {scan:.2f} s   (goal < 1 s)")
    print(f"   baseline, one regex pass over the same text ({n:,} matches): {base * 1000:.0f} ms; gazetteer load once per process: {load:.2f} s")


def per_span() -> None:
    from annotator.core.normalize import ActorEntry, ActorList, Gazetteer, suggest_attributes

    gaz = Gazetteer.default()
    actors = ActorList(ActorEntry(f"Brigade {i}", "militia", None, (f"the {i}th Brigade",)) for i in range(300))
    context = "Fighters of Brigade 12 attacked a post near Ménaka on Sunday, killing 14 soldiers. " * 5
    cases = {"date": "on Sunday", "casualty_count": "killing 14 soldiers", "location": "Ménaka",
             "actor": "Brigade 12"}
    print("d. suggested values for one tagged span (median of 200)")
    for type_, span in cases.items():
        times = []
        for _ in range(200):
            t0 = time.perf_counter()
            suggest_attributes(type_, span, context, dt.date(2023, 12, 5), actors, gaz, None, at=context.find(span))
            times.append(time.perf_counter() - t0)
        print(f"   {type_:15} {statistics.median(times) * 1000:6.2f} ms   (goal < 5 ms)")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--before", metavar="REF", help="also measure b2 on this git revision")
    args = ap.parse_args()
    accuracy()
    muc_recall()
    muc_incidents(args.before)
    scan_time()
    per_span()
