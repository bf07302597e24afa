"""Label Studio JSON: export, read back by Label Studio's own converter, import, round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.io.labelstudio import label_config, records_from_tasks
from annotator.core.io.standoff import FormatError
from tests.core.io_formats.format_samples import (
    TEXT,
    codebook,
    exported,
    project,
    sample_records,
)


def export(tmp_path: Path) -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    out = tmp_path / "tasks.json"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "labelstudio",
                 "--out", str(out)]) == 0
    proj.close()
    return before, out


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    before, out = export(tmp_path)
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])
    assert not summary.failed, summary.files[0].message
    assert exported(proj) == before


def test_label_studio_converter_reads_the_export(tmp_path: Path) -> None:
    converter = pytest.importorskip("label_studio_converter")
    _, out = export(tmp_path)
    config = (tmp_path / "tasks.label_config.xml").read_text("utf-8")
    conv = converter.Converter(config=config, project_dir=str(tmp_path), download_resources=False)
    conv.convert_to_json_min(str(out), str(tmp_path / "min"), is_dir=False)
    rows = json.loads((tmp_path / "min" / "result.json").read_text("utf-8"))
    amina = next(r for r in rows if r["id"] == 1 and len(r.get("label", [])) == 6)
    assert amina["text"] == TEXT
    got = {(v["start"], v["end"], v["text"], v["labels"][0]) for v in amina["label"]}
    want = {(s["start"], s["end"], s["text"], s["type"])
            for s in sample_records()[0]["annotations"][0]["spans"]}
    assert got == want
    for v in amina["label"]:
        assert TEXT[v["start"]:v["end"]] == v["text"]  # code points, as Python slices
    # per-region attributes come through the config's controls
    assert amina["actor.actor_type"] == ["rebel_group", "state_forces"]
    assert amina["actor.armed"] == "true" and amina["date.value"] == "2023-12-04"
    assert json.loads(amina["casualty_count.count"]) == {"low": 6, "best": 6, "high": 6}
    assert [(v["start"], v["number"]) for v in amina["location.rank"]] == [(TEXT.index("K\u00f6ra"), 2)]


def test_a_file_made_by_label_studio_imports(tmp_path: Path) -> None:
    # as Label Studio exports it: UTF-16 offsets (before its emoji fix), a prediction, a
    # cancelled annotation, a relation drawn right to left, no extension
    text = "\U0001F525 Gunmen of the Falcon Brigade raided K\u00f6ra."
    u16 = len("\U0001F525".encode("utf-16-le")) // 2 - 1  # one unit more per emoji
    start = text.index("Falcon Brigade")
    loc = text.index("K\u00f6ra")
    task = {
        "id": 7, "data": {"text": text, "source": "wire"},
        "annotations": [
            {"id": 1, "completed_by": {"email": "ann@example.invalid"}, "result": [
                {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": start + u16, "end": start + 14 + u16, "text": "Falcon Brigade",
                           "labels": ["Actor"]}},
                {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": loc, "end": loc + 4, "text": "K\u00f6ra", "labels": ["location"]}},
                {"id": "a", "type": "choices", "from_name": "actor_type", "to_name": "text",
                 "value": {"start": start, "end": start + 14, "choices": ["rebel_group"]}},
                {"type": "relation", "from_id": "b", "to_id": "a", "direction": "left",
                 "labels": ["Located in"]}]},
            {"id": 2, "completed_by": 5, "was_cancelled": True, "result": []}],
        "predictions": [{"model_version": "ner-v1", "result": [
            {"id": "p", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": loc, "end": loc + 4, "text": "K\u00f6ra", "labels": ["location"]}}]}],
    }
    (rec,) = records_from_tasks([task], codebook(), "ls")
    assert rec["report"]["id"] == "ls-7" and rec["report"]["metadata"] == {"source": "wire"}
    ann, pred = rec["annotations"]
    assert ann["coder"] == "labelstudio-ann@example.invalid" and pred["coder"] == "prediction-ner-v1"
    a, b = ann["spans"]
    assert (a["start"], a["end"], a["type"]) == (start, start + 14, "actor")
    assert a["attributes"] == {"actor_type": "rebel_group"} and b["type"] == "location"
    assert ann["claims"] == [{"id": "rel1", "type": "located_in",
                              "slots": {"Arg1": ["a"], "Arg2": ["b"]}, "attributes": {}}]


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t["annotations"][0]["result"][0]["value"].update(labels=["Weapon"]),
     r"\$\[0\]\.annotations\[0\]\.result\[0\]: label 'Weapon' is not a span type"),
    (lambda t: t["annotations"][0]["result"][0]["value"].update(text="other"),
     r"result\[0\]: offsets 0-6 cover 'Gunmen', not 'other'"),
    (lambda t: t["annotations"][0]["result"].append(
        {"type": "relation", "from_id": "a", "to_id": "zz", "labels": ["located_in"]}),
     r"result\[1\]: the relation names region 'zz'"),
    (lambda t: t["annotations"][0]["result"].append(
        {"type": "relation", "from_id": "a", "to_id": "a", "labels": ["attack"]}),
     r"claim type attack has 5 slots"),
])
def test_bad_tasks_are_refused_with_the_place(change: Any, message: str) -> None:
    task = {"id": 1, "data": {"text": "Gunmen raided a post."}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 6, "text": "Gunmen", "labels": ["actor"]}}]}]}
    change(task)
    with pytest.raises(FormatError, match=message):
        records_from_tasks([task], codebook(), "x")


def test_cli_import_refuses_a_bad_file_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, "c")
    proj.close()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"data": {"text": "One."}, "annotations": []},
                               {"data": {"text": "Two."}, "annotations": [{"result": [
                                   {"id": "a", "type": "labels", "value": {
                                       "start": 0, "end": 3, "text": "Two", "labels": ["tank"]}}]}]}]),
                   "utf-8")
    assert main(["--db", str(tmp_path / "c.db"), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: $[1].annotations[0].result[0]: label 'tank'" in err
    assert "nothing of this file was stored" in err and "Traceback" not in err
    assert main(["--db", str(tmp_path / "c.db"), "reports"]) == 0
    assert "0 report(s)" in capsys.readouterr().out


def test_label_config_names_every_type() -> None:
    config = label_config(codebook())
    assert '<Label value="casualty_count"/>' in config
    assert '<Relation value="located_in"/>' in config and '"attack"' not in config
    assert '<Choices name="actor.armed"' in config and '<Number name="location.rank"' in config
