"""CSV and xlsx exports: tables, typed cells, profiles, formula safety, cancel."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from annotator.core.codebook import load_default_codebook
from annotator.core.io.spreadsheet import Cancelled, claim_rows, safe_text, write_csv, write_xlsx
from tests.core.helpers import record, span

TEXT = "=HYPERLINK(\"http://x\") On Sunday the Brigade killed or wounded 30 soldiers and executed 4 men near Gao, 12 civilians died.\n"


def records() -> list[dict]:
    spans = [
        span("s1", "actor", TEXT, "the Brigade", canonical_name="=cmd|' /C calc'!A0"),
        span("s2", "date", TEXT, "Sunday", value="2023-12-03", granularity="day", anchor="relative_to_publication"),
        span("s3", "casualty_count", TEXT, "killed or wounded 30 soldiers", count={"best": 30}, status="killed_or_wounded"),
        span("s4", "casualty_count", TEXT, "executed 4 men", count={"low": 4, "best": 4, "high": 5}, status="executed"),
        span("s5", "location", TEXT, "Gao", place={"name": "Gao", "country": "ML", "admin1": "Gao", "lat": 16.27166, "lon": -0.04472},
             precision="place"),
        span("s6", "casualty_count", TEXT, "12 civilians died", count={"best": 12}, status="killed"),
        span("s7", "actor", TEXT, "=HYPERLINK(\"http://x\")"),
    ]
    claims = [
        {"id": "c1", "type": "attack", "slots": {"perpetrator": ["s1"], "date": ["s2"], "location": ["s5"],
                                                   "casualties": ["s3", "s4", "s6"], "target": "not_reported"},
         "attributes": {"stance": "claimed_responsibility", "event_type": "attack"}},
        {"id": "c2", "type": "aggregate", "slots": {"counts": ["s6"]}, "attributes": {}},
    ]
    ann = {"coder": "amina", "status": "done", "spans": spans, "claims": claims}
    return [record("r1", TEXT, [ann], published="2023-12-05", title="+1 title that looks like a formula")]


def test_profiles_map_as_documented() -> None:
    cb = load_default_codebook()
    (acled,) = list(claim_rows(records(), cb, "acled"))  # the aggregate is no event row
    assert acled["fatalities"] == 4 + 12  # executed + killed; "killed or wounded 30" is not
    assert "30 killed or wounded" in acled["notes"]
    assert acled["event_date"] == dt.date(2023, 12, 3) and acled["time_precision"] == 1
    assert acled["geo_precision"] == 1 and acled["latitude"] == 16.2717 and acled["country"] == "ML"
    (ucdp,) = list(claim_rows(records(), cb, "ucdp"))
    assert (ucdp["low"], ucdp["best"], ucdp["high"]) == (16, 16, 17)
    assert ucdp["date_prec"] == 1
    (gtd,) = list(claim_rows(records(), cb, "gtd"))
    assert (gtd["iyear"], gtd["imonth"], gtd["iday"], gtd["claimed"], gtd["nkill"]) == (2023, 12, 3, 1, 16)
    native = list(claim_rows(records(), cb, "native"))
    assert len(native) == 2 and native[0]["target"] == "not reported"
    assert native[0]["casualties_best_total"] == 46


def test_csv_tables_and_formula_safety(tmp_path: Path) -> None:
    counts = write_csv(records(), load_default_codebook(), tmp_path / "out", "native")
    assert counts["claims"] == 2 and counts["spans"] == 7 and counts["reports"] == 1
    with (tmp_path / "out" / "spans.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_id = {r["span_id"]: r for r in rows}
    assert by_id["s7"]["text"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    assert by_id["s1"]["canonical_name"].startswith("'=cmd")
    assert by_id["s3"]["count_best"] == "30" and by_id["s5"]["place_country"] == "ML"
    with (tmp_path / "out" / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        (rep,) = list(csv.DictReader(fh))
    assert rep["title"] == "'+1 title that looks like a formula"
    write_csv(records(), load_default_codebook(), tmp_path / "raw", "native", raw=True)
    with (tmp_path / "raw" / "spans.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert any(r["text"].startswith("=HYPERLINK") for r in csv.DictReader(fh))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_safe_text(value: str) -> None:
    assert safe_text(value) == "'" + value
    assert safe_text(value, raw=True) == value
    assert safe_text("plain") == "plain" and safe_text(3) == 3


def test_xlsx_typed_cells_frozen_header_filter_and_safety(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    write_xlsx(records(), load_default_codebook(), path, "acled")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["claims", "spans", "reports", "codebook"]
    ws = wb["claims"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert isinstance(row["event_date"].value, dt.datetime) and row["event_date"].value.date() == dt.date(2023, 12, 3)
    assert row["fatalities"].value == 16 and row["fatalities"].data_type == "n"
    spans = wb["spans"]
    sh = [c.value for c in spans[1]]
    texts = [dict(zip(sh, [c for c in r], strict=True))["text"] for r in spans.iter_rows(min_row=2)]
    formula = next(c for c in texts if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # a string cell, never a formula


def test_cancel_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        write_csv(records() * 3, load_default_codebook(), tmp_path / "c", "native", progress=lambda n: n < 2)
    assert not list((tmp_path / "c").glob("*.csv")) if (tmp_path / "c").exists() else True
    with pytest.raises(Cancelled):
        write_xlsx(records() * 3, load_default_codebook(), tmp_path / "c.xlsx", "native", progress=lambda n: False)
    assert not (tmp_path / "c.xlsx").exists()
    assert not list(tmp_path.glob(".*part"))


def test_cli_export_csv_xlsx(tmp_path: Path, capsys, new_db) -> None:
    from annotator.cli import main
    from annotator.core.resources import resources_dir

    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(resources_dir() / "example" / "example.jsonl")]) == 0
    assert main(["--db", db, "export", "--format", "csv", "--out", str(tmp_path / "t"), "--profile", "acled"]) == 0
    assert (tmp_path / "t" / "claims.csv").exists()
    assert main(["--db", db, "export", "--format", "xlsx", "--out", str(tmp_path / "t.xlsx"), "--coder", "amina"]) == 0
    assert "claims row(s)" in capsys.readouterr().out
