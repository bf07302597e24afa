"""The window's start opens only a project that is there (or makes the default one with the
example): a mistyped --db shows why and makes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.gui import app


def test_a_missing_project_is_refused_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               qapp: object) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    typo = tmp_path / "projcts" / "main.db"
    assert app.run(str(typo)) == 1
    assert shown and f"{typo}: no such project" in shown[0] and "init" in shown[0]
    assert not (tmp_path / "projcts").exists()
    here = tmp_path / "main.db"
    assert app.run(str(here)) == 1
    assert f"{here}: no such project" in shown[1] and not here.exists()
