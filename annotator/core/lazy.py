"""Package names that load with their module on first use (PEP 562), for package __init__s
whose modules are costly to import (numpy, rule tables) and not needed at start."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, home: Mapping[str, str], namespace: dict[str, Any]
               ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``home`` maps each name to the module
    defining it (relative to the package or absolute); a loaded name is kept in ``namespace``."""

    def getattr_(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value  # the next use is a plain lookup
        return value

    def dir_() -> list[str]:
        return sorted(namespace.get("__all__", home))

    return getattr_, dir_
