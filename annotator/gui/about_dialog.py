"""Help → About: what this is, which version, where its files are."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from annotator import __version__
from annotator.core.resources import resources_dir
from annotator.gui.geometry import GeometryGuard

__all__ = ["AboutDialog", "about_text"]


def about_text(location: str | None = None) -> str:
    from platformdirs import user_config_dir, user_data_dir

    data = user_data_dir("annotator", appauthor=False)
    rows = [
        ("Version", __version__),
        ("Python", platform.python_version()),
        ("Qt", f"{qVersion()} (PySide6 {pyside_version})"),
        ("Project", location or "none"),
        ("Your data", data),
        ("Backups", f"{data}/backups"),
        ("Your settings", user_config_dir("annotator", appauthor=False)),
    ]
    table = "".join(f"<tr><td><b>{k}</b></td><td>{_esc(v)}</td></tr>" for k, v in rows)
    return (
        "<h2>Annotator</h2><p>Hand-code the claims in conflict and terrorism reports: spans with "
        "normalized values, claim records, inter-coder agreement and adjudication.</p>"
        f"<table cellspacing='4'>{table}</table>"
        "<p>Free software under the MIT licence. Place data: GeoNames (CC BY 4.0).</p>"
    )


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;")


class AboutDialog(QDialog):
    def __init__(self, location: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        GeometryGuard.watch(self)  # fitted to its screen whenever shown
        self.setWindowTitle("About Annotator")
        icon = QLabel()
        pix = QPixmap(str(resources_dir() / "icons" / "annotator-64.png"))
        icon.setPixmap(pix)
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(about_text(location))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(buttons)
