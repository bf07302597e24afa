"""Backups, restores and safe copies, including a database a crash left with its WAL unmerged."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import backup
from annotator.core.commands import AddSpan
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen attacked Tessit on Monday, killing 12 soldiers. " * 60

CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    from sqlalchemy import event
    from annotator.core.commands import AddSpan
    from annotator.core.project import Project

    project = Project.open(sys.argv[1])

    @event.listens_for(project._engine, "connect")
    def _no_checkpoint(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")

    project._engine.dispose()  # reconnect with the listener
    coder = project.coder_id("amina", create=True)
    report = project.reports()[0].id
    for i in range(50):
        project.run(AddSpan(report, coder, "actor", i * 55, i * 55 + 6))
    os._exit(0)  # like a crash: no close, no checkpoint
    """
)


def _spans(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM span").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """A project whose 50 spans are only in the -wal file, as a killed window leaves it."""
    db = tmp_path / "project.db"
    p = Project.open(db)
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    p.close()
    done = subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert Path(str(db) + "-wal").stat().st_size > 0
    return db


def test_copying_the_main_file_alone_loses_the_wal_but_safe_copy_does_not(crashed: Path, tmp_path: Path) -> None:
    naive = tmp_path / "naive.db"
    shutil.copyfile(crashed, naive)  # what "give coders their own copy" invites
    assert _spans(naive) < 50  # the demonstration the issue reported (0 of 50)
    dest = backup.safe_copy(crashed, tmp_path / "for-lukas.db")
    assert _spans(dest) == 50
    assert not Path(str(dest) + "-wal").exists()
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    # the copy opens as a project of its own
    copy = Project.open(dest, create=False)
    assert len(copy.reports()) == 1
    copy.close()


def test_backups_rotate_and_hold_everything_committed(crashed: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    made = [backup.make_backup(crashed, reason=f"r{i}", keep=3, root=root) for i in range(5)]
    kept = backup.list_backups(crashed, root=root)
    assert [b.path for b in kept] == [m.path for m in reversed(made[2:])]
    assert all(_spans(b.path) == 50 for b in kept)
    assert kept[0].reason == "r4"
    assert kept[0].path.parent == backup.backup_folder(crashed, root)


def test_restore_brings_the_old_state_back_and_can_itself_be_undone(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    p = Project.open(db)
    p.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    coder, report = p.coder_id("amina", create=True), p.reports()[0].id
    p.run(AddSpan(report, coder, "actor", 0, 6))
    root = tmp_path / "b"
    first = backup.make_backup(db, keep=5, root=root)
    for i in range(1, 4):
        p.run(AddSpan(report, coder, "actor", i * 55, i * 55 + 6))
    assert _spans(db) == 4
    saved = backup.restore_backup(db, first.path, keep=5, root=root)
    # the open project sees the restored state too (written through SQLite, not by file copy)
    assert len(p.spans(report, coder)) == 1
    p.close()
    assert _spans(db) == 1
    assert saved is not None and _spans(saved.path) == 4
    backup.restore_backup(db, saved.path, keep=5, root=root)
    assert _spans(db) == 4


def test_bad_backups_are_refused_and_change_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Project.open(db).close()
    before = db.read_bytes()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    for bad, why in ((empty, "empty"), (junk, "not a usable"), (other, "not an Annotator"),
                     (tmp_path / "missing.db", "no such file")):
        with pytest.raises(backup.BackupError, match=why):
            backup.restore_backup(db, bad, root=tmp_path / "b")
    assert db.read_bytes() == before


def test_postgresql_projects_point_at_pg_dump() -> None:
    with pytest.raises(backup.BackupError, match="pg_dump"):
        backup.make_backup("postgresql://host/annotator")


def test_safe_copy_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Project.open(db).close()
    (tmp_path / "taken.db").write_text("mine")
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.safe_copy(db, tmp_path / "taken.db")
    assert (tmp_path / "taken.db").read_text() == "mine"
    with pytest.raises(backup.BackupError, match="is the project itself"):
        backup.safe_copy(db, db, overwrite=True)


def test_cli_backup_list_restore_copy(crashed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(crashed)]
    assert main([*db, "backup", "--keep", "2"]) == 0
    assert main([*db, "backup", "--list"]) == 0
    out = capsys.readouterr().out
    assert "1 backup(s)" in out and "manual" in out
    assert main([*db, "copy", str(tmp_path / "c.db")]) == 0
    assert _spans(tmp_path / "c.db") == 50
    con = sqlite3.connect(crashed)
    con.execute("DELETE FROM span")
    con.commit()
    con.close()
    assert main([*db, "restore"]) == 0  # the newest backup
    assert _spans(crashed) == 50
    assert main(["--db", str(tmp_path / "none.db"), "restore"]) == 1
    assert "no backups" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "none.db"), "backup"]) == 1
    assert not (tmp_path / "none.db").exists()
