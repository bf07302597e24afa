"""doccano JSONL: export, structural check against doccano's documented line shapes, import,
round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from annotator.cli import main
from annotator.core.io.doccano import read_doccano
from annotator.core.io.textfile import ImportProblem
from tests.core.io_formats.format_samples import codebook, exported, project, sample_records

# the two import shapes doccano documents for sequence labeling and relation projects
LINE_SCHEMA = {
    "type": "object", "required": ["text"],
    "properties": {
        "text": {"type": "string"},
        "entities": {"type": "array", "items": {
            "type": "object", "required": ["id", "label", "start_offset", "end_offset"],
            "properties": {"id": {"type": "integer"}, "label": {"type": "string"},
                           "start_offset": {"type": "integer", "minimum": 0},
                           "end_offset": {"type": "integer", "minimum": 0}}}},
        "relations": {"type": "array", "items": {
            "type": "object", "required": ["id", "from_id", "to_id", "type"],
            "properties": {"id": {"type": "integer"}, "from_id": {"type": "integer"},
                           "to_id": {"type": "integer"}, "type": {"type": "string"}}}},
    },
}


def export(tmp_path: Path) -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    proj.close()
    out = tmp_path / "doccano.jsonl"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "doccano", "--out", str(out)]) == 0
    return before, out


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    before, out = export(tmp_path)
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])
    assert not summary.failed, summary.files[0].message
    assert exported(proj) == before


def test_export_is_doccano_shaped_and_offsets_are_code_points(tmp_path: Path) -> None:
    _, out = export(tmp_path)
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(lines) == 3  # r-1 twice (two coders), r-2 once
    validator = Draft202012Validator(LINE_SCHEMA)
    for line in lines:
        assert not list(validator.iter_errors(line))
    amina = lines[0]
    want = {(s["start"], s["end"], s["type"]) for s in sample_records()[0]["annotations"][0]["spans"]}
    assert {(e["start_offset"], e["end_offset"], e["label"]) for e in amina["entities"]} == want
    by_id = {e["id"]: e for e in amina["entities"]}
    (rel,) = amina["relations"]
    assert rel["type"] == "located_in"
    assert amina["text"][by_id[rel["from_id"]]["start_offset"]:by_id[rel["from_id"]]["end_offset"]] \
        == "the Falcon Brigade \U0001D538"


def test_a_file_made_by_doccano_imports(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"id": 4, "text": "\U0001F525 Gunmen raided K\u00f6ra.", "label": [[2, 8, "actor"], [16, 20, "LOCATION"]],
                    "Comments": []}, ensure_ascii=False) + "\n"
        + json.dumps({"id": 4, "text": "\U0001F525 Gunmen raided K\u00f6ra.", "entities": [
            {"id": 9, "label": "actor", "start_offset": 2, "end_offset": 8},
            {"id": 10, "label": "location", "start_offset": 16, "end_offset": 20}],
            "relations": [{"id": 1, "from_id": 9, "to_id": 10, "type": "located_in"}]},
            ensure_ascii=False) + "\n", "utf-8")
    (rec,) = read_doccano(path, codebook())
    first, second = rec["annotations"]
    assert (first["coder"], second["coder"]) == ("doccano", "doccano-2")
    assert [s["text"] for s in first["spans"]] == ["Gunmen", "K\u00f6ra"]
    assert second["claims"][0]["slots"] == {"Arg1": ["9"], "Arg2": ["10"]}
    assert rec["report"]["metadata"] == {"Comments": []}


@pytest.mark.parametrize(("line", "message"), [
    ({"text": "abc", "label": ["positive"]}, "text classification"),
    ({"text": "abc", "label": [[0, 9, "actor"]]}, r"\$\.label\[0\]: offsets 0-9 are not inside"),
    ({"text": "abc", "label": [[0, 2, "tank"]]}, "label 'tank' is not a span type"),
    ({"text": "abc", "entities": [{"id": 1, "label": "actor", "start_offset": 0, "end_offset": 1}],
      "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "located_in"}]}, "entity 2"),
])
def test_bad_lines_are_refused_with_line_and_place(tmp_path: Path, line: Any, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "fine"}) + "\n" + json.dumps(line) + "\n", "utf-8")
    with pytest.raises(ImportProblem, match=message) as info:
        read_doccano(path, codebook())
    assert info.value.line == 2 and str(path) in str(info.value)
