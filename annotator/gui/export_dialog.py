"""File → Export: every format, a column profile, a coder choice, progress with cancel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from annotator.core.io.atomic import atomic_text_file
from annotator.core.project import Project

FORMATS = [("jsonl", "Interchange JSON Lines (.jsonl)"), ("csv", "CSV tables (a folder)"),
           ("xlsx", "Excel workbook (.xlsx)"), ("brat", "brat standoff (a new folder)")]


class ExportCancelled(Exception):
    pass


class ExportDialog(QDialog):
    def __init__(self, project: Project, own_coder: str | None, parent: QWidget | None = None) -> None:
        """``own_coder``: a coder exports only their own work (None: a reviewer chooses)."""
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.project = project
        self.own_coder = own_coder
        self.format = QComboBox()
        for key, label in FORMATS:
            self.format.addItem(label, key)
        self.profile = QComboBox()
        for p in ("native", "acled", "gtd", "ucdp"):
            self.profile.addItem(p)
        self.raw = QCheckBox("Write cells starting with = + - @ as they are (unsafe)")
        self.coders = QListWidget()
        self.coders.setObjectName("export_coders")
        for c in project.coders():
            if own_coder is not None and c.name != own_coder:
                continue  # blind coding: a coder does not even see the other names
            item = QListWidgetItem(c.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            mine = own_coder is None or c.name == own_coder
            item.setCheckState(Qt.CheckState.Checked if mine else Qt.CheckState.Unchecked)
            if own_coder is not None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.coders.addItem(item)
        self.target = QLineEdit()
        self.target.setObjectName("export_target")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Claims columns", self.profile)
        form.addRow("", self.raw)
        form.addRow("Coders", self.coders)
        form.addRow("Save to", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(lambda _i: self._update())
        self._update()
        self.result_line = ""

    def _update(self) -> None:
        tabular = self.format.currentData() in ("csv", "xlsx")
        self.profile.setEnabled(tabular)
        self.raw.setEnabled(tabular)

    def _browse(self) -> None:
        fmt = self.format.currentData()
        if fmt == "csv":
            path = QFileDialog.getExistingDirectory(self, "Folder for the CSV tables")
        elif fmt == "brat":
            path = QFileDialog.getSaveFileName(self, "New folder for the brat collection")[0]
        else:
            path = QFileDialog.getSaveFileName(self, "Export to", f"export.{fmt}")[0]
        if path:
            self.target.setText(path)

    def chosen_coders(self) -> list[str]:
        out = []
        for i in range(self.coders.count()):
            item = self.coders.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.text())
        return out

    def run(self) -> None:
        if not self.target.text().strip():
            QMessageBox.warning(self, "Export", "Choose where to save the export.")
            return
        try:
            self.result_line = export(self.project, self.format.currentData(), Path(self.target.text()),
                                      self.chosen_coders(), self.profile.currentText(), self.raw.isChecked(),
                                      self)
        except ExportCancelled:
            self.result_line = "Export cancelled: nothing was written."
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export", str(exc))
            return
        self.accept()


def export(project: Project, fmt: str, target: Path, coders: list[str], profile: str, raw: bool,
           parent: QWidget | None = None) -> str:
    """Export with a progress dialog; cancelling leaves nothing under the target name."""
    total = len(project.reports())
    dialog = QProgressDialog("Exporting…", "Cancel", 0, max(total, 1), parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)

    def counted(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for n, record in enumerate(records, start=1):
            yield record
            dialog.setValue(n)
            QApplication.processEvents()
            if dialog.wasCanceled():
                raise ExportCancelled

    records = counted(project.iter_export(coders))
    try:
        if fmt == "jsonl":
            import json

            with atomic_text_file(target) as fh:
                n = 0
                for record in records:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                    n += 1
            return f"{target}: exported {n} report(s)"
        if fmt == "brat":
            from annotator.core.io.brat_format import write_brat

            n = write_brat(records, project.codebook, target)
            return f"{target}: {n} .ann file(s) and annotation.conf"
        from annotator.core.io import spreadsheet

        writer = spreadsheet.write_csv if fmt == "csv" else spreadsheet.write_xlsx
        counts = writer(records, project.codebook, target, profile, raw)
        return f"{target}: " + ", ".join(f"{v} {k} row(s)" for k, v in counts.items())
    finally:
        dialog.close()
