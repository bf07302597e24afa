"""The report view paints spans: the right characters, the right colours, overlaps distinct,
block by block as they come into view, and again after a change."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

from annotator.gui.text_view import PaintedSpan, ReportTextView
from tests.gui.pixels import blended, span_box

COLORS = {"actor": "#ff0000", "place": "#0000ff"}
# an emoji before the tagged word (two UTF-16 units), then an Arabic line (right to left)
TEXT = "🚨 Fighters attacked Ménaka on Sunday.\nقال الجيش إن مسلحين هاجموا نقطة تفتيش\nThe end.\n"


@pytest.fixture
def view(qtbot) -> ReportTextView:
    v = ReportTextView()
    qtbot.addWidget(v)
    v.resize(700, 300)
    v.set_colors(COLORS)
    v.show()
    qtbot.waitExposed(v)
    return v


def formats(view: ReportTextView, block_number: int) -> list[tuple[int, int, QTextCharFormat]]:
    layout = view.document().findBlockByNumber(block_number).layout()
    return [(r.start, r.start + r.length, QTextCharFormat(r.format)) for r in layout.formats()]


def block_text16(view: ReportTextView, block_number: int, start: int, end: int) -> str:
    """The block's text between two UTF-16 positions (Python strings index code points)."""
    raw = view.document().findBlockByNumber(block_number).text().encode("utf-16-le")
    return raw[2 * start : 2 * end].decode("utf-16-le")


def show(view: ReportTextView, qtbot, spans: list[PaintedSpan]) -> None:
    view.set_report_text(TEXT, spans)
    view.viewport().repaint()
    qtbot.wait(10)


def test_span_after_emoji_is_painted_on_its_characters(view, qtbot) -> None:
    a = TEXT.index("Fighters")
    show(view, qtbot, [PaintedSpan(1, "actor", a, a + len("Fighters"))])
    [(start, end, fmt)] = formats(view, 0)
    assert start == 3  # UTF-16 inside the block: the emoji counts two
    assert block_text16(view, 0, start, end) == "Fighters"
    assert fmt.background().color() == blended("#ff0000")
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline


def test_arabic_span_in_a_later_block(view, qtbot) -> None:
    a = TEXT.index("مسلحين")
    show(view, qtbot, [PaintedSpan(1, "actor", a, a + len("مسلحين"))])
    assert formats(view, 0) == []
    [(start, end, _)] = formats(view, 1)
    assert block_text16(view, 1, start, end) == "مسلحين"


def test_overlapping_spans_stack_and_wave(view, qtbot) -> None:
    a = TEXT.index("Fighters")
    b = TEXT.index("Ménaka")
    show(view, qtbot, [
        PaintedSpan(1, "actor", a, b + len("Ménaka")),  # "Fighters attacked Ménaka"
        PaintedSpan(2, "place", b, b + len("Ménaka on")),  # "Ménaka on": overlaps the end
    ])
    got = formats(view, 0)
    pieces = {block_text16(view, 0, s, e): f for s, e, f in got}
    assert set(pieces) == {"Fighters attacked ", "Ménaka", " on"}
    both = pieces["Ménaka"]
    assert both.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert both.underlineColor() == QColor("#ff0000")  # the outer (longer) span's colour
    assert both.background().color() == blended("#ff0000", "#0000ff")
    assert pieces[" on"].background().color() == blended("#0000ff")


def test_pixels_show_the_colour_only_under_the_span(view, qtbot) -> None:
    a = TEXT.index("attacked")
    show(view, qtbot, [PaintedSpan(1, "actor", a, a + len("attacked"))])
    image = view.viewport().grab().toImage()
    want = blended("#ff0000").rgb()

    def rect_of(start: int, end: int):
        return span_box(view, start, end, image.devicePixelRatio())

    def count(xs, ys) -> int:
        return sum(1 for x in xs for y in ys if image.pixel(x, y) == want)

    xs, ys = rect_of(a, a + len("attacked"))
    assert count(xs, ys) > len(xs) * len(ys) // 3  # mostly background; the rest is glyphs
    other = TEXT.index("Sunday")
    assert count(*rect_of(other, other + len("Sunday"))) == 0


def test_update_repaints_the_changed_block_and_clears_removed_spans(view, qtbot) -> None:
    a = TEXT.index("Fighters")
    show(view, qtbot, [])
    assert formats(view, 0) == []
    view.update_spans([PaintedSpan(5, "place", a, a + 8)])
    view.viewport().repaint()
    [(start, end, fmt)] = formats(view, 0)
    assert fmt.background().color() == blended("#0000ff")
    view.update_spans([])
    view.viewport().repaint()
    assert formats(view, 0) == []


def test_blocks_are_formatted_as_they_scroll_into_view(view, qtbot) -> None:
    lines = [f"Line {i}: fighters attacked the town." for i in range(400)]
    text = "\n".join(lines)
    spans = []
    pos = 0
    for i, line in enumerate(lines):
        k = line.index("fighters")
        spans.append(PaintedSpan(i, "actor", pos + k, pos + k + 8))
        pos += len(line) + 1
    view.set_report_text(text, spans)
    view.viewport().repaint()
    assert formats(view, 0)
    assert formats(view, 399) == []  # far below the screen: not formatted yet
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.viewport().repaint()
    [(start, end, _)] = formats(view, 399)
    assert block_text16(view, 399, start, end) == "fighters"
    assert view.spans_at(spans[399].start)[0].id == 399  # lookups never depended on painting


def _ink(view: ReportTextView, start: int, end: int) -> int:
    """Dark (glyph) pixels drawn over the code points start..end of the first line."""
    image = view.viewport().grab().toImage()
    cur = QTextCursor(view.document())
    cur.setPosition(view._map.to_utf16(start))
    left = view.cursorRect(cur)
    cur.setPosition(view._map.to_utf16(end))
    right = view.cursorRect(cur)
    dark = 0
    for x in range(left.left() + 2, right.left() - 1):
        for y in range(left.top(), left.bottom() + 1):
            if QColor(image.pixel(x, y)).lightness() < 110:
                dark += 1
    return dark


def test_the_current_span_inside_a_claims_evidence_keeps_its_text(qtbot, view) -> None:
    """The current span is also a slot's evidence (the perpetrator just filled): its letters
    must still be drawn, not an empty coloured box (two overlapping extra selections over a
    layout format lose the glyphs in Qt; the view flattens them into one per piece)."""
    start = TEXT.index("Fighters")
    end = start + len("Fighters")
    view.set_report_text(TEXT, [PaintedSpan(1, "actor", start, end)])
    qtbot.wait(50)
    plain = _ink(view, start, end)
    assert plain > 40  # the word is drawn
    view.emphasize((start, end), [(start, end)])
    qtbot.wait(50)
    assert _ink(view, start, end) > plain * 0.6
    # a suggestion overlapping the current span and the evidence: one piece each again
    view.set_suggestions([PaintedSpan(-1, "place", start + 2, end + 9)])
    qtbot.wait(50)
    assert _ink(view, start, end) > plain * 0.6
    pieces = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()]
    assert all(a[1] <= b[0] for a, b in pairwise(pieces))  # none overlap
