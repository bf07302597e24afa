"""Key to pixels, measured from outside the window (issue 19).

    .venv/bin/python benchmarks/bench_latency.py [--reps N] [--launches N] [--only a|b] [--no-x]
                                                 [--launch-only] [--old TREE]

Starts the real ``annotator`` command (the console script of this interpreter's venv) under Xvfb
on (a) a project of 1,000,000 spans in 100,000 reports and (b) reports of 1 MB with 10,000 spans
each, sends real key events through XTest for each coding action (tag, retag, value change, claim,
slot fill, undo, next report) and timestamps the first changed pixels through X DAMAGE (damage no
wider than the caret is not counted). Beside it, interleaved rep by rep (A B A B), the same keys
go to a bare PySide6 window doing the cheapest equivalent (benchmarks/_bare_window.py). Then the
same actions offscreen in-process (QTest key events through the real entry point, timed to the
end of the event processing they cause), and the launch of both windows (A B A B, to the window
being shown).

Both windows start from compiled bytecode, as an installed wheel does (pip compiles it):
the package is byte-compiled before the launches, so that a PYTHONDONTWRITEBYTECODE in the
environment does not make every launch of the annotator (and not of the one-file bare window)
compile ~150 modules from source.

The projects are built once into $ANNOTATOR_BENCH_CACHE (default /tmp/annotator-bench-latency);
each run of the keys codes a fresh copy (removed after it), so every tag makes a new span.
Each line reads `ACTION SIZE: median N ms, p95 N ms, p99 N ms, first N ms` (first: the first
action of that kind after start); p99 of fewer than 100 reps is the largest but one or the max.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CACHE = Path(os.environ.get("ANNOTATOR_BENCH_CACHE", "/tmp/annotator-bench-latency"))
CODER = "amina"
ANNOTATOR = str(Path(sys.executable).with_name("annotator"))

# tag type keys, in the order the reps use them (the first tag of a session is a place, the
# second a date: the two cold paths), the retag key for each, and the slot key of the retag type
TAG_KEYS = ["2", "3", "1", "4"]
RETAG = {"1": "2", "2": "1", "3": "1", "4": "1"}
SLOT = {"1": "p", "2": "l"}
KINDS = ["tag", "retag", "value", "claim", "slot", "undo", "next"]


def rep_keys(i: int) -> list[tuple[str | None, str]]:
    """The keys of rep ``i``: (kind measured or None, key)."""
    tag = TAG_KEYS[i % len(TAG_KEYS)]
    retag = RETAG[tag]
    # past "Report N:" (the first word of each text): on ": " a tag key has no word to tag
    keys: list[tuple[str | None, str]] = [(None, "ctrl+Right")] * (3 + i % 3)
    keys += [(None, "ctrl+shift+Right"), ("tag", tag), ("retag", retag),
             (None, "F2"), ("value", "x"), (None, "Escape"),
             ("claim", "a"), ("slot", SLOT[retag]), ("undo", "ctrl+z"), ("next", "ctrl+Next")]
    return keys


# ================================================================ the projects


def build_million(db: Path, n_reports: int = 100_000, per_report: int = 10) -> None:
    from _common import report_text, text_sha256

    from annotator.core.models import report_t, span_t, utcnow
    from annotator.core.project import Project

    project = Project.open(db, with_example=False)
    coder = project.coder_id(CODER, create=True)
    types = ["actor", "location", "date", "casualty_count"]
    now = utcnow()
    with project._engine.begin() as conn:
        for first in range(0, n_reports, 2000):
            texts = [(i, report_text(i, 1000)) for i in range(first, min(n_reports, first + 2000))]
            reports = [{"external_id": f"r{i}", "title": f"Report {i}", "text": text,
                        "sha256": text_sha256(text), "imported_at": now, "meta": {}} for i, text in texts]
            rids = [r[0] for r in conn.execute(
                report_t.insert().returning(report_t.c.id, sort_by_parameter_order=True), reports)]
            spans = []
            for rid, rep in zip(rids, reports, strict=True):
                for k in range(per_report):
                    a = 12 + k * 95
                    spans.append({"report_id": rid, "coder_id": coder, "key": f"s{k + 1}",
                                  "type": types[k % 4], "start": a, "end": a + 9,
                                  "text": rep["text"][a:a + 9], "attributes": {},
                                  "codebook_id": project.codebook_id, "created_at": now, "updated_at": now})
            conn.execute(span_t.insert(), spans)
    project.close()


def build_big(db: Path, n_reports: int) -> None:
    from bench_window import _add_report, _insert_spans, big_report

    from annotator.core.project import Project

    project = Project.open(db, with_example=False)
    coder = project.coder_id(CODER, create=True)
    text, spans = big_report()
    for i in range(n_reports):
        t = f"Report {i:03d} " + text[11:]  # the same length and offsets, each report its own text
        rid = _add_report(project, f"big{i}", t)
        _insert_spans(project, rid, coder, spans, t)
    project.close()


def project_for(size: str, reps: int) -> tuple[Path, Path]:
    """The database of ``size`` ('a' or 'b') and a folder of its first reports' texts."""
    CACHE.mkdir(parents=True, exist_ok=True)
    n_big = 27  # size b: "next report" steps through 27 reports of 1 MB (reps beyond 26 stay on the last)
    db = CACHE / ("million.db" if size == "a" else f"big{n_big}.db")
    texts = CACHE / f"{db.stem}-texts"
    if not db.exists():
        part = db.with_suffix(".part")
        part.unlink(missing_ok=True)
        t0 = time.perf_counter()
        build_million(part) if size == "a" else build_big(part, n_big)
        part.rename(db)
        print(f"   (built {db} in {time.perf_counter() - t0:.0f} s)", flush=True)
    if not texts.exists():
        from annotator.core.models import report_t
        from annotator.core.project import Project

        tmp = Path(tempfile.mkdtemp(dir=CACHE))
        project = Project.open(db)
        with project._engine.connect() as conn:
            rows = conn.execute(report_t.select().with_only_columns(report_t.c.text)
                                .order_by(report_t.c.id).limit(n_big)).all()
        for k, (t,) in enumerate(rows):
            (tmp / f"r{k}.txt").write_text(t, encoding="utf-8")
        project.close()
        tmp.rename(texts)
    return db, texts


