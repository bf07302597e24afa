"""New/Open project rules and the project's normalization settings (what the dialogs call)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from annotator.core import assist
from annotator.core.codebook import CodebookError
from annotator.core.project import Project, ProjectError
from annotator.core.projects import choose_codebook, create_project, existing_recent, open_project
from annotator.core.userconfig import UserConfig, load_user_config, save_user_config
from tests.core.helpers import record, write_jsonl

CONF = "[entities]\nPerson\nPlace\n\n[relations]\n\n[events]\n\n[attributes]\n"


def test_new_project_with_each_codebook_choice(tmp_path: Path) -> None:
    p = create_project(tmp_path / "a", choose_codebook("default"), with_example=True)
    assert p.location.endswith("a.db") and p.codebook.id == "conflict-events"
    assert "example-liptako-claim" in [r.external_id for r in p.reports()]
    p.close()
    cb = tmp_path / "cb.json"
    cb.write_text(json.dumps({"id": "mine", "version": 3, "span_types": [{"id": "PER"}]}))
    p = create_project(tmp_path / "b.db", choose_codebook("file", cb))
    assert p.codebook.ref == "mine@3" and p.reports() == []
    p.close()
    conf = tmp_path / "annotation.conf"
    conf.write_text(CONF)
    p = create_project(tmp_path / "c.db", choose_codebook("brat", conf))
    assert [t.id for t in p.codebook.span_types] == ["Person", "Place"]
    p.close()


def test_new_project_refusals_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "taken.db").write_bytes(b"mine")
    with pytest.raises(ProjectError, match="already exists"):
        create_project(tmp_path / "taken.db", choose_codebook("default"))
    assert (tmp_path / "taken.db").read_bytes() == b"mine"
    with pytest.raises(ProjectError, match="does not exist"):
        create_project(tmp_path / "no" / "x.db", choose_codebook("default"))
    with pytest.raises(ProjectError, match="choose a codebook file"):
        choose_codebook("file", None)
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(CodebookError, match="bad.json"):
        choose_codebook("file", bad)
    with pytest.raises(ProjectError, match="missing.conf"):
        choose_codebook("brat", tmp_path / "missing.conf")


def test_open_refuses_missing_empty_and_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "text.db").write_text("hello")
    con = sqlite3.connect(tmp_path / "other.db")
    con.execute("CREATE TABLE t (x)")
    con.close()
    for name, why in (("missing.db", "no such project"), ("empty.db", "empty"),
                      ("text.db", "not a SQLite"), ("other.db", "without its tables")):
        with pytest.raises(ProjectError, match=why):
            open_project(tmp_path / name)
        if name != "missing.db":
            assert (tmp_path / name).stat().st_size in (0, 5, 8192)
    assert not (tmp_path / "missing.db").exists()
    Project.open(tmp_path / "ok.db").close()
    p = open_project(tmp_path / "ok.db")
    assert p.location.endswith("ok.db")
    p.close()
    assert existing_recent([str(tmp_path / "ok.db"), str(tmp_path / "gone.db"), "postgresql://h/d"]) == [
        str(tmp_path / "ok.db"), "postgresql://h/d"]


def test_project_settings_are_stored_undoable_and_used(tmp_path: Path) -> None:
    p = Project.open(tmp_path / "s.db")
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", "Gunmen attacked on Sunday.\n")])])
    rid = p.reports()[0].id
    with p._engine.connect() as conn:
        assert assist.reference_date(conn, rid) is None  # no published date
    new = assist.Settings(True, {"a few": 3, "loads": 50}, "published_or_fixed", "2024-03-06")
    p.run(assist.SetProjectSettings(new))
    with p._engine.connect() as conn:
        assert assist.load_settings(conn) == new
        assert assist.reference_date(conn, rid) == dt.date(2024, 3, 6)
    # the scan uses the rule: "on Sunday" resolves against the fixed date
    dates = [s for s in p.suggestions(rid, p.coder_id("a", create=True)) if s.type == "date"]
    assert dates and dates[0].attributes["value"] == "2024-03-03"
    p.undo()
    with p._engine.connect() as conn:
        assert assist.load_settings(conn) == assist.Settings()
    p.run(assist.SetProjectSettings(assist.Settings(reference_rule="published_or_imported")))
    with p._engine.connect() as conn:
        assert assist.reference_date(conn, rid) == dt.datetime.now(dt.timezone.utc).date()
    p.close()


@pytest.mark.parametrize("bad, why", [
    (assist.Settings(reference_rule="tomorrow"), "not one of"),
    (assist.Settings(reference_rule="published_or_fixed", reference_fixed="soon"), "not a date"),
    (assist.Settings(vague_table={"many": -1}), "not a whole number"),
    (assist.Settings(vague_table={" Many": 3}), "lower case"),
    (assist.Settings(double_coding_share=1.5), "double-coded share 1.5 is not between 0 and 1"),
    (assist.Settings(double_coding_share=-0.1), "not between 0 and 1"),
])
def test_bad_project_settings_are_refused(tmp_path: Path, bad: assist.Settings, why: str) -> None:
    from annotator.core.commands import CommandError

    p = Project.open(tmp_path / "s.db")
    with pytest.raises(CommandError, match=why):
        p.run(assist.SetProjectSettings(bad))
    with p._engine.connect() as conn:
        assert assist.load_settings(conn) == assist.Settings()
    p.close()


def test_user_config_round_trip_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    cfg = UserConfig(font_size=14, palette="okabe-ito", keys={"open_project": "Ctrl+Shift+O"}, backup_keep=3)
    for i in range(12):
        cfg.add_recent(f"/p/{i}.db")
    cfg.add_recent("/p/5.db")
    save_user_config(cfg, path)
    back = load_user_config(path)
    assert back == cfg and back.recent[0] == "/p/5.db" and len(back.recent) == 10
    with pytest.raises(ValueError, match="palette"):
        save_user_config(UserConfig(palette="rainbow"), path)
    path.write_text('{"font_size": 500, "palette": "okabe-ito", "backup_keep": "x"}')
    damaged = load_user_config(path)
    assert damaged.font_size == 0 and damaged.palette == "okabe-ito" and damaged.backup_keep == 10
    path.write_text("not json")
    assert load_user_config(path) == UserConfig()
