"""Import and export of the interchange format: lossless round trip, schema, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from annotator.core.project import Project
from annotator.core.resources import resources_dir, schemas_dir
from tests.core.helpers import read_jsonl, record, span, write_jsonl

EMOJI = "Statement 📢 from the group: 🔥 fighters stormed Tessit at dawn, killing 17 soldiers.\n"
ARABIC = "قالت وكالة أعماق إن مقاتلي الدولة الإسلامية هاجموا ثكنة في ميناكا يوم الأحد.\n"
CRLF = "Line one mentions Gao.\r\nLine two: 4 wounded near Ansongo.\r\n"


def rich_records() -> list[dict]:
    a1 = [
        span("s1", "actor", EMOJI, "the group", actor_type="rebel_or_jihadist_group"),
        span("s2", "actor", EMOJI, "🔥 fighters"),
        span("s3", "location", EMOJI, "Tessit", place={"name": "Tessit", "country": "ML"}),
        span("s4", "casualty_count", EMOJI, "killing 17 soldiers", count={"best": 17}, status="killed"),
        span("s5", "casualty_count", EMOJI, "17 soldiers", count={"low": 17, "best": 17, "high": 17}),  # nested
        span("s6", "actor", EMOJI, "soldiers"),  # nested inside s4 and s5
        span("s7", "date", EMOJI, "dawn", value="2023-12-03", granularity="day", anchor="relative_to_publication"),
    ]
    c1 = [
        {"id": "c1", "type": "attack",
         "slots": {"perpetrator": ["s1", "s2"], "target": ["s6"], "location": ["s3"],
                   "casualties": ["s4", "s5"], "date": "not_reported", "claimant": "not_reported"},
         "attributes": {"stance": "claimed_responsibility", "stage": "accomplished"}},
        {"id": "c2", "type": "aggregate", "slots": {"counts": ["s5"]}, "attributes": {}},
    ]
    b1 = [span("s1", "actor", EMOJI, "fighters"), span("s2", "location", EMOJI, "Tessit")]
    ar = [
        span("s1", "actor", ARABIC, "وكالة أعماق", actor_type="media_or_propaganda_outlet"),
        span("s2", "actor", ARABIC, "الدولة الإسلامية"),
        span("s3", "location", ARABIC, "ميناكا"),
    ]
    arc = [{"id": "c1", "type": "attack", "slots": {"perpetrator": ["s2"], "location": ["s3"], "reported_by": ["s1"]}, "attributes": {}}]
    return [
        record("emoji", EMOJI, [
            {"coder": "amina", "status": "done", "codebook": "conflict-events@1", "spans": a1, "claims": c1},
            {"coder": "lukas", "status": "in_progress", "codebook": "conflict-events@1", "spans": b1, "claims": []},
        ], published="2023-12-05", source="Test wire", metadata={"issue": 7}),
        record("arabic", ARABIC, [
            {"coder": "amina", "status": "done", "codebook": "conflict-events@1", "spans": ar, "claims": arc},
        ], language="ar"),
        record("empty-coding", "A report nobody coded yet.\n"),
    ]


def canonical(records: list[dict]) -> list[str]:
    return [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records]


def export(project: Project, **kw) -> list[dict]:
    buf = io.StringIO()
    project.export_jsonl(buf, **kw)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_round_trip_is_lossless(tmp_path: Path, new_db) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rich_records())
    p1 = Project.open(new_db("one.db"))
    summary = p1.import_paths([src])
    assert not summary.failed and summary.added == 3
    out1 = export(p1)
    # what went in comes out (the exporter fills defaults the input left out)
    by_id = {r["report"]["id"]: r for r in out1}
    assert by_id["emoji"]["annotations"][0]["claims"][0]["slots"]["date"] == "not_reported"
    assert by_id["emoji"]["annotations"][0]["claims"][0]["slots"]["perpetrator"] == ["s1", "s2"]
    assert by_id["emoji"]["report"]["metadata"] == {"issue": 7}
    assert by_id["arabic"]["annotations"][0]["spans"][1]["text"] == "الدولة الإسلامية"
    for rec in out1:
        text = rec["report"]["text"]
        for ann in rec["annotations"]:
            for s in ann["spans"]:
                assert text[s["start"] : s["end"]] == s["text"]
    # import the export into an empty project and export again: identical
    again = write_jsonl(tmp_path / "out1.jsonl", out1)
    p2 = Project.open(new_db("two.db"))
    p2.import_paths([again])
    assert canonical(export(p2)) == canonical(out1)
    p1.close()
    p2.close()


def test_export_validates_against_the_schema(tmp_path: Path, new_db) -> None:
    project = Project.open(new_db("p.db"))
    project.import_paths([write_jsonl(tmp_path / "in.jsonl", rich_records()), resources_dir() / "example" / "example.jsonl"])
    schema = json.loads((schemas_dir() / "interchange.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema)
    records = export(project)
    assert len(records) == 5
    for rec in records:
        assert list(validator.iter_errors(rec)) == []
    project.close()


def test_crlf_is_normalized_once_and_offsets_follow(tmp_path: Path, new_db) -> None:
    spans = [span("s1", "location", CRLF, "Gao"), span("s2", "location", CRLF, "Ansongo"),
             span("s3", "casualty_count", CRLF, "4 wounded")]
    rec = record("crlf", CRLF, [{"coder": "amina", "spans": spans}])
    project = Project.open(new_db("p.db"))
    project.import_paths([write_jsonl(tmp_path / "crlf.jsonl", [rec])])
    (out,) = export(project)
    text = out["report"]["text"]
    assert "\r" not in text
    assert [(text[s["start"] : s["end"]], s["text"]) for s in out["annotations"][0]["spans"]] == [
        ("Gao", "Gao"), ("Ansongo", "Ansongo"), ("4 wounded", "4 wounded")]
    project.close()


def test_export_of_chosen_coders(tmp_path: Path, new_db) -> None:
    project = Project.open(new_db("p.db"))
    project.import_paths([write_jsonl(tmp_path / "in.jsonl", rich_records())])
    records = export(project, coders=["lukas"])
    assert [[a["coder"] for a in r["annotations"]] for r in records] == [["lukas"], [], []]
    project.close()


def test_reimport_is_recognized_and_conflicts_refused(tmp_path: Path, new_db) -> None:
    project = Project.open(new_db("p.db"))
    src = write_jsonl(tmp_path / "in.jsonl", rich_records())
    project.import_paths([src])
    second = project.import_paths([src])
    assert not second.failed and second.added == 0 and second.existing == 3
    # same report, same coder, different spans: refused, nothing of the file stored
    changed = rich_records()
    changed[0]["annotations"][1]["spans"] = changed[0]["annotations"][1]["spans"][:1]
    changed.append(record("new-one", "A brand new report.\n"))
    third = project.import_paths([write_jsonl(tmp_path / "changed.jsonl", changed)])
    assert len(third.failed) == 1
    assert "lukas already has different annotations" in third.failed[0].message
    assert [r.external_id for r in project.reports()] == ["emoji", "arabic", "empty-coding"]
    project.close()


BAD_LINES = [
    ("{not json", "malformed JSON"),
    (json.dumps({"report": {"id": "x"}}), "'text' is a required property"),
    (json.dumps(record("x", "Kidal was hit.", [{"coder": "a", "spans": [{"id": "s1", "type": "location", "start": 1, "end": 6, "text": "Kidal"}]}])), "not 'Kidal'"),
    (json.dumps(record("x", "Kidal was hit.", [{"coder": "a", "spans": [{"id": "s1", "type": "weapon", "start": 0, "end": 5, "text": "Kidal"}]}])), "unknown span type 'weapon'"),
    (json.dumps(record("x", "Kidal was hit.", [{"coder": "a", "spans": [], "claims": [{"id": "c1", "type": "attack", "slots": {"perpetrator": ["s9"]}}]}])), "names span 's9'"),
    (json.dumps(record("x", "Kidal was hit.", [{"coder": "a", "codebook": "other@3"}])), "coded with codebook 'other@3'"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_a_bad_line_fails_its_file_with_line_and_reason(tmp_path: Path, line: str, reason: str, new_db) -> None:
    project = Project.open(new_db("p.db"))
    good_first = json.dumps(record("fine", "A good report before the bad line.\n"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good_first + "\n\n" + line + "\n", "utf-8")
    other = write_jsonl(tmp_path / "other.jsonl", [record("other", "Another good file.\n")])
    summary = project.import_paths([bad, other])
    (failed,) = summary.failed
    assert failed.path.endswith("bad.jsonl") and failed.line == 3
    assert reason in failed.message
    # nothing of the bad file, everything of the good one
    assert [r.external_id for r in project.reports()] == ["other"]
    project.close()


def test_read_back_example(tmp_path: Path) -> None:
    example = read_jsonl(resources_dir() / "example" / "example.jsonl")
    coders = [a["coder"] for a in example[0]["annotations"]]
    assert coders == ["amina", "lukas"]
    assert all(a["status"] == "done" for a in example[0]["annotations"])
