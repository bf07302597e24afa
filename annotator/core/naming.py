"""One rule for picking a name that is not taken yet: ``base``, else ``base-2``, ``base-3``...
(gold copies' keys, export file names, brat type names, the coder of an imported layer)."""

from __future__ import annotations

from collections.abc import Callable, Container

__all__ = ["first_free"]


def first_free(base: str, taken: Container[str], sep: str = "-",
               fold: Callable[[str], str] = str) -> str:
    """``base``, or ``base{sep}2``, ``base{sep}3``... the first whose ``fold`` is not in
    ``taken``. The caller records the result in ``taken`` if later names must differ from it."""
    candidate, n = base, 1
    while fold(candidate) in taken:
        n += 1
        candidate = f"{base}{sep}{n}"
    return candidate
