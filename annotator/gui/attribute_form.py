"""The structured form for one span's or claim's attributes: the right editor for each type.

Values are plain Python (str, int, float, bool, dict) as docs/contracts.md describes; ``None``
means "not coded". The form validates as the coder types (the reason shows in red under the
field) and emits ``attribute_changed`` only for committed, valid changes. Suggested values are
shown in grey italics and stored only when accepted.

The form is refreshed on every caret move, so :meth:`AttributeForm.set_attributes` reuses the
editors it built for the same attribute definitions (one page per attribute set, a few kept).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QMetaMethod, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import AttributeDef

__all__ = ["NOT_CODED", "AttributeForm", "choice_label"]

NOT_CODED = "—"  # the first entry of every choice box
SUGGESTION_TIP = "suggestion — Enter to accept"
_SUGGESTED_CSS = "{cls} {{ color: #777777; font-style: italic; }}"
_ERROR_CSS = "color: #b00020;"
_ATTR = "attribute_id"  # dynamic property naming the attribute a field belongs to
_MAX_PAGES = 12  # attribute sets kept built (span types + claim types of a codebook)
_DATE_HINT = "EDTF: 2023-12-03, 2023-12, 2023-12-01/2023-12-06, 2023-12~"


def choice_label(value: str, labels: Mapping[str, str]) -> str:
    """How an enum value is shown: its codebook label, else the value with spaces."""
    return labels.get(value) or value.replace("_", " ")


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type (so True is not 1 and 12 is not 12.0)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _whole(text: str, what: str) -> int:
    cleaned = text.replace(",", "").replace(" ", "").replace("\u202f", "")
    try:
        return int(cleaned)
    except ValueError:
        raise ValueError(f"{what}{text!r} is not a whole number") from None


def _float(text: str, what: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"{what}{text!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{what}{text!r} is not a number")
    return number


def _format(value: Any) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------- editors


class _Editor(QWidget):
    """One attribute's editor. ``value()`` raises ValueError with the reason when invalid."""

    committed = Signal()  # the coder finished: Enter, focus left the editor, or a choice
    edited = Signal()  # the coder changed the content (validate live, drop the suggestion)

    def __init__(self, ad: AttributeDef) -> None:
        super().__init__()
        self.ad = ad
        self.suggested = False
        self._tip = ad.definition or ""

    def value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def fields(self) -> list[QWidget]:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_suggested(self, on: bool) -> None:
        if on == self.suggested:
            return
        self.suggested = on
        for w in self.fields():
            w.setStyleSheet(_SUGGESTED_CSS.format(cls=type(w).__name__) if on else "")
            w.setToolTip(SUGGESTION_TIP if on else self._tip)

    def set_read_only(self, on: bool) -> None:
        for w in self.fields():
            if isinstance(w, QLineEdit):
                w.setReadOnly(on)
        # choice boxes stay enabled (legible); the form's event filter swallows their input

    def _own(self, w: QWidget) -> None:
        w.setProperty(_ATTR, self.ad.id)
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if self._tip:
            w.setToolTip(self._tip)


class _ChoiceEditor(_Editor):
    """enum and boolean: "—" (not coded) then the choices, in codebook order."""

    def __init__(self, ad: AttributeDef, choices: Sequence[tuple[str, Any]]) -> None:
        super().__init__(ad)
        self.box = QComboBox()
        self.box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.box.setMinimumContentsLength(10)
        self._data: list[Any] = [None]
        self.box.addItem(NOT_CODED)
        self.box.setItemData(0, "not coded", Qt.ItemDataRole.ToolTipRole)
        for text, data in choices:
            self.box.addItem(text)
            if isinstance(data, str) and text != data:
                self.box.setItemData(self.box.count() - 1, data, Qt.ItemDataRole.ToolTipRole)
            self._data.append(data)
        self._own(self.box)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box)
        # activated: only the coder's choices (mouse, arrows, or type-ahead letters)
        self.box.activated.connect(self._chosen)

    def _chosen(self, _index: int) -> None:
        self.edited.emit()
        self.committed.emit()

    def value(self) -> Any:
        return self._data[max(self.box.currentIndex(), 0)]

    def set_value(self, value: Any) -> None:
        index = next((i for i, d in enumerate(self._data) if _same(d, value)), 0)
        if index != self.box.currentIndex():
            self.box.setCurrentIndex(index)

    def fields(self) -> list[QWidget]:
        return [self.box]