def working_copy(db: Path) -> Path:
    """A copy of the built project for one run of the keys, removed after it: the keys store
    spans, and a run on a file an earlier run coded finds its words tagged already (the tag
    key on an existing span is a retag, much cheaper than a new span)."""
    work = db.with_name(f"{db.stem}-run{os.getpid()}{db.suffix}")
    shutil.copyfile(db, work)
    return work


def drop_copy(work: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


# ================================================================ figures


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def line(kind: str, size: str, xs: list[float], first: float | None) -> str:
    if not xs:
        return f"{kind} {size}: no figures"
    f = "n/a" if first is None else f"{first * 1000:.0f}"
    return (f"{kind} {size}: median {statistics.median(xs) * 1000:.0f} ms, p95 {pct(xs, .95) * 1000:.0f} ms, "
            f"p99 {pct(xs, .99) * 1000:.0f} ms, first {f} ms")


def compare(label: str, ours: list[float], base: list[float]) -> str:
    if not ours or not base:
        return f"   {label}: missing figures"
    o, b = statistics.median(ours), statistics.median(base)
    return (f"   {label}: annotator min/median/max {min(ours) * 1000:.0f}/{o * 1000:.0f}/{max(ours) * 1000:.0f} ms"
            f" | bare {min(base) * 1000:.0f}/{b * 1000:.0f}/{max(base) * 1000:.0f} ms | ratio {o / b:.2f}x")


# ================================================================ under Xvfb


def _config_env(x, config: Path) -> dict[str, str]:
    env = x.env()
    env["XDG_CONFIG_HOME"] = str(config)  # QSettings of its own: the default layout
    # and a data folder of its own: the window backs each project copy up when it opens it
    # (271 MB for size a), which in the user's folder piled up copy after copy, run after run
    env["XDG_DATA_HOME"] = str(config / "data")
    return env


def _start(x, argv: list[str], config: Path, tree: Path | None = None
           ) -> tuple[subprocess.Popen, object, float]:
    log = open(CACHE / "window.log", "ab")  # noqa: SIM115 - the child writes to it while it runs
    env = _config_env(x, config)
    if tree is not None:  # an older tree's package, run by the same command
        env["PYTHONPATH"] = str(tree)
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=log)
    log.close()
    t0 = time.perf_counter()
    win, _ = x.wait_window(proc)
    return proc, win, time.perf_counter() - t0


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def subject_argv(db: Path) -> list[str]:
    return [ANNOTATOR, "--db", str(db), "gui", "--coder", CODER]


def bare_argv(texts: Path) -> list[str]:
    return [sys.executable, str(HERE / "_bare_window.py"), str(texts)]


