"""The structured form for one span's or claim's attributes: the right editor for each type.

Values are plain Python (str, int, float, bool, dict) as docs/contracts.md describes; ``None``
means "not coded". The form validates as the coder types (the reason shows in red under the
field) and emits ``attribute_changed`` only for committed, valid changes. Suggested values are
shown in grey italics and stored only when accepted.

The form is refreshed on every caret move, so :meth:`AttributeForm.set_attributes` reuses the
editors it built for the same attribute definitions (one page per attribute set, a few kept).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QMetaMethod, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import AttributeDef
from annotator.core.values import choice_label
from annotator.gui.attribute_editors import (
    _ATTR,
    _ERROR_CSS,
    AUTOSAVE_MS,
    NOT_CODED,
    _Editor,
    _make_editor,
    _same,
)

__all__ = ["NOT_CODED", "AttributeForm", "choice_label"]

_MAX_PAGES = 12  # attribute sets kept built (span types + claim types of a codebook)
_SAME = object()  # set_attributes(owner=...) default: the owner does not change

# ---------------------------------------------------------------------------- one attribute set


class _Page(QWidget):
    """The rows for one tuple of attribute definitions; kept and reused while it is current."""

    def __init__(self, defs: tuple[AttributeDef, ...], actor_names: QStringListModel) -> None:
        super().__init__()
        self.defs = defs
        self.editors: dict[str, _Editor] = {}
        self.errors: dict[str, QLabel] = {}
        self.order: list[QWidget] = []  # every field, in tab order
        lay = QFormLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setHorizontalSpacing(8)
        lay.setVerticalSpacing(4)
        lay.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        lay.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for ad in defs:
            ed = _make_editor(ad, actor_names)
            label = QLabel(ad.label + (" *" if ad.required else ""))
            label.setToolTip(ad.definition or "")
            label.setBuddy(ed.fields()[0])
            error = QLabel()
            error.setStyleSheet(_ERROR_CSS)
            error.setWordWrap(True)
            font = error.font()
            if font.pointSizeF() > 0:
                font.setPointSizeF(font.pointSizeF() * 0.9)
            error.setFont(font)
            error.hide()
            cell = QWidget()
            cl = QVBoxLayout(cell)
            cl.setContentsMargins(0, 0, 0, 0)
            cl.setSpacing(1)
            cl.addWidget(ed)
            cl.addWidget(error)
            lay.addRow(label, cell)
            self.editors[ad.id] = ed
            self.errors[ad.id] = error
            self.order += ed.fields()
        for a, b in zip(self.order, self.order[1:], strict=False):
            QWidget.setTabOrder(a, b)


# ---------------------------------------------------------------------------- the form


class AttributeForm(QWidget):
    """One editor row per attribute; emits ``attribute_changed(id, value or None)``.

    ``suggestions_accepted(dict)`` is the batch form of accepting suggestions (one undo step):
    when something is connected to it, :meth:`accept_suggestions` emits it instead of one
    ``attribute_changed`` per suggested value.
    """

    attribute_changed = Signal(str, object)
    suggestions_accepted = Signal(dict)
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(0)
        self._box.addStretch(1)
        self._pages: list[_Page] = []  # least recently used first
        self._page: _Page | None = None
        self._values: dict[str, Any] = {}
        self._suggestions: dict[str, Any] = {}  # shown, not stored
        self._actor_names = QStringListModel(self)
        self._read_only = False
        self._typed_at = 0.0  # last type-ahead letter in a choice box (time.monotonic)
        # what the form shows (e.g. ("span", 12)); a change is stored for the owner it was typed for
        self.owner: object = None
        # typing is stored as it happens: a short pause, leaving the field, or flush() stores it
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        # a new edit session starts when focus enters a field: keystrokes of one session in one
        # field are one undo step (the window passes edit_key() to the Project)
        self._session = 0

    # ------------------------------------------------------------ content

    def set_attributes(
        self,
        defs: Sequence[AttributeDef],
        values: Mapping[str, Any],
        suggestions: Mapping[str, Any] | None = None,
        owner: object = _SAME,
    ) -> None:
        """Show ``values`` (and ``suggestions`` for what is not coded) for ``owner``.

        Typing not yet stored is stored first for the owner it was typed for (a different owner),
        or kept on screen (the same owner: the refresh after a stored change)."""
        if owner is not _SAME and owner != self.owner:
            self.flush()
            self.owner = owner
        keep = set(self._pending)
        defs = tuple(defs)
        page = self._page
        if page is None or page.defs != defs:
            page = self._show_page(defs)
        self._values = {k: v for k, v in values.items() if v is not None}
        self._suggestions = {}
        for ad in defs:
            s = (suggestions or {}).get(ad.id)
            if s is not None and ad.id not in self._values and ad.check(s) is None:
                self._suggestions[ad.id] = s
        for ad in defs:
            ed = page.editors[ad.id]
            if ad.id in keep:
                continue  # being typed: what is on screen wins until it is stored
            suggested = ad.id in self._suggestions
            ed.blockSignals(True)
            ed.set_value(self._suggestions[ad.id] if suggested else self._values.get(ad.id))
            ed.set_suggested(suggested)
            ed.blockSignals(False)
            error = page.errors[ad.id]
            if not error.isHidden():
                error.hide()

    def prebuild(self, defs: Sequence[AttributeDef]) -> bool:
        """Build the page for ``defs`` now, hidden (the window does it for every type while
        idle after start), so the first span of a type shows without building its fields.
        False when it was built already or the cache is full."""
        defs = tuple(defs)
        if any(p.defs == defs for p in self._pages) or len(self._pages) >= _MAX_PAGES - 1:
            return False
        page = self._new_page(defs)
        page.hide()
        self._pages.insert(0, page)  # the least recently shown: the first to go when full
        return True

    def _new_page(self, defs: tuple[AttributeDef, ...]) -> _Page:
        page = _Page(defs, self._actor_names)
        for ed in page.editors.values():
            ed.committed.connect(partial(self._commit, ed.ad.id))
            ed.edited.connect(partial(self._edited, ed.ad.id))
            ed.set_read_only(self._read_only)
        for w in page.order:
            w.installEventFilter(self)
        self._box.insertWidget(0, page)
        return page

    def _show_page(self, defs: tuple[AttributeDef, ...]) -> _Page:
        page = next((p for p in self._pages if p.defs == defs), None)
        if page is None:
            page = self._new_page(defs)
            if len(self._pages) >= _MAX_PAGES:
                old = self._pages.pop(0)
                self._box.removeWidget(old)
                old.deleteLater()
        else:
            self._pages.remove(page)
        self._pages.append(page)
        if self._page is not None and self._page is not page:
            self._page.hide()
        page.show()
        self._page = page
        return page

    def set_actor_names(self, names: Sequence[str]) -> None:
        """The names the actor fields complete from (case-insensitive, anywhere in the name)."""
        self._actor_names.setStringList(list(names))

    def actor_names(self) -> list[str]:
        return self._actor_names.stringList()

    def set_read_only(self, on: bool) -> None:
        if on == self._read_only:
            return
        self._read_only = on
        for page in self._pages:
            for ed in page.editors.values():
                ed.set_read_only(on)

    def is_read_only(self) -> bool:
        return self._read_only

    # ------------------------------------------------------------ inspection (tests, window)

    def attribute_ids(self) -> list[str]:
        return [ad.id for ad in self._page.defs] if self._page else []

    def editor_fields(self, attribute: str) -> list[QWidget]:
        """The input widgets of one attribute (one, or several for count and place)."""
        return self._editor(attribute).fields()

    def error_text(self, attribute: str) -> str:
        """The validation message shown under the field, or ""."""
        if self._page is None or attribute not in self._page.errors:
            return ""
        label = self._page.errors[attribute]
        return "" if label.isHidden() else label.text()

    def is_suggested(self, attribute: str) -> bool:
        return attribute in self._suggestions

    def _editor(self, attribute: str) -> _Editor:
        if self._page is None or attribute not in self._page.editors:
            raise KeyError(attribute)
        return self._page.editors[attribute]

    # ------------------------------------------------------------ validation and commits

    def _read(self, attribute: str) -> tuple[Any, str | None]:
        ed = self._editor(attribute)
        try:
            value = ed.value()
        except ValueError as exc:
            return None, str(exc)
        if value is None:
            return None, None
        return value, ed.ad.check(value)

    def _show_problem(self, attribute: str, problem: str | None) -> None:
        assert self._page is not None
        error = self._page.errors[attribute]
        if problem:
            if error.text() != problem:
                error.setText(problem)
            error.show()
        elif not error.isHidden():
            error.hide()

    def _edited(self, attribute: str) -> None:
        ed = self._editor(attribute)
        if ed.suggested:  # editing replaces the suggestion
            ed.set_suggested(False)
            self._suggestions.pop(attribute, None)
        self._show_problem(attribute, self._read(attribute)[1])
        if not self._read_only:
            self._pending.add(attribute)
            self._timer.start()

    def flush(self) -> None:
        """Store every change typed and not yet stored (valid values only; the reason shows
        under an invalid one). The window calls it before the form shows something else."""
        self._timer.stop()
        pending, self._pending = self._pending, set()
        for attribute in sorted(pending):
            if self._page is not None and attribute in self._page.editors:
                self._commit(attribute)

    def keep_unsaved(self, attribute: str, retry: bool) -> None:
        """Storing ``attribute`` failed (the database was busy, read-only, full): keep what is
        on screen, and try again after the next pause (``retry``) or when the field is left."""
        self._values.pop(attribute, None)  # not stored: the next commit must send it again
        self._pending.add(attribute)
        if retry:
            self._timer.start(AUTOSAVE_MS * 4)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def edit_key(self, attribute: str) -> tuple[object, str, int]:
        """Changes with the same key are one undo step (one field, one visit, one owner)."""
        return (self.owner, attribute, self._session)

    def _commit(self, attribute: str) -> None:
        self._pending.discard(attribute)
        if not self._pending:
            self._timer.stop()
        ed = self._editor(attribute)
        if self._read_only or ed.suggested:
            return  # a suggestion is stored only by accept_suggestions()
        value, problem = self._read(attribute)
        self._show_problem(attribute, problem)
        if problem:
            return
        old = self._values.get(attribute)
        if _same(value, old) or (value is None and old is None):
            if value is not None:
                ed.blockSignals(True)
                ed.set_value(value)  # shown as stored ("ml" -> "ML") even when nothing changed
                ed.blockSignals(False)
            return
        if value is None:
            self._values.pop(attribute, None)
        else:
            self._values[attribute] = value
            ed.blockSignals(True)
            ed.set_value(value)  # normalized: "ml" -> "ML", "1,200" -> "1200"
            ed.blockSignals(False)
        self.attribute_changed.emit(attribute, value)

    # ------------------------------------------------------------ suggestions

    def has_suggestions(self) -> bool:
        return bool(self._suggestions)

    def accept_suggestions(self) -> dict[str, Any]:
        """Store every suggestion shown; returns them. Emits nothing if read-only."""
        if self._read_only or not self._suggestions or self._page is None:
            return {}
        accepted = dict(self._suggestions)
        self._suggestions = {}
        for attribute, value in accepted.items():
            self._page.editors[attribute].set_suggested(False)
            self._values[attribute] = value
        batch = QMetaMethod.fromSignal(self.suggestions_accepted)
        if self.isSignalConnected(batch):
            self.suggestions_accepted.emit(accepted)
        else:
            for attribute, value in accepted.items():
                self.attribute_changed.emit(attribute, value)
        return accepted

    # ------------------------------------------------------------ keyboard

    def focus_first(self) -> None:
        """Keyboard focus to the first editor (Tab / Shift+Tab then walk them in order)."""
        if self._page is not None and self._page.order:
            self._page.order[0].setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(obj, event) or super().eventFilter(obj, event)
        if kind == QEvent.Type.ShortcutOverride:
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
                event.accept()  # Escape is ours even if the window binds it
                return True
        elif kind == QEvent.Type.FocusIn:
            if not isinstance(event, QFocusEvent) or event.reason() != Qt.FocusReason.PopupFocusReason:
                self._session += 1
            if isinstance(obj, QLineEdit) and obj.property(_ATTR) in self._suggestions:
                obj.selectAll()  # typing replaces the suggestion; arrows keep it to adjust
        elif kind == QEvent.Type.FocusOut:
            attribute = obj.property(_ATTR)
            popup = isinstance(event, QFocusEvent) and event.reason() == Qt.FocusReason.PopupFocusReason
            if attribute in self._pending and not popup:  # a completer's list is still this field
                # leaving a field stores what was typed there; moving inside a place or a count
                # waits while the value is incomplete (lat typed, lon next)
                ed = self._editor(str(attribute))
                staying = QApplication.focusWidget() in ed.fields()
                if not (staying and self._read(str(attribute))[1]):
                    self._commit(str(attribute))
        elif self._read_only and isinstance(obj, QComboBox) and kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.Wheel,
        ):
            return True
        return super().eventFilter(obj, event)

    def _key(self, obj: QObject, event: QKeyEvent) -> bool:
        """Handle a key pressed in one of the fields; True if it was used here."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and obj.property(_ATTR) in self._suggestions:
            self.accept_suggestions()
            return True
        if not isinstance(obj, QComboBox):
            return False
        if self._read_only:
            return key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        mods = event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        )
        plain = mods == Qt.KeyboardModifier.NoModifier
        interval = QApplication.keyboardInputInterval() / 1000
        if key == Qt.Key.Key_Space and plain and time.monotonic() - self._typed_at < interval:
            # a space inside type-ahead ("at m" for "at most") searches, not opens the list
            self._typed_at = time.monotonic()
            self._search(obj, " ")
            return True
        if plain and event.text()[:1].isprintable() and event.text().strip():
            self._typed_at = time.monotonic()  # QComboBox does the search itself
        return False

    @staticmethod
    def _search(combo: QComboBox, text: str) -> None:
        view = combo.view()
        current = combo.model().index(combo.currentIndex(), combo.modelColumn())
        view.setCurrentIndex(current)
        view.keyboardSearch(text)
        row = view.currentIndex().row()
        if row >= 0 and row != current.row():
            combo.setCurrentIndex(row)
            combo.activated.emit(row)
