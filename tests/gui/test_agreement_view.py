"""The agreement view reads figures as core does (issue 13 item 12): no "reliable" for two
units with a wide interval, F1 without alpha's verdict, chart labels in full, disagreements as
labels and values; opened with the keys a reviewer uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from annotator.core.project import Project
from annotator.core.resources import resources_dir

IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")  # event_type, armed_clash, claim_slot_mismatch


@pytest.fixture
def project(tmp_path: Path):
    p = Project.open(tmp_path / "a.db")
    p.import_paths([resources_dir() / "example" / "example.jsonl"])
    p.coder_id("rita", create=True, role="reviewer")
    yield p
    p.close()


@pytest.fixture
def dlg(qtbot, project):
    from annotator.gui.agreement_view import AgreementDialog

    d = AgreementDialog(project, resamples=200)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def cells(table, col: int) -> list[str]:
    return [table.item(i, col).text() for i in range(table.rowCount())]


def test_two_units_with_a_wide_interval_are_never_reliable(dlg) -> None:
    readings = cells(dlg.table, 6)
    row = next(i for i, f in enumerate(dlg.figures) if f["item"] == "location.precision")
    assert dlg.table.item(row, 5).text() == "2" and dlg.table.item(row, 4).text().startswith("-0.5")
    assert readings[row].startswith("too few units")
    for i, f in enumerate(dlg.figures):
        assert not readings[i].startswith("reliable"), (f["item"], readings[i])  # all n < 10 here
        if f["measure"].startswith("f1"):
            assert readings[i] == "no threshold (F1)"
    assert dlg.table.item(row, 1).text() == "Location: Precision"


def test_disagreements_show_labels_and_values(dlg) -> None:
    assert dlg.disagreements.rowCount() > 5
    versions = cells(dlg.disagreements, 4)
    assert "“Liptako Brigade” (amina) vs “fighters of the Liptako Brigade” (lukas)" in versions
    assert "attack (amina) vs armed clash (lukas)" in versions
    for col in (2, 3, 4):
        for text in cells(dlg.disagreements, col):
            assert text and not IDENTIFIER.search(text) and "{" not in text, text


def test_chart_labels_are_whole_and_every_row_reachable(qtbot, dlg) -> None:
    for width in (1000, 700):
        dlg.resize(width, 600)
        chart = dlg.chart
        chart.resize(width - 40, chart.minimumHeight())
        fm = QFontMetrics(chart.font())
        widest = max(fm.horizontalAdvance(chart.text_of(f)) for f in chart.figures)
        if width == 1000:  # room enough: no label is elided
            assert chart.label_width() >= widest + 10
        # every row fits the chart's height (it scrolls rather than cutting rows off)
        assert chart.minimumHeight() >= chart.ROW * len(chart.figures)
    assert {f["measure"] for f in chart.f1s} == {"f1_exact", "f1_overlap"}
    assert all(not f["measure"].startswith("f1") for f in chart.alphas)


def test_reviewer_opens_it_with_keys(qtbot, project) -> None:
    from annotator.gui.main_window import MainWindow

    w = MainWindow(project, project.coder_id("rita"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.text.setFocus()
    qtbot.keyClick(w.text, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(w, "agreement_dialog", None) is not None
                    and w.agreement_dialog.isVisible(), timeout=20000)
    shown = w.agreement_dialog.frameGeometry()
    assert w.agreement_dialog.screen().availableGeometry().contains(shown)
