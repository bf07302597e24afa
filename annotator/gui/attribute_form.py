"""The structured form for one span's or claim's attributes: the right editor for each type.

Values are plain Python (str, int, float, bool, dict) as docs/contracts.md describes. The form
validates as the coder types and emits ``attribute_changed`` only for committed, valid changes;
suggestions are shown in grey italics until accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
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

_NONE = "—"
_SUGGESTED = "color: #6b6b6b; font-style: italic;"
_ERROR = "color: #b00020; font-size: 90%;"


def _label(value: str, labels: Mapping[str, str]) -> str:
    return labels.get(value) or value.replace("_", " ")


class _Editor(QWidget):
    """One attribute's editor. ``value()`` raises ValueError with the reason when invalid."""

    committed = Signal()
    edited = Signal()

    def __init__(self, ad: AttributeDef) -> None:
        super().__init__()
        self.ad = ad
        self.suggested = False

    def value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def fields(self) -> list[QWidget]:
        return [self.focus_widget()]

    def set_suggested(self, on: bool) -> None:
        self.suggested = on
        for w in self.fields():
            w.setStyleSheet(_SUGGESTED if on else "")
            w.setToolTip("suggestion: Enter (or Accept) to keep it, or edit it" if on else "")

    def set_read_only(self, on: bool) -> None:
        for w in self.fields():
            if isinstance(w, QLineEdit):
                w.setReadOnly(on)
            else:
                w.setEnabled(not on)


class _ChoiceEditor(_Editor):
    def __init__(self, ad: AttributeDef, choices: Sequence[tuple[str, Any]]) -> None:
        super().__init__(ad)
        self.box = QComboBox()
        self.box.addItem(_NONE, None)
        for text, data in choices:
            self.box.addItem(text, data)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box)
        # activated: only the user's choices (typing letters jumps to a match: type-ahead)
        self.box.activated.connect(lambda _i: self.committed.emit())

    def value(self) -> Any:
        return self.box.currentData()

    def set_value(self, value: Any) -> None:
        idx = self.box.findData(value) if value is not None else 0
        self.box.setCurrentIndex(max(idx, 0))

    def focus_widget(self) -> QWidget:
        return self.box


class _LineEditor(_Editor):
    def __init__(self, ad: AttributeDef, placeholder: str = "") -> None:
        super().__init__(ad)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
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
        self.edit.setText("" if value is None else self.format(value))

    def format(self, value: Any) -> str:
        return str(value)

    def focus_widget(self) -> QWidget:
        return self.edit


