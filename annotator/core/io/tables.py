"""Reports from tables: CSV/TSV/XLSX files with one report per row, conflict datasets included.

Reading: the bytes are decoded as a .txt report is (UTF-8 with or without BOM, UTF-16/32,
legacy encodings via charset-normalizer); the CSV dialect is detected by clevercsv, which, unlike
the standard library's sniffer, is not misled by a long first cell (an ACLED ``notes`` column);
rows are then parsed by the standard csv module with that dialect. XLSX: the first sheet.

Columns: the report fields (id, title, text, published, url, source, language) are found by
their usual names, by the layout of a known conflict dataset (ACLED, UCDP GED, GTD: see
``LAYOUTS``), or by the user's mapping (``--map text=notes,id=event_id_cnty``); every other
non-empty cell is kept as report metadata. Published dates come in the usual forms (ISO,
"8 December 2023", "Dec 8, 2023", 25/12/2023; dateparser), an ambiguous 08/12/2023 is refused.
Each bad row is named with its row, its column and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.io import limits
from annotator.core.io.textfile import ImportProblem, decode_bytes, normalize_newlines
from annotator.core.io.textrules import one_line

__all__ = [
    "FIELDS",
    "LAYOUTS",
    "TABLE_SUFFIXES",
    "Layout",
    "detect_dialect",
    "detect_layout",
    "parse_date",
    "parse_mapping",
    "read_report_table",
    "read_rows",
]

TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx"}
FIELDS = ("id", "title", "text", "published", "url", "source", "language")
_COLUMN_NAMES = {
    "id": ("id", "report_id", "doc_id", "identifier", "key"),
    "title": ("title", "headline", "heading", "subject"),
    "text": ("text", "body", "content", "article", "report", "full_text"),
    "published": ("published", "date", "pub_date", "publication_date", "event_date"),
    "url": ("url", "link", "source_url"),
    "source": ("source", "outlet", "publisher", "media"),
    "language": ("language", "lang"),
}
_SAMPLE = 32 * 1024  # characters clevercsv looks at: a few rows even with long notes


@dataclass(frozen=True)
class Layout:
    """A known dataset's columns: the ones that identify it and where the report fields are."""

    name: str
    signature: frozenset[str]  # all present (lower case) -> this layout
    columns: Mapping[str, str]  # report field -> column
    title: Callable[[Mapping[str, Any]], str] | None = None
    published: Callable[[Mapping[str, Any]], str | None] | None = None
    codebook_note: str = ""


def _join(*parts: Any, sep: str = ", ") -> str:
    return sep.join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())


def _gtd_date(row: Mapping[str, Any]) -> str | None:
    """GTD dates are three columns; 0 is unknown, and only a whole day is a published date."""
    try:
        y, m, d = (int(float(str(row.get(k) or 0))) for k in ("iyear", "imonth", "iday"))
        return dt.date(y, m, d).isoformat() if y and m and d else None
    except ValueError:
        return None


def _get(row: Mapping[str, Any], name: str) -> Any:
    lower = {k.lower(): v for k, v in row.items()}
    return lower.get(name)


LAYOUTS: dict[str, Layout] = {
    # ACLED's export (acleddata.com codebook): event_id_cnty, event_date, ..., notes, fatalities
    "acled": Layout(
        "acled",
        frozenset({"event_id_cnty", "event_date", "notes"}),
        {"id": "event_id_cnty", "text": "notes", "published": "event_date", "source": "source"},
        title=lambda r: _join(_get(r, "sub_event_type") or _get(r, "event_type"),
                              _join(_get(r, "location"), _get(r, "country")), sep=": "),
    ),
    # UCDP GED (ucdp.uu.se codebook): id, relid, ..., source_article, source_original, date_start
    "ucdp": Layout(
        "ucdp",
        frozenset({"source_original", "date_start", "side_a"}),
        {"id": "id", "text": "source_original", "published": "date_start",
         "source": "source_article", "title": "dyad_name"},
    ),
    # GTD (START codebook): eventid, iyear, imonth, iday, ..., summary, scite1
    "gtd": Layout(
        "gtd",
        frozenset({"eventid", "iyear", "imonth", "iday", "summary"}),
        {"id": "eventid", "text": "summary", "source": "scite1"},
        title=lambda r: _join(_get(r, "attacktype1_txt"),
                              _join(_get(r, "city"), _get(r, "country_txt")), sep=": "),
        published=_gtd_date,
    ),
}


def detect_layout(headers: list[str]) -> Layout | None:
    have = {h.lower() for h in headers}
    for layout in LAYOUTS.values():
        if layout.signature <= have:
            return layout
    return None


