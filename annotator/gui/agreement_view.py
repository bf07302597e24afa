"""The reviewer's view of inter-coder agreement: figures, a chart, the coder-pair matrix, the
confusion matrix of span types, and the disagreements behind each figure (double click opens the
report there)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import compute_agreement, pairwise_agreement
from annotator.core.agreement.alpha import RELIABLE, TENTATIVE, figure_text, thresholds_text
from annotator.core.agreement.kinds import kind_name
from annotator.core.agreement.report import rows as figure_rows
from annotator.core.agreement.report import selection_text
from annotator.core.project import Project
from annotator.gui.contrast import MARK_CONTRAST, readable, verdict_color
from annotator.gui.geometry import GeometryGuard
from annotator.gui.screen_fit import clamp_to_screen, initial_size


def _item(text: str, color: QColor | None = None, tip: str | None = None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if color is not None:
        it.setForeground(color)
    if tip:
        it.setToolTip(tip)
    return it


class BarChart(QWidget):
    """Horizontal bars from -0.2 to 1 in two groups: the alphas with their 95% intervals and
    alpha's thresholds, then the F1 means, which have no thresholds (grey, no dashed lines).
    The label column is as wide as the longest label (at most 45% of the width, elided past
    that); the chart sits in a scroll area, so no row is cut off."""

    ROW = 22
    HEAD = 24

    def __init__(self) -> None:
        super().__init__()
        self.alphas: list[dict[str, Any]] = []
        self.f1s: list[dict[str, Any]] = []
        self.setMinimumHeight(200)

    @property
    def figures(self) -> list[dict[str, Any]]:
        return self.alphas + self.f1s

    def set_figures(self, figures: list[dict[str, Any]]) -> None:
        shown = [f for f in figures if f["value"] is not None]
        self.f1s = [f for f in shown if f["measure"].startswith("f1")]
        self.alphas = [f for f in shown if not f["measure"].startswith("f1")]
        self.setMinimumHeight(self._height())
        self.update()

    def _height(self) -> int:
        groups = sum(1 for g in (self.alphas, self.f1s) if g)
        return self.ROW * len(self.figures) + (self.HEAD + 8) * groups + 24

    @staticmethod
    def text_of(f: dict[str, Any]) -> str:
        return f"{f['item_label']} — {f['measure_label']}"

    def label_width(self) -> int:
        fm = QFontMetrics(self.font())
        widest = max((fm.horizontalAdvance(self.text_of(f)) for f in self.figures), default=100)
        return min(widest + 16, int(self.width() * 0.45))

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        label_w, right, gap = self.label_width(), 24, 10
        width = max(50, self.width() - label_w - gap - right)

        def x(v: float) -> float:
            return label_w + gap + (max(-0.2, min(1.0, v)) + 0.2) / 1.2 * width

        # the palette's colours (a dark one too): text, lines and bars readable on the window
        pal = self.palette()
        ground = pal.color(QPalette.ColorRole.Window)
        ink = pal.color(QPalette.ColorRole.WindowText)
        faint = readable(pal.color(QPalette.ColorRole.Mid), ground, MARK_CONTRAST)

        def bar(label: str | None) -> QColor:
            return verdict_color(label, pal, QPalette.ColorRole.Window, MARK_CONTRAST)

        y = 4
        for title, group, thresholds in (
            ("Krippendorff's alpha, 95% interval as a thin line; dashed: "
             f"{figure_text(TENTATIVE)} and {figure_text(RELIABLE)}", self.alphas, True),
            ("F1 means (no reliability thresholds)", self.f1s, False),
        ):
            if not group:
                continue
            p.setPen(ink)
            p.drawText(QRectF(4, y, self.width() - 8, self.HEAD - 4),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
            y += self.HEAD
            top = y
            for f in group:
                p.setPen(ink)
                text = fm.elidedText(self.text_of(f), Qt.TextElideMode.ElideMiddle, label_w - 12)
                p.drawText(QRectF(4, y, label_w - 10, 18),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
                v = float(f["value"])
                p.fillRect(QRectF(min(x(0), x(v)), y + 3, abs(x(v) - x(0)), 12), bar(f["label"]))
                if f.get("ci_low") is not None:
                    p.setPen(QPen(ink, 1.5))
                    p.drawLine(int(x(f["ci_low"])), y + 9, int(x(f["ci_high"])), y + 9)
                y += self.ROW
            axis = [(0.0, "0"), (1.0, "1")]
            if thresholds:
                axis = [(0.0, "0"), (TENTATIVE, figure_text(TENTATIVE)), (RELIABLE, figure_text(RELIABLE)),
                        (1.0, "1")]
                p.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
                for t in (TENTATIVE, RELIABLE):
                    p.drawLine(int(x(t)), top, int(x(t)), y)
            p.setPen(QPen(faint, 1))
            p.drawLine(int(x(0)), top, int(x(0)), y)
            p.setPen(ink)
            for v, text in axis:
                w = fm.horizontalAdvance(text)
                p.drawText(int(x(v) - w / 2), y + fm.ascent(), text)
            y += fm.height() + 8
        p.end()


def related(figure: dict[str, Any], disagreement: dict[str, Any]) -> bool:
    """Whether a disagreement lies behind a figure (same span type, attribute or slot)."""
    section, item = str(figure["section"]), str(figure["item"])
    kind, detail = str(disagreement["kind"]), str(disagreement["detail"])
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

    def __init__(self, project: Project, parent: QWidget | None = None, resamples: int = 1000,
                 every_coder: bool = False) -> None:
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle("Inter-coder agreement")
        self.project = project
        data = project.agreement_data()
        # each coder pair on the reports both finished (agreement/pairs.py), or, asked for, the
        # reports every coder finished
        compute = compute_agreement if every_coder else pairwise_agreement
        self.outcome = compute(data, resamples=resamples).to_json()
        r = self.outcome
        head = QLabel(
            f"Coders: {', '.join(r['coders'])}. {selection_text(r).capitalize()}; "
            f"left out: {r['reports_excluded']}. "
            f"{thresholds_text()}. Select a figure to see the "
            "disagreements behind it; double click one to open the report there."
        )
        head.setObjectName("agreement_head")
        head.setWordWrap(True)
        self.figures = list(figure_rows(r))
        self.table = QTableWidget(len(self.figures), 7)
        self.table.setObjectName("figures")
        self.table.setHorizontalHeaderLabels(["Section", "Item", "Measure", "Value", "95% CI", "n", "Reading"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        pal = self.table.palette()  # the verdict's colour, readable on the cells' background
        for i, f in enumerate(self.figures):
            ci = "" if f["ci_low"] is None else f"{f['ci_low']:.3f} to {f['ci_high']:.3f}"
            value = "–" if f["value"] is None else f"{f['value']:.3f}"
            cells = [f["section_label"], f["item_label"], f["measure_label"], value, ci, str(f["n"]), f["reading"]]
            for col, text in enumerate(cells):
                self.table.setItem(i, col, _item(text, verdict_color(f["label"], pal) if col in (3, 6) else None,
                                                 f["item"] if col == 1 else None))
        self.table.resizeColumnsToContents()
        self.chart = BarChart()
        self.chart.set_figures(self.figures)
        chart_area = QScrollArea()
        chart_area.setObjectName("chart_area")
        chart_area.setWidgetResizable(True)
        chart_area.setWidget(self.chart)
        coders = r["coders"]
        self.pairs = QTableWidget(len(coders), len(coders))
        self.pairs.setObjectName("pairs")
        self.pairs.setHorizontalHeaderLabels(coders)
        self.pairs.setVerticalHeaderLabels(coders)
        for pair, v in r["spans"]["_all"]["f1_exact"]["pairs"].items():
            a, b = pair.split("|")
            i, j = coders.index(a), coders.index(b)
            text = "–" if v is None else f"{v:.3f}"
            n = r.get("pairs", {}).get(pair, {}).get("n")
            self.pairs.setItem(i, j, _item(f"exact {text}" + (f" (n {n})" if n is not None else "")))
            ov = r["spans"]["_all"]["f1_overlap"]["pairs"][pair]
            self.pairs.setItem(j, i, _item(f"overlap {'–' if ov is None else f'{ov:.3f}'}"))
        types = list(r["confusion_span_types"])
        labels = r.get("labels", {})
        self.confusion = QTableWidget(len(types), len(types))
        self.confusion.setObjectName("confusion")
        self.confusion.setHorizontalHeaderLabels([labels.get(t, t) for t in types])
        self.confusion.setVerticalHeaderLabels([labels.get(t, t) for t in types])
        for i, a in enumerate(types):
            for j, b in enumerate(types):
                self.confusion.setItem(i, j, _item(str(r["confusion_span_types"][a].get(b, 0))))
        self.disagreements = QTableWidget(0, 5)
        self.disagreements.setObjectName("disagreements")
        self.disagreements.setHorizontalHeaderLabels(["Report", "Where", "Kind", "What", "Versions"])
        self.disagreements.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.disagreements.cellDoubleClicked.connect(self._open)
        self._shown: list[dict[str, Any]] = []
        self.table.currentCellChanged.connect(lambda row, *_: self._filter(row))
        self._filter(-1)

        tabs = QTabWidget()
        tabs.addTab(self.table, "Figures")
        tabs.addTab(chart_area, "Chart")
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
        split.setSizes([420, 240])
        self.resize(*initial_size(self, 1100, 760))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        clamp_to_screen(self)

    def _filter(self, row: int) -> None:
        all_d = self.outcome["disagreements"]
        self._shown = all_d if row < 0 else [d for d in all_d if related(self.figures[row], d)]
        self.disagreements.setRowCount(len(self._shown))
        for i, d in enumerate(self._shown):
            where = "" if d["start"] is None else f"{d['start']}–{d['end']}"
            cells = [d["report"], where, kind_name(d["kind"]), d.get("what") or d["detail"], d.get("shown", "")]
            for col, text in enumerate(cells):
                self.disagreements.setItem(i, col, _item(text))
        self.disagreements.resizeColumnsToContents()

    def _open(self, row: int, _col: int) -> None:
        d = self._shown[row]
        self.open_at.emit(d["report"], d["start"] or 0)
