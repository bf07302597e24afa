"""The import and export formats: one table that the command line, the window and the docs read.

``annotator export --format`` takes its choices, options and dispatch from ``exporters()``; the
window's export dialog lists the same exporters and builds a widget per option; the import file
filter and ``import_paths`` take the suffixes from ``importers()``; ``formats_table()`` is the
table in docs/formats.md (a test keeps the two equal).

Adding a format is one module, one registry entry and its test. Write
``annotator/core/io/myformat.py`` with a reader and/or a writer, then register it at the end of
this module (the registry imports nothing heavy: import your module inside the entry function)::

    def _write_myformat(job: ExportJob) -> str:
        from annotator.core.io import myformat

        n = myformat.write(job.records, job.codebook, job.target)  # a new file or folder
        return f"{n} report(s)"                                     # the user reads "TARGET: ..."

    def _read_myformat(path: Path, codebook: Codebook) -> Iterator[tuple[int | None, Any]]:
        from annotator.core.io import myformat

        # (line or row, one interchange record as a dict) per report; raise
        # ImportProblem(path, reason, line) for bad input: nothing of the file is stored
        yield from myformat.read(path)

    register(Exporter("myformat", "My format (.my)", _write_myformat, extensions=(".my",)))
    register(Importer("myformat", "My format", (".my",), _read_myformat))

Records that importers yield are validated like interchange lines (schema, offsets, codebook) and
the whole file is stored in one transaction.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from annotator.core.codebook import Codebook
from annotator.core.io.spreadsheet import PROFILES
from annotator.core.io.textfile import ImportProblem, TextDocument

__all__ = [
    "PROFILES",
    "ExportJob",
    "Exporter",
    "Importer",
    "Option",
    "exporter",
    "exporters",
    "formats_table",
    "importer_for",
    "importers",
    "register",
]



@dataclass(frozen=True)
class Option:
    """An export option: ``choices`` makes a choice (a combo box, ``--name CHOICE``); without
    choices it is a flag (a check box, ``--name``)."""

    name: str
    label: str
    help: str
    choices: tuple[str, ...] = ()
    default: Any = False


@dataclass
class ExportJob:
    """What an exporter writes: ``records`` are interchange records (one per report) streamed from
    the project; ``target`` the file or folder the user named, or None for ``stream`` (stdout).
    ``options`` holds a value for every option of the exporter."""

    records: Iterable[Mapping[str, Any]]
    codebook: Codebook
    target: Path | None
    options: Mapping[str, Any] = field(default_factory=dict)
    stream: TextIO | None = None


Target = Literal["file", "folder", "new_folder"]


@dataclass(frozen=True)
class Exporter:
    """``write(job)`` writes everything or nothing under the target name (a cancel is an
    exception out of ``job.records``) and returns a short summary for the user.

    ``target``: "file", "folder" (an existing or new folder, files written into it) or
    "new_folder" (must be new or empty). ``streams``: can write to stdout (``--out -``)."""

    name: str
    label: str
    write: Callable[[ExportJob], str]
    extensions: tuple[str, ...] = ()
    target: Target = "file"
    options: tuple[Option, ...] = ()
    streams: bool = False
    help: str = ""


@dataclass(frozen=True)
class Importer:
    """``read(path, codebook)`` yields (line or row, record) per report of the file, a record
    being an interchange record (a dict, or a ``ParsedRecord``); it raises ``ImportProblem`` for
    bad input. Every record is validated and the whole file is stored or nothing of it.

    ``kind`` "text": ``read(path)`` returns one ``TextDocument`` (a report without annotations;
    such files are inserted in batches). ``kind`` "folder": the format is a folder,
    ``is_folder(path)`` recognises it, and ``read(path, codebook)`` yields (name, line, record or
    the reason it is refused) per text, each text stored whole or not at all.
    ``in_folders``: picked up when a folder is imported (False: only when named)."""

    name: str
    label: str
    extensions: tuple[str, ...]
    read: Callable[..., Any]
    kind: Literal["records", "text", "folder"] = "records"
    in_folders: bool = True
    annotations: bool = True  # its records may carry coders' annotations
    is_folder: Callable[[Path], bool] | None = None
    # for a suffix several formats share (.json, .jsonl): does this file look like ours? Formats
    # with a sniff are asked before the ones without; a format without extensions (MUC-4 files
    # have no suffix) is recognised by its sniff alone, for files named on the command line.
    sniff: Callable[[Path], bool] | None = None
    # keyword options ``read`` takes from the import's options (e.g. a table's column mapping)
    options: tuple[str, ...] = ()


_EXPORTERS: dict[str, Exporter] = {}
_IMPORTERS: dict[str, Importer] = {}


def register(fmt: Exporter | Importer) -> None:
    """Add a format; a name registered twice (for the same direction) is a programming error."""
    table: dict[str, Any] = _EXPORTERS if isinstance(fmt, Exporter) else _IMPORTERS
    if fmt.name in table:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    table[fmt.name] = fmt


def exporters() -> list[Exporter]:
    """Every exporter, in the order registered (the first is the default)."""
    return list(_EXPORTERS.values())


def exporter(name: str) -> Exporter:
    try:
        return _EXPORTERS[name]
    except KeyError:
        raise ValueError(f"no export format {name!r} (known: {', '.join(_EXPORTERS)})") from None


def importers() -> list[Importer]:
    return list(_IMPORTERS.values())


def importer_for(path: Path, explicit: bool = True) -> Importer | None:
    """The importer for a file (by its suffix) or a folder (by its contents). A file named
    explicitly with an unknown suffix is read as plain text; in a folder it is skipped."""
    if path.is_dir():
        return next((i for i in _IMPORTERS.values() if i.is_folder and i.is_folder(path)), None)
    suffix = path.suffix.lower()
    ordered = sorted(_IMPORTERS.values(), key=lambda i: i.sniff is None)
    for imp in ordered:
        if imp.kind == "folder" or not (explicit or imp.in_folders):
            continue
        if imp.sniff is not None and not imp.extensions:  # recognised by content alone
            if imp.sniff(path):
                return imp
            continue
        if suffix in imp.extensions and (imp.sniff is None or imp.sniff(path)):
            return imp
    return _IMPORTERS["text"] if explicit else None


def option_defaults(fmt: Exporter) -> dict[str, Any]:
    return {o.name: o.default for o in fmt.options}


def formats_table() -> str:
    """The Markdown table of docs/formats.md."""
    lines = ["| format | import | export | files | options |", "|---|---|---|---|---|"]
    names = list(dict.fromkeys([*(i.name for i in _IMPORTERS.values()), *_EXPORTERS]))
    for name in names:
        imp, exp = _IMPORTERS.get(name), _EXPORTERS.get(name)
        exts = sorted({*(imp.extensions if imp else ()), *(exp.extensions if exp else ())})
        files = " ".join(exts) or ""
        if imp and imp.kind == "folder" or exp and exp.target != "file":
            files = (files + " (a folder)").strip()
        opts = ", ".join(f"`--{o.name}`" for o in exp.options) if exp else ""
        lines.append(f"| {name} | {imp.label if imp else '-'} | {exp.label if exp else '-'} "
                     f"| {files} | {opts} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the built-in formats

_PROFILE = Option("profile", "Claims columns", "column profile of the claims table",
                  PROFILES, "native")
_RAW = Option("raw", "Write cells starting with = + - @ as they are (unsafe)",
              "write cells starting with = + - @ as they are (unsafe in spreadsheets)")


def _write_jsonl(job: ExportJob) -> str:
    from annotator.core.io.atomic import atomic_text_file
    from annotator.core.io.textrules import json_line

    def write(fh: TextIO) -> int:
        n = 0
        for record in job.records:
            fh.write(json_line(record) + "\n")  # writable whatever is stored
            n += 1
        return n

    if job.target is None:
        n = write(job.stream or sys.stdout)
    else:
        with atomic_text_file(job.target) as fh:  # a failed export never leaves a half file
            n = write(fh)
    return f"exported {n} report(s)"


def _tables(job: ExportJob, workbook: bool) -> str:
    from annotator.core.io import spreadsheet

    assert job.target is not None
    profile, raw = job.options.get("profile", "native"), bool(job.options.get("raw"))
    if workbook:
        if not job.target.parent.is_dir():
            raise FileNotFoundError(f"{job.target}: the folder {job.target.parent} does not exist")
        counts = spreadsheet.write_xlsx(job.records, job.codebook, job.target, profile, raw)
    else:
        counts = spreadsheet.write_csv(job.records, job.codebook, job.target, profile, raw)
    return ", ".join(f"{n} {name} row(s)" for name, n in counts.items()) + f" ({profile} claims)"


def _write_brat(job: ExportJob) -> str:
    from annotator.core.io.brat_format import write_brat

    assert job.target is not None
    notes: list[str] = []
    n = write_brat(job.records, job.codebook, job.target, notes)
    return f"{n} .ann file(s), annotation.conf and annotator.json" + "".join(
        f"\nnote: {note}" for note in notes)


def _read_jsonl(path: Path, codebook: Codebook) -> Iterator[tuple[int, Any]]:
    from annotator.core.io.interchange import iter_records

    yield from iter_records(path, codebook)


_MAX_ROW_PROBLEMS = 20  # bad rows of a table named one by one


def _read_table(path: Path, codebook: Codebook, mapping: Mapping[str, str] | None = None,
                coded_as: str | None = None) -> Iterator[tuple[int, Any]]:
    """Every row of a report table; every bad row is named (up to ``_MAX_ROW_PROBLEMS``), and
    one bad row refuses the file before anything is stored. ``coded_as``: a conflict dataset's
    coded fields become that coder's spans and claim (coded.py)."""
    from annotator.core.io.coded import coded_annotation
    from annotator.core.io.tables import read_report_table

    rows: list[tuple[int, Any]] = []
    problems: list[str] = []
    try:  # read the whole table first: a bad row refuses the file before anything is parsed
        for number, item in read_report_table(path, mapping):
            if isinstance(item, str):
                problems.append(f"row {number}: {item}")
                if number == 1:
                    break
                continue
            dataset = item["metadata"].get("dataset")
            ann = coded_annotation(item, dataset, codebook, coded_as) if coded_as and dataset \
                else None
            rows.append((number, {"report": item, "annotations": [ann] if ann else []}))
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise ImportProblem(path, f"cannot read the table: {exc}") from exc
    if problems:
        shown = problems[:_MAX_ROW_PROBLEMS]
        more = len(problems) - len(shown)
        raise ImportProblem(path, f"\n{path}: ".join(shown)
                            + (f"\n{path}: and {more} more bad row(s)" if more else "")
                            + f"\n{path}: {len(problems)} bad row(s)")
    yield from rows


