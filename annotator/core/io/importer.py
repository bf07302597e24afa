"""Import reports from paths: files and folders (recursively) in any format of io/registry.py.

Every file is all-or-nothing: a bad file is reported with its place and reason, nothing of it is
stored, and the other files still are; a reader that fails in an unforeseen way is one line too,
and the run goes on. Text files are inserted in batches (one transaction per batch) because
per-file transactions would dominate the time of a 10,000-file import; a file of records is
checked whole first, then stored in short transactions, so that no import holds the write lock
for long. Each file's result is said only after its transaction committed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from annotator.core.codebook import Codebook
from annotator.core.io import limits as _limits
from annotator.core.io import textrules
from annotator.core.io.interchange import ParsedRecord, Precheck, parse_data, store_record
from annotator.core.io.limits import Limits
from annotator.core.io.registry import Importer, importer_for, importers
from annotator.core.io.textfile import ImportProblem, TextDocument, text_sha256
from annotator.core.models import report_t, utcnow
from annotator.core.storage import StorageError, classify, storage_errors

__all__ = ["FileResult", "ImportSummary", "import_paths"]

_BATCH = 1000  # text reports per transaction (about 5 MB of text at ~5 KB each)
_BATCH_CHARS = 20_000_000  # and at most this much text in one transaction
_RECORD_BATCH = 200  # records (JSONL lines, table rows) per transaction: short write locks
_KEEP_CHARS = 50_000_000  # report text kept in memory between the two passes over a file


@dataclass
class FileResult:
    path: str
    ok: bool
    message: str  # one line for the user: what was stored, or the place and the reason
    added: int = 0  # reports added
    existing: int = 0  # reports already in the project
    annotations: int = 0  # coder annotation sets added
    line: int | None = None  # for a failed file: the line (or row) at fault, if known


@dataclass
class ImportSummary:
    files: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok]

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def existing(self) -> int:
        return sum(f.existing for f in self.files)

    @property
    def annotations(self) -> int:
        return sum(f.annotations for f in self.files)

    def line(self) -> str:
        return (
            f"{len(self.files)} file(s): {self.added} report(s) added, {self.existing} already "
            f"present, {self.annotations} coder annotation set(s) added, "
            f"{len(self.failed)} file(s) failed"
        )


def _expand(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """(file, named explicitly) for every path; directories recursively, sorted, hidden skipped."""
    for path in paths:
        if path.is_dir():
            wanted = {e for i in importers() if i.in_folders and i.kind != "folder" for e in i.extensions}
            found: list[tuple[str, Path]] = []
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if not name.startswith(".") and os.path.splitext(name)[1].lower() in wanted:
                        full = os.path.join(folder, name)
                        found.append((full, Path(full)))
            found.sort()
            for _, p in found:
                yield p, False
        else:
            yield path, True


_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def _base_id(path: Path) -> str:
    return _SLUG.sub("-", path.stem).strip("-") or "report"


class _TextBatch:
    """Text documents waiting to be inserted together (one transaction per batch)."""

    def __init__(self) -> None:
        self.items: list[tuple[Path, TextDocument, str]] = []
        self.chars = 0

    def add(self, path: Path, doc: TextDocument) -> None:
        self.items.append((path, doc, text_sha256(doc.text)))
        self.chars += len(doc.text)

    def full(self) -> bool:
        return len(self.items) >= _BATCH or self.chars >= _BATCH_CHARS

    def flush(self, conn: Connection) -> list[FileResult]:
        """Insert the batch inside the caller's transaction; the results to say once the caller
        has committed."""
        if not self.items:
            return []
        hashes = [sha for _, _, sha in self.items]
        known = dict(
            conn.execute(
                select(report_t.c.sha256, report_t.c.external_id).where(
                    report_t.c.sha256.in_(hashes)
                )
            ).all()
        )
        wanted = [_base_id(p) for p, _, _ in self.items]
        taken = set(
            conn.execute(
                select(report_t.c.external_id).where(report_t.c.external_id.in_(wanted))
            ).scalars()
        )
        rows, results = [], []
        now = utcnow()
        for path, doc, sha in self.items:
            if sha in known:
                results.append(
                    FileResult(
                        str(path), True, f"already in the project as {known[sha]}", existing=1
                    )
                )
                continue
            ext_id = _free_id(conn, _base_id(path), taken)
            taken.add(ext_id)
            known[sha] = ext_id  # the same text twice in one batch
            rows.append(
                {
                    "external_id": ext_id,
                    "title": doc.title,
                    "published": doc.published,
                    "text": doc.text,
                    "sha256": sha,
                    "imported_at": now,
                    "meta": {**doc.meta, "file": textrules.scrub(path.name, textrules.LINE),
                             "encoding": doc.encoding},
                }
            )
            results.append(FileResult(str(path), True, f"added as {ext_id}: {doc.title}", added=1))
        self.items.clear()
        self.chars = 0
        if rows:
            conn.execute(report_t.insert(), rows)
        return results


def _free_id(conn: Connection, base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken or (
        n > 1
        and conn.execute(select(report_t.c.id).where(report_t.c.external_id == candidate)).first()
        is not None
    ):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _import_folder(
    engine: Engine, fmt: Importer, path: Path, codebook: Codebook, codebook_id: int,
    trusted: bool,
) -> Iterator[FileResult]:
    """One result per text: each text with all its annotators is stored whole or not at all
    (one short transaction per text); the result is given after the commit."""
    coder_cache: dict[str, int] = {}
    for name, line, item in fmt.read(path, codebook):
        where = path / name
        if isinstance(item, str):
            yield FileResult(str(name), False, f"error: {name}{f':{line}' if line else ''}: {item}; "
                             "nothing of this text was stored", line=line)
            continue
        for ann in item["annotations"]:
            ann["codebook"] = codebook.ref
        try:
            rec = parse_data(item, codebook, shape_known=True)
            with engine.begin() as conn:
                res = store_record(conn, rec, codebook_id, coder_cache, trusted=trusted)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # the last three: a broken sidecar
            yield FileResult(str(where), False, f"error: {where}: {exc}; nothing of this text was stored")
            continue
        yield FileResult(str(where), True,
                         f"{'added' if res.report_added else 'already present'}, "
                         f"{len(res.coders_added)} annotator(s): {', '.join(res.coders_added) or '-'}",
                         int(res.report_added), int(not res.report_added), len(res.coders_added))


def _records(
    fmt: Importer, path: Path, codebook: Codebook, options: Mapping[str, Any] | None
) -> Iterator[tuple[int | None, ParsedRecord]]:
    wanted = {k: v for k, v in (options or {}).items() if k in fmt.options}
    for number, item in fmt.read(path, codebook, **wanted):
        try:
            yield number, item if isinstance(item, ParsedRecord) else parse_data(item, codebook)
        except ValueError as exc:
            raise ImportProblem(path, str(exc), number) from exc


def _import_records(
    engine: Engine, fmt: Importer, path: Path, codebook: Codebook, codebook_id: int,
    options: Mapping[str, Any] | None, trusted: bool, report: Callable[[FileResult], None],
) -> FileResult:
    """A file of records (interchange lines, table rows, another tool's format): all or nothing.

    Two passes, so that a long file never holds the write lock for long (other coders and the
    window keep working): first every record is read and checked against the project (schema,
    offsets, codebook, clashes with what is stored) without writing; then the records are stored
    in transactions of _RECORD_BATCH. Bad input is found by the first pass, so nothing of a bad
    file is stored. Only a fault (disk full, a kill) or another writer's change between the
    passes can stop the second pass part way; the result then says how many reports of the file
    were stored, and importing the file again finishes it (what is stored is recognized).
    """
    kept: list[tuple[int | None, ParsedRecord]] | None = []
    held = count = 0
    with engine.connect() as conn:
        check = Precheck(conn, trusted)
        try:
            for number, rec in _records(fmt, path, codebook, options):
                try:
                    check.record(rec)
                except ValueError as exc:
                    raise ImportProblem(path, str(exc), number) from exc
                count += 1
                if kept is not None:
                    kept.append((number, rec))
                    held += len(rec.report["text"])
                    if held > _KEEP_CHARS:
                        kept = None  # a large file: read it again for the second pass
        except ImportProblem as exc:
            return FileResult(
                str(path), False, f"error: {exc}; nothing of this file was stored", line=exc.line
            )
    if count == 0:
        return FileResult(str(path), False, f"error: {path}: no reports in the file")
    added = existing = annotations = unchanged = 0
    coder_cache: dict[str, int] = {}
    source = iter(kept) if kept is not None else _records(fmt, path, codebook, options)
    try:
        while True:
            chunk = list(islice(source, _RECORD_BATCH))
            if not chunk:
                break
            a = e = n = u = 0
            with engine.begin() as conn:
                for number, rec in chunk:
                    try:
                        res = store_record(conn, rec, codebook_id, coder_cache, trusted=trusted)
                    except ValueError as exc:
                        raise ImportProblem(path, str(exc), number) from exc
                    a += res.report_added
                    e += not res.report_added
                    n += len(res.coders_added)
                    u += len(res.coders_unchanged)
            # counted only once committed
            added, existing, annotations, unchanged = added + a, existing + e, annotations + n, unchanged + u
    except ImportProblem as exc:
        coder_cache.clear()
        if added + existing == 0:
            return FileResult(str(path), False, f"error: {exc}; nothing of this file was stored",
                              line=exc.line)
        return FileResult(
            str(path), False, f"error: {exc} (the file changed, or the project did, since it was "
            f"checked); its first {added + existing} report(s) were stored: import it again to "
            "finish (what is stored is recognized)", added, existing, annotations, exc.line)
    except BaseException:
        if added + existing:  # a fault or a kill part way: say truthfully what is stored
            report(FileResult(str(path), False, f"error: {path}: stopped after its first "
                              f"{added + existing} report(s) were stored; import it again to "
                              "finish (what is stored is recognized)", added, existing,
                              annotations))
        raise
    msg = f"{added} report(s) added, {existing} already present"
    if fmt.annotations:
        msg += f", {annotations} coder annotation set(s) added"
    if unchanged:
        msg += f", {unchanged} already there unchanged"
    return FileResult(str(path), True, msg, added, existing, annotations)


def _unexpected(path: Path, exc: BaseException) -> FileResult:
    """A reader failed in a way nobody foresaw: one line for the user, and the run goes on."""
    if isinstance(exc, MemoryError):
        reason = "too large to read in memory (lower limits: annotator import --help)"
    elif isinstance(exc, RecursionError):
        reason = "nested too deeply to read"
    else:
        reason = f"cannot be read (unexpected {type(exc).__name__}: {exc}; please report this)"
    reason = " ".join(reason.split())[:500]
    return FileResult(str(path), False, f"error: {path}: {reason}; nothing of this file was stored")


def _is_storage_fault(exc: BaseException) -> bool:
    return isinstance(exc, StorageError | DBAPIError) or (
        isinstance(exc, OSError) and classify(exc) == "disk_full"
    )


def import_paths(
    engine: Engine,
    paths: Iterable[Path],
    codebook: Codebook,
    codebook_id: int,
    on_file: Callable[[FileResult], None] | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    trusted: bool = True,
    limits: Limits | None = None,
    location: str = "the project",
) -> ImportSummary:
    """Import every file under ``paths``; ``on_file`` hears each file's result once it is
    committed (a result is never said before what it says is stored). ``options`` go to the
    readers that take them (``mapping``: a table's report field -> column, see tables.py).

    ``trusted`` (a reviewer's or the project lead's import) lets files declare reviewers and
    gold annotations; otherwise new coders are plain coders and gold is refused. ``limits``
    bound what one file may make the reader do (size, pages, rows). A bad file is refused and
    the run goes on; a storage fault (locked, read-only, disk full) ends the run with a
    StorageError after what was committed was reported."""
    summary = ImportSummary()

    def report(result: FileResult) -> None:
        summary.files.append(result)
        if on_file is not None:
            on_file(result)

    batch = _TextBatch()

    def flush() -> None:
        with engine.begin() as conn:
            results = batch.flush(conn)
        for result in results:  # after the commit
            report(result)

    def one(path: Path, explicit: bool) -> None:
        fmt = importer_for(path, explicit)
        if not path.exists():
            report(FileResult(str(path), False, f"error: {path}: no such file or directory"))
            return
        if fmt is None:
            return
        _limits.check_file_size(path)
        if fmt.kind == "records":
            flush()
            report(_import_records(engine, fmt, path, codebook, codebook_id, options, trusted,
                                   report))
            return
        doc = fmt.read(path)
        _limits.check_text(path, doc.text)
        try:
            textrules.check_document(doc.title, doc.text)  # the one rule at the door
        except textrules.TextRuleError as exc:
            raise ImportProblem(path, str(exc)) from exc
        batch.add(path, doc)
        if batch.full():
            flush()

    def guarded(path: Path, step: Callable[[], None]) -> None:
        try:
            step()
        except ImportProblem as exc:
            report(FileResult(str(path), False, f"error: {exc}; nothing of this file was stored",
                              line=exc.line))
        except OSError as exc:
            if _is_storage_fault(exc):
                raise
            report(FileResult(str(path), False, f"error: {exc.filename or path}: cannot read: "
                              f"{exc.strerror or exc}; nothing of this file was stored"))
        except Exception as exc:
            if _is_storage_fault(exc):
                raise
            report(_unexpected(path, exc))

    with _limits.using(limits), storage_errors(location):
        for path in paths:  # in the order given; a bad path never stops the others
            folder = importer_for(path) if path.is_dir() else None
            if folder is not None:
                flush()

                def brat(folder: Importer = folder, path: Path = path) -> None:
                    for result in _import_folder(engine, folder, path, codebook, codebook_id,
                                                 trusted):
                        report(result)

                guarded(path, brat)
                continue
            for file, explicit in _expand([path]):
                guarded(file, partial(one, file, explicit))
        flush()
    return summary
