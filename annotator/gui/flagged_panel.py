"""The Flagged tab: the open report's spans a merge could not carry onto its corrected text.

A list of the coder's flagged spans there (core/flagged.py): type, text, where it was; the ones
the coder has tagged again are ticked. Enter (or a double click) on one selects its text in the
report, the occurrence nearest where it was, so the coder presses the type's key to re-place it;
Space marks the current one re-placed (what it covered is gone or was tagged otherwise).
The list is read when a report opens and after the coder's changes on a report that has any.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from annotator.core.flagged import FlaggedSpan, nearest_place

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost as _Base
else:
    _Base = object

__all__ = ["FlaggedActions", "FlaggedPanel"]


class FlaggedPanel(QListWidget):
    """Emits ``place_requested`` (Enter) and ``mark_requested`` (Space) with a flagged span."""

    place_requested = Signal(object)
    mark_requested = Signal(object)

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagged")
        self.labels = labels
        self.shown: list[FlaggedSpan] = []
        self.itemActivated.connect(self._activated)

    def show_flagged(self, items: Sequence[FlaggedSpan]) -> None:
        keep = self.currentRow()
        self.shown = list(items)
        self.clear()
        for f in self.shown:
            mark = "✓ " if f.replaced else "⚑ "
            label = self.labels.get(f.type, f.type)
            item = QListWidgetItem(f"{mark}{label}: \u201c{f.text}\u201d")
            item.setToolTip(
                (f"tagged again: {label} \u201c{f.text}\u201d" if f.replaced else
                 f"a merge could not carry this span onto the corrected text (it was at "
                 f"{f.start}-{f.end} in your copy); Enter selects its text, then press the "
                 "type's key")
                + f" · history #{f.history_id}")
            self.addItem(item)
        if self.count():
            self.setCurrentRow(min(max(keep, 0), self.count() - 1))

    @property
    def open_count(self) -> int:
        return sum(1 for f in self.shown if not f.replaced)

    def _activated(self, item: QListWidgetItem) -> None:
        row = self.row(item)
        if 0 <= row < len(self.shown):
            self.place_requested.emit(self.shown[row])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        row = self.currentRow()
        if 0 <= row < len(self.shown) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.place_requested.emit(self.shown[row])
                return
            if event.key() == Qt.Key.Key_Space:
                self.mark_requested.emit(self.shown[row])
                return
        super().keyPressEvent(event)


class FlaggedActions(_Base):
    """Mixed into MainWindow: fill the Flagged tab, find a flagged span's text, mark one."""

    flagged_view: FlaggedPanel
    _flagged_here = False  # the open report has flagged spans of this coder (read again then)

    def refresh_flagged(self, read: bool = True) -> None:
        """Read the open report's flagged spans again (``read``: False keeps them when the
        report has none, so a report without any costs no read per change)."""
        if not read and not self._flagged_here:
            return
        items: list[FlaggedSpan] = []
        if self.report_id is not None:
            # the first report, opened with the page: the page read its flagged spans
            paged = self.queue_panel.model.take_page_flagged(self.report_id)
            items = paged if paged is not None else self.project.flagged_spans(
                coder=self.coder_name, report_ids=[self.report_id])
        self._flagged_here = bool(items)
        self.flagged_view.show_flagged(items)
        index = self.tabs.indexOf(self.flagged_view)
        self.tabs.setTabText(index, f"Flagged ({self.flagged_view.open_count})"
                             if items else "Flagged")
        if self.report_id is not None:  # the queue's mark follows
            self.queue_panel.model.set_flagged(self.report_id, self.flagged_view.open_count)

    def place_flagged(self, flagged: FlaggedSpan) -> None:
        """Select the flagged span's text where it is nearest its old place; the coder then
        presses the type's key."""
        where = nearest_place(self.report_text, flagged)
        if where is None:
            self.statusBar().showMessage(
                f"\u201c{flagged.text}\u201d is not in the corrected text: select what it became, "
                "tag it, then mark the flagged span re-placed (Space in the Flagged tab)", 8000)
            return
        self.text.select_range(*where)
        self.text.setFocus()
        st = self.codebook.span_type(flagged.type)
        key = f" ({st.hotkey})" if st is not None and st.hotkey else ""
        self.statusBar().showMessage(
            f"Selected \u201c{flagged.text}\u201d: press the key of {flagged.type}{key} to tag "
            "it again", 8000)

    def mark_flagged(self, flagged: FlaggedSpan) -> None:
        from annotator.core.flagged import MarkFlagged

        if not flagged.replaced:
            self._run(MarkFlagged(flagged, self.coder_id))
