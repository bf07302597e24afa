"""The window's lists beside the text: the span list, the claims list, the queue row and the
status bar's confirmation of a change.

After an own change they follow the text and the form one frame later (gui/after_frame.py:
the text's highlight and the form are what the coder looks at first); whoever reads the span
model or the claims list through the window gets them up to date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from annotator.core.summary import claim_summary
from annotator.gui.span_list import SpanModel

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object

_ID = Qt.ItemDataRole.UserRole


class ListUpdates(_Base):
    """Mixed into MainWindow."""

    _span_model: SpanModel
    _claims_view: QTreeWidget
    _queue_row_stale: bool
    _status: str
    _status_of: int

    # the lists' rows follow a change one frame later (after_frame): whoever reads them gets
    # them up to date
    @property
    def span_model(self) -> SpanModel:
        self.after_frame.catch_up()
        return self._span_model

    @property
    def claims_view(self) -> QTreeWidget:
        self.after_frame.catch_up()
        return self._claims_view

    def _select_listed_span(self) -> None:
        self.spans_view.select_span(self.current_span_id)

    def _claimed_spans(self) -> set[int]:
        return {i for c in self._claims for fill in c.slots.values()
                if isinstance(fill, list) for i in fill}

    def _fill_claim_list(self) -> None:
        """Show the claims: rows are updated in place (a claim or two changed), added or taken
        from the end; clearing the list moved the current row through every row it removed,
        scrolling and laying out the list each time."""
        view = self._claims_view  # not the property: this may run inside its catch-up
        view.blockSignals(True)
        current = None
        for i, c in enumerate(self._claims):
            ct = self.codebook.claim_type(c.type)
            texts = (f"{c.key} {ct.label if ct else c.type}",
                     claim_summary(c, self._span_by_id, self.codebook))
            item = view.topLevelItem(i)
            if item is None:
                item = QTreeWidgetItem(list(texts))
                view.addTopLevelItem(item)
            elif (item.text(0), item.text(1)) != texts:
                item.setText(0, texts[0])
                item.setText(1, texts[1])
            if item.data(0, _ID) != c.id:
                item.setData(0, _ID, c.id)
            if item.toolTip(1) != texts[1]:
                item.setToolTip(1, texts[1])
            if c.id == self.current_claim_id:
                current = item
        extra = view.topLevelItemCount() - len(self._claims)
        if extra > 0:
            if current is None:
                view.setCurrentIndex(QModelIndex())
            for _ in range(extra):
                view.takeTopLevelItem(len(self._claims))
        if current is not None:
            if view.currentItem() is not current:
                view.setCurrentItem(current)
        elif view.currentItem() is not None:
            view.setCurrentIndex(QModelIndex())
            view.clearSelection()
        view.resizeColumnToContents(0)
        view.blockSignals(False)

    def _queue_row_later(self, read_status: bool) -> None:
        """Update the open report's queue row after the next frame, with the counts of now."""
        if self.report_id is None:
            return
        rid, n_spans, n_claims = self.report_id, len(self._spans), len(self._claims)
        self._queue_row_stale = self._queue_row_stale or read_status

        def refresh() -> None:
            if self._queue_row_stale or self._status_of != rid:
                self._status = self.project.status(rid, self.coder_id)
                self._status_of = rid
            self._queue_row_stale = False
            self.queue_panel.update_row(rid, self._status, n_spans, n_claims)

        self.after_frame.later(refresh, ("queue row", rid))

    def _status_message_later(self, text: str) -> None:
        """Show ``text`` in the status bar after the next frame, unless something else was
        said there meanwhile (a message shown after the change's own, such as a claim's
        slot keys, stays)."""
        bar = self.statusBar()
        before = bar.currentMessage()

        def show() -> None:
            if bar.currentMessage() == before:
                bar.showMessage(text, 3000)

        self.after_frame.later(show)

    def _refresh_queue_row(self, read_status: bool = True) -> None:
        """Update the current report's row in place (status mark and counts); the status is
        read again only when a change may have changed it (an own change names it)."""
        if self.report_id is None:
            return
        if read_status or self._status_of != self.report_id:
            self._status = self.project.status(self.report_id, self.coder_id)
            self._status_of = self.report_id
        self.queue_panel.update_row(self.report_id, self._status, len(self._spans), len(self._claims))
