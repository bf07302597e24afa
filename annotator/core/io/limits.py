"""Resource limits for reading files: size, report length, pages, rows, zip expansion.

A hostile or broken file (a 1 GiB cell, 5 million rows, 200,000 PDF pages, a zip that expands
a thousandfold) is refused with a message naming the limit and how to raise it, instead of
running out of memory or time. The importers read the limits in force through :func:`current`;
``import_paths`` sets them for the run (``annotator import --max-... N``).
"""

from __future__ import annotations

import contextvars
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.core.io.textfile import ImportProblem

__all__ = ["DEFAULT", "Limits", "check_file_size", "check_length", "check_text", "check_zip",
           "current", "using"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one import (bytes, characters, pages, rows; ratio: uncompressed bytes
    per compressed byte of a zip-based file, .docx and .xlsx)."""

    file_bytes: int = 512 * _MB  # one input file on disk
    report_chars: int = 50_000_000  # one report's text (50 M characters: ~ 25,000 pages)
    pages: int = 10_000  # pages of one PDF
    rows: int = 200_000  # rows of one table (CSV, TSV, XLSX)
    cell_chars: int = 10_000_000  # one cell of a table
    unzipped_bytes: int = 2048 * _MB  # everything inside a .docx/.xlsx, uncompressed
    ratio: int = 200  # uncompressed / compressed size of a .docx/.xlsx

    def with_(self, **changes: int | None) -> Limits:
        """These limits with the given ones changed (None: left as they are)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT = Limits()
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("limits", default=DEFAULT)

# the command-line option that raises each limit, for the messages
OPTION = {
    "file_bytes": "--max-file-mb", "report_chars": "--max-report-chars", "pages": "--max-pages",
    "rows": "--max-rows", "cell_chars": "--max-cell-chars", "unzipped_bytes": "--max-unzipped-mb",
    "ratio": "--max-ratio",
}  # fmt: skip


def current() -> Limits:
    return _CURRENT.get()


@contextmanager
def using(limits: Limits | None) -> Iterator[Limits]:
    """Make ``limits`` (None: the defaults) the ones in force inside the block."""
    token = _CURRENT.set(limits or DEFAULT)
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def _over(path: Path, what: str, value: str, limit_name: str, limit: str) -> ImportProblem:
    return ImportProblem(
        path, f"{what} ({value}) is over the limit of {limit}; refused without reading it "
        f"(raise the limit with annotator import {OPTION[limit_name]} if the file is genuine)"
    )


def check_file_size(path: Path) -> None:
    """Refuse a file larger than the limit, before reading any of it."""
    limit = current().file_bytes
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader says why it cannot read it
    if size > limit:
        raise _over(path, "the file", f"{size / _MB:,.0f} MB", "file_bytes",
                    f"{limit / _MB:,.0f} MB")


def check_length(path: Path, chars: int, what: str = "the report text") -> None:
    """Refuse a report text of ``chars`` characters (code points) over the limit."""
    limit = current().report_chars
    if chars > limit:
        raise _over(path, what, f"{chars:,} characters", "report_chars", f"{limit:,}")


def check_text(path: Path, text: str, what: str = "the report text") -> None:
    check_length(path, len(text), what)


def check_zip(path: Path) -> None:
    """Refuse a .docx/.xlsx that is no zip, or whose contents are too large or expand too much
    (a zip bomb), from the zip's directory alone."""
    lim = current()
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportProblem(path, f"not a readable {path.suffix} file (a damaged or truncated "
                            f"zip: {exc})") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > lim.unzipped_bytes:
        raise _over(path, "its uncompressed contents", f"{total / _MB:,.0f} MB", "unzipped_bytes",
                    f"{lim.unzipped_bytes / _MB:,.0f} MB")
    if total > 10 * _MB and total / packed > lim.ratio:
        raise _over(path, "its expansion ratio", f"{total / packed:,.0f} to 1", "ratio",
                    f"{lim.ratio} to 1")
