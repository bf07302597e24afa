"""The coder's spans of the open report, as a lazily laid-out table (type, text, stored value)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from annotator.core.codebook import Codebook
from annotator.core.queries import SpanRow
from annotator.core.summary import stored_value
from annotator.gui.claim_panel import SPAN_MIME, span_mime
from annotator.gui.table_model import RowsModel

ID_ROLE = Qt.ItemDataRole.UserRole
_MISSING = QColor("#b00020")


class _RowOf:
    """Span id -> row number, by a binary search on the rows (kept in text order), so that
    adding a span to a 10,000-span report renumbers nothing."""

    def __init__(self, model: SpanModel) -> None:
        self._model = model

    def get(self, span_id: int, default: int | None = None) -> int | None:
        model = self._model
        row = model.by_id.get(span_id)
        if row is None:
            return default
        return bisect.bisect_left(model.rows, _order(row), key=_order)

    def __getitem__(self, span_id: int) -> int:
        row = self.get(span_id)
        if row is None:
            raise KeyError(span_id)
        return row

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._model.by_id


def _order(row: SpanRow) -> tuple[int, int, int]:
    return (row.start, row.end, row.id)


class SpanModel(RowsModel):
    """The coder's spans as a table model: a 10,000-span report lists without 10,000 items."""

    HEADERS = ("Type", "Text", "Value")

    def __init__(self, labels: dict[str, str], colors: dict[str, str], codebook: Codebook | None = None) -> None:
        super().__init__()
        self.codebook = codebook
        self.rows: list[SpanRow] = []
        self.by_id: dict[int, SpanRow] = {}
        self.row_of = _RowOf(self)  # type: ignore[assignment]  # a lookup, not a dict
        self.labels = labels
        self.colors = {k: QColor(v) for k, v in colors.items()}
        self.missing: Mapping[int, list[str]] = {}
        self._previous: tuple[list[SpanRow], dict[int, SpanRow]] = ([], {})

    def set_rows(self, rows: Sequence[SpanRow], missing: Mapping[int, list[str]] | None = None,
                 by_id: Mapping[int, SpanRow] | None = None) -> None:
        """``rows`` in text order; ``missing``: span id -> labels of required values it has none
        stored for (read, never changed, here); ``by_id``: the rows by id, when the caller has
        them (copied: the model's own)."""
        # the last report's 10,000 rows are freed after the new ones are on screen, not before
        self._previous = (self.rows, self.by_id)
        QTimer.singleShot(250, self._forget_previous)
        self.beginResetModel()
        self.rows = list(rows)  # the model's own list: it changes only between begin/end calls
        self.by_id = dict(by_id) if by_id is not None else {r.id: r for r in self.rows}
        self.missing = missing if missing is not None else {}
        self.endResetModel()

    def _forget_previous(self) -> None:
        self._previous = ([], {})

    def apply_patch(self, removed: Sequence[SpanRow], added: Sequence[SpanRow],
                    missing: Mapping[int, list[str]]) -> None:
        """Rows went and came (a change of a few spans): only those rows are removed and
        inserted, so the view keeps its place and lays out nothing else."""
        self.missing = missing
        root = QModelIndex()
        came = {r.id: r for r in added}
        changed_in_place = []
        for r in removed:  # a row changed where it stands (a retag, a value): one dataChanged
            new = came.get(r.id)
            if new is not None and _order(new) == _order(r):
                i = bisect.bisect_left(self.rows, _order(r), key=_order)
                if i < len(self.rows) and self.rows[i].id == r.id:
                    self.rows[i] = new
                    self.by_id[r.id] = new
                    changed_in_place.append(i)
        moved = {r.id for r in added} - {self.rows[i].id for i in changed_in_place}
        removed = [r for r in removed if r.id in moved or r.id not in came]
        added = [r for r in added if r.id in moved]
        for i in changed_in_place:
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))
        for r in removed:
            i = bisect.bisect_left(self.rows, _order(r), key=_order)
            if i < len(self.rows) and self.rows[i].id == r.id:
                self.beginRemoveRows(root, i, i)
                del self.rows[i]
                self.by_id.pop(r.id, None)
                self.endRemoveRows()
        for r in added:
            i = bisect.bisect_left(self.rows, _order(r), key=_order)
            self.beginInsertRows(root, i, i)
            self.rows.insert(i, r)
            self.by_id[r.id] = r
            self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.labels.get(row.type, row.type)
            if col == 1:
                return row.text
            value = stored_value(row, self.codebook)
            missing = self.missing.get(row.id)
            if missing:
                return f"{value}  ⚠ needs {', '.join(missing)}" if value else f"⚠ needs {', '.join(missing)}"
            return value
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return self.colors.get(row.type)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and row.id in self.missing:
            return _MISSING
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return f"{row.key}: {row.start}–{row.end}"
        if role == ID_ROLE:
            return row.id
        return None

    _FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDragEnabled

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [SPAN_MIME]

    def mimeData(self, indexes: Any) -> Any:  # noqa: N802
        for index in indexes:
            if index.isValid():
                return span_mime(self.rows[index.row()].id)
        return None


class SpanList(QTableView):
    """The coder's spans in text order; rows can be dragged onto a claim's slots.

    A table view, not a tree: it lays out 10,000 rows without visiting each of them."""

    def __init__(self, model: SpanModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

    def span_model(self) -> SpanModel:
        model = self.model()
        assert isinstance(model, SpanModel)
        return model

    def apply_patch(self, removed: Sequence[SpanRow], added: Sequence[SpanRow],
                    missing: Mapping[int, list[str]]) -> None:
        """Patch the model's rows without the selection model reporting a "new current row"
        when the current one goes or moves (the window chooses the current span itself)."""
        sel = self.selectionModel()
        sel.blockSignals(True)
        try:
            self.span_model().apply_patch(removed, added, missing)
        finally:
            sel.blockSignals(False)

    def select_span(self, span_id: int | None) -> None:
        """Make the span's row current without emitting the view's signals."""
        model = self.span_model()
        sel = self.selectionModel()
        sel.blockSignals(True)
        # the rows selected or current before (a click selects rows too)
        before = {i.row() for i in sel.selectedIndexes()} | {sel.currentIndex().row()}
        row = model.row_of.get(span_id) if span_id is not None else None
        if row is None:
            sel.clearSelection()
            sel.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
        else:
            index = model.index(row, 0)
            sel.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
        sel.blockSignals(False)
        # signals blocked, the view repaints nothing itself: the rows that lost and gained the
        # selection (a whole screen of rows costs as much as the text's frame)
        viewport = self.viewport()
        for r in before | {row}:
            if r is not None and r >= 0:
                rect = self.visualRect(model.index(r, 0))
                if rect.isValid():
                    viewport.update(0, rect.top(), viewport.width(), rect.height())
