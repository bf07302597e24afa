"""brat, completely (issue 14 item 1): relations, equivalences, nested events, attributes and
notes on events, events without arguments, the conf's aliases, repetitions and macros, CRLF
texts, U+2028 and form feeds inside spans, report metadata, and pybrat (PyPI) as an
independent reader of what we write. Texts and confs are invented for the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.codebook import parse_codebook
from annotator.core.io.brat_ann import brat_meaning
from annotator.core.io.brat_conf import ConfError, codebook_from_brat_conf, parse_conf
from annotator.core.io.brat_format import read_brat

CONF = """# invented for the test
[entities]
Person|Human|Hum
Organization
GPE

[relations]
Located\tArg1:Person|Organization, Arg2:GPE
Equiv\tArg1:Person|Organization, Arg2:Person|Organization, <REL-TYPE>:symmetric-transitive
ENTITY-NESTING\tArg1:GPE, Arg2:GPE

[events]
<POG>=Person|Organization|GPE
!Conflict
 Attack\tAttacker*:<POG>, Target{1-2}:<POG>, Place?:GPE
 Die\tVictim{2}:Person
----
Report\tReporter:<POG>, Event?:<EVENT>
Deny\tDenier:<POG>, Event:<EVENT>
Meet

[attributes]
Negation\tArg:<EVENT>
Confidence\tArg:<EVENT>|Located, Value:High|Low
Mention\tArg:<ENTITY>, Value:Name|Nominal
"""

TEXT = ("Gunmen attacked Tessit and Gao.\u2028The army said 12 soldiers\x0cdied in Gao.\n"
        "Rebels denied the report; the group met.\n")


def at(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def t_line(tid: str, type_: str, phrase: str, nth: int = 0) -> str:
    a, b = at(phrase, nth)
    return f"{tid}\t{type_} {a} {b}\t{TEXT[a:b]}"


ANN = "\n".join([
    t_line("T1", "Organization", "Gunmen"),
    t_line("T2", "GPE", "Tessit"),
    t_line("T3", "GPE", "Gao"),
    t_line("T4", "Attack", "attacked"),
    t_line("T5", "Organization", "The army"),
    t_line("T6", "Report", "said"),
    t_line("T7", "Person", "12 soldiers\x0cdied"),  # a form feed inside a span
    t_line("T8", "GPE", "Gao.\u2028The"),  # U+2028 inside a span
    t_line("T9", "Deny", "denied"),
    t_line("T10", "Organization", "Rebels"),
    t_line("T11", "Meet", "met"),
    t_line("T12", "Organization", "the group"),
    t_line("T13", "Die", "died"),
    t_line("T14", "Person", "soldiers"),
    "E1\tAttack:T4 Attacker:T1 Target:T2 Target2:T3",
    "E2\tAttack:T4 Attacker:T1 Target:T3",  # the same trigger as E1
    "E3\tReport:T6 Reporter:T5 Event:E2",  # a nested event, its trigger shared
    "E4\tDeny:T9 Denier:T10 Event:E3",  # nested twice
    "E5\tMeet:T11",  # an event without arguments
    "E6\tDie:T13 Victim1:T7 Victim2:T14",  # roles numbered from 1, as some tools write them
    "R1\tLocated Arg1:T5 Arg2:T3",
    "*\tEquiv T10 T12",
    "A1\tNegation E4",
    "A2\tConfidence E3 High",
    "M1\tNegation E5",
    "A3\tConfidence R1 Low",
    "A4\tMention T1 Nominal",
    "N1\tReference T2 Geonames:2441291\tTessit",
    "#1\tAnnotatorNotes E1\tcheck the second target",
    "#2\tAnnotatorNotes R1\tfrom the dateline",
    "#3\tLemma T10\t rebel",  # another kind of note, its text starting with a space
    "#4\tAnnotatorNotes T1\t",
]) + "\n"


def collection(root: Path) -> Path:
    coll = root / "coll"
    coll.mkdir(parents=True)
    (coll / "annotation.conf").write_text(CONF, "utf-8")
    (coll / "doc1.txt").write_text(TEXT, "utf-8", newline="")
    (coll / "doc1.ann").write_text(ANN, "utf-8", newline="")
    return coll


def round_trip(tmp_path: Path, coll: Path) -> Path:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init", "--codebook-from-brat", str(coll / "annotation.conf")]) == 0
    assert main(["--db", db, "import", str(coll)]) == 0
    out = tmp_path / "out"
    assert main(["--db", db, "export", "--format", "brat", "--out", str(out)]) == 0
    return out


def test_the_conf_is_read_as_brat_defines_it() -> None:
    conf = parse_conf(CONF)
    person = conf.entities[0]
    assert (person.name, person.aliases) == ("Person", ["Human", "Hum"])
    events = {t.name: t for t in conf.events}
    assert events["Conflict"].unused and not events["Attack"].unused
    attack = {a.role: (a.min, a.max, a.types) for a in events["Attack"].args}
    assert attack["Attacker"] == (0, None, ["Person", "Organization", "GPE"])  # the macro
    assert attack["Target"][:2] == (1, 2)  # {1-2}
    assert {a.role: (a.min, a.max) for a in events["Die"].args} == {"Victim": (2, 2)}  # {2}
    assert events["Meet"].args == []
    rels = {t.name: t for t in conf.relations}
    assert rels["Equiv"].symmetric and not rels["Located"].symmetric

    cb = parse_codebook(codebook_from_brat_conf_text(CONF), "conf")
    assert [s.id for s in cb.span_types] == ["Person", "Organization", "GPE", "Attack", "Die",
                                              "Report", "Deny", "Meet"]
    assert cb.claim_type("Conflict") is None  # '!': hierarchy only
    assert cb.claim_type("ENTITY-NESTING") is None
    report = cb.claim_type("Report")
    assert report is not None and report.slot("Event").accepts == ("Attack", "Die", "Report",
                                                                   "Deny", "Meet")
    located = cb.claim_type("Located")
    assert located is not None and [s.id for s in located.slots] == ["Arg1", "Arg2"]
    assert located.attribute("Confidence").values == ("High", "Low")  # type: ignore[union-attr]
    die = cb.claim_type("Die")
    assert die is not None and (die.slot("Victim").min, die.slot("Victim").max) == (2, 2)  # type: ignore[union-attr]
    assert cb.span_type("Person").attribute("Mention") is not None  # type: ignore[union-attr]


def codebook_from_brat_conf_text(text: str) -> dict[str, Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "annotation.conf").write_text(text, "utf-8")
        return codebook_from_brat_conf(Path(d) / "annotation.conf")


@pytest.mark.parametrize(
    ("conf", "line", "reason"),
    [
        ("[events]\nA\tTheme:<NOPE>\n", 2, "undefined macro <NOPE>"),
        ("[events]\nA\tTheme{0}:X\n", 2, "0 times"),
        ("[events]\nA\tTheme{3-1}:X\n", 2, "reversed"),
        ("[events]\nA\tArg1+:X\n", 2, "ending in a digit"),
        ("[events]\nA\tTheme:X, Theme:Y\n", 2, "twice"),
        ("[events]\nA\tTheme{x}:X\n", 2, "repetition"),
        ("[entities]\nX\n  Y\n", 3, "no parent"),
        ("[events]\n<EVENT>=A\n", 2, "reserved"),
        ("[events]\nA\tTheme\n", 2, "ROLE:TYPE"),
    ],
)
def test_a_conf_brat_would_refuse_names_the_line(conf: str, line: int, reason: str) -> None:
    with pytest.raises(ConfError) as err:
        parse_conf(conf, "x.conf")
    assert err.value.line == line and reason in err.value.reason


def test_every_line_survives_a_round_trip(tmp_path: Path) -> None:
    coll = collection(tmp_path)
    out = round_trip(tmp_path, coll)
    exported = (out / "coll" / "doc1.ann").read_text("utf-8")
    assert brat_meaning(exported) == brat_meaning(ANN)
    assert (out / "coll" / "doc1.txt").read_text("utf-8") == TEXT
    assert (out / "annotation.conf").read_text("utf-8") == CONF  # the conf goes back unchanged
    lines = exported.split("\n")
    assert "*\tEquiv T10 T12" in lines and "R1\tLocated Arg1:T5 Arg2:T3" in lines
    assert any(x.startswith("E6\tDie:T13 ") and "Victim1:T7" in x for x in lines)
    assert not any(x.startswith("M") for x in lines)  # M lines come back as A lines


def test_pybrat_reads_the_same_from_our_export(tmp_path: Path) -> None:
    from pybrat.parser import BratParser

    coll = collection(tmp_path)
    out = round_trip(tmp_path, coll)

    def summary(folder: Path) -> dict[str, Any]:
        (ex,) = BratParser(error="raise").parse(str(folder))

        def span(e: Any) -> Any:
            return (e.type, tuple((s.start, s.end) for s in e.spans), e.mention)

        def event(e: Any) -> Any:
            args = sorted(repr(event(a) if hasattr(a, "trigger") else span(a)) for a in e.arguments)
            return (e.type, span(e.trigger), tuple(args))

        return {
            "text": ex.text,
            "entities": sorted(span(e) for e in ex.entities),
            "references": sorted((span(e), r.rid, r.eid, r.entry) for e in ex.entities
                                 for r in e.references),
            "relations": sorted((r.type, span(r.arg1), span(r.arg2)) for r in ex.relations),
            "events": sorted(repr(event(e)) for e in ex.events),
        }

    want, got = summary(coll), summary(out / "coll")
    assert got == want
    assert len(want["events"]) == 6 and len(want["relations"]) == 2  # R1 and the equivalence


def test_the_project_holds_relations_nesting_and_attributes(tmp_path: Path) -> None:
    coll = collection(tmp_path)
    cb = parse_codebook(codebook_from_brat_conf(coll / "annotation.conf"), "conf")
    ((_, _, rec),) = list(read_brat(coll, cb))
    assert isinstance(rec, dict)
    (ann,) = rec["annotations"]
    claims = {c["id"]: c for c in ann["claims"]}
    spans = {s["id"]: s for s in ann["spans"]}
    assert claims["R1"]["type"] == "Located" and claims["R1"]["slots"] == {"Arg1": ["T5"], "Arg2": ["T3"]}
    assert claims["R1"]["attributes"]["Confidence"] == "Low"
    assert claims["R1"]["attributes"]["note"] == "from the dateline"
    assert claims["*1"]["type"] == "Equiv"
    assert claims["E3"]["slots"]["Event"] == ["T4"]  # the nested event's trigger ...
    assert claims["E3"]["attributes"]["brat_event_args"] == "Event:0:E2:"  # ... and which event
    assert claims["E4"]["attributes"]["Negation"] is True
    assert claims["E5"]["slots"] == {"trigger": ["T11"]} and claims["E5"]["attributes"]["Negation"] is True
    assert spans["T7"]["text"] == "12 soldiers\x0cdied" and spans["T8"]["text"] == "Gao.\u2028The"
    assert spans["T10"]["attributes"]["brat_notes"] == "Lemma\t rebel"
    assert spans["T1"]["attributes"] == {"Mention": "Nominal", "note": ""}


def test_crlf_texts_are_mapped_whichever_way_the_offsets_count(tmp_path: Path) -> None:
    crlf = "Gunmen came.\r\nThey attacked Gao.\r\n"
    lf = crlf.replace("\r\n", "\n")
    for name, base in (("counting_cr", crlf), ("without_cr", lf)):
        coll = tmp_path / name
        coll.mkdir()
        (coll / "d.txt").write_bytes(crlf.encode("utf-8"))
        a = base.index("Gao")
        (coll / "d.ann").write_text(f"T1\tGPE {a} {a + 3}\tGao\n", "utf-8")
        ((_, _, rec),) = list(read_brat(coll))
        assert isinstance(rec, dict), rec
        (span,) = rec["annotations"][0]["spans"]
        assert rec["report"]["text"] == lf and lf[span["start"]:span["end"]] == "Gao"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "d.txt").write_bytes(crlf.encode("utf-8"))
    (bad / "d.ann").write_text("T1\tGPE 0 6\tGunmen\nT2\tGPE 5 8\tGao\n", "utf-8")
    ((file, line, message),) = list(read_brat(bad))
    assert file.endswith("d.ann") and line == 2 and "'Gao'" in str(message) and "CR" in str(message)


def test_report_metadata_and_values_survive_a_brat_round_trip(tmp_path: Path) -> None:
    text = "Gunmen stormed Tessit on 3 December 2023.\n"
    record = {
        "report": {"id": "r/../1", "title": "Tessit", "source": "Radio X", "url": "https://x.example/1",
                   "published": "2023-12-05", "language": "fr", "text": text,
                   "metadata": {"desk": "Sahel"}},
        "annotations": [{"coder": "..", "status": "in_progress", "codebook": "conflict-events@1",
                         "spans": [{"id": "s1", "type": "actor", "start": 0, "end": 6, "text": "Gunmen",
                                    "attributes": {"canonical_name": "Unidentified gunmen"}}],
                         "claims": [{"id": "c1", "type": "attack",
                                     "slots": {"perpetrator": ["s1"], "date": "not_reported"},
                                     "attributes": {"stance": "claimed_responsibility"}},
                                    {"id": "c2", "type": "aggregate", "slots": {}, "attributes": {}}]}],
    }
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record) + "\n", "utf-8")
    db1, db2 = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert main(["--db", db1, "init"]) == 0  # only init makes a project
    assert main(["--db", db1, "import", str(src)]) == 0
    out = tmp_path / "brat"
    assert main(["--db", db1, "export", "--format", "brat", "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix not in (".db", ".jsonl")) == ["brat"]
    assert main(["--db", db2, "init"]) == 0  # only init makes a project
    assert main(["--db", db2, "import", str(out)]) == 0
    assert main(["--db", db1, "export", "--out", str(tmp_path / "a.out")]) == 0
    assert main(["--db", db2, "export", "--out", str(tmp_path / "b.out")]) == 0

    def meaning(p: Path) -> Any:
        (rec,) = [json.loads(x) for x in p.read_text("utf-8").splitlines()]
        rec["report"]["metadata"].pop("brat_file", None)
        rec["report"]["metadata"].pop("file", None)
        return rec

    assert meaning(tmp_path / "b.out") == meaning(tmp_path / "a.out")
    assert meaning(tmp_path / "b.out")["report"]["published"] == "2023-12-05"
