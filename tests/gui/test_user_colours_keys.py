"""A coder's own colours and keys (File → Settings → User) reach every place they show."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from annotator.core.coding_keys import coding_key_defs, user_codebook
from annotator.core.project import Project
from annotator.core.userconfig import OKABE_ITO, UserConfig, load_user_config, save_user_config
from annotator.gui.app import open_window
from annotator.gui.span_list import SpanModel

ACTOR_OKABE = OKABE_ITO[0]  # actor is the codebook's first span type
LOCATION_OKABE = OKABE_ITO[1]


def _activate(qtbot, window) -> None:
    """Coding keys act while the text has the focus: the window must be the active one."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _open(qtbot, project: Project):
    QSettings().setValue(f"coder/{project.location}", "tester")
    w = open_window(project)
    qtbot.addWidget(w)
    _activate(qtbot, w)
    return w


def _select(window, needle: str) -> None:
    pos = window.report_text.index(needle)
    window.text.select_range(pos, pos + len(needle))
    window.text.setFocus()


def _settings(qtbot, window):
    """Ctrl+, opens Settings on its User tab."""
    qtbot.keyClick(window.text, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dlg = window.settings_dialog
    _activate(qtbot, dlg)
    dlg.tabs.setCurrentIndex(1)
    return dlg


def _press_key_in(qtbot, dlg, name: str, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    edit = dlg.key_edits[name]
    edit.clear()
    edit.setFocus()
    qtbot.keyClick(edit, key, mods)


def _next_window(qtbot, window):
    qtbot.waitUntil(lambda: getattr(window, "next_window", None) is not None)
    new = window.next_window
    qtbot.addWidget(new)
    _activate(qtbot, new)
    return new


def _sheet_keys(qtbot, window) -> dict[str, str]:
    qtbot.keyClick(window.text, Qt.Key.Key_F1)
    table = window.shortcut_dialog.findChild(QTableWidget, "shortcuts")
    rows = {table.item(r, 1).text(): table.item(r, 0).text()
            for r in range(table.rowCount()) if table.item(r, 1) is not None}
    window.shortcut_dialog.close()
    return rows


def test_the_colour_blind_palette_reaches_every_place_a_type_colour_shows(qtbot, gui_project) -> None:
    save_user_config(UserConfig(palette="okabe-ito"))
    w = _open(qtbot, gui_project)
    assert ACTOR_OKABE not in {t.color for t in gui_project.codebook.span_types}  # it changes
    _select(w, "gunmen")
    qtbot.keyClick(w.text, Qt.Key.Key_1)
    # the text highlight
    assert w.text._colors["actor"] == ACTOR_OKABE
    # the span list's type column
    assert isinstance(w.span_model, SpanModel)
    colour = w.span_model.data(w.span_model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert colour.name().upper() == ACTOR_OKABE
    # the tag buttons (the type legend above the text)
    assert ACTOR_OKABE in w.palette_buttons["actor"].styleSheet()
    assert LOCATION_OKABE in w.palette_buttons["location"].styleSheet()
    # the form's title band of the current span
    assert ACTOR_OKABE in w.form.title.styleSheet()
    # suggested spans
    assert w.suggestions_view.colors["location"].name().upper() == LOCATION_OKABE
    w.close()


def test_the_review_window_uses_the_palette_too(qtbot, gui_project) -> None:
    from annotator.gui.review_window import ReviewWindow

    save_user_config(UserConfig(palette="okabe-ito"))
    gui_project.coder_id("rita", create=True, role="reviewer")
    rw = ReviewWindow(gui_project, "rita")
    qtbot.addWidget(rw)
    assert rw.colors["actor"] == ACTOR_OKABE and rw.colors["location"] == LOCATION_OKABE


def test_choosing_the_palette_in_settings_recolours_the_window_on_the_same_report(
        qtbot, gui_project, on_postgres: bool) -> None:
    w = _open(qtbot, gui_project)
    w.queue_panel.select_row(1)
    report = w.report_id
    dlg = _settings(qtbot, w)
    dlg.palette_box.setFocus()
    qtbot.keyClick(dlg.palette_box, Qt.Key.Key_End)  # the last palette: Okabe-Ito
    qtbot.keyClick(dlg.palette_box, Qt.Key.Key_Return)  # OK
    new = _next_window(qtbot, w)
    assert load_user_config().palette == "okabe-ito"
    assert ACTOR_OKABE in new.palette_buttons["actor"].styleSheet()
    assert new.text._colors["actor"] == ACTOR_OKABE
    assert new.report_id == report  # the coder stays where they were
    assert not w.isVisible()
    assert not w.autobackup.timer.isActive()  # the replaced window's timer stopped
    # one timer left running (automatic backups are SQLite's: pg_dump backs PostgreSQL up)
    assert new.autobackup.timer.isActive() is not on_postgres
    new.close()
    QApplication.processEvents()


def test_a_remapped_tag_key_tags_and_shows_everywhere(qtbot, gui_project) -> None:
    w = _open(qtbot, gui_project)
    dlg = _settings(qtbot, w)
    assert "tag.actor" in dlg.key_edits and "slot.p" in dlg.key_edits
    _press_key_in(qtbot, dlg, "tag.actor", Qt.Key.Key_Q)
    dlg.accept()
    assert load_user_config().keys == {"tag.actor": "q"}  # the user's config, not the project
    new = _next_window(qtbot, w)
    _select(new, "gunmen")
    qtbot.keyClick(new.text, Qt.Key.Key_Q)
    (span,) = gui_project.spans(new.report_id, new.coder_id)
    assert span.type == "actor" and span.text == "gunmen"
    _select(new, "Tessit")
    qtbot.keyClick(new.text, Qt.Key.Key_1)  # the old key no longer tags
    assert len(gui_project.spans(new.report_id, new.coder_id)) == 1
    _select(new, "Tessit")
    qtbot.keyClick(new.text, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # Alt+ follows it
    assert len(gui_project.spans(new.report_id, new.coder_id)) == 2
    assert new.palette_buttons["actor"].text().endswith("q")
    assert _sheet_keys(qtbot, new)["Tag as Actor"] == "Q, Alt+Q"
    new.close()
    QApplication.processEvents()


def test_a_remapped_slot_key_fills_the_slot(qtbot, gui_project) -> None:
    save_user_config(UserConfig(keys={"slot.p": "x"}))
    w = _open(qtbot, gui_project)
    _select(w, "gunmen")
    qtbot.keyClick(w.text, Qt.Key.Key_1)
    qtbot.keyClick(w.text, Qt.Key.Key_A)  # a new attack claim
    pos = w.report_text.index("gunmen")
    w.text.select_range(pos + 1, pos + 1)
    qtbot.keyClick(w.text, Qt.Key.Key_X)
    (claim,) = gui_project.claims(w.report_id, w.coder_id)
    (span,) = gui_project.spans(w.report_id, w.coder_id)
    assert claim.slots == {"perpetrator": [span.id]}
    assert "x Perpetrator" in w.claim_strip.text()
    qtbot.keyClick(w.text, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)  # Shift+ follows
    assert gui_project.claims(w.report_id, w.coder_id)[0].slots == {"perpetrator": "not_reported"}
    sheet = _sheet_keys(qtbot, w)
    assert sheet["Fill the slot Perpetrator with the current span"] == "X"
    assert sheet["Mark Perpetrator not reported (again: clear)"] == "Shift+X"
    w.close()


def test_a_clashing_or_long_key_is_refused_with_a_message(qtbot, gui_project) -> None:
    w = _open(qtbot, gui_project)
    dlg = _settings(qtbot, w)
    _press_key_in(qtbot, dlg, "tag.actor", Qt.Key.Key_N)  # N is Next span
    dlg.accept()
    assert dlg.isVisible() and "N is used by both Next span and Tag as Actor" in dlg.error.text()
    _press_key_in(qtbot, dlg, "tag.actor", Qt.Key.Key_A)  # a starts an attack claim
    dlg.accept()
    assert "A is used by both Tag as Actor and New Attack claim" in dlg.error.text()
    _press_key_in(qtbot, dlg, "slot.p", Qt.Key.Key_T)  # another slot's key
    _press_key_in(qtbot, dlg, "tag.actor", Qt.Key.Key_Q)
    dlg.accept()
    assert "T is used by both Perpetrator and Target (Attack slots)" in dlg.error.text()
    # a slot key on an action's key (J jumps; its Shift+J would clash too)
    _press_key_in(qtbot, dlg, "slot.p", Qt.Key.Key_J)
    dlg.accept()
    assert "J is used by both" in dlg.error.text()
    _press_key_in(qtbot, dlg, "slot.p", Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    dlg.accept()
    assert "Fill the slot Perpetrator: 'Ctrl+Q' is not a single letter or digit" in dlg.error.text()
    assert load_user_config().keys == {}  # nothing stored while refused
    assert getattr(w, "next_window", None) is None
    dlg.reject()
    w.close()


def test_the_default_keys_have_no_clash_and_overrides_stay_display_only(gui_project) -> None:
    cb = gui_project.codebook
    names = [n for n, _l, _k in coding_key_defs(cb)]
    assert names[:2] == ["tag.actor", "tag.location"] and "claim.attack" in names
    assert user_codebook(cb) is cb  # nothing overridden: the same codebook
    seen = user_codebook(cb, "codebook", {"tag.actor": "q", "slot.l": "o", "tag.date": "Ctrl+X"})
    assert seen.span_type("actor").hotkey == "q" and seen.span_type("date").hotkey == "3"
    assert all(s.hotkey == "o" for ct in seen.claim_types for s in ct.slots if s.id in ("location", "area"))
    assert cb.span_type("actor").hotkey == "1"  # the project's codebook is untouched