def x_latency(x, size: str, db: Path, texts: Path, reps: int, config: Path) -> None:
    runs: dict[str, dict[str, list[float]]] = {"ours": {k: [] for k in KINDS}, "bare": {k: [] for k in KINDS}}
    firsts: dict[str, dict[str, float | None]] = {"ours": {}, "bare": {}}
    missed: dict[str, dict[str, int]] = {"ours": {}, "bare": {}}
    procs = {}
    for who, argv in (("ours", subject_argv(db)), ("bare", bare_argv(texts))):
        proc, win, _ = _start(x, argv, config)
        x.watch(win)
        procs[who] = (proc, win)
    try:
        for i in range(reps):
            for who in ("ours", "bare"):  # A B A B: one rep each in turn
                proc, win = procs[who]
                x.focus(win)
                x.settle()
                for kind, key in rep_keys(i):
                    x.drain()
                    t0 = x.key(key)
                    t1 = x.first_pixels()
                    if kind is not None:
                        if t1 is None:
                            missed[who][kind] = missed[who].get(kind, 0) + 1
                        else:
                            runs[who][kind].append(t1 - t0)
                            firsts[who].setdefault(kind, t1 - t0)
                    if kind == "value":
                        time.sleep(0.4)  # the value is stored after a 300 ms pause
                    x.settle()
    finally:
        for proc, _ in procs.values():
            _stop(proc)
    label = "1M spans / 100k reports" if size == "a" else "1 MB report / 10k spans"
    print(f"\nkey to first changed pixels under Xvfb, size {size} ({label}), {reps} reps, A B A B", flush=True)
    for kind in KINDS:
        print(line(kind, size, runs["ours"][kind], firsts["ours"].get(kind)))
    print("   the bare window, same keys:")
    for kind in KINDS:
        print("   " + line(kind, size, runs["bare"][kind], firsts["bare"].get(kind)))
    for kind in KINDS:
        print(compare(kind, runs["ours"][kind], runs["bare"][kind]))
    if missed["ours"] or missed["bare"]:
        def said(m: dict[str, int]) -> str:
            return ", ".join(f"{k} {n}" for k, n in m.items()) or "none"

        print(f"   keys with no changed pixels within 3 s: annotator {said(missed['ours'])}; "
              f"bare {said(missed['bare'])}")
    sys.stdout.flush()


def x_launch(x, sizes: dict[str, tuple[Path, Path]], n: int, config: Path,
             old: Path | None = None) -> None:
    """``old``: an exported older tree (``git archive REV annotator schemas resources``), launched
    by the same command with it on PYTHONPATH, interleaved with this tree and the bare window."""
    order = "old, new, bare" if old is not None else "A B A B"
    print(f"\nlaunch to a shown window under Xvfb ({n} fresh processes each, {order})", flush=True)
    for size, (db, texts) in sizes.items():
        ours, bare, older = [], [], []
        runs = [("ours", subject_argv(db), ours, None), ("bare", bare_argv(texts), bare, None)]
        if old is not None:
            runs.insert(0, ("old", subject_argv(db), older, old))
        for _ in range(n):
            for _who, argv, out, tree in runs:
                shutil.rmtree(config, ignore_errors=True)
                proc, _, took = _start(x, argv, config, tree)
                out.append(took)
                _stop(proc)
        if old is not None:
            print(compare(f"launch {size}, the old tree ({old})", older, bare), flush=True)
        print(compare(f"launch {size} (`annotator --db {db.name} gui`)", ours, bare), flush=True)
        if old is not None:
            print(f"   launch {size}: new / old median "
                  f"{statistics.median(ours) / statistics.median(older):.2f}", flush=True)


# ================================================================ offscreen, in-process

_QKEYS = {"Right": "Key_Right", "Next": "Key_PageDown", "Escape": "Key_Escape", "F2": "Key_F2"}


def _qt_key(combo: str):  # noqa: ANN202
    from PySide6.QtCore import Qt

    parts = combo.split("+")
    mods = Qt.KeyboardModifier.NoModifier
    for m in parts[:-1]:
        mods |= {"ctrl": Qt.KeyboardModifier.ControlModifier, "shift": Qt.KeyboardModifier.ShiftModifier,
                 "alt": Qt.KeyboardModifier.AltModifier}[m]
    k = parts[-1]
    name = _QKEYS.get(k, f"Key_{k.upper()}")
    return getattr(Qt.Key, name), mods


