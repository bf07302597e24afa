"""Suggestions for a project: actor list, places, rejections, reference dates; the suggest CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import assist
from annotator.core.codebook import load_default_codebook
from annotator.core.commands import AddSpan, CommandError
from annotator.core.normalize import ActorEntry
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

TEXT = "The Liptako Brigade said on Sunday that its fighters killed 14 soldiers near Ayorou 🚨.\n"


@pytest.fixture
def proj(tmp_path: Path, new_db):
    p = Project.open(new_db("p.db"))
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT, published="2024-12-09")])])
    rid = p.reports()[0].id
    cid = p.coder_id("amina", create=True)
    yield p, rid, cid
    p.close()


def suggestions(p: Project, rid: int, cid: int) -> list:
    with p._engine.connect() as conn:
        return assist.report_suggestions(conn, rid, cid, [t.id for t in p.codebook.span_types])


def test_scan_uses_actor_list_reference_date_and_skips_own_and_rejected(proj) -> None:
    p, rid, cid = proj
    p.run(assist.AddActor(ActorEntry("Liptako Brigade", "rebel_or_jihadist_group", None, ("the Brigade",))))
    found = {(s.type, s.text): s for s in suggestions(p, rid, cid)}
    assert ("actor", "Liptako Brigade") in found
    assert found[("actor", "Liptako Brigade")].attributes["canonical_name"] == "Liptako Brigade"
    assert found[("date", "Sunday")].attributes["value"] == "2024-12-08"
    for s in found.values():
        assert TEXT[s.start : s.end] == s.text
    # the reference date can be overridden per report
    p.run(assist.SetReferenceDate(rid, "2024-12-04"))
    again = {(s.type, s.text): s for s in suggestions(p, rid, cid)}
    assert again[("date", "Sunday")].attributes["value"] == "2024-12-01"
    p.undo()
    # the coder's own span of the same type hides the overlapping suggestion
    start = TEXT.index("14 soldiers")
    p.run(AddSpan(rid, cid, "casualty_count", start, start + 11))
    assert not any(s.type == "casualty_count" for s in suggestions(p, rid, cid))
    # a rejected suggestion never comes back; undo brings it back
    date = found[("date", "Sunday")]
    p.run(assist.RejectSuggestions(rid, cid, [("date", date.start, date.end)]))
    assert not any(s.type == "date" for s in suggestions(p, rid, cid))
    other = p.coder_id("lukas", create=True)
    assert any(s.type == "date" for s in suggestions(p, rid, other))  # per coder
    p.undo()
    assert any(s.type == "date" for s in suggestions(p, rid, cid))


def test_prefill_for_a_tagged_span(proj) -> None:
    p, rid, _ = proj
    start = TEXT.index("14 soldiers")
    with p._engine.connect() as conn:
        (best, *_) = assist.span_prefill(conn, rid, "casualty_count", start, start + 11)
        dates = assist.span_prefill(conn, rid, "date", TEXT.index("Sunday"), TEXT.index("Sunday") + 6)
    assert best["count"]["best"] == 14 and best["status"] == "killed"
    assert dates[0]["value"] == "2024-12-08"


def test_places_and_actor_commands_refuse_duplicates(proj) -> None:
    p, _, _ = proj
    p.run(assist.AddPlace({"name": "Labbezenga", "country": "ML", "admin1": "Gao"}))
    with pytest.raises(CommandError):
        p.run(assist.AddPlace({"name": "Labbezenga", "country": "ML", "admin1": "Gao"}))
    with p._engine.connect() as conn:
        assert assist.project_places(conn).contains("Labbezenga")
    p.undo()
    with p._engine.connect() as conn:
        assert not assist.project_places(conn).contains("Labbezenga")
    p.run(assist.AddActor(ActorEntry("Niger Armed Forces")))
    with pytest.raises(CommandError):
        p.run(assist.AddActor(ActorEntry("Niger Armed Forces")))


def test_actor_csv_round_trip_and_bad_file(capsys, tmp_path: Path, new_db) -> None:
    db = new_db("a.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project (a typo never does)
    good = tmp_path / "actors.csv"
    good.write_text("canonical_name,actor_type,country,aliases\nLiptako Brigade,rebel_or_jihadist_group,,the Brigade|LB\nNiger Armed Forces,state_forces,NE,FAN\n", "utf-8")
    assert main(["--db", db, "actors", "import", str(good)]) == 0
    assert "2 actor(s) added" in capsys.readouterr().out
    starter = len(assist.starter_actors(load_default_codebook()))  # a new project has them
    out = tmp_path / "out.csv"
    assert main(["--db", db, "actors", "export", str(out)]) == 0
    text = out.read_text("utf-8-sig")
    assert "Liptako Brigade" in text and "the Brigade|LB" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("canonical_name,actor_type,country,aliases\nFine,,,\n,state_forces,,\n", "utf-8")
    capsys.readouterr()
    assert main(["--db", db, "actors", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv:3" in err
    assert main(["--db", db, "actors", "list"]) == 0
    assert f"{starter + 2} actor(s)" in capsys.readouterr().out  # nothing of the bad file


def test_suggest_cli_json_offsets(capsys, tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text("🚨 Gunmen killed 7 civilians in Gao on Sunday.\nالجيش 3 December.\n", "utf-8")
    assert main(["suggest", str(f), "--published", "2023-12-05", "--json"]) == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = f.read_text("utf-8")
    assert {i["type"] for i in items} >= {"casualty_count", "date"}
    for i in items:
        assert text[i["start"] : i["end"]] == i["text"]
    sunday = next(i for i in items if i["text"] == "Sunday")
    assert sunday["attributes"]["value"] == "2023-12-03"
    assert main(["suggest", str(f), "--published", "5/12/2023"]) == 1


def test_the_project_warm_up_builds_the_lists_and_stores_nothing(proj, monkeypatch) -> None:
    """The warm-up thread runs each type's prefill on the open report once: the first actor tag
    then finds the project's actor list built (cached by its rows), and nothing is stored."""
    from annotator.core import warmup

    p, rid, cid = proj
    monkeypatch.setattr(assist, "_LIST_CACHE", {})
    token = p.change_token()
    warmup.warm_up_project(p, rid)
    assert any(kind == "actors" for kind, _ in assist._LIST_CACHE)
    built = dict(assist._LIST_CACHE)
    start = TEXT.index("Liptako")
    p.prefill(rid, "actor", start, start + len("Liptako Brigade"))
    assert assist._LIST_CACHE == built  # the tag reused them: nothing built on the key
    assert p.spans(rid, cid) == [] and p.undo_label is None
    assert p.change_token() == token  # no commit at all
