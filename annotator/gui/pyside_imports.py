"""A cheaper form of PySide6's check on every import.

Once PySide6 is imported, it looks at each module imported after it, to know whether that module
may select PySide features (``from __feature__ import snake_case``): it reads the module's whole
source through ``inspect.getsource`` (the line cache and the tokenizer, which it imports first),
only to see whether the text ``PySide6`` occurs in it. At the window's start that check cost
about 70 ms of 270 ms for importing the window's modules, and in the warm-up thread a third of
its import time, in the first seconds a coder may press a key.

:func:`install` replaces that check with the same test on the module's file, read as bytes: the
same answer for every module with a source file, without the line cache or the tokenizer. If
PySide6 no longer has the check (a later release), nothing is replaced.
"""

from __future__ import annotations

import sys
from types import ModuleType

__all__ = ["install", "mentions_pyside"]


def mentions_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source file contains ``PySide6`` (False without a readable .py
    file, as PySide's own check answers when it finds no source)."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False
    try:
        with open(origin, "rb") as fh:
            return b"PySide6" in fh.read()
    except OSError:
        return False


def install() -> bool:
    """Put :func:`mentions_pyside` in place of PySide6's check; whether it was there to replace."""
    import PySide6.QtCore  # noqa: F401 - loads the feature support

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = mentions_pyside  # type: ignore[attr-defined]
    return True
