"""Names that become paths: a coder, a report id or a format folder turned into one file name.

Every exporter that builds a path from data goes through :func:`safe_name` (one path component,
never a separator, never ``.``/``..``, never a reserved Windows device name, never longer than
a file system allows) and :func:`inside` (the final path is checked to stay in its folder), so
a coder named ``..`` or ``/etc`` can never put a file outside the export folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.naming import first_free

__all__ = ["UnsafePath", "document_names", "inside", "safe_name", "unique_name"]

# path separators, the characters Windows refuses in names, and every control character
_BAD = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{base}{n}" for base in ("COM", "LPT") for n in list("123456789") + ["¹", "²", "³"]
}
_MAX_BYTES = 150  # of UTF-8 for the name itself: room for a suffix within 255-byte file systems


class UnsafePath(ValueError):
    """A path built from data would leave the folder it belongs in."""


def safe_name(name: str, fallback: str = "item", max_bytes: int = _MAX_BYTES) -> str:
    """One file-name component for ``name``, the same on every platform.

    Separators, ``:``, NUL and other control characters become ``_``; leading and trailing dots
    and spaces go (``..`` is never a name); reserved Windows names (``CON``, ``nul.txt``,
    ``COM1`` ...) get a ``_`` prefix; a name longer than ``max_bytes`` of UTF-8 is cut and ends in
    8 hex digits of its SHA-256, so two long names that share a beginning stay apart. A name
    with nothing left is ``fallback``. Names already safe are returned unchanged."""
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if unicodedata.category(ch) in ("Cs", "Co", "Cn") else ch for ch in text)
    text = _BAD.sub("_", text).strip(" .")
    if not text:
        text = fallback
    if text.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    raw = text.encode("utf-8")
    if len(raw) > max_bytes:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = raw[: max_bytes - 9].decode("utf-8", "ignore").rstrip(" .")
        text = f"{cut}-{digest}"
    return text


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` ... the first not in ``taken`` (compared without case,
    as Windows and macOS compare); the result is added to ``taken`` (casefolded)."""
    candidate = first_free(name, taken, fold=str.casefold)
    taken.add(candidate.casefold())
    return candidate


_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")


def document_names(records: Iterable[Mapping[str, Any]]
                   ) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]]:
    """(file name, record, annotation) for one file per report and coder, as the WebAnno and XMI
    folders hold them: ``REPORT__CODER`` (``REPORT`` for a report without annotations, with
    None), runs of anything but ASCII letters, digits, ``.``, ``_`` and ``-`` made ``_``; a name
    given before (without case) gets ``-2``, ``-3`` ..."""
    taken: set[str] = set()
    for record in records:
        base = _PLAIN.sub("_", record["report"]["id"]).strip("_") or "report"
        for ann in record.get("annotations") or [None]:
            name = base if ann is None else f"{base}__{_PLAIN.sub('_', ann['coder'])}"
            yield unique_name(name, taken), record, ann


def inside(root: Path, *parts: str) -> Path:
    """``root / parts...``, refused with :class:`UnsafePath` if it would resolve outside root."""
    path = root.joinpath(*parts)
    base = root.resolve()
    target = path.resolve()
    if target != base and base not in target.parents:
        raise UnsafePath(f"{path}: would be written outside {root}")
    return path
