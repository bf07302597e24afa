"""Review mode and the agreement view drive real widgets over the bundled example project."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.project import Project
from annotator.core.resources import resources_dir


@pytest.fixture
def reviewed(tmp_path: Path):
    p = Project.open(tmp_path / "r.db")
    p.import_paths([resources_dir() / "example" / "example.jsonl"])
    p.coder_id("rita", create=True, role="reviewer")
    yield p
    p.close()


@pytest.fixture
def rw(qtbot, reviewed):
    from annotator.gui.review_window import ReviewWindow

    w = ReviewWindow(reviewed, "rita")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def gold(p: Project) -> list:
    rid = next(r.id for r in p.reports() if r.external_id == "example-liptako-claim")
    return p.spans(rid, p.coder_id("gold"))


def test_lanes_items_and_navigation(qtbot, rw) -> None:
    assert set(rw.lanes) == {"amina", "lukas", "gold"}
    assert len(rw.lanes["amina"]._index.spans) == 16 and len(rw.lanes["lukas"]._index.spans) == 14
    assert rw.current is not None and rw.current.open  # the first open disagreement is current
    first = rw.current
    qtbot.keyClick(rw, Qt.Key.Key_N)
    assert rw.current is not first and rw.current.open
    qtbot.keyClick(rw, Qt.Key.Key_P)
    assert rw.current.key == first.key
    agreed_rows = [rw.item_list.topLevelItem(i) for i in range(rw.item_list.topLevelItemCount())]
    assert any(r.text(3) == "agreed" for r in agreed_rows)
    assert rw.versions.columnCount() == 2


def test_each_decision_kind_and_undo(qtbot, rw, reviewed) -> None:
    def go_to(problem: str) -> None:
        target = next(i for i in rw.items if i.open and any(p.startswith(problem) for p in i.problems))
        rw._select_item(target)
        assert rw.current.key == target.key

    go_to("boundary_mismatch")
    rw.rationale.setText("the longer one names the fighters")
    qtbot.keyClick(rw, Qt.Key.Key_2)  # accept lukas (coder 2)
    (g,) = gold(reviewed)
    assert g.key.startswith("lukas.")
    assert rw.rationale.text() == ""
    go_to("span_only_one_coder")
    qtbot.keyClick(rw, Qt.Key.Key_X)  # reject
    assert len(gold(reviewed)) == 1
    go_to("attribute_mismatch")
    qtbot.keyClick(rw, Qt.Key.Key_B)  # accept both versions
    assert len(gold(reviewed)) == 3
    go_to("boundary_mismatch")
    qtbot.keyClick(rw, Qt.Key.Key_1, Qt.KeyboardModifier.ShiftModifier)  # take amina's to edit
    assert len(gold(reviewed)) == 4
    qtbot.keyClick(rw, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(gold(reviewed)) == 3
    before = sum(1 for i in rw.items if i.open)
    qtbot.keyClick(rw, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sum(1 for i in rw.items if i.open) == before + 1


def test_accept_unanimous_from_the_window(qtbot, rw, reviewed) -> None:
    agreed = sum(1 for i in rw.items if i.agreed)
    rw.accept_unanimous(whole_project=False)
    assert len(gold(reviewed)) == sum(1 for i in rw.items if i.agreed and i.kind == "span")
    assert all(i.decision is not None for i in rw.items if i.agreed)
    assert agreed > 0


def test_coders_cannot_open_review_but_reviewers_can(qtbot, reviewed, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.gui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[1]))
    coder = MainWindow(reviewed, reviewed.coder_id("amina"))
    qtbot.addWidget(coder)
    assert not coder.review_action.isEnabled()
    coder.open_review()
    assert shown == ["Review"] and not hasattr(coder, "review_window")
    boss = MainWindow(reviewed, reviewed.coder_id("rita"))
    qtbot.addWidget(boss)
    assert boss.review_action.isEnabled()
    boss.open_review()
    assert boss.review_window.isVisible()


def test_agreement_view_filters_disagreements_and_opens_them(qtbot, reviewed) -> None:
    from annotator.gui.agreement_view import AgreementDialog

    dlg = AgreementDialog(reviewed, resamples=100)
    qtbot.addWidget(dlg)
    total = dlg.disagreements.rowCount()
    assert total > 5 and dlg.table.rowCount() > 20
    row = next(i for i, f in enumerate(dlg.figures) if f["item"] == "casualty_count.status")
    dlg.table.setCurrentCell(row, 0)
    assert 0 < dlg.disagreements.rowCount() < total
    assert all(dlg.disagreements.item(i, 3).text() == "Status" for i in range(dlg.disagreements.rowCount()))
    assert dlg.pairs.item(0, 1).text().startswith("exact")
    with qtbot.waitSignal(dlg.open_at) as sig:
        dlg._open(0, 0)
    assert sig.args[0] == "example-liptako-claim"


def test_a_coding_edit_realigns_only_its_report(qtbot, rw, reviewed, monkeypatch) -> None:
    from annotator.core.commands import SetSpanAttribute, SetStatus

    asked: list[object] = []
    real = reviewed.review_items
    monkeypatch.setattr(reviewed, "review_items",
                        lambda ids=None, coders=None: asked.append(ids) or real(ids, coders))
    rid = rw.report_id
    amina = reviewed.coder_id("amina")
    span = next(s for s in reviewed.spans(rid, amina) if s.type == "actor")
    reviewed.run(SetSpanAttribute(span.id, "actor_type", "state_forces"), origin="coding")
    assert asked == [[rid]]  # not None: the whole project is not aligned again
    reviewed.run(SetStatus(rid, amina, "done"), origin="coding")
    assert asked == [[rid], [rid]]
    reviewed.coder_id("someone", create=True)  # structure: the whole list again
    assert asked[2] is None  # then the report shown, again


def test_changes_name_their_origin(reviewed) -> None:
    from annotator.core.commands import SetStatus

    heard: list = []
    reviewed.subscribe(heard.append)
    rid = reviewed.reports()[0].id
    reviewed.run(SetStatus(rid, reviewed.coder_id("amina"), "todo"), origin="coding")
    reviewed.undo()
    reviewed.import_paths([resources_dir() / "example" / "example.jsonl"])  # nothing new
    reviewed.coder_id("zoe", create=True)
    assert [(c.origin, c.undone) for c in heard] == [("coding", False), ("", True), ("coders", False)]
    assert all(c.session == reviewed.session for c in heard)
    assert heard[0].made_by(reviewed.session, "coding") and not heard[0].made_by("other")
    assert heard[0].touched_reports() == {rid}


def test_a_coder_cannot_open_review(reviewed) -> None:
    from annotator.core import roles
    from annotator.gui.review_window import ReviewWindow

    with pytest.raises(roles.RoleError, match="amina is a coder"):
        ReviewWindow(reviewed, "amina")


IDENTIFIER = __import__("re").compile(r"\b[a-z]+_[a-z_]+\b")  # event_type, claim_slot_mismatch


def test_review_window_fits_a_small_screen_with_its_buttons(qtbot, rw) -> None:
    from PySide6.QtCore import QRect

    from annotator.gui.screen_fit import fit

    assert fit((0, 0, 1404, 884), (0, 0, 1024, 700)) == (0, 0, 1024, 700)
    assert fit((500, 300, 600, 400), (0, 0, 1024, 700)) == (424, 300, 600, 400)
    # the layout can shrink to a 1024x700 screen, frame and panel included
    hint = rw.minimumSizeHint()
    assert hint.width() <= 1024 - 40 and hint.height() <= 700 - 80
    # and on the offscreen screen (800x800 here, narrower than 1024) the frame is inside it
    available = rw.screen().availableGeometry()
    qtbot.waitUntil(lambda: available.contains(rw.frameGeometry()))
    for b in [*rw.accept_buttons.values(), *rw.findChildren(type(next(iter(rw.accept_buttons.values()))))]:
        if b.isVisible():
            top_left = b.mapToGlobal(b.rect().topLeft())
            assert available.contains(QRect(top_left, b.size())), b.text()


def test_review_texts_use_labels_not_identifiers(qtbot, rw) -> None:
    seen_claim = []
    for i in range(rw.item_list.topLevelItemCount()):
        row = rw.item_list.topLevelItem(i)
        for col in (2, 3, 4):
            assert not IDENTIFIER.search(row.text(col)), row.text(col)
        rw.item_list.setCurrentItem(row)
        headers = [rw.versions.verticalHeaderItem(r).text() for r in range(rw.versions.rowCount())]
        texts = [rw.versions.item(r, c).text() for r in range(rw.versions.rowCount())
                 for c in range(rw.versions.columnCount()) if rw.versions.item(r, c)]
        if "Event type" in headers:
            seen_claim += texts
            assert "Stance of the claim" in headers
        for text in headers + [t for t in texts if not t.startswith("“")]:
            assert not IDENTIFIER.search(text), text
    assert "armed clash" in seen_claim and "claimed responsibility" in seen_claim
    problems = {rw.item_list.topLevelItem(i).text(3) for i in range(rw.item_list.topLevelItemCount())}
    assert "Event type differs, its evidence spans are undecided" in problems
    assert "different boundaries" in problems


def test_slot_tree_says_what_a_slot_takes_in_labels(qtbot, reviewed) -> None:
    from annotator.gui.form_panel import FormPanel

    panel = FormPanel(reviewed.codebook)
    qtbot.addWidget(panel)
    ct = reviewed.codebook.claim_type("attack")
    panel.show_claim(ct, "c1 Attack", {}, {}, set(), {})
    tree = panel.slot_tree
    tips = [tree.topLevelItem(i).toolTip(0) for i in range(tree.topLevelItemCount())]
    assert "Takes Actor spans (at least 1)" in tips
    assert any("Casualty count" in t for t in tips)
    assert not any(IDENTIFIER.search(t) for t in tips)


def test_the_disagreement_reads_in_full_on_a_1024_screen(qtbot, rw) -> None:
    """At 1024x700 the items' Disagreement column was cut to a few letters: it now takes the
    room left, its full text is in the tooltip and above the versions, and the coders' versions
    share the table's width instead of running off its right edge."""
    rw.resize(1008, 660)
    qtbot.keyClick(rw, Qt.Key.Key_N)
    qtbot.wait(50)
    header = rw.item_list.header()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert sum(widths) <= rw.item_list.viewport().width() + 1  # no column beyond the edge
    assert widths[3] >= 100  # the disagreement takes the room left
    row = rw.item_list.currentItem()
    assert row.text(3) and row.toolTip(3) == row.text(3)
    assert row.text(3) in rw.disagreement.text() and row.text(2) in rw.disagreement.text()
    vh = rw.versions.horizontalHeader()
    assert sum(vh.sectionSize(c) for c in range(vh.count())) <= rw.versions.viewport().width() + 1