def parse_mapping(text: str) -> dict[str, str]:
    """``text=notes,id=event_id_cnty,published=event_date`` -> a field -> column mapping."""
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not column:
            raise ValueError(f"--map {part.strip()!r}: write FIELD=COLUMN")
        if name not in FIELDS:
            raise ValueError(f"--map {name!r}: the fields are {', '.join(FIELDS)}")
        out[name] = column
    return out


# ------------------------------------------------------------------ rows


def detect_dialect(text: str, suffix: str) -> csv.Dialect | type[csv.Dialect]:
    """The CSV dialect of ``text``: tab for .tsv, else clevercsv's detection (stdlib's
    sniffer as a fallback when clevercsv is missing or cannot tell)."""
    if suffix == ".tsv":
        return csv.excel_tab
    sample = text[:_SAMPLE]
    try:
        import clevercsv

        found = clevercsv.Detector().detect(sample, delimiters=[",", ";", "\t", "|"])
    except ImportError:  # pragma: no cover - a declared dependency
        found = None
    if found is not None and found.delimiter:
        delimiter: str = found.delimiter
        quotechar: str = found.quotechar or '"'
        escapechar: str | None = found.escapechar or None

        class _Found(csv.excel):
            pass

        _Found.delimiter = delimiter
        _Found.quotechar = quotechar
        _Found.escapechar = escapechar
        _Found.doublequote = escapechar is None
        return _Found
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The header and (row number, {column: cell}) of the first sheet; row 1 is the header.
    Raises ImportProblem when the file cannot be read or decoded."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        text, _encoding = decode_bytes(data)
    except ValueError as exc:
        raise ImportProblem(path, str(exc)) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    lim = limits.current()
    # the csv module refuses cells over 128 KiB by default; a report is often longer
    csv.field_size_limit(max(lim.cell_chars, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), dialect=detect_dialect(text, suffix))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise ImportProblem(path, f"row 1: {exc}", 1) from exc

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        count = 0
        while True:
            first_line = reader.line_num + 1  # where the record starts, though a cell spans lines
            try:
                values = next(reader, None)
            except csv.Error as exc:
                raise ImportProblem(path, f"row {first_line}: {exc} (a cell may hold at most "
                                    f"{lim.cell_chars:,} characters: annotator import "
                                    "--max-cell-chars)", first_line) from exc
            if values is None:
                return
            if any(v.strip() for v in values):  # blank lines are no records
                count += 1
                if count > lim.rows:
                    raise ImportProblem(path, f"more than {lim.rows:,} rows, the limit (raise it "
                                        "with annotator import --max-rows)", first_line)
                yield first_line, {h: v for h, v in zip(header, values, strict=False) if h}

    return header, rows()


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    lim = limits.current()
    limits.check_zip(path)  # a damaged zip, or a bomb (a 1 GiB cell), before openpyxl reads it
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        first = next(it, ())
    except Exception as exc:  # noqa: BLE001 - openpyxl raises several kinds for broken files
        raise ImportProblem(path, f"not a readable Excel (.xlsx) file: "
                            f"{' '.join(str(exc).split())[:200]}") from exc
    declared = ws.max_row or 0  # the sheet's own dimension: free to read, may be missing
    if declared > lim.rows + 1:
        wb.close()
        raise ImportProblem(path, f"the sheet has {declared - 1:,} rows, over the limit of "
                            f"{lim.rows:,} (raise it with annotator import --max-rows)")
    header = [str(h).strip() if h is not None else "" for h in first]

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for number, values in enumerate(it, start=2):
                if number > lim.rows + 1:
                    raise ImportProblem(path, f"more than {lim.rows:,} rows, the limit (raise it "
                                        "with annotator import --max-rows)", number)
                if any(v not in (None, "") for v in values):
                    yield number, {h: v for h, v in zip(header, values, strict=False) if h}
        except ImportProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - a sheet damaged part way through
            raise ImportProblem(path, f"not a readable Excel (.xlsx) file: "
                                f"{' '.join(str(exc).split())[:200]}") from exc
        finally:
            wb.close()

    return header, rows()


# ------------------------------------------------------------------ dates

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s*$")


