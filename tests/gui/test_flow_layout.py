"""The tag buttons wrap onto more lines instead of widening the coding window."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from annotator.gui.flow_layout import FlowLayout


def test_a_narrow_row_wraps_and_every_button_stays_inside(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    row = FlowLayout(host)
    row.setContentsMargins(0, 0, 0, 0)
    buttons = [QPushButton(f"Span type number {i}  {i}") for i in range(6)]
    for b in buttons:
        row.addWidget(b)
    total = sum(b.sizeHint().width() for b in buttons)
    assert row.minimumSize().width() < total  # the row never demands all its buttons' width
    host.resize(total // 3, row.heightForWidth(total // 3))
    host.show()
    qtbot.waitExposed(host)
    tops = sorted({b.geometry().top() for b in buttons})
    assert len(tops) >= 3  # three lines or more at a third of the width
    assert all(b.geometry().right() < host.width() for b in buttons)
    assert row.heightForWidth(total + 60) == max(b.sizeHint().height() for b in buttons)
    assert row.count() == 6 and row.itemAt(6) is None and row.takeAt(0) is not None


def test_the_coding_window_tag_buttons_use_it(window) -> None:
    layout = window.palette_buttons["actor"].parentWidget().layout()
    rows = [layout.itemAt(i).layout() for i in range(layout.count())]
    assert any(isinstance(r, FlowLayout) for r in rows)
