"""A team project: reports locked once their gold is done, coders' queues, progress per day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import commands as c
from annotator.core.assignments import Assign
from annotator.core.locks import Lock, Unlock
from annotator.core.project import Project
from annotator.core.team import SetTeamSettings, TeamSettings
from tests.core.helpers import record, span, write_jsonl

TEXT = "Gunmen attacked Kidal on Sunday, killing 12 soldiers.\n"


@pytest.fixture
def proj(new_db, tmp_path: Path):
    recs = [record("r0", TEXT, [
        {"coder": "amina", "status": "done", "spans": [span("s1", "actor", TEXT, "Gunmen")]},
        {"coder": "lukas", "status": "done", "spans": [span("s1", "actor", TEXT, "Gunmen")]}])]
    recs += [record(f"r{i}", f"Report number {i}.\n") for i in range(1, 6)]
    p = Project.open(new_db("team.db"))
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", recs)])
    yield p
    p.close()


def _rid(p: Project, ext: str) -> int:
    return next(r.id for r in p.reports() if r.external_id == ext)


def _gold_done(p: Project, rid: int) -> None:
    rita = p.coder_id("rita", create=True, role="reviewer")
    assert rita
    p.run(c.AcceptUnanimous("rita", [rid]))  # both coders agree: nothing left open


def test_gold_done_locks_coders_out_until_unlocked(proj: Project) -> None:
    rid = _rid(proj, "r0")
    amina = proj.coder_id("amina")
    sid = proj.spans(rid, amina)[0].id
    coder = Project.open(proj.location)  # the coder's window, beside the reviewer's
    try:
        coder.run(c.AddSpan(rid, amina, "date", 25, 31))  # before the lock: fine
        coder.run(c.DeleteSpan(coder.spans(rid, amina)[-1].id))
        _gold_done(proj, rid)
        assert proj.locked_reports() == {rid}
        for cmd in (c.AddSpan(rid, amina, "location", 16, 21), c.DeleteSpan(sid),
                    c.SetSpanAttribute(sid, "actor_type", "state_forces"),
                    c.SetStatus(rid, amina, "in_progress"), c.CreateClaim(rid, amina, "attack"),
                    c.RejectSuggestions(rid, amina, [("date", 25, 31)])):
            with pytest.raises(c.CommandError, match="report r0 is locked: its gold version is done"):
                coder.run(cmd)
        with pytest.raises(c.CommandError, match="locked"):
            coder.undo()  # the coder's undo of an edit made before the lock: refused too
        assert [s.text for s in proj.spans(rid, amina)] == ["Gunmen"]
        # the gold layer stays editable for the reviewer
        gold = proj.coder_id("gold")
        proj.run(c.AddSpan(rid, gold, "location", 16, 21))
        unlock = Unlock([rid])
        proj.run(unlock)
        assert unlock.changed and proj.locked_reports() == set()
        coder.run(c.AddSpan(rid, amina, "location", 16, 21))  # allowed again
        coder.undo()
        proj.undo()  # undo of the unlock locks it again
        assert proj.locked_reports() == {rid}
    finally:
        coder.close()


def test_lock_by_hand_and_cli(proj: Project, capsys) -> None:
    rid = _rid(proj, "r1")
    lukas = proj.coder_id("lukas")
    proj.run(Lock([rid]))
    with pytest.raises(c.CommandError, match="report r1 is locked"):
        proj.run(c.AddSpan(rid, lukas, "actor", 0, 6))
    db = proj.location
    assert main(["--db", db, "assign", "--unlock", "r1,r0"]) == 0
    assert "unlocked 1 report(s); 1 already so" in capsys.readouterr().out
    proj.run(c.AddSpan(rid, lukas, "actor", 0, 6))
    assert main(["--db", db, "assign", "--lock", "r1"]) == 0
    assert main(["--db", db, "--as", "lukas", "assign", "--unlock", "r1"]) == 1
    assert "a coder cannot" in capsys.readouterr().err
    assert proj.locked_reports() == {rid}


def test_queue_shows_a_coders_reports_and_the_pool_when_allowed(proj: Project, capsys) -> None:
    amina, lukas = proj.coder_id("amina"), proj.coder_id("lukas")
    every = [r.external_id for r in proj.reports()]
    # no assignments yet: everyone's queue is every report (one workstation, the example)
    assert [r.external_id for r in proj.queue(amina)] == every
    proj.run(Assign([_rid(proj, "r1"), _rid(proj, "r2"), _rid(proj, "r3")], [amina, lukas]))
    mine = {r.external_id for r in proj.queue(amina)}
    theirs = {r.external_id for r in proj.queue(lukas)}
    assert "r0" in mine and "r0" in theirs  # they coded it: it stays in their queues
    assert mine | theirs == {"r0", "r1", "r2", "r3"} and not (mine & theirs) - {"r0"}
    assert "r4" not in mine
    proj.run(SetTeamSettings(TeamSettings(unassigned_pool=True)))
    assert {r.external_id for r in proj.queue(amina)} == mine | {"r4", "r5"}
    assert [r.external_id for r in proj.queue(amina, status="done")] == ["r0"]
    proj.undo()
    assert {r.external_id for r in proj.queue(amina)} == mine
    rita = proj.coder_id("rita", create=True, role="reviewer")
    assert [r.external_id for r in proj.queue(rita)] == every  # reviewers see every report
    assert main(["--db", proj.location, "assign", "--pool", "on"]) == 0
    assert proj.team_settings().unassigned_pool
    assert main(["--db", proj.location, "--as", "amina", "reports"]) == 0
    out = capsys.readouterr().out
    assert "r4" in out and f"{len(mine) + 2} report(s)" in out  # their queue, with the pool
    proj.undo()  # undo of the first assign: back to every report for everyone
    assert [r.external_id for r in proj.queue(amina)] == every


def test_progress_counts_per_coder_and_per_day(proj: Project, capsys) -> None:
    amina, lukas = proj.coder_id("amina"), proj.coder_id("lukas")
    ids = [_rid(proj, f"r{i}") for i in range(1, 6)]
    proj.run(Assign(ids, [amina, lukas], share=0.4, seed=3))
    res = proj.progress()
    by = {x.name: x for x in res.coders}
    assert by["amina"].done == 1 and by["lukas"].done == 1  # r0, from the import
    assert by["amina"].todo + by["lukas"].todo == 7  # 5 reports, 2 of them twice
    assert res.double_coded == 3 and res.double_coded_done == 1  # r0 and the two planned
    assert by["amina"].double_coded == 3 and by["amina"].double_coded_done == 1
    doubled = [r for r in ids if {amina, lukas} <= _assigned(proj, r)]
    proj.run(c.SetStatus(doubled[0], amina, "done"))
    proj.run(c.SetStatus(doubled[0], lukas, "done"))
    res = proj.progress()
    assert res.double_coded_done == 2
    days = res.per_day()
    assert sum(d["double_coded_done"] for d in days) == 2
    assert days[-1]["double_coded_share_done"] == pytest.approx(2 / 3)
    assert sum(d["done"]["amina"] for d in days) == 2
    assert main(["--db", proj.location, "progress"]) == 0
    out = capsys.readouterr().out
    assert "DONE PER DAY (UTC)" in out and "67%" in out
    assert main(["--db", proj.location, "progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["double_coded"]["done"] == 2 and data["days"][-1]["done"]["amina"] >= 1


def _assigned(p: Project, rid: int) -> set[int]:
    names = {x.name: x.id for x in p.coders()}
    row = next(r for r in p.reports() if r.id == rid)
    return {names[n] for n in row.statuses if n != "gold"}


def test_agreement_cli_compares_each_pair_on_its_reports(new_db, tmp_path: Path, capsys) -> None:
    def ann(coder: str) -> dict:
        return {"coder": coder, "status": "done", "spans": [span("s1", "actor", TEXT, "Gunmen")]}

    recs = [record("p1", TEXT, [ann("amina"), ann("lukas")]),
            record("p2", TEXT + " ", [ann("lukas"), ann("kim")]),
            record("p3", TEXT + "  ", [ann("amina"), ann("kim")])]
    db = new_db("pairs.db")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "import", str(write_jsonl(tmp_path / "p.jsonl", recs))]) == 0
    capsys.readouterr()
    assert main(["--db", db, "agreement", "--json", "--resamples", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reports_used"] == 3
    assert {k: v["n"] for k, v in out["pairs"].items()} == {
        "amina|kim": 1, "amina|lukas": 1, "kim|lukas": 1}
    assert out["spans"]["actor"]["f1_exact"]["mean"] == 1.0
    assert main(["--db", db, "agreement", "--resamples", "0"]) == 0
    assert "n per pair: amina & kim 1; amina & lukas 1; kim & lukas 1" in capsys.readouterr().out
    assert main(["--db", db, "agreement", "--all-done", "--json", "--resamples", "0"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert every["reports_used"] == 0 and "pairs" not in every  # nobody finished all three
