"""The scan's suggested spans for the open report, listed in text order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from annotator.core.codebook import Codebook
from annotator.core.summary import span_value

_ID = Qt.ItemDataRole.UserRole


class _SuggestionRow:
    """A suggestion seen as a span row (for span_value)."""

    def __init__(self, s: Any) -> None:
        self.type, self.text, self.attributes = s.type, s.text, s.attributes


def suggestion_value(s: Any, codebook: Codebook | None = None) -> str:
    return span_value(_SuggestionRow(s), codebook) if s.attributes else ""


class SuggestionsPanel(QTreeWidget):
    """One row per suggested span; ``suggestion_chosen(index)`` when the current row changes."""

    suggestion_chosen = Signal(int)

    def __init__(
        self,
        labels: Mapping[str, str],
        colors: Mapping[str, str],
        parent: QWidget | None = None,
        codebook: Codebook | None = None,
    ) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.setObjectName("suggestions")
        self.setHeaderLabels(["Type", "Text", "Value"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.labels = dict(labels)
        self.colors = {k: QColor(v) for k, v in colors.items()}
        self.currentItemChanged.connect(self._on_item)

    def show_suggestions(self, suggestions: Sequence[Any]) -> None:
        self.blockSignals(True)
        self.clear()
        items = []
        for k, s in enumerate(suggestions):
            item = QTreeWidgetItem([self.labels.get(s.type, s.type), s.text, suggestion_value(s, self.codebook)])
            item.setData(0, _ID, k)
            item.setForeground(0, self.colors.get(s.type, QColor("#333333")))
            items.append(item)
        self.addTopLevelItems(items)
        self.blockSignals(False)

    def _on_item(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.suggestion_chosen.emit(int(item.data(0, _ID)))
