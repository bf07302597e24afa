"""Verdict colours, the agreed green and the differing versions' tint follow the palette: in a
dark palette (and a light one) their text keeps a contrast of at least 4.5:1 (WCAG's least for
text), where the fixed colours made for a light background fell to about 2:1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QTableWidget, QTreeWidget

from annotator.core.project import Project
from annotator.core.resources import resources_dir
from annotator.gui.contrast import contrast, tint, verdict_color


def _palette(dark: bool) -> QPalette:
    pal = QPalette()
    R = QPalette.ColorRole
    roles = ({R.Window: "#2b2b2b", R.WindowText: "#e6e6e6", R.Base: "#1e1e1e", R.Text: "#e6e6e6",
              R.AlternateBase: "#262626", R.Mid: "#4a4a4a", R.PlaceholderText: "#7a7a7a",
              R.Button: "#333333", R.ButtonText: "#e6e6e6"} if dark else
             {R.Window: "#efefef", R.WindowText: "#000000", R.Base: "#ffffff", R.Text: "#000000",
              R.AlternateBase: "#f7f7f7", R.Mid: "#b8b8b8", R.PlaceholderText: "#a0a0a0"})
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    return pal


@pytest.fixture(params=[True, False], ids=["dark", "light"])
def palette(request, qapp) -> Iterator[QPalette]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    pal = _palette(request.param)
    app.setPalette(pal)
    yield pal
    app.setPalette(before)


@pytest.fixture
def example(tmp_path: Path) -> Iterator[Project]:
    p = Project.open(tmp_path / "a.db")
    p.import_paths([resources_dir() / "example" / "example.jsonl"])
    p.coder_id("rita", create=True, role="reviewer")
    yield p
    p.close()


def _set(brush: QBrush) -> bool:
    return brush.style() != Qt.BrushStyle.NoBrush


def _cell_contrast(table: QTableWidget, row: int, col: int) -> float:
    item = table.item(row, col)
    fg = item.foreground().color() if _set(item.foreground()) else table.palette().color(
        QPalette.ColorRole.Text)
    bg = item.background().color() if _set(item.background()) else table.palette().color(
        QPalette.ColorRole.Base)
    return contrast(fg, bg)


@pytest.mark.parametrize("label", ["reliable", "tentative", "unreliable", None])
def test_each_verdict_is_readable(palette: QPalette, label: str | None) -> None:
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        assert contrast(verdict_color(label, palette, role), palette.color(role)) >= 4.5
    assert contrast(palette.color(QPalette.ColorRole.Text), tint(palette)) >= 4.5
    assert tint(palette) != palette.color(QPalette.ColorRole.Base)  # it still stands out


def test_the_figures_table_is_readable(qtbot, palette: QPalette, example: Project) -> None:
    from annotator.gui.agreement_view import AgreementDialog

    dlg = AgreementDialog(example, resamples=50)
    qtbot.addWidget(dlg)
    assert dlg.table.palette().color(QPalette.ColorRole.Base) == palette.color(QPalette.ColorRole.Base)
    worst = min(_cell_contrast(dlg.table, i, col)
                for i in range(dlg.table.rowCount()) for col in (3, 6))
    assert worst >= 4.5
    assert dlg.table.rowCount() > 5


def test_the_review_window_is_readable(qtbot, palette: QPalette, example: Project) -> None:
    from annotator.gui.review_window import ReviewWindow

    rw = ReviewWindow(example, "rita")
    qtbot.addWidget(rw)
    rw.show()
    tinted = [(r, c) for r in range(rw.versions.rowCount()) for c in range(rw.versions.columnCount())
              if rw.versions.item(r, c) is not None and _set(rw.versions.item(r, c).background())]
    assert tinted  # the first open disagreement has differing versions
    assert min(_cell_contrast(rw.versions, r, c) for r, c in tinted) >= 4.5

    def tree_contrast(tree: QTreeWidget) -> float:
        base = tree.palette().color(QPalette.ColorRole.Base)
        shown = [tree.topLevelItem(i).foreground(c).color() for i in range(tree.topLevelItemCount())
                 for c in range(tree.columnCount()) if _set(tree.topLevelItem(i).foreground(c))]
        assert shown
        return min(contrast(colour, base) for colour in shown)

    assert tree_contrast(rw.item_list) >= 4.5  # the agreed items' green
