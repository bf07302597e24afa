"""The coding window's table of actions (read by the menus and the F1 sheet; see actions.py)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from annotator.gui.actions import ActionSpec

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def window_action_specs(w: MainWindow) -> list[ActionSpec]:
    cb = w.codebook
    quit_key = QKeySequence(QKeySequence.StandardKey.Quit).toString() or "Ctrl+Q"
    specs = [
        ActionSpec("file.new_project", "&File", "&New project…", w.new_project, ("Ctrl+N",)),
        ActionSpec("file.open_project", "&File", "&Open project…", w.open_project, ("Ctrl+O",)),
        ActionSpec("file.import", "&File", "&Import reports…", w.import_files, ("Ctrl+I",),
                   separator_before=True),
        ActionSpec("file.import_folder", "&File", "Import a fol&der (reports, brat)…", w.import_folder),
        ActionSpec("file.export", "&File", "&Export…", w.export_dialog, ("Ctrl+E",)),
        ActionSpec("file.settings", "&File", "Se&ttings…", w.open_settings, ("Ctrl+,",),
                   separator_before=True),
        ActionSpec("file.switch_coder", "&File", "Switch &coder…", w.switch_coder),
        ActionSpec("file.quit", "&File", "&Quit", w.close, (quit_key,), separator_before=True),
        ActionSpec("edit.undo", "&Edit", "&Undo", w.project.undo, ("Ctrl+Z",)),
        ActionSpec("edit.redo", "&Edit", "&Redo", w.project.redo, ("Ctrl+Shift+Z", "Ctrl+Y")),
        ActionSpec("edit.enter", "&Edit", "&Accept the suggestion, or edit the values of the current span or claim",
                   w.enter, ("Return", "Enter"), coding_key=True, separator_before=True),
        ActionSpec("edit.form", "&Edit", "Edit the &values of the current span or claim", w.focus_form,
                   ("F2",), coding_key=True),
        ActionSpec("edit.delete", "&Edit", "&Delete the current span or claim (or reject the suggestion)",
                   w.delete_current, ("Delete", "Backspace"), coding_key=True),
        ActionSpec("edit.jump", "&Edit", "&Jump: label the words in view, type a label to select that word",
                   w.jump, ("J",), coding_key=True, separator_before=True),
        ActionSpec("edit.jump_extend", "&Edit", "Jump and &extend the selection to the labelled word",
                   lambda: w.jump(True), ("Shift+J",), coding_key=True),
        ActionSpec("edit.next_span", "&Edit", "Next span", lambda: w.step_span(1), ("N",), coding_key=True),
        ActionSpec("edit.previous_span", "&Edit", "Previous span", lambda: w.step_span(-1), ("Shift+N",),
                   coding_key=True),
        ActionSpec("edit.find", "&Edit", "&Find…", w.open_find, ("Ctrl+F",), separator_before=True),
        ActionSpec("edit.find_next", "&Edit", "Find &next", lambda: w.find_next(False), ("F3",)),
        ActionSpec("edit.find_previous", "&Edit", "Find &previous", lambda: w.find_next(True), ("Shift+F3",)),
        ActionSpec("edit.escape", "&Edit", "Back to the text; there: clear the selection, then close the claim",
                   w.escape, ("Escape",), in_menu=False),
    ]
    for st in cb.span_types:
        keys = (st.hotkey, f"Alt+{st.hotkey}") if st.hotkey else ()
        specs.append(ActionSpec(f"tag.{st.id}", "&Tag", f"Tag as {st.label}",
                                partial(w.tag_selection, st.id), keys, coding_key=True))
    for ct in cb.claim_types:
        specs.append(ActionSpec(f"claim.{ct.id}", "&Claim", f"New {ct.label} claim",
                                partial(w.new_claim, ct.id), (ct.hotkey,) if ct.hotkey else (),
                                coding_key=True))
    for ct in cb.claim_types:
        if ct.hotkey:
            specs.append(ActionSpec(f"draft.{ct.id}", "&Claim",
                                    f"&Draft a {ct.label} claim from the sentence at the caret",
                                    partial(w.propose_draft, ct.id), (f"Shift+{ct.hotkey}",),
                                    coding_key=True))
    # slot keys belong to claim types: one action per key, acting on the current claim's type
    by_key: dict[str, list[str]] = {}
    for ct in cb.claim_types:
        for sd in ct.slots:
            if sd.hotkey and sd.label not in by_key.setdefault(sd.hotkey, []):
                by_key[sd.hotkey].append(sd.label)
    for key, labels in by_key.items():
        names = " / ".join(labels)
        specs.append(ActionSpec(f"slot.{key}", "&Claim", f"Fill the slot {names} with the current span",
                                partial(w.fill_slot_key, key), (key,), coding_key=True,
                                submenu="&Fill a slot of the current claim with the current span"))
    for key, labels in by_key.items():
        names = " / ".join(labels)
        specs.append(ActionSpec(f"not_reported.{key}", "&Claim", f"Mark {names} not reported (again: clear)",
                                partial(w.toggle_not_reported_key, key), (f"Shift+{key}",),
                                coding_key=True, submenu="Mark a slot &not reported (again: clear)"))
    specs += [
        ActionSpec("suggest.scan", "&Suggest", "&Scan the report for suggested spans", w.toggle_scan,
                   ("Ctrl+Shift+S",)),
        ActionSpec("suggest.accept_all", "&Suggest", "&Accept all suggested spans", w.accept_all_suggestions,
                   ("Ctrl+Shift+Return",)),
        ActionSpec("suggest.reject_all", "&Suggest", "&Reject all suggested spans", w.reject_all_suggestions,
                   ("Ctrl+Shift+Delete",)),
        ActionSpec("suggest.next_span", "&Suggest", "Next suggested span (scans first)",
                   lambda: w.step_suggestion(1), ("S",), coding_key=True),
        ActionSpec("suggest.previous_span", "&Suggest", "Previous suggested span",
                   lambda: w.step_suggestion(-1), ("Shift+S",), coding_key=True),
        ActionSpec("suggest.next_value", "&Suggest", "&Next suggested value for the current span",
                   lambda: w.cycle_prefill(1), ("]",), coding_key=True, separator_before=True),
        ActionSpec("suggest.previous_value", "&Suggest", "&Previous suggested value for the current span",
                   lambda: w.cycle_prefill(-1), ("[",), coding_key=True),
        ActionSpec("report.done_next", "&Report", "Mark &done and go to the next", w.mark_done_and_next,
                   ("Ctrl+Return", "Ctrl+Enter")),
        ActionSpec("report.in_progress", "&Report", "Mark &in progress", lambda: w._set_status("in_progress")),
        ActionSpec("report.next", "&Report", "&Next report", lambda: w._step(1), ("Ctrl+PgDown",)),
        ActionSpec("report.previous", "&Report", "&Previous report", lambda: w._step(-1), ("Ctrl+PgUp",)),
        ActionSpec("report.reference_date", "&Report", "Set the &reference date for relative dates…",
                   w.ask_reference_date),
        ActionSpec("report.go_queue", "&Report", "Go to the &queue", lambda: w.queue.setFocus(), ("Ctrl+1",)),
        ActionSpec("report.go_text", "&Report", "Go to the &text", lambda: w.text.setFocus(), ("Ctrl+2",)),
        ActionSpec("view.larger", "&View", "&Larger text", lambda: w.set_font_size(w.font_size() + 1),
                   ("Ctrl++", "Ctrl+=")),
        ActionSpec("view.smaller", "&View", "&Smaller text", lambda: w.set_font_size(w.font_size() - 1),
                   ("Ctrl+-",)),
        ActionSpec("view.spans", "&View", "Go to the &spans list", lambda: w._focus_tab(0), ("Ctrl+3",)),
        ActionSpec("view.claims", "&View", "Go to the &claims list", lambda: w._focus_tab(1), ("Ctrl+4",)),
        ActionSpec("view.suggestions", "&View", "Go to the suggested s&pans", lambda: w._focus_tab(2),
                   ("Ctrl+5",)),
        ActionSpec("view.flagged", "&View", "Go to the &flagged spans (a merge could not carry "
                   "them onto a corrected text)", lambda: w._focus_tab(3), ("Ctrl+6",)),
        ActionSpec("review.open", "Re&view", "Open &review and adjudication…", w.open_review,
                   ("Ctrl+Shift+R",)),
        ActionSpec("review.agreement", "Re&view", "Inter-coder &agreement…", w.open_agreement,
                   ("Ctrl+Shift+A",)),
        ActionSpec("review.progress", "Re&view", "&Progress of the coders (per day)",
                   w.toggle_progress, ("Ctrl+Shift+P",)),
        ActionSpec("team.assign", "Re&view", "&Assign the selected reports to a coder…",
                   w.lead_assign, ("Ctrl+Alt+A",), submenu="&Team (the lead)"),
        ActionSpec("team.move", "Re&view", "&Move the selected reports to another coder…",
                   w.lead_move, ("Ctrl+Alt+M",), submenu="&Team (the lead)"),
        ActionSpec("team.unassign", "Re&view", "&Unassign a coder from the selected reports…",
                   w.lead_unassign, ("Ctrl+Alt+U",), submenu="&Team (the lead)"),
        ActionSpec("team.lock", "Re&view", "&Lock the selected reports (gold done)",
                   w.lead_lock, ("Ctrl+Alt+L",), submenu="&Team (the lead)"),
        ActionSpec("team.unlock", "Re&view", "U&nlock the selected reports",
                   lambda: w.lead_lock(False), ("Ctrl+Alt+Shift+L",), submenu="&Team (the lead)"),
        ActionSpec("review.upgrade", "Re&view", "&Upgrade the codebook…", w.open_upgrade,
                   separator_before=True),
        ActionSpec("help.keys", "&Help", "&Keyboard shortcuts", w.show_shortcuts, ("F1", "?")),
        ActionSpec("help.about", "&Help", "&About Annotator", w.show_about),
    ]
    return specs