def offscreen_child(db: str, texts: str, reps: int) -> None:
    """Run the real entry point offscreen; a timer drives the keys once the window is up."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from _bare_window import BareWindow, load_texts
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator import cli
    from annotator.gui.main_window import MainWindow

    app = QApplication(sys.argv)
    out: dict[str, dict[str, list[float]]] = {"ours": {k: [] for k in KINDS}, "bare": {k: [] for k in KINDS}}

    give_up = time.monotonic() + 300

    def drive() -> None:
        ours = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if ours is None:
            if time.monotonic() > give_up:  # a refusal dialog (a damaged project, say) would wait forever
                print("the coding window never appeared", file=sys.stderr, flush=True)
                os._exit(2)
            QTimer.singleShot(10, drive)
            return
        bare = BareWindow(load_texts(Path(texts)))
        bare.show()
        app.processEvents()
        for i in range(reps):
            for who, w in (("ours", ours), ("bare", bare)):
                w.activateWindow()
                (w.text if who == "ours" else w.edit).setFocus()
                app.processEvents()
                for kind, key in rep_keys(i):
                    k, mods = _qt_key(key)
                    target = app.focusWidget() or w
                    t0 = time.perf_counter()
                    QTest.keyClick(target, k, mods)
                    app.processEvents()
                    took = time.perf_counter() - t0
                    if kind is not None:
                        out[who][kind].append(took)
                    if kind == "value":
                        QTest.qWait(400)
        print(json.dumps(out), flush=True)
        bare.close()
        ours.close()
        app.quit()

    QTimer.singleShot(0, drive)
    cli.main(["--db", db, "gui", "--coder", CODER])


def offscreen(size: str, db: Path, texts: Path, reps: int, config: Path) -> None:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(config)
    env["XDG_DATA_HOME"] = str(config / "data")  # the backups on open go with the config folder
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, __file__, "--offscreen-child", str(db), str(texts), str(reps)],
                          env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not done.stdout.strip():
        print(f"\noffscreen size {size}: failed\n{done.stderr[-2000:]}")
        return
    out = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\noffscreen in-process (key event to its events processed), size {size}, {reps} reps, A B A B")
    for kind in KINDS:
        xs = out["ours"][kind]
        print(line(kind, size, xs, xs[0] if xs else None))
    for kind in KINDS:
        print(compare(kind, out["ours"][kind], out["bare"][kind]))
    sys.stdout.flush()


# ================================================================


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--offscreen-child":
        offscreen_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reps", type=int, default=25, help="reps of the key sequence per size (>= 5)")
    p.add_argument("--launches", type=int, default=5, help="fresh processes per launch figure (>= 5)")
    p.add_argument("--only", choices=["a", "b"], help="only this size")
    p.add_argument("--no-x", action="store_true", help="only the offscreen figures")
    p.add_argument("--no-offscreen", action="store_true", help="only the Xvfb figures")
    p.add_argument("--launch-only", action="store_true", help="only the launch figures (Xvfb)")
    p.add_argument("--old", type=Path, help="an exported older tree: its launch beside this one's")
    args = p.parse_args()
    random.seed(1)
    import compileall

    import annotator

    compileall.compile_dir(str(Path(annotator.__file__).parent), quiet=1)  # as pip install does
    if args.old is not None:
        compileall.compile_dir(str(args.old / "annotator"), quiet=1)
    t_start = time.perf_counter()
    sizes = {s: project_for(s, args.reps) for s in ("a", "b") if args.only in (None, s)}
    config = Path(tempfile.mkdtemp(prefix="annotator-bench-config-"))
    try:
        if not args.no_x:
            from _xwin import Xvfb

            x = Xvfb()
            try:
                x_launch(x, sizes, args.launches, config, args.old)
                for size, (db, texts) in ({} if args.launch_only else sizes).items():
                    shutil.rmtree(config, ignore_errors=True)
                    work = working_copy(db)
                    try:
                        x_latency(x, size, work, texts, args.reps, config)
                    finally:
                        drop_copy(work)
            finally:
                x.close()
        if not args.no_offscreen and not args.launch_only:
            for size, (db, texts) in sizes.items():
                shutil.rmtree(config, ignore_errors=True)
                work = working_copy(db)
                try:
                    offscreen(size, work, texts, args.reps, config)
                finally:
                    drop_copy(work)
    finally:
        shutil.rmtree(config, ignore_errors=True)
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")


if __name__ == "__main__":
    main()
