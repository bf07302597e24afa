"""A tag paints its span in the text at once and the lists follow a frame later (issue 19): the
highlight is on screen after the key, gone after undo, back after redo, and the span list, the
claims list and the queue row end up showing what is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor

from tests.gui.pixels import blended, span_box

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _coloured(window, start: int, end: int, color: QColor) -> int:
    """Pixels of ``color`` inside the characters start..end of the text (one line)."""
    view = window.text
    viewport = view.viewport()
    # what is on screen (the window's backing store), not a fresh rendering of the widget:
    # a change painted into too small a rectangle shows here
    at = viewport.mapTo(window, viewport.rect().topLeft())
    image = window.screen().grabWindow(window.winId(), at.x(), at.y(),
                                       viewport.width(), viewport.height()).toImage()
    xs, ys = span_box(view, start, end, image.devicePixelRatio())
    want = color.rgb()
    return sum(1 for x in xs for y in ys if image.pixel(x, y) == want)


def _select_word(qtbot, window, word: str) -> tuple[int, int]:
    """Put the caret before ``word`` and select it with the keyboard, as a coder does."""
    start = window.report_text.index(word)
    window.text.select_range(start, start)
    window.text.setFocus()
    qtbot.keyClick(window.text, K.Key_Right, CTRL | SHIFT)
    return start, start + len(word)


def test_a_new_span_is_painted_at_once_and_undo_takes_it_away(qtbot, window) -> None:
    start, end = _select_word(qtbot, window, "gunmen")
    other = window.report_text.index("killing")
    actor = blended(window.codebook.span_type("actor").color)
    qtbot.wait(30)
    assert _coloured(window, start, end, actor) == 0  # nothing there before the key
    qtbot.keyClick(window.text, K.Key_1)  # actor
    span = window.current_span
    assert span is not None and window.report_text[span.start:span.end] == span.text == "gunmen"
    qtbot.wait(30)
    painted = _coloured(window, start, end, actor)
    assert painted > (end - start) * 20  # mostly background: the rest is glyphs
    assert _coloured(window, other, other + len("killing"), actor) == 0  # only under the span
    assert window.text.hasFocus()  # the coder types on (F2 for the value, the next tag)

    qtbot.keyClick(window.text, K.Key_Z, CTRL)  # undo: the highlight goes with the span
    qtbot.wait(30)
    assert window._spans == [] and _coloured(window, start, end, actor) == 0
    qtbot.keyClick(window.text, K.Key_Z, CTRL | SHIFT)  # redo: back where it was
    qtbot.wait(30)
    assert [s.text for s in window._spans] == ["gunmen"]
    assert _coloured(window, start, end, actor) > painted * 0.8


def test_a_retag_repaints_in_the_new_colour_and_undo_in_the_old(qtbot, window) -> None:
    start, end = _select_word(qtbot, window, "Tessit")
    place = blended(window.codebook.span_type("location").color)
    actor = blended(window.codebook.span_type("actor").color)
    qtbot.keyClick(window.text, K.Key_2)  # a place
    qtbot.keyClick(window.text, K.Key_1)  # the caret is on it: retag as actor
    qtbot.wait(30)
    assert window.current_span is not None and window.current_span.type == "actor"
    assert _coloured(window, start, end, actor) > 0 and _coloured(window, start, end, place) == 0
    qtbot.keyClick(window.text, K.Key_Z, CTRL)
    qtbot.wait(30)
    assert _coloured(window, start, end, place) > 0 and _coloured(window, start, end, actor) == 0


def test_the_lists_follow_the_text(qtbot, window, gui_project) -> None:
    rid, me = window.report_id, window.coder_id
    _select_word(qtbot, window, "gunmen")
    qtbot.keyClick(window.text, K.Key_1)
    sid = window.current_span_id
    # read through the window, the span list is up to date at once (it catches up)
    row = window.span_model.row_of[sid]
    assert window.span_model.rows[row].text == "gunmen"
    qtbot.keyClick(window.text, K.Key_A)  # an attack claim
    model = window.queue_panel.model

    def queue_row() -> tuple:
        return model.figures(model.rows[model.row_of[rid]])

    # the queue row and the span list's selection come with the event loop's next turn
    qtbot.waitUntil(lambda: queue_row() == (gui_project.status(rid, me), 1, 1), timeout=2000)
    assert window.spans_view.currentIndex().row() == row
    assert window.claims_view.topLevelItemCount() == 1
    qtbot.keyClick(window.text, K.Key_Z, CTRL)  # the claim goes
    qtbot.keyClick(window.text, K.Key_Z, CTRL)  # the span goes
    qtbot.waitUntil(lambda: queue_row()[1:] == (0, 0), timeout=2000)
    assert window.span_model.rowCount() == 0 and window.claims_view.topLevelItemCount() == 0


def test_keys_pressed_right_after_a_tag_find_its_suggested_values(qtbot, window, gui_project) -> None:
    """The suggested values come a turn after the span; Enter (or F2, ], [) pressed before
    that turn (no events processed in between) still acts on them."""
    start = window.report_text.index("12 soldiers")
    window.text.select_range(start, start + len("12 soldiers"))
    window.text.setFocus()
    qtbot.keyClick(window.text, K.Key_4)  # casualty count
    qtbot.keyClick(window.text, K.Key_Return)  # at once: accept what is suggested
    (span,) = gui_project.spans(window.report_id, window.coder_id)
    assert span.attributes["count"]["best"] == 12
    # F2 at once: tests/gui/test_coding_loop.py types into the place field right after the tag


def test_a_span_in_a_long_paragraph_repaints_its_lines_only(qtbot) -> None:
    """A paragraph of a 1 MB report fills the screen: a span added in it repaints the lines it
    covers (on screen at once, gone when removed), not the whole paragraph."""
    from PySide6.QtCore import QEvent, QObject

    from annotator.gui.text_view import PaintedSpan, ReportTextView

    view = ReportTextView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.set_colors({"actor": "#ff0000"})
    text = " ".join(f"word{i}" for i in range(400)) + "\n"  # one block, many lines
    view.set_report_text(text, [])
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(30)
    start = text.index("word40 ")  # some lines down the paragraph, on screen
    end = start + len("word40")
    line_height = view.fontMetrics().lineSpacing()
    areas: list[int] = []

    class Paints(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                areas.append(event.region().boundingRect().height())
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)

    def on_screen() -> int:
        vp = view.viewport()
        at = vp.mapTo(view, vp.rect().topLeft())
        image = view.screen().grabWindow(view.winId(), at.x(), at.y(), vp.width(), vp.height()).toImage()
        cur = QTextCursor(view.document())
        cur.setPosition(start)
        left = view.cursorRect(cur)
        cur.setPosition(end)
        right = view.cursorRect(cur)
        assert left.top() > 3 * line_height and right.bottom() < vp.height()
        want = blended("#ff0000").rgb()
        return sum(1 for x in range(left.right() + 2, right.left() - 1)
                   for y in range(left.top(), left.bottom()) if image.pixel(x, y) == want)

    span = PaintedSpan(1, "actor", start, end)
    view.patch_spans([], [span])
    qtbot.waitUntil(lambda: on_screen() > 0, timeout=2000)
    assert areas and max(areas) < 4 * line_height  # its line, not the paragraph
    areas.clear()
    view.patch_spans([span], [])
    qtbot.waitUntil(lambda: on_screen() == 0, timeout=2000)
    assert areas and max(areas) < 4 * line_height


def test_the_span_list_repaints_the_rows_whose_selection_changed(qtbot) -> None:
    """select_span repaints the row that lost the selection (also one a click selected) and
    the one that gained it, on screen, without repainting every row."""
    from PySide6.QtGui import QPalette

    from annotator.core.queries import SpanRow
    from annotator.gui.span_list import SpanList, SpanModel

    model = SpanModel({"actor": "Actor"}, {"actor": "#ff0000"})
    rows = [SpanRow(i + 1, f"s{i + 1}", "actor", 10 * i, 10 * i + 5, f"word{i}", {}) for i in range(8)]
    model.set_rows(rows)
    view = SpanList(model)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight).rgb()

    def selected_on_screen() -> list[int]:
        vp = view.viewport()
        at = vp.mapTo(view, vp.rect().topLeft())
        image = view.screen().grabWindow(view.winId(), at.x(), at.y(), vp.width(), vp.height()).toImage()
        out = []
        for r in range(len(rows)):
            rect = view.visualRect(model.index(r, 1))
            if image.pixel(rect.right() - 3, rect.center().y()) == highlight:
                out.append(r)
        return out

    view.activateWindow()
    view.setFocus()
    view.select_span(3)
    qtbot.waitUntil(lambda: selected_on_screen() == [2], timeout=2000)
    view.select_span(6)
    qtbot.waitUntil(lambda: selected_on_screen() == [5], timeout=2000)
    view.selectRow(1)  # a click's selection, made by the view itself
    qtbot.waitUntil(lambda: selected_on_screen() == [1], timeout=2000)
    view.select_span(8)
    qtbot.waitUntil(lambda: selected_on_screen() == [7], timeout=2000)
    view.select_span(None)
    qtbot.waitUntil(lambda: selected_on_screen() == [], timeout=2000)
