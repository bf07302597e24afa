"""Two processes coding the same report at once lose nothing and overwrite nothing unseen.

Each process stands for a coder's second window: it reads a span's attribute (what its view
shows), waits a moment, then sets the attribute with the value it saw as the expected one; now
and then it undoes its last change or tags a new span, and it polls for the other's changes.
Every applied change records the value its window showed, the value it replaced (read in its
own transaction) and the row version it produced. Afterwards, per span and attribute, the
applied changes in version order must form one unbroken chain from the first value to the stored
one: a change that replaced a value other than the last one written, or other than the one its
window showed, is a silent overwrite; an applied change the end state does not reflect is a
lost write.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from annotator.core import commands as c
from annotator.core.codebook import parse_codebook
from annotator.core.project import OTHER_PROCESS, Project
from tests.core.helpers import record, write_jsonl

CODEBOOK = {
    "id": "race", "version": 1, "title": "Two attributes to fight over",
    "span_types": [{"id": "thing", "label": "Thing", "color": "#1f77b4", "hotkey": "1",
                    "attributes": [{"id": "a", "label": "A", "type": "text", "level": "nominal"},
                                   {"id": "b", "label": "B", "type": "text", "level": "nominal"}]}],
    "claim_types": [],
}
TEXT = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda\n"
OPS = 120


def _worker(db: str, name: str, span_ids: list[int], seed: int, barrier: Any, out: str) -> None:
    project = Project.open(db)
    rng = random.Random(seed)
    rid = project.reports()[0].id
    coder = project.coder_id("amina")
    log: dict[str, Any] = {"applied": [], "refused": 0, "undo_refused": 0, "added": [],
                           "polls_with_other_changes": 0}
    token = project.change_token()
    barrier.wait(60)
    last: c.SetSpanAttribute | None = None
    for i in range(OPS):
        roll = rng.random()
        undoing = roll < 0.15 and last is not None
        try:
            if undoing:
                assert last is not None
                project.undo()
                log["applied"].append(_entry(last, shown=last.value))
                last = None
            elif roll < 0.22:
                start = rng.randrange(0, 50)
                add = c.AddSpan(rid, coder, "thing", start, start + 4)
                project.run(add)
                log["added"].append(add.span_id)
                last = None  # the undo stack's top is the new span now
            else:
                sid = rng.choice(span_ids)
                attr = rng.choice("ab")
                shown = {s.id: s for s in project.spans(rid, coder)}[sid].attributes.get(attr)
                time.sleep(rng.random() * 0.004)  # the coder types; the other window may write
                cmd = c.SetSpanAttribute(sid, attr, f"{name}-{i}", expected=shown)
                project.run(cmd)
                log["applied"].append(_entry(cmd, shown))
                last = cmd
        except c.CommandError:
            if undoing:
                log["undo_refused"] += 1
                last = None
            else:
                log["refused"] += 1
        changes, token = project.changes_since(token)
        if rid in changes.reports:
            assert changes.origin == OTHER_PROCESS
            log["polls_with_other_changes"] += 1
    project.close()
    Path(out).write_text(json.dumps(log), "utf-8")


def _entry(cmd: c.SetSpanAttribute, shown: Any) -> dict[str, Any]:
    return {"span": cmd.row_id, "attribute": cmd.attribute, "shown": shown,
            "before": cmd.before, "after": cmd.after, "version": cmd.version}


def _audit(project: Project, span_ids: list[int], logs: list[dict[str, Any]]) -> dict[str, int]:
    rid = project.reports()[0].id
    final = {s.id: s for s in project.spans(rid, project.coder_id("amina"))}
    chains: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    versions: dict[int, list[int]] = defaultdict(list)
    for log in logs:
        for w in log["applied"]:
            chains[(w["span"], w["attribute"])].append(w)
            versions[w["span"]].append(w["version"])
    overwrites = lost = 0
    for (sid, attr), writes in chains.items():
        value = None
        for w in sorted(writes, key=lambda w: w["version"]):
            # replaced something other than the last write, or than what the window showed
            overwrites += w["before"] != value or w["before"] != w["shown"]
            value = w["after"]
        lost += final[sid].attributes.get(attr) != value
    for sid in span_ids:
        # one version step per logged change: no change happened that nobody logged
        steps = sorted(versions[sid])
        lost += steps != list(range(2, 2 + len(steps))) or final[sid].version != 1 + len(steps)
    added = [i for log in logs for i in log["added"]]
    lost += len(set(added) - set(final))
    return {
        "applied": sum(len(log["applied"]) for log in logs),
        "refused edits": sum(log["refused"] for log in logs),
        "refused undos": sum(log["undo_refused"] for log in logs),
        "spans added": len(added),
        "polls that saw the other's changes": sum(log["polls_with_other_changes"] for log in logs),
        "silent overwrites": overwrites,
        "lost writes": lost,
    }


@pytest.mark.slow
def test_two_processes_lose_nothing_and_overwrite_nothing(new_db, tmp_path: Path) -> None:
    db = new_db("shared.db")
    project = Project.open(db, codebook=parse_codebook(CODEBOOK, source="test"))
    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = project.reports()[0].id
    amina = project.coder_id("amina", create=True)
    span_ids = []
    for start in (0, 6, 11):  # three spans, two attributes: the processes collide often
        add = c.AddSpan(rid, amina, "thing", start, start + 4)
        project.run(add)
        span_ids.append(add.span_id)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    outs = [str(tmp_path / f"worker{i}.json") for i in range(2)]
    workers = [ctx.Process(target=_worker, args=(db, f"p{i}", span_ids, i, barrier, outs[i]))
               for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(600)
        assert w.exitcode == 0
    figures = _audit(project, span_ids, [json.loads(Path(o).read_text("utf-8")) for o in outs])
    project.close()
    print("two processes:", figures)
    assert figures["silent overwrites"] == 0
    assert figures["lost writes"] == 0
    assert figures["applied"] > OPS // 2
    # the processes did collide, and each saw the other's work by polling
    assert figures["refused edits"] > 0
    assert figures["polls that saw the other's changes"] > 0
