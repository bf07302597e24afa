"""Documents of the reports a coder is likely to open next, built while the window is idle.

Building the document of a 1 MB report (and tearing down the last one) was a third of the
"next report" key. :class:`PreparedDocs` builds the documents of the reports next to the open
one ahead, a slice of text per event-loop turn (so no keypress waits for more than a slice),
and the text view swaps one in (``setDocument``) when the report opened has exactly that text.
Which text a document holds is the only thing that decides: a report whose text is not the one
prepared (changed since, or another report) is built on the spot as before.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

__all__ = ["PreparedDocs"]

SLICE = 64 * 1024  # characters inserted per event-loop turn (about half a millisecond)
FREE_MS = 250  # a document swapped out is deleted this long after (not in the key's time)


def _same_option(a: QTextOption, b: QTextOption) -> bool:
    return (a.alignment() == b.alignment() and a.textDirection() == b.textDirection()
            and a.wrapMode() == b.wrapMode() and a.flags() == b.flags()
            and a.tabStopDistance() == b.tabStopDistance())


class _Build:
    def __init__(self, text: str, doc: QTextDocument) -> None:
        self.text, self.doc, self.at = text, doc, 0
        self.cursor: QTextCursor | None = QTextCursor(doc)

    @property
    def done(self) -> bool:
        return self.at >= len(self.text)

    def step(self) -> None:
        text, at = self.text, self.at
        end = min(len(text), at + SLICE)
        if end < len(text):  # cut after a line end: "\r\n" and surrogate pairs stay whole
            nl = text.find("\n", end)
            end = len(text) if nl < 0 else nl + 1
        assert self.cursor is not None
        self.cursor.insertText(text[at:end])
        self.at = end
        if self.done:
            self.cursor = None


class PreparedDocs(QObject):
    """Up to ``keep`` documents built ahead for ``view``, the most recently asked for first."""

    def __init__(self, view: QPlainTextEdit, keep: int = 2) -> None:
        super().__init__(view)
        self.view, self.keep = view, keep
        self._builds: list[_Build] = []  # finished or under way, in the order asked for
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def want(self, texts: list[str]) -> None:
        """Build these texts' documents (the first first); forget the others."""
        texts = texts[: self.keep]
        keep: list[_Build] = []
        drop: list[_Build] = []
        for b in self._builds:
            (keep if any(b.text is t or b.text == t for t in texts) else drop).append(b)
        for b in drop:
            b.doc.deleteLater()
        have = [b.text for b in keep]
        for t in texts:
            if not any(h is t or h == t for h in have):
                keep.append(_Build(t, self._new_doc()))
        self._builds = keep
        if any(not b.done for b in keep):
            self._timer.start()

    def ready(self, text: str) -> QTextDocument | None:
        """The finished document holding ``text``, if there is one (kept here)."""
        return next((b.doc for b in self._builds if b.done and (b.text is text or b.text == text)),
                    None)

    def take(self, text: str) -> QTextDocument | None:
        """The finished document holding exactly ``text``, ready for ``setDocument`` (no
        longer kept here), else None."""
        for b in self._builds:
            if b.done and (b.text is text or b.text == text):
                self._builds.remove(b)
                doc = b.doc
                current = self.view.document()
                if doc.defaultFont() != current.defaultFont():  # the font size changed since
                    doc.setDefaultFont(current.defaultFont())
                if not _same_option(doc.defaultTextOption(), current.defaultTextOption()):
                    doc.setDefaultTextOption(current.defaultTextOption())
                # the view's kind of layout, given last: a layout there while the font or the
                # options change lays the whole text out again (50 ms for 1 MB)
                doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
                return doc
        return None

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

    def _new_doc(self) -> QTextDocument:
        current = self.view.document()
        doc = QTextDocument(self)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(current.defaultFont())
        doc.setDocumentMargin(current.documentMargin())
        doc.setDefaultTextOption(current.defaultTextOption())
        return doc

    def _step(self) -> None:
        build = next((b for b in self._builds if not b.done), None)
        if build is None:
            return
        build.step()
        if any(not b.done for b in self._builds):
            self._timer.start()
