"""Claim drafts: proposed from the spans of a sentence and its neighbours, stored in one step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.core import assist
from annotator.core.codebook import load_default_codebook
from annotator.core.commands import AddSpan
from annotator.core.drafts import (
    Draft,
    DraftSpan,
    accept_draft,
    draft_at,
    propose_draft,
    sentence_at,
    sentences,
)
from annotator.core.normalize import ActorList, ProjectPlaces, read_actors_csv, suggest_spans
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

CODEBOOK = load_default_codebook()
ACTORS = ActorList(read_actors_csv(assist.starter_actors_path()))
PLACES = ProjectPlaces([
    {"name": "Tessit", "country": "ML", "admin1": "Gao"},
    {"name": "Kourou", "country": "BF", "precision": "place"},
    {"name": "Gao", "country": "ML", "admin1": "Gao", "precision": "admin1"},
])  # fmt: skip
PUBLISHED = dt.date(2024, 3, 6)  # a Wednesday


def draft(text: str, at: str, end: str | None = None, **kw) -> Draft:
    sugg = [DraftSpan.from_suggestion(s) for s in suggest_spans(text, PUBLISHED, ACTORS, None, PLACES)]
    start = text.index(at)
    stop = None if end is None else text.index(end) + len(end)
    d = propose_draft(text, start, stop, kw.pop("spans", []), sugg, CODEBOOK, **kw)
    assert d is not None
    return d


def texts(d: Draft) -> dict[str, list[str]]:
    return {slot: [x.text for x in items] for slot, items in d.slots.items()}


def test_claimed_responsibility_with_place_date_and_count() -> None:
    text = ("Boko Haram claimed responsibility for an attack on Nigerian soldiers in Tessit "
            "on Monday, killing 12.")
    d = draft(text, "attack")
    assert texts(d) == {
        "claimant": ["Boko Haram"], "perpetrator": ["Boko Haram"],
        "target": ["Nigerian soldiers"], "location": ["Tessit"], "date": ["Monday"],
        "casualties": ["12"],
    }  # fmt: skip
    assert d.attributes["stance"] == "claimed_responsibility"
    assert d.attributes["event_type"] == "attack" and d.attributes["stage"] == "accomplished"
    assert d.slots["date"][0].attributes["value"] == "2024-03-04"
    for slot in d.slots:
        assert d.reasons[slot]
    assert all(x.is_suggestion for items in d.slots.values() for x in items)


def test_passive_voice_puts_the_agent_first() -> None:
    text = ("On Sunday, Nigerien troops were attacked by ISWAP fighters near Tessit. "
            "Five soldiers were killed.")
    d = draft(text, "were attacked")
    assert texts(d)["perpetrator"] == ["ISWAP"]
    assert texts(d)["target"] == ["Nigerien troops"]
    assert texts(d)["date"] == ["Sunday"]
    assert d.slots["location"][0].attributes["relation"] == "near"
    assert "passive" in d.reasons["perpetrator"]
    assert texts(d)["casualties"] == ["Five"]  # from the next sentence
    assert "next sentence" in d.reasons["casualties"]
    assert d.attributes["stance"] == "asserted_as_fact"


def test_two_targets_and_a_claimant_who_is_not_the_perpetrator() -> None:
    text = ("The Nigerien army said ISWAP fighters ambushed Chadian troops and Nigerian soldiers "
            "in Tessit on Friday, killing 9 soldiers.")
    d = draft(text, "ambushed")
    assert texts(d)["claimant"] == ["Nigerien army"]
    assert texts(d)["perpetrator"] == ["ISWAP"]
    assert texts(d)["target"] == ["Chadian troops", "Nigerian soldiers"]
    assert d.attributes["stance"] == "third_party_report"
    assert d.slots["date"][0].attributes["value"] == "2024-03-01"


def test_its_fighters_make_the_claimant_the_perpetrator() -> None:
    d = draft("JNIM said its fighters raided a VDP post in Kourou yesterday.", "raided")
    assert texts(d)["perpetrator"] == texts(d)["claimant"] == ["JNIM"]
    assert texts(d)["target"] == ["VDP"]
    assert d.attributes["stance"] == "claimed_responsibility"


def test_claimant_from_an_earlier_sentence_and_members_of_several_groups() -> None:
    text = ("Amaq reported on the raids of the week. The weekly gave details. "
            "Per the attack plan, Islamic State fighters stormed a camp of FAMa soldiers and "
            "Wagner Group personnel in Tessit. The attack killed or wounded 30 soldiers.")
    d = draft(text, "stormed")
    assert texts(d)["perpetrator"] == ["Islamic State"]  # not "attack plan": no actor before
    assert texts(d)["target"] == ["FAMa", "Wagner Group"]
    assert texts(d)["claimant"] == ["Amaq"]
    # an outlet reporting a jihadist group's attack: the group's own claim
    assert d.attributes["stance"] == "claimed_responsibility"
    assert texts(d)["casualties"] == ["30"]
    assert d.slots["casualties"][0].attributes["status"] == "killed_or_wounded"


def test_executions_and_modifiers_that_are_not_the_event() -> None:
    text = ("Three Chadian soldiers who had been taken captive in an ambush near Tessit "
            "were executed.")
    d = draft(text, "executed")
    assert d.attributes["event_type"] == "execution"
    assert texts(d)["target"] == ["Chadian soldiers"]
    assert "perpetrator" not in d.slots
    text = ("To avenge the nomads killed by FAMa soldiers, ISIS operatives attacked a base in "
            "Tessit.")
    assert texts(draft(text, "attacked"))["perpetrator"] == ["ISIS"]


def test_aggregates_and_other_units_are_not_casualties_of_one_event() -> None:
    text = "ISIS fighters attacked FAMa soldiers in Tessit, seizing 3 vehicles."
    d = draft(text, "attacked")
    assert "casualties" not in d.slots


def test_the_coders_own_spans_win_and_a_selection_spans_sentences() -> None:
    text = "Boko Haram fighters attacked a market in Kourou. They killed 7 civilians."
    a = text.index("Boko Haram fighters")
    mine = DraftSpan("actor", a, a + 19, "Boko Haram fighters", {"canonical_name": "Boko Haram"}, 41)
    d = draft(text, "Boko", "civilians.", spans=[mine])
    assert d.slots["perpetrator"] == [mine]
    assert texts(d)["casualties"] == ["7"]
    assert d.sentence == (0, len(text))


def test_the_codebook_limits_slots_and_values() -> None:
    d = draft("ISIS fighters attacked FAMa soldiers in Tessit on Monday.", "attacked")
    assert set(d.slots) <= {s.id for s in CODEBOOK.claim_type("attack").slots}
    assert propose_draft("x", 0, None, [], [], CODEBOOK, claim_type="no-such-type") is None
    assert propose_draft("Nothing here.", 0, None, [], [], CODEBOOK) is None
    edited = d.without("target").with_attribute("stage", "attempted")
    assert "target" not in edited.slots and edited.attributes["stage"] == "attempted"
    assert "target" in d.slots  # drafts are values: editing makes a copy


def test_sentences() -> None:
    text = "Gen. Diarra said on Dec. 3 that U.S. forces left. They did.\nA title\nNext one!"
    found = [text[s:e] for s, e in sentences(text)]
    assert found == ["Gen. Diarra said on Dec. 3 that U.S. forces left.", "They did.", "A title",
                     "Next one!"]
    s, e = sentence_at(text, text.index("did"))
    assert text[s:e] == "They did."


# ------------------------------------------------------------------ accepting


@pytest.fixture
def proj(tmp_path: Path):
    text = ("The Nigerien army said ISWAP fighters ambushed Chadian troops and Nigerian soldiers "
            "in Tessit on Friday, killing 9 soldiers.\n")
    p = Project.open(tmp_path / "p.db")
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", text, published="2024-03-06")])])
    p.run(assist.AddPlace({"name": "Tessit", "country": "ML", "admin1": "Gao"}))
    rid = p.reports()[0].id
    cid = p.coder_id("amina", create=True)
    yield p, rid, cid, text
    p.close()


def test_accepting_stores_spans_claim_slots_and_attributes_in_one_undo_step(proj) -> None:
    p, rid, cid, text = proj
    a = text.index("ISWAP")
    p.run(AddSpan(rid, cid, "actor", a, a + 5, {"canonical_name": "Islamic State West Africa Province"}))
    own = p.spans(rid, cid)[0]
    d = draft_at(p, rid, cid, text.index("ambushed"))
    assert d is not None
    assert d.slots["perpetrator"][0].span_id == own.id  # the coder's span, not a suggestion
    cmd = accept_draft(d, rid, cid)
    p.run(cmd)
    [claim] = p.claims(rid, cid)
    assert claim.id == cmd.claim_id and claim.type == "attack"
    spans = {s.id: s for s in p.spans(rid, cid)}
    slot_text = {k: [spans[i].text for i in v] for k, v in claim.slots.items() if v != "not_reported"}
    assert slot_text == {
        "claimant": ["Nigerien army"], "perpetrator": ["ISWAP"],
        "target": ["Chadian troops", "Nigerian soldiers"], "location": ["Tessit"],
        "date": ["Friday"], "casualties": ["9"],
    }  # fmt: skip
    assert claim.attributes == {"stance": "third_party_report", "event_type": "attack",
                                "stage": "accomplished"}
    for s in spans.values():
        assert text[s.start:s.end] == s.text
    assert spans[claim.slots["date"][0]].attributes["value"] == "2024-03-01"
    assert p.undo_label == "Accept draft Attack claim"
    p.undo()  # one step takes the claim and the accepted suggestions away
    assert p.claims(rid, cid) == []
    assert [s.id for s in p.spans(rid, cid)] == [own.id]
    p.redo()
    [again] = p.claims(rid, cid)
    assert again.id == claim.id and again.slots == claim.slots


def test_accepting_an_empty_draft_is_refused(proj) -> None:
    from annotator.core.commands import CommandError

    p, rid, cid, _ = proj
    empty = Draft("attack", (0, 1))
    with pytest.raises(CommandError):
        p.run(accept_draft(empty, rid, cid))
    assert p.claims(rid, cid) == []


def test_members_of_a_group_a_group_statement_and_the_date_of_the_report() -> None:
    text = ("A statement carried by the group's news outlet on Tuesday said that fighters of the "
            "Islamic State Sahel Province attacked Malian soldiers near Tessit on Sunday, killing 9.")
    d = draft(text, "attacked")
    got = texts(d)
    assert got["perpetrator"] == ["Islamic State Sahel Province"]  # "fighters of the" X did it
    assert got["claimant"] == ["Islamic State Sahel Province"]  # the group speaks of itself
    assert d.attributes["stance"] == "claimed_responsibility"
    assert got["date"] == ["Sunday"]  # "on Tuesday said" dates the statement
    assert got["target"] == ["Malian soldiers"]


def test_an_object_after_of_stays_an_object() -> None:
    text = "Gunmen attacked a convoy of the Malian soldiers near Tessit on Monday."
    d = draft(text, "attacked")
    assert "Malian soldiers" not in texts(d).get("perpetrator", [])
