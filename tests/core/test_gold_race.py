"""Two reviewers accepting at once, in two processes: the gold coder is created once, each
decision stored once, and the one that loses the race gets a plain message, never a traceback."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
from pathlib import Path
from typing import Any

from annotator.core.project import Project
from tests.core.helpers import record, span, write_jsonl

TEXT = "Gunmen attacked Kidal on Sunday, killing 12 soldiers.\n"


def _accept(db: str, reviewer: str, barrier: Any, queue: Any) -> None:
    from annotator.cli import main

    err = io.StringIO()
    barrier.wait(60)
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["--db", db, "--as", reviewer, "adjudicate", "--accept-unanimous"])
        except BaseException as exc:  # noqa: BLE001 (a traceback would reach the user)
            code, err = 99, io.StringIO(f"raised {exc!r}")
    queue.put((reviewer, code, err.getvalue()))


def test_two_reviewers_accepting_at_once(new_db, tmp_path: Path) -> None:
    db = new_db("race.db")
    p = Project.open(db)
    anns = [{"coder": c, "status": "done", "spans": [span("s1", "actor", TEXT, "Gunmen"),
                                                     span("s2", "location", TEXT, "Kidal")]}
            for c in ("amina", "lukas")]
    p.import_paths([write_jsonl(tmp_path / "r.jsonl",
                                [record(f"r{i}", TEXT + " " * i, anns) for i in range(20)])])
    for name in ("rita", "sam"):
        p.coder_id(name, create=True, role="reviewer")
    assert "gold" not in {c.name for c in p.coders()}
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_accept, args=(db, r, barrier, queue)) for r in ("rita", "sam")]
    for w in workers:
        w.start()
    results = [queue.get(timeout=300) for _ in workers]
    for w in workers:
        w.join(60)
    for reviewer, code, err in results:
        assert code in (0, 1), (reviewer, code, err)
        assert "Traceback" not in err and "IntegrityError" not in err.split(":")[0], err
        if code == 1:  # lost the race: told plainly, nothing of it stored
            assert "refused" in err or "another window or process" in err, err
    assert any(code == 0 for _, code, _ in results)
    assert [c.name for c in p.coders()].count("gold") == 1
    items = p.review_items()
    assert all(it.decision is not None for its in items.values() for it in its)
    gold = p.coder_id("gold")
    assert sum(len(p.spans(rid, gold)) for rid in items) == 40  # each item accepted once
    p.close()
