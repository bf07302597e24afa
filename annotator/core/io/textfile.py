"""Read plain-text and Markdown reports: detect the encoding, refuse binaries, normalize newlines."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ImportProblem",
    "TextDocument",
    "decode_bytes",
    "normalize_newlines",
    "read_text_file",
    "text_sha256",
    "title_from_text",
]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# control characters that never occur in a report (tab, newlines and form feed do)
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_TITLE = 200


class ImportProblem(Exception):
    """Bad input: names the file, the line (when there is one) and the reason."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path, self.reason, self.line = str(path), reason, line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class TextDocument:
    title: str
    text: str  # newlines normalized to "\n"
    encoding: str
    published: str | None = None  # YYYY-MM-DD from a dateline near the top, if there is one
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. a web page's author


def read_json_file(path: Path) -> Any:
    """The JSON document in ``path`` (UTF-8, a BOM allowed); ImportProblem names the file, and
    the line and column of malformed JSON."""
    import json

    try:
        return json.loads(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblem(path, f"cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ImportProblem(path, f"malformed JSON: {exc.msg} at column {exc.colno}",
                            exc.lineno) from exc


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; done once, at import, before hashing."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    """Hex sha256 of the UTF-8 bytes of the (already normalized) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a report file. Returns (text, encoding name).

    UTF-8 (with or without BOM), UTF-16/32 with BOM and UTF-16 without BOM are recognized
    directly; anything else goes to charset-normalizer for legacy single-byte encodings.
    Raises ValueError with the reason for empty, binary or undecodable input.
    """
    if not data.strip():
        raise ValueError("empty file")
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None and b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise ValueError("binary file (contains NUL bytes), not a text report")
    if encoding is None:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
    if _BAD_CONTROLS.search(text):
        raise ValueError("binary file (contains control characters), not a text report")
    if not text.strip():
        raise ValueError("empty file")
    return text, encoding


# When several encodings decode a file equally well (short texts often leave cp1250 and cp1252
# tied), take the one press material most often comes in.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1256", "cp1251", "cp1250")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise ValueError("undecodable: not UTF-8, and no known encoding fits")
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    tied.sort(key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else 99)
    chosen = tied[0] if tied else best
    return str(chosen), chosen.encoding


def title_from_text(text: str, fallback: str) -> str:
    """The first non-empty line (Markdown heading marks removed) if short enough, else fallback.

    Both are made one line (tabs and form feeds become spaces) as the rule at the door wants."""
    from annotator.core.io.textrules import one_line

    for line in text.split("\n"):
        line = one_line(line)
        if not line:
            continue
        line = line.lstrip("#").strip()
        if 0 < len(line) <= _MAX_TITLE:
            return line
        break
    return one_line(fallback) or "report"


def read_text_file(path: Path) -> TextDocument:
    """Read one .txt or .md report. Raises ImportProblem naming the file and the reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        text, encoding = decode_bytes(data)
    except ValueError as exc:
        raise ImportProblem(path, str(exc)) from exc
    text = normalize_newlines(text)
    # NFC keeps "é" typed two ways from being two different texts (and two hashes)
    text = unicodedata.normalize("NFC", text)
    return TextDocument(title_from_text(text, path.stem), text, encoding, dateline(text))


_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DATELINE = re.compile(
    r"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:(?P<m1>[a-z]+)\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>[a-z]+)\.?,?\s+(?P<y2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\s*$",
    re.IGNORECASE,
)


def dateline(text: str, lines: int = 8) -> str | None:
    """The publication date when one of the first lines is nothing but a date
    ("December 8, 2023", "8 December 2023", "2023-12-08"), as YYYY-MM-DD."""
    import datetime as dt

    for line in text.split("\n", lines)[:lines]:
        m = _DATELINE.match(line)
        if not m:
            continue
        try:
            if m["iso"]:
                return dt.date.fromisoformat(m["iso"]).isoformat()
            month_word = (m["m1"] or m["m2"]).lower()
            month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(month_word[:3]))
            day, year = int(m["d1"] or m["d2"]), int(m["y1"] or m["y2"])
            return dt.date(year, month, day).isoformat()
        except (StopIteration, ValueError):
            continue
    return None
