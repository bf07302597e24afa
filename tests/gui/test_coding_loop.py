"""The coding loop from the keyboard (issue 13): every value typed is stored, the form stays on
what the coder works on, Esc goes home, and keys act on the span find landed on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.form_panel import CLAIM, SPAN
from tests.gui.conftest import EMOJI_TEXT
from tests.gui.killed_window import run_window_then_kill

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def select(window, needle: str) -> tuple[int, int]:
    pos = window.report_text.index(needle)
    window.text.select_range(pos, pos + len(needle))
    window.text.setFocus()
    return pos, pos + len(needle)


def tag(qtbot, window, needle: str, key) -> int:
    select(window, needle)
    qtbot.keyClick(window.text, key)
    assert window.current_span is not None and window.current_span.text == needle
    return window.current_span.id


def stored(project, window, span_id: int) -> dict:
    return next(s for s in project.spans(window.report_id, window.coder_id) if s.id == span_id).attributes


def wait_stored(qtbot, project, window, span_id: int, attribute: str, value) -> None:
    qtbot.waitUntil(lambda: stored(project, window, span_id).get(attribute) == value, timeout=3000)


def test_typing_is_stored_after_a_pause_without_enter(qtbot, window, gui_project) -> None:
    sid = tag(qtbot, window, "Tessit", K.Key_2)
    qtbot.keyClick(window.text, K.Key_F2)
    name = window.span_form.editor_fields("place")[0]
    assert QApplication.focusWidget() is name
    qtbot.keyClicks(name, "Tessit village")
    # no Enter, no Tab: stored once the coder pauses
    # the rest of the suggested value on screen is stored with it: Tessit is no gazetteer
    # place, so the prefill took Mali and Gao from "Gao" in the text
    wait_stored(qtbot, gui_project, window, sid, "place",
                {"name": "Tessit village", "country": "ML", "admin1": "Gao"})


def test_tab_past_untouched_fields_keeps_the_value_on_screen_and_stored(qtbot, window, gui_project) -> None:
    sid = tag(qtbot, window, "Tessit", K.Key_2)
    qtbot.keyClick(window.text, K.Key_F2)
    fields = window.span_form.editor_fields("place")
    qtbot.keyClicks(fields[0], "Tessit")
    qtbot.keyClick(fields[0], K.Key_Tab)
    qtbot.keyClicks(fields[1], "ml")
    for _field in fields[1:]:  # Tab through country, admin1, admin2, lat, lon untouched
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Tab)
    assert stored(gui_project, window, sid)["place"] == {"name": "Tessit", "country": "ML",
                                                         "admin1": "Gao"}  # as on screen
    # not redrawn empty (the country typed over the suggested "ML" stays as typed on screen)
    assert fields[0].text() == "Tessit" and fields[1].text().upper() == "ML"


def test_keystrokes_in_one_field_are_one_undo_step(qtbot, window, gui_project) -> None:
    sid = tag(qtbot, window, "gunmen", K.Key_1)
    qtbot.keyClick(window.text, K.Key_F2)
    name = window.span_form.editor_fields("canonical_name")[0]
    qtbot.keyClicks(name, "arm")
    wait_stored(qtbot, gui_project, window, sid, "canonical_name", "arm")
    qtbot.keyClicks(name, "ed men")  # a second pause: stored again
    wait_stored(qtbot, gui_project, window, sid, "canonical_name", "armed men")
    qtbot.keyClick(name, K.Key_Escape)
    assert window.text.hasFocus()
    qtbot.keyClick(window.text, K.Key_Z, CTRL)
    assert "canonical_name" not in stored(gui_project, window, sid)  # both pauses in one step
    assert gui_project.spans(window.report_id, window.coder_id)  # the span itself is still there


def test_value_typed_for_a_span_stays_with_it_when_the_caret_moves(qtbot, window, gui_project) -> None:
    first = tag(qtbot, window, "gunmen", K.Key_1)
    second = tag(qtbot, window, "soldiers", K.Key_1)
    window.select_span(first)
    qtbot.keyClick(window.text, K.Key_F2)
    name = window.span_form.editor_fields("canonical_name")[0]
    qtbot.keyClicks(name, "Unknown gunmen")
    window.select_span(second)  # before the pause: flushed for the first span, not the second
    assert stored(gui_project, window, first).get("canonical_name") == "Unknown gunmen"
    assert "canonical_name" not in stored(gui_project, window, second)


def test_spans_list_shows_stored_values_only(qtbot, window, gui_project) -> None:
    sid = tag(qtbot, window, "Gao", K.Key_2)
    row = window.span_model.row_of[sid]
    assert window.span_model.index(row, 2).data() == ""  # no value stored: not the span text
    qtbot.keyClick(window.text, K.Key_F2)
    qtbot.keyClicks(window.span_form.editor_fields("place")[0], "Gao town")
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Return)
    row = window.span_model.row_of[sid]
    assert window.span_model.index(row, 2).data() == "Gao town"


def test_saving_a_span_value_with_a_claim_open_keeps_the_span_form(qtbot, window, gui_project) -> None:
    sid = tag(qtbot, window, "gunmen", K.Key_1)
    window.splitter.setSizes([0, 700, 100])  # the text column of a wide window
    qtbot.wait(20)
    before = (window.text.geometry().top(), window.text.height())
    qtbot.keyClick(window.text, K.Key_A)  # an attack claim opens
    assert window.current_claim is not None and window.claim_open_shown
    assert "Open claim" in window.claim_strip.text()
    qtbot.wait(20)
    # the text does not move down for the strip
    assert (window.text.geometry().top(), window.text.height()) == before
    window.select_span(sid)
    assert window.form.page == SPAN
    qtbot.keyClick(window.text, K.Key_F2)
    qtbot.keyClicks(window.span_form.editor_fields("canonical_name")[0], "Unknown gunmen")
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Return)
    assert window.form.page == SPAN  # the claim did not take over
    assert not window.claim_form.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Escape)
    assert window.text.hasFocus()
    qtbot.keyClick(window.text, K.Key_P)  # a slot key fills the slot, edits no field
    claim = window.current_claim
    assert claim is not None and claim.slots.get("perpetrator") == [sid]
    assert claim.attributes.get("event_type") is None
    assert window.form.page == CLAIM


def test_escape_from_anywhere_returns_to_the_text(qtbot, window) -> None:
    qtbot.keyClick(window.text, K.Key_A)
    window.slot_tree.setFocus()
    qtbot.keyClick(window.slot_tree, K.Key_Escape)
    assert window.text.hasFocus()
    window.form.span_type_box.setFocus()
    qtbot.keyClick(window.form.span_type_box, K.Key_Escape)
    assert window.text.hasFocus()
    window.queue.setFocus()
    qtbot.keyClick(window.queue, K.Key_Escape)
    assert window.text.hasFocus()
    qtbot.keyClick(window.text, K.Key_Escape)  # in the text: closes the open claim
    assert window.current_claim is None and not window.claim_open_shown
    assert window.claim_strip.isVisible() and "No open claim" in window.claim_strip.text()


def test_keys_act_on_the_span_find_landed_on(qtbot, window, gui_project) -> None:
    sid = tag(qtbot, window, "Tessit", K.Key_2)
    qtbot.keyClick(window.text, K.Key_Return)  # accept the suggested place (name, Mali, Gao)
    window.text.select_range(0, 0)
    qtbot.keyClick(window.text, K.Key_F, CTRL)
    qtbot.keyClicks(window.find_edit, "tessit")
    qtbot.keyClick(window.find_edit, K.Key_Return)
    qtbot.keyClick(window.find_edit, K.Key_Escape)
    start = EMOJI_TEXT.index("Tessit")
    assert window.text.hasFocus() and window.text.selection() == (start, start + 6)
    assert window.current_span_id == sid
    qtbot.keyClick(window.text, K.Key_1)  # retags the found span, adds none
    spans = gui_project.spans(window.report_id, window.coder_id)
    assert [(s.id, s.type) for s in spans] == [(sid, "actor")]
    qtbot.keyClick(window.text, K.Key_Return)  # Enter edits that span's values
    assert window.span_form.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Escape)
    window.text.select_range(start, start + 6)
    qtbot.keyClick(window.text, K.Key_Delete)
    assert gui_project.spans(window.report_id, window.coder_id) == []


def test_unbound_letters_create_nothing(qtbot, window, gui_project) -> None:
    for k in (K.Key_X, K.Key_Q, K.Key_Z, K.Key_U):
        qtbot.keyClick(window.text, k)
    assert gui_project.claims(window.report_id, window.coder_id) == []
    assert gui_project.spans(window.report_id, window.coder_id) == []


TYPING = """
def tag(word, type_id):
    start = text.index(word)
    w.text.select_range(start, start + len(word))
    w.text.setFocus()
    w.tag_actions[type_id].trigger()
    app.processEvents()

