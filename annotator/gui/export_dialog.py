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

from annotator.core import roles
from annotator.core.io import registry
from annotator.core.project import Project
from annotator.gui.geometry import GeometryGuard


class ExportCancelled(Exception):
    pass


class ExportDialog(QDialog):
    def __init__(self, project: Project, own_coder: str | None, parent: QWidget | None = None) -> None:
        """``own_coder``: a coder exports only their own work (None: a reviewer chooses)."""
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle("Export")
        self.project = project
        self.own_coder = own_coder
        self.format = QComboBox()
        for fmt in registry.exporters():
            self.format.addItem(fmt.label, fmt.name)
        # one widget per option of any format; enabled while the chosen format has it
        self.options: dict[str, tuple[registry.Option, QComboBox | QCheckBox]] = {}
        for option in {o.name: o for f in registry.exporters() for o in f.options}.values():
            widget: QComboBox | QCheckBox
            if option.choices:
                widget = QComboBox()
                widget.addItems(list(option.choices))
                widget.setCurrentText(str(option.default))
            else:
                widget = QCheckBox(option.label)
                widget.setChecked(bool(option.default))
            widget.setObjectName(f"export_{option.name}")
            self.options[option.name] = (option, widget)
        self.coders = QListWidget()
        self.coders.setObjectName("export_coders")
        role = None if own_coder is None else "coder"
        # blind coding: a coder does not even see the other names, and cannot untick their own
        for name in roles.visible_coders(own_coder, role, [c.name for c in project.coders()]):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            if roles.codes_blind(role):
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
        for option, widget in self.options.values():
            form.addRow(option.label if option.choices else "", widget)
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
        names = {o.name for o in registry.exporter(self.format.currentData()).options}
        for name, (_option, widget) in self.options.items():
            widget.setEnabled(name in names)

    def option_values(self) -> dict[str, Any]:
        """The chosen format's options, as its exporter reads them."""
        values: dict[str, Any] = {}
        for option in registry.exporter(self.format.currentData()).options:
            widget = self.options[option.name][1]
            values[option.name] = (widget.currentText() if isinstance(widget, QComboBox)
                                   else widget.isChecked())
        return values

    def _browse(self) -> None:
        fmt = registry.exporter(self.format.currentData())
        if fmt.target == "folder":
            path = QFileDialog.getExistingDirectory(self, f"Folder for the {fmt.label}")
        elif fmt.target == "new_folder":
            path = QFileDialog.getSaveFileName(self, f"New folder for the {fmt.label}")[0]
        else:
            ext = fmt.extensions[0] if fmt.extensions else ""
            path = QFileDialog.getSaveFileName(self, "Export to", f"export{ext}")[0]
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
                                      self.chosen_coders(), parent=self, options=self.option_values())
        except ExportCancelled:
            self.result_line = "Export cancelled: nothing was written."
        except (OSError, ValueError, ImportError) as exc:  # ImportError: an extra is missing
            QMessageBox.warning(self, "Export", str(exc))
            return
        self.accept()


def export(project: Project, fmt: str, target: Path, coders: list[str], profile: str = "native",
           raw: bool = False, parent: QWidget | None = None,
           options: dict[str, Any] | None = None) -> str:
    """Export with a progress dialog; cancelling leaves nothing under the target name.

    ``options`` are the format's options (default: ``profile`` and ``raw`` where it has them)."""
    exporter = registry.exporter(fmt)
    if options is None:
        given = {"profile": profile, "raw": raw}
        options = {o.name: given.get(o.name, o.default) for o in exporter.options}
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
        return f"{target}: " + exporter.write(registry.ExportJob(records, project.codebook, target, options))
    finally:
        dialog.close()
