"""Import reports from paths: files and folders (recursively) in any format of io/registry.py.

Every file is all-or-nothing: a bad file is reported with its place and reason, nothing of it is
stored, and the other files still are. Text files are inserted in batches (one transaction per
batch) because per-file transactions would dominate the time of a 10,000-file import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook
from annotator.core.io import textrules
from annotator.core.io.interchange import ParsedRecord, parse_data, store_record
from annotator.core.io.registry import Importer, importer_for, importers
from annotator.core.io.textfile import ImportProblem, TextDocument, text_sha256
from annotator.core.models import report_t, utcnow

__all__ = ["FileResult", "ImportSummary", "import_paths"]

_BATCH = 1000  # text reports per transaction (about 5 MB of text at ~5 KB each)


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
    """Text documents waiting to be inserted together."""

    def __init__(self) -> None:
        self.items: list[tuple[Path, TextDocument, str]] = []

    def flush(self, conn: Connection, report: Callable[[FileResult], None]) -> None:
        if not self.items:
            return
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
                    "meta": {"file": textrules.scrub(path.name, textrules.LINE),
                             "encoding": doc.encoding},
                }
            )
            results.append(FileResult(str(path), True, f"added as {ext_id}: {doc.title}", added=1))
        if rows:
            conn.execute(report_t.insert(), rows)
        for r in results:
            report(r)
        self.items.clear()


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
    """One result per text: each text with all its annotators is stored whole or not at all."""
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
            rec = parse_data(item, codebook)
            with engine.begin() as conn:
                res = store_record(conn, rec, codebook_id, coder_cache, trusted=trusted)
        except ValueError as exc:
            yield FileResult(str(where), False, f"error: {where}: {exc}; nothing of this text was stored")
            continue
        yield FileResult(str(where), True,
                         f"{'added' if res.report_added else 'already present'}, "
                         f"{len(res.coders_added)} annotator(s): {', '.join(res.coders_added) or '-'}",
                         int(res.report_added), int(not res.report_added), len(res.coders_added))


def _import_records(
    engine: Engine, fmt: Importer, path: Path, codebook: Codebook, codebook_id: int,
    options: Mapping[str, Any] | None = None,
    trusted: bool = True,
) -> FileResult:
    """A file of records (interchange lines, table rows, another tool's format): all or nothing."""
    added = existing = annotations = unchanged = 0
    coder_cache: dict[str, int] = {}
    try:
        with engine.begin() as conn:  # the whole file or nothing
            wanted = {k: v for k, v in (options or {}).items() if k in fmt.options}
            for number, item in fmt.read(path, codebook, **wanted):
                try:
                    rec = item if isinstance(item, ParsedRecord) else parse_data(item, codebook)
                    res = store_record(conn, rec, codebook_id, coder_cache, trusted=trusted)
                except ValueError as exc:
                    raise ImportProblem(path, str(exc), number) from exc
                added += res.report_added
                existing += not res.report_added
                annotations += len(res.coders_added)
                unchanged += len(res.coders_unchanged)
    except ImportProblem as exc:
        return FileResult(
            str(path), False, f"error: {exc}; nothing of this file was stored", line=exc.line
        )
    if added + existing == 0:
        return FileResult(str(path), False, f"error: {path}: no reports in the file")
    msg = f"{added} report(s) added, {existing} already present"
    if fmt.annotations:
        msg += f", {annotations} coder annotation set(s) added"
    if unchanged:
        msg += f", {unchanged} already there unchanged"
    return FileResult(str(path), True, msg, added, existing, annotations)


def import_paths(
    engine: Engine,
    paths: Iterable[Path],
    codebook: Codebook,
    codebook_id: int,
    on_file: Callable[[FileResult], None] | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    trusted: bool = True,
) -> ImportSummary:
    """Import every file under ``paths``; ``on_file`` hears each file's result as it is known.
    ``options`` go to the readers that take them (``mapping``: a table's report field ->
    column, see tables.py).

    ``trusted`` (a reviewer's or the project lead's import) lets files declare reviewers and
    gold annotations; otherwise new coders are plain coders and gold is refused."""
    summary = ImportSummary()

    def report(result: FileResult) -> None:
        summary.files.append(result)
        if on_file is not None:
            on_file(result)

    batch = _TextBatch()

    def flush() -> None:
        with engine.begin() as conn:
            batch.flush(conn, report)

    plain: list[Path] = []
    for path in paths:
        folder = importer_for(path) if path.is_dir() else None
        if folder is not None:
            flush()
            for result in _import_folder(engine, folder, path, codebook, codebook_id, trusted):
                report(result)
        else:
            plain.append(path)
    for path, explicit in _expand(plain):
        fmt = importer_for(path, explicit)
        if not path.exists():
            report(FileResult(str(path), False, f"error: {path}: no such file or directory"))
        elif fmt is None:
            continue
        elif fmt.kind == "records":
            flush()
            report(_import_records(engine, fmt, path, codebook, codebook_id, options,
                                   trusted))
        else:
            try:
                doc = fmt.read(path)
                try:
                    textrules.check_document(doc.title, doc.text)  # the one rule at the door
                except textrules.TextRuleError as exc:
                    raise ImportProblem(path, str(exc)) from exc
            except ImportProblem as exc:
                report(FileResult(str(path), False, f"error: {exc}", line=exc.line))
                continue
            batch.items.append((path, doc, text_sha256(doc.text)))
            if len(batch.items) >= _BATCH:
                flush()
    flush()
    return summary
