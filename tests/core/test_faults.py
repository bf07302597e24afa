"""Faults survived: results said only after the commit, batches, a closed stdout, one bad file
never ending the run, resource limits, storage faults as one-line messages, corruption refused,
no half-made project left behind."""

from __future__ import annotations

import errno
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from annotator.cli import main
from annotator.core.db import DatabaseOpenError
from annotator.core.integrity import DamagedProject, full_check
from annotator.core.io import importer as importer_mod
from annotator.core.io.limits import DEFAULT
from annotator.core.project import Project
from annotator.core.storage import DISK_FULL, LOCKED, READ_ONLY, StorageError, classify
from tests.core.helpers import minimal_pdf, record, span, write_jsonl

TEXT = "Gunmen attacked the market in Gao on Sunday, killing 12 people.\n"


def _texts(folder: Path, n: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"r{i:03d}.txt"
        p.write_text(f"Report {i}\nGunmen attacked village {i} near Gao.\n", "utf-8")
        paths.append(p)
    return paths


def _committed(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("select count(*) from report").fetchone()[0])
    finally:
        con.close()


# ---------------------------------------------------------------- said only after the commit


def test_every_result_is_committed_before_it_is_said(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    project = Project.open(db)
    jsonl = write_jsonl(tmp_path / "a.jsonl", [record(f"j{i}", f"Text {i} about Gao.\n")
                                               for i in range(5)])
    seen: list[int] = []

    def heard(result: importer_mod.FileResult) -> None:
        seen.append(_committed(db))  # another connection: sees only what is committed
        assert _committed(db) >= sum(1 for _ in seen)

    summary = project.import_paths([*_texts(tmp_path / "t", 5), jsonl], on_file=heard)
    project.close()
    assert not summary.failed and summary.added == 10
    assert seen[:5] == [5] * 5 and seen[5] == 10  # the text batch, then the JSONL file


def test_a_long_file_is_stored_in_batches_and_a_fault_part_way_is_said_truthfully(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(tmp_path / "p.db")
    path = write_jsonl(tmp_path / "long.jsonl", [record(f"r{i}", f"Report {i} about Gao.\n")
                                                 for i in range(7)])
    monkeypatch.setattr(importer_mod, "_RECORD_BATCH", 3)
    real = importer_mod.store_record
    calls = 0

    def full_disk(*args: object, **kw: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(importer_mod, "store_record", full_disk)
    heard: list[importer_mod.FileResult] = []
    with pytest.raises(StorageError) as info:
        project.import_paths([path], on_file=heard.append)
    assert info.value.kind == DISK_FULL and "disk is full" in str(info.value)
    assert len(project.reports()) == 3  # the first batch, committed
    assert heard and heard[-1].added == 3 and "first 3 report(s)" in heard[-1].message
    monkeypatch.setattr(importer_mod, "store_record", real)
    again = project.import_paths([path])  # importing again finishes it
    assert not again.failed and again.added == 4 and again.existing == 3
    project.close()


def test_a_bad_record_late_in_a_file_stores_nothing_even_in_batches(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer_mod, "_RECORD_BATCH", 1)
    recs = [record(f"r{i}", f"Report {i} about Gao.\n") for i in range(4)]
    recs.append(record("r0", "Another text under a used id.\n"))  # clashes with line 1
    summary = project.import_paths([write_jsonl(tmp_path / "bad.jsonl", recs)])
    assert summary.failed and summary.files[0].line == 5
    assert project.reports() == []


def test_an_import_does_not_hold_the_write_lock_while_it_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a file is read and checked, another writer gets through without waiting."""
    from annotator.core.io.interchange import Precheck

    db = tmp_path / "p.db"
    project = Project.open(db)
    project.import_paths([write_jsonl(tmp_path / "first.jsonl", [record("r0", "Report 0.\n")])])
    path = write_jsonl(tmp_path / "a.jsonl", [record(f"r{i}", f"Report {i} about Gao.\n")
                                              for i in range(1, 4)])
    real = Precheck.record
    wrote: list[int] = []

    def probe(self: Precheck, rec: object) -> None:
        con = sqlite3.connect(db, timeout=0)  # no waiting: a held lock would raise at once
        con.execute("insert into meta(key, value) values (?, 'x')", (f"probe{len(wrote)}",))
        con.commit()
        con.close()
        wrote.append(1)
        real(self, rec)  # type: ignore[arg-type]

    monkeypatch.setattr(Precheck, "record", probe)
    summary = project.import_paths([path])
    project.close()
    assert not summary.failed, summary.files[0].message
    assert len(wrote) == 3 and _committed(db) == 4


# ---------------------------------------------------------------- one bad file, the run goes on


def test_a_truncated_workbook_between_two_texts_ends_nothing(project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    a, b = _texts(tmp_path / "t", 2)
    wb = Workbook()
    wb.active.append(["id", "text"])
    wb.active.append(["x", "Gunmen attacked Gao."])
    wb.save(tmp_path / "full.xlsx")
    data = (tmp_path / "full.xlsx").read_bytes()
    (tmp_path / "trunc.xlsx").write_bytes(data[: len(data) // 2])
    summary = project.import_paths([a, tmp_path / "trunc.xlsx", b])
    ok = [f.ok for f in summary.files]
    assert ok == [True, False, True] or sorted(ok) == [False, True, True]
    assert len(project.reports()) == 2
    bad = next(f for f in summary.files if not f.ok)
    assert "trunc.xlsx" in bad.message and "\n" not in bad.message


def test_a_reader_that_crashes_is_one_line_and_the_run_goes_on(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core.io import documents

    a, b = _texts(tmp_path / "t", 2)
    (tmp_path / "x.html").write_text("<p>Gunmen</p>", "utf-8")

    def boom(path: Path) -> object:
        raise TypeError("something nobody foresaw")

    monkeypatch.setattr(documents, "read_document", boom)
    summary = project.import_paths([a, tmp_path / "x.html", b])
    assert [f.ok for f in summary.files].count(True) == 2
    bad = next(f for f in summary.files if not f.ok)
    assert "TypeError" in bad.message and "x.html" in bad.message
    assert len(project.reports()) == 2


def test_a_bad_brat_folder_first_does_not_stop_the_texts(project: Project, tmp_path: Path) -> None:
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "doc.txt").write_text("Gunmen attacked Gao.\n", "utf-8")
    (brat / "doc.ann").write_bytes(b"T1\tactor\tGunmen\n\xff\xfe broken\n")
    a, b = _texts(tmp_path / "t", 2)
    summary = project.import_paths([brat, a, b])
    assert sum(f.ok for f in summary.files) >= 2
    assert {r.external_id for r in project.reports()} >= {"r000", "r001"}


# ---------------------------------------------------------------- resource limits


def test_limits_refuse_with_the_limit_and_the_option(project: Project, tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(minimal_pdf(["Attack in Kidal", "Gunmen killed 5 soldiers."]))
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text("id,text\n" + "".join(f"r{i},Gunmen {i}\n" for i in range(5)), "utf-8")
    big = tmp_path / "big.txt"
    big.write_text("Title\n" + "word " * 400 + "\n", "utf-8")
    limits = DEFAULT.with_(pages=0, rows=4, report_chars=1000)
    summary = project.import_paths([pdf, csv_path, big], limits=limits)
    messages = [f.message for f in summary.files]
    assert all(not f.ok for f in summary.files), messages
    assert "--max-pages" in messages[0] and "1 pages" in messages[0]
    assert "--max-rows" in messages[1]
    assert "--max-report-chars" in messages[2]
    assert project.reports() == []
    tiny = DEFAULT.with_(file_bytes=10)
    (f,) = project.import_paths([big], limits=tiny).files
    assert not f.ok and "--max-file-mb" in f.message


def test_a_zip_that_expands_too_far_is_refused_unread(project: Project, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:t>" + b"a" * 30_000_000 + b"</w:t>")
    (f,) = project.import_paths([bomb]).files
    assert not f.ok and "expansion ratio" in f.message and "--max-ratio" in f.message


def test_table_cells_a_csv_cell_over_128_kib_and_an_xlsx_time(project: Project, tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    long_text = "Gunmen attacked Gao. " * 10_000  # 210 kB in one cell
    (tmp_path / "long.csv").write_text(f'id,text\nlong,"{long_text}"\n', "utf-8")
    wb = Workbook()
    wb.active.append(["id", "text", "at", "took"])
    wb.active.append(["t1", "Gunmen attacked Tessit.", dt.time(12, 30), dt.timedelta(hours=2)])
    wb.save(tmp_path / "times.xlsx")
    summary = project.import_paths([tmp_path / "long.csv", tmp_path / "times.xlsx"])
    assert not summary.failed, [f.message for f in summary.files]
    rows = {r.external_id: r for r in project.reports()}
    assert len(project.report(rows["long"].id).text) == len(long_text.strip()) or \
        project.report(rows["long"].id).text.startswith("Gunmen")
    out = io.StringIO()
    project.export_jsonl(out)
    meta = [json.loads(line)["report"]["metadata"] for line in out.getvalue().splitlines()]
    assert {"at": "12:30:00", "took": "2:00:00"} in meta


# ---------------------------------------------------------------- storage faults


def test_storage_faults_are_classified() -> None:
    from sqlalchemy.exc import OperationalError

    def op(msg: str) -> OperationalError:
        return OperationalError("stmt", {}, sqlite3.OperationalError(msg))

    assert classify(op("database is locked")) == LOCKED
    assert classify(op("attempt to write a readonly database")) == READ_ONLY
    assert classify(op("database or disk is full")) == DISK_FULL
    assert classify(OSError(errno.ENOSPC, "No space left")) == DISK_FULL
    assert classify(op("no such table: x")) is None


def test_a_write_refused_by_the_database_is_a_storage_error_and_changes_nothing(
    project: Project, on_postgres: bool,
) -> None:
    from annotator.core.commands import SetStatus

    read_only = "SET default_transaction_read_only = on" if on_postgres else "PRAGMA query_only=ON"

    path_rec = record("r1", TEXT)
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        project.import_paths([write_jsonl(Path(d) / "a.jsonl", [path_rec])])
    rid = project.reports()[0].id
    cid = project.coder_id("amina", create=True)
    project._engine.dispose()
    from sqlalchemy import event

    @event.listens_for(project._engine, "connect")
    def _ro(dbapi_conn: object, _rec: object) -> None:
        cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
        cursor.execute(read_only)
        cursor.close()
        if on_postgres:
            dbapi_conn.commit()  # type: ignore[attr-defined]

    undo_before = project.undo_label
    with pytest.raises(StorageError) as info:
        project.run(SetStatus(rid, cid, "done"))
    assert info.value.kind == READ_ONLY and "read-only" in str(info.value)
    assert project.undo_label == undo_before


def test_the_cli_says_a_storage_fault_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    Project.open(db).close()
    con = sqlite3.connect(db)
    con.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        code = main(["--db", str(db), "coders", "--add", "rita"])
    finally:
        con.rollback()
        con.close()
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "another program is writing" in err


# ---------------------------------------------------------------- corruption


def _flip_text(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("update report set text = replace(text, 'Gao', 'Gab')")
    con.commit()
    con.close()


def test_a_text_that_does_not_match_its_checksum_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    p = Project.open(db)
    p.import_paths([write_jsonl(tmp_path / "a.jsonl", [record("r1", TEXT, [
        {"coder": "amina", "spans": [span("s1", "location", TEXT, "Gao")]}])])])
    p.close()
    _flip_text(db)
    with pytest.raises(DamagedProject, match="r1"):
        Project.open(db)
    assert main(["--db", str(db), "import", str(tmp_path / "a.jsonl")]) == 1
    assert "damaged" in capsys.readouterr().err
    assert main(["--db", str(db), "check"]) == 1
    out = capsys.readouterr().out
    assert "report r1" in out and "span" in out
    engine = create_engine(f"sqlite:///{db}")
    assert any("checksum" in str(p) for p in full_check(engine))
    engine.dispose()


def test_an_import_into_a_damaged_project_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    p = Project.open(db)
    p.import_paths([write_jsonl(tmp_path / "a.jsonl", [record(f"r{i}", f"Report {i} about Gao.\n")
                                                       for i in range(100)])])
    p.close()
    _flip_text(db)  # every text: any sample finds it
    con = sqlite3.connect(db)
    con.execute("update report set text = 'x' || text where external_id = 'r50'")
    con.commit()
    con.close()
    p = Project.open(db, verify=False)
    with pytest.raises(DamagedProject, match="r50|checksum"):
        p.import_paths([write_jsonl(tmp_path / "b.jsonl", [record("new", "A new report.\n")])])
    assert len(p.reports()) == 100
    p.close()


def test_check_says_ok_on_a_sound_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    Project.open(db, with_example=True).close()
    assert main(["--db", str(db), "check"]) == 0
    assert "ok (2 report(s) checked)" in capsys.readouterr().out


def test_an_empty_file_is_refused_not_recreated(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    db.write_bytes(b"")
    with pytest.raises(DatabaseOpenError, match="empty"):
        Project.open(db)
    assert db.stat().st_size == 0


def test_no_half_made_project_is_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core import project_open

    def fail(*args: object) -> int:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(project_open, "store_codebook", fail)
    with pytest.raises(OverflowError):
        Project.open(tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()


# ---------------------------------------------------------------- the command line's output


def test_a_closed_stdout_is_a_normal_end(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Project.open(db).close()  # only init makes a project
    folder = tmp_path / "t"
    _texts(folder, 40)
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator.cli", "--db", str(db), "import", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head -0`: closed before the first line (the child is still starting)
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 0
    assert _committed(db) == 40  # the import went on to the end
    assert "40 report(s) added" in err  # the summary, said where it can be read


def test_a_pipe_closed_after_the_first_line_ends_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Project.open(db).close()  # only init makes a project
    folder = tmp_path / "t"
    _texts(folder, 40)
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator.cli", "--db", str(db), "import", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # `| head -1` (the rest may or may not have been written already)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert b"added as" in first and "Traceback" not in err, err
    assert _committed(db) == 40


def test_formula_cells_in_agreement_csv_and_actor_lists(tmp_path: Path) -> None:
    import csv

    from annotator.core.io.textrules import formula_like
    from annotator.core.normalize.actors import ActorEntry, read_actors_csv, write_actors_csv

    db = tmp_path / "p.db"
    project = Project.open(db)
    spans = [span("s1", "actor", TEXT, "Gunmen")]
    project.import_paths([write_jsonl(tmp_path / "a.jsonl", [record(" =HYPERLINK(1)", TEXT, [
        {"coder": "=cmd", "status": "done", "spans": spans},
        {"coder": "\uff1dsum", "status": "done", "spans": []}])])])
    project.close()
    assert main(["--db", str(db), "agreement", "--csv", str(tmp_path / "ag")]) == 0
    cells = [c for p in (tmp_path / "ag").glob("*.csv")
             for row in csv.reader(p.open(encoding="utf-8-sig", newline="")) for c in row]
    assert any("HYPERLINK" in c or "cmd" in c for c in cells)
    def number(c: str) -> bool:
        try:
            float(c)
        except ValueError:
            return False
        return True

    assert not [c for c in cells if formula_like(c) and not number(c)]
    entries = [ActorEntry("=cmd|' /C calc'!A0", None, None, (" +1",))]
    write_actors_csv(tmp_path / "actors.csv", entries)
    raw = (tmp_path / "actors.csv").read_text("utf-8-sig")
    assert "'=cmd" in raw and "' +1" in raw
    assert read_actors_csv(tmp_path / "actors.csv") == entries  # the apostrophes come off again
