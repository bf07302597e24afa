"""A conflict dataset's coded fields as a coder's annotations (import --coded-as CODER)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.codebook import load_default_codebook
from annotator.core.io.coded import coded_annotation
from tests.core.io_formats.test_io_conflict import ACLED_COLUMNS, acled_row, write_csv


def test_acled_fields_found_in_the_notes_become_spans_and_a_claim() -> None:
    note = "Fighters of the Falcon Brigade attacked soldiers near Kora on Monday."
    report = {"text": note, "metadata": {"actor1": "Falcon Brigade", "actor2": "Army of Xland",
                                         "location": "Kora", "latitude": "12.3456",
                                         "longitude": "-1.2345", "sub_event_type": "Armed clash"}}
    ann = coded_annotation(report, "acled", load_default_codebook(), "acled")
    assert ann is not None
    spans = {s["id"]: s for s in ann["spans"]}
    assert set(spans) == {"actor1", "location"}  # actor2 is not in the text
    assert note[spans["actor1"]["start"]:spans["actor1"]["end"]] == "Falcon Brigade"
    assert spans["location"]["attributes"]["place"] == {"name": "Kora", "lat": 12.3456,
                                                        "lon": -1.2345}
    (claim,) = ann["claims"]
    assert claim["slots"] == {"perpetrator": ["actor1"], "location": ["location"]}
    assert claim["attributes"] == {"event_type": "armed_clash"}


def test_no_perpetrator_no_claim_and_nothing_found_nothing_made() -> None:
    cb = load_default_codebook()
    ann = coded_annotation({"text": "Shelling hit Kora.", "metadata": {"city": "Kora"}}, "gtd", cb, "g")
    assert ann is not None and ann["claims"] == [] and ann["spans"][0]["type"] == "location"
    assert coded_annotation({"text": "Nothing here.", "metadata": {"gname": "X"}}, "gtd", cb, "g") is None


def test_cli_coded_as(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.db")
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, [acled_row()])
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", "--coded-as", "acled", str(path)]) == 0
    assert main(["--db", db, "export", "--out", str(tmp_path / "o.jsonl")]) == 0
    rec = json.loads((tmp_path / "o.jsonl").read_text("utf-8"))
    (ann,) = rec["annotations"]
    assert ann["coder"] == "acled"
    assert [(s["type"], s["text"]) for s in ann["spans"]] == [("actor", "Falcon Brigade"),
                                                               ("location", "Kora")]
    assert ann["claims"][0]["slots"]["perpetrator"] == [ann["spans"][0]["id"]]
