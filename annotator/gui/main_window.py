"""The main window: the report queue, the report text, the coder's spans; all through Project."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import AddSpan, Changes, CommandError, DeleteSpan, SetStatus
from annotator.core.offsets import snap_to_words
from annotator.core.project import Project
from annotator.core.queries import SpanRow
from annotator.gui.bridge import ChangeBridge
from annotator.gui.text_view import ReportTextView

_STATUS_MARK = {"todo": "○", "in_progress": "◐", "done": "●"}
_STATUS_FILTERS = [
    ("All reports", None),
    ("To do", "todo"),
    ("In progress", "in_progress"),
    ("Done", "done"),
]


def _describe(value: object) -> str:
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        return "/".join(
            "" if value.get(k) is None else str(value[k]) for k in ("low", "best", "high")
        )
    return str(value)


class MainWindow(QMainWindow):
    def __init__(self, project: Project, coder_id: int) -> None:
        super().__init__()
        self.project = project
        self.coder_id = coder_id
        self.coder_name = next(c.name for c in project.coders() if c.id == coder_id)
        self.report_id: int | None = None
        self._spans: list[SpanRow] = []
        self._colors = {t.id: t.color for t in project.codebook.span_types}
        self.setWindowTitle(f"Annotator — {project.location}")

        self.queue = QListWidget()
        self.queue.setObjectName("queue")
        self.status_filter = QComboBox()
        for label, _ in _STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.status_filter)
        lay.addWidget(self.search)
        lay.addWidget(self.queue)

        self.text = ReportTextView()
        self.text.setObjectName("report_text")
        self.spans_view = QTreeWidget()
        self.spans_view.setObjectName("spans")
        self.spans_view.setHeaderLabels(["Type", "Text", "Values"])
        self.spans_view.setRootIsDecorated(False)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(self.spans_view)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 700, 380])
        self.setCentralWidget(self.splitter)
        self.progress = QLabel()
        self.statusBar().addPermanentWidget(self.progress)

        self._build_menus()
        self.bridge = ChangeBridge(project, self)
        self.bridge.changed.connect(self._on_changes)
        self.queue.currentItemChanged.connect(self._on_queue_item)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload_queue())
        self.search.textChanged.connect(lambda _t: self.reload_queue())
        self.text.caret_moved.connect(self._on_caret)
        self.spans_view.itemActivated.connect(self._on_span_activated)
        self._restore_layout()
        self.reload_queue()
        if self.queue.count():
            self.queue.setCurrentRow(0)
        self.text.setFocus()

    # ------------------------------------------------------------ menus

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit = bar.addMenu("&Edit")
        self.undo_action = QAction("&Undo", self, shortcut=QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.project.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.project.redo)
        self.delete_action = QAction("&Delete span", self, shortcut=QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_current_span)
        for a in (self.undo_action, self.redo_action, self.delete_action):
            edit.addAction(a)

        tag = bar.addMenu("&Tag")
        self.tag_actions: dict[str, QAction] = {}
        for st in self.project.codebook.span_types:
            action = QAction(f"Tag as {st.label}", self)
            if st.hotkey:
                action.setShortcut(QKeySequence(st.hotkey))
            action.triggered.connect(lambda _c=False, t=st.id: self.tag_selection(t))
            tag.addAction(action)
            self.tag_actions[st.id] = action

        report = bar.addMenu("&Report")
        self.done_action = QAction("Mark &done and go to next", self)
        self.done_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.done_action.triggered.connect(self.mark_done_and_next)
        nxt = QAction("&Next report", self, shortcut=QKeySequence("Ctrl+PgDown"))
        nxt.triggered.connect(lambda: self._step(1))
        prev = QAction("&Previous report", self, shortcut=QKeySequence("Ctrl+PgUp"))
        prev.triggered.connect(lambda: self._step(-1))
        for a in (self.done_action, nxt, prev):
            report.addAction(a)
        self._update_undo_labels()

    def _update_undo_labels(self) -> None:
        u, r = self.project.undo_label, self.project.redo_label
        self.undo_action.setText(f"&Undo {u}" if u else "&Undo")
        self.undo_action.setEnabled(u is not None)
        self.redo_action.setText(f"&Redo {r}" if r else "&Redo")
        self.redo_action.setEnabled(r is not None)

    # ------------------------------------------------------------ queue

    def reload_queue(self) -> None:
        status = _STATUS_FILTERS[self.status_filter.currentIndex()][1]
        rows = self.project.reports(
            coder_id=self.coder_id, status=status, search=self.search.text().strip() or None
        )
        current = self.report_id
        self.queue.blockSignals(True)
        self.queue.clear()
        for row in rows:
            st = row.statuses.get(self.coder_name, "todo")
            item = QListWidgetItem(f"{_STATUS_MARK[st]}  {row.title or row.external_id}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(
                f"{row.external_id} · {row.length:,} characters · {st.replace('_', ' ')}"
            )
            self.queue.addItem(item)
            if row.id == current:
                self.queue.setCurrentItem(item)
        self.queue.blockSignals(False)
        self._update_progress()

    def _update_progress(self) -> None:
        counts = next((c.counts for c in self.project.coders() if c.id == self.coder_id), {})
        total = len(self.project.reports())
        done = counts.get("done", 0)
        self.progress.setText(f"Coder: {self.coder_name}   ·   {done} of {total} reports done")

    def _on_queue_item(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.open_report(int(item.data(Qt.ItemDataRole.UserRole)))

    def open_report(self, report_id: int) -> None:
        detail = self.project.report(report_id)
        self.report_id = report_id
        self.text.set_report_text(detail.text)
        self._reload_spans()
        self.statusBar().showMessage(f"{detail.external_id}: {detail.title}", 5000)

    def _step(self, delta: int) -> None:
        row = self.queue.currentRow() + delta
        if 0 <= row < self.queue.count():
            self.queue.setCurrentRow(row)

    # ------------------------------------------------------------ spans

    def _reload_spans(self) -> None:
        if self.report_id is None:
            return
        self._spans = self.project.spans(self.report_id, self.coder_id)
        self.text.highlight(self._spans, self._colors)
        self.spans_view.clear()
        labels = {t.id: t.label for t in self.project.codebook.span_types}
        for s in self._spans:
            values = ", ".join(f"{k}={_describe(v)}" for k, v in s.attributes.items())
            item = QTreeWidgetItem([labels.get(s.type, s.type), s.text, values])
            item.setData(0, Qt.ItemDataRole.UserRole, s.id)
            self.spans_view.addTopLevelItem(item)

    def span_at(self, pos: int) -> SpanRow | None:
        """The innermost span of this coder containing code point ``pos``."""
        hits = [s for s in self._spans if s.start <= pos < s.end]
        return min(hits, key=lambda s: s.end - s.start) if hits else None

    def _on_caret(self, pos: int) -> None:
        span = self.span_at(pos)
        for i in range(self.spans_view.topLevelItemCount()):
            item = self.spans_view.topLevelItem(i)
            if (
                item is not None
                and span is not None
                and item.data(0, Qt.ItemDataRole.UserRole) == span.id
            ):
                self.spans_view.setCurrentItem(item)
                return
        self.spans_view.clearSelection()

    def _on_span_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        sid = item.data(0, Qt.ItemDataRole.UserRole)
        span = next((s for s in self._spans if s.id == sid), None)
        if span is not None:
            self.text.select_range(span.start, span.end)
            self.text.setFocus()

    def tag_selection(self, type_id: str) -> None:
        sel = self.text.selection()
        if self.report_id is None or sel is None:
            self.statusBar().showMessage("Select some text first, then press the type's key.", 4000)
            return
        start, end = snap_to_words(self.text.text, *sel)
        if start >= end:
            return
        self._run(AddSpan(self.report_id, self.coder_id, type_id, start, end))

    def delete_current_span(self) -> None:
        span = self.span_at(self.text.caret())
        if span is None:
            self.statusBar().showMessage("Put the caret inside a span to delete it.", 4000)
            return
        self._run(DeleteSpan(span.id))

    def mark_done_and_next(self) -> None:
        if self.report_id is None:
            return
        row = self.queue.currentRow()
        self._run(SetStatus(self.report_id, self.coder_id, "done"))
        if row + 1 < self.queue.count():
            self.queue.setCurrentRow(row + 1)

    def _run(self, cmd: object) -> None:
        try:
            self.project.run(cmd)  # type: ignore[arg-type]
        except CommandError as exc:
            QMessageBox.warning(self, "Annotator", str(exc))

    def _on_changes(self, changes: Changes) -> None:
        self._update_undo_labels()
        if changes.structure or changes.statuses:
            self.reload_queue()
        if self.report_id is not None and (self.report_id in changes.reports or changes.structure):
            self._reload_spans()
        if changes.label:
            self.statusBar().showMessage(changes.label, 3000)

    # ------------------------------------------------------------ persistence of the layout

    def _restore_layout(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1340, 840)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        self.bridge.detach()
        super().closeEvent(event)
