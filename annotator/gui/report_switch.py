"""Opening a report (next / previous report, a row chosen in the queue): the text first.

What the coder looks at after "next report" is the text. The key shows the new report's text
with its spans painted and the form emptied, and stops there: the side panels (the spans list,
the claims list, the Flagged tab), the read-ahead of the reports next to this one and the cyclic
garbage collector (paused while the rows are made) wait until the window has painted that frame
(gui/after_frame.py). Everything the keys act on (the spans, the claims, the span under the
caret) is the new report's from the start; whatever reads the lists or changes the report
before they caught up brings them up to date first (``after_frame.catch_up``). Mixed into
MainWindow.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

if TYPE_CHECKING:
    from annotator.core.prefetch import SpanPrefetcher
    from annotator.gui.span_list import SpanModel
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object

__all__ = ["ReportSwitching"]

RELEASE_MS = 600  # the collector is switched back on at the latest then


class _GcHold:
    """The cyclic collector, paused from a report's open until its text is painted: switched
    on right after the open, it collected at once every object the open made (7-8 ms on a
    10,000-span report) before the text could be painted. Process-wide, like the collector."""

    held = False
    was = False

    @classmethod
    def hold(cls) -> None:
        if not cls.held:
            cls.held, cls.was = True, gc.isenabled()
            gc.disable()
            app = QCoreApplication.instance()
            if app is not None:  # whatever becomes of the window, the collector comes back
                QTimer.singleShot(RELEASE_MS, app, cls.release)

    @classmethod
    def release(cls) -> None:
        if cls.held:
            cls.held = False
            if cls.was:
                gc.enable()


class _ReadAhead(QObject):
    """Brings the read-ahead thread's "report N is ready" to the window's thread."""

    ready = Signal(int)


class ReportSwitching(_Base):
    prefetch: SpanPrefetcher
    _span_model: SpanModel
    _read_ahead: _ReadAhead | None = None
    _panels_pending = False  # the side panels still show the last report (until its paint)

    def open_report(self, report_id: int) -> None:
        # a key held down: the last report's lists, never shown, are not filled
        self._panels_pending = False
        self.after_frame.catch_up()  # the last report's rows and counts, before it goes
        # tens of thousands of small objects are made here: keep the cyclic collector from
        # scanning the whole heap in the middle of it (nothing made here forms cycles), and
        # from scanning them all before the text is painted
        _GcHold.hold()
        try:
            self._open_report(report_id)
        except BaseException:
            _GcHold.release()
            raise
        if not self._panels_pending:
            _GcHold.release()

    def _open_report(self, report_id: int) -> None:
        self.form.flush()  # what was typed for the last report's span is stored for it
        self._draft = None
        ahead = self.prefetch.take(report_id, self.coder_id)  # read ahead and checked
        detail = ahead.detail if ahead is not None else self.project.report(report_id)
        self.report_id = report_id
        self.report_text = detail.text
        # what the start's check (gui/start_checks) compares the text with
        self.report_external_id, self.report_sha256 = detail.external_id, detail.sha256
        self.current_span_id = None
        self.current_claim_id = None
        rtl = detail.language in ("ar", "fa", "he", "ur", "ps")
        self.text.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        # a window not shown yet (the first report, at start) fills them at once
        later = self.isVisible()
        self._reload_annotations(full=True, ready=ahead.spans if ahead is not None else None,
                                 claims=ahead.claims if ahead is not None else None,
                                 panels_later=later)
        self._rescan()
        if self.queue_panel.current_report() != report_id:
            self.queue_panel.select_report(report_id)
        self.statusBar().showMessage(
            f"{detail.external_id}: {detail.title}" + (f" · published {detail.published}" if detail.published else ""),
            5000,
        )
        if not later:  # (the lists were filled with the text)
            self._after_open()

    def _settle_panels(self) -> None:
        """The side panels show the open report; the reports next to it are read ahead."""
        if not self._panels_pending:  # (another report was opened meanwhile)
            return
        self._panels_pending = False
        self._fill_panels()
        self._after_open()

    def _after_open(self) -> None:
        _GcHold.release()
        if self.report_id is not None:
            if self._read_ahead is None:
                self._read_ahead = _ReadAhead(self)
                self._read_ahead.ready.connect(self._prepare_neighbours)
                self.prefetch.on_ready = self._read_ahead.ready.emit  # (a queued signal)
            # the reports next to this one are read in the background and their documents
            # built while idle (text_view.prepared): "next report" finds them (after the
            # paint: the reading thread would compete with it)
            self.prefetch.want(self.queue_panel.neighbours(self.report_id), self.coder_id)
            self._prepare_neighbours()

    def _prepare_neighbours(self, _ready: int | None = None) -> None:
        """Build, format and lay out the documents of the neighbours read ahead so far (the
        next one first)."""
        if self.report_id is None:
            return
        texts, spans, longest = [], [], []
        for rid in self.queue_panel.neighbours(self.report_id):
            ahead = self.prefetch.peek(rid, self.coder_id)
            if ahead is not None:  # (its first screenful is formatted for the spans read)
                texts.append(ahead.detail.text)
                spans.append(ahead.spans.rows)
                longest.append(ahead.spans.longest)
        self.text.prepared.want(texts, spans, longest)

    def _fill_panels(self) -> None:
        if self.report_id is None or self._span_set is None:
            return
        # (not the properties: this runs inside the after-frame catch-up)
        self._span_model.set_rows(self._spans, self._span_set.missing, self._span_by_id)
        self.spans_view.select_span(self.current_span_id)
        self._fill_claim_list()
        self.refresh_flagged(read=True)
