"""PySide6 6.12.0 aborts CPython 3.11 ("deallocating None") after ~1,000 calls of a Qt method that
returns nothing. pyproject pins PySide6-Essentials below 6.12; this test would die with the bad
version instead of passing."""

from __future__ import annotations

from importlib.metadata import version

from PySide6.QtGui import QTextCursor, QTextDocument


def test_installed_pyside_is_inside_the_pin() -> None:
    major, minor = (int(x) for x in version("PySide6-Essentials").split(".")[:2])
    assert (6, 9) <= (major, minor) < (6, 12)


def test_a_hundred_thousand_void_calls() -> None:
    doc = QTextDocument("x" * 100)
    cursor = QTextCursor(doc)
    for i in range(100_000):
        cursor.setPosition(i % 100)  # returns None: the call that crashed 6.12.0
    assert cursor.position() == 99_999 % 100
