"""Review mode: every coder's spans in their own lane above the gold lane, the review items with
their disagreements, the versions side by side, and one key per decision (all undoable)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core import review, roles, values
from annotator.core.agreement.data import ClaimItem, SpanItem
from annotator.core.codebook import NOT_REPORTED
from annotator.core.commands import AcceptUnanimous, Changes, CommandError, Decide
from annotator.core.gcpause import gc_paused
from annotator.core.project import Project
from annotator.gui.bridge import ChangeBridge
from annotator.gui.contrast import tint, verdict_color
from annotator.gui.geometry import GeometryGuard
from annotator.gui.screen_fit import clamp_to_screen, initial_size
from annotator.gui.text_view import PaintedSpan, ReportTextView
from annotator.gui.user_keys import seen_codebook

_ID = Qt.ItemDataRole.UserRole


class ReviewWindow(QMainWindow):
    def __init__(self, project: Project, reviewer: str) -> None:
        """RoleError when ``reviewer`` codes blind (the caller shows ``roles.refusal``)."""
        role = next((c.role for c in project.coders() if c.name == reviewer), None)
        why = roles.refusal("review", reviewer, role)
        if why is not None:
            raise roles.RoleError(why)
        super().__init__()
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.project, self.reviewer = project, reviewer
        self.setWindowTitle(f"Annotator review — {reviewer} — {project.location}")
        self.codebook = seen_codebook(project.codebook)  # the user's palette
        self.colors = {t.id: t.color for t in self.codebook.span_types}
        self._labels = {t.id: t.label for t in self.codebook.span_types}
        coders = [c for c in project.coders() if c.role == "coder"]
        self.coders = [c.name for c in coders]
        self.report_id: int | None = None
        self.items: list[review.ReviewItem] = []
        self.current: review.ReviewItem | None = None

        self.reports = QTreeWidget()
        self.reports.setObjectName("review_reports")
        self.reports.setHeaderLabels(["Report", "Open", "Items"])
        self.reports.setRootIsDecorated(False)
        heads = self.reports.header()
        heads.setStretchLastSection(False)
        heads.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            heads.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.reports.currentItemChanged.connect(self._on_report)
        self.project_label = QLabel()
        self.project_label.setWordWrap(True)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(4, 4, 0, 4)
        ll.addWidget(self.reports, 1)
        ll.addWidget(self.project_label)

        lanes = self._build_lanes()
        self.only_open = QCheckBox("Only open disagreements")
        self.only_open.setChecked(False)
        self.only_open.toggled.connect(lambda _c: self._fill_items())
        self.item_list = QTreeWidget()
        self.item_list.setObjectName("review_items")
        self.item_list.setHeaderLabels(["", "Where", "Item", "Disagreement", "Decision"])
        self.item_list.setRootIsDecorated(False)
        self.item_list.setUniformRowHeights(True)  # one line each: no row measured to lay out
        # the disagreement is what a reviewer reads: it takes the room left, the others what
        # they need (Item at most a third); every cell's full text is in its tooltip
        head = self.item_list.header()
        head.setStretchLastSection(False)
        self.item_list.setColumnWidth(0, 28)
        # Where and Decision as wide as their widest text, measured when filled
        # (ResizeToContents measured 1,000 rows' cells again on every current-item change)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.item_list.setColumnWidth(2, 150)
        self.item_list.currentItemChanged.connect(self._on_item)
        self.versions = QTableWidget(0, 0)
        self.versions.setObjectName("versions")
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # the coders' versions side by side, each column a share of the width, long texts wrapped
        self.versions.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.versions.setWordWrap(True)
        self.versions.horizontalHeader().sectionResized.connect(
            lambda *_: self.versions.resizeRowsToContents())
        # the current item's disagreement in full, however narrow its column
        self.disagreement = QLabel()
        self.disagreement.setObjectName("disagreement")
        self.disagreement.setWordWrap(True)
        self.rationale = QLineEdit()
        self.rationale.setObjectName("rationale")
        self.rationale.setPlaceholderText("Rationale for the next decision (optional)")
        # two buttons a row, so that the window fits a 1024x700 screen with three coders too
        self.buttons = QGridLayout()
        self.accept_buttons: dict[str, QPushButton] = {}
        decisions: list[QPushButton] = []
        for i, name in enumerate(self.coders, start=1):
            b = QPushButton(f"Accept {name} [{i}]")
            b.clicked.connect(lambda _c=False, n=name: self.decide("accepted", n))
            decisions.append(b)
            self.accept_buttons[name] = b
        for text, action in (("Accept all versions [B]", "accepted_both"), ("Reject [X]", "rejected")):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, a=action: self.decide(a))
            decisions.append(b)
        for k, b in enumerate(decisions):
            self.buttons.addWidget(b, k // 2, k % 2)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 4, 4, 4)
        rl.addWidget(self.only_open)
        rl.addWidget(self.item_list, 2)
        rl.addWidget(self.disagreement)
        rl.addWidget(QLabel("Versions side by side:"))
        rl.addWidget(self.versions, 2)
        rl.addWidget(self.rationale)
        rl.addLayout(self.buttons)
        unanimous = QHBoxLayout()
        for text, whole in (("Accept unanimous: this report", False),
                            ("… the whole project", True)):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, w=whole: self.accept_unanimous(w))
            unanimous.addWidget(b)
        rl.addLayout(unanimous)
        self.status = QLabel()
        self.status.setWordWrap(True)
        rl.addWidget(self.status)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(lanes)
        split.addWidget(right)
        self.split = split
        self.setCentralWidget(split)
        self._actions()
        self.bridge = ChangeBridge(project, self)
        self.bridge.changed.connect(self._on_changes)
        self._fill_reports()
        self.resize(*initial_size(self, 1400, 880))
        # the reports narrow, the decisions as wide as the lanes (at 1400 and at 1024 pixels)
        left_w, lanes_w = int(self.width() * 0.15), int(self.width() * 0.4)
        split.setSizes([left_w, lanes_w, self.width() - left_w - lanes_w])

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        clamp_to_screen(self)  # the frame and the decision buttons on screen

    def _build_lanes(self) -> QSplitter:
        """One text per coder, and the gold layer, scrolling together."""
        self.lanes: dict[str, ReportTextView] = {}
        lanes = QSplitter(Qt.Orientation.Vertical)
        for name in [*self.coders, "gold"]:
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(0)
            title = QLabel(f"  {name}" + ("  (the adjudicated version)" if name == "gold" else ""))
            f = QFont(title.font())
            f.setBold(True)
            title.setFont(f)
            view = ReportTextView()
            view.set_colors(self.colors)
            view.setObjectName(f"lane_{name}")
            bl.addWidget(title)
            bl.addWidget(view, 1)
            lanes.addWidget(box)
            self.lanes[name] = view
        first = next(iter(self.lanes.values()))
        for view in self.lanes.values():  # scroll together
            if view is not first:
                first.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        return lanes

    # ------------------------------------------------------------ keys

    def _actions(self) -> None:
        menu = self.menuBar().addMenu("&Review")

        def add(text: str, keys: list[str], slot: Any) -> QAction:
            a = QAction(text, self)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.triggered.connect(lambda _c=False: slot())
            self.addAction(a)
            menu.addAction(a)
            return a

        add("&Next disagreement", ["N", "J"], lambda: self.step(1))
        add("&Previous disagreement", ["P", "K"], lambda: self.step(-1))
        for i, name in enumerate(self.coders, start=1):
            add(f"Accept {name}'s version", [str(i)], lambda n=name: self.decide("accepted", n))
            add(f"Take {name}'s version to edit in gold", [f"Shift+{i}"], lambda n=name: self.decide("edited", n))
        add("Accept &all versions", ["B"], lambda: self.decide("accepted_both"))
        add("&Reject", ["X"], lambda: self.decide("rejected"))
        add("Write a &rationale", ["R"], lambda: self.rationale.setFocus())
        add("&Undo", ["Ctrl+Z"], lambda: self.project.undo(origin="review"))
        add("Re&do", ["Ctrl+Shift+Z", "Ctrl+Y"], lambda: self.project.redo(origin="review"))

    # ------------------------------------------------------------ content

    def _fill_reports(self) -> None:
        """The whole list, from every report's review items (on opening, and after a change of
        structure: an import, a coder added, gold accepted across the project)."""
        everything = self.project.review_items(None, self.coders)
        self._summary = review.review_summary(everything)
        self._reports = {r.id: r for r in self.project.reports()}
        current = self.report_id
        self.reports.blockSignals(True)
        self.reports.clear()
        self._rows: dict[int, QTreeWidgetItem] = {}
        chosen = None
        for rid, (n, _dis, _open) in self._summary.items():
            if n == 0:
                continue
            row = self._report_row(rid)
            self.reports.addTopLevelItem(row)
            if rid == current or chosen is None:
                chosen = row
        self.reports.blockSignals(False)
        self._show_totals()
        if chosen is not None:
            self.reports.setCurrentItem(chosen)
            if current == chosen.data(0, _ID):
                self.open_report(int(chosen.data(0, _ID)), everything)

    def _report_row(self, rid: int, row: QTreeWidgetItem | None = None) -> QTreeWidgetItem:
        n, _dis, still_open = self._summary[rid]
        report = self._reports[rid]
        if row is None:
            row = QTreeWidgetItem()
            row.setData(0, _ID, rid)
            self._rows[rid] = row
        for col, text in enumerate([report.title or report.external_id, str(still_open), str(n)]):
            row.setText(col, text)
        row.setToolTip(0, report.external_id)
        pal = self.reports.palette()
        row.setForeground(1, verdict_color("reliable", pal) if still_open == 0 else pal.text())
        return row

    def _show_totals(self) -> None:
        total_open = sum(v[2] for v in self._summary.values())
        done = sum(1 for v in self._summary.values() if v[0] and v[2] == 0)
        self.project_label.setText(f"{total_open} open disagreement(s); {done} report(s) gold-done")

    def _refresh_reports(self, report_ids: set[int], lanes: bool) -> None:
        """Re-align only these reports and update their rows (a span or status changed);
        ``lanes``: the coders' lanes of the report shown are painted again too."""
        fresh = self.project.review_items(sorted(report_ids), self.coders)
        for rid in report_ids:
            if rid not in self._reports:
                continue
            self._summary[rid] = review.review_summary({rid: fresh.get(rid, [])})[rid]
            row = self._rows.get(rid)
            if self._summary[rid][0] == 0:
                if row is not None:  # its last item is gone
                    self.reports.takeTopLevelItem(self.reports.indexOfTopLevelItem(row))
                    del self._rows[rid]
            elif row is not None:
                self._report_row(rid, row)
            else:
                self.reports.addTopLevelItem(self._report_row(rid))
        self._show_totals()
        if self.report_id in report_ids:
            self.open_report(self.report_id, fresh, lanes=lanes)

    def _on_report(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.open_report(int(item.data(0, _ID)))

    def open_report(self, report_id: int, everything: dict[int, list[review.ReviewItem]] | None = None,
                    lanes: bool = False) -> None:
        """Show a report's items; its lanes are painted again when it is another report than
        the one shown, or ``lanes`` (a coder's spans changed), else only the gold lane."""
        with gc_paused():  # thousands of rows and items, none in a cycle
            self._open_report(report_id, everything, lanes or report_id != self.report_id)

    def _open_report(self, report_id: int, everything: dict[int, list[review.ReviewItem]] | None,
                     changed: bool) -> None:
        self.report_id = report_id
        detail = self.project.report(report_id)
        if everything is None:
            everything = self.project.review_items([report_id], self.coders)
        self.items = everything.get(report_id, [])
        coder_ids = {c.name: c.id for c in self.project.coders()}
        self.span_of: dict[tuple[str, str], Any] = {}  # (coder, span key) -> span row
        for name, view in self.lanes.items():
            cid = coder_ids.get(name)
            spans = self.project.spans(report_id, cid) if cid is not None else []
            self.span_of.update({(name, sp.key): sp for sp in spans})
            painted = [PaintedSpan(s.id, s.type, s.start, s.end, f"{self._type_label(s.type)}: {s.text}")
                       for s in spans]
            if changed or name == "gold":
                view.set_report_text(detail.text, painted)
        self._fill_items()

    def _fill_items(self) -> None:
        key = self.current.key if self.current else None
        self.item_list.blockSignals(True)
        self.item_list.clear()
        chosen = None
        agreed = verdict_color("reliable", self.item_list.palette())
        wheres: set[str] = set()
        decisions: set[str] = set()
        rows: list[QTreeWidgetItem] = []
        for idx, it in enumerate(self.items):
            if self.only_open.isChecked() and not it.open:
                continue
            mark = "✓" if it.agreed else ("●" if it.open else "○")
            where = "" if it.start is None else f"{it.start}–{it.end}"
            first = next(iter(it.versions.values()))
            if isinstance(first, SpanItem):
                what = f"{self._type_label(first.type)}: “{first.text}”"
            else:
                ct = self.codebook.claim_type(first.type)
                what = f"{ct.label if ct else first.type} claim {first.id}"
            problems = "agreed" if it.agreed else ", ".join(
                review.problem_text(p, self.codebook, first.type) for p in it.problems)
            decision = "" if it.decision is None else review.decision_text(it.decision)
            wheres.add(where)
            decisions.add(decision)
            row = QTreeWidgetItem([mark, where, what, problems, decision])
            row.setData(0, _ID, idx)
            for col, text in ((2, what), (3, problems), (4, decision)):
                if text:
                    row.setToolTip(col, text)
            if it.agreed:
                for col in range(5):
                    row.setForeground(col, agreed)
            rows.append(row)
            if it.key == key or (chosen is None and key is None and it.open):
                chosen = row
        self.item_list.addTopLevelItems(rows)  # one insertion: the view lays out once
        self.item_list.blockSignals(False)
        self._fit_column(1, wheres)
        self._fit_column(4, decisions)
        if chosen is not None:
            self.item_list.setCurrentItem(chosen)
            self._on_item(chosen)
        open_n = sum(1 for i in self.items if i.open)
        self.status.setText(f"{open_n} open disagreement(s) in this report"
                            + (" — gold-done" if open_n == 0 else ""))

    def _fit_column(self, col: int, texts: set[str]) -> None:
        """Column ``col`` as wide as the widest of ``texts`` or its header (the longest in
        characters are measured: offsets and decisions differ little in width per character)."""
        longest = max((len(t) for t in texts), default=0)
        fm = self.item_list.fontMetrics()
        margin = 2 * (self.item_list.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.item_list) + 1)
        wide = max((fm.horizontalAdvance(t) for t in texts if len(t) >= longest - 1), default=0)
        head = self.item_list.header()
        self.item_list.setColumnWidth(col, max(wide + margin + 4, head.sectionSizeHint(col)))

    def _on_item(self, row: QTreeWidgetItem | None, _prev: object = None) -> None:
        if row is None:
            return
        it = self.items[int(row.data(0, _ID))]
        self.current = it
        self.disagreement.setText(f"<b>{escape(row.text(2))}</b>: {escape(row.text(3))}"
                                  + (f" — {escape(row.text(4))}" if row.text(4) else ""))
        self._show_versions(it)
        if it.start is not None and it.end is not None:
            for name, view in self.lanes.items():
                version = it.versions.get(name)
                if isinstance(version, SpanItem):
                    view.emphasize((version.start, version.end), [])
                elif isinstance(version, ClaimItem):
                    evidence = [(sp.start, sp.end) for v in version.slots.values()
                                if not isinstance(v, str) for k in v
                                if (sp := self.span_of.get((name, k))) is not None]
                    view.emphasize(None, evidence)
                else:
                    view.emphasize(None, [])
                view.select_range(it.start, it.start)

    def _show_versions(self, it: review.ReviewItem) -> None:
        coders = self.coders
        rows: list[tuple[str, list[str]]] = []
        first = next(iter(it.versions.values()))
        if isinstance(first, SpanItem):
            st_ids = {v.type for v in it.versions.values() if isinstance(v, SpanItem)}
            rows.append(("Type", [self._v(it, c, lambda s: self._type_label(s.type)) for c in coders]))
            rows.append(("Text", [self._v(it, c, lambda s: s.text) for c in coders]))
            rows.append(("Offsets", [self._v(it, c, lambda s: f"{s.start}–{s.end}") for c in coders]))
            attrs: dict[str, Any] = {}
            for t in sorted(st_ids):
                st = self.codebook.span_type(t)
                attrs.update({a.id: a for a in (st.attributes if st else ()) if a.id not in attrs})
            for ad in attrs.values():
                rows.append((ad.label, [self._v(it, c, lambda s, ad=ad: _show(ad, s.attributes.get(ad.id)))
                                        for c in coders]))
        else:
            ct = self.codebook.claim_type(first.type)
            label = ct.label if ct else first.type
            rows.append(("Claim", [self._v(it, c, lambda s: f"{label} claim {s.id}") for c in coders]))
            for sd in ct.slots if ct else ():
                rows.append((sd.label, [self._v(it, c, lambda s, k=sd.id, c=c: self._slot_text(c, s.slots.get(k)))
                                        for c in coders]))
            for ad in ct.attributes if ct else ():
                rows.append((ad.label, [self._v(it, c, lambda s, ad=ad: _show(ad, s.attributes.get(ad.id)))
                                        for c in coders]))
        self.versions.clear()
        self.versions.setColumnCount(len(coders))
        self.versions.setRowCount(len(rows))
        self.versions.setHorizontalHeaderLabels(coders)
        self.versions.setVerticalHeaderLabels([r[0] for r in rows])
        differs = tint(self.versions.palette())  # the palette's text stays readable on it
        for i, (_label, shown) in enumerate(rows):
            differ = len(set(shown)) > 1
            for j, v in enumerate(shown):
                cell = QTableWidgetItem(v)
                cell.setToolTip(v)  # the whole text, where a narrow column cuts it
                if differ:
                    cell.setBackground(differs)
                self.versions.setItem(i, j, cell)
        self.versions.resizeRowsToContents()

    def _slot_text(self, coder: str, value: Any) -> str:
        if value is None or value == ():
            return "—"
        if isinstance(value, str):
            return "not reported" if value == NOT_REPORTED else value.replace("_", " ")
        texts = []
        for key in value:
            sp = self.span_of.get((coder, key))
            texts.append(f"“{sp.text}”" if sp is not None else key)
        return "; ".join(texts)

    def _type_label(self, type_id: str) -> str:
        return self._labels.get(type_id, type_id)

    @staticmethod
    def _v(it: review.ReviewItem, coder: str, fn: Any) -> str:
        v = it.versions.get(coder)
        return "—" if v is None else str(fn(v))

    # ------------------------------------------------------------ decisions

    def step(self, delta: int) -> None:
        if not self.items:
            return
        idx = self.items.index(self.current) if self.current in self.items else -1
        n = len(self.items)
        for k in range(1, n + 1):
            cand = self.items[(idx + delta * k) % n]
            if cand.open:
                self._select_item(cand)
                return
        self.statusBar().showMessage("No open disagreement left in this report.", 4000)

    def _select_item(self, it: review.ReviewItem) -> None:
        for i in range(self.item_list.topLevelItemCount()):
            row = self.item_list.topLevelItem(i)
            if row is not None and self.items[int(row.data(0, _ID))] is it:
                self.item_list.setCurrentItem(row)
                return

    def decide(self, action: str, coder: str | None = None) -> None:
        it = self.current
        if it is None:
            return
        if coder is not None and coder not in it.versions:
            self.statusBar().showMessage(f"{coder} has no version of this item.", 4000)
            return
        try:
            self.project.run(Decide(it, action, self.reviewer, coder,
                                    self.rationale.text().strip() or None, self.coders),
                             origin="review")
        except CommandError as exc:
            self.statusBar().showMessage(f"Not done: {exc}", 6000)
            return
        self.rationale.clear()
        if action == "edited":
            self.statusBar().showMessage(
                "Taken into gold: edit it in the coding window as the coder 'gold'.", 6000)
        self.step(1)

    def accept_unanimous(self, whole_project: bool) -> None:
        ids = None if whole_project or self.report_id is None else [self.report_id]
        cmd = AcceptUnanimous(self.reviewer, ids, self.coders)
        self.project.run(cmd, origin="review")
        self.statusBar().showMessage(f"{cmd.accepted} unanimous item(s) accepted into gold", 5000)

    def _on_changes(self, changes: Changes) -> None:
        """Refresh what the change names: the whole list after a change of structure, else only
        the reports whose annotations or statuses changed (none for a list or setting)."""
        key = self.current.key if self.current else None
        # this window's own decisions change only gold: the coders' lanes keep their scroll
        coders_changed = not changes.made_by(self.project.session, "review")
        if changes.structure:
            self._fill_reports()  # shows the current report again, its gold lane repainted
            if self.report_id is not None and coders_changed:
                self.open_report(self.report_id, lanes=True)
        else:
            touched = changes.touched_reports()
            if not touched:
                return
            self._refresh_reports(touched, coders_changed)
        if key:
            match = next((i for i in self.items if i.key == key), None)
            if match is not None:
                self.current = match


def _show(ad: Any, v: Any) -> str:
    """An attribute value as people read it (labels, a count in words), "—" when not coded."""
    return "—" if v is None else values.text_of(ad, v)


__all__ = ["ReviewWindow", "ClaimItem"]
