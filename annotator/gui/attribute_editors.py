"""The editors of one attribute each, by value type (choice, line, count, place, actor).

``value()`` returns plain Python or raises ValueError with the reason; the form
(attribute_form.py) validates, stores and styles them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from annotator.core import values
from annotator.core.codebook import AttributeDef
from annotator.core.values import choice_label

NOT_CODED = "—"  # the first entry of every choice box
SUGGESTION_TIP = "suggestion — Enter to accept"
_ERROR_CSS = "color: #b00020;"
_ATTR = "attribute_id"  # dynamic property naming the attribute a field belongs to
AUTOSAVE_MS = 300  # typing is stored after this pause (and at once on leaving the field)
_DATE_HINT = "EDTF: 2023-12-03, 2023-12, 2023-12-01/2023-12-06, 2023-12~"


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type (so True is not 1 and 12 is not 12.0)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _format(value: Any) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------- editors


def _suggested_look(w: QWidget, on: bool) -> None:
    """A suggested value in grey italics (the palette's placeholder colour), or the field's
    own look again. Palette and font, not a style sheet: one is parsed and the field polished
    again each time, on every tag that brings suggestions."""
    if on:
        pal = QPalette(w.palette())
        grey = pal.color(QPalette.ColorRole.PlaceholderText)
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            pal.setColor(role, grey)
        w.setPalette(pal)
        font = QFont(w.font())
        font.setItalic(True)
        w.setFont(font)
    else:
        w.setPalette(QPalette())  # nothing of its own: the form's palette and font again
        w.setFont(QFont())


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
            _suggested_look(w, on)
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

    def value(self) -> Any:
        return values.parse(self.ad, self.edit.text())  # the core rule of the value type

    def set_value(self, value: Any) -> None:
        text = _format(value)
        if text != self.edit.text():
            self.edit.setText(text)

    def fields(self) -> list[QWidget]:
        return [self.edit]


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

    edits: dict[str, QLineEdit]

    def _show_parts(self, value: Mapping[str, Any]) -> None:
        for key, e in self.edits.items():
            text = _format(value.get(key))
            if text != e.text():
                e.setText(text)

    def fields(self) -> list[QWidget]:
        return list(self.edits.values())


class _CountEditor(_GroupEditor):
    KEYS = values.COUNT_PARTS

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
        return values.parse(self.ad, {k: e.text() for k, e in self.edits.items()})

    def set_value(self, value: Any) -> None:
        self._show_parts(value or {})


class _PlaceEditor(_GroupEditor):
    KEYS = values.PLACE_PARTS
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
        out = values.parse(self.ad, {k: e.text() for k, e in self.edits.items()})
        if out is None:
            return None
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
        self._show_parts(value)


def _make_editor(ad: AttributeDef, actor_names: QStringListModel) -> _Editor:
    t = ad.type
    if t == "enum":
        return _ChoiceEditor(ad, [(choice_label(v, ad.value_labels), v) for v in ad.values or ()])
    if t == "boolean":
        return _ChoiceEditor(ad, [("yes", True), ("no", False)])
    if t == "integer":
        return _LineEditor(ad, "a whole number")
    if t == "number":
        return _LineEditor(ad, "a number")
    if t == "count":
        return _CountEditor(ad)
    if t == "place":
        return _PlaceEditor(ad)
    if t == "date":
        return _LineEditor(ad, _DATE_HINT)
    if t == "actor":
        return _ActorEditor(ad, actor_names)
    return _LineEditor(ad, values.text_hint(ad))
