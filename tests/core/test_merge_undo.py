"""`merge --undo RUN|LAST` takes one merge back: what it stored goes into the history and the
versions it replaced come back, while anything changed since (a later merge, an edit) stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import commands as c
from annotator.core.packages import make_package
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl
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


def test_undo_takes_one_merge_back_and_keeps_what_changed_since(
        team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bob.db"
    make_package(team, "bob", out)
    pkg = Project.open(out, create=False)
    _add_spans(pkg, "bob", "r1", ["Beta30", "Beta31"])
    _add_spans(pkg, "bob", "r2", ["Beta3"])
    pkg.run(c.SetStatus(next(r.id for r in pkg.reports() if r.external_id == "r1"),
                        pkg.coder_id("bob"), "done"))
    pkg.close()
    db = team.location
    assert main(["--db", db, "merge", str(out)]) == 0
    shown = capsys.readouterr().out
    run = shown.split("merge run ")[1].split()[0].rstrip(":")
    assert f"annotator merge --undo {run}" in shown
    assert _counts(team, "bob") == {"r1": (12, 2), "r2": (6, 0)}
    # after it: bob edits r2 in the project, and amina's file is merged (another run)
    r1, r2 = (next(r.id for r in team.reports() if r.external_id == x) for x in ("r1", "r2"))
    bob = team.coder_id("bob")
    text2 = team.report(r2).text
    team.run(c.AddSpan(r2, bob, "location", text2.index("Beta5"), text2.index("Beta5") + 5))
    t1 = team.report(r1).text
    amina = write_jsonl(tmp_path / "amina.jsonl", [record("r1", t1, [_work(t1, 3, 1, "amina")])])
    assert main(["--db", db, "merge", str(amina)]) == 0
    capsys.readouterr()
    before = len(_history(team))
    assert main(["--db", db, "merge", "--undo", run]) == 0
    shown = capsys.readouterr().out
    assert "r1  bob: taken back" in shown and "r2  bob: kept" in shown
    assert "1 version(s) taken back, 1 kept" in shown
    assert _counts(team, "bob") == {"r1": (10, 2), "r2": (7, 0)}  # r2: the edit stays
    assert team.status(r1, bob) == "in_progress"  # the status before the merge
    assert _counts(team, "amina")["r1"] == (3, 1)  # the later merge is untouched
    undone = [h for h in _history(team)[before:] if h["kind"] == "undone"]
    assert len(undone) == 1 and len(undone[0]["content"]["spans"]) == 12  # kept, not lost
    # the same run cannot be taken back twice; LAST is amina's merge
    assert main(["--db", db, "merge", "--undo", run]) == 1
    assert "taken back already" in capsys.readouterr().err
    assert main(["--db", db, "merge", "--undo", "LAST"]) == 0
    assert _counts(team, "amina")["r1"] == (0, 0)
    assert main(["--db", db, "merge", "--undo", "LAST"]) == 1
    assert "no merge to take back" in capsys.readouterr().err
    assert main(["--db", db, "--as", "bob", "merge", "--undo", "LAST"]) == 1
    # taken back, the package merges again as it did
    again = team.merge(out)
    assert [o.action for o in again.outcomes] == ["replaced", "kept"], again.line()
    assert _counts(team, "bob") == {"r1": (12, 2), "r2": (7, 0)}


def test_undo_of_a_merge_into_a_corrected_text_closes_its_flagged_spans(new_db,
                                                                         tmp_path: Path) -> None:
    from tests.core.test_merge import _package

    old, new = _text(6), _text(6, fix={3, 4})
    src = Project.open(new_db("src.db"))
    _load(src, tmp_path, [record("r1", old, [_work(old, 5, 0)])], "old.jsonl")
    path = _package(src, tmp_path)
    src.close()
    team = Project.open(new_db("fixed.db"))
    try:
        _load(team, tmp_path, [record("r1", new)], "fixed.jsonl")
        summary = team.merge(path)
        assert summary.flagged == 2 and team.flagged_reports("bob")
        undone = team.undo_merge(summary.run)
        assert undone.undone == ["r1  bob"] and not undone.kept
        assert _counts(team, "bob") == {"r1": (0, 0)}
        assert team.flagged_reports("bob") == {}  # nothing left to re-place
        assert len(team.flagged_spans()) == 2  # still in the history, closed
    finally:
        team.close()
