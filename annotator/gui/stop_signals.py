"""A kill (SIGTERM), Ctrl+C in the terminal (SIGINT) or a logout (SIGHUP) closes the windows as
File → Quit does: what is being typed is stored, the layout saved, the project closed; the
process then ends with status 128 + the signal's number (143 for SIGTERM) and no traceback.

Python runs a signal handler between two bytecodes of whatever Python code runs at the time
(an event filter, a slot); a handler that raises there ends in Qt's "Error calling Python
override" and a traceback, and while Qt waits for events no Python code runs at all. So the
handler here does nothing itself: Python's C-level handler writes the signal's number to a
socket (``signal.set_wakeup_fd``), a QSocketNotifier on the other end wakes the event loop, and
the windows are closed from there, between two events.
"""

from __future__ import annotations

import signal
import socket
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

__all__ = ["StopOnSignal"]

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                 if hasattr(signal, name))


def _noted(_signum: int, _frame: FrameType | None) -> None:
    """Never raises: the number reaches the event loop through the wake-up socket."""


class StopOnSignal(QObject):
    """Installed by app.py for the time the window runs; ``signum`` is the signal that stopped
    it (None while none came). ``restore`` puts the previous handlers back."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.signum: int | None = None
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._old: dict[int, Any] = {s: signal.signal(s, _noted) for s in _SIGNALS}

    @property
    def exit_status(self) -> int | None:
        """128 + the signal's number once one came (the shell's convention), else None."""
        return None if self.signum is None else 128 + self.signum

    def _woken(self, *_args: object) -> None:
        try:
            data = self._read.recv(64)
        except OSError:  # nothing left to read (spurious wake-up)
            return
        if self.signum is not None:
            return  # already stopping: a second signal changes nothing
        numbers = [n for n in data if n in _SIGNALS]
        if not numbers:
            return
        self.signum = numbers[0]
        # each window's closeEvent stores what is being typed; a modal dialog's loop ends too
        self.app.closeAllWindows()
        self.app.exit(self.exit_status or 0)

    def restore(self) -> None:
        """The previous handlers and wake-up descriptor (a later signal acts as before)."""
        for s, handler in self._old.items():
            signal.signal(s, handler)
        signal.set_wakeup_fd(self._old_fd)
        self._notifier.setEnabled(False)
        self._read.close()
        self._write.close()
