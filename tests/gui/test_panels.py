"""Each panel of the coding window built alone, from a bare Project or codebook."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.core.codebook import load_default_codebook
from annotator.core.commands import AddSpan, SetStatus
from annotator.core.project import Project
from annotator.gui import queue_panel
from annotator.gui.actions import ActionSpec, ShortcutSheet, sheet_rows
from annotator.gui.find_bar import FindBar
from annotator.gui.form_panel import CLAIM, EMPTY, SPAN, FormPanel
from annotator.gui.queue_panel import QueuePanel
from annotator.gui.suggestions_panel import SuggestionsPanel
from tests.core.helpers import record, write_jsonl


def _many(tmp_path: Path, n: int) -> Project:
    project = Project.open(tmp_path / "many.db")
    recs = [record(f"r{i:04d}", f"Report number {i} about Gao.\n", title=f"Report {i:04d}") for i in range(n)]
    project.import_paths([write_jsonl(tmp_path / "many.jsonl", recs)])
    return project


def test_queue_reads_a_page_at_a_time_and_fetches_on_demand(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(queue_panel, "PAGE", 10)
    project = _many(tmp_path, 25)
    coder = project.coder_id("q", create=True)
    panel = QueuePanel(project, coder, "q")
    qtbot.addWidget(panel)
    panel.reload()
    assert panel.row_count() == 10  # one page, not every report
    chosen: list[int] = []
    panel.report_chosen.connect(chosen.append)
    last = project.reports()[-1].id
    panel.select_report(last)  # beyond the first page: fetched as needed
    assert panel.row_count() == 25
    assert chosen == [last] and panel.current_report() == last
    panel.step(-1)
    assert chosen[-1] == project.reports()[-2].id
    project.close()


def test_queue_row_updates_in_place_and_filters(qtbot, tmp_path) -> None:
    project = _many(tmp_path, 3)
    coder = project.coder_id("q", create=True)
    panel = QueuePanel(project, coder, "q")
    qtbot.addWidget(panel)
    panel.reload()
    first = project.reports()[0].id
    model = panel.view.model()
    panel.update_row(first, "done", 7, 2)
    assert [model.index(0, c).data() for c in range(4)] == ["●", "Report 0000", "7", "2"]
    project.run(SetStatus(first, coder, "done"))
    panel.status_filter.setCurrentIndex(1)  # to do
    assert panel.row_count() == 2
    qtbot.keyClicks(panel.search, "number 2")
    qtbot.waitUntil(lambda: panel.row_count() == 1)
    assert model.index(0, 1).data() == "Report 0002"
    project.close()


def test_find_bar_keys(qtbot) -> None:
    bar = FindBar()
    qtbot.addWidget(bar)
    asked: list[tuple[str, bool]] = []
    bar.find_requested.connect(lambda text, back: asked.append((text, back)))
    closed: list[bool] = []
    bar.closed.connect(lambda: closed.append(True))
    bar.open_bar("Gao")
    assert bar.isVisible() and bar.edit.text() == "Gao"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert asked == [("Gao", False), ("Gao", True)]
    bar.show_result(False)
    assert bar.status.text() == "not found"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert closed == [True] and not bar.isVisible()


def test_form_panel_names_what_it_shows(qtbot) -> None:
    cb = load_default_codebook()
    form = FormPanel(cb)
    qtbot.addWidget(form)
    assert form.page == EMPTY
    actor = cb.span_type("actor")
    form.show_span(actor, "Actor: “gunmen”", {}, None)
    assert form.page == SPAN and "gunmen" in form.title.text()
    assert actor is not None and actor.color.lower() in form.title.styleSheet().lower()
    retag: list[str] = []
    form.retag_requested.connect(retag.append)
    form.span_type_box.setCurrentIndex(form.span_type_box.findData("location"))
    form.span_type_box.activated.emit(form.span_type_box.currentIndex())
    assert retag == ["location"]
    attack = cb.claim_type("attack")
    form.show_claim(attack, "C1 Attack", {}, {}, {"perpetrator"}, {})
    assert form.page == CLAIM and form.slot_tree.topLevelItemCount() == len(attack.slots)
    form.show_empty()
    assert form.page == EMPTY and form.title.text() == ""


def test_suggestions_panel_lists_and_chooses(qtbot) -> None:
    from annotator.core.normalize import suggest_spans

    found = suggest_spans("Gunmen killed 12 soldiers on 3 March 2024.", published="2024-03-05")
    panel = SuggestionsPanel({"date": "Date", "casualty_count": "Casualty count"}, {"date": "#2ca02c"})
    qtbot.addWidget(panel)
    panel.show_suggestions(found)
    assert panel.topLevelItemCount() == len(found) > 0
    chosen: list[int] = []
    panel.suggestion_chosen.connect(chosen.append)
    panel.setCurrentItem(panel.topLevelItem(len(found) - 1))
    assert chosen == [len(found) - 1]


def test_shortcut_sheet_reads_the_action_table(qtbot) -> None:
    called: list[str] = []
    specs = [
        ActionSpec("a.one", "&Edit", "&Do one thing", lambda: called.append("one"), ("Ctrl+K",)),
        ActionSpec("a.none", "&Edit", "No keys", lambda: None),
    ]
    rows = sheet_rows(specs, {})
    assert ("&Edit", "Ctrl+K", "Do one thing") in rows
    assert not any(r[2] == "No keys" for r in rows)
    assert any("not reported" in r[2] for r in rows)  # the keys that are not actions are there
    sheet = ShortcutSheet(rows)
    qtbot.addWidget(sheet)
    assert sheet.table.verticalScrollBar().value() == 0
    assert sheet.table.columnWidth(0) >= sheet.table.fontMetrics().horizontalAdvance("Ctrl+K")


def test_window_modules_stay_small() -> None:
    import annotator.gui as gui

    folder = Path(gui.__file__).parent
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in folder.glob("*.py")}
    assert max(sizes.values()) <= 600, sizes


def test_panel_state_after_tag(qtbot, tmp_path) -> None:
    """The queue shows the counts the window gives it, without a reload."""
    project = _many(tmp_path, 2)
    coder = project.coder_id("q", create=True)
    panel = QueuePanel(project, coder, "q")
    qtbot.addWidget(panel)
    panel.reload()
    rid = project.reports()[1].id
    project.run(AddSpan(rid, coder, "location", 20, 23))
    panel.update_row(rid, "in_progress", 1, 0)
    assert panel.view.model().index(1, 0).data() == "◐"
    assert panel.view.model().index(1, 2).data() == "1"
    project.close()
