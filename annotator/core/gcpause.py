"""Pause Python's cyclic garbage collector around bulk work that makes many small objects.

Building hundreds of thousands of tuples and records triggers a collection every few hundred
allocations, each scanning the whole (growing) heap: on agreement over 200,000 spans that was a
third of the run. The objects made in these paths form no reference cycles, so reference counting
frees them all; the collector is switched back on (if it was on) afterwards, even on error.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["end_start", "gc_paused", "pause_start", "thaw", "without_gc"]

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def gc_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run ``fn`` with the cyclic collector paused."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- the window's start

_start_paused = False


def pause_start() -> None:
    """The window's start: no cyclic collection until its first paint (:func:`end_start`).

    A start makes a few hundred thousand long-lived objects (SQLAlchemy's and Qt's classes, the
    window, the first report), so the collector ran about 130 times before the first paint,
    one of them over the whole heap: 80-130 ms of a 0.8 s start. Reference counting still frees
    everything that forms no cycle meanwhile."""
    global _start_paused
    if gc.isenabled():
        gc.disable()
        _start_paused = True


def end_start(freeze: bool = True) -> None:
    """The first paint is done: the collector runs again. With ``freeze`` what the start made
    is left out of its collections (``gc.freeze``: the classes and the window live as long as
    the session, and every full collection would scan them again); :func:`thaw` gives them
    back when that window closes. Nothing when :func:`pause_start` did not pause it."""
    global _start_paused
    if _start_paused:
        _start_paused = False
        if freeze:
            gc.freeze()
        gc.enable()


def thaw() -> None:
    """A window closed: what its start made can be collected again (its cycles too)."""
    gc.unfreeze()
