"""What the window's mixins (coding, launchers) may use of the window: for the type checker only.

MainWindow provides all of it; this module is imported under TYPE_CHECKING and never at run time.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
)

from annotator.core.codebook import Codebook
from annotator.core.commands import Command
from annotator.core.project import Project
from annotator.core.queries import ClaimRow, SpanRow
from annotator.gui.after_frame import AfterFrame
from annotator.gui.find_bar import FindBar
from annotator.gui.form_panel import FormPanel
from annotator.gui.jump import Jumper
from annotator.gui.queue_panel import QueuePanel
from annotator.gui.span_list import SpanList, SpanModel
from annotator.gui.suggestions_panel import SuggestionsPanel
from annotator.gui.text_view import ReportTextView


class WindowHost(QMainWindow):
    project: Project
    codebook: Codebook
    coder_id: int
    coder_name: str
    source_codebook: Codebook  # the project's; ``codebook`` is it with the user's palette and keys
    role: str
    report_id: int | None
    report_text: str
    current_span_id: int | None
    current_claim_id: int | None
    scan_on: bool
    form_target: str
    _prefill: dict[int, tuple[list[dict[str, Any]], int]]
    _suggest_later: tuple[int, int, str, int, int] | None
    _suggestions: list[Any]
    _spans: list[SpanRow]
    _draft: Any
    claim_strip: QLabel
    storage_banner: QLabel
    last_storage_error: Any
    _span_by_id: dict[int, SpanRow]
    _claims: list[ClaimRow]
    _span_set: Any  # core.spanset.SpanSet | None
    _panels_pending: bool
    _form_deferred: bool
    after_frame: AfterFrame
    claim_actions: dict[str, QAction]
    tag_actions: dict[str, QAction]
    undo_action: QAction
    redo_action: QAction
    find_bar: FindBar
    jumper: Jumper
    @property
    def span_model(self) -> SpanModel: raise NotImplementedError
    text: ReportTextView
    form: FormPanel
    tabs: QTabWidget
    spans_view: SpanList
    @property
    def claims_view(self) -> QTreeWidget: raise NotImplementedError
    _claims_view: QTreeWidget  # the list itself, without catching up its pending update
    suggestions_view: SuggestionsPanel
    queue_panel: QueuePanel
    queue: QTableView
    queue_context_menu: Any
    splitter: QSplitter
    right: QSplitter
    review_action: QAction
    actions_by_name: dict[str, QAction]
    action_specs: list[Any]
    _colors: dict[str, str]
    agreement_action: QAction
    review_window: Any
    agreement_dialog: Any
    export_window: Any
    progress_panel: Any  # the leads' dock, made on first use (progress_panel.py)

    @property
    def current_span(self) -> SpanRow | None: raise NotImplementedError
    @property
    def current_claim(self) -> ClaimRow | None: raise NotImplementedError
    def _run(self, cmd: Command, coalesce: Hashable | None = None) -> bool: raise NotImplementedError
    def _show_form(self) -> None: raise NotImplementedError
    def _show_span_form(self, span: SpanRow) -> None: raise NotImplementedError
    def select_span(self, span_id: int, focus_text: bool = True) -> None: raise NotImplementedError
    def select_claim(self, claim_id: int) -> None: raise NotImplementedError
    def span_at(self, pos: int) -> SpanRow | None: raise NotImplementedError
    def focus_form(self) -> None: raise NotImplementedError
    def open_report(self, report_id: int) -> None: raise NotImplementedError
    def set_font_size(self, size: int) -> None: raise NotImplementedError
    def reject_suggestion(self, index: int) -> None: raise NotImplementedError
    def accept_suggestion(self, index: int) -> None: raise NotImplementedError
    def _rescan(self) -> None: raise NotImplementedError
    def _reload_annotations(self, full: bool = False, changed_spans: set[int] | None = None,
                            ready: Any = None, claims_changed: bool = True,
                            claims: list[ClaimRow] | None = None,
                            panels_later: bool = False,
                            changed_claims: set[int] | None = None) -> None: raise NotImplementedError
    def _fill_claim_list(self) -> None: raise NotImplementedError
    def _settle_panels(self) -> None: raise NotImplementedError
    def refresh_flagged(self, read: bool = True) -> None: raise NotImplementedError
    def toggle_scan(self) -> None: raise NotImplementedError
    def span_under_caret(self) -> SpanRow | None: raise NotImplementedError
    def suggestion_under_caret(self) -> int | None: raise NotImplementedError
    def _show_claim_strip(self, claim: ClaimRow | None) -> None: raise NotImplementedError
    def _select_listed_span(self) -> None: raise NotImplementedError
    def _spans_covering(self, pos: int) -> list[SpanRow]: raise NotImplementedError
    def _set_strip_open(self, on: bool) -> None: raise NotImplementedError
    def _show_draft(self) -> None: raise NotImplementedError
    def draft_slot(self, slot: str) -> bool: raise NotImplementedError
    def draft_clear(self, slot: str) -> bool: raise NotImplementedError
    def accept_current_draft(self) -> bool: raise NotImplementedError
    def drop_draft(self) -> bool: raise NotImplementedError
    def fill_slot(self, slot: str, span_id: int | None = None) -> None: raise NotImplementedError
