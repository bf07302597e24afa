"""Review and adjudication in the core: decisions, provenance, accept-unanimous, gold round trip."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import review
from annotator.core.commands import CommandError
from annotator.core.project import Project
from annotator.core.resources import resources_dir

EXAMPLE = resources_dir() / "example" / "example.jsonl"


@pytest.fixture
def proj(tmp_path: Path, new_db):
    p = Project.open(new_db("review.db"))
    p.import_paths([EXAMPLE])
    p.coder_id("rita", create=True, role="reviewer")
    yield p
    p.close()


def items(p: Project) -> list[review.ReviewItem]:
    rid = next(r.id for r in p.reports() if r.external_id == "example-liptako-claim")
    with p._engine.connect() as conn:
        return review.review_items(conn, p.codebook, [rid])[rid]


def gold_spans(p: Project, rid: int) -> list:
    return p.spans(rid, p.coder_id("gold"))


def test_items_and_disagreement_kinds(proj) -> None:
    its = items(proj)
    kinds = {k.split(":")[0] for i in its for k in i.problems}
    assert {"boundary_mismatch", "attribute_mismatch", "span_only_one_coder", "claim_missing",
            "claim_slot_mismatch", "claim_attribute_mismatch"} <= kinds
    assert sum(1 for i in its if i.agreed) >= 5


def test_each_decision_kind_with_provenance_and_undo(proj) -> None:
    its = items(proj)
    rid = its[0].report_id
    boundary = next(i for i in its if "boundary_mismatch" in i.problems and i.kind == "span")
    proj.run(review.Decide(boundary, "accepted", "rita", coder="lukas", rationale="includes the noun"))
    (g,) = gold_spans(proj, rid)
    lukas = boundary.versions["lukas"]
    assert (g.start, g.end, g.text) == (lukas.start, lukas.end, lukas.text)
    buf = io.StringIO()
    proj.export_jsonl(buf, coders=["gold"])
    rec = next(json.loads(x) for x in buf.getvalue().splitlines() if "liptako" in x)
    prov = rec["annotations"][0]["spans"][0]["provenance"]
    assert prov["from_coder"] == "lukas" and prov["from_id"] == lukas.id
    assert prov["action"] == "accepted" and prov["decided_by"] == "rita"
    assert prov["rationale"] == "includes the noun" and prov["decided_at"].endswith("Z")
    # the originals are untouched
    assert len(proj.spans(rid, proj.coder_id("lukas"))) == 14
    # deciding twice is refused; undo takes the gold span and the decision away
    with pytest.raises(CommandError):
        proj.run(review.Decide(boundary, "rejected", "rita"))
    proj.undo()
    assert gold_spans(proj, rid) == []
    assert next(i for i in items(proj) if i.key == boundary.key).open

    only = next(i for i in its if "span_only_one_coder" in i.problems)
    proj.run(review.Decide(only, "rejected", "rita", rationale="not a location"))
    assert gold_spans(proj, rid) == []
    assert not next(i for i in items(proj) if i.key == only.key).open

    status = next(i for i in its if any(p.startswith("attribute_mismatch:status") for p in i.problems))
    proj.run(review.Decide(status, "accepted_both", "rita"))
    assert len(gold_spans(proj, rid)) == 2

    claim = next(i for i in its if i.kind == "claim" and "claim_missing" in i.problems)
    proj.run(review.Decide(claim, "edited", "rita", coder="amina"))
    (gold_claim,) = proj.claims(rid, proj.coder_id("gold"))
    assert gold_claim.slots["perpetrator"] == "not_reported"
    assert len(gold_claim.slots["casualties"]) == 1  # its evidence span came along


def test_accept_unanimous_and_gold_done(proj) -> None:
    its = items(proj)
    rid = its[0].report_id
    agreed = [i for i in its if i.agreed]
    cmd = review.AcceptUnanimous("rita")
    proj.run(cmd)
    assert cmd.accepted == len(agreed)
    assert len(proj.spans(rid, proj.coder_id("gold"))) == sum(1 for i in agreed if i.kind == "span")
    assert proj.status(rid, proj.coder_id("gold")) == "in_progress"  # disagreements are left
    gold = proj.spans(rid, proj.coder_id("gold"))
    assert len({(s.type, s.start, s.end) for s in gold}) == len(gold)  # nothing copied twice
    gold_ids = {s.id for s in gold}
    for claim in proj.claims(rid, proj.coder_id("gold")):  # agreed claims point at gold spans
        assert all(i in gold_ids for fill in claim.slots.values() if isinstance(fill, list) for i in fill)
    # decide every disagreement (reject): the report becomes gold-done
    for it in items(proj):
        if it.open:
            proj.run(review.Decide(it, "rejected", "rita"))
    assert proj.status(rid, proj.coder_id("gold")) == "done"
    # accept-unanimous again accepts nothing new
    again = review.AcceptUnanimous("rita")
    proj.run(again)
    assert again.accepted == 0
    proj.undo()
    proj.undo()  # the last rejection
    assert proj.status(rid, proj.coder_id("gold")) == "in_progress"


def test_gold_round_trip_with_provenance(proj, tmp_path: Path, new_db) -> None:
    proj.run(review.AcceptUnanimous("rita"))
    out = tmp_path / "gold.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        proj.export_jsonl(fh)
    p2 = Project.open(new_db("two.db"))
    assert not p2.import_paths([out]).failed
    buf1, buf2 = io.StringIO(), io.StringIO()
    proj.export_jsonl(buf1)
    p2.export_jsonl(buf2)
    assert buf1.getvalue() == buf2.getvalue()
    assert '"accepted_unanimous"' in buf2.getvalue()
    p2.close()


def test_adjudicate_cli_and_roles(proj, capsys) -> None:
    db = proj.location
    proj.coder_id("amina")
    assert main(["--db", db, "adjudicate", "--status"]) == 0
    out = capsys.readouterr().out
    assert "example-liptako-claim" in out and "14 open" in out
    assert main(["--db", db, "--as", "rita", "adjudicate", "--accept-unanimous"]) == 0
    assert "accepted" in capsys.readouterr().out
    # a coder identity may not adjudicate, nor export or compare other coders' work
    assert main(["--db", db, "--as", "amina", "adjudicate", "--accept-unanimous"]) == 1
    assert "reviewer" in capsys.readouterr().err
    assert main(["--db", db, "--as", "amina", "agreement"]) == 1
    capsys.readouterr()
    assert main(["--db", db, "--as", "amina", "export", "--format", "jsonl", "--out", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    coders = {a["coder"] for line in lines for a in json.loads(line)["annotations"]}
    assert coders == {"amina"}
    assert main(["--db", db, "--as", "amina", "export", "--format", "jsonl", "--out", "-", "--coder", "lukas"]) == 1


def test_accept_unanimous_copies_agreed_claims_sharing_their_evidence(tmp_path: Path, new_db) -> None:
    from annotator.core import commands as c
    from tests.core.helpers import record, write_jsonl

    text = "Gunmen attacked Gao on Sunday and Tessit on Monday.\n"
    p = Project.open(new_db("claims.db"))
    try:
        p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", text)])])
        rid = p.reports()[0].id
        for name in ("amina", "lukas"):  # both code the same two claims, one perpetrator span
            coder = p.coder_id(name, create=True)
            actor = c.AddSpan(rid, coder, "actor", 0, 6)
            p.run(actor)
            for place in ("Gao", "Tessit"):
                where = c.AddSpan(rid, coder, "location", text.index(place), text.index(place) + len(place))
                p.run(where)
                claim = c.CreateClaim(rid, coder, "attack")
                p.run(claim)
                p.run(c.AddToSlot(claim.claim_id, "perpetrator", actor.span_id))
                p.run(c.AddToSlot(claim.claim_id, "location", where.span_id))
        cmd = review.AcceptUnanimous("rita", None, ["amina", "lukas"])
        p.run(cmd)
        gold = p.coder_id("gold")
        spans = p.spans(rid, gold)
        claims = p.claims(rid, gold)
        assert sorted(s.text for s in spans) == ["Gao", "Gunmen", "Tessit"]  # the actor once
        assert len(claims) == 2
        actor_id = next(s.id for s in spans if s.text == "Gunmen")
        assert all(cl.slots["perpetrator"] == [actor_id] for cl in claims)
        assert sorted(next(s.text for s in spans if s.id == cl.slots["location"][0]) for cl in claims) == ["Gao", "Tessit"]
        p.undo()
        assert p.spans(rid, gold) == [] and p.claims(rid, gold) == []
    finally:
        p.close()


def test_gold_copies_skip_keys_an_imported_gold_layer_holds(tmp_path: Path, new_db, capsys) -> None:
    """A gold layer imported from elsewhere may already use ``amina.s1`` for another span: the
    copy takes ``amina.s1~2`` instead of refusing the decision (or every report of
    accept-unanimous, as it did, with a message blaming 'another window or process')."""
    from tests.core.helpers import record, span, write_jsonl

    text = "Gunmen attacked Kidal on Sunday, killing 12 soldiers.\n"
    coded = [span("s1", "actor", text, "Gunmen"), span("s2", "location", text, "Kidal")]
    anns = [{"coder": c, "status": "done", "spans": coded} for c in ("amina", "lukas")]
    anns.append({"coder": "gold", "spans": [span("amina.s1", "date", text, "Sunday"),
                                            span("amina.s3", "date", text, "Sunday")]})
    lone = dict(anns[0], spans=[*coded, span("s3", "casualty_count", text, "12 soldiers")])
    anns[0] = lone
    db = new_db("goldkeys.db")
    p = Project.open(db)
    try:
        p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", text, anns)])])
        p.coder_id("rita", create=True, role="reviewer")
        capsys.readouterr()
        assert main(["--db", db, "--as", "rita", "adjudicate", "--accept-unanimous"]) == 0
        rid = p.reports()[0].id
        gold = {s.key: s.text for s in gold_spans(p, rid)}
        assert gold["amina.s1"] == "Sunday" and gold["amina.s1~2"] == "Gunmen"
        assert gold["amina.s2"] == "Kidal" and gold["amina.s3"] == "Sunday"
        with p._engine.connect() as conn:
            only = next(i for i in review.review_items(conn, p.codebook, [rid])[rid]
                        if i.decision is None and "span_only_one_coder" in i.problems)
        p.run(review.Decide(only, "accepted", "rita", coder="amina"))
        assert {s.key: s.text for s in gold_spans(p, rid)}["amina.s3~2"] == "12 soldiers"
    finally:
        p.close()