def parse_date(value: Any) -> str | None:
    """A published date as YYYY-MM-DD from the usual forms; ValueError says why not.

    Excel date cells, ISO dates (a time after them is ignored), words ("8 December 2023",
    "Dec 8, 2023", "8-Dec-23") and numeric dates whose day is over 12 (25/12/2023). A numeric
    date that reads both ways (08/12/2023) is refused rather than guessed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO.match(text):
        try:
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise ValueError(f"{text!r} is not a calendar date") from None
    m = _NUMERIC.match(text)
    if m:
        a, b = int(m[1]), int(m[2])
        if a <= 12 and b <= 12 and a != b:
            raise ValueError(f"{text!r} is ambiguous (day/month or month/day?): write it as "
                             "YYYY-MM-DD")
        order = "DMY" if a > 12 else "MDY"
    else:
        order = "DMY"
    import dateparser

    from annotator.core.normalize.dates import DATE_LANGUAGES

    got = dateparser.parse(text, languages=list(DATE_LANGUAGES),
                           settings={"DATE_ORDER": order, "STRICT_PARSING": True,
                                     "REQUIRE_PARTS": ["day", "month", "year"],
                                     "PARSERS": ["custom-formats", "absolute-time"]})
    if got is None:
        raise ValueError(f"{text!r} is not a date (write it as YYYY-MM-DD)")
    return str(got.date().isoformat())


# ------------------------------------------------------------------ reports


def choose_columns(headers: list[str], mapping: Mapping[str, str] | None,
                   layout: Layout | None) -> dict[str, str]:
    """Report field -> column: the user's mapping first, then the layout, then usual names.
    Raises ValueError naming a mapped column the file does not have."""
    lower = {h.lower(): h for h in headers}
    chosen: dict[str, str] = {}
    for name, column in (mapping or {}).items():
        if column not in headers and column.lower() not in lower:
            raise ValueError(f"no column {column!r} for {name} (the file has: {', '.join(headers)})")
        chosen[name] = column if column in headers else lower[column.lower()]
    if layout is not None:
        for name, column in layout.columns.items():
            if name not in chosen and column.lower() in lower:
                chosen[name] = lower[column.lower()]
    for name, names in _COLUMN_NAMES.items():
        if name not in chosen and (layout is None or name not in ("title", "published")):
            found = next((lower[n] for n in names if n in lower and lower[n] not in
                          chosen.values()), None)
            if found:
                chosen[name] = found
    return chosen


def read_report_table(
    path: Path, mapping: Mapping[str, str] | None = None
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(row number, interchange report dict or why the row is refused: "column C: reason")
    for a CSV/TSV/XLSX file of reports. Row 1 is the header; a problem with the header or the
    mapping comes as row 1. Raises ImportProblem for a file that cannot be read at all."""
    headers, rows = read_rows(path)
    if not any(headers):
        yield 1, "no header row"
        return
    layout = detect_layout(headers)
    try:
        chosen = choose_columns(headers, mapping, layout)
    except ValueError as exc:
        yield 1, str(exc)
        return
    if "text" not in chosen:
        yield 1, (f"no text column (looked for {', '.join(_COLUMN_NAMES['text'])}; the file has: "
                  f"{', '.join(headers)}); name it with --map text=COLUMN")
        return
    used = set(chosen.values())
    for number, row in rows:
        yield number, _report(path, number, row, chosen, used, layout)


def _report(path: Path, number: int, row: dict[str, Any], chosen: dict[str, str],
            used: set[str], layout: Layout | None) -> dict[str, Any] | str:
    text = row.get(chosen["text"])
    if text is None or not str(text).strip():
        return f"column {chosen['text']}: no text"
    if "published" in chosen:
        try:
            published = parse_date(row.get(chosen["published"]))
        except ValueError as exc:
            return f"column {chosen['published']}: published date {exc}"
    else:
        published = layout.published(row) if layout and layout.published else None
    ident = _cell_text(row.get(chosen.get("id", ""))) or f"{path.stem}-row{number}"
    body = normalize_newlines(str(text))
    # a title cell may wrap over lines: one line of it (the rule at the door, textrules)
    title = one_line(_cell_text(row.get(chosen.get("title", ""))))
    if not title and layout is not None and layout.title is not None:
        title = one_line(layout.title(row))
    if not title:
        title = one_line(body.strip().split("\n", 1)[0][:200])
    meta = {k: _meta_value(v) for k, v in row.items() if k not in used and v not in (None, "")}
    if layout is not None:
        meta["dataset"] = layout.name
    report: dict[str, Any] = {"id": ident, "title": title[:200], "text": body,
                              "published": published}
    for name in ("url", "source", "language"):
        report[name] = (_cell_text(row.get(chosen[name])) or None) if name in chosen else None
    report["metadata"] = meta
    return report


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in a spreadsheet
    return str(value).strip()


def _meta_value(value: Any) -> Any:
    """A cell as a JSON value: dates, times and durations as ISO text, decimals as floats."""
    import decimal

    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)
