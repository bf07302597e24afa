from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

EMOJI_TEXT = "Alert 🚨 from Gao: gunmen 🔥 attacked Tessit, killing 12 soldiers.\nالجيش المالي said nothing.\n"


@pytest.fixture
def gui_project(tmp_path: Path, new_db) -> Iterator[Project]:
    project = Project.open(new_db("gui.db"))
    project.import_paths([
        write_jsonl(tmp_path / "r.jsonl", [
            record("first", EMOJI_TEXT, title="Emoji and Arabic"),
            record("second", "A second report about Kidal.\n", title="Second"),
        ])
    ])
    yield project
    project.close()


@pytest.fixture
def window(qtbot, gui_project: Project):
    from annotator.gui.main_window import MainWindow

    w = MainWindow(gui_project, gui_project.coder_id("tester", create=True))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w
