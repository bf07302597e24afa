"""The window (PySide6). A thin layer over annotator.core.project.Project."""

from annotator.gui.pyside_imports import install as _cheap_import_check

_cheap_import_check()  # before the window's modules are imported (gui/pyside_imports.py)
