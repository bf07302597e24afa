"""Flagged spans (a merge could not carry them onto a corrected text) are findable: listed by
`history --flagged` and in the merge's summary with their text, open until the coder tags them
again."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import commands as c
from annotator.core.flagged import MarkFlagged, nearest_place
from annotator.core.project import Project
from tests.core.helpers import record, span
from tests.core.test_merge import _load, _package, _text, _work


@pytest.fixture
def fixed(new_db, tmp_path: Path):
    """bob's package of r1 (5 spans, 0 claims) merged into a project whose r1 text was corrected
    in sentences 3 and 4: two of bob's spans are flagged."""
    old, new = _text(6), _text(6, fix={3, 4})
    src = Project.open(new_db("src.db"))
    _load(src, tmp_path, [record("r1", old, [_work(old, 5, 0)]), record("r2", "Other.\n")],
          "old.jsonl")
    path = _package(src, tmp_path)
    src.close()
    team = Project.open(new_db("fixed.db"))
    _load(team, tmp_path, [record("r1", new), record("r2", "Other.\n")], "fixed.jsonl")
    yield team, path
    team.close()


def test_merge_names_the_flagged_texts_and_history_lists_them(
        fixed, capsys: pytest.CaptureFixture[str]) -> None:
    team, path = fixed
    assert main(["--db", team.location, "merge", str(path)]) == 0
    out = capsys.readouterr().out
    assert "r1  bob: added; 3 span(s), 0 claim(s); 2 span(s) flagged" in out
    assert "\u201cAlpha3\u201d" in out and "\u201cAlpha4\u201d" in out
    assert "annotator history --flagged" in out
    assert main(["--db", team.location, "history", "--flagged"]) == 0
    listed = capsys.readouterr()
    lines = [x for x in listed.out.splitlines() if x.strip()]
    assert len(lines) == 2 and all("r1  bob  actor" in x and x.endswith("open") for x in lines)
    assert "\u201cAlpha3\u201d" in lines[0] and "2 flagged span(s) open" in listed.err
    # the coder tags what it became ("Alpha3" was respelled "Alfa3") and marks it re-placed
    rid = next(r.id for r in team.reports() if r.external_id == "r1")
    bob = team.coder_id("bob")
    text = team.report(rid).text
    first = team.flagged_spans(coder="BOB")[0]
    assert nearest_place(text, first) is None  # its old text is not there any more
    pos = text.index("Alfa3")
    team.run(c.AddSpan(rid, bob, "actor", pos, pos + 5))
    assert team.flagged_reports("bob") == {rid: 2}  # another text: still open
    team.run(MarkFlagged(first, bob))
    assert team.flagged_reports("bob") == {rid: 1}
    assert [f.replaced for f in team.flagged_spans(coder="bob")] == [True, False]
    assert main(["--db", team.location, "--as", "bob", "history", "--flagged", "--open"]) == 0
    shown = capsys.readouterr()
    assert "\u201cAlpha4\u201d" in shown.out and "Alpha3" not in shown.out
    assert "1 flagged span(s) open" in shown.err
    team.undo()  # the mark
    assert team.flagged_reports("bob") == {rid: 2}
    assert main(["--db", team.location, "--as", "bob", "history", "--flagged",
                 "--coder", "amina"]) == 1


def test_a_flagged_text_still_in_the_report_is_found_and_tagging_it_closes_it(
        new_db, tmp_path: Path) -> None:
    old = "Alpha3 struck Beta.\nLater Alpha3 left.\n"
    new = "Alfa3 struck Beta.\nLater Alpha3 left.\n"
    src = Project.open(new_db("src.db"))
    _load(src, tmp_path, [record("r1", old, [{"coder": "bob", "status": "in_progress", "spans": [
        span("s1", "actor", old, "Alpha3"), span("s2", "location", old, "Beta")]}])], "o.jsonl")
    path = _package(src, tmp_path)
    src.close()
    team = Project.open(new_db("fixed.db"))
    try:
        _load(team, tmp_path, [record("r1", new), record("r2", "Other.\n")], "n.jsonl")
        summary = team.merge(path)
        assert summary.outcomes[0].flagged == 1, summary.line()
        rid = next(r.id for r in team.reports() if r.external_id == "r1")
        (flag,) = team.flagged_spans(report_ids=[rid])
        assert (flag.type, flag.text, flag.start, flag.end) == ("actor", "Alpha3", 0, 6)
        later = new.index("Alpha3")
        assert nearest_place(new, flag) == (later, later + 6)
        team.run(c.AddSpan(rid, team.coder_id("bob"), "actor", later, later + 6))
        assert team.flagged_reports("bob") == {}
        assert team.flagged_spans(coder="bob")[0].replaced
        assert team.flagged_reports("bob", [rid + 1]) == {}
    finally:
        team.close()
