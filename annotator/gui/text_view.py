"""The report text: read-only, selectable by mouse and keyboard, with the coder's spans painted.

Offsets in and out of this widget are code points; Qt's UTF-16 positions stay inside it.

Painting: the spans are cut into elementary segments (where the set of covering spans is
constant). A segment covered by one span gets its type's colour; nested or overlapping spans stack
their colours (the background darkens with depth) and the outermost span's colour underlines the
segment, wavy when spans overlap there, so every level stays distinguishable. Hovering shows a
tooltip naming every span under the mouse. The formats are given block by block as blocks
come into view (the layout's own formats, as a syntax highlighter does), and a change re-formats
only the blocks it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.offsets import Utf16Map
from annotator.gui.after_frame import AfterFrame
from annotator.gui.prepared_text import PreparedDocs
from annotator.gui.span_segments import (
    PaintedSpan,
    _Index,
    flatten_layers,
    segments,
    sorted_segments,
)

__all__ = ["EVIDENCE_COLOR", "PaintedSpan", "ReportTextView", "flatten_layers", "segments"]


class _Ahead(NamedTuple):
    """What the view paints a report prepared ahead with (prepared_text)."""

    lookup: _Index
    umap: Utf16Map
    colors: dict[str, str]

EVIDENCE_COLOR = "#5b3f99"  # the claim colour (form_panel.CLAIM_COLOR)


class ReportTextView(QPlainTextEdit):
    """Shows one report. ``caret_moved`` carries the caret position in code points."""

    caret_moved = Signal(int)
    context_menu_requested = Signal(QContextMenuEvent)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # read-only, but the caret stays visible and keyboard selection works
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCursorWidth(2)
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)
        self._map = Utf16Map("")
        self._text = ""
        self._colors: dict[str, str] = {}
        self._index = _Index(())
        self._formats: dict[str | tuple[str, ...], QTextCharFormat] = {}
        self._current: set[int] = set()  # blocks whose layout formats match the spans
        self._formatted: set[int] = set()  # blocks whose layout has formats at all
        self.alt_at_selection = False
        self.label_for: Any = None  # callable(PaintedSpan) -> str for tooltips
        self._suggested: list[PaintedSpan] = []
        self._emphasis: list[tuple[int, int, QTextCharFormat]] = []
        # ranges changed by the last keys and their formats, drawn over the layout's (the
        # extra selections) until the frame is painted (``patch_spans``)
        self._pending: list[tuple[int, int]] = []
        self._overlay: list[tuple[int, int, QTextCharFormat]] = []
        self._after = AfterFrame(self)
        self.cursorPositionChanged.connect(self._on_cursor)
        self.viewport().installEventFilter(self)
        # the next reports' documents, built, formatted and laid out while idle
        self.prepared = PreparedDocs(self, painter=self)

    # ------------------------------------------------------------ content

    @property
    def text(self) -> str:
        return self._text

    def set_report_text(
        self, text: str, spans: Iterable[PaintedSpan] = (), presorted: bool = False,
        longest: int | None = None,
    ) -> None:
        """Show a new report with its spans (painted block by block as they come into view).

        ``presorted``: the spans come sorted by (start, end, id), as the database gives them;
        ``longest``: the longest span's length, when the caller knows it."""
        self._text = text
        spans = spans if isinstance(spans, list) else list(spans)
        self._suggested = []
        self._emphasis = []
        self._pending, self._overlay = [], []
        self._current.clear()
        self._formatted.clear()
        self.setExtraSelections([])
        taken = self.prepared.take(text)  # built ahead from exactly this text
        ahead: _Ahead | None = taken.state if taken is not None else None
        if (taken is not None and ahead is not None and ahead.colors == self._colors
                and taken.spans == spans):
            # formatted ahead for these very spans: their index, and the blocks done
            self._map, self._index = ahead.umap, ahead.lookup
            self._current.update(taken.current)
        else:
            self._map = Utf16Map(text)
            self._index = _Index(spans, presorted, longest)
        if taken is None:
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.Start)
        else:
            self._formatted.update(taken.formatted)  # (formats of other spans: cleared in view)
            old = self.document()
            self.prepared.retire(old)  # (before the swap, which deletes the view's own one)
            # centred scrolling for the swap: fitting the scroll bar lays out the last
            # screenful of the new document (done ahead, unless resized since)
            self.setCenterOnScroll(True)
            self.setDocument(taken.doc)  # the caret at the start, the view scrolled there
            self.setCenterOnScroll(False)

    def paint_state(self, text: str, spans: Sequence[PaintedSpan], longest: int | None) -> _Ahead:
        """For prepared_text: what a report's blocks are formatted with ahead (spans sorted
        by (start, end, id), as the database and the read-ahead give them)."""
        return _Ahead(_Index(spans, True, longest), Utf16Map(text), dict(self._colors))

    def format_ahead(self, block: QTextBlock, state: _Ahead) -> bool:
        """For prepared_text: give a block of a document not shown yet its spans' formats;
        whether it has any."""
        ranges = self._ranges(self.block_formats(block, state.lookup, state.umap))
        if ranges:
            block.layout().setFormats(ranges)
        return bool(ranges)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        # a document laid out ahead gets its lines made at the new width (prepared_text:
        # Qt leaves its layout alone when the view gets narrower)
        self.prepared.follow(self.document(), self.viewport().width())
        super().resizeEvent(event)

    def set_colors(self, colors: dict[str, str]) -> None:
        self._settle_overlay()
        self._colors = dict(colors)
        self._formats.clear()
        self._current.clear()
        self.viewport().update()

    def _format(self, covering: Sequence[PaintedSpan]) -> QTextCharFormat:
        fmt = QTextCharFormat()
        # stacked backgrounds: blend each level's colour over the last
        r = g = b = 255.0
        for s in covering:
            c = QColor(self._colors.get(s.type, "#999999"))
            alpha = 0.30
            r = r * (1 - alpha) + c.red() * alpha
            g = g * (1 - alpha) + c.green() * alpha
            b = b * (1 - alpha) + c.blue() * alpha
        fmt.setBackground(QColor(int(r), int(g), int(b)))
        outer = QColor(self._colors.get(covering[0].type, "#999999"))
        fmt.setUnderlineColor(outer)
        fmt.setUnderlineStyle(
            QTextCharFormat.UnderlineStyle.WaveUnderline
            if len(covering) > 1
            else QTextCharFormat.UnderlineStyle.SingleUnderline
        )
        return fmt

    def update_spans(self, spans: Iterable[PaintedSpan], presorted: bool = False) -> None:
        """Replace the painted spans, repainting only the blocks where something changed."""
        self._settle_overlay()
        new = _Index(spans, presorted)
        old_by_id = {s.id: s for s in self._index.spans}
        new_by_id = {s.id: s for s in new.spans}
        touched: list[tuple[int, int]] = []
        for sid in old_by_id.keys() | new_by_id.keys():
            a, b = old_by_id.get(sid), new_by_id.get(sid)
            if a != b:
                for s in (a, b):
                    if s is not None:
                        touched.append((s.start, s.end))
        self._index = new
        self._repaint(touched)

    def patch_spans(self, removed: Sequence[PaintedSpan], added: Sequence[PaintedSpan]) -> None:
        """Take spans away and add others (a change of a few spans in a report of thousands):
        the index is patched in place and only the lines the spans lie on are painted again."""
        for s in removed:
            self._index.remove(s)
        for s in added:
            self._index.add(s)
        touched = [(s.start, s.end) for s in (*removed, *added)]
        if removed or not touched:  # (what was drawn there goes: the layout's formats at once)
            self._settle_overlay()  # (a tag's, drawn over until now)
            self._repaint(touched)
            return
        # spans added (a tag): the first frame draws the ranges' new formats over the old as
        # extra selections, since a block's layout formats made again lay its whole paragraph
        # out again (3 ms for 5,000 characters); that waits for the turn after the frame
        # (``_settle_overlay``). Not for spans taken away: the old underline's lowest pixel row
        # lies below the line a selection covers
        self._pending.extend(touched)
        self._overlay = [p for a, b in self._pending for p in self._pieces(a, b)]
        self._apply_extra()
        self._repaint(touched, reformat=False)
        self._after.later(self._settle_overlay, "formats")

    def _settle_overlay(self) -> None:
        """The blocks the last changes touched get their layout formats; the overlay goes."""
        touched, self._pending, self._overlay = self._pending, [], []
        if touched:
            self._apply_extra()
            self._repaint(touched)

    def _pieces(self, lo: int, hi: int) -> list[tuple[int, int, QTextCharFormat]]:
        """[lo, hi) cut where its formats change, each piece with the format its layout gets
        (the plain text's where no span lies: the view's background, no underline)."""
        live = self._index.overlapping(lo, hi)
        out: list[tuple[int, int, QTextCharFormat]] = []
        at = lo
        for a, b, covering in sorted_segments(live, lo, hi):
            if a > at:
                out.append((at, a, self._plain()))
            out.append((a, b, self._cached_format(covering)))
            at = max(at, b)
        if at < hi:
            out.append((at, hi, self._plain()))
        return out

    def _plain(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(self.viewport().palette().color(self.viewport().backgroundRole()))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.NoUnderline)
        return fmt

    def _cached_format(self, covering: Sequence[PaintedSpan]) -> QTextCharFormat:
        key = covering[0].type if len(covering) == 1 else tuple(s.type for s in covering)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self._format(covering)
        return fmt

    def _repaint(self, touched: Sequence[tuple[int, int]], reformat: bool = True) -> None:
        """Format again the blocks covering the ranges ``touched``, and paint only their lines.

        A block is a paragraph: in a 1 MB report one may fill the screen, and drawing all of
        it again for a one-word span cost as much as the rest of the key. The block's layout
        keeps its lines when its formats change (backgrounds and underlines only), so the
        lines a range covers are where its pixels change."""
        if not touched:
            return
        doc = self.document()
        first_block = doc.findBlock(self._map.to_utf16(min(t[0] for t in touched)))
        last_block = doc.findBlock(self._map.to_utf16(max(t[1] for t in touched)))
        if not last_block.isValid():
            last_block = doc.lastBlock()
        if not first_block.isValid():
            first_block = doc.firstBlock()
        first, last = first_block.blockNumber(), last_block.blockNumber()
        if reformat:  # (else drawn over for now: ``patch_spans``)
            self._current.difference_update(range(first, last + 1))
        viewport = self.viewport()
        offset = self.contentOffset()
        height = viewport.height()
        for top, bottom in self._touched_lines(touched, offset.y()):
            if bottom < 0 or top > height:
                continue  # out of view: formatted when it scrolls in
            # a little more than the lines: a wave underline reaches into the next line's top
            viewport.update(0, max(0, int(top) - 2), viewport.width(),
                            int(bottom - max(top, 0.0)) + 5)

    def _touched_lines(self, touched: Sequence[tuple[int, int]], dy: float) -> list[tuple[float, float]]:
        """The vertical extent (viewport pixels) of the lines each range covers: its block's
        whole height when that block is not laid out yet."""
        doc = self.document()
        out = []
        for start, end in touched:
            a16, b16 = self._map.to_utf16(start), self._map.to_utf16(end)
            block = doc.findBlock(a16)
            if not block.isValid():
                block = doc.lastBlock()
            top = self.blockBoundingGeometry(block).top() + dy
            end_block = doc.findBlock(max(a16, b16 - 1))
            layout = block.layout()
            if end_block == block and layout is not None and layout.lineCount() > 0:
                first_line = layout.lineForTextPosition(a16 - block.position())
                last_line = layout.lineForTextPosition(max(a16, b16 - 1) - block.position())
                if first_line.isValid() and last_line.isValid():
                    out.append((top + first_line.y(), top + last_line.y() + last_line.height()))
                    continue
            last_block = end_block if end_block.isValid() else doc.lastBlock()
            bottom = self.blockBoundingGeometry(last_block).bottom() + dy
            out.append((top, bottom))
        return out

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        self._format_visible()
        super().paintEvent(event)

    def _format_visible(self) -> None:
        """Give every visible block whose spans changed its formats (the block's layout
        formats, as a syntax highlighter does: the document itself is never edited, so opening
        a report costs the same whatever the number of spans, and scrolling formats a screenful)."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        height = self.viewport().height()
        current = self._current
        while block.isValid() and top <= height:
            n = block.blockNumber()
            # the block's height is taken before its formats change (which clears its lines)
            bottom = top + self.blockBoundingRect(block).height()
            if n not in current:
                current.add(n)
                self._format_block(block)
            block = block.next()
            top = bottom

    def block_formats(self, block: QTextBlock, index: _Index | None = None,
                      umap: Utf16Map | None = None) -> list[tuple[int, int, QTextCharFormat]]:
        """The formats a block gets: (start, end, format) in UTF-16 positions inside the block
        (of the spans shown, or of ``index``'s in a text of ``umap``)."""
        pos16 = block.position()
        umap = umap or self._map
        to_cp, to_16 = umap.to_codepoint, umap.to_utf16
        lo = to_cp(pos16)
        hi = to_cp(pos16 + max(0, block.length() - 1))
        live = (index or self._index).overlapping(lo, hi)
        out: list[tuple[int, int, QTextCharFormat]] = []
        if not live:
            return out
        formats = self._formats
        for a, b, covering in sorted_segments(live, lo, hi):
            key = covering[0].type if len(covering) == 1 else tuple(s.type for s in covering)
            fmt = formats.get(key)
            if fmt is None:
                fmt = formats[key] = self._format(covering)
            out.append((to_16(a) - pos16, to_16(b) - pos16, fmt))
        return out

    @staticmethod
    def _ranges(formats: list[tuple[int, int, QTextCharFormat]]) -> list[QTextLayout.FormatRange]:
        ranges = []
        for a, b, fmt in formats:
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = a, b - a, fmt
            ranges.append(r)
        return ranges

    def _format_block(self, block: QTextBlock) -> None:
        ranges = self._ranges(self.block_formats(block))
        n = block.blockNumber()
        if ranges or n in self._formatted:
            block.layout().setFormats(ranges)
            if ranges:
                self._formatted.add(n)
            else:
                self._formatted.discard(n)

    def spans_at(self, pos: int) -> list[PaintedSpan]:
        """Spans covering code point ``pos``, innermost first."""
        return sorted(self._index.at(pos), key=lambda s: (s.end - s.start, s.id))

    # ------------------------------------------------------------ emphasis (claim evidence, current span)

    def emphasize(
        self, current: tuple[int, int] | None, evidence: Iterable[tuple[int, int]]
    ) -> None:
        """Outline the current span and mark a claim's evidence spans (extra selections)."""
        layers: list[tuple[int, int, QTextCharFormat]] = []
        for start, end in evidence:
            fmt = QTextCharFormat()
            # bold, overlined, in the claim's colour: the span's own type colour stays beneath
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontOverline(True)
            fmt.setForeground(QColor(EVIDENCE_COLOR))
            layers.append((start, end, fmt))
        if current is not None:
            fmt = QTextCharFormat()
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor(0, 0, 0))
            layers.append((current[0], current[1], fmt))
        self._emphasis = layers
        self._apply_extra()

    def set_suggestions(self, suggested: Iterable[PaintedSpan]) -> None:
        """Show suggested spans with a dashed underline in their type's colour."""
        self._suggested = sorted(suggested, key=lambda s: (s.start, s.end))
        self._apply_extra()

    def suggestion_at(self, pos: int) -> PaintedSpan | None:
        for s in self._suggested:
            if s.start <= pos < s.end:
                return s
        return None

    def _apply_extra(self) -> None:
        layers: list[tuple[int, int, QTextCharFormat]] = list(self._overlay)
        for sug in self._suggested:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(QColor(self._colors.get(sug.type, "#777777")))
            fmt.setForeground(QColor(self._colors.get(sug.type, "#333333")).darker(140))
            layers.append((sug.start, sug.end, fmt))
        sels = []
        for start, end, fmt in flatten_layers(layers + self._emphasis):
            sel = QTextEdit.ExtraSelection()
            sel.format = fmt
            cur = QTextCursor(self.document())
            cur.setPosition(self._map.to_utf16(start))
            cur.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sels.append(sel)
        self.setExtraSelections(sels)

    # ------------------------------------------------------------ positions (code points)

    def selection(self) -> tuple[int, int] | None:
        """The selected range in code points, or None when nothing is selected."""
        c = self.textCursor()
        if not c.hasSelection():
            return None
        a = self._map.to_codepoint(c.selectionStart())
        b = self._map.to_codepoint(c.selectionEnd())
        return (a, b) if a < b else None

    def caret(self) -> int:
        return self._map.to_codepoint(self.textCursor().position())

    def position_at(self, x: int, y: int) -> int:
        from PySide6.QtCore import QPoint

        return self._map.to_codepoint(self.cursorForPosition(QPoint(x, y)).position())

    def select_range(self, start: int, end: int) -> None:
        """Select ``start``..``end`` (code points) and scroll to it."""
        c = self.textCursor()
        c.setPosition(self._map.to_utf16(start))
        c.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)
        self.ensureCursorVisible()

    def find_text(self, needle: str, backward: bool = False) -> bool:
        """Select the next (or previous) case-insensitive match, wrapping around."""
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.find(needle, flags):
            return True
        c = self.textCursor()
        c.movePosition(
            QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
        )
        self.setTextCursor(c)
        return self.find(needle, flags)

    def _on_cursor(self) -> None:
        self.caret_moved.emit(self.caret())

    # ------------------------------------------------------------ events

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.alt_at_selection = False  # a keyboard selection: snapping follows Alt at tag time
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.alt_at_selection = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        self.context_menu_requested.emit(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            pos = self.position_at(event.pos().x(), event.pos().y())
            hits = self.spans_at(pos)
            sug = self.suggestion_at(pos)
            name = self.label_for or (lambda s: getattr(s, "label", "") or s.type)
            lines = [name(s) for s in hits] + ([f"suggested {name(sug)}"] if sug else [])
            if lines:
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(obj, event)
