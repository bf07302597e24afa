"""The slots of the current claim: one row per slot with its spans; spans can be dropped on a slot."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.core.codebook import NOT_REPORTED, ClaimTypeDef, SlotDef

SPAN_MIME = "application/x-annotator-span"

_SLOT_ROLE = Qt.ItemDataRole.UserRole
_SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
# a colour, not a QBrush: the first QBrush made in Python builds the enums of PySide's QGradient
# and QImage (about 10 ms, on the first claim shown); the delegate paints a colour as its brush
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_GREY, _NEEDED = QColor("#666666"), QColor("#b00020")


def span_mime(span_id: int) -> QMimeData:
    data = QMimeData()
    data.setData(SPAN_MIME, str(span_id).encode())
    data.setText(f"span {span_id}")
    return data


class SlotTree(QTreeWidget):
    """Slots of one claim. Drop a span (from the span list) on a slot row to fill it."""

    span_dropped = Signal(str, int)  # slot id, span id
    remove_requested = Signal(str, int)  # slot id, span id
    span_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None,
                 span_labels: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self.span_labels = dict(span_labels or {})  # span type id -> codebook label
        self.setHeaderLabels(["Slot", "Filled with"])
        self.setColumnWidth(0, 150)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(self._on_activated)

    def show_claim(
        self,
        claim_type: ClaimTypeDef | None,
        slots: Mapping[str, list[int] | str],
        describe: Mapping[int, str],
        missing: set[str],
    ) -> None:
        self.clear()
        if claim_type is None:
            return
        for sd in claim_type.slots:
            key = f" [{sd.hotkey}]" if sd.hotkey else ""
            row = QTreeWidgetItem([f"{sd.label}{key}", ""])
            row.setData(0, _SLOT_ROLE, sd.id)
            row.setToolTip(0, self.accepts_text(sd))
            fill = slots.get(sd.id)
            if fill == NOT_REPORTED:
                row.setText(1, "not reported")
                row.setData(1, _FOREGROUND, _GREY)
            elif fill:
                assert not isinstance(fill, str)
                row.setText(1, f"{len(fill)} span(s)" if len(fill) > 1 else describe.get(fill[0], "?"))
                if len(fill) > 1:
                    for sid in fill:
                        child = QTreeWidgetItem(["", describe.get(sid, "?")])
                        child.setData(0, _SLOT_ROLE, sd.id)
                        child.setData(0, _SPAN_ROLE, sid)
                        row.addChild(child)
                else:
                    row.setData(0, _SPAN_ROLE, fill[0])
            elif sd.id in missing:
                row.setText(1, "needed")
                row.setData(1, _FOREGROUND, _NEEDED)
            self.addTopLevelItem(row)
            row.setExpanded(True)

    def accepts_text(self, sd: SlotDef) -> str:
        """"Takes Actor spans (at least 1)": the codebook labels, never the type ids."""
        kinds = " or ".join(self.span_labels.get(t, t.replace("_", " ")) for t in sd.accepts)
        if sd.max == 1:
            many = "exactly one" if sd.min >= 1 else "at most one"
        elif sd.min >= 1:
            many = f"at least {sd.min}" + ("" if sd.max is None else f", at most {sd.max}")
        else:
            many = "any number" if sd.max is None else f"at most {sd.max}"
        return f"Takes {kinds} spans ({many})"

    def _on_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        sid = item.data(0, _SPAN_ROLE)
        if sid is not None:
            self.span_activated.emit(int(sid))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and item is not None:
            sid = item.data(0, _SPAN_ROLE)
            if sid is not None:
                self.remove_requested.emit(str(item.data(0, _SLOT_ROLE)), int(sid))
                return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ drag and drop

    def _slot_at(self, event: QDropEvent | QDragMoveEvent) -> str | None:
        item = self.itemAt(event.position().toPoint())
        return None if item is None else str(item.data(0, _SLOT_ROLE))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(SPAN_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(SPAN_MIME) and self._slot_at(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        slot = self._slot_at(event)
        data = event.mimeData()
        if slot and data.hasFormat(SPAN_MIME):
            self.span_dropped.emit(slot, int(bytes(data.data(SPAN_MIME).data()).decode()))
            event.acceptProposedAction()
        else:
            event.ignore()
