"""Backups and safe copies of SQLite projects, made with SQLite's online backup API.

Why not ``cp project.db``: in WAL mode the latest commits live in ``project.db-wal`` until a
checkpoint; a copy of the main file alone can miss all of them (after a crash it held 0 of 50
spans). The backup API reads the database as SQLite sees it (main file plus WAL, one consistent
snapshot, while others keep writing), and every file written here is a single self-contained file
in rollback-journal mode, so nothing can be left behind in a side file.

Rotating backups live in the user data folder, one folder per project
(``~/.local/share/annotator/backups/<name>-<hash of its path>/``), newest ``keep`` kept.
PostgreSQL projects are backed up with ``pg_dump`` (see docs/backups.md); these functions refuse
them with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.db import database_url

__all__ = [
    "DEFAULT_EVERY_MINUTES",
    "DEFAULT_KEEP",
    "BackupError",
    "BackupInfo",
    "backup_folder",
    "list_backups",
    "make_backup",
    "restore_backup",
    "safe_copy",
    "sqlite_path",
]

DEFAULT_KEEP = 10
DEFAULT_EVERY_MINUTES = 15
_SUFFIX = ".backup.db"
PG_DUMP_HINT = (
    "PostgreSQL projects are backed up on the server: pg_dump -Fc -f project.dump DBNAME "
    "(restore with pg_restore --clean -d DBNAME project.dump)"
)


class BackupError(Exception):
    """A backup, copy or restore that could not be done; the message names the file and why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: dt.datetime  # UTC, from the file name
    size: int  # bytes
    reason: str  # "open", "timer", "manual", "before-upgrade", "before-restore", ...


def sqlite_path(location: str | os.PathLike[str]) -> Path:
    """The database file of a SQLite project; BackupError (with the pg_dump hint) otherwise."""
    url = database_url(location)
    if not url.startswith("sqlite:///"):
        raise BackupError(f"{location}: not a SQLite project. {PG_DUMP_HINT}")
    return Path(url[len("sqlite:///") :])


def backup_folder(location: str | os.PathLike[str], root: Path | None = None) -> Path:
    """Where the backups of one project live (in the user data folder unless ``root``)."""
    path = sqlite_path(location)
    if root is None:
        from platformdirs import user_data_dir

        root = Path(user_data_dir("annotator", appauthor=False)) / "backups"
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:10]
    return root / f"{path.stem}-{digest}"


def _copy_into(source: Path, dest: Path) -> None:
    """Copy the database ``source`` (with whatever its WAL holds) into the file ``dest``."""
    try:
        # a read-write open (read-only when the file is) so that a WAL left by a crash is read
        src = sqlite3.connect(source, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: cannot be read ({exc})") from exc
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
            # one self-contained file: no -wal beside the copy, whatever mode the source used
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.commit()
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: the copy to {dest} failed ({exc})") from exc
    finally:
        src.close()


def _check_project_file(path: Path) -> None:
    """Refuse a file that is not a readable, intact Annotator project."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise BackupError(f"{path}: the file is empty")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()
            has_meta = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: not a usable project database ({exc})") from exc
    if not ok or ok[0] != "ok":
        raise BackupError(f"{path}: the database is damaged ({ok[0] if ok else 'no answer'})")
    if not has_meta:
        raise BackupError(f"{path}: not an Annotator project (no meta table)")


def safe_copy(location: str | os.PathLike[str], dest: Path, *, overwrite: bool = False) -> Path:
    """Write a complete single-file copy of the project to ``dest`` (for a coder, a USB stick).

    Everything committed is in the copy, also what still sits in the WAL. The copy is written
    beside ``dest`` and renamed into place, so an interrupted copy leaves no partial file.
    """
    source = sqlite_path(location)
    if not source.is_file():
        raise BackupError(f"{source}: no such project database")
    dest = Path(dest)
    if dest.resolve() == source.resolve():
        raise BackupError(f"{dest}: is the project itself")
    if dest.exists() and not overwrite:
        raise BackupError(f"{dest}: already exists (choose another name)")
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(f"{dest}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        _copy_into(source, Path(tmp))
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def list_backups(location: str | os.PathLike[str], root: Path | None = None) -> list[BackupInfo]:
    """The project's backups, newest first."""
    folder = backup_folder(location, root)
    out = []
    for p in folder.glob(f"*{_SUFFIX}"):
        stamp, _, reason = p.name[: -len(_SUFFIX)].partition("-")
        try:
            made = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            continue  # not one of ours
        out.append(BackupInfo(p, made, p.stat().st_size, reason or "manual"))
    out.sort(key=lambda b: b.made_at, reverse=True)
    return out


def make_backup(
    location: str | os.PathLike[str],
    *,
    reason: str = "manual",
    keep: int = DEFAULT_KEEP,
    root: Path | None = None,
) -> BackupInfo:
    """Back the project up into its backup folder and delete all but the newest ``keep``."""
    if keep < 1:
        raise BackupError(f"the number of backups to keep must be at least 1, not {keep}")
    folder = backup_folder(location, root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"{folder}: cannot make the backup folder ({exc.strerror})") from exc
    now = dt.datetime.now(dt.timezone.utc)
    name = f"{now:%Y%m%dT%H%M%S%f}Z-{_safe_reason(reason)}{_SUFFIX}"
    dest = safe_copy(location, folder / name)
    for old in list_backups(location, root)[keep:]:
        old.path.unlink(missing_ok=True)
    return BackupInfo(dest, now, dest.stat().st_size, reason)


def _safe_reason(reason: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in reason)[:30] or "manual"


def newest_backup(location: str | os.PathLike[str], root: Path | None = None) -> BackupInfo | None:
    found = list_backups(location, root)
    return found[0] if found else None


def restore_backup(
    location: str | os.PathLike[str],
    backup: Path,
    *,
    keep: int = DEFAULT_KEEP,
    root: Path | None = None,
) -> BackupInfo | None:
    """Put the contents of ``backup`` back into the project (which then equals the backup).

    The current state is backed up first (returned, reason ``before-restore``), so a restore can
    itself be undone. The backup is checked before anything is touched; the project is written
    through SQLite (not by copying files), so a stale WAL can never be replayed over it.
    """
    target = sqlite_path(location)
    backup = Path(backup)
    _check_project_file(backup)
    saved = None
    if target.exists() and target.stat().st_size > 0:
        saved = make_backup(location, reason="before-restore", keep=max(keep, 2), root=root)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=10)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(
            f"{target}: the restore from {backup} failed ({exc}); the project is unchanged"
            + (f", and a copy of it is in {saved.path}" if saved else "")
        ) from exc
    return saved


def describe(backups: Sequence[BackupInfo]) -> list[str]:
    """One line per backup for the command line and the window."""
    return [
        f"{b.made_at:%Y-%m-%d %H:%M:%S} UTC  {b.size / 1024:>9.0f} KiB  {b.reason:<15} {b.path}"
        for b in backups
    ]
