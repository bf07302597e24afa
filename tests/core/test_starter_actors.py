"""The starter list of actors: shipped, loaded into new projects, used by the scan and the
prefill so that common actors get their canonical names and types without typing."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import assist
from annotator.core.codebook import load_default_codebook, parse_codebook
from annotator.core.normalize import ActorEntry, ActorList, read_actors_csv
from annotator.core.normalize.suggest import actor_name_core, guess_actor_type
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

# written for this test: the shape of a claim in a militant weekly
TEXT = (
    "The group's weekly said that ISIS operatives attacked a camp of Wagner Group personnel "
    "and FAMa soldiers near a village on Monday, while Boko Haram fighters raided a market. "
    "Daesh also claimed a raid on Nigerien troops.\n"
)


def test_the_shipped_list_reads_cleanly_and_fits_the_default_codebook() -> None:
    entries = read_actors_csv(assist.starter_actors_path())
    assert len(entries) >= 40
    types = set(load_default_codebook().span_type("actor").attribute("actor_type").values)
    for e in entries:
        assert e.type in types, e.canonical
    names = {e.canonical: e for e in entries}
    for alias in ("ISIS", "ISIL", "Daesh", "IS"):
        assert alias in names["Islamic State"].aliases
    assert {"ISSP", "ISGS"} <= set(names["Islamic State Sahel Province"].aliases)
    assert names["Wagner Group"].type == "private_military_company"
    assert "FAMa" in names["Malian armed forces"].aliases
    # every alias names one actor only, so a match is never ambiguous
    al = ActorList(entries)
    for e in entries:
        for n in e.names():
            assert [x.canonical for x, s in al.match(n) if s == 100.0] == [e.canonical], n


@pytest.fixture
def proj(tmp_path: Path):
    p = Project.open(tmp_path / "p.db")
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT, published="2024-03-06")])])
    rid = p.reports()[0].id
    cid = p.coder_id("amina", create=True)
    yield p, rid, cid
    p.close()


def test_new_projects_get_the_list_and_the_scan_uses_it(proj) -> None:
    p, rid, cid = proj
    with p._engine.connect() as conn:
        assert len(assist.actor_list(conn)) == len(read_actors_csv(assist.starter_actors_path()))
        found = assist.report_suggestions(conn, rid, cid, ["actor"])
    by_text = {s.text: s.attributes for s in found}
    assert by_text["ISIS"] == {"canonical_name": "Islamic State",
                               "actor_type": "rebel_or_jihadist_group"}
    assert by_text["Wagner Group"]["canonical_name"] == "Wagner Group"
    assert by_text["FAMa"]["canonical_name"] == "Malian armed forces"
    assert by_text["Daesh"]["canonical_name"] == "Islamic State"
    assert by_text["Nigerien troops"]["actor_type"] == "state_forces"
    assert by_text["Boko Haram"]["country"] == "NG"
    for s in found:
        assert TEXT[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("mention", "canonical", "actor_type"),
    [
        ("ISIS operatives", "Islamic State", "rebel_or_jihadist_group"),
        ("Wagner Group personnel", "Wagner Group", "private_military_company"),
        ("FAMa soldiers", "Malian armed forces", "state_forces"),
        ("Boko Haram fighters", "Boko Haram", "rebel_or_jihadist_group"),
    ],
)
def test_prefill_gives_canonical_name_and_type(proj, mention, canonical, actor_type) -> None:
    p, rid, _ = proj
    start = TEXT.index(mention)
    with p._engine.connect() as conn:
        best = assist.span_prefill(conn, rid, "actor", start, start + len(mention))[0]
    assert best["canonical_name"] == canonical
    assert best["actor_type"] == actor_type


def test_unknown_actors_keep_their_name_with_the_type_their_words_imply() -> None:
    assert actor_name_core("three members of the Wagner Group") == "Wagner Group"
    assert actor_name_core("ISIS operatives") == "ISIS"
    assert actor_name_core("soldiers") == "soldiers"
    assert guess_actor_type("unidentified gunmen") == "unidentified_armed_group"
    assert guess_actor_type("Togolese soldiers") == "state_forces"
    assert guess_actor_type("local villagers") == "civilians"
    assert guess_actor_type("the delegation") is None


def test_the_list_is_optional_and_never_mixed_with_a_lead_s_own(tmp_path: Path) -> None:
    p = Project.open(tmp_path / "none.db", starter_actors=False)
    with p._engine.connect() as conn:
        assert len(assist.actor_list(conn)) == 0
    p.run(assist.AddActor(ActorEntry("Liptako Brigade", "militia")))
    with p._engine.begin() as conn:
        assert assist.store_starter_actors(conn, p.codebook) == 0
        assert [e.canonical for e in assist.actor_list(conn).entries] == ["Liptako Brigade"]
    p.close()
    # a codebook without an actor span type gets no actors
    ner = parse_codebook({
        "id": "ner", "version": 1, "title": "NER",
        "span_types": [{"id": "PER", "label": "Person", "color": "#123456", "hotkey": "1",
                        "attributes": []}],
        "claim_types": []}, "ner.json")  # fmt: skip
    q = Project.open(tmp_path / "ner.db", codebook=ner)
    with q._engine.connect() as conn:
        assert len(assist.actor_list(conn)) == 0
    q.close()


def test_cli_lists_and_exports_the_starter_list(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "c.db")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "actors", "list"]) == 0
    out = capsys.readouterr().out
    assert "Islamic State Sahel Province" in out and "Wagner Group" in out
    assert main(["--db", db, "actors", "export", str(tmp_path / "a.csv")]) == 0
    exported = read_actors_csv(tmp_path / "a.csv")
    assert {e.canonical for e in exported} == {
        e.canonical for e in read_actors_csv(assist.starter_actors_path())}


def test_short_acronyms_are_not_read_in_text_set_in_capitals() -> None:
    al = ActorList(read_actors_csv(assist.starter_actors_path()))
    found = [f.text for f in al.find("THIS IS A BULLETIN. Later the IS fighters and ISIS left.")]
    assert found == ["IS", "ISIS"]


def test_init_without_the_starter_list(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "e.db")
    assert main(["--db", db, "init", "--no-starter-actors"]) == 0
    assert main(["--db", db, "actors", "list"]) == 0
    assert "0 actor(s)" in capsys.readouterr().out


def test_the_actor_list_is_built_once_while_its_rows_stay_the_same(proj) -> None:
    p, _, _ = proj
    with p._engine.connect() as conn:
        first = assist.actor_list(conn)
        assert assist.actor_list(conn) is first  # no second build for the next tag
    p.run(assist.AddActor(ActorEntry("Liptako Brigade", "militia")))
    with p._engine.connect() as conn:
        changed = assist.actor_list(conn)
    assert changed is not first
    assert "Liptako Brigade" in {e.canonical for e in changed.entries}
    p.undo()
    with p._engine.connect() as conn:
        assert "Liptako Brigade" not in {e.canonical for e in assist.actor_list(conn).entries}
