"""Import and export from the window: file dialogs, drag and drop, progress with cancel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from annotator.core.io import registry
from annotator.core.io.importer import FileResult
from annotator.core.project import Project
from annotator.core.storage import StorageError


def import_filter() -> str:
    """The file dialog's filter: every importable suffix, then one entry per format."""
    files = [i for i in registry.importers() if i.kind != "folder"]
    every = " ".join(f"*{e}" for i in files for e in i.extensions)
    each = [f"{i.label} ({' '.join(f'*{e}' for e in i.extensions)})" for i in files]
    return ";;".join([f"Reports ({every})", *each, "All files (*)"])


def import_with_progress(
    parent: QWidget, project: Project, paths: Sequence[Path], identity: str | None = None
) -> str:
    """Import files and folders, one progress step per file; returns the summary line.

    Each file is stored whole or not at all, so a cancel between files leaves every file either
    imported or untouched. ``identity``: who imports (a coder's import creates no reviewer)."""
    dialog = QProgressDialog("Importing…", "Cancel", 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    failures: list[str] = []
    done = 0

    def on_file(result: FileResult) -> None:
        nonlocal done
        done += 1
        dialog.setLabelText(f"{done} file(s): {Path(result.path).name}")
        if not result.ok:
            failures.append(result.message)
        QApplication.processEvents()
        if dialog.wasCanceled():
            raise KeyboardInterrupt

    try:
        summary = project.import_paths(paths, on_file=on_file, identity=identity)
        line = summary.line()
    except KeyboardInterrupt:
        line = f"import cancelled after {done} file(s); the files before were imported whole"
    except StorageError as exc:  # locked, read-only, disk full: the files before were stored
        line = f"import stopped after {done} file(s): {exc}"
    dialog.close()
    if failures:
        QMessageBox.warning(parent, "Import", line + "\n\n" + "\n".join(failures[:20]))
    return line


def choose_and_import(parent: QWidget, project: Project, identity: str | None = None) -> str | None:
    files, _ = QFileDialog.getOpenFileNames(parent, "Import reports", "", import_filter())
    if not files:
        return None
    return import_with_progress(parent, project, [Path(f) for f in files], identity)
