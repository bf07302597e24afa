"""A document prepared ahead (gui/prepared_text) comes formatted and laid out at the view's width,
and what the view shows after swapping it in is what building the text in the key shows: the
same pixels, the same lines, the spans and colours of the report opened (not the ones it was
prepared for), and the lines made again when the view is resized after or before the swap."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from annotator.gui.text_view import PaintedSpan, ReportTextView
from tests.gui.pixels import blended, span_box

COLORS = {"actor": "#ff0000", "place": "#0000ff"}
# long paragraphs (many wrapped lines each), an emoji first: code points != UTF-16 positions
PARAGRAPH = " ".join(f"word{i}" for i in range(300))
TEXT = "🚨 " + "\n".join(f"{k}: {PARAGRAPH}" for k in range(12)) + "\n"
OTHER = "Another report, shown first.\n"


def spans_of(*words: str, kind: str = "actor") -> list[PaintedSpan]:
    out = []
    for i, w in enumerate(words):
        at = TEXT.index(f" {w} ") + 1
        out.append(PaintedSpan(i + 1, kind, at, at + len(w)))
    return sorted(out, key=lambda s: (s.start, s.end, s.id))


def make_view(qtbot, width: int = 600) -> ReportTextView:
    v = ReportTextView()
    qtbot.addWidget(v)
    v.resize(width, 300)
    v.set_colors(COLORS)
    v.show()
    qtbot.waitExposed(v)
    return v


@pytest.fixture
def views(qtbot) -> tuple[ReportTextView, ReportTextView]:
    """A view that opens TEXT prepared ahead, and one that builds it in the key."""
    prepared, reference = make_view(qtbot), make_view(qtbot)
    for v in (prepared, reference):
        v.set_report_text(OTHER, [])
    return prepared, reference


def prepare(view: ReportTextView, qtbot, spans: list[PaintedSpan]) -> None:
    view.prepared.want([TEXT], [spans], [None])
    qtbot.waitUntil(lambda: view.prepared.laid_out(TEXT), timeout=10_000)


def lines(view: ReportTextView, block: int = 0) -> int:
    return view.document().findBlockByNumber(block).layout().lineCount()


def pixels(view: ReportTextView) -> QImage:
    return view.viewport().grab().toImage()


def test_the_document_is_formatted_and_laid_out_before_the_key(views, qtbot) -> None:
    view, reference = views
    spans = spans_of("word3", "word250")
    prepare(view, qtbot, spans)
    doc = view.prepared.ready(TEXT)
    first = doc.firstBlock()
    assert first.layout().lineCount() > 1  # lines made ahead, at the view's width...
    assert first.layout().formats() != []  # ...with the formats of the spans on screen
    painted: list[int] = []
    real = view._format_block
    view._format_block = lambda block: painted.append(block.blockNumber()) or real(block)
    view.set_report_text(TEXT, spans, presorted=True)
    assert view.document() is doc and lines(view) == first.layout().lineCount()
    view.viewport().repaint()
    assert painted == []  # nothing on screen had to be formatted in the key
    reference.set_report_text(TEXT, spans, presorted=True)
    reference.viewport().repaint()
    assert view.toPlainText() == TEXT == reference.toPlainText()
    assert lines(view) == lines(reference) and lines(view, 1) == lines(reference, 1)
    assert pixels(view) == pixels(reference)
    assert view.textCursor().position() == 0 and view.verticalScrollBar().value() == 0
    assert view.cursorWidth() == reference.cursorWidth() == 2  # the caret the view asked for
    assert view.verticalScrollBar().maximum() == reference.verticalScrollBar().maximum() > 0


@pytest.mark.parametrize("now", [spans_of("word7", "word40", kind="place"), []])
def test_spans_other_than_the_ones_prepared_are_the_ones_shown(views, qtbot, now) -> None:
    view, reference = views
    prepare(view, qtbot, spans_of("word3", "word40"))  # changed since the read-ahead: ``now``
    view.set_report_text(TEXT, now, presorted=True)
    reference.set_report_text(TEXT, now, presorted=True)
    for v in (view, reference):
        v.viewport().repaint()
    assert pixels(view) == pixels(reference)
    image = pixels(view)
    ratio = image.devicePixelRatio()
    gone = spans_of("word3")[0]
    xs, ys = span_box(view, gone.start, gone.end, ratio)
    assert blended("#ff0000").rgb() not in {image.pixelColor(x, y).rgb() for x in xs for y in ys}
    if now:
        xs, ys = span_box(view, now[0].start, now[0].end, ratio)
        assert blended("#0000ff").rgb() in {image.pixelColor(x, y).rgb() for x in xs for y in ys}


def test_colours_changed_since_are_the_ones_shown(views, qtbot) -> None:
    view, reference = views
    spans = spans_of("word3")
    prepare(view, qtbot, spans)
    for v in (view, reference):
        v.set_colors({"actor": "#00aa00"})
        v.set_report_text(TEXT, spans, presorted=True)
        v.viewport().repaint()
    assert pixels(view) == pixels(reference)
    image = pixels(view)
    xs, ys = span_box(view, spans[0].start, spans[0].end, image.devicePixelRatio())
    seen = {image.pixelColor(x, y).rgb() for x in xs for y in ys}
    assert blended("#00aa00").rgb() in seen and blended("#ff0000").rgb() not in seen


def test_a_view_resized_before_the_key_shows_lines_of_its_new_width(views, qtbot) -> None:
    view, reference = views
    spans = spans_of("word3")
    prepare(view, qtbot, spans)
    for v in (view, reference):
        v.resize(420, 300)
    qtbot.wait(20)
    view.set_report_text(TEXT, spans, presorted=True)
    reference.set_report_text(TEXT, spans, presorted=True)
    for v in (view, reference):
        v.viewport().repaint()
    assert lines(view) == lines(reference) and pixels(view) == pixels(reference)


def test_a_view_narrowed_after_the_key_makes_its_lines_again(views, qtbot) -> None:
    view, reference = views
    spans = spans_of("word3")
    prepare(view, qtbot, spans)
    view.set_report_text(TEXT, spans, presorted=True)
    reference.set_report_text(TEXT, spans, presorted=True)
    wide = lines(view)
    for v in (view, reference):
        v.resize(380, 300)
        v.viewport().repaint()
    assert lines(view) == lines(reference) > wide  # narrower: more lines, as Qt makes them
    assert pixels(view) == pixels(reference)
    for v in (view, reference):
        v.resize(760, 300)
        v.viewport().repaint()
    assert lines(view) == lines(reference) < wide and pixels(view) == pixels(reference)


OLD = PaintedSpan(50, "place", TEXT.index(" word30 ") + 1, TEXT.index(" word33 ") + 7)


@pytest.mark.parametrize("change", ["add", "nested", "emphasized", "remove", "retag"])
def test_a_tag_draws_its_formats_over_the_old_until_the_frame_is_painted(views, qtbot, change) -> None:
    """patch_spans of spans added (a tag, a redo) draws the changed range with extra
    selections in the first frame, without formatting (and so laying out again) its paragraph
    in the key; the layout gets the formats a turn later, and then the pixels are those of a
    view given the new spans at once, and the first frame's the same but for a few edge
    pixels. Spans taken away (a retag, an undo) are formatted in the key."""
    view, reference = views
    at = TEXT.index(" word31 ") + 1
    new = PaintedSpan(60, "actor", at, at + len("word31"))  # inside OLD
    before, removed, added = [OLD], [], [new]
    if change == "add":
        new = PaintedSpan(60, "actor", TEXT.index(" word20 ") + 1, TEXT.index(" word20 ") + 7)
        added = [new]
    elif change == "remove":
        removed, added = [OLD], []
    elif change == "retag":
        removed, added = [OLD], [OLD._replace(type="actor")]
    after = sorted([s for s in before if s not in removed] + added, key=lambda s: (s.start, s.end, s.id))
    for v in (view, reference):
        v.set_report_text(TEXT, before, presorted=True)
    qtbot.wait(20)  # (the scroll bar comes with the text's length)
    view.viewport().repaint()
    block = view.document().firstBlock()
    old_formats = [(r.start, r.length) for r in block.layout().formats()]
    formatted: list[int] = []
    real = view._format_block
    view._format_block = lambda b: formatted.append(b.blockNumber()) or real(b)
    view.patch_spans(removed, added)
    if change == "emphasized":
        view.emphasize((new.start, new.end), [])
    view.viewport().repaint()  # the key's frame
    if removed:
        assert formatted == [0]
    else:
        assert formatted == [] and [(r.start, r.length) for r in block.layout().formats()] == old_formats
        image = pixels(view)
        xs, ys = span_box(view, new.start, new.end, image.devicePixelRatio())
        inside = [image.pixelColor(x, y).rgb() for x in xs for y in ys]
        want = blended(*(["#0000ff"] if change != "add" else []), "#ff0000").rgb()
        assert inside.count(want) > len(inside) // 2  # the span's background, at once
        qtbot.waitUntil(lambda: formatted == [0], timeout=2000)  # the turn after: its formats
        assert view._overlay == [] and (view.extraSelections() == []) == (change != "emphasized")
    first_frame = pixels(view)
    view.viewport().repaint()
    reference.set_report_text(TEXT, after, presorted=True)
    if change == "emphasized":
        reference.emphasize((new.start, new.end), [])
    reference.viewport().repaint()
    final = pixels(view)
    assert final == pixels(reference)
    differ = sum(1 for y in range(final.height()) for x in range(final.width())
                 if final.pixel(x, y) != first_frame.pixel(x, y))
    assert differ < 200  # (of 170,000: where a selection's edge rounds otherwise)
