"""The baseline of the latency and launch benchmarks: a bare PySide6 window doing the cheapest
equivalent of each coding key (a char format on the selection, a list row, a field, undo, a new
text of the same size), with no database and no normalizers.

    python benchmarks/_bare_window.py TEXTS_DIR     (a real window; what bench_latency starts)

TEXTS_DIR holds r0.txt, r1.txt, ...: the reports "next report" steps through.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

COLORS = {"1": "#f4a3a3", "2": "#a3c8f4", "3": "#b8e6a3", "4": "#f4d6a3"}


class BareWindow(QMainWindow):
    def __init__(self, texts: _Texts) -> None:
        super().__init__()
        self.setWindowTitle("bare")
        self.texts = texts
        self.index = 0
        self.edit = QPlainTextEdit()
        self.edit.setReadOnly(True)
        self.edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field = QLineEdit()
        self.rows = QListWidget()
        side = QVBoxLayout()
        side.addWidget(self.rows)
        side.addWidget(self.field)
        box = QHBoxLayout()
        box.addWidget(self.edit, 2)
        box.addLayout(side, 1)
        central = QWidget()
        central.setLayout(box)
        self.setCentralWidget(central)
        self.last: tuple[int, int] | None = None
        for key in COLORS:
            self._action(key, lambda _c=False, k=key: self.format(k))
        for key in ("a", "l", "p", "d", "k"):
            self._action(key, lambda _c=False, k=key: self.rows.addItem(f"slot {k}"))
        self._action("F2", self.field.setFocus)
        self._action("Esc", self.edit.setFocus)
        self._action("Ctrl+Z", self.undo)
        self._action("Ctrl+PgDown", self.next_text)
        self.edit.setPlainText(texts[0])
        self.resize(1300, 850)

    def _action(self, key: str, fn: object) -> None:
        a = QAction(self)
        a.setShortcut(QKeySequence(key))
        a.triggered.connect(fn)
        self.addAction(a)

    def format(self, key: str) -> None:
        cur = self.edit.textCursor()
        if cur.hasSelection():
            self.last = (cur.selectionStart(), cur.selectionEnd())
        if self.last is None:
            return
        c = QTextCursor(self.edit.document())
        c.setPosition(self.last[0])
        c.setPosition(self.last[1], QTextCursor.MoveMode.KeepAnchor)
        f = QTextCharFormat()
        f.setBackground(QColor(COLORS[key]))
        c.mergeCharFormat(f)
        end = QTextCursor(self.edit.document())
        end.setPosition(self.last[1])
        self.edit.setTextCursor(end)

    def undo(self) -> None:
        if self.rows.count():
            self.rows.takeItem(self.rows.count() - 1)

    def next_text(self) -> None:
        self.index = (self.index + 1) % len(self.texts)
        self.edit.setPlainText(self.texts[self.index])
        self.rows.clear()
        self.last = None
        self.edit.setFocus()


class _Texts:
    """The reports' texts, each read when first shown (as the annotator reads one report at
    start, not all of them: reading 27 MB first made the baseline's launch slower)."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.read: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, i: int) -> str:
        if i not in self.read:
            self.read[i] = self.files[i].read_text(encoding="utf-8")
        return self.read[i]


def load_texts(folder: Path) -> _Texts:
    return _Texts(sorted(folder.glob("r*.txt"), key=lambda p: int(p.stem[1:])))


def main() -> int:
    app = QApplication(sys.argv)
    w = BareWindow(load_texts(Path(sys.argv[1])))
    w.show()
    w.activateWindow()
    w.edit.setFocus()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
