"""Documents of the reports a coder is likely to open next, built and laid out while idle.

Building the document of a 1 MB report (and tearing down the last one) was a third of the
"next report" key, and laying out and painting its first screenful most of the rest.
:class:`PreparedDocs` builds the documents of the reports next to the open one ahead, a slice
of text per event-loop turn (so no keypress waits for more than a slice), then gives the
blocks of its first screenful their span formats (the spans read ahead with the text) and lays
them out at the view's width, a block per turn, and the last screenful too (what the scroll
bar's range is measured on). The text view swaps one in (``setDocument``) when the report
opened has exactly that text, and takes its formats when the spans and colours are the ones
they were made from.

Laid out ahead and kept: ``QPlainTextEdit.setDocument`` lays out again from scratch (its
``relayoutDocument``) a document whose layout names no other view, or names this one, or is
narrower than the view. So each document's layout is first handed to a hidden view of its own
(``_holder``, which lets go of it at once), and its width is set to the view's: the swap then
keeps the lines. The text view sees to its width on every resize itself
(``ReportTextView.resizeEvent``), since Qt then leaves a layout named for another view alone.
Which text a document holds decides whether it is used; which spans its formats were made
from, whether they are: a report whose text is not the one prepared (changed since, or another
report) is built on the spot as before, spans other than the ones prepared are formatted as
their blocks come into view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

__all__ = ["PreparedDocs", "Taken"]

SLICE = 64 * 1024  # characters inserted per event-loop turn (about half a millisecond)
FREE_MS = 250  # a document swapped out is deleted this long after (not in the key's time)


class Painter(Protocol):
    """What the text view lends for formatting a document ahead (text_view.ReportTextView)."""

    def paint_state(self, text: str, spans: Sequence[Any], longest: int | None) -> Any: ...

    def format_ahead(self, block: QTextBlock, state: Any) -> bool: ...


def _same_option(a: QTextOption, b: QTextOption) -> bool:
    return (a.alignment() == b.alignment() and a.textDirection() == b.textDirection()
            and a.wrapMode() == b.wrapMode() and a.flags() == b.flags()
            and a.tabStopDistance() == b.tabStopDistance())


class Taken:
    """A document handed to the view, with what was made ahead for it: ``state`` (the view's
    index of the spans it was formatted for, None when none), ``spans`` (those spans),
    ``current`` (blocks whose formats are those spans') and ``formatted`` (blocks with
    formats at all)."""

    def __init__(self, doc: QTextDocument, spans: list[Any] | None, state: Any,
                 current: set[int], formatted: set[int]) -> None:
        self.doc, self.spans, self.state = doc, spans, state
        self.current, self.formatted = current, formatted


TEXT, STATE, TOP, BOTTOM, DONE = range(5)  # what a build does next


class _Build:
    def __init__(self, text: str, doc: QTextDocument, spans: list[Any] | None,
                 longest: int | None, width: int) -> None:
        self.text, self.doc, self.at = text, doc, 0
        self.cursor: QTextCursor | None = QTextCursor(doc)
        self.spans, self.longest = spans, longest
        self.state: Any = None
        self.phase = TEXT
        self.block = -1  # the next block to lay out (TOP: counting up, BOTTOM: down)
        self.height = 0.0  # how much of the screen the blocks laid out so far fill
        self.current: set[int] = set()
        self.formatted: set[int] = set()
        self.width = width  # the width its lines are made at

    @property
    def done(self) -> bool:
        """The text is all in (what decides whether the document can be swapped in)."""
        return self.phase > TEXT

    def insert(self) -> None:
        text, at = self.text, self.at
        end = min(len(text), at + SLICE)
        if end < len(text):  # cut after a line end: "\r\n" and surrogate pairs stay whole
            nl = text.find("\n", end)
            end = len(text) if nl < 0 else nl + 1
        assert self.cursor is not None
        self.cursor.insertText(text[at:end])
        self.at = end
        if self.at >= len(text):
            self.cursor = None
            self.phase = STATE


class PreparedDocs(QObject):
    """Up to ``keep`` documents built ahead for ``view``, the most recently asked for first;
    ``painter`` (the view) formats their first screenful."""

    def __init__(self, view: QPlainTextEdit, keep: int = 2, painter: Painter | None = None) -> None:
        super().__init__(view)
        self.view, self.keep, self.painter = view, keep, painter
        self._builds: list[_Build] = []  # finished or under way, in the order asked for
        self._holder: QPlainTextEdit | None = None
        self._spare: QTextDocument | None = None
        self._shown: tuple[QTextDocument, int] | None = None  # taken, and the width it has
        self._cursor_width = view.cursorWidth()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def want(self, texts: Sequence[str], spans: Sequence[Sequence[Any] | None] = (),
             longest: Sequence[int | None] = ()) -> None:
        """Build these texts' documents (the first first); forget the others. ``spans[i]``:
        the spans ``texts[i]`` is likely shown with (its first screenful is formatted for
        them); ``longest[i]``: their longest length, when known."""
        texts = list(texts)[: self.keep]
        keep: list[_Build] = []
        drop: list[_Build] = []
        for b in self._builds:
            (keep if any(b.text is t or b.text == t for t in texts) else drop).append(b)
        for b in drop:
            b.doc.deleteLater()
        have = [b.text for b in keep]
        for i, t in enumerate(texts):
            if not any(h is t or h == t for h in have):
                s = spans[i] if i < len(spans) else None
                keep.append(_Build(t, self._new_doc(), None if s is None else list(s),
                                   longest[i] if i < len(longest) else None,
                                   self.view.viewport().width()))
        self._builds = keep
        if any(b.phase != DONE for b in keep):
            self._timer.start()

    def ready(self, text: str) -> QTextDocument | None:
        """The finished document holding ``text``, if there is one (kept here)."""
        b = self._find(text)
        return b.doc if b is not None else None

    def laid_out(self, text: str) -> bool:
        """Whether the document of ``text`` is built, formatted and laid out ahead."""
        b = self._find(text)
        return b is not None and b.phase == DONE

    def take(self, text: str) -> Taken | None:
        """The finished document holding exactly ``text``, ready for ``setDocument`` (no
        longer kept here), with what was formatted ahead; else None."""
        b = self._find(text)
        if b is None:
            return None
        self._builds.remove(b)
        doc, current = b.doc, b.current
        view_doc = self.view.document()
        font, option = view_doc.defaultFont(), view_doc.defaultTextOption()
        if doc.defaultFont() != font or not _same_option(doc.defaultTextOption(), option):
            # (the font size changed since): a fresh layout, given after the font and the
            # options (a layout there while they change lays the whole text out, 50 ms for
            # 1 MB); the view lays it out and formats what it shows as before
            doc.setDefaultFont(font)
            doc.setDefaultTextOption(option)
            doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
            current = set()
            self._shown = None
        else:
            width = self.view.viewport().width()
            if b.width != width:  # (resized since): the lines are made again
                self._fit(doc, width)
            self._shown = (doc, width)
        return Taken(doc, b.spans, b.state if current else None, current, b.formatted)

    def follow(self, doc: QTextDocument, width: int) -> None:
        """The view showing ``doc`` is now ``width`` wide: a document laid out here gets its
        lines made again at that width (Qt would not: its layout names the holder)."""
        if self._shown is not None and self._shown[0] is doc and self._shown[1] != width:
            self._fit(doc, width)
            self._shown = (doc, width)

    def retire(self, doc: QTextDocument) -> None:
        """``doc`` is about to be swapped out of the view: deleted a little later, not in the
        key's time (the view's own first document too, which ``setDocument`` would delete
        at once). Not ``doc.parent()``: wrapping the view's private text control made PySide
        build its types, 170 ms on the first swap."""
        doc.setParent(self)
        QTimer.singleShot(FREE_MS, doc, doc.deleteLater)

    def forget(self) -> None:
        for b in self._builds:
            b.doc.deleteLater()
        self._builds = []

    def _find(self, text: str) -> _Build | None:
        return next((b for b in self._builds if b.done and (b.text is text or b.text == text)),
                    None)

    def _new_doc(self) -> QTextDocument:
        current = self.view.document()
        doc = QTextDocument(self)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(current.defaultFont())
        doc.setDocumentMargin(current.documentMargin())
        doc.setDefaultTextOption(current.defaultTextOption())
        # the view's kind of layout, while the document is empty (nothing to lay out when the
        # font or options are given, nor when the text goes in: no block has lines yet)
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        self._fit(doc, self.view.viewport().width())
        return doc

    def _fit(self, doc: QTextDocument, width: int) -> None:
        """Have ``doc``'s layout name the holder, at ``width`` (the view's viewport width):
        the holder's viewport is given that width (never shown, it gets no resize event),
        takes the document (which makes the lines again at its width) and lets go of it."""
        holder = self._holder
        if holder is None:
            holder = self._holder = QPlainTextEdit(self.view)
            holder.hide()  # never shown: it only names the layouts (see the module's text)
            holder.setReadOnly(True)
            holder.setTextInteractionFlags(self.view.textInteractionFlags())
            self._spare = QTextDocument(holder)
            self._spare.setDocumentLayout(QPlainTextDocumentLayout(self._spare))
        holder.viewport().resize(width, max(1, self.view.viewport().height()))
        holder.setDocument(doc)  # the layout now names the holder, at that width...
        assert self._spare is not None
        holder.setDocument(self._spare)  # ...which lets go of the document at once
        layout = doc.documentLayout()
        assert isinstance(layout, QPlainTextDocumentLayout)
        layout.setCursorWidth(self._cursor_width)  # (what the holder's control set there)

    def _step(self) -> None:
        build = next((b for b in self._builds if b.phase != DONE), None)
        if build is None:
            return
        if build.phase == TEXT:
            build.insert()
        else:
            self._lay_out(build)
        if any(b.phase != DONE for b in self._builds):
            self._timer.start()

    def _lay_out(self, b: _Build) -> None:
        """One step after the text: the view's index of the spans, then a block of the first
        screenful formatted and laid out, then one of the last screenful laid out."""
        doc = b.doc
        layout = doc.documentLayout()
        assert isinstance(layout, QPlainTextDocumentLayout)
        viewport = self.view.viewport()
        if b.width != viewport.width():  # (resized meanwhile): from the top again
            b.width = viewport.width()
            self._fit(doc, b.width)
            b.phase, b.block, b.height = TOP, 0, 0.0
            return
        if b.phase == STATE:
            if self.painter is not None and b.spans is not None:
                b.state = self.painter.paint_state(b.text, b.spans, b.longest)
            b.phase, b.block, b.height = TOP, 0, 0.0
            return
        block = doc.findBlockByNumber(b.block)
        if b.phase == TOP:
            if b.state is not None and self.painter is not None and b.block not in b.current:
                if self.painter.format_ahead(block, b.state):  # (before its lines are made)
                    b.formatted.add(b.block)
                b.current.add(b.block)
            layout.ensureBlockLayout(block)
            b.height += layout.blockBoundingRect(block).height()
            b.block += 1
            if b.height >= viewport.height() or b.block >= doc.blockCount():
                b.phase, b.block, b.height = BOTTOM, doc.blockCount() - 1, 0.0
        else:
            layout.ensureBlockLayout(block)
            b.height += layout.blockBoundingRect(block).height()
            b.block -= 1
            if b.height >= viewport.height() or b.block < 0:
                b.phase = DONE
