"""Write an output file so that a failure or a cancel never leaves a half-written file behind.

A temporary file beside the target (``.NAME.PID.RANDOM.part``) becomes the target only when the
writing succeeded. An interrupt or a SIGTERM removes it on the way out; a process killed outright
(SIGKILL, a power cut) cannot, so the next write to the same target removes the parts of
processes that are no longer running. The finished file gets the permissions of any new file
(0666 less the umask), not the 0600 of a temporary file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

__all__ = ["as_new_file", "atomic_binary_file", "atomic_folder", "atomic_text_file", "part_file",
           "private_tempdir", "publish"]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or cannot tell: leave its files alone
    return True


def _sweep(folder: Path, name: str) -> None:
    """Remove the leftovers (parts, temporary folders) of dead processes writing ``name``."""
    prefix = f".{name}."
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        rest = entry.name[len(prefix) :]
        pid_text, _, tail = rest.partition(".")
        if not pid_text.isdigit() or not (tail.endswith(".part") or tail.endswith("tmp")):
            continue
        if _alive(int(pid_text)):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def part_file(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file in ``folder`` for writing ``name`` (fd, path), after removing the
    leftovers of dead processes that wrote ``name``."""
    _sweep(folder, name)
    return tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".part", dir=folder)


@contextmanager
def private_tempdir(folder: Path, name: str) -> Iterator[Path]:
    """A temporary folder beside the target for a library's own temporary files (openpyxl's),
    made the process's temporary directory inside the block and removed afterwards."""
    _sweep(folder, name)
    path = Path(tempfile.mkdtemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=folder))
    saved = tempfile.tempdir
    tempfile.tempdir = str(path)
    try:
        yield path
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(path, ignore_errors=True)


def as_new_file(path: str | os.PathLike[str], *, directory: bool = False) -> None:
    """Give a file from mkstemp (mode 0600) or a folder from mkdtemp (0700) the permissions an
    ordinary new file or folder gets under the umask: exports in a shared folder stay readable
    by colleagues when the umask allows it."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(path, (0o777 if directory else 0o666) & ~umask)
    except OSError:
        pass  # a file system without permissions (FAT): nothing to honour


def publish(tmp: str | Path, path: Path) -> None:
    """Give the finished temporary file a new file's permissions and move it into place."""
    as_new_file(tmp)
    os.replace(tmp, path)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Yield a text file beside ``path``; it replaces ``path`` only when the block succeeds."""
    with _part_of(Path(path)) as fd, os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        yield fh


@contextmanager
def atomic_binary_file(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file beside ``path`` (a zip, a DocBin); it replaces ``path`` only when the
    block succeeds."""
    with _part_of(Path(path)) as fd, os.fdopen(fd, "wb") as fh:
        yield fh


@contextmanager
def _part_of(path: Path) -> Iterator[int]:
    """A part file's descriptor; the part becomes ``path`` when the block (which closes the
    descriptor) succeeds, and is removed when it fails."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"{path}: the folder {folder} does not exist")
    fd, tmp = part_file(folder, path.name)
    try:
        yield fd
        publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(out_dir: Path, what: str, *, make_parent: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``out_dir`` (which must be new or empty) to write a
    collection into (``what``: "the brat collection"); it takes the name ``out_dir`` when the
    block succeeds and is removed when it fails, so a cancel leaves nothing half-written.
    ``make_parent`` creates the folder ``out_dir`` goes in; otherwise it must exist."""
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FileExistsError(f"{out_dir}: choose a new or empty folder for {what}")
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    if make_parent:
        parent.mkdir(parents=True, exist_ok=True)
    elif not parent.is_dir():
        raise FileNotFoundError(f"{out_dir}: the folder {parent} does not exist")
    _sweep(parent, out_dir.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{os.getpid()}.", suffix=".part",
                                dir=parent))
    as_new_file(tmp, directory=True)
    try:
        yield tmp
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
