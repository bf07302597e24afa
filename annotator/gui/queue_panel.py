"""The queue of reports: status filter, search, and a list that fetches its rows a page at a time.

The list is a table model over ``Project.reports(limit=, offset=)``: opening a project of 100,000
reports reads one page, not every report, and no query's variables grow with the project. Columns
have fixed widths, so changing one row's counts repaints that row without measuring the others.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.flagged import FlaggedSpan
from annotator.core.models import GOLD_CODER
from annotator.core.project import Project
from annotator.core.queries import ReportRow
from annotator.gui.table_model import RowsModel

STATUS_MARK = {"todo": "○", "in_progress": "◐", "done": "●"}
STATUS_FILTERS = [
    ("All reports", None),
    ("To do", "todo"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("With flagged spans", "flagged"),  # spans a merge could not carry onto a corrected text
]
PAGE = 256  # rows fetched at a time


class QueueModel(RowsModel):
    """Reports in id order for one coder, fetched a page at a time as the view scrolls: in a
    project with assignments, the coder's own (and the unassigned pool when the lead allows it;
    ``Project.queue``); reviewers and projects without assignments list every report."""

    HEADERS = ("", "Report", "Spans", "Claims")

    def __init__(self, project: Project, coder_id: int, coder_name: str) -> None:
        super().__init__()
        self.project = project
        self.coder_id = coder_id
        self.coder_name = coder_name
        self.status: str | None = None
        self.search: str | None = None
        self.rows: list[ReportRow] = []
        self.row_of: dict[int, int] = {}
        self._exhausted = False
        self.locked: set[int] = set()  # reports of the fetched pages whose gold is done
        self.team_view = False  # the lead's view: tooltips name every coder's status
        self.flagged: dict[int, int] = {}  # report -> the coder's open flagged spans (pages)
        self._flagged_ids: list[int] = []  # the "With flagged spans" filter's reports
        # the flagged spans of the first page, for the report opened in the same event-loop
        # turn (the window's start: the Flagged tab does not read them again); taken once
        self._page_flagged: tuple[set[int], dict[int, list[FlaggedSpan]]] | None = None
        self._lengths: dict[int, int] = {}  # report -> characters (the tooltip reads them)
        self._page_items: dict[int, list[FlaggedSpan]] = {}  # (the last page's)
        # (status, spans, claims) overrides for rows changed since they were fetched
        self._live: dict[int, tuple[str, int, int]] = {}

    # ------------------------------------------------------------ loading

    def reset(self, status: str | None, search: str | None) -> None:
        self.beginResetModel()
        self.status, self.search = status, search
        self.rows, self.row_of, self._live = [], {}, {}
        self.locked, self.flagged = set(), {}
        self._page_items, self._lengths = {}, {}
        if status == "flagged":
            self._flagged_ids = sorted(self.project.flagged_reports(self.coder_name))
        self._exhausted = False
        self._append(self._read_page())
        self._page_flagged = (set(self.row_of), self._page_items)
        QTimer.singleShot(0, self, self._drop_page_flagged)  # nothing changed before then
        self.endResetModel()

    def _read_page(self) -> list[ReportRow]:
        """The next page of rows (not yet shown); a short page means there are no more."""
        status, ids = self.status, None
        if status == "flagged":
            status, ids = None, self._flagged_ids
            if not ids:
                self._exhausted = True
                return []
        page = self.project.queue(  # the coder's queue: their assigned reports (core/team.py)
            self.coder_id, status=status, search=self.search,
            limit=PAGE, offset=len(self.rows), ids=ids, lengths=False,
        )
        if len(page) < PAGE:
            self._exhausted = True
        return page

    def _append(self, page: list[ReportRow]) -> None:
        for row in page:
            self.row_of[row.id] = len(self.rows)
            self.rows.append(row)
        if page:
            ids = [r.id for r in page]
            self.locked |= self.project.locked_reports(ids)
            items: dict[int, list[FlaggedSpan]] = {}
            for f in self.project.flagged_spans(coder=self.coder_name, report_ids=ids):
                if f.report_id is not None:
                    items.setdefault(f.report_id, []).append(f)
            self.flagged.update({rid: n for rid, fs in items.items()
                                 if (n := sum(not f.replaced for f in fs))})
            self._page_items = items

    def _drop_page_flagged(self) -> None:
        self._page_flagged = None

    def take_page_flagged(self, report_id: int) -> list[FlaggedSpan] | None:
        """The flagged spans of ``report_id`` as the first page found them, in the event-loop
        turn that read it (None: read them: the report is not on that page, the page's were
        taken already, or it was read in an earlier turn)."""
        fresh, self._page_flagged = self._page_flagged, None
        if fresh is None or report_id not in fresh[0]:
            return None
        return fresh[1].get(report_id, [])

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted:
            return
        page = self._read_page()
        if not page:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._append(page)
        self.endInsertRows()

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    def update_row(self, report_id: int, status: str, spans: int, claims: int) -> None:
        """Show new figures for one report without reading the others (nothing is redrawn
        when they are the same: a retag or a value change)."""
        if self._live.get(report_id) == (status, spans, claims):
            return
        self._live[report_id] = (status, spans, claims)
        row = self.row_of.get(report_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    def set_flagged(self, report_id: int, count: int) -> None:
        """The open flagged spans of one report changed (the coder re-placed one)."""
        if self.flagged.get(report_id, 0) == count:
            return
        if count:
            self.flagged[report_id] = count
        else:
            self.flagged.pop(report_id, None)
        row = self.row_of.get(report_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 1), self.index(row, 1))

    # ------------------------------------------------------------ reading

    def figures(self, row: ReportRow) -> tuple[str, int, int]:
        live = self._live.get(row.id)
        if live is not None:
            return live
        return row.statuses.get(self.coder_name, "todo"), row.spans, row.claims

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        status, spans, claims = self.figures(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return STATUS_MARK.get(status, "○")
            if col == 1:
                return (("🔒 " if row.id in self.locked else "")
                        + ("⚑ " if row.id in self.flagged else "") + (row.title or row.external_id))
            return str(spans if col == 2 else claims)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return (
                f"{row.external_id} · {self._length(row):,} characters · "
                f"{status.replace('_', ' ')}"
                + (f" · published {row.published}" if row.published else "")
                + (" · locked: its gold version is done" if row.id in self.locked else "")
                + (f" · {self.flagged[row.id]} span(s) flagged by a merge: re-place them in the "
                   "Flagged tab (Ctrl+6)" if row.id in self.flagged else "")
                + (" · " + ", ".join(f"{c}: {s.replace('_', ' ')}" for c, s in row.statuses.items()
                                     if c != GOLD_CODER) if self.team_view and row.statuses else "")
            )
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _length(self, row: ReportRow) -> int:
        """The report's characters: read when its tooltip is first shown (the page does not
        count them: that reads every text of the page)."""
        if row.length is not None:
            return row.length
        if row.id not in self._lengths:
            self._lengths[row.id] = self.project.report_length(row.id)
        return self._lengths[row.id]


class QueuePanel(QWidget):
    """Filter, search and the queue; emits ``report_chosen`` when the current report changes."""

    report_chosen = Signal(int)
    reloaded = Signal()

    def __init__(self, project: Project, coder_id: int, coder_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        for label, _ in STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        self.model = QueueModel(project, coder_id, coder_name)
        self.view = QTableView()
        self.view.setObjectName("queue")
        self.view.setModel(self.model)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        # several rows at once for the lead's actions (Shift/Ctrl + arrows or clicks)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        # fixed widths: a changed count repaints its row without measuring every other row
        digits = self.fontMetrics().horizontalAdvance("00000") + 12
        for col, width in ((0, self.fontMetrics().horizontalAdvance("◐") + 14), (2, digits), (3, digits)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 0, 4)
        lay.addWidget(self.status_filter)
        lay.addWidget(self.search)
        lay.addWidget(self.view)
        self._current: int | None = None
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

    # ------------------------------------------------------------ state

    @property
    def filtered(self) -> bool:
        return self.status_filter.currentIndex() != 0 or bool(self.search.text().strip())

    def set_coder(self, coder_id: int, coder_name: str) -> None:
        self.model.coder_id, self.model.coder_name = coder_id, coder_name
        self.reload()

    def reload(self) -> None:
        """Read the first page again (filter, search or the set of reports changed)."""
        status = STATUS_FILTERS[self.status_filter.currentIndex()][1]
        current = self._current
        sel = self.view.selectionModel()
        sel.blockSignals(True)
        self.model.reset(status, self.search.text().strip() or None)
        if current is not None:
            self._select(current, fetch=False)
        sel.blockSignals(False)
        self.reloaded.emit()

    def row_count(self) -> int:
        return self.model.rowCount()

    def report_at(self, row: int) -> int | None:
        if 0 <= row < len(self.model.rows):
            return self.model.rows[row].id
        if row >= len(self.model.rows) and self.model.canFetchMore():
            self.model.fetchMore()
            return self.report_at(row)
        return None

    def current_report(self) -> int | None:
        return self._current

    def select_row(self, row: int) -> None:
        report_id = self.report_at(row)
        if report_id is not None:
            self.select_report(report_id)

    def select_report(self, report_id: int) -> None:
        """Make ``report_id`` current (emits report_chosen when it changes)."""
        self._select(report_id, fetch=True)

    def _select(self, report_id: int, fetch: bool) -> None:
        row = self.model.row_of.get(report_id)
        while row is None and fetch and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of.get(report_id)
        if row is None:
            return
        index = self.model.index(row, 1)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def _on_current(self, index: QModelIndex, _prev: QModelIndex) -> None:
        if not index.isValid():
            return
        report_id = self.model.rows[index.row()].id
        if report_id != self._current:
            self._current = report_id
            self.report_chosen.emit(report_id)

    def step(self, delta: int) -> None:
        """The next (1) or previous (-1) report in the list."""
        row = self.model.row_of.get(self._current, -1) if self._current is not None else -1
        target = row + delta
        if target >= 0:
            self.select_row(target)

    def after_done(self, done_id: int, old_row: int) -> None:
        """Go to what is now next after ``done_id`` (which a filter may have removed)."""
        row = self.model.row_of.get(done_id)
        target = row + 1 if row is not None else max(old_row, 0)
        report_id = self.report_at(target)
        if report_id is not None and report_id != done_id:
            self.select_report(report_id)

    def neighbours(self, report_id: int) -> list[int]:
        """The reports after and before ``report_id`` in the list (the next ones a coder opens)."""
        row = self.model.row_of.get(report_id)
        if row is None:
            return []
        near = (self.model.rows[r].id for r in (row + 1, row - 1) if 0 <= r < len(self.model.rows))
        return list(near)

    def row_of_current(self) -> int:
        return self.model.row_of.get(self._current, -1) if self._current is not None else -1

    def update_row(self, report_id: int, status: str, spans: int, claims: int) -> None:
        self.model.update_row(report_id, status, spans, claims)
