"""The attribute form: one editor per attribute type, driven from the keyboard as a coder would."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from annotator.core import values
from annotator.core.codebook import AttributeDef, load_default_codebook
from annotator.gui.attribute_editors import SUGGESTION_TIP
from annotator.gui.attribute_form import NOT_CODED, AttributeForm
from tests.core.test_values import BAD_PLACES

KEY = Qt.Key
CB = load_default_codebook()


def attrs(type_id: str) -> tuple[AttributeDef, ...]:
    st = CB.span_type(type_id)
    assert st is not None
    return st.attributes


class Collector:
    def __init__(self, form: AttributeForm) -> None:
        self.changes: list[tuple[str, Any]] = []
        self.escapes = 0
        form.attribute_changed.connect(lambda a, v: self.changes.append((a, v)))
        form.escape_pressed.connect(self._escape)

    def _escape(self) -> None:
        self.escapes += 1


@pytest.fixture
def form(qtbot) -> AttributeForm:
    f = AttributeForm()
    f.resize(420, 560)  # an empty, zero-sized window never becomes active offscreen
    qtbot.addWidget(f)
    f.show()
    qtbot.waitExposed(f)
    f.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is f)
    return f


@pytest.fixture
def got(form: AttributeForm) -> Collector:
    return Collector(form)


def box(form: AttributeForm, attribute: str) -> QComboBox:
    (w,) = form.editor_fields(attribute)
    assert isinstance(w, QComboBox)
    return w


def line(form: AttributeForm, attribute: str, index: int = 0) -> QLineEdit:
    w = form.editor_fields(attribute)[index]
    assert isinstance(w, QLineEdit)
    return w


def type_into(qtbot, edit: QLineEdit, text: str, enter: bool = True) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)
    if enter:
        qtbot.keyClick(edit, KEY.Key_Return)


# ------------------------------------------------------------------ enum and boolean


def test_enum_lists_not_coded_then_labels_in_codebook_order(form) -> None:
    form.set_attributes(attrs("location"), {})
    precision = box(form, "precision")
    shown = [precision.itemText(i) for i in range(precision.count())]
    assert shown == [
        NOT_CODED, "site", "place", "near place", "admin3", "admin2", "admin1", "region", "country"
    ]
    assert precision.currentText() == NOT_CODED


def test_enum_selection_emits_the_value(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    status = box(form, "status")
    status.setFocus()
    qtbot.keyClick(status, KEY.Key_Down)
    qtbot.keyClick(status, KEY.Key_Down)
    assert got.changes == [("status", "killed"), ("status", "executed")]
    assert status.currentText() == "executed"


def test_choosing_not_coded_emits_none(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {"status": "wounded", "unit": "persons"})
    status = box(form, "status")
    assert status.currentText() == "wounded"
    status.setFocus()
    qtbot.keyClick(status, KEY.Key_Home)
    assert status.currentText() == NOT_CODED
    assert got.changes == [("status", None)]


def test_type_ahead_selects_the_matching_value(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    status = box(form, "status")
    status.setFocus()
    qtbot.keyClicks(status, "wo")
    assert status.currentText() == "wounded"
    assert got.changes[-1] == ("status", "wounded")
    kind = box(form, "quantity_kind")
    kind.setFocus()
    qtbot.wait(QApplication.keyboardInputInterval() + 50)
    qtbot.keyClicks(kind, "at m")  # labels have spaces: "at most"
    assert got.changes[-1] == ("quantity_kind", "at_most")


def test_value_labels_are_shown_when_the_codebook_has_them(form, got) -> None:
    ad = AttributeDef(
        "stage", "Stage", "enum", "nominal", values=("accomplished", "attempted"),
        value_labels={"accomplished": "Carried out"},
    )
    form.set_attributes([ad], {"stage": "accomplished"})
    stage = box(form, "stage")
    assert [stage.itemText(i) for i in range(3)] == [NOT_CODED, "Carried out", "attempted"]
    assert stage.currentText() == "Carried out"
    assert got.changes == []


def test_boolean_yes_no_and_not_coded(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    agg = box(form, "aggregate")
    assert [agg.itemText(i) for i in range(agg.count())] == [NOT_CODED, "yes", "no"]
    agg.setFocus()
    qtbot.keyClick(agg, KEY.Key_Down)
    qtbot.keyClick(agg, KEY.Key_Down)
    qtbot.keyClick(agg, KEY.Key_Home)
    assert got.changes == [("aggregate", True), ("aggregate", False), ("aggregate", None)]
    form.set_attributes(attrs("casualty_count"), {"aggregate": False})
    assert agg.currentText() == "no"  # false is not "not coded"


# ------------------------------------------------------------------ count


def test_count_emits_only_the_given_keys(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    low, best, high = (line(form, "count", i) for i in range(3))
    type_into(qtbot, low, "20", enter=False)
    qtbot.keyClick(low, KEY.Key_Tab)  # what was typed is stored as soon as the field is left
    assert QApplication.focusWidget() is best
    assert got.changes == [("count", {"low": 20})]
    qtbot.keyClicks(best, "25")
    qtbot.keyClick(best, KEY.Key_Return)
    assert got.changes == [("count", {"low": 20}), ("count", {"low": 20, "best": 25})]
    assert high.text() == ""


def test_count_commits_when_focus_leaves_it(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    high = line(form, "count", 2)
    type_into(qtbot, high, "40", enter=False)
    qtbot.keyClick(high, KEY.Key_Tab)
    assert QApplication.focusWidget() is line(form, "vague_word")
    assert got.changes == [("count", {"high": 40})]


def test_count_refuses_low_above_high_with_a_visible_message(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    low, _best, high = (line(form, "count", i) for i in range(3))
    type_into(qtbot, low, "30", enter=False)
    type_into(qtbot, high, "20")
    assert got.changes == [("count", {"low": 30})]  # stored as typed; 30..20 is refused
    assert "low 30 is above high 20" in form.error_text("count")
    high.setFocus()
    qtbot.keyClick(high, KEY.Key_Backspace)
    qtbot.keyClick(high, KEY.Key_Backspace)
    qtbot.keyClicks(high, "35")  # fixed as the coder types: the message goes
    assert form.error_text("count") == ""
    qtbot.keyClick(high, KEY.Key_Return)
    assert got.changes == [("count", {"low": 30}), ("count", {"low": 30, "high": 35})]


def test_count_refuses_words(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {"count": {"best": 3}})
    best = line(form, "count", 1)
    assert best.text() == "3"
    best.selectAll()
    type_into(qtbot, best, "dozens")
    assert "not a whole number" in form.error_text("count")
    assert got.changes == []


# ------------------------------------------------------------------ date, integer, text, actor


def test_date_refuses_prose_and_accepts_an_interval(qtbot, form, got) -> None:
    form.set_attributes(attrs("date"), {})
    value = line(form, "value")
    assert "2023-12-01/2023-12-06" in value.placeholderText()
    type_into(qtbot, value, "3 December")
    assert "not an EDTF date" in form.error_text("value")
    assert got.changes == []
    value.selectAll()
    type_into(qtbot, value, "2023-12-01/2023-12-06")
    assert form.error_text("value") == ""
    assert got.changes == [("value", "2023-12-01/2023-12-06")]


def test_date_qualifiers_and_clearing(qtbot, form, got) -> None:
    form.set_attributes(attrs("date"), {"value": "2023-12"})
    value = line(form, "value")
    value.selectAll()
    type_into(qtbot, value, "2023-12~")
    value.selectAll()
    qtbot.keyClick(value, KEY.Key_Delete)
    qtbot.keyClick(value, KEY.Key_Return)
    assert got.changes == [("value", "2023-12~"), ("value", None)]


def test_integer_refuses_12a_live_and_on_enter(qtbot, form, got) -> None:
    deaths = AttributeDef("deaths", "Deaths", "integer", "ratio")
    share = AttributeDef("share", "Share", "number", "ratio")
    form.set_attributes([deaths, share], {})
    edit = line(form, "deaths")
    type_into(qtbot, edit, "12a", enter=False)
    assert form.error_text("deaths") == "'12a' is not a whole number"  # shown while typing
    qtbot.keyClick(edit, KEY.Key_Return)
    assert got.changes == []
    qtbot.keyClick(edit, KEY.Key_Backspace)
    assert form.error_text("deaths") == ""
    qtbot.keyClick(edit, KEY.Key_Return)
    type_into(qtbot, line(form, "share"), "inf")
    assert form.error_text("share") == "'inf' is not a number"
    line(form, "share").selectAll()
    type_into(qtbot, line(form, "share"), "0.5")
    assert got.changes == [("deaths", 12), ("share", 0.5)]
    assert type(got.changes[0][1]) is int


def test_enter_twice_emits_once(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    word = line(form, "vague_word")
    type_into(qtbot, word, "dozens")
    qtbot.keyClick(word, KEY.Key_Return)
    assert got.changes == [("vague_word", "dozens")]


def test_text_pattern_is_checked(qtbot, form, got) -> None:
    form.set_attributes(attrs("actor"), {})
    country = line(form, "country")
    type_into(qtbot, country, "Mali")
    assert "does not match the pattern" in form.error_text("country")
    assert "(for example IQ)" in form.error_text("country")
    country.selectAll()
    type_into(qtbot, country, "ML")
    assert got.changes == [("country", "ML")]


def test_actor_names_complete(qtbot, form, got) -> None:
    form.set_attributes(attrs("actor"), {})
    form.set_actor_names(["Malian Armed Forces", "Wagner Group"])
    name = line(form, "canonical_name")
    completer = name.completer()
    assert completer is not None
    model = completer.model()
    assert [model.index(i, 0).data() for i in range(model.rowCount())] == [
        "Malian Armed Forces", "Wagner Group"
    ]
    completer.setCompletionPrefix("wag")
    assert completer.currentCompletion() == "Wagner Group"  # case-insensitive
    name.setFocus()
    qtbot.keyClicks(name, "wag")
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, KEY.Key_Down)
    qtbot.keyClick(popup, KEY.Key_Return)
    assert name.text() == "Wagner Group"
    assert got.changes == [("canonical_name", "Wagner Group")]


# ------------------------------------------------------------------ place


def test_place_emits_only_the_given_keys(qtbot, form, got) -> None:
    form.set_attributes(attrs("location"), {})
    name, country = line(form, "place", 0), line(form, "place", 1)
    type_into(qtbot, name, "Tessit", enter=False)
    qtbot.keyClick(name, KEY.Key_Tab)
    assert QApplication.focusWidget() is country
    qtbot.keyClicks(country, "ml")
    qtbot.keyClick(country, KEY.Key_Return)
    assert got.changes == [("place", {"name": "Tessit"}), ("place", {"name": "Tessit", "country": "ML"})]
    assert country.text() == "ML"


def test_place_needs_a_name_and_sane_coordinates(qtbot, form, got) -> None:
    form.set_attributes(attrs("location"), {})
    country, lat, lon = (line(form, "place", i) for i in (1, 4, 5))
    type_into(qtbot, country, "ML")
    assert form.error_text("place") == "a place needs a name"
    type_into(qtbot, line(form, "place", 0), "Gao")
    assert got.changes == [("place", {"name": "Gao", "country": "ML"})]
    type_into(qtbot, lat, "95", enter=False)
    type_into(qtbot, lon, "0.05")
    assert form.error_text("place") == "lat must be between -90 and 90"
    lat.selectAll()
    type_into(qtbot, lat, "16.27")
    assert got.changes[-1] == ("place", {"name": "Gao", "country": "ML", "lat": 16.27, "lon": 0.05})


def test_place_keeps_keys_it_does_not_show(qtbot, form, got) -> None:
    stored = {"name": "Tessit", "admin3": "Tessit", "geonameid": 2449893}
    form.set_attributes(attrs("location"), {"place": stored})
    type_into(qtbot, line(form, "place", 2), "Gao")
    assert got.changes == [("place", {**stored, "admin1": "Gao"})]


# ------------------------------------------------------------------ refresh and suggestions


def test_same_defs_reuse_widgets_and_emit_nothing(qtbot, form, got) -> None:
    defs = (*attrs("casualty_count"), AttributeDef("deaths", "Deaths", "integer", "ratio"))
    assert len(defs) == 8
    form.set_attributes(defs, {"status": "killed"})
    before = {a.id: form.editor_fields(a.id) for a in defs}
    values = {"status": "wounded", "count": {"best": 7}, "aggregate": True, "deaths": 3}
    for i in range(50):  # the time per refresh: benchmarks/bench_window.py
        form.set_attributes(list(defs), values if i % 2 else {"vague_word": "many"})
    form.set_attributes(list(defs), values)
    assert {a.id: form.editor_fields(a.id) for a in defs} == before
    assert box(form, "status").currentText() == "wounded"
    assert line(form, "count", 1).text() == "7"
    assert box(form, "aggregate").currentText() == "yes"
    assert line(form, "vague_word").text() == ""
    assert got.changes == []


def test_switching_attribute_sets_and_back_reuses_the_page(form, got) -> None:
    form.set_attributes(attrs("actor"), {})
    actor_box = box(form, "actor_type")
    form.set_attributes(attrs("date"), {"value": "2023"})
    assert form.attribute_ids() == ["value", "granularity", "anchor"]
    assert not actor_box.isVisible()
    form.set_attributes(attrs("actor"), {"actor_type": "militia"})
    assert box(form, "actor_type") is actor_box and actor_box.isVisible()
    assert actor_box.currentText() == "militia"
    assert got.changes == []


def test_refresh_hides_old_messages(qtbot, form) -> None:
    form.set_attributes(attrs("date"), {})
    type_into(qtbot, line(form, "value"), "soon")
    assert form.error_text("value")
    form.set_attributes(attrs("date"), {"value": "2024"})
    assert form.error_text("value") == ""


def test_suggestions_are_shown_then_accepted(qtbot, form, got) -> None:
    suggestions = {"count": {"best": 12}, "status": "killed", "unit": "persons", "vague_word": "x"}
    form.set_attributes(attrs("casualty_count"), {"unit": "vehicles"}, suggestions)
    assert form.has_suggestions()
    status, best = box(form, "status"), line(form, "count", 1)
    assert status.currentText() == "killed" and best.text() == "12"
    assert status.font().italic() and best.font().italic()
    normal = form.palette().color(QPalette.ColorRole.Text)
    assert best.palette().color(QPalette.ColorRole.Text) != normal  # grey
    assert status.toolTip() == SUGGESTION_TIP
    assert box(form, "unit").currentText() == "vehicles"  # coded values win
    assert not form.is_suggested("unit")
    assert got.changes == []  # shown, not stored
    type_into(qtbot, line(form, "vague_word"), "many")  # editing replaces the suggestion
    assert got.changes == [("vague_word", "many")]
    accepted = form.accept_suggestions()
    assert accepted == {"count": {"best": 12}, "status": "killed"}
    assert sorted(got.changes[1:]) == [("count", {"best": 12}), ("status", "killed")]
    assert not form.has_suggestions()
    assert not status.font().italic() and not best.font().italic()
    assert best.palette().color(QPalette.ColorRole.Text) == normal
    assert form.accept_suggestions() == {}


def test_enter_in_a_suggested_field_accepts_and_batch_signal(qtbot, form, got) -> None:
    batches: list[dict] = []
    form.suggestions_accepted.connect(batches.append)
    form.set_attributes(attrs("date"), {}, {"value": "2023-12-03", "granularity": "day"})
    value = line(form, "value")
    value.setFocus()
    qtbot.keyClick(value, KEY.Key_Return)
    assert batches == [{"value": "2023-12-03", "granularity": "day"}]
    assert got.changes == []  # the batch replaces per-attribute signals when connected
    assert not form.has_suggestions()


def test_choosing_over_a_suggestion_commits_the_choice(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {}, {"status": "killed"})
    status = box(form, "status")
    status.setFocus()
    qtbot.keyClick(status, KEY.Key_Down)
    assert got.changes == [("status", "executed")]
    assert not form.has_suggestions()


def test_invalid_suggestions_are_not_shown(form) -> None:
    form.set_attributes(attrs("casualty_count"), {}, {"status": "vaporized", "count": {"x": 1}})
    assert not form.has_suggestions()
    assert box(form, "status").currentText() == NOT_CODED


# ------------------------------------------------------------------ keyboard and read-only


def test_focus_first_and_tab_order(qtbot, form) -> None:
    form.set_attributes(attrs("location"), {})
    order = [*form.editor_fields("place"), box(form, "precision"), box(form, "relation")]
    form.focus_first()
    assert QApplication.focusWidget() is order[0]
    for expected in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), KEY.Key_Tab)
        assert QApplication.focusWidget() is expected
    qtbot.keyClick(QApplication.focusWidget(), KEY.Key_Backtab)
    assert QApplication.focusWidget() is order[-2]


def test_escape_emits_escape_pressed(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {})
    for widget in (line(form, "count", 0), box(form, "status"), line(form, "vague_word")):
        widget.setFocus()
        qtbot.keyClick(widget, KEY.Key_Escape)
    assert got.escapes == 3
    assert got.changes == []


def test_read_only_takes_no_input(qtbot, form, got) -> None:
    form.set_attributes(attrs("casualty_count"), {"status": "killed"})
    form.set_read_only(True)
    status = box(form, "status")
    status.setFocus()
    qtbot.keyClick(status, KEY.Key_Down)
    qtbot.keyClicks(status, "w")
    word = line(form, "vague_word")
    type_into(qtbot, word, "many")
    assert status.currentText() == "killed" and word.text() == ""
    assert got.changes == []
    form.set_read_only(False)
    status.setFocus()
    qtbot.keyClick(status, KEY.Key_Down)
    assert got.changes == [("status", "executed")]


# ------------------------------------------------------------------ the same rule as import


@pytest.mark.parametrize(("place", "message"), BAD_PLACES)
def test_the_form_refuses_what_import_refuses(qtbot, form, got, place: dict, message: str) -> None:
    """tests/core/test_values.py imports the same values and sees the same refusals."""
    form.set_attributes(attrs("location"), {})
    edits = {key: line(form, "place", i) for i, key in enumerate(values.PLACE_PARTS)}
    edits["country"].setMaxLength(32767)  # the field's limit is a help, not the rule
    typed = [k for k in values.PLACE_PARTS if k in place]
    for key in typed:
        type_into(qtbot, edits[key], str(place[key]), enter=key == typed[-1])
    assert form.error_text("place") == message
    assert place not in [value for _attr, value in got.changes]  # (the name alone may be stored)
    core = load_default_codebook().check_span("location", {"place": place})
    assert core == [f"attribute 'place': {message}"]


def test_text_field_hint_is_for_coders(qtbot, form) -> None:
    """An empty text field shows the codebook's examples (or its definition), not its pattern:
    a regular expression says nothing to a coder."""
    form.set_attributes(attrs("actor"), {})
    assert line(form, "country").placeholderText() == "e.g. IQ, SY, NG"
    assert "^" not in line(form, "country").placeholderText()
