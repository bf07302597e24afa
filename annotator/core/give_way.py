"""Background work gives way to the window's thread.

The threads a window starts (the warm-up, the start checks' sample, the span read-ahead, the
backup and the progress count) compete with the window's thread for the interpreter lock. Each Qt
call the window makes lets go of the lock; taking it back waits up to the switch interval (5 ms
by default) while a background thread runs Python, so a key whose handling makes a hundred such
calls took a few hundred milliseconds in the first seconds after start.

The window's thread runs Python only while it handles something: waiting in its event loop, or
running Qt's own C++ (painting), it holds no lock and runs no Python frame of its own beyond
the one that started the loop. The window registers that frame (:func:`watch_event_loop`, just
before ``app.exec()``); background threads call :func:`give_way` between small steps, which waits
(sleeping, without the lock) while the window's thread runs Python code of its own, at most
``limit`` seconds (a window that waits for one of them says so: :func:`window_waits`). The
window's process also shortens the switch interval to 1 ms (:data:`SWITCH_INTERVAL`), so that a
step that cannot stop in the middle (a library building its tables) hands the lock back to a
key within a millisecond; with one thread running, the interval changes nothing.

Nothing here needs Qt: with no event loop registered nothing is ever busy and :func:`give_way`
returns at once.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["SWITCH_INTERVAL", "give_way", "watch_event_loop", "window_is_busy", "window_waits"]

SWITCH_INTERVAL = 0.001  # seconds: the window's process hands the interpreter lock on this often
_POLL = 0.002
_loop: FrameType | None = None  # the frame that runs the window's event loop
_waiting = 0  # the window's thread waits for a background thread (window_waits)


def watch_event_loop(frame: FrameType) -> None:
    """``frame`` (the caller's: ``sys._getframe()``) runs the window's event loop on the main
    thread from now on: while that thread runs no deeper Python frame, it is idle."""
    global _loop
    _loop = frame
    sys.setswitchinterval(SWITCH_INTERVAL)


def window_is_busy() -> bool:
    """Whether the window's thread runs Python code of its own (handles a key, a timer...)."""
    loop = _loop
    if loop is None or _waiting:
        return False
    main = threading.main_thread().ident
    current = sys._current_frames().get(main) if main is not None else None
    return current is not None and current is not loop


def give_way(limit: float = 0.25, quiet: float = 0.0) -> bool:
    """On a background thread, between two steps: wait while the window's thread is busy, and
    then until it has been idle for ``quiet`` seconds (before a long step: keys come in bursts),
    at most ``limit`` seconds in all; whether it met the window busy. On the window's own thread
    it returns at once."""
    if _loop is None or threading.current_thread() is threading.main_thread():
        return False
    start = time.monotonic()
    met_busy = False
    idle_since: float | None = None
    while True:
        now = time.monotonic()
        if window_is_busy():
            met_busy, idle_since = True, None
        elif idle_since is None:
            idle_since = now
        if idle_since is not None and now - idle_since >= quiet:
            return met_busy
        if now - start >= limit:
            return True
        time.sleep(_POLL)


@contextmanager
def window_waits() -> Iterator[None]:
    """The window's thread waits for a background thread (a report being read ahead): that
    thread must not wait for the window meanwhile."""
    global _waiting
    _waiting += 1
    try:
        yield
    finally:
        _waiting -= 1
