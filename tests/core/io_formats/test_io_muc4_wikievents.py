"""MUC-4 message files and WikiEvents JSON Lines (issue 14 item 4): one report per document.
The fixtures are invented here in the shapes of the corpora's files."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.cli import main
from annotator.core.project import Project

MUC = """TST9-MUC4-0001

   SAN ISIDRO, 10 JAN 90 (RADIO EXAMPLE) -- [TEXT] UNIDENTIFIED GUNMEN ATTACKED A POLICE
POST IN SAN ISIDRO LAST NIGHT, KILLING TWO OFFICERS, A POLICE SPOKESMAN SAID TODAY.

   THE SPOKESMAN SAID THE ATTACKERS ESCAPED TOWARD THE HILLS.

TST9-MUC4-0002

   LA VEGA, NO DATE -- [TEXT] A BOMB EXPLODED NEAR THE MAYOR'S OFFICE.
"""

KEY = """0.  MESSAGE: ID                    TST9-MUC4-0001
1.  MESSAGE: TEMPLATE              1
4.  INCIDENT: TYPE                 ATTACK
"""


def wiki_doc(doc_id: str, broken: bool = False, place: str = "Tessit") -> dict:
    s1 = ["Gunmen", "attacked", place, "."]
    s2 = ["Two", "soldiers", "died", "."]

    def sent(tokens: list[str], text: str) -> list:
        return [[[t, 0, 0] for t in tokens], text]  # the corpus' character offsets are not used

    return {
        "doc_id": doc_id, "tokens": s1 + s2, "text": f"Gunmen attacked {place}.Two soldiers died.",
        "sentences": [sent(s1, f"Gunmen attacked {place}."), sent(s2, "Two soldiers died.")],
        "entity_mentions": [
            {"id": f"{doc_id}-T1", "sent_idx": 0, "start": 0, "end": 1, "entity_type": "ORG",
             "mention_type": "UNK", "text": "Gunmen"},
            {"id": f"{doc_id}-T2", "sent_idx": 0, "start": 2, "end": 3, "entity_type": "GPE",
             "mention_type": "UNK", "text": place},
            {"id": f"{doc_id}-T3", "sent_idx": 1, "start": 4, "end": 99 if broken else 6,
             "entity_type": "PER", "mention_type": "UNK", "text": "Two soldiers"},
        ],
        "relation_mentions": [],
        "event_mentions": [
            {"id": f"{doc_id}-E1", "event_type": "Conflict.Attack.Unspecified",
             "trigger": {"start": 1, "end": 2, "text": "attacked", "sent_idx": 0},
             "arguments": [{"entity_id": f"{doc_id}-T1", "role": "Attacker", "text": "Gunmen"},
                           {"entity_id": f"{doc_id}-T2", "role": "Place", "text": place}]},
            {"id": f"{doc_id}-E2", "event_type": "Life.Die.Unspecified",
             "trigger": {"start": 6, "end": 7, "text": "died", "sent_idx": 1},
             "arguments": [{"entity_id": f"{doc_id}-T3", "role": "Victim", "text": "Two soldiers"}]},
        ],
    }


def test_muc4_messages_become_one_report_each(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "tst9-muc4").write_text(MUC, "ascii")
    (tmp_path / "key-tst9").write_text(KEY, "ascii")
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "import", str(tmp_path / "tst9-muc4")]) == 0
    p = Project.open(db)
    reports = {r.external_id: p.report(r.id) for r in p.reports()}
    assert sorted(reports) == ["TST9-MUC4-0001", "TST9-MUC4-0002"]
    first = reports["TST9-MUC4-0001"]
    assert first.text.startswith("   SAN ISIDRO, 10 JAN 90") and "TST9-MUC4-0002" not in first.text
    assert "ESCAPED TOWARD THE HILLS" in first.text
    assert first.published == "1990-01-10" and first.source == "RADIO EXAMPLE"
    assert reports["TST9-MUC4-0002"].published is None
    p.close()
    capsys.readouterr()
    assert main(["--db", db, "import", str(tmp_path / "key-tst9")]) == 1
    assert "answer key" in capsys.readouterr().err
    p = Project.open(db)
    assert len(p.reports()) == 2
    p.close()


def test_wikievents_documents_with_their_events(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "dev.jsonl"
    src.write_text(json.dumps(wiki_doc("doc_a")) + "\n" + json.dumps(wiki_doc("doc_b", place="Gao")) + "\n", "utf-8")
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init", "--codebook-from-wikievents", str(src)]) == 0
    assert main(["--db", db, "import", str(src)]) == 0
    p = Project.open(db)
    assert p.codebook.claim_type("Conflict_Attack_Unspecified") is not None
    rep = next(r for r in p.reports() if r.external_id == "doc_a")
    detail = p.report(rep.id)
    assert detail.text == "Gunmen attacked Tessit.\nTwo soldiers died.\n"
    coder = p.coder_id("wikievents")
    spans = {s.text: s for s in p.spans(rep.id, coder)}
    assert set(spans) == {"Gunmen", "Tessit", "Two soldiers", "attacked", "died"}
    assert all(detail.text[s.start:s.end] == s.text for s in spans.values())
    claims = {c.type: c for c in p.claims(rep.id, coder)}
    assert set(claims["Conflict_Attack_Unspecified"].slots) == {"trigger", "Attacker", "Place"}
    p.close()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(wiki_doc("doc_c", place="Kidal")) + "\n"
                   + json.dumps(wiki_doc("doc_d", broken=True, place="Ansongo")) + "\n", "utf-8")
    capsys.readouterr()
    assert main(["--db", db, "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl" in err and ":2" in err and "outside the document" in err
    p = Project.open(db)
    assert len(p.reports()) == 2  # nothing of the bad file, doc_c included
    p.close()
