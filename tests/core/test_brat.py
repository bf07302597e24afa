"""brat standoff: export, import (one or several annotators), round trips, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.cli import main
from annotator.core.codebook import parse_codebook
from annotator.core.io.brat_format import codebook_from_brat_conf, read_brat
from annotator.core.project import Project
from annotator.core.resources import resources_dir

TEXT = "Gunmen 🔥 stormed Tessit.\nThe army said 12 soldiers died.\n"

CONF = """[entities]
Actor
Place
Casualties

[relations]

[events]
Attack\tAgent:Actor, Place?:Place, Victims*:Casualties

[attributes]
Role\tArg:Actor, Value:state|nonstate
Confirmed\tArg:Casualties
"""

ANN_A = """T1\tActor 0 6\tGunmen
T2\tPlace 17 23\tTessit
T3\tCasualties 39 50\t12 soldiers
A1\tRole T1 nonstate
A2\tConfirmed T3
N1\tReference T2 Geonames:2441291\tTessit
T4\tAttack 9 16\tstormed
E1\tAttack:T4 Agent:T1 Place:T2 Victims:T3
"""

ANN_B = """T1\tActor 0 6\tGunmen
T2\tPlace 17 23\tTessit
A1\tRole T1 state
"""


def make_collection(root: Path) -> Path:
    for coder, ann in (("ann_a", ANN_A), ("ann_b", ANN_B)):
        (root / coder).mkdir(parents=True)
        (root / coder / "doc1.txt").write_text(TEXT, "utf-8")
        (root / coder / "doc1.ann").write_text(ann, "utf-8")
    (root / "annotation.conf").write_text(CONF, "utf-8")
    return root


def lines_by_kind(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text("utf-8").splitlines():
        out.setdefault(line[0], []).append(line)
    return out


def test_two_annotators_import_and_round_trip(tmp_path: Path, capsys, new_db) -> None:
    coll = make_collection(tmp_path / "coll")
    assert TEXT[17:23] == "Tessit" and TEXT[39:50] == "12 soldiers"  # code points, emoji included
    cb = parse_codebook(codebook_from_brat_conf(coll / "annotation.conf"), "conf")
    # the event type is a span type too: its trigger
    assert [t.id for t in cb.span_types] == ["Actor", "Place", "Casualties", "Attack"]
    attack = cb.claim_type("Attack")
    assert attack is not None and attack.slot("Victims").max is None and attack.slot("Place").max == 1
    db = new_db("p.db")
    assert main(["--db", db, "init", "--codebook-from-brat", str(coll / "annotation.conf")]) == 0
    assert main(["--db", db, "import", str(coll)]) == 0
    p = Project.open(db)
    (rep,) = p.reports()
    assert set(rep.statuses) == {"ann_a", "ann_b"}
    spans_a = p.spans(rep.id, p.coder_id("ann_a"))
    assert {(s.type, s.text) for s in spans_a} == {("Actor", "Gunmen"), ("Place", "Tessit"), ("Casualties", "12 soldiers"), ("Attack", "stormed")}
    (claim,) = p.claims(rep.id, p.coder_id("ann_a"))
    assert set(claim.slots) == {"trigger", "Agent", "Place", "Victims"}
    p.close()
    out = tmp_path / "out"
    assert main(["--db", db, "export", "--format", "brat", "--out", str(out)]) == 0
    a, a2 = lines_by_kind(coll / "ann_a" / "doc1.ann"), lines_by_kind(out / "ann_a" / "doc1.ann")
    # every T, A, N and E line's meaning is kept (ids may be renumbered)
    assert sorted(x.split("\t", 1)[1] for x in a["T"]) == sorted(x.split("\t", 1)[1] for x in a2["T"])
    assert sorted(x.split("\t", 1)[1].split()[0] for x in a["A"]) == sorted(x.split("\t", 1)[1].split()[0] for x in a2["A"])
    assert [x.split("\t")[1].split()[2] for x in a["N"]] == [x.split("\t")[1].split()[2] for x in a2["N"]]
    ev = a2["E"][0].split("\t")[1]
    assert ev.startswith("Attack:T") and "Agent:T" in ev and "Place:T" in ev and "Victims:T" in ev
    assert (out / "ann_b" / "doc1.txt").read_text("utf-8") == TEXT


def test_project_to_brat_and_back_keeps_spans_and_claims(tmp_path: Path, capsys, new_db) -> None:
    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(resources_dir() / "example" / "example.jsonl")]) == 0
    assert main(["--db", db, "export", "--format", "brat", "--out", str(tmp_path / "b")]) == 0
    records = [r for _, _, r in read_brat(tmp_path / "b")]
    from annotator.core.codebook import load_default_codebook

    records = [r for _, _, r in read_brat(tmp_path / "b", load_default_codebook())]
    (rec,) = [r for r in records if not isinstance(r, str)]
    original = json.loads((resources_dir() / "example" / "example.jsonl").read_text("utf-8").splitlines()[0])
    for ann, orig in zip(rec["annotations"], original["annotations"], strict=True):
        assert ann["coder"] == orig["coder"]
        got = sorted((s["type"], s["start"], s["end"], json.dumps(s["attributes"], sort_keys=True)) for s in ann["spans"])
        want = sorted((s["type"], s["start"], s["end"], json.dumps(s["attributes"], sort_keys=True)) for s in orig["spans"])
        assert got == want
        by_id = {s["id"]: (s["start"], s["end"]) for s in ann["spans"]}
        want_ids = {s["id"]: (s["start"], s["end"]) for s in orig["spans"]}
        claims = {c["id"]: c for c in ann["claims"]}
        for c in orig["claims"]:
            g = claims[c["id"]]
            assert g["attributes"] == c["attributes"]
            for slot, value in c["slots"].items():
                if value == "not_reported":
                    assert g["slots"][slot] == "not_reported"
                else:
                    assert [by_id[x] for x in g["slots"][slot]] == [want_ids[x] for x in value]


def test_discontinuous_and_unknown_types_are_named(tmp_path: Path, capsys, new_db) -> None:
    coll = tmp_path / "bad"
    coll.mkdir()
    (coll / "d.txt").write_text("Gunmen killed two men in Gao.\n", "utf-8")
    (coll / "d.ann").write_text("T1\tActor 0 3;14 17\tGun two\n", "utf-8")
    (coll / "e.txt").write_text("Another text about Gao.\n", "utf-8")
    (coll / "e.ann").write_text("T1\tWeapon 0 7\tAnother\n", "utf-8")
    (coll / "f.txt").write_text("A fine one in Gao.\n", "utf-8")
    (coll / "f.ann").write_text("T1\tlocation 14 17\tGao\n", "utf-8")
    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(coll)]) == 1
    err = capsys.readouterr().err
    assert "d.ann:1" in err and "discontinuous" in err
    assert "e.ann:1" in err and "unknown span type 'Weapon'" in err
    p = Project.open(db)
    assert [r.external_id for r in p.reports()] == ["f"]
    p.close()