class _IntegerEditor(_LineEditor):
    def parse(self, text: str) -> Any:
        try:
            return int(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None


class _NumberEditor(_LineEditor):
    def parse(self, text: str) -> Any:
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        return int(number) if number.is_integer() and "." not in text else number


class _CountEditor(_Editor):
    def __init__(self, ad: AttributeDef) -> None:
        super().__init__(ad)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        for key in ("low", "best", "high"):
            e = QLineEdit()
            e.setPlaceholderText(key)
            e.setMaximumWidth(80)
            e.editingFinished.connect(self._maybe_commit)
            e.textEdited.connect(lambda _t: self.edited.emit())
            lay.addWidget(e)
            self.edits[key] = e
        lay.addStretch(1)

    def _maybe_commit(self) -> None:
        # leaving one box for another of the same count is not yet a commit
        focus = self.focusWidget()
        from PySide6.QtWidgets import QApplication

        now = QApplication.focusWidget()
        if now in self.edits.values() and focus is not None:
            return
        self.committed.emit()

    def value(self) -> Any:
        out: dict[str, int] = {}
        for key, e in self.edits.items():
            text = e.text().strip().replace(",", "")
            if not text:
                continue
            try:
                number = int(text)
            except ValueError:
                raise ValueError(f"{key}: {text!r} is not a whole number") from None
            if number < 0:
                raise ValueError(f"{key}: a count cannot be negative")
            out[key] = number
        return out or None

    def set_value(self, value: Any) -> None:
        value = value or {}
        for key, e in self.edits.items():
            v = value.get(key)
            e.setText("" if v is None else str(v))

    def focus_widget(self) -> QWidget:
        return self.edits["best"]

    def fields(self) -> list[QWidget]:
        return list(self.edits.values())


class _PlaceEditor(_Editor):
    _KEYS = ("name", "country", "admin1", "admin2", "lat", "lon")

    def __init__(self, ad: AttributeDef) -> None:
        super().__init__(ad)
        lay = QFormLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        self._extra: dict[str, Any] = {}
        hints = {"country": "two letters, e.g. ML", "lat": "-90 to 90", "lon": "-180 to 180"}
        for key in self._KEYS:
            e = QLineEdit()
            e.setPlaceholderText(hints.get(key, ""))
            e.editingFinished.connect(self._maybe_commit)
            e.textEdited.connect(lambda _t: self.edited.emit())
            lay.addRow(key, e)
            self.edits[key] = e

    def _maybe_commit(self) -> None:
        from PySide6.QtWidgets import QApplication

        if QApplication.focusWidget() in self.edits.values():
            return
        self.committed.emit()

    def value(self) -> Any:
        out: dict[str, Any] = {}
        for key, e in self.edits.items():
            text = e.text().strip()
            if not text:
                continue
            if key in ("lat", "lon"):
                try:
                    number = float(text)
                except ValueError:
                    raise ValueError(f"{key}: {text!r} is not a number") from None
                limit = 90 if key == "lat" else 180
                if not -limit <= number <= limit:
                    raise ValueError(f"{key} must be between -{limit} and {limit}")
                out[key] = number
            elif key == "country":
                if len(text) != 2 or not text.isalpha():
                    raise ValueError("country: two letters (ISO 3166-1), e.g. ML")
                out[key] = text.upper()
            else:
                out[key] = text
        if out and "name" not in out:
            raise ValueError("a place needs a name")
        if not out:
            return None
        for k, v in self._extra.items():  # admin3, geonameid... kept as they were
            if v is not None and k not in out:
                out[k] = v
        return out

    def set_value(self, value: Any) -> None:
        value = dict(value or {})
        self._extra = {k: v for k, v in value.items() if k not in self._KEYS}
        for key, e in self.edits.items():
            v = value.get(key)
            e.setText("" if v is None else str(v))

    def focus_widget(self) -> QWidget:
        return self.edits["name"]

    def fields(self) -> list[QWidget]:
        return list(self.edits.values())


def make_editor(ad: AttributeDef) -> _Editor:
    if ad.type == "enum":
        return _ChoiceEditor(ad, [(_label(v, ad.value_labels), v) for v in ad.values or ()])
    if ad.type == "boolean":
        return _ChoiceEditor(ad, [("yes", True), ("no", False)])
    if ad.type == "integer":
        return _IntegerEditor(ad, "a whole number")
    if ad.type == "number":
        return _NumberEditor(ad, "a number")
    if ad.type == "count":
        return _CountEditor(ad)
    if ad.type == "place":
        return _PlaceEditor(ad)
    if ad.type == "date":
        return _LineEditor(ad, "EDTF: 2023-12-03, 2023-12, 2023-12-01/2023-12-06, 2023-11~")
    if ad.type == "actor":
        return _LineEditor(ad, "canonical name from the actor list")
    return _LineEditor(ad, ad.pattern and f"pattern {ad.pattern}" or "")


class AttributeForm(QWidget):
    """One editor row per attribute; emits ``attribute_changed(id, value or None)``."""

    attribute_changed = Signal(str, object)
    suggestions_accepted = Signal(dict)  # every shown suggestion at once (one undo step)
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout()
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._layout.setContentsMargins(4, 4, 4, 4)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._layout)
        outer.addStretch(1)
        self._defs: tuple[AttributeDef, ...] = ()
        self._editors: dict[str, _Editor] = {}
        self._errors: dict[str, QLabel] = {}
        self._values: dict[str, Any] = {}
        self._suggestions: dict[str, Any] = {}
        self._actor_names: list[str] = []
        self._read_only = False

    # ------------------------------------------------------------ content

    def set_attributes(
        self,
        defs: Sequence[AttributeDef],
        values: Mapping[str, Any],
        suggestions: Mapping[str, Any] | None = None,
    ) -> None:
        defs = tuple(defs)
        if defs != self._defs:
            self._rebuild(defs)
        self._values = dict(values)
        self._suggestions = {
            k: v for k, v in (suggestions or {}).items() if k in self._editors and values.get(k) is None
        }
        for ad in defs:
            ed = self._editors[ad.id]
            ed.blockSignals(True)
            shown = values.get(ad.id)
            suggested = shown is None and ad.id in self._suggestions
            ed.set_value(self._suggestions[ad.id] if suggested else shown)
            ed.set_suggested(suggested)
            ed.blockSignals(False)
            self._errors[ad.id].hide()

    def _rebuild(self, defs: tuple[AttributeDef, ...]) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors.clear()
        self._errors.clear()
        self._defs = defs
        previous: QWidget | None = None
        for ad in defs:
            ed = make_editor(ad)
            if ad.type == "actor" and self._actor_names:
                self._set_completer(ed)
            label = QLabel(ad.label)
            if ad.definition:
                label.setToolTip(ad.definition)
                ed.setToolTip(ad.definition)
            error = QLabel()
            error.setStyleSheet(_ERROR)
            error.setWordWrap(True)
            error.hide()
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(1)
            bl.addWidget(ed)
            bl.addWidget(error)
            self._layout.addRow(label, box)
            label.setBuddy(ed.focus_widget())
            ed.committed.connect(lambda a=ad.id: self._commit(a))
            ed.edited.connect(lambda a=ad.id: self._validate(a))
            for w in ed.fields():
                w.installEventFilter(self)
                if previous is not None:
                    QWidget.setTabOrder(previous, w)
                previous = w
            ed.set_read_only(self._read_only)
            self._editors[ad.id] = ed
            self._errors[ad.id] = error

    def set_actor_names(self, names: Sequence[str]) -> None:
        self._actor_names = list(names)
        for ed in self._editors.values():
            if ed.ad.type == "actor":
                self._set_completer(ed)

    def _set_completer(self, ed: _Editor) -> None:
        if isinstance(ed, _LineEditor):
            comp = QCompleter(self._actor_names, ed)
            comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            comp.setFilterMode(Qt.MatchFlag.MatchContains)
            ed.edit.setCompleter(comp)

    def set_read_only(self, on: bool) -> None:
        self._read_only = on
        for ed in self._editors.values():
            ed.set_read_only(on)

    # ------------------------------------------------------------ validation and commits

    def _check(self, attribute: str) -> tuple[Any, str | None]:
        ed = self._editors[attribute]
        try:
            value = ed.value()
        except ValueError as exc:
            return None, str(exc)
        if value is None:
            return None, None
        return value, ed.ad.check(value)

    def _validate(self, attribute: str) -> bool:
        ed = self._editors[attribute]
        if ed.suggested:
            ed.set_suggested(False)  # editing replaces the suggestion
            self._suggestions.pop(attribute, None)
        _, problem = self._check(attribute)
        error = self._errors[attribute]
        if problem:
            error.setText(problem)
            error.show()
        else:
            error.hide()
        return problem is None

    def _commit(self, attribute: str) -> None:
        ed = self._editors[attribute]
        if ed.suggested:
            return  # a suggestion is committed only by accept_suggestions()
        if not self._validate(attribute):
            return
        value, _ = self._check(attribute)
        if value != self._values.get(attribute):
            self._values[attribute] = value
            self.attribute_changed.emit(attribute, value)

    def error_text(self, attribute: str) -> str:
        label = self._errors.get(attribute)
        return label.text() if label is not None and not label.isHidden() else ""

    def editor(self, attribute: str) -> _Editor:
        return self._editors[attribute]

    # ------------------------------------------------------------ suggestions

    def has_suggestions(self) -> bool:
        return any(self._editors[k].suggested for k in self._suggestions if k in self._editors)

    def accept_suggestions(self) -> None:
        accepted = {}
        for attribute, value in list(self._suggestions.items()):
            ed = self._editors.get(attribute)
            if ed is None or not ed.suggested:
                continue
            ed.set_suggested(False)
            self._values[attribute] = value
            accepted[attribute] = value
        self._suggestions.clear()
        if accepted:
            self.suggestions_accepted.emit(accepted)

    # ------------------------------------------------------------ keyboard

    def focus_first(self) -> None:
        if self._defs:
            self._editors[self._defs[0].id].focus_widget().setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.escape_pressed.emit()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.has_suggestions():
                self.accept_suggestions()
                return True
        return super().eventFilter(obj, event)
