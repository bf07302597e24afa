"""Two windows (two Project sessions) on one project: conflicting edits and undos are refused
with a plain message, never applied over the other's change; each sees the other's changes."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import commands as c
from annotator.core import review
from annotator.core.db import write_transaction
from annotator.core.project import OTHER_PROCESS, Project
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen attacked Kidal on Sunday, killing 12 soldiers.\n"


@pytest.fixture
def two(new_db, tmp_path: Path) -> Iterator[tuple[Project, Project, int, int, int]]:
    db = new_db("shared.db")
    a = Project.open(db)
    a.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = a.reports()[0].id
    coder = a.coder_id("amina", create=True)
    add = c.AddSpan(rid, coder, "actor", 0, 6)
    a.run(add)
    b = Project.open(db)
    yield a, b, rid, coder, add.span_id
    a.close()
    b.close()


def _attrs(p: Project, rid: int, coder: int) -> dict:
    return p.spans(rid, coder)[0].attributes


def test_an_edit_from_a_stale_view_is_refused(two) -> None:
    a, b, rid, coder, sid = two
    shown = _attrs(a, rid, coder).get("country")  # window A shows no country
    b.run(c.SetSpanAttribute(sid, "country", "ML", expected=None))
    with pytest.raises(c.CommandError, match="changed in another window or process"):
        a.run(c.SetSpanAttribute(sid, "country", "NE", expected=shown))
    assert _attrs(a, rid, coder)["country"] == "ML"  # B's value stands
    assert a.undo_label == "Tag Actor"  # the refused edit is not on A's undo stack


def test_edits_of_different_attributes_both_stand(two) -> None:
    a, b, rid, coder, sid = two
    a.run(c.SetSpanAttribute(sid, "country", "ML", expected=None))
    b.run(c.SetSpanAttribute(sid, "actor_type", "state_forces", expected=None))
    assert _attrs(a, rid, coder) == {"country": "ML", "actor_type": "state_forces"}
    a.undo()  # undoes A's country only
    assert _attrs(b, rid, coder) == {"actor_type": "state_forces"}


def test_undo_is_refused_when_the_other_changed_the_same_thing(two) -> None:
    a, b, rid, coder, sid = two
    a.run(c.SetSpanAttribute(sid, "country", "ML"))
    b.run(c.SetSpanAttribute(sid, "country", "NE", expected="ML"))
    with pytest.raises(c.CommandError, match="Undo .* refused"):
        a.undo()
    assert _attrs(a, rid, coder)["country"] == "NE"
    assert a.undo_label is not None and "Set" in a.undo_label  # still there, refused
    # retag from a stale version, then undo of a status the other changed
    version = a.spans(rid, coder)[0].version
    b.run(c.SetSpanBounds(sid, 0, 15))
    with pytest.raises(c.CommandError, match="changed in another window"):
        a.run(c.SetSpanType(sid, "location", expected_version=version))
    a.run(c.SetStatus(rid, coder, "done"))
    b.run(c.SetStatus(rid, coder, "in_progress"))
    with pytest.raises(c.CommandError, match="refused"):
        a.undo()
    assert a.status(rid, coder) == "in_progress"


def test_undo_of_a_new_span_the_other_edited_is_refused(two) -> None:
    a, b, rid, coder, sid = two
    add = c.AddSpan(rid, coder, "location", 16, 21)
    a.run(add)
    b.run(c.SetSpanAttribute(add.span_id, "relation", "in"))
    with pytest.raises(c.CommandError, match="refused"):
        a.undo()
    assert [s.text for s in b.spans(rid, coder)] == ["Gunmen", "Kidal"]


def test_each_session_hears_the_others_changes_not_its_own(two) -> None:
    a, b, rid, coder, sid = two
    ta, tb = a.change_token(), b.change_token()
    a.run(c.SetSpanAttribute(sid, "country", "ML"))
    heard, tb = b.changes_since(tb)
    assert heard.reports == {rid} and heard.origin == OTHER_PROCESS
    own, ta = a.changes_since(ta)
    assert own.reports == set() and not own.structure
    again, tb2 = b.changes_since(tb)
    assert again.reports == set() and tb2 == tb  # nothing new: one cheap read
    b.run(c.SetStatus(rid, coder, "done"))
    heard, ta = a.changes_since(ta)
    assert heard.statuses == {(rid, coder)}
    b.coder_id("lukas", create=True)
    heard, ta = a.changes_since(ta)
    assert heard.structure


def test_right_after_its_own_commit_a_session_reads_nothing_but_misses_nothing(two) -> None:
    """The window polls after each of its own changes: when nobody committed in between, the
    change log is not read at all; when somebody did, their change is heard."""
    from sqlalchemy import event

    a, b, rid, coder, sid = two
    token = a.change_token()
    statements: list[str] = []
    event.listen(a._engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    a.run(c.SetSpanAttribute(sid, "country", "ML"))
    statements.clear()
    heard, token2 = a.changes_since(token)
    assert statements == [] and heard.reports == set() and token2 == token + 1
    # another session commits between the window's token and its own next commit
    b.run(c.SetStatus(rid, coder, "done"))
    a.run(c.SetSpanAttribute(sid, "country", "NE"))
    heard, token3 = a.changes_since(token2)
    assert heard.statuses == {(rid, coder)} and token3 == token2 + 2
    # a commit that fails leaves nothing to trust: the next poll reads the log
    with pytest.raises(c.CommandError):
        a.run(c.SetSpanAttribute(10**9, "country", "ML"))
    b.run(c.SetStatus(rid, coder, "in_progress"))
    heard, _ = a.changes_since(token3)
    assert heard.statuses == {(rid, coder)}


def test_what_was_touched_since_a_token_counts_own_commits_without_reading_the_log(two) -> None:
    from sqlalchemy import event

    a, b, rid, coder, sid = two
    token = a.change_token()
    a.run(c.SetSpanAttribute(sid, "country", "ML"))
    a.run(c.SetStatus(rid, coder, "done"))
    statements: list[str] = []
    event.listen(a._engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert a.touched_since(token) == (False, {rid})
    assert [q for q in statements if "change_log" in q] == []  # the counter only
    assert a.touched_since(token + 2) == (False, set())
    b.coder_id("lukas", create=True)  # another session's commit: the log is read
    statements.clear()
    structure, reports = a.touched_since(token)
    assert structure and reports == {rid} and any("change_log" in q for q in statements)


def test_two_reviewers_creating_the_gold_coder_at_once_get_the_same_one(two) -> None:
    a, b, *_ = two
    ids: list[int] = []
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with write_transaction(b._engine) as conn:
                ids.append(review.gold_coder_id(conn) or 0)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    with write_transaction(a._engine) as conn:
        ids.append(review.gold_coder_id(conn) or 0)
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)  # the second reviewer's insert now waits for this transaction
    t.join(30)
    assert errors == [] and len(ids) == 2 and ids[0] == ids[1]
    assert [r.name for r in a.coders()].count("gold") == 1


def test_coders_add_changes_an_existing_coders_role(new_db, capsys) -> None:
    db = new_db("roles.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project (a typo never does)
    assert main(["--db", db, "coders", "--add", "amina"]) == 0
    assert main(["--db", db, "coders", "--add", "amina", "--role", "reviewer"]) == 0
    out = capsys.readouterr().out
    assert "amina: coder -> reviewer" in out
    p = Project.open(db)
    assert {r.name: r.role for r in p.coders()}["amina"] == "reviewer"
    p.close()
    assert main(["--db", db, "coders", "--add", "amina"]) == 0  # no role given: kept
    assert "already a reviewer" in capsys.readouterr().out


def test_exports_get_the_permissions_of_a_new_file(project: Project, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "all.jsonl"
        assert main(["--db", project.location, "export", "--out", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        folder = tmp_path / "tables"
        assert main(["--db", project.location, "export", "--format", "csv", "--out", str(folder)]) == 0
        assert {stat.S_IMODE(f.stat().st_mode) for f in folder.iterdir()} == {0o644}
        brat = tmp_path / "brat"
        assert main(["--db", project.location, "export", "--format", "brat", "--out", str(brat)]) == 0
        assert stat.S_IMODE(brat.stat().st_mode) == 0o755
    finally:
        os.umask(old)
