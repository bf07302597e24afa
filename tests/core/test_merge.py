"""Packages and merges (issue 16, item 4): a coder's offline work comes back per report and
nothing is lost: every span and claim is in the project or in its history, counted."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from annotator.cli import main
from annotator.core import review
from annotator.core.commands import AddSpan, CreateClaim, DeleteSpan
from annotator.core.merge import MergeSummary
from annotator.core.merge_undo import BOOKKEEPING
from annotator.core.models import history_t
from annotator.core.packages import make_package
from annotator.core.project import Project
from annotator.core.resources import resources_dir
from tests.core.helpers import record, write_jsonl

EXAMPLE = resources_dir() / "example" / "example.jsonl"


def _text(n: int, fix: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    """A report of ``n`` sentences, each naming one group; ``fix``: sentences whose group name
    a correction respelled."""
    return "".join(
        f"In week {i} the group {'Alfa' if i in fix else 'Alpha'}{i} attacked the village of "
        f"Beta{i}.\n" for i in range(n))


def _work(text: str, n_spans: int, n_claims: int, coder: str = "bob",
          status: str = "in_progress") -> dict[str, Any]:
    spans = []
    for i in range(n_spans):
        for prefix in ("Alpha", "Alfa"):
            needle = f"{prefix}{i} "
            pos = text.find(needle)
            if pos >= 0:
                break
        spans.append({"id": f"s{i}", "type": "actor", "start": pos, "end": pos + len(needle) - 1,
                      "text": needle[:-1], "attributes": {}})
    claims = [{"id": f"c{i}", "type": "attack", "slots": {"perpetrator": [f"s{i}"]},
               "attributes": {}} for i in range(n_claims)]
    return {"coder": coder, "status": status, "spans": spans, "claims": claims}


def _load(project: Project, tmp_path: Path, records: list[dict[str, Any]], name: str) -> None:
    summary = project.import_paths([write_jsonl(tmp_path / name, records)])
    assert not summary.failed, summary.files[0].message


def _counts(project: Project, coder: str) -> dict[str, tuple[int, int]]:
    cid = project.coder_id(coder)
    return {r.external_id: (len(project.spans(r.id, cid)), len(project.claims(r.id, cid)))
            for r in project.reports()}


def _history(project: Project) -> list[dict[str, Any]]:
    with project._engine.connect() as conn:
        q = select(history_t).where(history_t.c.kind.not_in(BOOKKEEPING)).order_by(history_t.c.id)
        return [dict(r) for r in conn.execute(q).mappings()]


def _add_spans(pkg: Project, coder: str, report: str, words: list[str]) -> list[int]:
    cid = pkg.coder_id(coder)
    rep = next(r for r in pkg.reports() if r.external_id == report)
    text = pkg.report(rep.id).text
    ids = []
    for w in words:
        cmd = AddSpan(rep.id, cid, "actor", text.index(w), text.index(w) + len(w))
        pkg.run(cmd)
        ids.append(cmd.span_id)
    return ids


def _add_claims(pkg: Project, coder: str, report: str, n: int) -> None:
    cid = pkg.coder_id(coder)
    rep = next(r for r in pkg.reports() if r.external_id == report)
    for _ in range(n):
        pkg.run(CreateClaim(rep.id, cid, "attack"))


@pytest.fixture
def team(new_db, tmp_path: Path):
    """A project: bob coded r1 (10 spans, 2 claims) and r2 (5 spans), amina coded r1 too."""
    p = Project.open(new_db("team.db"))
    t1, t2 = _text(40), _text(12)
    _load(p, tmp_path, [record("r1", t1, [_work(t1, 10, 2), _work(t1, 3, 1, "amina")]),
                        record("r2", t2, [_work(t2, 5, 0)])], "start.jsonl")
    yield p
    p.close()


def _package(p: Project, tmp_path: Path, name: str = "bob.db", coder: str = "bob") -> Path:
    out = tmp_path / name
    make_package(p, coder, out)
    return out


def _merge(p: Project, path: Path, **kw: Any) -> MergeSummary:
    return p.merge(path, **kw)


def test_a_package_holds_the_coders_own_work_only(team: Project, tmp_path: Path) -> None:
    path = _package(team, tmp_path)
    pkg = Project.open(path, create=False)
    try:
        assert [c.name for c in pkg.coders()] == ["bob"]
        assert _counts(pkg, "bob") == {"r1": (10, 2), "r2": (5, 0)}
        assert pkg.actor_names() == team.actor_names()
        assert pkg.codebook.ref == team.codebook.ref
    finally:
        pkg.close()
    # merging it back untouched changes nothing
    summary = _merge(team, path)
    assert summary.ok and summary.count("unchanged") == 2, summary.line()
    assert _counts(team, "bob") == {"r1": (10, 2), "r2": (5, 0)}


def test_spans_tagged_in_a_package_never_clash_with_copied_keys(
    team: Project, tmp_path: Path
) -> None:
    t3 = _text(8)
    high = _work(t3, 2, 0)
    high["spans"][0]["id"], high["spans"][1]["id"] = "s19", "s20"  # the package's next ids
    _load(team, tmp_path, [record("r3", t3, [high])], "high.jsonl")
    path = _package(team, tmp_path)
    pkg = Project.open(path, create=False)
    try:
        _add_spans(pkg, "bob", "r3", [f"Beta{i}" for i in range(6)])
        keys = [s.key for s in pkg.spans(pkg.reports()[2].id, pkg.coder_id("bob"))]
        assert len(set(keys)) == len(keys) == 8
    finally:
        pkg.close()
    assert _merge(team, path).count("replaced") == 1
    assert _counts(team, "bob")["r3"] == (8, 0)


def test_a_second_copy_that_lacks_work_deletes_nothing(team: Project, tmp_path: Path) -> None:
    first = _package(team, tmp_path)
    second = tmp_path / "bob-copy.db"
    shutil.copy(first, second)  # the coder's second copy, never worked on
    old_export = io.StringIO()
    team.export_jsonl(old_export, coders=["bob"])
    stale = tmp_path / "stale.jsonl"
    stale.write_text(old_export.getvalue(), "utf-8")
    pkg = Project.open(first, create=False)
    _add_spans(pkg, "bob", "r1", [f"Beta{i}" for i in range(20, 35)])  # 15 spans
    _add_claims(pkg, "bob", "r1", 5)
    pkg.close()
    summary = _merge(team, first)
    assert summary.ok and summary.count("replaced") == 1, summary.line()
    assert _counts(team, "bob") == {"r1": (25, 7), "r2": (5, 0)}
    # the second copy (and an old export) lack those 15 spans and 5 claims: nothing is deleted
    for path in (second, stale):
        again = _merge(team, path)
        assert again.ok and again.count("replaced") == 0, again.line()
        assert _counts(team, "bob") == {"r1": (25, 7), "r2": (5, 0)}
    assert _counts(team, "amina") == {"r1": (3, 1), "r2": (0, 0)}


def test_a_resubmission_replaces_and_keeps_the_old_version(team: Project, tmp_path: Path) -> None:
    path = _package(team, tmp_path)
    for round_, words in enumerate(([f"Beta{i}" for i in range(20, 25)],
                                    [f"Beta{i}" for i in range(25, 28)]), start=1):
        pkg = Project.open(path, create=False)
        _add_spans(pkg, "bob", "r1", words)
        if round_ == 2:  # an edit, not only additions: still this package's own resubmission
            sid = pkg.spans(pkg.reports()[0].id, pkg.coder_id("bob"))[0].id
            pkg.run(DeleteSpan(sid))
        pkg.close()
        summary = _merge(team, path)
        assert summary.ok and summary.count("replaced") == 1, summary.line()
    assert _counts(team, "bob")["r1"] == (10 + 5 + 3 - 1, 2)
    hist = _history(team)
    assert [h["kind"] for h in hist] == ["replaced", "replaced"]
    assert [len(h["content"]["spans"]) for h in hist] == [10, 15]
    # 0 lost: every span bob ever had is in the project or in the history
    team_spans = {s.text for s in team.spans(team.reports()[0].id, team.coder_id("bob"))}
    kept = {s["text"] for h in hist for s in h["content"]["spans"]}
    assert len(team_spans | kept) == 18


def test_a_conflict_is_listed_and_resolved_by_prefer(team: Project, tmp_path: Path) -> None:
    path = _package(team, tmp_path)
    pkg = Project.open(path, create=False)
    _add_spans(pkg, "bob", "r1", ["Beta30"])
    _add_spans(pkg, "bob", "r2", ["Beta3"])
    pkg.close()
    # meanwhile bob also worked on both reports in the project
    _add_spans(team, "bob", "r1", ["Beta31"])
    _add_spans(team, "bob", "r2", ["Beta4"])
    summary = _merge(team, path)
    assert not summary.ok and sorted(o.report for o in summary.conflicts) == ["r1", "r2"]
    assert "--prefer" in summary.conflicts[0].line()
    assert _counts(team, "bob") == {"r1": (11, 2), "r2": (6, 0)}  # nothing changed
    assert _history(team) == []
    summary = _merge(team, path, prefer={"r1": "package", "r2": "project"})
    assert summary.ok and summary.count("resolved") == 2, summary.line()
    assert _counts(team, "bob") == {"r1": (11, 2), "r2": (6, 0)}
    r1 = {s.text for s in team.spans(team.reports()[0].id, team.coder_id("bob"))}
    assert "Beta30" in r1 and "Beta31" not in r1
    hist = {(h["report_external_id"], h["kind"]): h for h in _history(team)}
    assert {s["text"] for s in hist[("r1", "replaced")]["content"]["spans"]} >= {"Beta31"}
    assert {s["text"] for s in hist[("r2", "not_taken")]["content"]["spans"]} >= {"Beta3"}


def test_a_corrected_text_keeps_the_spans_whose_text_is_unchanged(
    new_db, tmp_path: Path
) -> None:
    old, fixed = _text(40), _text(40, fix=set(range(30, 40)))
    src = Project.open(new_db("src.db"))
    _load(src, tmp_path, [record("r1", old, [_work(old, 40, 40)])], "old.jsonl")
    path = _package(src, tmp_path)
    src.close()
    team = Project.open(new_db("fixed.db"))
    try:
        _load(team, tmp_path, [record("r1", fixed)], "fixed.jsonl")
        summary = _merge(team, path)
        (out,) = summary.outcomes
        assert summary.ok and out.action == "added" and out.flagged == 10, summary.line()
        rid = team.reports()[0].id
        spans = team.spans(rid, team.coder_id("bob"))
        assert len(spans) == 30
        assert all(fixed[s.start:s.end] == s.text for s in spans)
        claims = team.claims(rid, team.coder_id("bob"))
        assert len(claims) == 40  # claims stay; only references to flagged spans go
        (flag,) = _history(team)
        assert flag["kind"] == "flagged" and len(flag["content"]["spans"]) == 10
        assert {s["text"] for s in flag["content"]["spans"]} == {f"Alpha{i}" for i in range(30, 40)}
        assert len(flag["content"]["claims"]) == 10
    finally:
        team.close()


def test_bob_and_bob_merge_as_one_coder(team: Project, tmp_path: Path) -> None:
    t3 = _text(6)
    path = write_jsonl(tmp_path / "Bob.jsonl", [record("r3", t3, [_work(t3, 4, 1, "Bob")])])
    summary = _merge(team, path)
    assert summary.ok and summary.count("added") == 1, summary.line()
    assert [c.name for c in team.coders()].count("bob") == 1
    assert "Bob" not in [c.name for c in team.coders()]
    assert _counts(team, "BOB")["r3"] == (4, 1)
    out = tmp_path / "pkg.db"
    assert main(["--db", team.location, "package", "--coder", "BOB", "--out", str(out)]) == 0
    pkg = Project.open(out, create=False)
    assert _counts(pkg, "bob") == {"r1": (10, 2), "r2": (5, 0), "r3": (4, 1)}
    pkg.close()


def _open_items(p: Project) -> tuple[int, int]:
    with p._engine.connect() as conn:
        items = review.review_items(conn, p.codebook)
    flat = [i for its in items.values() for i in its]
    return sum(1 for i in flat if i.problems), sum(1 for i in flat if i.open)


def test_reviewer_decisions_round_trip(new_db, tmp_path: Path) -> None:
    p = Project.open(new_db("review.db"))
    p.import_paths([EXAMPLE])
    disagreements, open_before = _open_items(p)
    with p._engine.connect() as conn:
        items = [i for its in review.review_items(conn, p.codebook).values() for i in its]
    spans = [i for i in items if i.open and i.kind == "span"][:5]
    for n, it in enumerate(spans):
        if n % 2:
            p.run(review.Decide(it, "rejected", "rita", rationale=f"no {n}"))
        else:
            p.run(review.Decide(it, "accepted", "rita", coder=sorted(it.versions)[0]))
    assert _open_items(p) == (disagreements, open_before - 5)
    out = tmp_path / "all.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        p.export_jsonl(fh)
    rec = json.loads(out.read_text("utf-8").splitlines()[0])
    assert len(rec["decisions"]) == 5 and {d["decided_by"] for d in rec["decisions"]} == {"rita"}
    for how in ("import", "merge"):
        q = Project.open(new_db(f"{how}.db"))
        try:
            if how == "import":
                assert not q.import_paths([out]).failed
            else:
                assert q.merge(out).ok
            assert _open_items(q) == (disagreements, open_before - 5)
            buf = io.StringIO()
            q.export_jsonl(buf)
            assert buf.getvalue() == out.read_text("utf-8")
        finally:
            q.close()
    p.close()


def test_cli_package_and_merge_summary_and_exit_status(team: Project, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db, out = team.location, tmp_path / "bob.db"
    assert main(["--db", db, "package", "--coder", "bob", "--out", str(out)]) == 0
    assert "2 report(s)" in capsys.readouterr().out
    pkg = Project.open(out, create=False)
    _add_spans(pkg, "bob", "r1", ["Beta30"])
    _add_spans(pkg, "bob", "r2", ["Beta3"])
    pkg.close()
    _add_spans(team, "bob", "r2", ["Beta4"])
    assert main(["--db", db, "merge", str(out)]) == 1
    shown = capsys.readouterr()
    assert "r1  bob: replaced" in shown.out and "r2  bob: conflict" in shown.out
    assert main(["--db", db, "merge", str(out), "--prefer", "r2=project"]) == 0
    shown = capsys.readouterr()
    assert "r2  bob: resolved" in shown.out and "1 conflict(s) resolved" in shown.out
    with team._engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(history_t).where(
            history_t.c.kind.not_in(BOOKKEEPING))).scalar_one() == 2
    assert main(["--db", db, "history", "--report", "r2"]) == 0
    listed = capsys.readouterr().out
    assert "r2  bob  not_taken: 6 span(s)" in listed and "r1" not in listed
    assert main(["--db", db, "merge", str(tmp_path / "missing.db")]) == 1
    assert "missing.db" in capsys.readouterr().err
