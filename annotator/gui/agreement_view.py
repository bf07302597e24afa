"""The reviewer's view of inter-coder agreement: figures, a chart, the coder-pair matrix, the
confusion matrix of span types, and the disagreements behind each figure (double click opens the
report there)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import compute_agreement
from annotator.core.agreement.alpha import RELIABLE, TENTATIVE, figure_text, thresholds_text
from annotator.core.agreement.report import rows as figure_rows
from annotator.core.project import Project

_LABEL_COLORS = {"reliable": "#2e7d32", "tentative": "#a06800", "unreliable": "#c62828",
                 "undefined": "#777777"}


def _item(text: str, color: str | None = None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if color:
        it.setForeground(QColor(color))
    return it


class BarChart(QWidget):
    """Horizontal bars from -0.2 to 1 with the reliability thresholds and the 95% interval."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict[str, Any]] = []
        self.setMinimumHeight(200)

    def set_figures(self, figures: list[dict[str, Any]]) -> None:
        self.figures = [f for f in figures if f["value"] is not None]
        self.setMinimumHeight(22 * len(self.figures) + 30)
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_w, right = 260, 20
        width = max(50, self.width() - label_w - right)

        def x(v: float) -> float:
            return label_w + (max(-0.2, min(1.0, v)) + 0.2) / 1.2 * width

        for t in (TENTATIVE, RELIABLE):
            p.setPen(QPen(QColor("#888888"), 1, Qt.PenStyle.DashLine))
            p.drawLine(int(x(t)), 0, int(x(t)), self.height())
        p.setPen(QColor("#333333"))
        p.drawText(int(x(TENTATIVE)) - 14, self.height() - 4, figure_text(TENTATIVE))
        p.drawText(int(x(RELIABLE)) + 2, self.height() - 4, figure_text(RELIABLE))
        for i, f in enumerate(self.figures):
            y = 6 + i * 22
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(4, y, label_w - 8, 18), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{f['item']} {f['measure']}")
            v = float(f["value"])
            color = QColor(_LABEL_COLORS.get(f["label"], "#777777"))
            p.fillRect(QRectF(x(0), y + 3, x(v) - x(0), 12), color)
            if f.get("ci_low") is not None:
                p.setPen(QPen(QColor("#000000"), 1.5))
                p.drawLine(int(x(f["ci_low"])), y + 9, int(x(f["ci_high"])), y + 9)
        p.end()


def related(figure: dict[str, Any], disagreement: dict[str, Any]) -> bool:
    """Whether a disagreement lies behind a figure (same span type, attribute or slot)."""
    section, item = figure["section"], figure["item"]
    kind, detail = disagreement["kind"], disagreement["detail"]
    if section == "spans":
        if not kind.startswith("span_") and kind not in ("boundary_mismatch", "type_mismatch"):
            return False
        return item == "_all" or item in detail.split("/")
    owner, _, name = item.partition(".")
    if section == "attributes":
        return kind == "attribute_mismatch" and detail == name
    return kind in ("claim_slot_mismatch", "claim_attribute_mismatch") and detail == name


class AgreementDialog(QDialog):
    """Figures, chart, pair and confusion matrices, disagreements; ``open_at`` on double click."""

    open_at = Signal(str, int)  # report external id, code point offset

    def __init__(self, project: Project, parent: QWidget | None = None, resamples: int = 1000) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inter-coder agreement")
        self.project = project
        data = project.agreement_data()
        self.result = compute_agreement(data, resamples=resamples).to_json()
        r = self.result
        head = QLabel(
            f"Coders: {', '.join(r['coders'])}. Reports used (done by every coder): "
            f"{r['reports_used']}; left out: {r['reports_excluded']}. "
            f"{thresholds_text()}. Select a figure to see the "
            "disagreements behind it; double click one to open the report there."
        )
        head.setWordWrap(True)
        self.figures = list(figure_rows(r))
        self.table = QTableWidget(len(self.figures), 7)
        self.table.setObjectName("figures")
        self.table.setHorizontalHeaderLabels(["Section", "Item", "Measure", "Value", "95% CI", "n", "Reading"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for i, f in enumerate(self.figures):
            ci = "" if f["ci_low"] is None else f"{f['ci_low']:.3f} to {f['ci_high']:.3f}"
            value = "–" if f["value"] is None else f"{f['value']:.3f}"
            reading = f["label"] + (f" ({f['reason']})" if f.get("reason") and f["value"] is None else "")
            if f.get("kappa") is not None:
                reading += f"; kappa {f['kappa']:.3f}"
            for col, text in enumerate([f["section"], f["item"], f["measure"], value, ci, str(f["n"]), reading]):
                self.table.setItem(i, col, _item(text, _LABEL_COLORS.get(f["label"]) if col in (3, 6) else None))
        self.table.resizeColumnsToContents()
        self.chart = BarChart()
        self.chart.set_figures(self.figures)
        coders = r["coders"]
        self.pairs = QTableWidget(len(coders), len(coders))
        self.pairs.setObjectName("pairs")
        self.pairs.setHorizontalHeaderLabels(coders)
        self.pairs.setVerticalHeaderLabels(coders)
        for pair, v in r["spans"]["_all"]["f1_exact"]["pairs"].items():
            a, b = pair.split("|")
            i, j = coders.index(a), coders.index(b)
            text = "–" if v is None else f"{v:.3f}"
            self.pairs.setItem(i, j, _item(f"exact {text}"))
            ov = r["spans"]["_all"]["f1_overlap"]["pairs"][pair]
            self.pairs.setItem(j, i, _item(f"overlap {'–' if ov is None else f'{ov:.3f}'}"))
        types = list(r["confusion_span_types"])
        self.confusion = QTableWidget(len(types), len(types))
        self.confusion.setObjectName("confusion")
        self.confusion.setHorizontalHeaderLabels(types)
        self.confusion.setVerticalHeaderLabels(types)
        for i, a in enumerate(types):
            for j, b in enumerate(types):
                self.confusion.setItem(i, j, _item(str(r["confusion_span_types"][a].get(b, 0))))
        self.disagreements = QTableWidget(0, 5)
        self.disagreements.setObjectName("disagreements")
        self.disagreements.setHorizontalHeaderLabels(["Report", "Where", "Kind", "What", "Values"])
        self.disagreements.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.disagreements.cellDoubleClicked.connect(self._open)
        self._shown: list[dict[str, Any]] = []
        self.table.currentCellChanged.connect(lambda row, *_: self._filter(row))
        self._filter(-1)

        tabs = QTabWidget()
        tabs.addTab(self.table, "Figures")
        tabs.addTab(self.chart, "Chart")
        tabs.addTab(self.pairs, "Coder pairs")
        tabs.addTab(self.confusion, "Span types")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(tabs)
        split.addWidget(self.disagreements)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(split, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.resize(1000, 720)

    def _filter(self, row: int) -> None:
        all_d = self.result["disagreements"]
        self._shown = all_d if row < 0 else [d for d in all_d if related(self.figures[row], d)]
        self.disagreements.setRowCount(len(self._shown))
        for i, d in enumerate(self._shown):
            where = "" if d["start"] is None else f"{d['start']}–{d['end']}"
            for col, text in enumerate([d["report"], where, d["kind"], d["detail"], repr(d["values"])]):
                self.disagreements.setItem(i, col, _item(text))
        self.disagreements.resizeColumnsToContents()

    def _open(self, row: int, _col: int) -> None:
        d = self._shown[row]
        self.open_at.emit(d["report"], d["start"] or 0)