class _LineEditor(_Editor):
    """text, actor, date, integer and number: one line; empty clears the value."""

    def __init__(self, ad: AttributeDef, placeholder: str = "") -> None:
        super().__init__(ad)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(False)
        self._own(self.edit)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        self.edit.editingFinished.connect(self.committed.emit)
        self.edit.textEdited.connect(lambda _t: self.edited.emit())

    def parse(self, text: str) -> Any:
        return text

    def value(self) -> Any:
        text = self.edit.text().strip()
        return None if not text else self.parse(text)

    def set_value(self, value: Any) -> None:
        text = _format(value)
        if text != self.edit.text():
            self.edit.setText(text)

    def fields(self) -> list[QWidget]:
        return [self.edit]


class _IntegerEditor(_LineEditor):
    def parse(self, text: str) -> Any:
        return _whole(text, "")


class _NumberEditor(_LineEditor):
    def parse(self, text: str) -> Any:
        number = _float(text, "")
        plain = text.replace(",", "").lstrip("+-")
        return int(number) if plain.isdigit() else number


class _ActorEditor(_LineEditor):
    def __init__(self, ad: AttributeDef, names: QStringListModel) -> None:
        super().__init__(ad, "canonical name (from the actor list, or a new one)")
        self.completer = QCompleter(names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(self.completer)
        # picking a name in the popup is a commit (after the line edit took the text)
        self.completer.activated.connect(lambda *_args: self.committed.emit())


class _GroupEditor(_Editor):
    """Several line edits making one value; moving between them is not yet a commit."""

    def _wire(self, e: QLineEdit) -> None:
        self._own(e)
        e.textEdited.connect(lambda _t: self.edited.emit())
        e.returnPressed.connect(self.committed.emit)
        e.editingFinished.connect(self._left)

    def _left(self) -> None:
        if QApplication.focusWidget() not in self.fields():
            self.committed.emit()


class _CountEditor(_GroupEditor):
    KEYS = ("low", "best", "high")

    def __init__(self, ad: AttributeDef) -> None:
        super().__init__(ad)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        self.edits: dict[str, QLineEdit] = {}
        for key in self.KEYS:
            tag = QLabel(key)
            tag.setEnabled(False)  # a quiet, grey caption
            e = QLineEdit()
            e.setPlaceholderText("–")
            e.setMaximumWidth(64)
            e.setAccessibleName(f"{ad.label} {key}")
            self._wire(e)
            tag.setBuddy(e)
            lay.addWidget(tag)
            lay.addWidget(e)
            self.edits[key] = e
        lay.addStretch(1)

    def value(self) -> Any:
        out: dict[str, int] = {}
        for key, e in self.edits.items():
            text = e.text().strip()
            if not text:
                continue
            number = _whole(text, f"{key}: ")
            if number < 0:
                raise ValueError(f"{key}: a count cannot be negative")
            out[key] = number
        given = [(k, out[k]) for k in self.KEYS if k in out]
        for (ka, a), (kb, b) in zip(given, given[1:], strict=False):
            if a > b:
                raise ValueError(f"{ka} {a} is above {kb} {b} (need low <= best <= high)")
        return out or None

    def set_value(self, value: Any) -> None:
        value = value or {}
        for key, e in self.edits.items():
            text = _format(value.get(key))
            if text != e.text():
                e.setText(text)

    def fields(self) -> list[QWidget]:
        return list(self.edits.values())


class _PlaceEditor(_GroupEditor):
    KEYS = ("name", "country", "admin1", "admin2", "lat", "lon")
    _CAPTIONS = {"name": "name", "country": "country", "admin1": "admin 1", "admin2": "admin 2"}
    _HINTS = {
        "name": "place name (required)",
        "country": "ISO code, e.g. ML",
        "admin1": "region / state",
        "admin2": "district / cercle",
        "lat": "-90 to 90",
        "lon": "-180 to 180",
    }

    def __init__(self, ad: AttributeDef) -> None:
        super().__init__(ad)
        lay = QFormLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setVerticalSpacing(2)
        lay.setHorizontalSpacing(4)
        lay.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.edits: dict[str, QLineEdit] = {}
        self._extra: dict[str, Any] = {}  # admin3, geonameid...: kept, not shown
        self._name = ""
        for key in self.KEYS:
            e = QLineEdit()
            e.setPlaceholderText(self._HINTS[key])
            e.setAccessibleName(f"{ad.label} {key}")
            self._wire(e)
            self.edits[key] = e
        self.edits["country"].setMaxLength(2)
        for key, caption in self._CAPTIONS.items():
            lay.addRow(self._caption(caption), self.edits[key])
        coords = QHBoxLayout()
        coords.setSpacing(3)
        coords.addWidget(self.edits["lat"])
        coords.addWidget(self._caption("lon"))
        coords.addWidget(self.edits["lon"])
        lay.addRow(self._caption("lat"), coords)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setEnabled(False)
        return label

    def value(self) -> Any:
        out: dict[str, Any] = {}
        for key, e in self.edits.items():
            text = e.text().strip()
            if not text:
                continue
            if key in ("lat", "lon"):
                number = _float(text, f"{key}: ")
                limit = 90 if key == "lat" else 180
                if not -limit <= number <= limit:
                    raise ValueError(f"{key} must be between -{limit} and {limit}")
                out[key] = number
            elif key == "country":
                if len(text) != 2 or not (text.isascii() and text.isalpha()):
                    raise ValueError("country: two letters (ISO 3166-1), e.g. ML")
                out[key] = text.upper()
            else:
                out[key] = text
        if not out:
            return None
        if "name" not in out:
            raise ValueError("a place needs a name")
        if ("lat" in out) != ("lon" in out):
            raise ValueError("give both lat and lon, or neither")
        for key, v in self._extra.items():
            if v is None or key in out:
                continue
            if key == "geonameid" and out["name"] != self._name:
                continue  # the gazetteer id named the old place
            out[key] = v
        return out

    def set_value(self, value: Any) -> None:
        value = dict(value or {})
        self._extra = {k: v for k, v in value.items() if k not in self.KEYS}
        self._name = value.get("name") or ""
        for key, e in self.edits.items():
            text = _format(value.get(key))
            if text != e.text():
                e.setText(text)

    def fields(self) -> list[QWidget]:
        return list(self.edits.values())


def _make_editor(ad: AttributeDef, actor_names: QStringListModel) -> _Editor:
    t = ad.type
    if t == "enum":
        return _ChoiceEditor(ad, [(choice_label(v, ad.value_labels), v) for v in ad.values or ()])
    if t == "boolean":
        return _ChoiceEditor(ad, [("yes", True), ("no", False)])
    if t == "integer":
        return _IntegerEditor(ad, "a whole number")
    if t == "number":
        return _NumberEditor(ad, "a number")
    if t == "count":
        return _CountEditor(ad)
    if t == "place":
        return _PlaceEditor(ad)
    if t == "date":
        return _LineEditor(ad, _DATE_HINT)
    if t == "actor":
        return _ActorEditor(ad, actor_names)
    return _LineEditor(ad, f"pattern {ad.pattern}" if ad.pattern else "")


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

    # ------------------------------------------------------------ content

    def set_attributes(
        self,
        defs: Sequence[AttributeDef],
        values: Mapping[str, Any],
        suggestions: Mapping[str, Any] | None = None,
    ) -> None:
        """Show ``values`` (and ``suggestions`` for what is not coded); emits nothing."""
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
            suggested = ad.id in self._suggestions
            ed.blockSignals(True)
            ed.set_value(self._suggestions[ad.id] if suggested else self._values.get(ad.id))
            ed.set_suggested(suggested)
            ed.blockSignals(False)
            error = page.errors[ad.id]
            if not error.isHidden():
                error.hide()

    def _show_page(self, defs: tuple[AttributeDef, ...]) -> _Page:
        page = next((p for p in self._pages if p.defs == defs), None)
        if page is None:
            page = _Page(defs, self._actor_names)
            for ed in page.editors.values():
                ed.committed.connect(partial(self._commit, ed.ad.id))
                ed.edited.connect(partial(self._edited, ed.ad.id))
                ed.set_read_only(self._read_only)
            for w in page.order:
                w.installEventFilter(self)
            self._box.insertWidget(0, page)
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

    def _commit(self, attribute: str) -> None:
        ed = self._editor(attribute)
        if self._read_only or ed.suggested:
            return  # a suggestion is stored only by accept_suggestions()
        value, problem = self._read(attribute)
        self._show_problem(attribute, problem)
        if problem:
            return
        old = self._values.get(attribute)
        if _same(value, old) or (value is None and old is None):
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
            if isinstance(obj, QLineEdit) and obj.property(_ATTR) in self._suggestions:
                obj.selectAll()  # typing replaces the suggestion; arrows keep it to adjust
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
