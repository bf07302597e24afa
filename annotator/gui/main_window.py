"""The coding window: queue, report text, spans and claims, and the form; all through Project.

Everything goes through core Commands (stored at once, undoable); the window only reads through
the Project facade and repaints what a change touched. Coders see only their own annotations.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QContextMenuEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import NOT_REPORTED
from annotator.core.commands import (
    AddSpan,
    AddToSlot,
    Batch,
    Changes,
    Command,
    CommandError,
    CreateClaim,
    DeleteClaim,
    DeleteSpan,
    RemoveFromSlot,
    SetClaimAttribute,
    SetNotReported,
    SetSpanAttribute,
    SetSpanType,
    SetStatus,
)
from annotator.core.gcpause import gc_paused
from annotator.core.offsets import snap_to_words
from annotator.core.project import Project
from annotator.core.queries import ClaimRow, SpanRow
from annotator.core.summary import claim_summary, span_value
from annotator.gui.attribute_form import AttributeForm
from annotator.gui.bridge import ChangeBridge
from annotator.gui.claim_panel import SlotTree, span_mime
from annotator.gui.text_view import PaintedSpan, ReportTextView

_STATUS_MARK = {"todo": "○", "in_progress": "◐", "done": "●"}
_STATUS_FILTERS = [
    ("All reports", None),
    ("To do", "todo"),
    ("In progress", "in_progress"),
    ("Done", "done"),
]
_ID = Qt.ItemDataRole.UserRole


class SpanModel(QAbstractTableModel):
    """The coder's spans as a table model: a 10,000-span report lists without 10,000 items."""

    HEADERS = ("Type", "Text", "Value")

    def __init__(self, labels: dict[str, str], colors: dict[str, str]) -> None:
        super().__init__()
        self.rows: list[SpanRow] = []
        self.row_of: dict[int, int] = {}
        self.labels = labels
        self.colors = {k: QColor(v) for k, v in colors.items()}

    def set_rows(self, rows: list[SpanRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.row_of = {r.id: i for i, r in enumerate(rows)}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

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
            return span_value(row) if row.attributes else ""
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return self.colors.get(row.type)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return f"{row.key}: {row.start}–{row.end}"
        if role == _ID:
            return row.id
        return None

    _FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDragEnabled

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mimeTypes(self) -> list[str]:  # noqa: N802
        from annotator.gui.claim_panel import SPAN_MIME

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


class MainWindow(QMainWindow):
    def __init__(self, project: Project, coder_id: int) -> None:
        super().__init__()
        self.project = project
        self.codebook = project.codebook
        self.coder_id = coder_id
        me = next(c for c in project.coders() if c.id == coder_id)
        self.coder_name, self.role = me.name, me.role
        self.report_id: int | None = None
        self.report_text = ""
        self._spans: list[SpanRow] = []
        self._span_by_id: dict[int, SpanRow] = {}
        self._claims: list[ClaimRow] = []
        self.current_span_id: int | None = None
        self.current_claim_id: int | None = None
        # attribute suggestions for spans tagged in this session: span id -> (alternatives, shown)
        self._prefill: dict[int, tuple[list[dict[str, Any]], int]] = {}
        self._suggestions: list[Any] = []  # the scan's suggested spans for the open report
        self.scan_on = False
        self._colors = {t.id: t.color for t in self.codebook.span_types}
        self.setWindowTitle(f"Annotator — {project.location}")
        self.setAcceptDrops(True)  # drop report files or folders to import them
        self._build_widgets()
        self._build_actions()
        self.bridge = ChangeBridge(project, self)
        self.bridge.changed.connect(self._on_changes)
        self._restore_layout()
        self.reload_queue()
        if self.queue.topLevelItemCount():
            self.queue.setCurrentItem(self.queue.topLevelItem(0))
        self.text.setFocus()

    # ================================================================ widgets

    def _build_widgets(self) -> None:
        # left: the queue
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        for label, _ in _STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        self.queue = QTreeWidget()
        self.queue.setObjectName("queue")
        self.queue.setHeaderLabels(["", "Report", "Spans", "Claims"])
        self.queue.setRootIsDecorated(False)
        self.queue.setUniformRowHeights(True)
        header = self.queue.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(4, 4, 0, 4)
        lay.addWidget(self.status_filter)
        lay.addWidget(self.search)
        lay.addWidget(self.queue)

        # centre: palette, text, find bar
        self.text = ReportTextView()
        self.text.setObjectName("report_text")
        self.text.set_colors(self._colors)
        self.text.label_for = self._span_label
        palette = QHBoxLayout()
        palette.setContentsMargins(0, 0, 0, 0)
        self.palette_buttons: dict[str, QToolButton] = {}
        for st in self.codebook.span_types:
            b = QToolButton()
            b.setText(f"{st.label}  {st.hotkey or ''}".strip())
            b.setToolTip(f"Tag the selection as {st.label}" + (f" (key {st.hotkey})" if st.hotkey else ""))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the text's selection
            c = QColor(st.color)
            b.setStyleSheet(
                f"QToolButton {{ background: rgba({c.red()},{c.green()},{c.blue()},70);"
                f" border: 1px solid {st.color}; border-radius: 3px; padding: 2px 8px; }}"
            )
            b.clicked.connect(lambda _c=False, t=st.id: self.tag_selection(t))
            palette.addWidget(b)
            self.palette_buttons[st.id] = b
        palette.addStretch(1)
        self.find_bar = QWidget()
        fb = QHBoxLayout(self.find_bar)
        fb.setContentsMargins(0, 0, 0, 0)
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("find")
        self.find_edit.setPlaceholderText("Find in the report (Enter: next, Shift+Enter: previous, Esc: close)")
        self.find_edit.returnPressed.connect(lambda: self.find_next(False))
        close_find = QAction(self.find_edit)
        close_find.setShortcut(QKeySequence("Escape"))
        close_find.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        close_find.triggered.connect(self.close_find)
        self.find_edit.addAction(close_find)
        self.find_status = QLabel()
        fb.addWidget(QLabel("Find:"))
        fb.addWidget(self.find_edit, 1)
        fb.addWidget(self.find_status)
        self.find_bar.hide()
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 4, 0, 4)
        cl.addLayout(palette)
        cl.addWidget(self.text, 1)
        cl.addWidget(self.find_bar)

        # right: spans and claims lists above, the form below
        self.span_model = SpanModel({t.id: t.label for t in self.codebook.span_types}, self._colors)
        self.spans_view = SpanList(self.span_model)
        self.spans_view.setObjectName("spans")
        self.claims_view = QTreeWidget()
        self.claims_view.setObjectName("claims")
        self.claims_view.setHeaderLabels(["Claim", "Summary"])
        self.claims_view.setRootIsDecorated(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.spans_view, "Spans")
        self.tabs.addTab(self.claims_view, "Claims")
        self.suggestions_view = QTreeWidget()
        self.suggestions_view.setObjectName("suggestions")
        self.suggestions_view.setHeaderLabels(["Type", "Text", "Value"])
        self.suggestions_view.setRootIsDecorated(False)
        self.suggestions_view.currentItemChanged.connect(self._on_suggestion_item)
        self.tabs.addTab(self.suggestions_view, "Suggestions")

        self.form_title = QLabel()
        self.form_title.setObjectName("form_title")
        self.form_title.setWordWrap(True)
        bold = QFont(self.form_title.font())
        bold.setBold(True)
        self.form_title.setFont(bold)
        self.span_type_box = QComboBox()
        self.span_type_box.setObjectName("span_type")
        for st in self.codebook.span_types:
            self.span_type_box.addItem(st.label, st.id)
        self.span_type_box.activated.connect(self._on_retag_box)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_current)
        head = QHBoxLayout()
        head.addWidget(self.span_type_box, 1)
        head.addWidget(self.delete_button)
        self.span_form = AttributeForm()
        self.span_form.setObjectName("span_form")
        self.span_form.attribute_changed.connect(self._on_span_attribute)
        self.span_form.suggestions_accepted.connect(self._on_span_suggestions_accepted)
        self.span_form.escape_pressed.connect(self.text.setFocus)
        span_page = QWidget()
        sp = QVBoxLayout(span_page)
        sp.setContentsMargins(0, 0, 0, 0)
        sp.addLayout(head)
        sp.addWidget(self.span_form, 1)

        self.slot_tree = SlotTree()
        self.slot_tree.setObjectName("slots")
        self.slot_tree.span_dropped.connect(self.fill_slot)
        self.slot_tree.remove_requested.connect(self._remove_from_slot)
        self.slot_tree.span_activated.connect(self.select_span)
        self.claim_form = AttributeForm()
        self.claim_form.setObjectName("claim_form")
        self.claim_form.attribute_changed.connect(self._on_claim_attribute)
        self.claim_form.escape_pressed.connect(self.text.setFocus)
        claim_page = QWidget()
        cp = QVBoxLayout(claim_page)
        cp.setContentsMargins(0, 0, 0, 0)
        cp.addWidget(self.slot_tree, 2)
        cp.addWidget(self.claim_form, 1)

        self.empty_page = QLabel(
            "Select text and press a type's key (or a palette button) to tag it.\n"
            "Put the caret in a span to edit its values (Enter).\n"
            "Press a claim type's key to start a claim. F1 lists every key."
        )
        self.empty_page.setWordWrap(True)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_page.setStyleSheet("color: #555; padding: 8px;")
        self.form_stack = QStackedWidget()
        self.form_stack.addWidget(self.empty_page)
        self.form_stack.addWidget(span_page)
        self.form_stack.addWidget(claim_page)
        form_box = QWidget()
        fl = QVBoxLayout(form_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.form_title)
        fl.addWidget(self.form_stack, 1)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.tabs)
        self.right.addWidget(form_box)
        self.right.setSizes([380, 420])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([270, 680, 400])
        self.setCentralWidget(self.splitter)
        self.coder_label = QLabel()
        self.progress = QLabel()
        self.statusBar().addPermanentWidget(self.coder_label)
        self.statusBar().addPermanentWidget(self.progress)

        self.queue.currentItemChanged.connect(self._on_queue_item)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload_queue())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload_queue)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.text.caret_moved.connect(self._on_caret)
        self.text.context_menu_requested.connect(self._context_menu)
        self.spans_view.selectionModel().currentChanged.connect(self._on_span_index)
        self.spans_view.activated.connect(lambda _i: self.focus_form())
        self.claims_view.currentItemChanged.connect(self._on_claim_item)

    # ================================================================ actions and menus

    def _action(
        self,
        text: str,
        slot: Any,
        keys: list[str] | None = None,
        *,
        text_only: bool = False,
        menu: QMenu | None = None,
    ) -> QAction:
        """An action in a menu; ``text_only`` keys (single letters) work while the text or the
        lists have focus, never while the coder types in the form."""
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        if text_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            for w in (self.text, self.spans_view, self.claims_view, self.slot_tree, self.queue):
                w.addAction(action)
        else:
            self.addAction(action)
        if menu is not None:
            menu.addAction(action)
        self.all_actions.append(action)
        return action

    def _build_actions(self) -> None:
        self.all_actions: list[QAction] = []
        bar = self.menuBar()
        m = bar.addMenu("&File")
        self._action("&Import reports…", self.import_files, ["Ctrl+O"], menu=m)
        self._action("&Export…", self.export_dialog, ["Ctrl+E"], menu=m)
        m.addSeparator()
        self._action("Switch &coder…", self.switch_coder, menu=m)
        m.addSeparator()
        self._action("&Quit", self.close, [QKeySequence(QKeySequence.StandardKey.Quit).toString() or "Ctrl+Q"], menu=m)

        m = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.project.undo, ["Ctrl+Z"], menu=m)
        self.redo_action = self._action("&Redo", self.project.redo, ["Ctrl+Shift+Z", "Ctrl+Y"], menu=m)
        m.addSeparator()
        self._action("&Accept the suggestion, or edit the values of the current span or claim", self.enter, ["Return", "Enter"], text_only=True, menu=m)
        self._action("Edit the &values of the current span or claim", self.focus_form, ["F2"], text_only=True, menu=m)
        self.delete_action = self._action("&Delete the current span or claim (or reject the suggestion)", self.delete_current, ["Delete", "Backspace"], text_only=True, menu=m)
        m.addSeparator()
        self._action("&Find…", self.open_find, ["Ctrl+F"], menu=m)
        self._action("Find &next", lambda: self.find_next(False), ["F3"], menu=m)
        self._action("Find &previous", lambda: self.find_next(True), ["Shift+F3"], menu=m)
        self._action("Close find / clear selection", self.escape, ["Escape"], text_only=True)

        m = bar.addMenu("&Tag")
        self.tag_actions: dict[str, QAction] = {}
        for st in self.codebook.span_types:
            keys = [st.hotkey, f"Alt+{st.hotkey}"] if st.hotkey else None
            self.tag_actions[st.id] = self._action(
                f"Tag as {st.label}", lambda t=st.id: self.tag_selection(t), keys, text_only=True, menu=m
            )
        m.addSeparator()
        m.addAction("(Alt+key tags the exact selection, without snapping to words)").setEnabled(False)

        m = bar.addMenu("&Claim")
        self.claim_actions: dict[str, QAction] = {}
        for ct in self.codebook.claim_types:
            self.claim_actions[ct.id] = self._action(
                f"New {ct.label} claim", lambda t=ct.id: self.new_claim(t),
                [ct.hotkey] if ct.hotkey else None, text_only=True, menu=m,
            )
        # slot keys belong to claim types: one action per key, acting on the current claim's type
        by_key: dict[str, list[str]] = {}
        for ct in self.codebook.claim_types:
            for sd in ct.slots:
                if sd.hotkey and sd.label not in by_key.setdefault(sd.hotkey, []):
                    by_key[sd.hotkey].append(sd.label)
        self.slot_actions: dict[str, QAction] = {}
        self.not_reported_actions: dict[str, QAction] = {}
        if by_key:
            fill = m.addMenu("&Fill a slot of the current claim with the current span")
            nr = m.addMenu("Mark a slot &not reported (again: clear)")
            for key, labels in by_key.items():
                names = " / ".join(labels)
                self.slot_actions[key] = self._action(
                    names, lambda k=key: self.fill_slot_key(k), [key], text_only=True, menu=fill
                )
                self.not_reported_actions[key] = self._action(
                    names, lambda k=key: self.toggle_not_reported_key(k), [f"Shift+{key}"],
                    text_only=True, menu=nr,
                )

        m = bar.addMenu("&Suggest")
        self.scan_action = self._action("&Scan the report for suggested spans", self.toggle_scan, ["Ctrl+Shift+S"], menu=m)
        self._action("&Accept all suggested spans", self.accept_all_suggestions, ["Ctrl+Shift+Return"], menu=m)
        self._action("&Reject all suggested spans", self.reject_all_suggestions, ["Ctrl+Shift+Delete"], menu=m)
        m.addSeparator()
        self._action("&Next suggested value for the current span", lambda: self.cycle_prefill(1), ["]"], text_only=True, menu=m)
        self._action("&Previous suggested value for the current span", lambda: self.cycle_prefill(-1), ["["], text_only=True, menu=m)

        m = bar.addMenu("&Report")
        self._action("Mark &done and go to the next", self.mark_done_and_next, ["Ctrl+Return", "Ctrl+Enter"], menu=m)
        self._action("Mark &in progress", lambda: self._set_status("in_progress"), menu=m)
        self._action("&Next report", lambda: self._step(1), ["Ctrl+PgDown"], menu=m)
        self._action("&Previous report", lambda: self._step(-1), ["Ctrl+PgUp"], menu=m)
        self._action("Set the &reference date for relative dates…", self.ask_reference_date, menu=m)
        self._action("Go to the &queue", lambda: self.queue.setFocus(), ["Ctrl+1"], menu=m)
        self._action("Go to the &text", lambda: self.text.setFocus(), ["Ctrl+2"], menu=m)

        m = bar.addMenu("&View")
        self._action("&Larger text", lambda: self.set_font_size(self.font_size() + 1), ["Ctrl++", "Ctrl+="], menu=m)
        self._action("&Smaller text", lambda: self.set_font_size(self.font_size() - 1), ["Ctrl+-"], menu=m)
        self._action("Go to the &spans list", lambda: self._focus_tab(0), ["Ctrl+3"], menu=m)
        self._action("Go to the &claims list", lambda: self._focus_tab(1), ["Ctrl+4"], menu=m)
        self._action("Go to the suggested s&pans", lambda: self._focus_tab(2), ["Ctrl+5"], menu=m)

        m = bar.addMenu("Re&view")
        self.review_action = self._action("Open &review and adjudication…", self.open_review, ["Ctrl+Shift+R"], menu=m)
        self.agreement_action = self._action("Inter-coder &agreement…", self.open_agreement, ["Ctrl+Shift+A"], menu=m)
        reviewer = self.role == "reviewer"
        for a in (self.review_action, self.agreement_action):
            a.setEnabled(reviewer)
            if not reviewer:
                a.setToolTip("for reviewers: coders code blind")

        m = bar.addMenu("&Help")
        self._action("&Keyboard shortcuts", self.show_shortcuts, ["F1", "?"], menu=m)
        self._update_undo_labels()

    def _focus_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        view = self.tabs.widget(index)
        view.setFocus()
        if isinstance(view, QTreeWidget) and view.currentItem() is None and view.topLevelItemCount():
            view.setCurrentItem(view.topLevelItem(0))

    def show_shortcuts(self) -> None:
        dlg = QDialog(self)
        dlg.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(0, 2)
        table.setObjectName("shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = [
            ("Shift+arrows, Shift+Ctrl+arrows", "Select text by character, by word"),
            ("Drag a span row onto a slot", "Fill the slot with the span"),
            ("Esc (in the form)", "Back to the text"),
            ("Tab / Shift+Tab (in the form)", "Next / previous field"),
        ]
        for a in self.all_actions:
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts())
            if keys:
                rows.append((keys, a.text().replace("&", "")))
        for keys, what in rows:
            r = table.rowCount()
            table.insertRow(r)
            table.setItem(r, 0, QTableWidgetItem(keys))
            table.setItem(r, 1, QTableWidgetItem(what))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        lay = QVBoxLayout(dlg)
        lay.addWidget(table)
        close = QPushButton("Close")
        close.clicked.connect(dlg.accept)
        lay.addWidget(close)
        dlg.resize(620, 560)
        self.shortcut_dialog = dlg
        dlg.show()

    def _update_undo_labels(self) -> None:
        u, r = self.project.undo_label, self.project.redo_label
        self.undo_action.setText(f"&Undo {u}" if u else "&Undo")
        self.undo_action.setEnabled(u is not None)
        self.redo_action.setText(f"&Redo {r}" if r else "&Redo")
        self.redo_action.setEnabled(r is not None)

    # ================================================================ queue

    def reload_queue(self) -> None:
        status = _STATUS_FILTERS[self.status_filter.currentIndex()][1]
        rows = self.project.reports(
            coder_id=self.coder_id, status=status, search=self.search.text().strip() or None
        )
        current = self.report_id
        self.queue.blockSignals(True)
        self.queue.clear()
        items = []
        chosen = None
        self._queue_items: dict[int, QTreeWidgetItem] = {}
        for row in rows:
            st = row.statuses.get(self.coder_name, "todo")
            item = QTreeWidgetItem(
                [_STATUS_MARK[st], row.title or row.external_id, str(row.spans), str(row.claims)]
            )
            item.setData(0, _ID, row.id)
            item.setToolTip(
                1,
                f"{row.external_id} · {row.length:,} characters · {st.replace('_', ' ')}"
                + (f" · published {row.published}" if row.published else ""),
            )
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
            items.append(item)
            self._queue_items[row.id] = item
            if row.id == current:
                chosen = item
        self.queue.addTopLevelItems(items)
        if chosen is not None:
            self.queue.setCurrentItem(chosen)
        self.queue.blockSignals(False)
        self._update_progress(len(rows) if status is None and not self.search.text() else None)

    def _update_progress(self, total: int | None = None) -> None:
        counts = next((c.counts for c in self.project.coders() if c.id == self.coder_id), {})
        if total is None:
            total = len(self.project.reports())
        done = counts.get("done", 0)
        self.coder_label.setText(f"Coder: {self.coder_name}")
        self.progress.setText(f"{done} of {total} reports done")

    def _on_queue_item(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.open_report(int(item.data(0, _ID)))

    def open_report(self, report_id: int) -> None:
        # tens of thousands of small objects are made here: keep the cyclic collector from
        # scanning the whole heap in the middle of it (nothing made here forms cycles)
        with gc_paused():
            self._open_report(report_id)

    def _open_report(self, report_id: int) -> None:
        detail = self.project.report(report_id)
        self.report_id = report_id
        self.report_text = detail.text
        self.current_span_id = None
        self.current_claim_id = None
        rtl = detail.language in ("ar", "fa", "he", "ur", "ps")
        self.text.document().setDefaultTextOption(self.text.document().defaultTextOption())
        self.text.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        self._reload_annotations(full=True)
        self._rescan()
        self.statusBar().showMessage(
            f"{detail.external_id}: {detail.title}" + (f" · published {detail.published}" if detail.published else ""),
            5000,
        )

    def _step(self, delta: int) -> None:
        item = self.queue.currentItem()
        idx = self.queue.indexOfTopLevelItem(item) if item is not None else -1
        target = self.queue.topLevelItem(idx + delta)
        if target is not None:
            self.queue.setCurrentItem(target)

    # ================================================================ annotations

    def _span_label(self, p: PaintedSpan) -> str:
        if getattr(p, "label", ""):
            return p.label
        st = self.codebook.span_type(p.type)
        span = self._span_by_id.get(p.id)
        return f"{st.label if st else p.type}: {span.text if span else ''}"

    def _reload_annotations(self, full: bool = False) -> None:
        if self.report_id is None:
            return
        self._spans = self.project.spans(self.report_id, self.coder_id)
        self._span_by_id = {s.id: s for s in self._spans}
        self._claims = self.project.claims(self.report_id, self.coder_id)
        # span rows carry id, type, start and end, which is all the view paints with; they
        # come from the database in (start, end, id) order
        painted: Any = self._spans
        if full:
            self.text.set_report_text(self.report_text, painted, presorted=True)
        else:
            self.text.update_spans(painted, presorted=True)
        if self.current_span_id not in self._span_by_id:
            self.current_span_id = None
        if self.current_claim_id not in {c.id for c in self._claims}:
            self.current_claim_id = None
        self._fill_span_list()
        self._fill_claim_list()
        self._show_form()

    def _fill_span_list(self) -> None:
        self.span_model.set_rows(self._spans)
        self.spans_view.select_span(self.current_span_id)

    def _fill_claim_list(self) -> None:
        self.claims_view.blockSignals(True)
        self.claims_view.clear()
        for c in self._claims:
            ct = self.codebook.claim_type(c.type)
            item = QTreeWidgetItem([f"{c.key} {ct.label if ct else c.type}", claim_summary(c, self._span_by_id, self.codebook)])
            item.setData(0, _ID, c.id)
            item.setToolTip(1, item.text(1))
            self.claims_view.addTopLevelItem(item)
            if c.id == self.current_claim_id:
                self.claims_view.setCurrentItem(item)
        self.claims_view.resizeColumnToContents(0)
        self.claims_view.blockSignals(False)

    @property
    def current_span(self) -> SpanRow | None:
        return self._span_by_id.get(self.current_span_id) if self.current_span_id else None

    @property
    def current_claim(self) -> ClaimRow | None:
        return next((c for c in self._claims if c.id == self.current_claim_id), None)

    def _show_form(self) -> None:
        span, claim = self.current_span, self.current_claim
        evidence: list[tuple[int, int]] = []
        if claim is not None:
            for fill in claim.slots.values():
                if isinstance(fill, list):
                    evidence += [(self._span_by_id[i].start, self._span_by_id[i].end) for i in fill if i in self._span_by_id]
        self.text.emphasize((span.start, span.end) if span else None, evidence)
        if self.form_stack.currentIndex() == 2 and claim is not None and span is None:
            pass
        if span is not None and (self.tabs.currentIndex() == 0 or claim is None):
            self._show_span_form(span)
        elif claim is not None:
            self._show_claim_form(claim)
        elif span is not None:
            self._show_span_form(span)
        else:
            self.form_title.setText("")
            self.form_stack.setCurrentIndex(0)

    def _show_span_form(self, span: SpanRow) -> None:
        st = self.codebook.span_type(span.type)
        self.form_title.setText(f"{st.label if st else span.type}: “{span.text}”  ({span.key}, {span.start}–{span.end})")
        idx = self.span_type_box.findData(span.type)
        self.span_type_box.setCurrentIndex(idx)
        suggestions = None
        pending = self._prefill.get(span.id)
        if pending is not None:
            alternatives, shown = pending
            suggestions = alternatives[shown]
            n = len(alternatives)
            more = f", ] / [ for the other {n - 1}" if n > 1 else ""
            self.form_title.setText(self.form_title.text() + f"\nSuggested values in grey: Enter accepts{more}")
        self.span_form.set_attributes(st.attributes if st else (), span.attributes, suggestions)
        self.span_form.set_read_only(False)
        self.form_stack.setCurrentIndex(1)

    def _show_claim_form(self, claim: ClaimRow) -> None:
        ct = self.codebook.claim_type(claim.type)
        summary = claim_summary(claim, self._span_by_id, self.codebook)
        self.form_title.setText(f"{claim.key} {ct.label if ct else claim.type}: {summary}")
        describe = {s.id: f"{s.text}  [{span_value(s)}]" if s.attributes else s.text for s in self._spans}
        missing = set(self.codebook.missing_slots(claim.type, claim.slots))
        self.slot_tree.show_claim(ct, claim.slots, describe, missing)
        self.claim_form.set_attributes(ct.attributes if ct else (), claim.attributes)
        self.form_stack.setCurrentIndex(2)

    # ---------------------------------------------------------------- selection of items

    def span_at(self, pos: int) -> SpanRow | None:
        """The innermost span of this coder containing code point ``pos``."""
        hits = self.text.spans_at(pos)
        return self._span_by_id.get(hits[0].id) if hits else None

    def _on_caret(self, pos: int) -> None:
        span = self.span_at(pos)
        if span is None and pos > 0 and self.text.selection() is None:
            span = self.span_at(pos - 1)  # the caret right after a span's last character
        new_id = span.id if span else None
        if new_id != self.current_span_id:
            self.current_span_id = new_id
            self.spans_view.select_span(new_id)
            if span is not None:
                self.tabs.setCurrentIndex(0) if self.current_claim_id is None else None
            self._show_form()

    def _select_row(self, view: QTreeWidget, item_id: int | None) -> None:
        view.blockSignals(True)
        view.clearSelection()
        for i in range(view.topLevelItemCount()):
            item = view.topLevelItem(i)
            if item is not None and item.data(0, _ID) == item_id:
                view.setCurrentItem(item)
                view.scrollToItem(item)
                break
        view.blockSignals(False)

    def _on_span_index(self, index: QModelIndex, _prev: object = None) -> None:
        if index.isValid():
            self.select_span(int(self.span_model.rows[index.row()].id), focus_text=False)

    def select_span(self, span_id: int, focus_text: bool = True) -> None:
        span = self._span_by_id.get(span_id)
        if span is None:
            return
        self.current_span_id = span_id
        self.text.blockSignals(True)
        self.text.select_range(span.start, span.start)
        self.text.blockSignals(False)
        self.spans_view.select_span(span_id)
        self.tabs.setCurrentIndex(0)
        self._show_span_form(span)
        self.text.emphasize((span.start, span.end), [])
        if focus_text:
            self.text.setFocus()

    def _on_claim_item(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.select_claim(int(item.data(0, _ID)))

    def select_claim(self, claim_id: int) -> None:
        self.current_claim_id = claim_id
        claim = self.current_claim
        if claim is not None:
            self.tabs.setCurrentIndex(1)
            self._select_row(self.claims_view, claim_id)
            self._show_claim_form(claim)
            evidence = [
                (self._span_by_id[i].start, self._span_by_id[i].end)
                for fill in claim.slots.values() if isinstance(fill, list)
                for i in fill if i in self._span_by_id
            ]
            self.text.emphasize(None, evidence)

    # ================================================================ coding actions

    def _run(self, cmd: Command) -> bool:
        try:
            self.project.run(cmd)
        except CommandError as exc:
            self.statusBar().showMessage(f"Not done: {exc}", 8000)
            QApplication.beep()
            return False
        return True

    def tag_selection(self, type_id: str) -> None:
        """Tag the selection (snapped to words unless Alt is held), or retag the current span."""
        if self.report_id is None:
            return
        sel = self.text.selection()
        if sel is None:
            span = self.current_span
            if span is not None and span.type != type_id:
                self._run(SetSpanType(span.id, type_id))
            elif span is None:
                self.statusBar().showMessage("Select some text first, then press the type's key.", 4000)
            return
        exact = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.AltModifier) or self.text.alt_at_selection
        start, end = sel if exact else snap_to_words(self.report_text, *sel)
        if start >= end:
            return
        cmd = AddSpan(self.report_id, self.coder_id, type_id, start, end)
        if self._run(cmd):
            self.current_span_id = cmd.span_id
            try:
                alternatives = self.project.prefill(self.report_id, type_id, start, end)
            except Exception as exc:  # a normalizer failing must never cost the coder the span
                alternatives = []
                self.statusBar().showMessage(f"No suggestion: {exc}", 5000)
            if alternatives:
                self._prefill[cmd.span_id] = (alternatives, 0)
            self.text.blockSignals(True)
            self.text.select_range(end, end)
            self.text.blockSignals(False)
            self.spans_view.select_span(cmd.span_id)
            if self.current_claim_id is None:
                self.tabs.setCurrentIndex(0)
            self._show_form()
            span = self.current_span
            if span is not None:
                self._show_span_form(span)

    def _on_retag_box(self, index: int) -> None:
        span = self.current_span
        type_id = self.span_type_box.itemData(index)
        if span is not None and type_id and type_id != span.type:
            self._run(SetSpanType(span.id, type_id))

    def _on_span_attribute(self, attribute: str, value: object) -> None:
        span = self.current_span
        if span is not None:
            self._run(SetSpanAttribute(span.id, attribute, value))

    def _on_claim_attribute(self, attribute: str, value: object) -> None:
        claim = self.current_claim
        if claim is not None:
            self._run(SetClaimAttribute(claim.id, attribute, value))

    def delete_current(self) -> None:
        if self.claims_view.hasFocus() and self.current_claim is not None:
            self._run(DeleteClaim(self.current_claim.id))
            return
        span = self.current_span
        if span is None:
            span = self.span_at(self.text.caret())
        if span is None:
            sug = self.text.suggestion_at(self.text.caret())
            if sug is not None:
                self.reject_suggestion(sug.id)
                return
            self.statusBar().showMessage("Put the caret inside a span to delete it.", 4000)
            return
        self._run(DeleteSpan(span.id))

    def new_claim(self, type_id: str) -> None:
        if self.report_id is None:
            return
        cmd = CreateClaim(self.report_id, self.coder_id, type_id)
        if self._run(cmd):
            self.current_claim_id = cmd.claim_id
            self.tabs.setCurrentIndex(1)
            self.select_claim(cmd.claim_id)
            self.text.setFocus()
            ct = self.codebook.claim_type(type_id)
            keys = ", ".join(f"{s.hotkey} {s.label}" for s in (ct.slots if ct else ()) if s.hotkey)
            self.statusBar().showMessage(f"New claim: put the caret in a span and press a slot key ({keys}).", 8000)

    def _slot_for_key(self, key: str) -> str | None:
        claim = self.current_claim
        if claim is None:
            self.statusBar().showMessage("Start or select a claim first (a claim type's key).", 5000)
            return None
        ct = self.codebook.claim_type(claim.type)
        slot = next((sd.id for sd in (ct.slots if ct else ()) if sd.hotkey == key), None)
        if slot is None:
            self.statusBar().showMessage(f"A {claim.type} claim has no slot on key {key}.", 5000)
        return slot

    def fill_slot_key(self, key: str) -> None:
        slot = self._slot_for_key(key)
        if slot is not None:
            self.fill_slot(slot)

    def toggle_not_reported_key(self, key: str) -> None:
        slot = self._slot_for_key(key)
        if slot is not None:
            self.toggle_not_reported(slot)

    def fill_slot(self, slot: str, span_id: int | None = None) -> None:
        claim = self.current_claim
        if claim is None:
            self.statusBar().showMessage("Start or select a claim first (a claim type's key).", 5000)
            return
        if span_id is None:
            span = self.current_span or self.span_at(self.text.caret())
            if span is None:
                self.statusBar().showMessage("Put the caret in a span to put it in the slot.", 5000)
                return
            span_id = span.id
        if self._run(AddToSlot(claim.id, slot, span_id)):
            self.tabs.setCurrentIndex(1)
            self.select_claim(claim.id)

    def _remove_from_slot(self, slot: str, span_id: int) -> None:
        claim = self.current_claim
        if claim is not None:
            self._run(RemoveFromSlot(claim.id, slot, span_id))

    def toggle_not_reported(self, slot: str) -> None:
        claim = self.current_claim
        if claim is None:
            self.statusBar().showMessage("Start or select a claim first (a claim type's key).", 5000)
            return
        marked = claim.slots.get(slot) == NOT_REPORTED
        self._run(SetNotReported(claim.id, slot, not marked))

    # ---------------------------------------------------------------- suggested values and spans

    def enter(self) -> None:
        """Enter: accept what is suggested here (values, or a suggested span), else edit."""
        span = self.current_span
        if span is not None and span.id in self._prefill:
            self.span_form.accept_suggestions()
            return
        if span is None:
            sug = self.text.suggestion_at(self.text.caret())
            if sug is None and self.text.caret() > 0:
                sug = self.text.suggestion_at(self.text.caret() - 1)
            if sug is not None:
                self.accept_suggestion(sug.id)
                return
        self.focus_form()

    def _on_span_suggestions_accepted(self, values: dict[str, Any]) -> None:
        span = self.current_span
        if span is None:
            return
        self._prefill.pop(span.id, None)
        cmds = [SetSpanAttribute(span.id, k, v) for k, v in values.items()]
        if cmds:
            self._run(Batch("Accept suggested values", cmds))

    def cycle_prefill(self, step: int) -> None:
        span = self.current_span
        if span is None or span.id not in self._prefill:
            self.statusBar().showMessage("No suggested values for this span.", 3000)
            return
        alternatives, shown = self._prefill[span.id]
        self._prefill[span.id] = (alternatives, (shown + step) % len(alternatives))
        self._show_span_form(span)

    def toggle_scan(self) -> None:
        self.scan_on = not self.scan_on
        self._rescan()
        if self.scan_on:
            self.tabs.setCurrentIndex(2)
            self.statusBar().showMessage(
                f"{len(self._suggestions)} suggested span(s): caret in one, then Enter accepts, Delete rejects",
                8000,
            )

    def _rescan(self) -> None:
        self._suggestions = []
        if self.scan_on and self.report_id is not None:
            try:
                self._suggestions = self.project.suggestions(self.report_id, self.coder_id)
            except Exception as exc:  # noqa: BLE001 - the scan is a help, never a blocker
                self.statusBar().showMessage(f"The scan failed: {exc}", 8000)
        labels = {t.id: t.label for t in self.codebook.span_types}
        self.text.set_suggestions(
            PaintedSpan(k, s.type, s.start, s.end, f"{labels.get(s.type, s.type)}: {s.text}")
            for k, s in enumerate(self._suggestions)
        )
        self.suggestions_view.clear()
        for k, s in enumerate(self._suggestions):
            value = span_value(_SuggestionRow(s)) if s.attributes else ""
            item = QTreeWidgetItem([labels.get(s.type, s.type), s.text, value])
            item.setData(0, _ID, k)
            item.setForeground(0, QColor(self._colors.get(s.type, "#333333")))
            self.suggestions_view.addTopLevelItem(item)
        self.tabs.setTabText(2, f"Suggestions ({len(self._suggestions)})" if self.scan_on else "Suggestions")

    def _on_suggestion_item(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            return
        s = self._suggestions[int(item.data(0, _ID))]
        self.text.select_range(s.start, s.start)

    def accept_suggestion(self, index: int) -> None:
        s = self._suggestions[index]
        if self.report_id is None:
            return
        cmd = AddSpan(self.report_id, self.coder_id, s.type, s.start, s.end, s.attributes)
        if self._run(cmd):
            self.select_span(cmd.span_id)

    def accept_all_suggestions(self) -> None:
        if self.report_id is None or not self._suggestions:
            return
        cmds = [AddSpan(self.report_id, self.coder_id, s.type, s.start, s.end, s.attributes)
                for s in self._suggestions]
        self._run(Batch(f"Accept {len(cmds)} suggested spans", cmds))

    def reject_suggestion(self, index: int) -> None:
        s = self._suggestions[index]
        if self.report_id is not None:
            from annotator.core.assist import RejectSuggestions  # the normalizers load on first use

            self._run(RejectSuggestions(self.report_id, self.coder_id, [(s.type, s.start, s.end)]))

    def reject_all_suggestions(self) -> None:
        if self.report_id is None or not self._suggestions:
            return
        items = [(s.type, s.start, s.end) for s in self._suggestions]
        from annotator.core.assist import RejectSuggestions

        self._run(RejectSuggestions(self.report_id, self.coder_id, items))

    def ask_reference_date(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from annotator.core.assist import SetReferenceDate

        if self.report_id is None:
            return
        detail = self.project.report(self.report_id)
        current = detail.reference_date or detail.published or ""
        text, ok = QInputDialog.getText(
            self, "Reference date",
            "Relative dates (\"yesterday\", \"on Sunday\") resolve against (YYYY-MM-DD, empty: the published date):",
            text=current,
        )
        if ok:
            self._run(SetReferenceDate(self.report_id, text.strip() or None))

    def focus_form(self) -> None:
        if self.form_stack.currentIndex() == 1:
            self.span_form.focus_first()
        elif self.form_stack.currentIndex() == 2:
            self.claim_form.focus_first()

    def escape(self) -> None:
        if self.find_bar.isVisible():
            self.find_bar.hide()
            self.text.setFocus()
            return
        c = self.text.textCursor()
        c.clearSelection()
        self.text.setTextCursor(c)
        if self.current_claim_id is not None:
            self.current_claim_id = None
            self.claims_view.clearSelection()
            self._show_form()

    def _set_status(self, status: str) -> None:
        if self.report_id is not None:
            self._run(SetStatus(self.report_id, self.coder_id, status))

    def mark_done_and_next(self) -> None:
        if self.report_id is None:
            return
        item = self.queue.currentItem()
        idx = self.queue.indexOfTopLevelItem(item) if item is not None else -1
        done_id = self.report_id
        if self._run(SetStatus(done_id, self.coder_id, "done")):
            # the queue may have been filtered to exclude done reports: go to what is now next
            nxt = None
            for i in range(self.queue.topLevelItemCount()):
                it = self.queue.topLevelItem(i)
                if it is not None and it.data(0, _ID) == done_id:
                    nxt = self.queue.topLevelItem(i + 1)
                    break
            else:
                nxt = self.queue.topLevelItem(max(idx, 0))
            if nxt is not None and nxt.data(0, _ID) != done_id:
                self.queue.setCurrentItem(nxt)
            self.text.setFocus()

    # ---------------------------------------------------------------- find

    def open_find(self) -> None:
        self.find_bar.show()
        sel = self.text.selection()
        if sel is not None:
            self.find_edit.setText(self.report_text[sel[0] : sel[1]])
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.text.setFocus()
        self._on_caret(self.text.caret())

    def find_next(self, backward: bool) -> None:
        if not self.find_bar.isVisible():
            self.open_find()
            return
        backward = backward or bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        found = self.text.find_text(self.find_edit.text(), backward)
        self.find_status.setText("" if found else "not found")

    # ---------------------------------------------------------------- context menu

    def _context_menu(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        pos = self.text.position_at(event.pos().x(), event.pos().y())
        if self.text.selection() is not None:
            for st in self.codebook.span_types:
                menu.addAction(self.tag_actions[st.id])
        span = self.span_at(pos)
        if span is not None:
            self.select_span(span.id)
            retag = menu.addMenu("Retag as")
            for st in self.codebook.span_types:
                if st.id != span.type:
                    a = retag.addAction(st.label)
                    a.triggered.connect(lambda _c=False, t=st.id, sid=span.id: self._run(SetSpanType(sid, t)))
            d = menu.addAction("Delete span")
            d.triggered.connect(lambda _c=False, sid=span.id: self._run(DeleteSpan(sid)))
            claim = self.current_claim
            if claim is not None:
                ct = self.codebook.claim_type(claim.type)
                fill = menu.addMenu(f"Put in a slot of {claim.key}")
                for sd in ct.slots if ct else ():
                    if span.type in sd.accepts:
                        a = fill.addAction(sd.label)
                        a.triggered.connect(lambda _c=False, s=sd.id, sid=span.id: self.fill_slot(s, sid))
        menu.addSeparator()
        for ct in self.codebook.claim_types:
            menu.addAction(self.claim_actions[ct.id])
        menu.addSeparator()
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menu.exec(event.globalPos())

    # ================================================================ changes from the core

    def _on_changes(self, changes: Changes) -> None:
        self._update_undo_labels()
        filtered = self.status_filter.currentIndex() != 0 or bool(self.search.text().strip())
        if changes.structure or (changes.statuses and filtered):
            self.reload_queue()
        mine = self.report_id is not None and (
            self.report_id in changes.reports
            or (self.report_id, self.coder_id) in changes.statuses
            or changes.structure
            or bool(changes.spans or changes.claims)
        )
        if mine:
            self._reload_annotations()
            self._refresh_queue_row()
            if self.scan_on:
                self._rescan()
        if changes.statuses:
            self._update_progress()
        if changes.label:
            self.statusBar().showMessage(changes.label, 3000)

    def _refresh_queue_row(self) -> None:
        """Update the current report's row in place (status mark and counts)."""
        if self.report_id is None:
            return
        item = self._queue_items.get(self.report_id)
        if item is not None:
            st = self.project.status(self.report_id, self.coder_id)
            item.setText(0, _STATUS_MARK.get(st, "○"))
            item.setText(2, str(len(self._spans)))
            item.setText(3, str(len(self._claims)))

    def import_files(self) -> None:
        from annotator.gui.transfer import choose_and_import

        line = choose_and_import(self, self.project)
        if line:
            self.statusBar().showMessage(line, 10000)

    def export_dialog(self) -> None:
        from annotator.gui.export_dialog import ExportDialog

        # blind coding: a coder exports only their own work
        dlg = ExportDialog(self.project, None if self.role == "reviewer" else self.coder_name, self)
        self.export_window = dlg
        if dlg.exec() and dlg.result_line:
            self.statusBar().showMessage(dlg.result_line, 10000)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        from pathlib import Path

        from annotator.gui.transfer import import_with_progress

        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.statusBar().showMessage(import_with_progress(self, self.project, paths), 10000)
            event.acceptProposedAction()

    def open_review(self) -> None:
        if self.role != "reviewer":
            QMessageBox.information(self, "Review", "Review is for reviewers: coders code blind and "
                                    "cannot see each other's work.")
            return
        from annotator.gui.review_window import ReviewWindow

        self.review_window = ReviewWindow(self.project, self.coder_name)
        self.review_window.show()

    def open_agreement(self) -> None:
        if self.role != "reviewer":
            QMessageBox.information(self, "Agreement", "Agreement is for reviewers.")
            return
        from annotator.gui.agreement_view import AgreementDialog

        dlg = AgreementDialog(self.project, self)
        dlg.open_at.connect(self._open_at)
        self.agreement_dialog = dlg
        dlg.show()

    def _open_at(self, external_id: str, offset: int) -> None:
        self.open_review()
        window = getattr(self, "review_window", None)
        rid = next((r.id for r in self.project.reports() if r.external_id == external_id), None)
        if window is not None and rid is not None:
            for i in range(window.reports.topLevelItemCount()):
                row = window.reports.topLevelItem(i)
                if row is not None and row.data(0, _ID) == rid:
                    window.reports.setCurrentItem(row)
            for view in window.lanes.values():
                view.select_range(offset, offset)

    def switch_coder(self) -> None:
        from annotator.gui.app import ask_coder

        name = ask_coder(self.project, self)
        if not name:
            return
        self.coder_id = self.project.coder_id(name, create=True)
        self.coder_name = name
        self.role = next(c.role for c in self.project.coders() if c.id == self.coder_id)
        for a in (self.review_action, self.agreement_action):
            a.setEnabled(self.role == "reviewer")
        QSettings().setValue(f"coder/{self.project.location}", name)
        self.reload_queue()
        if self.report_id is not None:
            self.open_report(self.report_id)

    # ================================================================ layout persistence

    def font_size(self) -> int:
        return self.text.font().pointSize()

    def set_font_size(self, size: int) -> None:
        size = max(7, min(40, size))
        font = QFont(self.text.font())
        font.setPointSize(size)
        self.text.setFont(font)
        QSettings().setValue("text/font_size", size)

    def _restore_layout(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        for key, splitter in (("window/splitter", self.splitter), ("window/right", self.right)):
            state = s.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        size = s.value("text/font_size")
        if size is not None:
            try:
                self.set_font_size(int(str(size)))
            except ValueError:
                pass

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/right", self.right.saveState())
        self.bridge.detach()
        super().closeEvent(event)


class _SuggestionRow:
    """A suggestion seen as a span row (for span_value)."""

    def __init__(self, s: Any) -> None:
        self.type, self.text, self.attributes = s.type, s.text, s.attributes
