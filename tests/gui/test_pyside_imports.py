"""PySide6's check on every import is replaced by a cheaper one with the same answers
(gui/pyside_imports.py): PySide read each module's whole source through the line cache and the
tokenizer, ~70 ms of the window's start and a third of the warm-up thread's imports."""

from __future__ import annotations

import importlib
import inspect
import linecache
import sys
from pathlib import Path

import pytest

import annotator.gui  # noqa: F401 - installs the check
from annotator.gui import pyside_imports


def test_the_window_package_puts_the_cheap_check_in_place() -> None:
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside is pyside_imports.mentions_pyside
    assert pyside_imports.install() is True  # the pinned PySide6 has the check to replace


def _module(tmp_path: Path, name: str, text: str):  # noqa: ANN202
    (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)


@pytest.mark.parametrize("text", [
    "from PySide6.QtWidgets import QLabel\nLABEL = QLabel\n",
    "# a window of its own: PySide6, snake_case\nX = 1\n",
    "import json\nX = json.dumps({})\n",
    "",
])
def test_it_answers_as_pysides_own_check(tmp_path: Path, text: str) -> None:
    name = f"annotator_probe_{abs(hash(text))}"
    module = _module(tmp_path, name, text)
    try:
        theirs = "PySide6" in inspect.getsource(module)
    except OSError:  # an empty file has no source lines: PySide's check answers False
        theirs = False
    assert pyside_imports.mentions_pyside(module) is theirs


def test_a_module_without_a_readable_source_file_does_not_use_pyside(tmp_path: Path) -> None:
    assert pyside_imports.mentions_pyside(sys) is False  # built in
    module = _module(tmp_path, "annotator_probe_gone", "PYSIDE = 'PySide6'\n")
    (tmp_path / "annotator_probe_gone.py").unlink()
    assert pyside_imports.mentions_pyside(module) is False


def test_an_import_after_pyside_no_longer_reads_the_source_into_the_line_cache(tmp_path: Path) -> None:
    path = tmp_path / "annotator_probe_cache.py"
    _module(tmp_path, "annotator_probe_cache", "from PySide6 import QtCore\nX = QtCore\n")
    assert str(path) not in linecache.cache  # PySide's own check left every module's lines there
    import annotator.gui.main_window  # noqa: F401 - its modules select PySide's defaults, as before

    assert sys.modules["shibokensupport.feature"].pyside_feature_dict.get("annotator.gui.text_view") == 0
