"""asyncio and importlib.metadata load on their first use, not with SQLAlchemy (the window's
start, issue 19).

SQLAlchemy's own modules import asyncio for its async extension, which the project never uses
(a SQLite project never touches it; psycopg imports it for real when a PostgreSQL project
opens), and asyncio brings ssl, selectors, subprocess and concurrent.futures; they import
importlib.metadata for entry points (dialect plugins, which a known URL never looks up), and it
brings email and socket. Together about 40 ms of every start, more than a tenth of a bare
window's. Until something uses one of them, its ``sys.modules`` entry is a module object that
imports the real module on its first attribute lookup, takes its namespace, and from then on
reads the same as the real one. SQLAlchemy reads one name of asyncio while it is imported
(``iscoroutine``, bound at module level in ``sqlalchemy.util.concurrency``): the placeholder
has it as a function that loads asyncio when called. Nothing of SQLAlchemy is changed; a
SQLAlchemy that reads more of them at import only loads them earlier
(tests/core/test_start_imports.py then says so).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import threading
import types
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from typing import Any

__all__ = ["defer_imports"]

_lock = threading.Lock()  # (the import itself is serialised by the import system's lock)


def _load(name: str) -> types.ModuleType:
    with _lock:
        held = sys.modules.get(name)
        if isinstance(held, _Deferred):
            del sys.modules[name]
    real = importlib.import_module(name)  # (sets the parent package's attribute again)
    if isinstance(held, _Deferred):
        # the modules that imported the placeholder read the real names from now on
        vars(held).update(vars(real))
    return real


class _Deferred(types.ModuleType):
    """A module until it is used: the first missing attribute imports the real one."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(_load(self.__name__), attr)

    def __dir__(self) -> list[str]:
        return dir(_load(self.__name__))


class _Existing(importlib.abc.Loader):
    """Hands the import system a module that is loaded already (and keeps its spec)."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module, self.spec = module, module.__spec__

    def create_module(self, spec: ModuleSpec) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.spec


class _PackageFirst(importlib.abc.MetaPathFinder):
    """``import asyncio.events`` while asyncio is held: the real package is loaded first (it
    imports its submodules; loading one under the placeholder would load the package in the
    middle of it, and loading it again after would make a second copy)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> ModuleSpec | None:
        parent = fullname.rpartition(".")[0]
        if not parent or not isinstance(sys.modules.get(parent), _Deferred):
            return None
        _load(parent)
        found = sys.modules.get(fullname)
        if found is None:
            return None  # one the package does not import: found the usual way
        return importlib.util.spec_from_loader(fullname, _Existing(found))


def _deferred_function(module: str, attr: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_load(module), attr)(*args, **kwargs)

    call.__name__ = call.__qualname__ = attr
    call.__doc__ = f"``{module}.{attr}``, {module} loaded on the first call."
    return call


def _defer(name: str, functions: tuple[str, ...] = ()) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    held = _Deferred(name)
    # a module's attributes, so that the import system treats it as imported (and, for a
    # package, a submodule import finds its folder without loading the package)
    held.__spec__ = spec
    held.__file__ = spec.origin
    held.__loader__ = spec.loader
    held.__package__ = spec.parent if spec.submodule_search_locations is None else name
    if spec.submodule_search_locations is not None:
        held.__path__ = list(spec.submodule_search_locations)
    for attr in functions:
        setattr(held, attr, _deferred_function(name, attr))
    sys.modules[name] = held
    parent, _, child = name.rpartition(".")
    if parent:  # ``from importlib import metadata`` reads the package's attribute
        setattr(sys.modules[parent], child, held)


def defer_imports() -> None:
    """Put the placeholders in ``sys.modules`` (each unless it is imported already)."""
    _defer("asyncio", ("iscoroutine",))
    _defer("importlib.metadata")
    if not any(isinstance(f, _PackageFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _PackageFirst())