def type_in(attribute, index, keys):
    field = w.span_form.editor_fields(attribute)[index]
    field.setFocus()
    app.processEvents()
    QTest.keyClicks(field, keys)

tag("gunmen", "actor")
type_in("canonical_name", 0, "Unknown gunmen")      # actor
type_in("country", 0, "ML")                         # text
type_in("actor_type", 0, "mil")                     # enum, by type-ahead
tag("Tessit", "location")
type_in("place", 0, "Tessit")                       # place: name and country, no Enter
type_in("place", 1, "ml")
tag("12", "casualty_count")
type_in("count", 1, "12")                           # count: best only
type_in("aggregate", 0, "n")                        # boolean
deadline = time.time() + 0.6                        # longer than the pause that stores
while time.time() < deadline:
    app.processEvents()
    time.sleep(0.01)
print("typed", flush=True)
"""


def test_sigkill_after_typing_loses_no_value(gui_project, tmp_path: Path) -> None:
    line = run_window_then_kill(tmp_path, gui_project.location, "typist", TYPING,
                                until=lambda line: "typed" in line, seconds=120)
    assert "typed" in line
    coder = gui_project.coder_id("typist")
    report = gui_project.reports()[0].id
    by_text = {s.text: s.attributes for s in gui_project.spans(report, coder)}
    assert by_text["gunmen"]["canonical_name"] == "Unknown gunmen"
    assert by_text["gunmen"]["country"] == "ML"
    assert by_text["gunmen"]["actor_type"] == "militia"
    assert by_text["Tessit"]["place"] == {"name": "Tessit", "country": "ML", "admin1": "Gao"}
    assert by_text["12"]["count"]["best"] == 12
    assert by_text["12"]["aggregate"] is False


def _label_of(window, word: str) -> str:
    """The jump label shown on ``word`` (positions in the overlay are UTF-16, as Qt counts)."""
    doc_text = window.text.toPlainText()
    for t in window.jumper.overlay.targets:
        cur = window.text.textCursor()
        cur.setPosition(t.start)
        cur.setPosition(t.end, cur.MoveMode.KeepAnchor)
        if cur.selectedText() == word:
            return t.label
    raise AssertionError(f"{word!r} has no label in {doc_text[:40]!r}")


def test_jump_selects_a_word_and_extends_to_another(qtbot, window) -> None:
    window.text.select_range(0, 0)
    qtbot.keyClick(window.text, K.Key_J)
    assert window.jumper.active and len(window.jumper.overlay.targets) > 5
    qtbot.keyClicks(window.text, _label_of(window, "Tessit"))  # after an emoji: UTF-16 shifts
    start = EMOJI_TEXT.index("Tessit")
    assert not window.jumper.active
    assert window.text.selection() == (start, start + len("Tessit"))
    qtbot.keyClick(window.text, K.Key_J, SHIFT)
    qtbot.keyClicks(window.text, _label_of(window, "soldiers"))
    end = EMOJI_TEXT.index("soldiers") + len("soldiers")
    assert window.text.selection() == (start, end)
    qtbot.keyClick(window.text, K.Key_J)
    qtbot.keyClick(window.text, K.Key_Escape)  # leaves without moving
    assert not window.jumper.active and window.text.selection() == (start, end)


def test_next_and_previous_span_keys(qtbot, window) -> None:
    a = tag(qtbot, window, "Gao", K.Key_2)
    b = tag(qtbot, window, "Tessit", K.Key_2)
    window.text.select_range(0, 0)
    qtbot.keyClick(window.text, K.Key_N)
    assert window.current_span_id == a
    qtbot.keyClick(window.text, K.Key_N)
    assert window.current_span_id == b
    qtbot.keyClick(window.text, K.Key_N, SHIFT)
    assert window.current_span_id == a


def test_slot_key_on_a_suggested_span_accepts_it_into_the_slot(qtbot, window, gui_project) -> None:
    qtbot.keyClick(window.text, K.Key_A)
    window.text.select_range(0, 0)
    qtbot.keyClick(window.text, K.Key_S)  # scans, selects the first suggested span
    assert window.scan_on and window._suggestions
    count = next(k for k, s in enumerate(window._suggestions) if s.type == "casualty_count")
    while window.suggestion_under_caret() != count:
        qtbot.keyClick(window.text, K.Key_S)
    suggested = window._suggestions[count]
    qtbot.keyClick(window.text, K.Key_K)  # casualties: one key
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert (span.start, span.end) == (suggested.start, suggested.end)
    assert span.attributes == suggested.attributes  # with its suggested values
    (claim,) = gui_project.claims(window.report_id, window.coder_id)
    assert claim.slots["casualties"] == [span.id]
    qtbot.keyClick(window.text, K.Key_Z, CTRL)  # one undo step takes both back
    assert gui_project.spans(window.report_id, window.coder_id) == []
    assert gui_project.claims(window.report_id, window.coder_id)[0].slots.get("casualties") in (None, [])


def test_draft_from_the_sentence_accept_and_change_slots(qtbot, tmp_path) -> None:
    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow
    from tests.core.helpers import record, write_jsonl

    text = ("The Liptako Brigade attacked an army post in Gao on Monday, "
            "killing 12 soldiers, the group said.\n")
    project = Project.open(tmp_path / "draft.db")
    project.import_paths([write_jsonl(tmp_path / "d.jsonl", [record("d1", text, published="2024-03-06")])])
    w = MainWindow(project, project.coder_id("drafter", create=True))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    for needle, key in (("Liptako Brigade", K.Key_1), ("army", K.Key_1)):
        pos = text.index(needle)
        w.text.select_range(pos, pos + len(needle))
        w.text.setFocus()
        qtbot.keyClick(w.text, key)
    assert len(project.spans(w.report_id, w.coder_id)) == 2
    w.text.select_range(text.index("attacked"), text.index("attacked"))
    w.text.setFocus()
    qtbot.keyClick(w.text, K.Key_A, SHIFT)  # draft an attack from this sentence
    assert w._draft is not None and w.claim_open_shown
    assert "Draft" in w.claim_strip.text()
    assert [s.text for s in w._draft.slots["perpetrator"]] == ["Liptako Brigade"]
    qtbot.keyClick(w.text, K.Key_C, SHIFT)  # clear the claimant the draft proposed, if any
    assert "claimant" not in w._draft.slots
    qtbot.keyClick(w.text, K.Key_Return)  # accept: one step
    (claim,) = project.claims(w.report_id, w.coder_id)
    spans = {s.id: s for s in project.spans(w.report_id, w.coder_id)}
    assert [spans[i].text for i in claim.slots["perpetrator"]] == ["Liptako Brigade"]
    assert [spans[i].text for i in claim.slots["target"]] == ["army"]
    assert "claimant" not in claim.slots
    assert w._draft is None and w.current_claim_id == claim.id
    qtbot.keyClick(w.text, K.Key_Z, CTRL)
    assert project.claims(w.report_id, w.coder_id) == []
    project.close()


def test_quit_closes_the_review_window_too(qtbot, gui_project) -> None:
    from annotator.gui.main_window import MainWindow

    w = MainWindow(gui_project, gui_project.coder_id("rita", create=True, role="reviewer"))
    qtbot.addWidget(w)
    w.show()
    w.open_review()
    review = w.review_window
    assert review.isVisible()
    w.close()  # File -> Quit
    assert not review.isVisible()


def test_the_window_shows_what_another_window_stored(qtbot, window, gui_project) -> None:
    from annotator.core.commands import AddSpan
    from annotator.core.project import Project

    other = Project.open(gui_project.location)  # another window or command: its own session
    start = EMOJI_TEXT.index("Tessit")
    other.run(AddSpan(window.report_id, window.coder_id, "location", start, start + 6))
    assert window.span_model.rowCount() == 0  # not yet polled
    window.poll_other_changes()
    assert window.span_model.rowCount() == 1
    assert [s.text for s in window._spans] == ["Tessit"]
    window.poll_other_changes()  # nothing new: nothing reloaded, nothing lost
    assert window.span_model.rowCount() == 1
    other.close()


def test_a_locked_database_keeps_the_typed_value_and_stores_it_later(qtbot, window, gui_project, monkeypatch) -> None:
    from annotator.core.storage import LOCKED, StorageError

    sid = tag(qtbot, window, "gunmen", K.Key_1)
    real_run = gui_project.run
    refusals = [1]

    def busy_once(cmd, **kw):
        if refusals:
            refusals.pop()
            raise StorageError(LOCKED, gui_project.location, "another program is writing")
        return real_run(cmd, **kw)

    monkeypatch.setattr(gui_project, "run", busy_once)
    qtbot.keyClick(window.text, K.Key_F2)
    name = window.span_form.editor_fields("canonical_name")[0]
    qtbot.keyClicks(name, "Unknown gunmen")
    qtbot.waitUntil(lambda: window.storage_banner.isVisible(), timeout=3000)
    assert "Not stored" in window.storage_banner.text()
    assert name.text() == "Unknown gunmen"  # what is on screen stays
    wait_stored(qtbot, gui_project, window, sid, "canonical_name", "Unknown gunmen")  # retried
    assert not window.storage_banner.isVisible()


def test_a_tag_key_on_a_span_of_that_type_is_answered(qtbot, window, gui_project) -> None:
    """The selection is already an Actor span and the Actor key is pressed again: nothing is
    stored, but the key gets an answer (a silent key looks like a lost one)."""
    sid = tag(qtbot, window, "gunmen", K.Key_1)
    count = len(gui_project.spans(window.report_id, window.coder_id))
    select(window, "gunmen")
    qtbot.keyClick(window.text, K.Key_1)
    assert len(gui_project.spans(window.report_id, window.coder_id)) == count
    assert window.current_span_id == sid
    assert "already Actor" in window.statusBar().currentMessage()


def test_a_tag_key_on_a_selection_without_a_word_is_answered(qtbot, window, gui_project) -> None:
    count = len(gui_project.spans(window.report_id, window.coder_id))
    start = window.report_text.index(", ")
    window.text.select_range(start, start + 2)
    qtbot.keyClick(window.text, K.Key_1)
    assert len(gui_project.spans(window.report_id, window.coder_id)) == count
    assert "No word in the selection" in window.statusBar().currentMessage()
