"""The window drives the core: keyboard selection + hotkey stores a span with code-point offsets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.gui.conftest import EMOJI_TEXT


def put_caret(window, codepoint: int) -> None:
    window.text.select_range(codepoint, codepoint)
    window.text.setFocus()


def test_keyboard_selection_and_hotkey_tag_a_word_after_an_emoji(qtbot, window, gui_project) -> None:
    assert window.queue_panel.row_count() == 2
    start = EMOJI_TEXT.index("Tessit")
    put_caret(window, start)
    # Shift+Ctrl+Right selects by word, as a coder would
    qtbot.keyClick(window.text, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert window.text.selection() is not None
    qtbot.keyClick(window.text, Qt.Key.Key_2)  # the codebook's hotkey for location
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    text = gui_project.report(window.report_id).text
    assert span.type == "location"
    assert (span.start, span.end) == (start, start + len("Tessit"))
    assert text[span.start : span.end] == "Tessit"
    # undo from the keyboard removes it, redo brings it back
    qtbot.keyClick(window.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.spans(window.report_id, window.coder_id) == []
    qtbot.keyClick(window.text, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(gui_project.spans(window.report_id, window.coder_id)) == 1


def test_shift_arrows_select_characters_in_arabic(qtbot, window, gui_project) -> None:
    start = EMOJI_TEXT.index("الجيش")
    put_caret(window, start)
    cursor = window.text.textCursor()
    for _ in range(5):
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
    window.text.setTextCursor(cursor)
    qtbot.keyClick(window.text, Qt.Key.Key_1)
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.text == "الجيش" and (span.start, span.end) == (start, start + 5)


def test_done_moves_to_next_report(qtbot, window, gui_project) -> None:
    first = window.report_id
    qtbot.keyClick(window.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.status(first, window.coder_id) == "done"
    assert window.report_id != first


def test_a_long_status_message_leaves_a_gap_before_the_coder_label(qtbot, window) -> None:
    """At 1024 pixels a long message ran into the label ("... r ReporICoder: amina"): the
    message is cut at the label's edge, and the label's text keeps its distance from there."""
    window.resize(1024, 700)
    window.statusBar().showMessage("Put the caret in a span and press a slot key " * 8)
    qtbot.wait(50)
    bar = window.statusBar()
    image = bar.grab().toImage()
    label = window.coder_label
    left = label.geometry().left()
    assert label.isVisible() and left > 0
    background = image.pixelColor(left + 2, 1).rgb()  # above the text: the bar's own colour
    band = {image.pixelColor(x, y).rgb() for x in range(left, left + 12) for y in range(image.height())}
    assert band == {background}, "the message or the label's text fills the gap"
    assert any(image.pixelColor(x, y).rgb() != background  # the message is drawn up to the label
               for x in range(left - 40, left) for y in range(image.height()))
