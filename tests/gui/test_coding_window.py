"""The coding window end to end: tagging, values, claims, undo, done/next, persistence, find."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from annotator.core.project import Project
from tests.gui.conftest import EMOJI_TEXT
from tests.gui.killed_window import run_window_then_kill


def select(window, needle: str, nth: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(nth):
        pos = window.report_text.index(needle, pos + 1)
    window.text.select_range(pos, pos + len(needle))
    window.text.setFocus()
    return pos, pos + len(needle)


def key(qtbot, window, k, mods=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.text, k, mods)


def test_selection_snaps_to_words_unless_alt(qtbot, window, gui_project) -> None:
    start = window.report_text.index("attacked")
    window.text.select_range(start + 2, start + 5)  # "tac" inside "attacked"
    window.text.setFocus()
    key(qtbot, window, Qt.Key.Key_1)
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.text == "attacked"
    window.text.select_range(start + 2, start + 5)
    key(qtbot, window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    texts = sorted(s.text for s in gui_project.spans(window.report_id, window.coder_id))
    assert texts == ["attacked", "tac"]


def test_palette_button_and_retag_and_delete(qtbot, window, gui_project) -> None:
    select(window, "Gao")
    qtbot.mouseClick(window.palette_buttons["location"], Qt.MouseButton.LeftButton)
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.type == "location"
    # caret inside the span makes it current; a type key retags it
    window.text.select_range(span.start + 1, span.start + 1)
    assert window.current_span_id == span.id
    key(qtbot, window, Qt.Key.Key_1)
    assert gui_project.spans(window.report_id, window.coder_id)[0].type == "actor"
    assert "Retag" in window.undo_action.text()
    key(qtbot, window, Qt.Key.Key_Delete)
    assert gui_project.spans(window.report_id, window.coder_id) == []
    qtbot.keyClick(window.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.spans(window.report_id, window.coder_id)[0].type == "actor"


def test_attribute_edit_is_stored(qtbot, window, gui_project) -> None:
    select(window, "12 soldiers")
    key(qtbot, window, Qt.Key.Key_4)
    assert window.form_stack.currentIndex() == 1
    span_id = window.current_span_id
    # the form's signal is what its editors emit on a committed change
    window.span_form.attribute_changed.emit("status", "killed")
    window.span_form.attribute_changed.emit("count", {"best": 12})
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.id == span_id and span.attributes == {"status": "killed", "count": {"best": 12}}
    # an invalid value is refused by the core and nothing changes
    window.span_form.attribute_changed.emit("count", {"low": 20, "high": 2})
    assert gui_project.spans(window.report_id, window.coder_id)[0].attributes["count"] == {"best": 12}
    assert "Not done" in window.statusBar().currentMessage()


def test_claims_from_the_keyboard(qtbot, window, gui_project) -> None:
    select(window, "gunmen")
    key(qtbot, window, Qt.Key.Key_1)
    select(window, "Tessit")
    key(qtbot, window, Qt.Key.Key_2)
    select(window, "12 soldiers")
    key(qtbot, window, Qt.Key.Key_4)
    key(qtbot, window, Qt.Key.Key_A)  # new attack claim
    (claim,) = gui_project.claims(window.report_id, window.coder_id)
    spans = {s.text: s.id for s in gui_project.spans(window.report_id, window.coder_id)}
    for needle, slot_key in (("gunmen", Qt.Key.Key_P), ("Tessit", Qt.Key.Key_L), ("12 soldiers", Qt.Key.Key_K)):
        pos = window.report_text.index(needle)
        window.text.select_range(pos + 1, pos + 1)
        key(qtbot, window, slot_key)
    key(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)  # date: not reported
    (claim,) = gui_project.claims(window.report_id, window.coder_id)
    assert claim.slots == {
        "perpetrator": [spans["gunmen"]], "location": [spans["Tessit"]],
        "casualties": [spans["12 soldiers"]], "date": "not_reported",
    }
    item = window.claims_view.topLevelItem(0)
    assert item.text(1) == "gunmen, Tessit, ?, 12 soldiers"  # ? = date not reported
    # undo the not-reported mark from the keyboard
    qtbot.keyClick(window.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "date" not in gui_project.claims(window.report_id, window.coder_id)[0].slots


def test_drag_target_fills_a_slot(qtbot, window, gui_project) -> None:
    select(window, "gunmen")
    key(qtbot, window, Qt.Key.Key_1)
    span_id = window.current_span_id
    key(qtbot, window, Qt.Key.Key_A)
    window.slot_tree.span_dropped.emit("target", span_id)
    assert gui_project.claims(window.report_id, window.coder_id)[0].slots == {"target": [span_id]}


def test_selecting_a_claim_highlights_its_evidence(qtbot, window, gui_project) -> None:
    select(window, "gunmen")
    key(qtbot, window, Qt.Key.Key_1)
    key(qtbot, window, Qt.Key.Key_A)
    key(qtbot, window, Qt.Key.Key_P)
    # (the tag's first frame draws the span's own colour over its text: text_view.patch_spans)
    qtbot.waitUntil(lambda: not window.text._overlay, timeout=2000)
    window.select_claim(gui_project.claims(window.report_id, window.coder_id)[0].id)
    extra = window.text.extraSelections()
    (mark,) = [sel for sel in extra if sel.cursor.selectedText() == "gunmen" and sel.format.fontOverline()]
    # marked in the claim's colour without painting over the span's type colour
    assert not mark.format.hasProperty(mark.format.Property.BackgroundBrush)


def test_reopen_shows_the_same_state(qtbot, window, gui_project, tmp_path: Path) -> None:
    from annotator.gui.main_window import MainWindow

    select(window, "Tessit")
    key(qtbot, window, Qt.Key.Key_2)
    key(qtbot, window, Qt.Key.Key_G)
    window.close()
    again = Project.open(gui_project.location)
    w2 = MainWindow(again, again.coder_id("tester"))
    qtbot.addWidget(w2)
    assert [s.text for s in w2._spans] == ["Tessit"]
    assert w2.claims_view.topLevelItemCount() == 1
    again.close()


def test_layout_and_font_size_persist(qtbot, window, gui_project) -> None:
    from annotator.gui.main_window import MainWindow

    window.set_font_size(17)
    window.resize(720, 540)  # the offscreen screen is 800x600
    window.splitter.setSizes([100, 400, 200])
    sizes = window.splitter.sizes()
    window.close()
    assert int(QSettings().value("text/font_size")) == 17
    w2 = MainWindow(gui_project, window.coder_id)
    qtbot.addWidget(w2)
    from annotator.gui.geometry import GeometryGuard

    # what is restored, before the guard grows it to the main window's minimum (test_geometry)
    w2.removeEventFilter(GeometryGuard._shared)
    w2.show()
    assert w2.font_size() == 17 and w2.width() == 720
    assert w2.splitter.sizes() == sizes


def test_find_shortcut_sheet_and_done_next(qtbot, window, gui_project) -> None:
    qtbot.keyClick(window.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_edit, "tessit")
    qtbot.keyClick(window.find_edit, Qt.Key.Key_Return)
    start = EMOJI_TEXT.index("Tessit")
    assert window.text.selection() == (start, start + 6)
    key(qtbot, window, Qt.Key.Key_F1)
    from PySide6.QtWidgets import QTableWidget

    table = window.shortcut_dialog.findChild(QTableWidget, "shortcuts")
    assert table is not None and table.rowCount() > 15
    keys = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert "1, Alt+1" in keys and "Ctrl+Return" in ", ".join(keys)
    window.shortcut_dialog.close()
    first = window.report_id
    qtbot.keyClick(window.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.status(first, window.coder_id) == "done"
    assert window.report_id != first
    assert window.queue.model().index(0, 0).data() == "●"


def test_queue_filters_by_status_and_search(qtbot, window, gui_project) -> None:
    qtbot.keyClick(window.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.status_filter.setCurrentIndex(3)  # done
    assert window.queue_panel.row_count() == 1
    window.status_filter.setCurrentIndex(0)
    window.search.setText("Kidal")
    window.reload_queue()
    assert window.queue_panel.row_count() == 1
    assert window.queue.model().index(0, 1).data() == "Second"


def test_coders_see_only_their_own_spans(qtbot, gui_project) -> None:
    from annotator.core.commands import AddSpan
    from annotator.gui.main_window import MainWindow

    other = gui_project.coder_id("someone_else", create=True)
    rid = gui_project.reports()[0].id
    gui_project.run(AddSpan(rid, other, "actor", 0, 5))
    w = MainWindow(gui_project, gui_project.coder_id("tester", create=True))
    qtbot.addWidget(w)
    assert w.report_id == rid and w._spans == [] and w.span_model.rowCount() == 0


TAGGING = """
words = ["Alert", "Gao", "gunmen", "attacked", "Tessit", "killing", "soldiers"]
for n, word in enumerate(words, start=1):
    start = text.index(word)
    w.text.select_range(start, start + len(word))
    w.tag_actions["actor"].trigger()
    app.processEvents()
    print("shown", n, flush=True)   # the coder has seen it highlighted
