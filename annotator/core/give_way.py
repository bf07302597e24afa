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
window's process also shortens the switch interval to 0.1 ms (:data:`SWITCH_INTERVAL`), so that
a step that cannot stop in the middle (dateparser compiling a language's patterns) hands the
lock back to a key within a tenth of a millisecond: a key lets go of the lock at each of its
statements and Qt calls, and at 1 ms a wait, a key at 0.3 s after start took 40-70 ms where it
takes 7-15 later. With one thread running, the interval changes nothing.

The background threads are started by :func:`background_thread`, which also lowers each one's
scheduling priority below the window's thread (:data:`BACKGROUND_NICE`, on Linux, where the
priority is per thread): the read-ahead's and the start check's SQLite reads run without the
lock, and on a machine of two cores they took the window's core away from a key as well.

Nothing here needs Qt: with no event loop registered nothing is ever busy and :func:`give_way`
returns at once.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["BACKGROUND_NICE", "SWITCH_INTERVAL", "background_thread", "give_way",
           "give_way_within_steps", "lower_priority", "watch_event_loop", "window_is_busy",
           "window_waits"]

SWITCH_INTERVAL = 0.0001  # seconds: the window's process hands the interpreter lock on this often
BACKGROUND_NICE = 10  # a background thread's nice value above the window's (lower priority)
_POLL = 0.002
_IMPORTING = "<frozen importlib._bootstrap>"
_CHECK_EVERY = 128  # function calls and returns between two looks at the window's thread
_loop: FrameType | None = None  # the frame that runs the window's event loop
_waiting = 0  # the window's thread waits for a background thread (window_waits)
_frames_lock = threading.Lock()  # one look at the threads' frames at a time (_main_frame)


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
    current = _main_frame()
    if current is None or current is loop:
        return False
    # in the import machinery: most likely waiting for a module a background thread imports
    return current.f_code.co_filename != _IMPORTING


def _main_frame() -> FrameType | None:
    """The main thread's current frame. ``sys._current_frames`` holds the interpreter's thread
    list lock while it builds its dict; a garbage collection started by that allocation ran a
    finalizer (Python code, which lets go of the interpreter lock) with the list lock held, and
    another thread, holding the interpreter lock, waited for the list lock in its own
    ``_current_frames``: the window froze (seen with the warm-up's look every 128 calls and the
    backup's wait). So one thread at a time looks, with the collector paused meanwhile."""
    main = threading.main_thread().ident
    if main is None:
        return None
    with _frames_lock:
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            return sys._current_frames().get(main)
        finally:
            if collecting:
                gc.enable()


def give_way(limit: float = 0.25, quiet: float = 0.0) -> bool:
    """On a background thread, between two steps: wait while the window's thread is busy, and
    then until it has been idle for ``quiet`` seconds (before a long step: keys come in bursts),
    at most ``limit`` seconds in all; whether it met the window busy. On the window's own thread
    it returns at once."""
    if _loop is None or threading.current_thread() is threading.main_thread():
        return False
    met_busy, _ = _wait_for_window(quiet, limit=limit)
    return met_busy


def _wait_for_window(quiet: float, limit: float | None = None, busy_limit: float | None = None
                     ) -> tuple[bool, bool]:
    """Wait while the window's thread is busy and then until it has been idle for ``quiet``
    seconds, at most ``limit`` seconds in all and at most ``busy_limit`` seconds of the window
    busy without a break; (whether it met the window busy, whether it gave up)."""
    start = time.monotonic()
    met_busy = False
    busy_since: float | None = None
    idle_since: float | None = None
    while True:
        now = time.monotonic()
        if window_is_busy():
            met_busy, idle_since = True, None
            if busy_since is None:
                busy_since = now
            elif busy_limit is not None and now - busy_since >= busy_limit:
                return True, True
        else:
            busy_since = None
            if idle_since is None:
                idle_since = now
            if now - idle_since >= quiet:
                return met_busy, False
        if limit is not None and now - start >= limit:
            return True, True
        time.sleep(_POLL)


def give_way_within_steps(limit: float = 0.05, quiet: float = 0.1) -> bool:
    """On a background thread whose steps cannot stop in the middle (an import, dateparser
    compiling a language's patterns: up to a few hundred milliseconds each): from now on, every
    :data:`_CHECK_EVERY` function calls and returns, wait while the window's thread is busy, as
    :func:`give_way` does between steps, and then until the window has been idle for ``quiet``
    seconds: a key's handling comes back to Python a few milliseconds after it returns (its
    paint), and the next key of a burst soon after; a window idle in its loop waits for no
    lock, so that wait is safe. The window busy for ``limit`` seconds without a break (it may
    wait for a lock this thread holds), this thread goes on without waiting until the window
    has been seen idle again, so neither waits for the other for long. Whether it is in place
    (not on the window's thread, nor over a profiler's own hook)."""
    if threading.current_thread() is threading.main_thread() or sys.getprofile() is not None:
        return False
    count = 0
    stalled = False

    def look(_frame: FrameType, _event: str, _arg: object) -> None:
        nonlocal count, stalled
        count += 1
        if count < _CHECK_EVERY:
            return
        count = 0
        if _frames_lock.locked():
            # a look is under way (this thread's own, below this call: its lock is not
            # reentrant, and waiting here would hold it): the next look will do
            return
        if not window_is_busy():
            stalled = False
            return
        if stalled:
            return
        _, stalled = _wait_for_window(quiet, busy_limit=limit)

    sys.setprofile(look)
    return True


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


def lower_priority() -> bool:
    """Lower the calling thread's scheduling priority by :data:`BACKGROUND_NICE` (at most to
    19); whether it could. Linux only: there the nice value belongs to the thread, elsewhere
    ``setpriority`` would change the whole process (or, given a thread's id, another one)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        me = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + BACKGROUND_NICE))
    except (AttributeError, OSError):
        return False
    return True


def background_thread(target: Callable[..., object], name: str, args: tuple[object, ...] = ()
                      ) -> threading.Thread:
    """A daemon thread (not started) that runs ``target(*args)`` at a priority below the
    window's thread (:func:`lower_priority`)."""

    def run() -> None:
        lower_priority()
        target(*args)

    return threading.Thread(target=run, name=name, daemon=True)
