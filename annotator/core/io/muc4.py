"""MUC-3/MUC-4 message files: one file of many messages, one report per message.

A message starts with a line holding only its id (``TST3-MUC4-0001``, ``DEV-MUC3-0001``); then
comes a dateline ``CITY, DD MON YY (SOURCE) -- [TEXT] ...``. The report id is the message id,
the title the dateline's place, date and source, ``published`` the dateline's date (two-digit
years are 19YY, as in the corpus), ``source`` the parenthesised source, the language English;
the text is the message as it stands (its upper case and line breaks kept), without the id
line. Answer-key files (``0.  MESSAGE: ID ...`` templates) are recognized and refused: their
fills are strings, not places in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["is_muc4", "is_muc4_key", "read_muc4"]

_HEADER = re.compile(r"^([A-Z0-9]+-MUC[34]-\d{4})[ \t]*$", re.M)
_KEY = re.compile(r"^0\.\s+MESSAGE: ID\s+\S+", re.M)
_DATELINE = re.compile(
    r"^\s*(?P<place>[^\n]+?),\s*(?P<date>\d{1,2} [A-Z]{3} \d{2}|NO DATE)\s*"
    r"(?:\((?P<source>[^)\n]*)\))?\s*--"
)
_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}


def _head(path: Path, size: int = 4096) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(size).decode("ascii", "replace")
    except OSError:
        return ""


def is_muc4(path: Path) -> bool:
    """A message file: its first non-blank line is a message id."""
    head = _head(path).lstrip()
    return bool(_HEADER.match(head.split("\n", 1)[0] if head else ""))


def is_muc4_key(path: Path) -> bool:
    return bool(_KEY.match(_head(path).lstrip()))


def _published(date: str) -> str | None:
    m = re.fullmatch(r"(\d{1,2}) ([A-Z]{3}) (\d{2})", date)
    if not m or m.group(2) not in _MONTHS:
        return None
    try:
        return dt.date(1900 + int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))).isoformat()
    except ValueError:
        return None


def read_muc4(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line of the message id, interchange record or the reason it cannot be one)."""
    heads = list(_HEADER.finditer(text))
    seen: set[str] = set()
    for k, m in enumerate(heads):
        line = text.count("\n", 0, m.start()) + 1
        msg_id = m.group(1)
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        body = text[m.end():end].strip("\n").rstrip() + "\n"
        if msg_id in seen:
            yield line, f"message {msg_id} appears twice"
            continue
        seen.add(msg_id)
        if not body.strip():
            yield line, f"message {msg_id} has no text"
            continue
        report: dict[str, Any] = {"id": msg_id, "title": msg_id, "language": "en", "text": body,
                                  "metadata": {"muc_id": msg_id, "file": path.name}}
        d = _DATELINE.match(body)
        if d:
            report["title"] = body[: d.end() - 2].strip()
            report["metadata"]["dateline_place"] = d.group("place").strip()
            if d.group("source"):
                report["source"] = d.group("source").strip()
            published = _published(d.group("date"))
            if published:
                report["published"] = published
        yield line, {"report": report}
