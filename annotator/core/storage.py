"""Storage faults as one exception with a message a person can act on.

The database can refuse a write for reasons that have nothing to do with what was asked: another
program holds the lock past the busy timeout, the file or its folder is read-only, the disk is
full, the file is damaged. :func:`storage_errors` turns the driver's exceptions (sqlite3's and
SQLAlchemy's, and OSError) into :class:`StorageError`, whose ``kind`` says which fault it is and
whose message is one line naming the project and what to do. The command line prints it; the
window shows it without losing what is on screen (the action can be tried again: nothing of a
failed transaction was stored).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

__all__ = ["DAMAGED", "DISK_FULL", "IO_ERROR", "LOCKED", "READ_ONLY", "UNREACHABLE",
           "StorageError", "classify", "storage_errors"]

LOCKED = "locked"
READ_ONLY = "read_only"
DISK_FULL = "disk_full"
DAMAGED = "damaged"
UNREACHABLE = "unreachable"
IO_ERROR = "io_error"

_ADVICE = {
    LOCKED: "another program is writing to the project and did not finish within the busy "
            "timeout; nothing of this action was stored: try again in a moment",
    READ_ONLY: "the project file (or its folder) is read-only; nothing of this action was "
               "stored: make it writable, or work on a copy",
    DISK_FULL: "the disk is full; nothing of this action was stored: free some space and try "
               "again",
    DAMAGED: "the project file is damaged; nothing was changed: restore a backup "
             "(annotator restore) or run annotator check for details",
    UNREACHABLE: "the project database cannot be reached; nothing of this action was stored",
    IO_ERROR: "reading or writing the project file failed (a disk or file-system error); "
              "nothing of this action was stored: check the disk, and that the file, its folder "
              "and the -wal and -shm files beside it are writable",
}


class StorageError(Exception):
    """The database refused a read or write for a reason outside the action itself.

    ``kind`` is one of LOCKED, READ_ONLY, DISK_FULL, DAMAGED, UNREACHABLE, IO_ERROR; ``retry`` says
    whether trying the same action again later can succeed without the user doing anything.
    """

    def __init__(self, kind: str, location: str, detail: str = "") -> None:
        self.kind, self.location, self.detail = kind, location, detail
        self.retry = kind == LOCKED
        super().__init__(f"{location}: {_ADVICE[kind]}" + (f" ({detail})" if detail else ""))


def classify(exc: BaseException) -> str | None:
    """The storage fault behind ``exc``, or None when it is no storage fault."""
    orig: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        orig = exc.orig
    if isinstance(orig, OSError) and not isinstance(orig, ConnectionError):
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return READ_ONLY
        return None
    text = str(orig).lower()
    if "database is locked" in text or "database table is locked" in text:
        return LOCKED
    if "readonly database" in text or "read-only" in text or "read only" in text:
        return READ_ONLY
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return DISK_FULL
    if "malformed" in text or "not a database" in text:
        return DAMAGED
    if "disk i/o error" in text:
        return IO_ERROR
    if "unable to open database file" in text:
        # on a write: the folder does not let SQLite create its journal (-wal, -shm)
        return READ_ONLY
    if "could not connect" in text or "connection refused" in text or "server closed" in text:
        return UNREACHABLE
    return None


@contextmanager
def storage_errors(location: str) -> Iterator[None]:
    """Raise StorageError instead of a driver exception that is a storage fault."""
    try:
        yield
    except StorageError:
        raise
    except (DBAPIError, OSError) as exc:
        kind = classify(exc)
        if kind is None:
            raise
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        raise StorageError(kind, location, str(orig)) from exc


def folder_message(url: str) -> str | None:
    """For a SQLite project in a folder SQLite cannot write to (it needs to create the -wal
    and -shm files beside the database): the message that says so; else None."""
    import os
    from pathlib import Path

    if not url.startswith("sqlite:///"):
        return None
    path = Path(url[len("sqlite:///") :])
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return (
            f"{path}: the folder {folder} is read-only, and SQLite needs to create the files "
            f"{path.name}-wal and {path.name}-shm beside the project: make the folder writable, "
            "or copy the project to a folder you can write to"
        )
    if path.exists() and not os.access(path, os.W_OK):
        return (
            f"{path}: the project file is read-only: make it writable (chmod u+w), or copy it "
            "to work on the copy"
        )
    return None
