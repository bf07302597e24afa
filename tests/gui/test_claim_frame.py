"""The claim keys paint the claim form first and the claims list a frame later (issue 19): the
new claim, a slot fill and undo show in the form (and its title's band) in the key's own frame;
the claims list's rows and its selection follow on the next turn of the event loop and end up
showing what is stored; the key reads back only the claim it changed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from sqlalchemy import event

from annotator.gui.form_panel import CLAIM, CLAIM_COLOR, SPAN

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _tag(qtbot, window, word: str, type_key) -> int:
    start = window.report_text.index(word)
    window.text.select_range(start, start + len(word))
    window.text.setFocus()
    qtbot.keyClick(window.text, type_key)
    qtbot.wait(10)  # its frame and the lists after it
    return int(window.current_span_id)


def _first_frame(window) -> None:
    """Paint what the key changed, and nothing queued for after the frame."""
    QCoreApplication.sendPostedEvents(window, QEvent.Type.UpdateRequest)


def _band_pixels(window, color: str) -> int:
    """Pixels of ``color`` in the form title's coloured band (its left edge), as on screen."""
    title = window.form.title
    at = title.mapTo(window, title.rect().topLeft())
    image = window.screen().grabWindow(window.winId(), at.x(), at.y(), 6, title.height()).toImage()
    want = QColor(color).rgb()
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixel(x, y) == want)


def test_a_new_claim_is_in_the_form_at_once_and_in_the_list_a_frame_later(qtbot, window, gui_project) -> None:
    rid, me = window.report_id, window.coder_id
    _tag(qtbot, window, "gunmen", K.Key_1)
    assert window.form.page == SPAN and _band_pixels(window, CLAIM_COLOR) == 0
    listed = window._claims_view  # the list itself: reading window.claims_view catches it up
    qtbot.keyClick(window.text, K.Key_A)  # an attack claim; no event processed yet
    claim = window.current_claim
    assert claim is not None and window.form.page == CLAIM
    assert window.form.title.text().startswith(f"{claim.key} Attack")
    assert listed.topLevelItemCount() == 0  # the list waits for the frame
    _first_frame(window)
    assert _band_pixels(window, CLAIM_COLOR) > 6 * 10  # the claim's band is on screen
    assert listed.topLevelItemCount() == 0
    qtbot.waitUntil(lambda: listed.topLevelItemCount() == 1, timeout=2000)
    row = listed.topLevelItem(0)
    assert row is listed.currentItem() and row.text(0) == f"{claim.key} Attack"
    assert window.text.hasFocus()  # the coder goes on with a slot key
    assert window._claims == gui_project.claims(rid, me)


def test_slot_fill_and_undo_show_in_the_form_first_and_the_list_follows(qtbot, window, gui_project) -> None:
    rid, me = window.report_id, window.coder_id
    span = _tag(qtbot, window, "Tessit", K.Key_2)  # a place
    qtbot.keyClick(window.text, K.Key_A)
    qtbot.wait(10)
    listed = window._claims_view
    assert "Tessit" not in listed.topLevelItem(0).text(1)
    qtbot.keyClick(window.text, K.Key_L)  # the place into the location slot
    assert window.current_claim is not None and window.current_claim.slots["location"] == [span]
    assert "Tessit" in window.form.title.text()
    assert "Tessit" not in listed.topLevelItem(0).text(1)  # the list's row follows the frame
    qtbot.waitUntil(lambda: "Tessit" in listed.topLevelItem(0).text(1), timeout=2000)
    assert window._claims == gui_project.claims(rid, me)

    qtbot.keyClick(window.text, K.Key_Z, CTRL)  # undo the fill
    assert window.current_claim is not None and "location" not in window.current_claim.slots
    assert "Tessit" not in window.form.title.text()
    qtbot.waitUntil(lambda: "Tessit" not in listed.topLevelItem(0).text(1), timeout=2000)
    assert listed.currentItem() is listed.topLevelItem(0)
    qtbot.keyClick(window.text, K.Key_Z, CTRL)  # undo the claim
    qtbot.waitUntil(lambda: listed.topLevelItemCount() == 0, timeout=2000)
    assert window.current_claim is None and gui_project.claims(rid, me) == []
    qtbot.keyClick(window.text, K.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    qtbot.waitUntil(lambda: listed.topLevelItemCount() == 1, timeout=2000)
    assert window._claims == gui_project.claims(rid, me)


def test_a_claim_key_reads_back_only_the_claim_it_made(qtbot, window, gui_project) -> None:
    _tag(qtbot, window, "gunmen", K.Key_1)
    for _ in range(3):  # claims the key must not read again
        qtbot.keyClick(window.text, K.Key_A)
        qtbot.wait(10)
    sql: list[str] = []

    def on_cursor(_conn, _cur, statement, *_a) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            sql.append(" ".join(statement.split()))

    engine = gui_project._engine
    event.listen(engine, "before_cursor_execute", on_cursor)
    try:
        qtbot.keyClick(window.text, K.Key_A)
        qtbot.wait(10)
    finally:
        event.remove(engine, "before_cursor_execute", on_cursor)
    reads = [s for s in sql if s.startswith("SELECT") and "FROM claim" in s]
    # the command (7, tests/core/test_claim_statements.py) and the new claim with its fills
    assert len(sql) <= 8, "\n".join(sql)
    assert len(reads) == 1 and "IN (" in reads[0], reads
    assert len(window._claims) == 4 and window._claims == gui_project.claims(window.report_id, window.coder_id)


def test_updates_queued_before_anything_changed_still_wait_for_the_frame(qtbot) -> None:
    """A new claim queues the claims list before the form changes: the frame's paint request
    is posted after the after-frame event, and must still be painted first."""
    from PySide6.QtWidgets import QWidget

    from annotator.gui.after_frame import AfterFrame

    top = QWidget()
    qtbot.addWidget(top)
    top.resize(200, 100)
    label = QLabel(top)
    label.setGeometry(0, 0, 200, 100)
    label.setAutoFillBackground(True)
    label.setStyleSheet("background: #ff0000")
    top.show()
    qtbot.waitExposed(top)
    qtbot.wait(20)
    after = AfterFrame(top)
    seen: list[int] = []

    def secondary() -> None:  # what is on screen when the secondary updates run
        seen.append(top.screen().grabWindow(top.winId(), 10, 10, 1, 1).toImage().pixel(0, 0))

    after.later(secondary)  # queued first ...
    label.setStyleSheet("background: #0000ff")  # ... then the primary change
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == [QColor("#0000ff").rgb()]


def test_the_slot_rows_keep_their_colours(qtbot) -> None:
    """Needed slots in red, "not reported" in grey (set as colours: a QBrush made in Python
    built PySide's gradient enums on the first claim shown)."""
    from annotator.core.codebook import NOT_REPORTED, load_default_codebook
    from annotator.gui.form_panel import FormPanel

    cb = load_default_codebook()
    form = FormPanel(cb)
    qtbot.addWidget(form)
    attack = cb.claim_type("attack")
    form.show_claim(attack, "c1 Attack", {"date": NOT_REPORTED}, {}, {"perpetrator"}, {})
    rows = {form.slot_tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): form.slot_tree.topLevelItem(i)
            for i in range(form.slot_tree.topLevelItemCount())}
    assert rows["perpetrator"].text(1) == "needed" and rows["date"].text(1) == "not reported"
    assert rows["perpetrator"].foreground(1).color() == QColor("#b00020")
    assert rows["date"].foreground(1).color() == QColor("#666666")
    assert rows["location"].foreground(1).style() == Qt.BrushStyle.NoBrush  # the palette's
