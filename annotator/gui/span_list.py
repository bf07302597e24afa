"""The coder's spans of the open report, as a lazily laid-out table (type, text, stored value)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
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


class SpanModel(RowsModel):
    """The coder's spans as a table model: a 10,000-span report lists without 10,000 items."""

    HEADERS = ("Type", "Text", "Value")

    def __init__(self, labels: dict[str, str], colors: dict[str, str], codebook: Codebook | None = None) -> None:
        super().__init__()
        self.codebook = codebook
        self.rows: list[SpanRow] = []
        self.row_of: dict[int, int] = {}
        self.labels = labels
        self.colors = {k: QColor(v) for k, v in colors.items()}
        self.missing: dict[int, list[str]] = {}

    def set_rows(self, rows: list[SpanRow], missing: dict[int, list[str]] | None = None) -> None:
        """``missing``: span id -> labels of required values it has none stored for."""
        self.beginResetModel()
        self.rows = rows
        self.row_of = {r.id: i for i, r in enumerate(rows)}
        self.missing = missing or {}
        self.endResetModel()

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

    def select_span(self, span_id: int | None) -> None:
        """Make the span's row current without emitting the view's signals."""
        model = self.span_model()
        sel = self.selectionModel()
        sel.blockSignals(True)
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
        self.viewport().update()
