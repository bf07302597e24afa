"""Assignments: balanced and reproducible plans, moving and withdrawing, progress."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import commands as c
from annotator.core.assignments import (
    Assign,
    MoveAssignments,
    Unassign,
    plan_assignments,
)
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl


@pytest.mark.parametrize(("n", "coders", "share"), [(100, 3, 0.2), (37, 4, 0.5), (10, 2, 1.0),
                                                    (9, 5, 0.0)])
def test_plans_are_balanced(n: int, coders: int, share: float) -> None:
    plan = plan_assignments(range(n), range(1, coders + 1), share, seed=7)
    per_report = Counter(r for r, _ in plan)
    assert set(per_report) == set(range(n))  # every report has a coder
    assert sum(1 for k in per_report.values() if k == 2) == round(share * n)
    assert max(per_report.values()) <= 2
    load = Counter(cid for _, cid in plan)
    assert max(load.values()) - min(load.values()) <= 1
    assert all(len({cid for r2, cid in plan if r2 == r}) == k for r, k in per_report.items())
    if share and coders > 2:
        pairs = Counter(tuple(sorted(cid for r2, cid in plan if r2 == r))
                        for r, k in per_report.items() if k == 2)
        counts = [pairs.get(p, 0) for p in combinations(range(1, coders + 1), 2)]
        assert max(counts) - min(counts) <= 2  # every pair gets its part of the double coding


def test_plans_are_reproducible_with_a_seed() -> None:
    a = plan_assignments(range(50), [1, 2, 3], 0.2, seed=1)
    assert plan_assignments(range(50), [3, 2, 1], 0.2, seed=1) == a
    assert plan_assignments(range(50), [1, 2, 3], 0.2, seed=2) != a


def test_bad_plans_are_refused() -> None:
    with pytest.raises(c.CommandError, match="two coders"):
        plan_assignments(range(5), [1], 0.5)
    with pytest.raises(c.CommandError, match="between 0 and 1"):
        plan_assignments(range(5), [1, 2], 1.5)


@pytest.fixture
def proj(new_db, tmp_path: Path):
    p = Project.open(new_db("assign.db"))
    p.import_paths([write_jsonl(tmp_path / "r.jsonl",
                                [record(f"r{i}", f"Report number {i}.\n") for i in range(10)])])
    yield p
    p.close()


def test_assign_move_unassign_and_undo(proj: Project) -> None:
    ids = [r.id for r in proj.reports()]
    a, b, k = (proj.coder_id(n, create=True) for n in ("amina", "bob", "kim"))
    cmd = Assign(ids, [a, b], share=0.2, seed=3)
    proj.run(cmd)
    assert len(cmd.planned) == 12
    counts = {r.name: r.counts.get("todo", 0) for r in proj.coders(counts=True)}
    assert counts["amina"] == counts["bob"] == 6
    # reports already assigned are left alone
    again = Assign(ids, [k])
    proj.run(again)
    assert again.planned == [] and again.skipped == 10
    # amina starts one report: moving her assignments to kim keeps that one
    started = next(r for r, cid in cmd.planned if cid == a)
    proj.run(c.AddSpan(started, a, "actor", 0, 6))
    move = MoveAssignments(a, k)
    proj.run(move)
    assert (len(move.moved), move.kept) == (5, 1)
    assert proj.status(started, a) == "in_progress"
    un = Unassign(k)
    proj.run(un)
    assert {r.name: sum(r.counts.values()) for r in proj.coders(counts=True)}["kim"] == 0
    proj.undo()  # unassign
    proj.undo()  # move
    assert {r.name: r.counts.get("todo", 0) for r in proj.coders(counts=True)}["amina"] == 5
    proj.undo()  # the span
    proj.undo()  # the second assign (nothing)
    proj.undo()  # the first assign
    assert all(not r.counts for r in proj.coders(counts=True))


def test_undo_of_an_assignment_someone_started_is_refused(proj: Project) -> None:
    ids = [r.id for r in proj.reports()]
    a = proj.coder_id("amina", create=True)
    proj.run(Assign(ids, [a]))
    other = Project.open(proj.location)
    try:
        other.run(c.SetStatus(ids[0], a, "done"))
    finally:
        other.close()
    with pytest.raises(c.CommandError, match="refused"):
        proj.undo()
    assert proj.status(ids[0], a) == "done"


def test_assign_and_progress_cli(proj: Project, capsys) -> None:
    db = proj.location
    assert main(["--db", db, "assign", "--coders", "amina,bob,kim", "--share", "0.2",
                 "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "assigned 10 report(s), 2 double-coded" in out
    amina = proj.coder_id("amina")
    bob = proj.coder_id("bob")
    rows = proj.reports(coder_id=amina)
    mine = [r for r in rows if "amina" in r.statuses]
    for r in mine:
        proj.run(c.SetStatus(r.id, amina, "done"))
    for r in proj.reports(coder_id=bob):
        if "bob" in r.statuses:
            proj.run(c.SetStatus(r.id, bob, "done"))
    assert main(["--db", db, "progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coders"]["amina"]["done"] == len(mine)
    assert data["coders"]["kim"]["todo"] + data["coders"]["kim"]["done"] >= 3
    assert data["double_coded"]["reports"] == 2
    assert sum(data["coders"]["amina"]["done_per_day"].values()) == len(mine)
    assert main(["--db", db, "progress"]) == 0
    assert "double-coded:" in capsys.readouterr().out
    assert main(["--db", db, "assign", "--unassign", "kim"]) == 0
    assert "withdrew" in capsys.readouterr().out
    assert main(["--db", db, "assign", "--coders", "amina", "--reports", "nope"]) == 1
    assert "no report with id nope" in capsys.readouterr().err


def test_assign_uses_the_projects_double_coded_share(proj: Project, capsys) -> None:
    from annotator.core import assist

    settings = proj.settings()
    settings.double_coding_share = 0.3
    proj.run(assist.SetProjectSettings(settings))
    assert proj.settings().double_coding_share == 0.3  # stored in the project, read back
    assert main(["--db", proj.location, "assign", "--coders", "amina,bob"]) == 0
    assert "assigned 10 report(s), 3 double-coded" in capsys.readouterr().out
    # --share still wins over the project's setting
    assert main(["--db", proj.location, "assign", "--unassign", "amina"]) == 0
    assert main(["--db", proj.location, "assign", "--unassign", "bob"]) == 0
    capsys.readouterr()
    assert main(["--db", proj.location, "assign", "--coders", "amina,bob", "--share", "0"]) == 0
    assert "assigned 10 report(s), 0 double-coded" in capsys.readouterr().out


def test_coders_listing_prints_each_coders_counts(proj: Project, capsys) -> None:
    """`annotator coders` is the one caller that asks for the counts (the window's pickers and
    every other caller read names and roles only, without counting all assignments)."""
    from annotator.cli import main

    ids = [r.id for r in proj.reports()]
    a = proj.coder_id("amina", create=True)
    proj.run(Assign(ids[:4], [a]))
    proj.run(c.AddSpan(ids[0], a, "actor", 0, 6))
    assert all(not r.counts for r in proj.coders())  # names and roles only
    capsys.readouterr()
    assert main(["--db", str(proj.location), "coders"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("amina"))
    assert line.split()[-3:] == ["3", "1", "0"]
