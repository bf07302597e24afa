"""Conflict datasets (ACLED, UCDP GED, GTD) and tables in general as report input.

The column names follow each dataset's codebook; every row and sentence is invented here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.io.tables import detect_layout, parse_date, parse_mapping, read_report_table

ACLED_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,tags,timestamp"
).split(",")
UCDP_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,where_description,"
    "adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,"
    "date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,"
    "low,gwnoa,gwnob"
).split(",")
GTD_COLUMNS = (
    "eventid,iyear,imonth,iday,approxdate,extended,resolution,country,country_txt,region,"
    "region_txt,provstate,city,latitude,longitude,specificity,vicinity,location,summary,crit1,"
    "crit2,crit3,doubtterr,multiple,success,suicide,attacktype1,attacktype1_txt,targtype1,"
    "targtype1_txt,target1,natlty1_txt,gname,guncertain1,claimed,claimmode,claimmode_txt,"
    "weaptype1,weaptype1_txt,nkill,nkillter,nwound,nwoundte,property,addnotes,scite1,scite2,"
    "scite3,dbsource"
).split(",")

ACLED_NOTE = (
    "On 4 December 2023, fighters of the Falcon Brigade attacked an army post near Kora "
    "(Northern). The army said 6 soldiers were killed; the group claimed 30 killed or wounded. "
    "\U0001F4F0 Local sources disputed both figures."
)


def acled_row(**over: object) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in ACLED_COLUMNS}
    row.update(
        event_id_cnty="XYZ1001", event_date="2023-12-04", year=2023, time_precision=1,
        disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash",
        actor1="Falcon Brigade", inter1=2, actor2="Military Forces of Xland (2020-)", inter2=1,
        interaction=12, iso=999, region="Western Africa", country="Xland", admin1="Northern",
        location="Kora", latitude=12.3456, longitude=-1.2345, geo_precision=2,
        source="Sahel Wire; Radio Kora", source_scale="National-Regional", notes=ACLED_NOTE,
        fatalities=6, timestamp=1702000000,
    )
    row.update(over)
    return row


def write_csv(path: Path, columns: list[str], rows: list[dict[str, object]],
              delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def rows_of(path: Path, mapping: dict[str, str] | None = None) -> list[tuple[int, object]]:
    return list(read_report_table(path, mapping))


def test_acled_layout_is_recognized_and_every_field_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS,
                     [acled_row(), acled_row(event_id_cnty="XYZ1002", event_date="5 December 2023",
                                 notes="Unidentified gunmen abducted two traders.")])
    (n1, r1), (n2, r2) = rows_of(path)
    assert (n1, n2) == (2, 3)
    assert isinstance(r1, dict) and isinstance(r2, dict)
    assert r1["id"] == "XYZ1001" and r1["text"] == ACLED_NOTE
    assert r1["published"] == "2023-12-04" and r2["published"] == "2023-12-05"
    assert r1["title"] == "Armed clash: Kora, Xland"
    assert r1["source"] == "Sahel Wire; Radio Kora"
    meta = r1["metadata"]
    assert meta["dataset"] == "acled"
    assert meta["actor1"] == "Falcon Brigade" and meta["fatalities"] == "6"
    assert meta["latitude"] == "12.3456" and meta["geo_precision"] == "2"
    # nothing of the row is lost: every non-empty cell is a report field or metadata
    for column, value in acled_row().items():
        if value != "" and column not in ("event_id_cnty", "notes", "event_date", "source"):
            assert meta[column] == str(value), column


def test_ucdp_ged_layout(tmp_path: Path) -> None:
    row: dict[str, object] = {c: "" for c in UCDP_COLUMNS}
    row.update(id=244657, relid="XLD-2023-1-123-45", year=2023, type_of_violence=1,
               dyad_name="Government of Xland - Falcon Brigade", side_a="Government of Xland",
               side_b="Falcon Brigade", source_article='"Sahel Wire,2023-12-05,Army post attacked"',
               source_original="Army spokesman; Falcon Brigade statement", where_prec=2,
               date_prec=1, date_start="2023-12-04 00:00:00.000", date_end="2023-12-04",
               deaths_a=6, best=6, low=6, high=30)
    path = write_csv(tmp_path / "ged.csv", UCDP_COLUMNS, [row])
    ((_, rep),) = rows_of(path)
    assert isinstance(rep, dict)
    assert (rep["id"], rep["text"], rep["published"]) == (
        "244657", "Army spokesman; Falcon Brigade statement", "2023-12-04")
    assert rep["title"] == "Government of Xland - Falcon Brigade"
    assert rep["metadata"]["high"] == "30" and rep["metadata"]["dataset"] == "ucdp"


def test_gtd_layout_from_xlsx_with_three_date_columns(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(GTD_COLUMNS)
    base = {c: None for c in GTD_COLUMNS}
    first = {**base, "eventid": 202312040001, "iyear": 2023, "imonth": 12, "iday": 4,
             "country_txt": "Xland", "city": "Kora", "attacktype1_txt": "Armed Assault",
             "summary": "12/04/2023: Assailants attacked a checkpoint in Kora, Xland.",
             "gname": "Falcon Brigade", "claimed": 1, "nkill": 6.0, "scite1": "\"Post hit\", Sahel Wire"}
    unknown_day = {**first, "eventid": 202312000002, "iday": 0,
                   "summary": "December 2023: A bus was set alight."}
    for row in (first, unknown_day):
        ws.append([row[c] for c in GTD_COLUMNS])
    path = tmp_path / "gtd.xlsx"
    wb.save(path)
    (_, a), (_, b) = rows_of(path)
    assert isinstance(a, dict) and isinstance(b, dict)
    assert a["id"] == "202312040001" and a["published"] == "2023-12-04"
    assert a["title"] == "Armed Assault: Kora, Xland"
    assert a["source"] == "\"Post hit\", Sahel Wire"
    assert b["published"] is None  # iday 0: the day is unknown
    assert a["metadata"]["nkill"] == 6.0 and a["metadata"]["dataset"] == "gtd"


def test_user_mapping_beats_the_layout(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, [acled_row()])
    ((_, rep),) = rows_of(path, parse_mapping("text=notes, id=timestamp, title=location"))
    assert isinstance(rep, dict) and (rep["id"], rep["title"]) == ("1702000000", "Kora")
    ((n, why),) = rows_of(path, {"text": "story"})
    assert n == 1 and isinstance(why, str) and "story" in why
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        parse_mapping("text")
    with pytest.raises(ValueError, match="fields are"):
        parse_mapping("body=notes")


def test_long_first_cell_semicolons_and_legacy_encoding(tmp_path: Path) -> None:
    # the first column holds long notes full of commas: the stdlib sniffer's 4 KB sample sees
    # commas everywhere; clevercsv finds the semicolons
    long_note = "À Kora, des hommes armés, selon des témoins, ont attaqué un poste, " * 120
    rows = [{"notes": long_note + str(i), "event_id_cnty": f"XYZ{i}", "event_date": "2023-12-0" + str(i)}
            for i in range(1, 4)]
    path = write_csv(tmp_path / "semi.csv", ["notes", "event_id_cnty", "event_date"], rows,
                     delimiter=";", encoding="cp1252")
    got = rows_of(path)
    assert [r["id"] for _, r in got if isinstance(r, dict)] == ["XYZ1", "XYZ2", "XYZ3"]
    first = got[0][1]
    assert isinstance(first, dict) and first["text"] == long_note + "1"
    assert first["published"] == "2023-12-01"


@pytest.mark.parametrize(("given", "expected"), [
    ("2023-12-04", "2023-12-04"), ("2023-12-04T10:30:00Z", "2023-12-04"),
    ("4 December 2023", "2023-12-04"), ("December 4, 2023", "2023-12-04"),
    ("04-Dec-2023", "2023-12-04"), ("25/12/2023", "2023-12-25"), ("12/25/2023", "2023-12-25"),
    ("04/04/2023", "2023-04-04"), (dt.datetime(2023, 12, 4, 9), "2023-12-04"), ("", None),
])
def test_published_dates_in_the_usual_forms(given: object, expected: str | None) -> None:
    assert parse_date(given) == expected


@pytest.mark.parametrize("bad", ["08/12/2023", "2023-13-01", "next week", "32 December 2023"])
def test_bad_or_ambiguous_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_date(bad)


def test_layouts_need_their_signature() -> None:
    assert detect_layout(ACLED_COLUMNS).name == "acled"  # type: ignore[union-attr]
    assert detect_layout(UCDP_COLUMNS).name == "ucdp"  # type: ignore[union-attr]
    assert detect_layout(GTD_COLUMNS).name == "gtd"  # type: ignore[union-attr]
    assert detect_layout(["id", "text", "date"]) is None


def test_cli_import_names_every_bad_row_and_stores_nothing(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init"]) == 0
    bad = write_csv(tmp_path / "bad.csv", ACLED_COLUMNS, [
        acled_row(), acled_row(event_id_cnty="B2", notes=""),
        acled_row(event_id_cnty="B3", event_date="08/12/2023"),
        acled_row(event_id_cnty="B4", event_date="soon")])
    good = write_csv(tmp_path / "good.csv", ACLED_COLUMNS, [acled_row()])
    capsys.readouterr()
    assert main(["--db", db, "import", str(bad), str(good)]) == 1
    out = capsys.readouterr()
    assert f"{bad}: row 3: column notes: no text" in out.err
    assert f"{bad}: row 4: column event_date: published date '08/12/2023' is ambiguous" in out.err
    assert f"{bad}: row 5: column event_date" in out.err and "'soon'" in out.err
    assert "3 bad row(s); nothing of this file was stored" in out.err
    assert "Traceback" not in out.err
    assert main(["--db", db, "export", "--format", "jsonl", "--out", str(tmp_path / "o.jsonl")]) == 0
    lines = (tmp_path / "o.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(x)["report"]["id"] for x in lines] == ["XYZ1001"]  # good.csv only


def test_cli_map_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.db")
    path = tmp_path / "mine.csv"
    path.write_text("ref,story,when\nm-1,A convoy was ambushed near Kora.,8 Dec 2023\n", "utf-8")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(path)]) == 1  # no text column found
    assert "--map text=COLUMN" in capsys.readouterr().err
    assert main(["--db", db, "import", "--map", "text=story,id=ref,published=when", str(path)]) == 0
    assert main(["--db", db, "import", "--map", "txt=story", str(path)]) == 1
    assert main(["--db", db, "export", "--out", str(tmp_path / "o.jsonl")]) == 0
    rep = json.loads((tmp_path / "o.jsonl").read_text("utf-8"))["report"]
    assert (rep["id"], rep["published"], rep["text"]) == ("m-1", "2023-12-08",
                                                          "A convoy was ambushed near Kora.")
