"""One rule at the door: which characters a report text, a title, an id or a value may hold.

Every importer calls :func:`check_record` (through ``interchange.parse_record``, which JSONL,
tables and brat go through) or :func:`check_document` (text, HTML, PDF and Word files) before
anything is stored, so that what is stored can always be exported: a lone surrogate cannot be
encoded as UTF-8, and XML (xlsx) cannot hold most control characters.

The rule, per kind of field:

- ``TEXT`` (report text): any character except lone surrogates (U+D800..U+DFFF), the XML
  non-characters U+FFFE and U+FFFF, and control characters other than newline, tab and form feed
  (C0, DEL and C1). Form feed (a page break in many plain-text reports) is kept; the xlsx export
  shows it as the visible symbol U+240C, one code point for one, so span offsets still hold.
- ``LINE`` (title, id, coder name, source, url, language, date, codebook labels): one line: the
  same, and no tab, newline, form feed or other line break (U+0085, U+2028, U+2029) either.
- ``VALUE`` (metadata values and keys, attribute values, rationales, definitions): as ``TEXT``
  but without form feed: newlines and tabs are fine in a value.

Text extracted from HTML, PDF and Word files (not typed by anyone, and already tidied) is cleaned
instead of refused: :func:`clean_extracted` drops what the rule forbids.

The exporters use :func:`cell_text` and :func:`json_line`, so that what an older version stored
before this rule existed still exports.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "LINE",
    "TEXT",
    "VALUE",
    "TextRuleError",
    "cell_text",
    "formula_like",
    "inert_cell",
    "check",
    "check_document",
    "check_record",
    "check_value",
    "clean_extracted",
    "json_line",
    "one_line",
    "problem",
    "scrub",
]

TEXT = "text"
LINE = "line"
VALUE = "value"

_SURR = "\ud800-\udfff"
_NONCHAR = "\ufffe\uffff"
# C0 except \t \n \f (and \r: texts are newline-normalized before the check), DEL, C1
_CONTROL_TEXT = "\x00-\x08\x0b\x0d-\x1f\x7f-\x9f"
_CONTROL_VALUE = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL_LINE = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_FORBIDDEN = {
    TEXT: re.compile(f"[{_CONTROL_TEXT}{_SURR}{_NONCHAR}]"),
    VALUE: re.compile(f"[{_CONTROL_VALUE}{_SURR}{_NONCHAR}]"),
    LINE: re.compile(f"[{_CONTROL_LINE}{_SURR}{_NONCHAR}]"),
}
_WHAT = {
    TEXT: "a report text may hold newlines, tabs and form feeds but no other control character",
    VALUE: "a value may hold newlines and tabs but no other control character",
    LINE: "this field holds one line, without tabs, line breaks or control characters",
}
_NAMES = {"\t": "tab", "\n": "newline", "\x0c": "form feed", "\r": "carriage return",
          "\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\u2028": "line separator",
          "\u2029": "paragraph separator", "\x85": "next line (NEL)"}


class TextRuleError(ValueError):
    """A field holds a character the rule forbids; ``place`` is a JSON path or field name."""

    def __init__(self, place: str, reason: str) -> None:
        self.place, self.reason = place, reason
        super().__init__(f"{place}: {reason}")


def _describe(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} (not a character; it cannot be stored as UTF-8)"
    name = _NAMES.get(ch) or unicodedata.name(ch, "")
    if 0xFFFE <= code <= 0xFFFF:
        return f"the non-character U+{code:04X}"
    return f"the control character U+{code:04X}" + (f" ({name.lower()})" if name else "")


def problem(value: str, kind: str = VALUE) -> str | None:
    """The reason ``value`` breaks the rule for ``kind``, or None when it is fine."""
    m = _FORBIDDEN[kind].search(value)
    if m is None:
        return None
    return f"{_describe(m.group())} at character {m.start()}; {_WHAT[kind]}"


def check(value: Any, kind: str, place: str) -> None:
    """Raise TextRuleError if ``value`` (a string; None and other types pass) breaks the rule."""
    if isinstance(value, str):
        reason = problem(value, kind)
        if reason is not None:
            raise TextRuleError(place, reason)


#: How deeply a metadata or attribute value may nest (objects and arrays): deeper values are
#: refused at the door, so that no later step (storing, exporting) can run out of stack.
MAX_DEPTH = 32


def check_value(value: Any, place: str, kind: str = VALUE) -> None:
    """Check every string in a JSON value (keys as single lines) at any depth (iteratively),
    and that it nests at most MAX_DEPTH levels."""
    stack: list[tuple[Any, str, int]] = [(value, place, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            check(item, kind, where)
            continue
        if isinstance(item, Mapping | list | tuple) and depth >= MAX_DEPTH:
            raise TextRuleError(where, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, Mapping):
            for key, sub in item.items():
                check(key, LINE, f"{where} (key {key!r})" if isinstance(key, str) else where)
                stack.append((sub, f"{where}.{key}", depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((sub, f"{where}[{i}]", depth + 1) for i, sub in enumerate(item))


_REPORT_LINES = ("id", "title", "source", "url", "published", "language")


def check_record(report: Mapping[str, Any], annotations: Iterable[Mapping[str, Any]]) -> None:
    """The door for one interchange record (the report and its coders' annotations).

    Raises TextRuleError naming the JSON path of the first field that breaks the rule.
    ``report['text']`` must already be newline-normalized (no CR left).
    """
    check(report.get("text"), TEXT, "$.report.text")
    for key in _REPORT_LINES:
        check(report.get(key), LINE, f"$.report.{key}")
    check_value(report.get("metadata"), "$.report.metadata")
    for i, ann in enumerate(annotations):
        where = f"$.annotations[{i}]"
        check(ann.get("coder"), LINE, f"{where}.coder")
        check(ann.get("codebook"), LINE, f"{where}.codebook")
        for kind in ("spans", "claims"):
            for j, item in enumerate(ann.get(kind) or ()):
                at = f"{where}.{kind}[{j}]"
                check(item.get("id"), LINE, f"{at}.id")
                check(item.get("type"), LINE, f"{at}.type")
                check_value(item.get("attributes"), f"{at}.attributes")
                check_value(item.get("provenance"), f"{at}.provenance")
                slots = item.get("slots")
                if isinstance(slots, Mapping):
                    check_value(slots, f"{at}.slots", LINE)


def check_document(title: str, text: str) -> None:
    """The door for a report read from a text file: raises TextRuleError for title or text."""
    check(text, TEXT, "text")
    check(title, LINE, "title")


_DROP_EXTRACTED = re.compile(f"[{_CONTROL_TEXT}{_SURR}{_NONCHAR}]")
_LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x85\u2028\u2029]+")


def clean_extracted(text: str) -> str:
    """Text extracted from a document (HTML, PDF, Word) with what the rule forbids dropped."""
    return _DROP_EXTRACTED.sub("", text)


def scrub(value: str, kind: str = VALUE) -> str:
    """``value`` with every character the rule forbids for ``kind`` replaced by U+FFFD (for
    names the importer takes from the file system, such as a file name kept in metadata)."""
    return _FORBIDDEN[kind].sub("\ufffd", value)


def one_line(value: str) -> str:
    """A title from a cell or a document property: line breaks and tabs become one space,
    other forbidden characters are dropped."""
    return _FORBIDDEN[LINE].sub("", _LINE_BREAKS.sub(" ", value)).strip()


# ------------------------------------------------------------------ exporters

_XML_ILLEGAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_SURR}{_NONCHAR}]")


def _xlsx_visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: U+240C for form feed
    return "\ufffd"


def cell_text(value: str, xlsx: bool = False) -> str:
    """A stored string made writable: in xlsx the control characters XML cannot hold become
    their visible symbols (U+2400 + code, one code point for one); lone surrogates become
    U+FFFD in every table format (UTF-8 cannot hold them)."""
    if xlsx:
        return _XML_ILLEGAL.sub(_xlsx_visible, value)
    if _HAS_SURR.search(value):
        return _HAS_SURR.sub("\ufffd", value)
    return value


_HAS_SURR = re.compile(f"[{_SURR}]")

# A spreadsheet runs a cell as a formula when it starts with one of these, possibly after
# blanks or line breaks (LibreOffice and Excel both skip them), and in their full-width forms
# (an East Asian input method types those, and some spreadsheets accept them).
_FORMULA_START = re.compile(
    "^[\\s\u3000\ufeff]*[=+\\-@\uff1d\uff0b\uff0d\uff20\u2212]|^[\t\r\n]"
)


def formula_like(value: Any) -> bool:
    """True for a text cell a spreadsheet would run as a formula (DDE included): one starting
    with = + - @ (or their full-width forms), also after spaces, tabs or line
    breaks, and one starting with a tab or line break."""
    return isinstance(value, str) and _FORMULA_START.match(value) is not None


def inert_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with an apostrophe
    (which spreadsheets hide and treat as "this is text"); anything else unchanged."""
    return "'" + value if formula_like(value) else value


def json_line(record: Any) -> str:
    """One JSON line, UTF-8 writable whatever was stored: a lone surrogate (which only an older
    version could store) is written as its \\uXXXX escape, which reads back as the same string."""
    line = json.dumps(record, ensure_ascii=False)
    if _HAS_SURR.search(line):
        line = _HAS_SURR.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
    return line
