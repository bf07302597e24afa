"""Next report shows the text first and fills the side panels after its paint (report_switch):
whatever the coder does in between, every list ends up showing what the database holds for the
report on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import commands as c
from annotator.core.project import Project
from tests.gui.test_coding_window import key, select

NEXT = (Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)


def listed(window) -> list:
    return [window.span_model.rows[i] for i in range(window.span_model.rowCount())]


def claims_listed(window) -> list[int]:
    view = window.claims_view
    return [int(view.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole))
            for i in range(view.topLevelItemCount())]


def second(project: Project) -> int:
    return next(r.id for r in project.reports() if r.external_id == "second")


def test_panels_follow_the_text_with_the_next_reports_items(qtbot, window, gui_project) -> None:
    me, rid = window.coder_id, second(gui_project)
    other = Project.open(gui_project.location)  # another window stores a span and a claim there
    try:
        at = gui_project.report(rid).text.index("Kidal")
        other.run(c.AddSpan(rid, me, "location", at, at + 5))
        other.run(c.CreateClaim(rid, me, window.codebook.claim_types[0].id))
    finally:
        other.close()
    select(window, "Gao")
    key(qtbot, window, Qt.Key.Key_2)  # a span and its row on the first report
    assert [s.text for s in listed(window)] == ["Gao"]
    key(qtbot, window, *NEXT)
    assert window.report_id == rid
    assert window.text.toPlainText() == gui_project.report(rid).text == window.report_text
    assert [s.text for s in window._spans] == ["Kidal"]  # what the keys act on: the new report's
    assert window._panels_pending  # the lists follow after the text is painted...
    qtbot.waitUntil(lambda: not window._panels_pending)
    stored = gui_project.spans(rid, me)
    assert listed(window) == stored and [s.text for s in stored] == ["Kidal"]  # ...and show it
    assert claims_listed(window) == [cl.id for cl in gui_project.claims(rid, me)] != []
    assert window.tabs.tabText(3) == "Flagged"


def test_a_tag_before_the_panels_caught_up_lands_in_the_new_reports_list(qtbot, window, gui_project) -> None:
    me, rid = window.coder_id, second(gui_project)
    select(window, "Gao")
    key(qtbot, window, Qt.Key.Key_2)
    key(qtbot, window, *NEXT)
    assert window._panels_pending
    start, end = select(window, "Kidal")  # no event processed in between: the list is the last one's
    key(qtbot, window, Qt.Key.Key_2)
    stored = gui_project.spans(rid, me)
    assert [(s.start, s.end) for s in stored] == [(start, end)]
    assert listed(window) == window._spans == stored  # not a patch of the first report's rows
    assert window.report_text[start:end] == stored[0].text == "Kidal"
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.spans(rid, me) == listed(window) == []
    # back to the first report: its span is shown and listed
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window._panels_pending)
    first = gui_project.spans(window.report_id, me)
    assert [s.text for s in listed(window)] == [s.text for s in first] == ["Gao"]


def test_keys_held_down_fill_the_panels_once_with_the_last_report(qtbot, window, gui_project) -> None:
    me = window.coder_id
    calls: list[int | None] = []
    real = window._fill_panels
    window._fill_panels = lambda: calls.append(window.report_id) or real()
    key(qtbot, window, *NEXT)
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    first = window.report_id
    assert first != second(gui_project) and calls == []
    qtbot.waitUntil(lambda: not window._panels_pending)
    assert calls == [first]
    assert listed(window) == gui_project.spans(first, me)


def _utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def _formatted_at(window, cp: int) -> bool:
    """The text view paints something at code point ``cp`` (its block's layout formats)."""
    window.text.viewport().repaint()  # formats are given as blocks are painted
    pos16 = _utf16(window.report_text, cp)
    block = window.text.document().findBlock(pos16)
    inside = pos16 - block.position()
    return any(r.start <= inside < r.start + r.length for r in block.layout().formats())


def test_next_report_swaps_in_its_document_built_ahead(qtbot, window, gui_project) -> None:
    me, rid = window.coder_id, second(gui_project)
    first_id, first_text = window.report_id, window.report_text
    select(window, "Gao")  # after an emoji: code points and UTF-16 positions differ
    key(qtbot, window, Qt.Key.Key_2)
    text2 = gui_project.report(rid).text
    qtbot.waitUntil(lambda: window.text.prepared.ready(text2) is not None, timeout=30_000)
    prepared = window.text.prepared.ready(text2)
    key(qtbot, window, *NEXT)
    assert window.text.document() is prepared  # swapped in, not built in the key
    assert window.text.toPlainText() == text2 == window.report_text
    assert window.text.textCursor().position() == 0 and window.text.verticalScrollBar().value() == 0
    assert window.text.hasFocus()
    # back: the first report's document, built again while idle, shows its span where it is
    qtbot.waitUntil(lambda: window.text.prepared.laid_out(first_text), timeout=30_000)
    back = window.text.prepared.ready(first_text)
    # formatted ahead for the spans read ahead with it (its span in the first block) and laid out
    assert back.firstBlock().layout().formats() and back.firstBlock().layout().lineCount() > 0
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.report_id == first_id and window.text.document() is back
    assert window.text.toPlainText() == first_text
    (gao,) = gui_project.spans(first_id, me)
    assert first_text[gao.start:gao.end] == gao.text == "Gao"
    assert _formatted_at(window, gao.start) and not _formatted_at(window, gao.start - 2)
    assert [s.id for s in window.text.spans_at(gao.start)] == [gao.id]


def test_a_text_other_than_the_one_prepared_is_built_in_the_key(qtbot, window, gui_project) -> None:
    from dataclasses import replace

    rid = second(gui_project)
    text2 = gui_project.report(rid).text
    qtbot.waitUntil(lambda: window.text.prepared.ready(text2) is not None, timeout=30_000)
    prepared = window.text.prepared.ready(text2)
    corrected = text2.replace("Kidal", "Kidal and Gao")
    real_take = window.prefetch.take

    def take(report_id, coder_id, **kw):  # as if another window had corrected the text since
        ahead = real_take(report_id, coder_id, **kw)
        return None if ahead is None else replace(ahead, detail=replace(ahead.detail, text=corrected))

    window.prefetch.take = take
    key(qtbot, window, *NEXT)
    assert window.report_id == rid and window.text.document() is not prepared
    assert window.text.toPlainText() == corrected == window.report_text


def test_a_document_built_in_slices_is_the_one_set_plain_text_builds(qtbot, monkeypatch) -> None:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.gui import prepared_text

    monkeypatch.setattr(prepared_text, "SLICE", 7)  # many cuts: each one after a line end
    text = "Alert 🚨 from Gao:\r\ngunmen 🔥 attacked\n\nالجيش المالي said nothing.\r\nEnd 🚨"
    view = QPlainTextEdit()
    qtbot.addWidget(view)
    docs = prepared_text.PreparedDocs(view)
    docs.want([text, "another report"])
    qtbot.waitUntil(lambda: docs.ready(text) is not None and docs.ready("another report") is not None)
    reference = QTextDocument()
    reference.setPlainText(text)
    taken = docs.take(text)
    assert taken is not None and docs.ready(text) is None  # handed over once
    built = taken.doc
    assert built.toPlainText() == reference.toPlainText()
    assert built.blockCount() == reference.blockCount() == 5
    assert built.characterCount() == reference.characterCount()
    assert docs.take(text + " ") is None and docs.take("another report") is not None
