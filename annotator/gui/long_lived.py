"""What the warm-up loads lives as long as the process, like what the start made: dateparser's
tables, the gazetteer's and the normalizers' modules, the project's actor list. The start's
objects leave the cyclic collector's full collections after the first paint
(core/gcpause.end_start); the warm-up's, loaded after it, were still scanned by every full
collection, which came every few dozen keys (about 50 ms of CPU in the 1M-span benchmark
project, on whichever key it fell). Once the warm-up is done they are frozen too (``gc.freeze``).
Frozen objects are still freed when no longer referenced; only reference cycles among them
stay, which bounds what can stay behind to what existed by then. The window's close gives them
back to the collector (gcpause.thaw).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

__all__ = ["freeze_when"]


def freeze_when(parent: QObject, ready: Callable[[], bool], every_ms: int = 500,
                latest_s: float = 120.0) -> None:
    """Freeze every object the collector tracks (``gc.freeze``) once ``ready()`` is true
    (asked every ``every_ms`` on the event loop of ``parent``; at the latest after
    ``latest_s`` seconds); dropped with ``parent``."""
    timer = QTimer(parent)
    timer.setInterval(every_ms)
    give_up = time.monotonic() + latest_s

    def check() -> None:
        if ready() or time.monotonic() > give_up:
            timer.stop()
            timer.deleteLater()
            gc.freeze()

    timer.timeout.connect(check)
    timer.start()
