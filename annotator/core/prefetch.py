"""Reading the reports next to the open one before the coder asks for them.

Opening a report of 10,000 spans reads and builds 10,000 rows; done when the coder presses
"next report", that read is the whole wait. :class:`SpanPrefetcher` reads the spans of the
reports the coder is likely to open next (the queue's neighbours of the open one) on a
background thread, so "next" finds them in memory. What it hands back is checked against the
database first (:meth:`Project.patch_spans` with no change named: one aggregate query), so a
change made since (by anyone) is never hidden: the set is then read again.

The thread only reads, through the Project's reads (no SQL here); it holds the interpreter lock
only while it builds rows, and gives way to the window's thread between its reads while that
handles a key (annotator.core.give_way).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from annotator.core.give_way import background_thread, give_way, window_waits
from annotator.core.spanset import SpanSet

if TYPE_CHECKING:
    from annotator.core.project import Project

__all__ = ["Ahead", "SpanPrefetcher"]

Key = tuple[int, int]  # (report id, coder id)


@dataclass(frozen=True)
class Ahead:
    """One report read ahead for one coder: as stored when the change log stood at ``token``."""

    token: int
    spans: SpanSet
    detail: Any  # queries.ReportDetail
    claims: list[Any]  # queries.ClaimRow


class SpanPrefetcher:
    """Keeps the span sets of up to ``keep`` reports read ahead for one window."""

    def __init__(self, project: Project, keep: int = 3) -> None:
        self.project = project
        self.keep = keep
        self._lock = threading.Lock()
        self._ready: dict[Key, Ahead] = {}
        self._busy: dict[Key, threading.Event] = {}
        self._wanted: list[Key] = []
        self._queue: queue.Queue[Key | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._held = False
        # called on the reading thread with the report id of each report read ahead (the
        # window prepares its display)
        self.on_ready: Callable[[int], object] | None = None

    def want(self, report_ids: Sequence[int], coder_id: int) -> None:
        """Read these reports' spans ahead (the most likely first); forget the others."""
        keys = [(rid, coder_id) for rid in report_ids][: self.keep]
        with self._lock:
            if self._closed:
                return
            self._wanted = keys
            for key in list(self._ready):
                if key not in keys:
                    del self._ready[key]
            for key in keys:
                if key not in self._ready and key not in self._busy:
                    self._busy[key] = threading.Event()
                    self._queue.put(key)
            self._start_locked()

    def hold(self) -> None:
        """Read nothing until :meth:`release` (the window's start: the thread would compete
        with the first paint); what is wanted meanwhile is remembered."""
        with self._lock:
            self._held = True

    def release(self) -> None:
        with self._lock:
            self._held = False
            self._start_locked()

    def _start_locked(self) -> None:
        if self._thread is None and self._busy and not self._held and not self._closed:
            self._thread = background_thread(self._work, "span-prefetch")
            self._thread.start()

    def take(self, report_id: int, coder_id: int, wait: float = 2.0) -> Ahead | None:
        """The report as read ahead (checked against what is stored now), else None (the
        caller reads it). A read in progress is waited for (it is further along than a new one
        would be)."""
        key = (report_id, coder_id)
        with self._lock:
            busy = None if self._thread is None else self._busy.get(key)
        if busy is not None:  # (held, nothing is being read: no wait)
            with window_waits():  # the read must not wait for this thread meanwhile
                busy.wait(wait)
        with self._lock:
            ahead = self._ready.pop(key, None)
        if ahead is None:
            return None
        structure, touched = self.project.touched_since(ahead.token)
        if structure or report_id in touched:
            # changed since the read (by anyone): the sums show what, the rest is read again
            self.project.patch_spans(ahead.spans, report_id, coder_id, set())
            ahead = replace(ahead, detail=self.project.report(report_id),
                            claims=self.project.claims(report_id, coder_id))
        return ahead

    def peek(self, report_id: int, coder_id: int) -> Ahead | None:
        """The report as read ahead, unchecked and kept: for preparing its display only (what
        is shown comes from :meth:`take`)."""
        with self._lock:
            return self._ready.get((report_id, coder_id))

    def forget(self) -> None:
        """Drop everything read ahead (another coder, another codebook)."""
        with self._lock:
            self._ready.clear()
            self._wanted = []

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._ready.clear()
        self._queue.put(None)
        thread = self._thread
        if thread is not None:
            thread.join(10)

    def _work(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            ahead: Ahead | None = None
            with self._lock:
                wanted = key in self._wanted and not self._closed
            if wanted:
                give_way()  # while the window handles a key, wait (annotator.core.give_way)
                try:
                    token = self.project.change_token()  # before the reads: later changes show
                    spans = self.project.span_set(*key)
                    give_way()
                    ahead = Ahead(token, spans, self.project.report(key[0]),
                                  self.project.claims(*key))
                except Exception:  # noqa: BLE001 - a busy or closed database: the window reads it itself
                    ahead = None
            stored = False
            with self._lock:
                if ahead is not None and key in self._wanted and not self._closed:
                    self._ready[key] = ahead
                    stored = True
                event = self._busy.pop(key, None)
            if event is not None:
                event.set()
            hook = self.on_ready
            if stored and hook is not None:
                hook(key[0])
