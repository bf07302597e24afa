"""A locked report (gold done) is respected by merge, package and import, not only by commands:
its coders' incoming work is held back and said so, everything else goes in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import commands as c
from annotator.core.locks import Lock, Unlock
from annotator.core.packages import make_package
from annotator.core.project import Project
from tests.core.helpers import record, span, write_jsonl
from tests.core.test_merge import _add_spans, _counts, _history, _load, _text, _work


@pytest.fixture
def team(new_db, tmp_path: Path):
    """bob coded r1 (10 spans, 2 claims) and r2 (5 spans)."""
    p = Project.open(new_db("team.db"))
    t1, t2 = _text(40), _text(12)
    _load(p, tmp_path, [record("r1", t1, [_work(t1, 10, 2)]),
                        record("r2", t2, [_work(t2, 5, 0)])], "start.jsonl")
    yield p
    p.close()


def _rid(p: Project, ext: str) -> int:
    return next(r.id for r in p.reports() if r.external_id == ext)


def test_merge_holds_back_a_locked_reports_work_and_takes_the_rest(
        team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bob.db"
    make_package(team, "bob", out)
    pkg = Project.open(out, create=False)
    _add_spans(pkg, "bob", "r1", ["Beta30", "Beta31"])
    _add_spans(pkg, "bob", "r2", ["Beta3"])
    pkg.close()
    team.run(Lock([_rid(team, "r1")]))  # gold done while bob worked offline
    assert main(["--db", team.location, "merge", str(out)]) == 1
    shown = capsys.readouterr().out
    assert "r1  bob: locked" in shown and "not applied" in shown
    assert "r2  bob: replaced" in shown and "1 locked (kept as they are)" in shown
    assert _counts(team, "bob") == {"r1": (10, 2), "r2": (6, 0)}  # r1 as it was
    held = [h for h in _history(team) if h["kind"] == "locked"]
    assert len(held) == 1 and held[0]["report_external_id"] == "r1"
    assert len(held[0]["content"]["spans"]) == 12  # the file's version, whole
    # a second merge of the same file says so again without a second copy in the history
    again = team.merge(out)
    assert [o.action for o in again.outcomes] == ["locked", "unchanged"]
    assert again.locked[0].history == [held[0]["id"]] and not again.ok
    assert len([h for h in _history(team) if h["kind"] == "locked"]) == 1
    # unlocked, the same file goes in
    team.run(Unlock([_rid(team, "r1")]))
    done = team.merge(out)
    assert done.ok and done.outcomes[0].action == "replaced", done.line()
    assert _counts(team, "bob")["r1"] == (12, 2)


def test_merge_of_an_unchanged_locked_report_is_quiet(team: Project, tmp_path: Path) -> None:
    out = tmp_path / "bob.db"
    make_package(team, "bob", out)
    team.run(Lock([_rid(team, "r1")]))
    summary = team.merge(out)
    assert summary.ok and summary.count("unchanged") == 2, summary.line()


def test_a_package_keeps_locked_reports_read_only(team: Project, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    team.run(Lock([_rid(team, "r1")]))
    out = tmp_path / "bob.db"
    assert main(["--db", team.location, "package", "--coder", "bob", "--out", str(out)]) == 0
    line = capsys.readouterr().out
    assert "2 report(s) assigned" in line or "2 report(s) already coded" in line
    assert "1 of them locked (gold done): read-only in the package" in line
    pkg = Project.open(out, create=False)
    try:
        bob, r1, r2 = pkg.coder_id("bob"), _rid(pkg, "r1"), _rid(pkg, "r2")
        assert pkg.locked_reports() == {r1}
        assert [c.name for c in pkg.coders() if c.role != "gold"] == ["bob"]
        assert len(pkg.spans(r1, bob)) == 10  # bob's work is there to read
        with pytest.raises(c.CommandError, match="report r1 is locked"):
            pkg.run(c.AddSpan(r1, bob, "actor", 0, 2))
        pkg.run(c.AddSpan(r2, bob, "actor", 0, 2))  # the others are open
    finally:
        pkg.close()
    summary = team.merge(out)
    assert [(o.report, o.action) for o in summary.outcomes] == [("r1", "unchanged"),
                                                                ("r2", "replaced")]


def test_import_into_a_locked_report_is_refused_whole(team: Project, tmp_path: Path) -> None:
    r1 = _rid(team, "r1")
    team.run(Lock([r1]))
    t1 = team.report(r1).text
    fresh = "A new report about Gamma.\n"
    bad = write_jsonl(tmp_path / "kim.jsonl", [
        record("r9", fresh),
        record("r1", t1, [{"coder": "kim", "status": "in_progress",
                           "spans": [span("s1", "actor", t1, "Alpha3")]}])])
    summary = team.import_paths([bad])
    res = summary.files[0]
    assert not res.ok and res.line == 2, res.message
    assert "locked" in res.message and "kim" in res.message and "nothing of this file" in res.message
    assert [r.external_id for r in team.reports()] == ["r1", "r2"]  # not even r9
    # a later status on the locked report is a change too
    status = write_jsonl(tmp_path / "bob.jsonl", [record("r1", t1, [_work(t1, 10, 2,
                                                                        status="done")])])
    assert not team.import_paths([status]).files[0].ok
    assert team.status(r1, team.coder_id("bob")) == "in_progress"
    # the same work again (a round trip of an export) and gold work go in
    same = write_jsonl(tmp_path / "same.jsonl", [record("r1", t1, [_work(t1, 10, 2)])])
    assert team.import_paths([same]).files[0].ok
    gold = write_jsonl(tmp_path / "gold.jsonl", [record("r1", t1, [
        {"coder": "gold", "role": "gold", "status": "done",
         "spans": [span("s1", "actor", t1, "Alpha3")]}])])
    res = team.import_paths([gold]).files[0]
    assert res.ok and res.annotations == 1, res.message
    # unlocked, kim's file goes in
    team.run(Unlock([r1]))
    assert team.import_paths([bad]).files[0].ok
    assert len(team.spans(r1, team.coder_id("kim"))) == 1


def test_the_lock_guard_holds_in_the_store_pass_too(team: Project) -> None:
    """A lock set between the check and the store (another process) still refuses the write."""
    from annotator.core.db import write_transaction
    from annotator.core.io.interchange import parse_data, store_record

    r1 = _rid(team, "r1")
    t1 = team.report(r1).text
    rec = parse_data(json.loads(json.dumps(record("r1", t1, [
        {"coder": "kim", "spans": [span("s1", "actor", t1, "Alpha3")]}]))), team.codebook)
    team.run(Lock([r1]))
    with pytest.raises(ValueError, match="locked"), write_transaction(team._engine) as conn:
        store_record(conn, rec, team.codebook_id, {})
    assert "kim" not in {c.name for c in team.coders()}