"""


def test_sigkill_loses_nothing_shown(gui_project, tmp_path: Path) -> None:
    line = run_window_then_kill(tmp_path, gui_project.location, "killed", TAGGING,
                                until=lambda line: line.startswith("shown 7"), seconds=60)
    assert line.split() == ["shown", "7"]
    reopened = Project.open(gui_project.location)
    rid = reopened.reports()[0].id
    spans = reopened.spans(rid, reopened.coder_id("killed"))
    assert [s.text for s in spans] == ["Alert", "Gao", "gunmen", "attacked", "Tessit", "killing", "soldiers"]
    reopened.close()


def test_long_report_with_many_spans_opens(qtbot, tmp_path: Path, new_db) -> None:
    """A 1 MB report with 10,000 spans opens, paints and tags (the timing is in benchmarks/)."""
    from annotator.core.commands import AddSpan
    from annotator.core.models import span_t, utcnow
    from annotator.gui.main_window import MainWindow
    from tests.core.helpers import record, write_jsonl

    text = ("Fighters 🔥 attacked the post near Gao on Sunday. " * 20_000)[:1_000_000]
    project = Project.open(new_db("big.db"))
    project.import_paths([write_jsonl(tmp_path / "big.jsonl", [record("big", text)])])
    rid = project.reports()[0].id
    cid = project.coder_id("bulk", create=True)
    now = utcnow()
    rows = [{"report_id": rid, "coder_id": cid, "key": f"s{k}", "type": "location", "start": k * 100 + 35,
             "end": k * 100 + 38, "text": text[k * 100 + 35 : k * 100 + 38], "attributes": {},
             "codebook_id": project.codebook_id, "created_at": now, "updated_at": now} for k in range(10_000)]
    with project._engine.begin() as conn:
        conn.execute(span_t.insert(), rows)
    w = MainWindow(project, cid)
    qtbot.addWidget(w)
    assert len(w._spans) == 10_000
    s = w._spans[5000]
    assert w.text.spans_at(s.start)[0].id == s.id
    project.run(AddSpan(rid, cid, "actor", 0, 8))
    assert len(w._spans) == 10_001 and w.text.spans_at(3)[0].type == "actor"
    project.close()


def test_escape_closes_find_and_returns_to_the_text(qtbot, window) -> None:
    window.open_find()
    qtbot.keyClicks(window.find_edit, "Gao")
    qtbot.keyClick(window.find_edit, Qt.Key.Key_Return)
    qtbot.keyClick(window.find_edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    start = EMOJI_TEXT.index("Gao")
    assert window.text.selection() == (start, start + 3)


def test_tagging_prefills_suggested_values_enter_accepts(qtbot, window, gui_project) -> None:
    select(window, "12 soldiers")
    key(qtbot, window, Qt.Key.Key_4)
    span_id = window.current_span_id
    # the suggestions fill the form on the event loop's next turn, after the span is painted
    qtbot.waitUntil(window.span_form.has_suggestions, timeout=3000)
    assert span_id in window._prefill
    assert gui_project.spans(window.report_id, window.coder_id)[0].attributes == {}  # not yet
    key(qtbot, window, Qt.Key.Key_Return)
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.attributes["count"]["best"] == 12 and span.attributes["status"] == "killed"
    assert window.undo_action.text() == "&Undo Accept suggested values"
    qtbot.keyClick(window.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.spans(window.report_id, window.coder_id)[0].attributes == {}


def test_alternatives_are_one_key_away(qtbot, window, gui_project) -> None:
    from annotator.core.assist import AddActor
    from annotator.core.normalize import ActorEntry

    gui_project.run(AddActor(ActorEntry("Gao Youth Militia", "militia", aliases=("Gao",))))
    gui_project.run(AddActor(ActorEntry("Gao Defence Group", "militia", aliases=("Gao",))))
    select(window, "Gao")
    key(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.current_span_id in window._prefill, timeout=3000)
    alternatives, shown = window._prefill[window.current_span_id]
    assert len(alternatives) >= 2 and shown == 0
    key(qtbot, window, Qt.Key.Key_BracketRight)
    assert window._prefill[window.current_span_id][1] == 1
    key(qtbot, window, Qt.Key.Key_Return)
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.attributes == {k: v for k, v in alternatives[1].items()}


def test_scan_suggestions_accept_and_reject(qtbot, window, gui_project) -> None:
    qtbot.keyClick(window.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    found = {(s.type, s.text): s for s in window._suggestions}
    assert ("casualty_count", "12 soldiers") in found or any(t == "casualty_count" for t, _ in found)
    assert window.suggestions_view.topLevelItemCount() == len(found)
    count = next(s for (t, _), s in found.items() if t == "casualty_count")
    # Enter with the caret in a suggestion accepts it as an ordinary span with its values
    window.text.select_range(count.start, count.start)
    window.text.setFocus()
    window.current_span_id = None
    key(qtbot, window, Qt.Key.Key_Return)
    spans = gui_project.spans(window.report_id, window.coder_id)
    assert [(s.type, s.start, s.end) for s in spans] == [("casualty_count", count.start, count.end)]
    assert spans[0].attributes == count.attributes
    assert not any(s.type == "casualty_count" for s in window._suggestions)  # no duplicate
    # Delete rejects; a rejected suggestion does not come back on a new scan
    rest = [s for s in window._suggestions]
    if rest:
        s = rest[0]
        window.text.select_range(s.start, s.start)
        window.current_span_id = None
        key(qtbot, window, Qt.Key.Key_Delete)
        assert (s.type, s.start, s.end) not in {(x.type, x.start, x.end) for x in window._suggestions}
        window.toggle_scan()
        window.toggle_scan()
        assert (s.type, s.start, s.end) not in {(x.type, x.start, x.end) for x in window._suggestions}


def test_import_from_the_window_with_progress(qtbot, window, gui_project, tmp_path) -> None:
    from annotator.gui.transfer import import_with_progress

    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a.txt").write_text("Shelling near Gao\n\nTwo posts were hit.\n", "utf-8")
    (tmp_path / "new" / "b.txt").write_bytes(b"\x00\x01binary")
    line = import_with_progress(window, gui_project, [tmp_path / "new" / "a.txt"])
    assert "1 report(s) added" in line
    assert window.queue_panel.row_count() == 3  # the queue follows the import


def test_export_dialog_formats_and_cancel(qtbot, window, gui_project, tmp_path, monkeypatch) -> None:
    from annotator.core.commands import AddSpan
    from annotator.gui import export_dialog

    gui_project.run(AddSpan(window.report_id, window.coder_id, "actor", 0, 5))
    gui_project.coder_id("someone_else", create=True)
    dlg = export_dialog.ExportDialog(gui_project, "tester", window)
    qtbot.addWidget(dlg)
    # a coder cannot tick other coders
    names = [dlg.coders.item(i).text() for i in range(dlg.coders.count())]
    assert dlg.chosen_coders() == ["tester"] and names == ["tester"]
    dlg.format.setCurrentIndex(2)  # xlsx
    dlg.target.setText(str(tmp_path / "out.xlsx"))
    dlg.run()
    assert (tmp_path / "out.xlsx").exists() and "claims row(s)" in dlg.result_line
    # cancel: nothing under the target name
    monkeypatch.setattr(export_dialog.QProgressDialog, "wasCanceled", lambda self: True)
    line = ""
    try:
        export_dialog.export(gui_project, "brat", tmp_path / "brat", ["tester"], "native", False, window)
    except export_dialog.ExportCancelled:
        line = "cancelled"
    assert line == "cancelled" and not (tmp_path / "brat").exists()
    assert not list(tmp_path.glob(".brat*"))


def test_import_filter_lists_every_importable_suffix() -> None:
    from annotator.gui.transfer import import_filter

    first = import_filter().split(";;")[0]
    for suffix in ("*.txt", "*.md", "*.jsonl", "*.html", "*.pdf", "*.docx", "*.csv", "*.xlsx"):
        assert suffix in first
    assert import_filter().endswith("All files (*)")
