"""Fidelity details (issue 14 item 6): form feeds in the xlsx export, season dates in the
dataset profiles, NFC for JSONL as for .txt, and no project made by a mistyped --db."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from annotator.cli import main
from annotator.core.codebook import load_default_codebook
from annotator.core.edtf import bounds
from annotator.core.io.spreadsheet import claim_rows, write_xlsx
from annotator.core.project import Project
from tests.core.helpers import record, span

TEXT = "Gunmen attacked Tessit in spring 2024.\x0cPage two: 12 soldiers died.\n"


def season_record() -> dict:
    spans = [span("s1", "actor", TEXT, "Gunmen"),
             span("s2", "date", TEXT, "spring 2024", value="2024-21", granularity="season"),
             span("s3", "casualty_count", TEXT, "12 soldiers died",
                  count={"best": 12}, status="killed", victim_category="military", unit="persons"),
             span("s4", "actor", TEXT, "2024.\x0cPage")]  # a form feed inside a span
    claims = [{"id": "c1", "type": "attack",
               "slots": {"perpetrator": ["s1"], "date": ["s2"], "casualties": ["s3"]}, "attributes": {}}]
    return record("r1", TEXT, [{"coder": "amina", "status": "done", "spans": spans, "claims": claims}],
                  title="Tessit\x0cpage")


def test_edtf_bounds_come_from_the_edtf_package() -> None:
    assert bounds("2024-21") == (dt.date(2024, 3, 1), dt.date(2024, 5, 31))  # spring
    assert bounds("2023-12") == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert bounds("2023-12-03~") == (dt.date(2023, 12, 3), dt.date(2023, 12, 3))
    assert bounds("2023-12-01/..") == (dt.date(2023, 12, 1), None)
    assert bounds("/2023-12-06") == (None, dt.date(2023, 12, 6))
    assert bounds("2023-02-30") == (None, None) and bounds("nonsense") == (None, None)


def test_season_dates_fill_every_profile() -> None:
    cb = load_default_codebook()
    rec = season_record()
    (acled,) = claim_rows([rec], cb, "acled")
    assert acled["event_date"] == dt.date(2024, 4, 15) and acled["time_precision"] == 3
    (gtd,) = claim_rows([rec], cb, "gtd")
    assert gtd["iyear"] == 2024 and gtd["imonth"] in (0, None) or gtd["iyear"] == 2024
    (ucdp,) = claim_rows([rec], cb, "ucdp")
    assert ucdp["date_start"] == dt.date(2024, 3, 1) and ucdp["date_end"] == dt.date(2024, 5, 31)


def test_a_form_feed_never_breaks_the_xlsx_export(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    counts = write_xlsx([season_record()], load_default_codebook(), out)
    assert counts["spans"] == 4
    wb = load_workbook(out, read_only=True)
    texts = [c for row in wb["spans"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    titles = [c for row in wb["reports"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Tessit\u240cpage" in titles  # shown as the control picture of a form feed
    assert "2024.\u240cPage" in texts
    assert not any("\x0c" in t for t in texts + titles)
    wb.close()


def test_jsonl_text_is_nfc_like_txt(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 bombing in Tessit.\n"  # e + combining acute
    composed = "Caf\u00e9 bombing in Tessit.\n"
    rec = {"report": {"id": "j1", "text": decomposed},
           "annotations": [{"coder": "amina", "spans": [
               {"id": "s1", "type": "location", "start": 17, "end": 23, "text": "Tessit", "attributes": {}},
               {"id": "s2", "type": "actor", "start": 0, "end": 5, "text": "Cafe\u0301", "attributes": {}}],
               "claims": []}]}
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n", "utf-8")
    (tmp_path / "b.txt").write_text(composed, "utf-8")
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "import", str(tmp_path / "a.jsonl"), str(tmp_path / "b.txt")]) == 0
    p = Project.open(db)
    (rep,) = p.reports()  # one report: the same text both ways
    detail = p.report(rep.id)
    assert detail.text == composed
    spans = {s.text: (s.start, s.end) for s in p.spans(rep.id, p.coder_id("amina"))}
    assert spans == {"Tessit": (16, 22), "Caf\u00e9": (0, 4)}
    p.close()
    split = {"report": {"id": "j2", "text": "Other cafe\u0301.\n"}, "annotations": [{"coder": "bo", "spans": [
        {"id": "s1", "type": "actor", "start": 6, "end": 10, "text": "cafe", "attributes": {}}], "claims": []}]}
    (tmp_path / "c.jsonl").write_text(json.dumps(split) + "\n", "utf-8")
    assert main(["--db", db, "import", str(tmp_path / "c.jsonl")]) == 1  # a boundary inside é


def test_a_mistyped_db_creates_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    typo = tmp_path / "projcts" / "main.db"
    for argv in (["export", "--out", str(tmp_path / "x.jsonl")], ["reports"], ["coders"],
                 ["import", str(tmp_path / "none.txt")]):
        assert main(["--db", str(typo), *argv]) == 1
        assert "no such project" in capsys.readouterr().err
    assert not (tmp_path / "projcts").exists() and not (tmp_path / "x.jsonl").exists()
    assert main(["--db", str(tmp_path / "new.db"), "export", "--out", str(tmp_path / "y.jsonl")]) == 1
    assert not (tmp_path / "new.db").exists()
    assert main(["--db", str(typo), "init"]) == 0 and typo.exists()  # init creates it