def _read_text(path: Path) -> TextDocument:
    from annotator.core.io.textfile import read_text_file

    return read_text_file(path)


def _read_document(path: Path) -> TextDocument:
    from annotator.core.io.documents import read_document

    return read_document(path)


def _read_brat(path: Path, codebook: Codebook) -> Iterable[tuple[str, int | None, Any]]:
    from annotator.core.io.brat_format import read_brat

    return read_brat(path, codebook)


def _read_muc4(path: Path, codebook: Codebook) -> Iterator[tuple[int, Any]]:
    from annotator.core.io.muc4 import is_muc4_key, read_muc4
    from annotator.core.io.textfile import read_text_file

    if is_muc4_key(path):
        raise ImportProblem(path, "a MUC-4 answer key (templates of strings, not places in the "
                            "text): import the message file; the keys are not imported", 1)
    items = list(read_muc4(path, read_text_file(path).text))
    for line, item in items:
        if isinstance(item, str):
            raise ImportProblem(path, item, line)
    yield from items


def _is_muc4(path: Path) -> bool:
    from annotator.core.io.muc4 import is_muc4, is_muc4_key

    return is_muc4(path) or is_muc4_key(path)


def _read_wikievents(path: Path, codebook: Codebook) -> Iterator[tuple[int, Any]]:
    from annotator.core.io.interchange import parse_data
    from annotator.core.io.wikievents import read_wikievents

    items = []
    for line, item in read_wikievents(path):
        if isinstance(item, str):
            raise ImportProblem(path, item, line)
        try:  # records we built: their shape is known, the schema would cost 70% of the time
            items.append((line, parse_data(item, codebook, shape_known=True)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ImportProblem(path, str(exc), line) from exc
    yield from items


def _is_wikievents(path: Path) -> bool:
    from annotator.core.io.wikievents import is_wikievents

    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline(1_000_000)
    except OSError:
        return False
    return is_wikievents(first)


def _is_brat_folder(path: Path) -> bool:
    """A folder of brat .ann files (directly, or one sub-folder per annotator)."""
    return path.is_dir() and (any(path.glob("*.ann")) or any(path.glob("*/*.ann")))


for _fmt in (
    Exporter("jsonl", "Interchange JSON Lines (.jsonl)", _write_jsonl, (".jsonl",), streams=True,
             help="the interchange format (lossless)"),
    Exporter("csv", "CSV tables (a folder)", lambda job: _tables(job, False), (".csv",),
             target="folder", options=(_PROFILE, _RAW), help="a folder of tables"),
    Exporter("xlsx", "Excel workbook (.xlsx)", lambda job: _tables(job, True), (".xlsx",),
             options=(_PROFILE, _RAW), help="one workbook"),
    Exporter("brat", "brat standoff (a new folder)", _write_brat, (".ann",),
             target="new_folder", help="a folder of standoff files with annotation.conf"),
    Importer("text", "Plain text and Markdown", (".txt", ".md", ".markdown"), _read_text,
             kind="text"),
    Importer("document", "HTML, PDF, Word", (".html", ".htm", ".pdf", ".docx"), _read_document,
             kind="text"),
    Importer("jsonl", "Interchange JSON Lines", (".jsonl", ".ndjson"), _read_jsonl),
    Importer("table", "Reports, one per row (ACLED, UCDP GED, GTD recognized)",
             (".csv", ".tsv", ".xlsx"), _read_table, in_folders=False, annotations=False,
             options=("mapping", "coded_as")),
    Importer("brat", "brat standoff (a folder)", (".ann",), _read_brat, kind="folder",
             is_folder=_is_brat_folder),
    Importer("muc4", "MUC-3/4 messages, one report each", (), _read_muc4, in_folders=False,
             annotations=False, sniff=_is_muc4),
    Importer("wikievents", "WikiEvents documents with their events", (".jsonl",),
             _read_wikievents, sniff=_is_wikievents),
):
    register(_fmt)


# ------------------------------------------------------------------ the other tools' formats
# (registry_nlp.py: Label Studio, doccano, spaCy, CoNLL, XMI, WebAnno TSV, REFI-QDA)

from annotator.core.io import registry_nlp as _nlp  # noqa: E402  (registers them)

del _nlp
