"""One table of the window's actions: the menus, the shortcuts and the F1 sheet all read it.

An entry names its menu, its text, its keys, what it calls, and whether its keys are *coding keys*
(single letters and digits that act while the text or a list has focus, never while the coder
types in a form field). Adding an action is one entry here; it then appears in its menu and on
the keyboard sheet by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.geometry import GeometryGuard

MENUS = ("&File", "&Edit", "&Tag", "&Claim", "&Suggest", "&Report", "&View", "Re&view", "&Help")


@dataclass(frozen=True)
class ActionSpec:
    name: str  # stable id ("tag.actor", "edit.undo")
    menu: str  # one of MENUS
    text: str
    call: Callable[[], object]
    keys: tuple[str, ...] = ()
    coding_key: bool = False  # acts only while the text or a list has focus
    submenu: str | None = None  # a submenu of ``menu``
    separator_before: bool = False
    in_menu: bool = True  # False: a key only (listed on the sheet)


# keys that are not actions, listed on the sheet for completeness
EXTRA_KEYS: tuple[tuple[str, str, str], ...] = (
    ("&Edit", "Shift+arrows, Shift+Ctrl+arrows", "Select text by character, by word"),
    ("&Edit", "Tab / Shift+Tab (in the form)", "Next / previous field"),
    ("&Edit", "Esc", "Back to the text from anywhere (closes the find bar, leaves the form)"),
    ("&Tag", "Alt+type key", "Tag the exact selection, without snapping to words"),
    ("&Claim", "Drag a span row onto a slot", "Fill the slot with the span"),
    ("&Claim", "Shift+slot key", "Mark the slot \u201cnot reported\u201d: the report says nothing of it "
     "(press again to clear); a required slot marked so no longer counts as missing"),
)


def install(
    window: QMainWindow, specs: Sequence[ActionSpec], coding_widgets: Sequence[QWidget]
) -> dict[str, QAction]:
    """Create the QActions and the menus; coding keys are attached to ``coding_widgets`` only."""
    menus: dict[str, QMenu] = {m: window.menuBar().addMenu(m) for m in MENUS}
    submenus: dict[tuple[str, str], QMenu] = {}
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.triggered.connect(lambda _checked=False, f=spec.call: f())
        if spec.coding_key:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            for w in coding_widgets:
                w.addAction(action)
        else:
            window.addAction(action)
        if spec.in_menu:
            menu = menus[spec.menu]
            if spec.submenu:
                key = (spec.menu, spec.submenu)
                if key not in submenus:
                    submenus[key] = menu.addMenu(spec.submenu)
                menu = submenus[key]
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(action)
        actions[spec.name] = action
    return actions


def key_text(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())


def sheet_rows(specs: Sequence[ActionSpec], actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, keys, what it does) for every action with keys, and the keys that are not actions,
    grouped by menu in menu order."""
    rows: list[tuple[str, str, str]] = []
    for spec in specs:
        action = actions.get(spec.name)
        keys = key_text(action) if action is not None else ", ".join(spec.keys)
        if keys:
            what = action.text() if action is not None else spec.text
            rows.append((spec.menu, keys, what.replace("&", "")))
    rows.extend(EXTRA_KEYS)
    order = {m: i for i, m in enumerate(MENUS)}
    return sorted(rows, key=lambda r: order.get(r[0], len(MENUS)))  # stable: table order kept


class ShortcutSheet(QDialog):
    """F1: every key, grouped by menu, scrolled to the top, columns wide enough to read."""

    def __init__(self, rows: Sequence[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(0, 2)
        table.setObjectName("shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        last = None
        for menu, keys, what in rows:
            if menu != last:
                r = table.rowCount()
                table.insertRow(r)
                head = QTableWidgetItem(menu.replace("&", ""))
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                table.setItem(r, 0, head)
                table.setSpan(r, 0, 1, 2)
                last = menu
            r = table.rowCount()
            table.insertRow(r)
            table.setItem(r, 0, QTableWidgetItem(keys))
            table.setItem(r, 1, QTableWidgetItem(what))
        table.resizeColumnToContents(0)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        self.table = table
        lay = QVBoxLayout(self)
        lay.addWidget(table)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        lay.addWidget(close)
        width = min(900, table.columnWidth(0) + 520)
        self.resize(width, 600)
        table.scrollToTop()
