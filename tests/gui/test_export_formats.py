"""File → Export offers the NLP formats (from the registry); what it writes imports back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.io import registry
from annotator.core.project import Project

NLP = ["labelstudio", "doccano", "spacy", "conll"]


@pytest.mark.parametrize("name", NLP)
def test_every_nlp_format_from_the_dialog(qtbot, gui_project: Project, tmp_path: Path,
                                          name: str) -> None:
    from annotator.core.commands import AddSpan
    from annotator.gui import export_dialog

    if name == "spacy":
        pytest.importorskip("spacy")
    fmt = registry.exporter(name)
    coder = gui_project.coder_id("tester", create=True)
    report = gui_project.reports()[0].id
    gui_project.run(AddSpan(report, coder, "actor", 0, 5))
    dlg = export_dialog.ExportDialog(gui_project, "tester")
    qtbot.addWidget(dlg)
    dlg.format.setFocus()
    while dlg.format.currentData() != name:  # walk the list with the keyboard
        qtbot.keyClick(dlg.format, Qt.Key.Key_Down)
    target = tmp_path / f"out{fmt.extensions[0]}"
    qtbot.keyClicks(dlg.target, str(target))
    dlg.run()
    assert target.exists(), dlg.result_line
    again = Project.open(tmp_path / "again.db")
    try:
        summary = again.import_paths([target])
        assert not summary.failed, summary.files[0].message
        assert summary.added == 2 and summary.annotations == 1
    finally:
        again.close()
