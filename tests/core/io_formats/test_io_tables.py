"""Issue 7 audit: CSV and xlsx tables (annotator.core.io.spreadsheet) against the brief.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.core.codebook import load_default_codebook
from annotator.core.io.spreadsheet import Cancelled, claim_rows, write_csv, write_xlsx
from tests.core.helpers import record, span

openpyxl = pytest.importorskip("openpyxl")

TEXT = (
    "The Falcon Brigade said its fighters killed or wounded 30 soldiers near Kora in the week of "
    "4 December 2023. The army said 6 soldiers were killed and 3 wounded; up to 9 others died.\n"
)
INJECTIONS = ['=HYPERLINK("http://example.invalid","x")', "+1", "-2", "@SUM(A1:A2)", "\tx", "\rx"]


def cb() -> Any:
    return load_default_codebook()


def make_record(
    granularity: str | None = "week", date_value: str = "2023-12-04/2023-12-10"
) -> dict[str, Any]:
    date_attrs: dict[str, Any] = {"value": date_value, "anchor": "absolute"}
    if granularity is not None:
        date_attrs["granularity"] = granularity
    spans = [
        span(
            "s1",
            "actor",
            TEXT,
            "The Falcon Brigade",
            canonical_name="Falcon Brigade",
            actor_type="rebel_or_jihadist_group",
        ),
        span(
            "s2",
            "casualty_count",
            TEXT,
            "killed or wounded 30 soldiers",
            count={"low": 30, "best": 30, "high": 30},
            status="killed_or_wounded",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s3",
            "location",
            TEXT,
            "Kora",
            place={
                "name": "Kora",
                "country": "ML",
                "admin1": "Mopti",
                "admin2": "Djenné",
                "lat": 14.123456,
                "lon": -4.56789,
            },
            precision="near_place",
            relation="near",
        ),
        span("s4", "date", TEXT, "the week of 4 December 2023", **date_attrs),
        span(
            "s5",
            "actor",
            TEXT,
            "The army",
            canonical_name="Armed Forces of Mali",
            actor_type="state_forces",
        ),
        span(
            "s6",
            "casualty_count",
            TEXT,
            "6 soldiers were killed",
            count={"low": 6, "best": 6, "high": 8},
            status="killed",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s7",
            "casualty_count",
            TEXT,
            "3 wounded",
            count={"low": 3, "best": 3, "high": 3},
            status="wounded",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s8",
            "actor",
            TEXT,
            "soldiers",
            canonical_name="Armed Forces of Mali",
            actor_type="state_forces",
        ),
    ]
    claims = [
        {
            "id": "c1",
            "type": "attack",
            "slots": {
                "perpetrator": ["s1"],
                "target": ["s8"],
                "location": ["s3"],
                "date": ["s4"],
                "casualties": ["s2"],
                "claimant": ["s1"],
                "reported_by": "not_reported",
            },
            "attributes": {
                "event_type": "armed_clash",
                "stance": "claimed_responsibility",
                "stage": "accomplished",
            },
        },
        {
            "id": "c2",
            "type": "attack",
            "slots": {
                "perpetrator": ["s1"],
                "location": ["s3"],
                "date": ["s4"],
                "casualties": ["s6", "s7"],
                "reported_by": ["s5"],
            },
            "attributes": {"event_type": "armed_clash", "stance": "third_party_report"},
        },
        {"id": "c3", "type": "aggregate", "slots": {"counts": ["s6"]}, "attributes": {}},
    ]
    ann = {
        "coder": "amina",
        "status": "done",
        "codebook": "conflict-events@1",
        "spans": spans,
        "claims": claims,
    }
    return record("r-0001", TEXT, [ann], published="2023-12-11", title="Clash near Kora")


def rows(profile: str, **kw: Any) -> dict[str, dict[str, Any]]:
    return {r["claim_id"]: r for r in claim_rows([make_record(**kw)], cb(), profile)}


# ------------------------------------------------------------------ profiles


def test_native_keeps_every_claim_and_marks_not_reported() -> None:
    got = rows("native")
    assert set(got) == {"c1", "c2", "c3"}
    c1 = got["c1"]
    assert c1["reported_by"] == "not reported"
    assert c1["perpetrator"] == "Falcon Brigade"
    assert c1["stance"] == "claimed_responsibility"
    assert c1["date_start"] == dt.date(2023, 12, 4) and c1["date_end"] == dt.date(2023, 12, 10)
    assert "\u201cKora\u201d" in c1["evidence"]
    assert f"[{TEXT.index('Kora')}-{TEXT.index('Kora') + 4}]" in c1["evidence"]
    assert got["c2"]["casualties_best_total"] == 9


def test_acled_killed_or_wounded_is_no_fatality() -> None:
    got = rows("acled")
    assert set(got) == {"c1", "c2"}  # the aggregate claim is no event row
    c1 = got["c1"]
    assert c1["fatalities"] == 0
    assert "30 killed or wounded" in c1["notes"]
    assert c1["actor1"] == "Falcon Brigade" and c1["actor2"] == "Armed Forces of Mali"
    assert (c1["country"], c1["admin1"], c1["admin2"], c1["location"]) == (
        "ML",
        "Mopti",
        "Djenné",
        "Kora",
    )
    assert (c1["latitude"], c1["longitude"]) == (14.1235, -4.5679)
    assert c1["geo_precision"] == 2  # near_place
    assert c1["time_precision"] == 2  # week
    c2 = got["c2"]
    assert c2["fatalities"] == 6  # killed only; the 3 wounded go to notes
    assert "3 wounded" in c2["notes"]
    assert c2["source"] == "Armed Forces of Mali"


@pytest.mark.parametrize(
    ("granularity", "value", "precision"),
    [
        ("day", "2023-12-04", 1),
        ("week", "2023-12-04/2023-12-10", 2),
        ("month", "2023-12", 3),
        ("season", "2023-12/2024-02", 3),
        ("year", "2023", 3),
    ],
)
def test_acled_time_precision_from_granularity(
    granularity: str, value: str, precision: int
) -> None:
    assert (
        rows("acled", granularity=granularity, date_value=value)["c1"]["time_precision"]
        == precision
    )


def test_precision_falls_back_to_the_date_value() -> None:
    assert rows("acled", granularity=None, date_value="2023-12-04")["c1"]["time_precision"] == 1
    gtd = rows("gtd", granularity=None, date_value="2023-12-04")["c1"]
    assert (gtd["iyear"], gtd["imonth"], gtd["iday"]) == (2023, 12, 4)


def test_acled_week_event_date_is_the_midpoint() -> None:
    assert rows("acled")["c1"]["event_date"] == dt.date(2023, 12, 7)


def test_gtd_mapping() -> None:
    got = rows("gtd")
    assert set(got) == {"c1", "c2"}
    c1, c2 = got["c1"], got["c2"]
    assert (c1["iyear"], c1["imonth"], c1["iday"]) == (2023, 12, 0)  # a week: no day
    assert c1["approxdate"] == "2023-12-04/2023-12-10"
    assert (c1["country"], c1["provstate"], c1["city"]) == ("ML", "Mopti", "Kora")
    assert c1["gname"] == "Falcon Brigade" and c1["gname2"] is None
    assert c1["claimed"] == 1 and c2["claimed"] == 0
    assert (c1["nkill"], c1["nwound"]) == (0, 0)
    assert (c2["nkill"], c2["nwound"]) == (6, 3)
    day = rows("gtd", granularity="day", date_value="2023-12-04")["c1"]
    assert (day["iyear"], day["imonth"], day["iday"], day["approxdate"]) == (2023, 12, 4, None)


def test_ucdp_mapping() -> None:
    c2 = rows("ucdp")["c2"]
    assert (c2["date_start"], c2["date_end"]) == (dt.date(2023, 12, 4), dt.date(2023, 12, 10))
    assert c2["date_prec"] == 3  # week
    assert (c2["low"], c2["best"], c2["high"]) == (6, 6, 8)
    assert c2["side_a"] == "Falcon Brigade"
    assert c2["source_original"] == "Armed Forces of Mali"
    c1 = rows("ucdp")["c1"]
    assert (c1["low"], c1["best"], c1["high"]) == (0, 0, 0)  # killed or wounded is no death
    assert c1["source_original"] == "Falcon Brigade"  # the claimant


def _with_counts(*counts: dict[str, Any]) -> list[dict[str, Any]]:
    text = "Gunmen staged 24 operations; 7 soldiers and 2 gunmen died, up to 9 more.\n"
    spans = [span("s1", "actor", text, "Gunmen", canonical_name="Gunmen")]
    for i, attrs in enumerate(counts, start=2):
        spans.append(
            {
                "id": f"s{i}",
                "type": "casualty_count",
                "start": 0,
                "end": 6,
                "text": "Gunmen",
                "attributes": attrs,
            }
        )
    claim = {
        "id": "c1",
        "type": "attack",
        "slots": {"perpetrator": ["s1"], "casualties": [s["id"] for s in spans[1:]]},
        "attributes": {},
    }
    return [
        record("r1", text, [{"coder": "a", "status": "done", "spans": spans, "claims": [claim]}])
    ]


def test_operations_are_never_deaths() -> None:
    recs = _with_counts(
        {"count": {"low": 24, "best": 24, "high": 24}, "status": "killed", "unit": "operations"},
        {"count": {"low": 7, "best": 7, "high": 7}, "status": "killed", "unit": "persons"},
    )
    assert next(claim_rows(recs, cb(), "acled"))["fatalities"] == 7
    assert next(claim_rows(recs, cb(), "gtd"))["nkill"] == 7
    assert next(claim_rows(recs, cb(), "ucdp"))["best"] == 7


def test_count_without_best_is_not_silently_dropped() -> None:
    recs = _with_counts(
        {
            "count": {"low": None, "best": None, "high": 9},
            "status": "killed",
            "quantity_kind": "at_most",
            "unit": "persons",
        }
    )
    row = next(claim_rows(recs, cb(), "acled"))
    assert "9" in row["notes"].split(";")[0]


def test_gtd_nkillter() -> None:
    recs = _with_counts(
        {
            "count": {"low": 2, "best": 2, "high": 2},
            "status": "killed",
            "unit": "persons",
            "victim_category": "perpetrator",
        }
    )
    assert next(claim_rows(recs, cb(), "gtd"))["nkillter"] == 2


# ------------------------------------------------------------------ files


def injected_record() -> dict[str, Any]:
    text = " ".join(INJECTIONS) + " end.\n"
    spans = [
        {
            "id": f"s{i}",
            "type": "actor",
            "start": 0,
            "end": 1,
            "text": text[0],
            "attributes": {"canonical_name": value},
        }
        for i, value in enumerate(INJECTIONS, start=1)
    ]
    return record(
        "r-inj",
        text,
        [{"coder": "amina", "status": "done", "spans": spans, "claims": []}],
        title="=1+1",
    )


def test_csv_tables_bom_and_formula_safety(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    counts = write_csv([make_record(), injected_record()], cb(), out)
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.csv",
        "codebook.csv",
        "reports.csv",
        "spans.csv",
    ]
    assert (
        counts["claims"] == 3 and counts["spans"] == 8 + len(INJECTIONS) and counts["reports"] == 2
    )
    for name in ("claims", "spans", "reports", "codebook"):
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with (out / "spans.csv").open(encoding="utf-8-sig", newline="") as fh:
        spans = list(csv.DictReader(fh))
    names = [r["canonical_name"] for r in spans if r["report_id"] == "r-inj"]
    assert names == ["'" + v for v in INJECTIONS]
    count_row = next(r for r in spans if r["span_id"] == "s6" and r["report_id"] == "r-0001")
    assert (count_row["count_low"], count_row["count_best"], count_row["count_high"]) == (
        "6",
        "6",
        "8",
    )
    place_row = next(r for r in spans if r["span_id"] == "s3")
    assert (
        place_row["place_name"],
        place_row["place_country"],
        place_row["place_admin1"],
        place_row["place_admin2"],
        place_row["place_lat"],
    ) == ("Kora", "ML", "Mopti", "Djenné", "14.123456")
    with (out / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        reports = {r["report_id"]: r for r in csv.DictReader(fh)}
    assert reports["r-inj"]["title"] == "'=1+1"
    with (out / "codebook.csv").open(encoding="utf-8-sig", newline="") as fh:
        kinds = {r["kind"] for r in csv.DictReader(fh)}
    assert {"span type", "attribute", "claim type", "slot"} <= kinds
    write_csv([injected_record()], cb(), tmp_path / "raw", raw=True)
    with (tmp_path / "raw" / "spans.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert [r["canonical_name"] for r in csv.DictReader(fh)] == INJECTIONS


def test_xlsx_typed_cells_frozen_header_filter_and_no_formulas(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    write_xlsx([make_record(), injected_record()], cb(), path, profile="acled")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["claims", "spans", "reports", "codebook"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    claims = wb["claims"]
    header = [c.value for c in claims[1]]
    first = dict(zip(header, [c.value for c in claims[2]], strict=True))
    assert isinstance(first["event_date"], dt.datetime) and first["event_date"].date() == dt.date(
        2023, 12, 7
    )  # the week's midpoint
    assert claims.cell(2, header.index("event_date") + 1).is_date
    assert first["fatalities"] == 0 and isinstance(first["time_precision"], int)
    assert isinstance(first["latitude"], float)
    spans = wb["spans"]
    sh = [c.value for c in spans[1]]
    inj = [r for r in spans.iter_rows(min_row=2) if r[sh.index("report_id")].value == "r-inj"]
    cells = [r[sh.index("canonical_name")] for r in inj]
    assert [c.value for c in cells] == INJECTIONS
    assert {c.data_type for c in cells} == {"s"}
    counts = [r for r in spans.iter_rows(min_row=2) if r[sh.index("count_best")].value is not None]
    assert all(isinstance(r[sh.index("count_best")].value, int) for r in counts)
    reports = wb["reports"]
    rh = [c.value for c in reports[1]]
    r_inj = next(
        r for r in reports.iter_rows(min_row=2) if r[rh.index("report_id")].value == "r-inj"
    )
    assert r_inj[rh.index("title")].data_type == "s" and r_inj[rh.index("title")].value == "=1+1"


def test_xlsx_raw_writes_formulas_as_given(tmp_path: Path) -> None:
    path = tmp_path / "raw.xlsx"
    write_xlsx([injected_record()], cb(), path, raw=True)
    ws = openpyxl.load_workbook(path)["spans"]
    sh = [c.value for c in ws[1]]
    cells = {
        r[sh.index("canonical_name")].value: r[sh.index("canonical_name")].data_type
        for r in ws.iter_rows(min_row=2)
    }
    assert cells['=HYPERLINK("http://example.invalid","x")'] == "f"  # raw: a live formula, as asked
    assert cells["+1"] == "s"  # openpyxl only makes formulas of "=" cells


def _stream(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        rec = make_record()
        rec["report"]["id"] = f"r-{i}"
        yield rec


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cancel_leaves_nothing(tmp_path: Path, kind: str) -> None:
    seen: list[int] = []

    def progress(done: int) -> bool:
        seen.append(done)
        return done < 3

    target = tmp_path / ("out.xlsx" if kind == "xlsx" else "out")
    with pytest.raises(Cancelled):
        if kind == "xlsx":
            write_xlsx(_stream(10), cb(), target, progress=progress)
        else:
            write_csv(_stream(10), cb(), target, progress=progress)
    assert seen == [1, 2, 3]
    if kind == "xlsx":
        assert list(tmp_path.iterdir()) == []
    else:
        assert not target.exists() or list(target.iterdir()) == []


def test_cancel_keeps_an_earlier_export(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_xlsx(_stream(2), cb(), target)
    before = target.read_bytes()
    with pytest.raises(Cancelled):
        write_xlsx(_stream(5), cb(), target, progress=lambda done: done < 2)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        write_csv([make_record()], cb(), tmp_path / "x", profile="muc4")
