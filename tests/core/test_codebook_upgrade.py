"""Codebook evolution with coded data: every kind of change, planned first, applied in one go."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core import backup
from annotator.core import codebook_upgrade as cu
from annotator.core.codebook import parse_codebook
from annotator.core.project import Project, ProjectError
from tests.core.helpers import record, span, write_jsonl

V1: dict[str, Any] = {
    "id": "evo", "version": 1, "title": "Evolving codebook",
    "span_types": [
        {"id": "actor", "hotkey": "1", "attributes": [
            {"id": "actor_type", "type": "enum", "level": "nominal",
             "values": ["army", "police", "rebels", "militia", "other"]}]},
        {"id": "place", "hotkey": "2", "attributes": [
            {"id": "precision", "type": "enum", "level": "ordinal", "values": ["site", "town", "region"]},
            {"id": "note", "type": "text"}]},
        {"id": "weapon", "hotkey": "3"},
    ],
    "claim_types": [
        {"id": "attack", "hotkey": "a", "slots": [
            {"id": "perpetrator", "accepts": ["actor"]},
            {"id": "location", "accepts": ["place"]},
            {"id": "weapon", "accepts": ["weapon"]}],
         "attributes": [{"id": "stance", "type": "enum", "values": ["claimed", "denied", "reported"]}]},
        {"id": "threat", "hotkey": "t", "slots": [{"id": "perpetrator", "accepts": ["actor"]}]},
    ],
}


def v2() -> dict[str, Any]:
    d = json.loads(json.dumps(V1))
    d["version"] = 2
    actor, place, _weapon = d["span_types"]
    actor["attributes"][0]["values"] = ["state_forces", "rebels", "other"]  # militia removed
    actor["attributes"].append({"id": "country", "type": "text"})  # attribute added
    place["attributes"][0]["level"] = "nominal"  # level changed
    del place["attributes"][1]  # attribute removed
    d["span_types"] = [actor, place, {"id": "date", "hotkey": "4"}]  # weapon removed, date added
    attack = d["claim_types"][0]
    attack["slots"] = attack["slots"][:2]  # slot weapon removed
    attack["attributes"][0]["values"] = ["claimed", "denied", "third_party"]
    d["claim_types"] = [attack]  # threat removed
    return d


TEXT = "Soldiers and police fought rebels and a militia near Gao with rifles. Army units at Gao.\n"


def _ann(coder: str, actor_types: list[str], stance: str, threat: bool) -> dict[str, Any]:
    spans = [
        span("s1", "actor", TEXT, "Soldiers", actor_type=actor_types[0]),
        span("s2", "actor", TEXT, "police", actor_type=actor_types[1]),
        span("s3", "actor", TEXT, "militia", actor_type="militia"),
        span("s4", "place", TEXT, "Gao", precision="town", note="market town"),
        span("s5", "weapon", TEXT, "rifles"),
    ]
    claims = [{"id": "c1", "type": "attack", "attributes": {"stance": stance},
               "slots": {"perpetrator": ["s1", "s2"], "location": ["s4"], "weapon": ["s5"]}}]
    if threat:
        claims.append({"id": "c2", "type": "threat", "attributes": {}, "slots": {"perpetrator": ["s3"]}})
    return {"coder": coder, "status": "done", "codebook": "evo@1", "spans": spans, "claims": claims}


@pytest.fixture
def evo(tmp_path: Path) -> Path:
    db = tmp_path / "evo.db"
    (tmp_path / "v1.json").write_text(json.dumps(V1), "utf-8")
    (tmp_path / "v2.json").write_text(json.dumps(v2()), "utf-8")
    p = Project.open(db, codebook=parse_codebook(V1, "v1"))
    summary = p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT, [
        _ann("alice", ["army", "police"], "reported", True),
        _ann("bob", ["army", "army"], "claimed", False),
        _ann("gold", ["army", "police"], "reported", True),
    ])])])
    assert not summary.failed and summary.annotations == 3, summary.line()
    p.close()
    return db


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _mapping() -> cu.UpgradeMap:
    m = cu.parse_merge(["actor.actor_type:army,police=state_forces"])
    return cu.parse_rename(["attack.stance:reported=third_party"], m)


def test_the_plan_lists_every_change_with_counts_and_changes_nothing(evo: Path) -> None:
    before = _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id")
    p = Project.open(evo)
    with p._engine.connect() as conn:
        plan = cu.plan_upgrade(conn, p.codebook, parse_codebook(v2(), "v2"), _mapping())
    p.close()
    steps = {(s.action, s.what): s for s in plan.steps}
    assert steps[("added", "span type date")].items == 0
    assert ("added", "actor.country") in steps
    # 3 coders: alice army+police, bob army+army, gold army+police -> 6 values move
    assert steps[("merged", "actor.actor_type = army, police")].items == 6
    assert steps[("removed", "actor.actor_type = militia")].items == 3
    assert steps[("removed", "span type weapon")].items == 3
    assert steps[("removed", "place.note")].items == 3
    assert steps[("level", "place.precision")].items == 3
    assert steps[("removed", "slot attack.weapon")].items == 3
    assert steps[("renamed", "attack.stance = reported")].items == 2
    assert steps[("removed", "claim type threat")].items == 2
    assert plan.breaking
    text = plan.text()
    assert "evo@1 -> evo@2" in text and "never dropped" in text
    assert _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id") == before


def test_apply_migrates_every_coder_and_gold_and_keeps_what_it_cannot_carry(evo: Path) -> None:
    n_spans = len(_rows(evo, "SELECT id FROM span"))
    p = Project.open(evo)
    with p._engine.connect() as conn:
        plan = cu.plan_upgrade(conn, p.codebook, parse_codebook(v2(), "v2"), _mapping())
    cmd = cu.UpgradeCodebook(plan)
    p.run(cmd)
    assert p.codebook.ref == "evo@2"
    # nothing dropped
    assert len(_rows(evo, "SELECT id FROM span")) == n_spans
    assert len(_rows(evo, "SELECT id FROM claim")) == 5
    assert len(_rows(evo, "SELECT id FROM slot_fill")) == 14
    types = dict(_rows(evo, "SELECT id, version FROM codebook"))
    v2_id = next(i for i, v in types.items() if v == 2)
    by_coder: dict[str, list[tuple[Any, ...]]] = {}
    for name, key, typ, attrs, cb in _rows(evo, "SELECT c.name, s.key, s.type, s.attributes, s.codebook_id FROM span s JOIN coder c ON c.id = s.coder_id ORDER BY s.id"):
        by_coder.setdefault(name, []).append((key, typ, json.loads(attrs), cb))
    for coder in ("alice", "bob", "gold"):
        rows = {k: (t, a, cb) for k, t, a, cb in by_coder[coder]}
        assert rows["s1"] == ("actor", {"actor_type": "state_forces"}, v2_id)
        assert rows["s2"] == ("actor", {"actor_type": "state_forces"}, v2_id)
        assert rows["s3"] == ("actor", {}, v2_id)  # militia left the attributes ...
        assert rows["s4"] == ("place", {"precision": "town"}, v2_id)
        assert rows["s5"][0] == "weapon" and rows["s5"][2] != v2_id  # kept under version 1
    stances = {json.loads(a)["stance"] for (a,) in _rows(evo, "SELECT attributes FROM claim WHERE type='attack'")}
    assert stances == {"third_party", "claimed"}
    with p._engine.connect() as conn:
        marks = cu.list_marks(conn)
    kept = [(m.coder, m.kind, m.text, m.kept) for m in marks]
    assert ("alice", "span", "militia", {"actor_type": "militia"}) in kept  # ... into the marks
    assert ("gold", "span", "Gao", {"note": "market town"}) in kept
    assert ("bob", "span", "rifles", {}) in kept
    assert sum(1 for m in marks if m.kind == "claim") == 2  # the threat claims
    assert sum(1 for m in marks if m.kind == "slot_fill") == 3  # the weapon fills
    assert cmd.marked == len(marks) == 3 * 3 + 2 + 3  # 3 spans per coder, 2 claims, 3 fills
    # reopening reads the new version from the project
    p.close()
    again = Project.open(evo)
    assert again.codebook.ref == "evo@2"
    again.close()


def test_undo_in_the_session_puts_everything_back(evo: Path) -> None:
    before = _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id")
    claims = _rows(evo, "SELECT id, type, attributes, codebook_id FROM claim ORDER BY id")
    p = Project.open(evo)
    with p._engine.connect() as conn:
        plan = cu.plan_upgrade(conn, p.codebook, parse_codebook(v2(), "v2"), _mapping())
    p.run(cu.UpgradeCodebook(plan))
    p.undo()
    assert p.codebook.ref == "evo@1"
    assert _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id") == before
    assert _rows(evo, "SELECT id, type, attributes, codebook_id FROM claim ORDER BY id") == claims
    assert _rows(evo, "SELECT count(*) FROM codebook_mark") == [(0,)]
    p.redo()
    assert p.codebook.ref == "evo@2"
    p.close()


def test_bad_mappings_are_refused_naming_the_flag(evo: Path) -> None:
    p = Project.open(evo)
    new = parse_codebook(v2(), "v2")
    bad = [
        (cu.parse_rename(["actor.actor_type:army=soldiers"]), "'soldiers' is not a value in the new"),
        (cu.parse_rename(["actor.actor_type:navy=rebels"]), "'navy' is not a value in the project"),
        (cu.parse_rename(["actor.colour:army=rebels"]), "has no attribute 'colour'"),
        (cu.parse_rename(["weapon=tool"]), "no span type 'tool'"),
    ]
    with p._engine.connect() as conn:
        for mapping, why in bad:
            with pytest.raises(cu.UpgradeError, match=why):
                cu.plan_upgrade(conn, p.codebook, new, mapping)
        same_version = json.loads(json.dumps(V1))
        same_version["span_types"].append({"id": "date"})
        with pytest.raises(cu.UpgradeError, match="higher version"):
            cu.plan_upgrade(conn, p.codebook, parse_codebook(same_version, "x"))
    p.close()
    with pytest.raises(cu.UpgradeError, match="twice"):
        cu.parse_rename(["a.b:x=y", "a.b:x=z"])
    with pytest.raises(cu.UpgradeError, match="TYPE.ATTRIBUTE"):
        cu.parse_merge(["nonsense"])


def test_map_file(tmp_path: Path, evo: Path) -> None:
    good = tmp_path / "map.json"
    good.write_text(json.dumps({"values": {"actor.actor_type": {"army": "state_forces", "police": "state_forces"},
                                           "attack.stance": {"reported": "third_party"}}}))
    m = cu.parse_map_file(good)
    assert m.value("actor", "actor_type", "police") == "state_forces"
    bad = tmp_path / "bad.json"
    bad.write_text('{"values": {"actor.actor_type": {"army": 3}}}')
    with pytest.raises(cu.UpgradeError, match=r"bad.json: \$.values.actor.actor_type.army"):
        cu.parse_map_file(bad)
    bad.write_text("{nope")
    with pytest.raises(cu.UpgradeError, match="not valid JSON"):
        cu.parse_map_file(bad)


def test_cli_plan_apply_backup_restore_and_agreement(evo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(evo)]
    new = str(tmp_path / "v2.json")
    before = _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id")
    assert main([*db, "agreement", "--resamples", "10"]) == 0
    capsys.readouterr()
    assert main([*db, "codebook", "upgrade", new, "--merge", "actor.actor_type:army,police=state_forces",
                 "--rename", "attack.stance:reported=third_party"]) == 0
    out = capsys.readouterr().out
    assert "merged" in out and "Nothing was changed" in out
    assert _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id") == before
    assert main([*db, "codebook", "upgrade", new, "--map", str(tmp_path / "none.json")]) == 1
    assert "none.json" in capsys.readouterr().err
    assert main([*db, "codebook", "upgrade", new, "--merge", "actor.actor_type:army,police=state_forces",
                 "--rename", "attack.stance:reported=third_party", "--apply"]) == 0
    out = capsys.readouterr().out
    assert "now codebook evo@2" in out and "restore" in out
    assert (backup.newest_backup(evo) or pytest.fail("no backup")).reason == "before_upgrade"
    assert main([*db, "codebook", "marks"]) == 0
    assert "14 marked item(s)" in capsys.readouterr().out
    # the weapon spans and threat claims stay under version 1: agreement refuses to mix them ...
    assert main([*db, "agreement", "--resamples", "10"]) == 1
    assert "--across-versions" in capsys.readouterr().err
    # ... unless told how
    assert main([*db, "agreement", "--resamples", "10", "--across-versions"]) == 0
    # undo = restore the backup taken before
    assert main([*db, "restore"]) == 0
    assert _rows(evo, "SELECT id, type, attributes, codebook_id FROM span ORDER BY id") == before
    p = Project.open(evo)
    assert p.codebook.ref == "evo@1"
    p.close()


def test_additive_upgrade_keeps_agreement_open(evo: Path) -> None:
    d = json.loads(json.dumps(V1))
    d["version"] = 2
    d["span_types"].append({"id": "date", "hotkey": "4"})
    p = Project.open(evo)
    with p._engine.connect() as conn:
        plan = cu.plan_upgrade(conn, p.codebook, parse_codebook(d, "v2"))
        assert [s.action for s in plan.steps] == ["added"] and not plan.breaking
    p.run(cu.UpgradeCodebook(plan))
    with p._engine.connect() as conn:
        assert not cu.version_mix(conn, p.codebook, p.codebook_id).incompatible
    p.close()


def test_init_with_a_changed_codebook_points_at_upgrade(evo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same_version = json.loads(json.dumps(V1))
    same_version["span_types"].append({"id": "date"})
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(same_version))
    assert main(["--db", str(evo), "init", "--codebook", str(changed)]) == 1
    err = capsys.readouterr().err
    assert "same version with other content" in err and "codebook upgrade" in err
    assert main(["--db", str(evo), "init", "--codebook", str(tmp_path / "v2.json")]) == 1
    assert "codebook upgrade" in capsys.readouterr().err
    assert main(["--db", str(evo), "init", "--codebook", str(tmp_path / "v1.json")]) == 0
    with pytest.raises(ProjectError):
        Project.open(evo, codebook=parse_codebook(same_version, "x"))


def test_undo_is_refused_once_migrated_items_were_edited(evo: Path) -> None:
    from annotator.core.commands import CommandError, SetSpanAttribute

    p = Project.open(evo)
    p.run(cu.UpgradeCodebook(p.plan_upgrade(parse_codebook(v2(), "v2"), _mapping())))
    # gold's span: the report's gold is done, so it is locked for alice and bob (core/locks.py)
    (sid,) = [i for (i,) in _rows(evo, "SELECT span.id FROM span JOIN coder ON coder.id = "
                                       "span.coder_id WHERE key='s1' AND coder.name='gold'")]
    p.run(SetSpanAttribute(sid, "country", "Mali"))
    p._undo.pop()  # as if another window made the edit: the upgrade is next on this stack
    with pytest.raises(CommandError, match="edited since the upgrade"):
        p.undo()
    assert p.codebook.ref == "evo@2"
    attrs = dict(_rows(evo, f"SELECT id, attributes FROM span WHERE id={sid}"))
    assert json.loads(attrs[sid]) == {"actor_type": "state_forces", "country": "Mali"}
    p.close()
