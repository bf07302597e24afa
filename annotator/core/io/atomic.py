"""Write an output file so that a failure or a cancel never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

__all__ = ["atomic_text_file", "as_new_file"]


def as_new_file(path: str | os.PathLike[str], *, directory: bool = False) -> None:
    """Give a file from mkstemp (mode 0600) or a folder from mkdtemp (0700) the permissions an
    ordinary new file or folder gets under the umask: exports in a shared folder stay readable
    by colleagues when the umask allows it."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if directory else 0o666) & ~umask)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Yield a text file beside ``path``; it replaces ``path`` only when the block succeeds."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"{path}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    as_new_file(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
