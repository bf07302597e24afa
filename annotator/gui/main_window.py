"""The coding window: assembles the panels and routes changes between them and the Project.

Panels (each its own module, buildable from a bare Project or codebook): the queue
(queue_panel), the report text (text_view) with the find bar (find_bar), the spans list
(span_list), the claims list, the suggested spans (suggestions_panel) and the form (form_panel).
The actions live in one table (window_actions -> actions) that the menus and the F1 sheet read;
what they do is in coding (tagging, claims, suggestions) and launchers (dialogs, layout).
Everything goes through core Commands (stored at once, undoable); the window only reads through
the Project facade and repaints what a change touched. Coders see only their own annotations.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import roles
from annotator.core.commands import Changes, SetStatus
from annotator.core.gcpause import thaw
from annotator.core.prefetch import SpanPrefetcher
from annotator.core.project import Project
from annotator.core.queries import ClaimRow, CoderRow, SpanRow
from annotator.core.spanset import SpanPatch, SpanSet
from annotator.core.summary import claim_summary, stored_value
from annotator.gui import actions as actions_mod
from annotator.gui.after_frame import AfterFrame
from annotator.gui.bridge import ChangeBridge
from annotator.gui.coding import CodingActions
from annotator.gui.drafting import Drafting
from annotator.gui.find_bar import FindBar
from annotator.gui.flagged_panel import FlaggedActions, FlaggedPanel
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.form_panel import FormPanel
from annotator.gui.geometry import GeometryGuard
from annotator.gui.idle import after_first_paint
from annotator.gui.jump import Jumper
from annotator.gui.launchers import Launchers
from annotator.gui.lead_actions import LeadActions, install_queue_menu
from annotator.gui.list_updates import ListUpdates
from annotator.gui.navigation import Navigation
from annotator.gui.progress_line import ProgressLine
from annotator.gui.project_launchers import ProjectLaunchers
from annotator.gui.queue_panel import QueuePanel
from annotator.gui.report_switch import ReportSwitching
from annotator.gui.span_list import SpanList, SpanModel
from annotator.gui.suggestions_panel import SuggestionsPanel
from annotator.gui.text_view import EVIDENCE_COLOR as CLAIM_COLOR
from annotator.gui.text_view import PaintedSpan, ReportTextView
from annotator.gui.user_keys import seen_codebook
from annotator.gui.window_actions import window_action_specs

_ID = Qt.ItemDataRole.UserRole
POLL_MS = 2000  # how often the window looks for other processes' changes


class MainWindow(ReportSwitching, CodingActions, Drafting, Navigation, Launchers, ProjectLaunchers,
                 LeadActions, FlaggedActions, ListUpdates, QMainWindow):
    def __init__(self, project: Project, coder_id: int, me: CoderRow | None = None) -> None:
        """``me``: the coder's row when the caller has just read it (app.open_window)."""
        super().__init__()
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.project = project
        self.source_codebook = project.codebook
        self.codebook = seen_codebook(project.codebook)  # the user's palette and keys
        self.coder_id = coder_id
        if me is None or me.id != coder_id:  # name and role: the progress counts later
            me = project.coder(coder_id, counts=False)
        if me is None:
            raise ValueError(f"no coder with id {coder_id} in this project")
        self.coder_name, self.role = me.name, me.role
        self.report_id: int | None = None
        self.report_text = ""
        self._spans: list[SpanRow] = []
        self._span_by_id: dict[int, SpanRow] = {}
        self._span_set: SpanSet | None = None  # the open report's spans, patched after each change
        self.prefetch = SpanPrefetcher(project)  # the spans of the reports next to the open one
        self.prefetch.hold()  # until the first report is painted (_after_first_paint)
        self._claims: list[ClaimRow] = []
        self._form_deferred = False  # a tag shows the form itself, once (coding.tag_selection)
        # the span list, claims list, queue row and status bar follow a coding key one frame
        # after the text and the form (gui/after_frame.py)
        self.after_frame = AfterFrame(self)
        self._queue_row_stale = False  # a status change waits for the queue row's update
        self._status, self._status_of = "", -1  # the open report's status, as last read
        self.current_span_id: int | None = None
        self.current_claim_id: int | None = None
        # what the form shows when the caret is in a span and a claim is open: the coder's last
        # explicit choice ("span": caret moved into a span, tagged; "claim": started, selected,
        # filled a slot), never switched by a refresh
        self.form_target = "span"
        # attribute suggestions for spans tagged in this session: span id -> (alternatives, shown)
        self._prefill: dict[int, tuple[list[dict[str, Any]], int]] = {}
        # a span's suggested values waiting for the warm-up (coding._suggest_values)
        self._suggest_later: tuple[int, int, str, int, int] | None = None
        self._suggestions: list[Any] = []  # the scan's suggested spans for the open report
        self.scan_on = False
        self._colors = {t.id: t.color for t in self.codebook.span_types}
        self.setWindowTitle(f"Annotator — {project.location}")
        self.setAcceptDrops(True)  # drop report files or folders to import them
        self.progress_line: ProgressLine | None = None  # made once the queue is read
        self._build_widgets()
        self._build_actions()
        self.bridge = ChangeBridge(project, self)
        self.bridge.changed.connect(self._on_changes)
        # other windows and commands on the same project: their changes show within seconds
        self._change_token = project.change_token()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll_other_changes)
        self._poll.start()
        self._restore_layout()
        self.queue_panel.reload()
        if self.queue_panel.row_count():
            self.queue_panel.select_row(0)
        self.text.setFocus()
        self.progress_line = ProgressLine(self.progress, project, lambda: self.coder_id)
        after_first_paint(self.text.viewport(), self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self.progress_line is not None:
            self.progress_line.refresh_in_background()
        self.prefetch.release()
        # every type's fields are built while idle, so no first tag of a type waits for them
        self.form.prebuild(self.codebook.span_types, self.codebook.claim_types)

    # ================================================================ widgets

    def _build_widgets(self) -> None:
        labels = {t.id: t.label for t in self.codebook.span_types}
        self.queue_panel = QueuePanel(self.project, self.coder_id, self.coder_name)
        self.queue_panel.model.team_view = roles.can_lead(self.role)
        self.queue = self.queue_panel.view
        self.status_filter = self.queue_panel.status_filter
        self.search = self.queue_panel.search

        # centre: palette, text, find bar
        self.text = ReportTextView()
        self.text.setObjectName("report_text")
        self.text.set_colors(self._colors)
        self.text.label_for = self._span_label
        palette = FlowLayout()  # the tag buttons wrap instead of widening the window
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
        self.claim_strip = QLabel()
        self.claim_strip.setObjectName("claim_strip")
        self.claim_strip.setWordWrap(True)
        self.claim_strip.setStyleSheet(
            f"padding: 3px 6px; border-left: 6px solid {CLAIM_COLOR}; background: #ece6f5;"
            " color: #1a1a1a;"
        )
        # always there, three lines high at least (an open claim and its slot keys in a text
        # column of a 1400-pixel window): opening or closing a claim does not move the text
        # (which re-wrapped and repainted the whole view, and the coder lost the line)
        self._strip_open = None  # neither yet: the first call sets the look
        self._set_strip_open(False)
        self.claim_strip.setText(self._no_claim_text())
        lines = self.claim_strip.fontMetrics().lineSpacing() * 3
        self.claim_strip.setMinimumHeight(lines + 8)
        self.jumper = Jumper(self.text)
        self.find_bar = FindBar()
        self.find_edit = self.find_bar.edit
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 4, 0, 4)
        cl.addLayout(palette)
        cl.addWidget(self.claim_strip)
        cl.addWidget(self.text, 1)
        cl.addWidget(self.find_bar)

        # right: spans, claims and suggestions above, the form below
        self._span_model = SpanModel(labels, self._colors, self.codebook)
        self.spans_view = SpanList(self._span_model)
        self.spans_view.setObjectName("spans")
        self._claims_view = QTreeWidget()
        self.claims_view.setObjectName("claims")
        self.claims_view.setHeaderLabels(["Claim", "Summary"])
        self.claims_view.setRootIsDecorated(False)
        self.suggestions_view = SuggestionsPanel(labels, self._colors, codebook=self.codebook)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.spans_view, "Spans")
        self.tabs.addTab(self.claims_view, "Claims")
        self.tabs.addTab(self.suggestions_view, "Suggestions")
        self.flagged_view = FlaggedPanel(labels)  # spans a merge could not carry (Ctrl+6)
        self.tabs.addTab(self.flagged_view, "Flagged")

        self.form = FormPanel(self.codebook)
        self.form.home = self.text
        self.form_stack = self.form.stack
        self.span_form = self.form.span_form
        self.claim_form = self.form.claim_form
        self.slot_tree = self.form.slot_tree

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.tabs)
        self.right.addWidget(self.form)
        self.right.setSizes([380, 420])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.queue_panel)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([270, 680, 400])
        self.setCentralWidget(self.splitter)
        # a fault of the database (locked, read-only, disk full): shown until an action succeeds
        self.storage_banner = QLabel()
        self.storage_banner.setObjectName("storage_banner")
        self.storage_banner.setWordWrap(True)
        self.storage_banner.setStyleSheet("background: #b00020; color: white; padding: 3px 6px;")
        self.storage_banner.hide()
        self.last_storage_error = None
        self.statusBar().addWidget(self.storage_banner, 1)
        self.coder_label = QLabel()
        # a gap between a long status message (cut at the label's edge) and "Coder:"; at 1024
        # pixels the two ran together ("... r ReporICoder: amina")
        self.coder_label.setContentsMargins(16, 0, 0, 0)
        self.progress = QLabel()
        self.statusBar().addPermanentWidget(self.coder_label)
        self.statusBar().addPermanentWidget(self.progress)

        # routing between the panels
        self.queue_panel.report_chosen.connect(self.open_report)
        self.queue_panel.reloaded.connect(self._update_progress)
        self.find_bar.find_requested.connect(self._find)
        self.find_bar.closed.connect(self.close_find)
        self.text.caret_moved.connect(self._on_caret)
        self.text.context_menu_requested.connect(self._context_menu)
        self.spans_view.selectionModel().currentChanged.connect(self._on_span_index)
        self.spans_view.activated.connect(lambda _i: self.focus_form())
        self.claims_view.currentItemChanged.connect(self._on_claim_item)
        self.suggestions_view.suggestion_chosen.connect(self._on_suggestion_chosen)
        self.flagged_view.place_requested.connect(self.place_flagged)
        self.flagged_view.mark_requested.connect(self.mark_flagged)
        self.form.retag_requested.connect(self.retag_current)
        self.form.delete_requested.connect(self.delete_current)
        self.span_form.attribute_changed.connect(self._on_span_attribute)
        self.span_form.suggestions_accepted.connect(self._on_span_suggestions_accepted)
        self.span_form.escape_pressed.connect(self.text.setFocus)
        self.claim_form.attribute_changed.connect(self._on_claim_attribute)
        self.claim_form.escape_pressed.connect(self.text.setFocus)
        self.slot_tree.span_dropped.connect(self.fill_slot)
        self.slot_tree.remove_requested.connect(self._remove_from_slot)
        self.slot_tree.span_activated.connect(self.select_span)

    def _build_actions(self) -> None:
        self.action_specs = window_action_specs(self)
        coding_widgets = [self.text, self.spans_view, self.claims_view, self.slot_tree, self.queue]
        self.actions_by_name = actions_mod.install(self, self.action_specs, coding_widgets)
        self.all_actions = list(self.actions_by_name.values())
        a = self.actions_by_name
        self.undo_action, self.redo_action = a["edit.undo"], a["edit.redo"]
        self.delete_action = a["edit.delete"]
        self.scan_action = a["suggest.scan"]
        self.review_action, self.agreement_action = a["review.open"], a["review.agreement"]
        self.tag_actions = {st.id: a[f"tag.{st.id}"] for st in self.codebook.span_types}
        self.claim_actions = {ct.id: a[f"claim.{ct.id}"] for ct in self.codebook.claim_types}
        reviewer = roles.can_review(self.role)
        for action in (self.review_action, self.agreement_action, a["review.progress"]):
            action.setEnabled(reviewer)
            if not reviewer:
                action.setToolTip("for reviewers: coders code blind")
        install_queue_menu(self)  # the lead's actions on the selected reports (lead_actions.py)
        self._update_undo_labels()

    def _focus_tab(self, index: int) -> None:
        self.after_frame.catch_up()  # the tab shows the open report's items before it takes keys
        self.tabs.setCurrentIndex(index)
        view = self.tabs.widget(index)
        if view is None:
            return
        view.setFocus()
        if isinstance(view, QTreeWidget) and view.currentItem() is None:
            first = view.topLevelItem(0)
            if first is not None:
                view.setCurrentItem(first)
        if view is self.claims_view:  # going to the claims shows the current one in the form
            item = self.claims_view.currentItem()
            if item is not None:
                self.select_claim(int(item.data(0, _ID)))
                self.claims_view.setFocus()

    def show_shortcuts(self) -> None:
        rows = actions_mod.sheet_rows(self.action_specs, self.actions_by_name)
        self.shortcut_dialog = actions_mod.ShortcutSheet(rows, self)
        self.shortcut_dialog.show()

    def _update_undo_labels(self) -> None:
        u, r = self.project.undo_label, self.project.redo_label
        self.undo_action.setText(f"&Undo {u}" if u else "&Undo")
        self.undo_action.setEnabled(u is not None)
        self.redo_action.setText(f"&Redo {r}" if r else "&Redo")
        self.redo_action.setEnabled(r is not None)

    # ================================================================ queue and reports

    def reload_queue(self) -> None:
        self.queue_panel.reload()

    def _update_progress(self) -> None:
        self.coder_label.setText(f"Coder: {self.coder_name}")
        if self.progress_line is not None:  # at start: counted after the first paint
            self.progress_line.refresh()

    def _step(self, delta: int) -> None:
        self.queue_panel.step(delta)

    def _set_status(self, status: str) -> None:
        if self.report_id is not None:
            self._run(SetStatus(self.report_id, self.coder_id, status))

    def mark_done_and_next(self) -> None:
        if self.report_id is None:
            return
        old_row = self.queue_panel.row_of_current()
        done_id = self.report_id
        if self._run(SetStatus(done_id, self.coder_id, "done")):
            # the queue may have been filtered to exclude done reports: go to what is now next
            self.queue_panel.after_done(done_id, old_row)
            self.text.setFocus()

    # ================================================================ annotations

    def _span_label(self, p: PaintedSpan) -> str:
        if getattr(p, "label", ""):
            return p.label
        st = self.codebook.span_type(p.type)
        span = self._span_by_id.get(p.id)
        return f"{st.label if st else p.type}: {span.text if span else ''}"

    def _reload_annotations(self, full: bool = False, changed_spans: set[int] | None = None,
                            ready: SpanSet | None = None, claims_changed: bool = True,
                            claims: list[ClaimRow] | None = None,
                            panels_later: bool = False,
                            changed_claims: set[int] | None = None) -> None:
        """Show the report's spans and claims again after a change. ``changed_spans``: the spans
        this window's own change names (only those are read again, and only their rows and
        blocks are redrawn); None reads everything (another process's change).
        ``changed_claims``: likewise the claims an own change names (None: all). ``ready``: the
        report's spans read ahead and checked (core.prefetch). ``panels_later``: a report
        opened, its lists filled after the text's frame (report_switch.py)."""
        if self.report_id is None:
            return
        self.after_frame.catch_up()  # the lists' last patches first, in order
        if ready is not None:
            self._span_set = ready
            patch = SpanPatch(reset=True)
        elif full or changed_spans is None or self._span_set is None:
            self._span_set = self.project.span_set(self.report_id, self.coder_id)
            patch = SpanPatch(reset=True)
        else:
            # own change: _on_changes has just read the change log, so others' changes to this
            # report were shown first (read whole); the patch needs no check of its own
            patch = self.project.patch_spans(
                self._span_set, self.report_id, self.coder_id, changed_spans, check=False
            )
        # the set's own list and index (patched in place): everything that reads spans sees them
        self._spans = self._span_set.rows
        self._span_by_id = self._span_set.by_id
        if claims is not None:  # read ahead with the spans
            self._claims = claims
        elif full or changed_spans is None or (claims_changed and changed_claims is None):
            self._claims = self.project.claims(self.report_id, self.coder_id)
        elif claims_changed and changed_claims:  # an own change names its claims: those only
            self._claims = self.project.patch_claims(self._claims, self.report_id, self.coder_id,
                                                     changed_claims)
        # span rows carry id, type, start and end, which is all the view paints with; they
        # come in (start, end, id) order
        painted: Any = self._spans
        if full:
            self.text.set_report_text(self.report_text, painted, presorted=True,
                                      longest=self._span_set.longest)
        elif patch.reset:
            self.text.update_spans(painted, presorted=True)
        elif patch:
            self.text.patch_spans(cast(Any, patch.removed), cast(Any, patch.added))
        if self.current_span_id not in self._span_by_id:
            self.current_span_id = None
        if self.current_claim_id not in {c.id for c in self._claims}:
            self.current_claim_id = None
        fill_claims = (claims_changed or patch.reset or changed_spans is None
                       or not changed_spans.isdisjoint(self._claimed_spans()))
        if panels_later:
            self._panels_pending = True
            self.after_frame.later(self._settle_panels, "open")
        elif patch.reset:  # others' change: everything at once
            self.span_model.set_rows(self._spans, self._span_set.missing, self._span_by_id)
            self.spans_view.select_span(self.current_span_id)
            if fill_claims:
                self._fill_claim_list()
            self.refresh_flagged(read=full or ready is not None)
        else:  # an own change of a few spans: the lists follow the text's frame
            if patch:
                removed, added, missing = patch.removed, patch.added, self._span_set.missing
                self.after_frame.later(
                    lambda: self.spans_view.apply_patch(removed, added, missing))
            self.after_frame.later(self._select_listed_span, "select span")
            if fill_claims:
                self.after_frame.later(self._fill_claim_list, "claims")
            self.after_frame.later(lambda: self.refresh_flagged(read=False), "flagged")
        if not self._form_deferred:
            self._show_form()

    @property
    def current_span(self) -> SpanRow | None:
        return self._span_by_id.get(self.current_span_id) if self.current_span_id else None

    @property
    def current_claim(self) -> ClaimRow | None:
        return next((c for c in self._claims if c.id == self.current_claim_id), None)

    def _evidence(self, claim: ClaimRow | None) -> list[tuple[int, int]]:
        if claim is None:
            return []
        return [
            (self._span_by_id[i].start, self._span_by_id[i].end)
            for fill in claim.slots.values() if isinstance(fill, list)
            for i in fill if i in self._span_by_id
        ]

    def _show_form(self) -> None:
        span, claim = self.current_span, self.current_claim
        self.text.emphasize((span.start, span.end) if span else None, self._evidence(claim))
        self._show_claim_strip(claim)
        if span is not None and (self.form_target == "span" or claim is None):
            self._show_span_form(span)
        elif claim is not None:
            self._show_claim_form(claim)
        else:
            self.form.show_empty()

    def _show_span_form(self, span: SpanRow) -> None:
        st = self.codebook.span_type(span.type)
        title = f"{st.label if st else span.type}: “{span.text}”  ({span.key}, {span.start}–{span.end})"
        suggestions, hint = None, ""
        pending = self._prefill.get(span.id)
        if pending is not None:
            alternatives, shown = pending
            suggestions = alternatives[shown]
            n = len(alternatives)
            more = f", ] / [ for the other {n - 1}" if n > 1 else ""
            hint = f"Suggested values in grey: Enter accepts{more}"
        self.form.show_span(st, title, span.attributes, suggestions, hint, owner=("span", span.id))

    def _show_claim_form(self, claim: ClaimRow) -> None:
        ct = self.codebook.claim_type(claim.type)
        summary = claim_summary(claim, self._span_by_id, self.codebook)
        title = f"{claim.key} {ct.label if ct else claim.type}: {summary}"
        in_slots = {i for fill in claim.slots.values() if isinstance(fill, list) for i in fill}
        describe = {}  # only the claim's own spans: a report may hold 10,000
        for i in in_slots:
            s = self._span_by_id.get(i)
            if s is not None:
                value = stored_value(s, self.codebook)
                describe[i] = f"{s.text}  [{value}]" if value else s.text
        missing = set(self.codebook.missing_slots(claim.type, claim.slots))
        self.form.show_claim(
            ct, title, claim.slots, describe, missing, claim.attributes, owner=("claim", claim.id)
        )

    def focus_form(self) -> None:
        self.catch_up_suggestions()  # the suggested values of a span just tagged, first
        self.form.focus_first()

    # ================================================================ changes from the core

    def _on_changes(self, changes: Changes) -> None:
        self._update_undo_labels()
        if changes.structure or (changes.statuses and self.queue_panel.filtered):
            self.queue_panel.reload()
        mine = self.report_id is not None and (
            self.report_id in changes.reports
            or (self.report_id, self.coder_id) in changes.statuses
            or changes.structure
            or (not changes.reports and bool(changes.spans or changes.claims))
        )
        if mine:
            # this window's own change names every span it touched; others' are read whole
            own = changes.made_by(self.project.session) and not changes.structure
            if own:
                self.poll_other_changes()  # what others stored meanwhile shows first (the log)
            self._reload_annotations(changed_spans=changes.spans if own else None,
                                     claims_changed=not own or bool(changes.claims),
                                     changed_claims=changes.claims if own else None)
            status_changed = not own or (self.report_id, self.coder_id) in changes.statuses
            if own:  # the row's counts follow the text's frame
                self._queue_row_later(status_changed)
            else:
                self._refresh_queue_row(read_status=status_changed)
            if self.scan_on:
                self._rescan()
        if changes.statuses:
            self.after_frame.later(self._update_progress, "progress")
        if getattr(self, "progress_panel", None) is not None:
            self.progress_panel.on_changes(changes)  # the leads' dock (progress_panel.py)
        if changes.label:
            self._status_message_later(changes.label)

    def poll_other_changes(self) -> None:
        """Pick up what other processes stored (one cheap read when nothing changed)."""
        try:
            changes, self._change_token = self.project.changes_since(self._change_token)
        except Exception as exc:  # noqa: BLE001 - a busy or unreachable database: try again later
            self.statusBar().showMessage(f"Could not check for others' changes: {exc}", 5000)
            return
        if changes.structure or changes.reports or changes.statuses:
            if self.form.span_form.has_pending() or self.form.claim_form.has_pending():
                self.form.flush()  # store what is being typed before showing theirs
            self._on_changes(changes)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.form.flush()
        # Quit means the application: the review window and the dialogs go with this window
        for name in ("review_window", "agreement_dialog", "shortcut_dialog", "export_window"):
            other = getattr(self, name, None)
            if other is not None:
                other.close()
        self._save_layout()
        self.bridge.detach()
        self.prefetch.close()
        if self.progress_line is not None:
            self.progress_line.wait()
        thaw()  # what the start made (frozen after its first paint) can be collected again
        super().closeEvent(event)
