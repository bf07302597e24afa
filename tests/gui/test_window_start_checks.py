"""The window's start leaves the sample check and the change-log prune for after its first paint
(gui/start_checks.py), and still refuses a damaged project with the message the refused open
showed: the open report is checked on what the window read before the first key is handled, the
sample on a background thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.project import Project
from annotator.gui import app
from annotator.gui.main_window import MainWindow
from tests.core.helpers import record, span, write_jsonl

TEXTS = {f"r{i}": f"Report {i}: gunmen attacked Gao on Monday.\n" for i in range(1, 4)}


def _project(tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    p = Project.open(db)
    p.import_paths([write_jsonl(tmp_path / "a.jsonl", [
        record(rid, text, [{"coder": "amina", "spans": [span("s1", "location", text, "Gao")]}])
        for rid, text in TEXTS.items()])])
    p.close()
    return db


def _sql(db: Path, statement: str) -> None:
    con = sqlite3.connect(db)
    con.execute(statement)
    con.commit()
    con.close()


class _Start:
    """app.run on a project, with the message boxes and the sample check recorded; a sound
    project's window is closed once its checks are done."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[str] = []
        self.samples = 0
        self.pruned = 0
        monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: self.shown.append(text))
        real_verify, real_prune = Project.verify_sample, Project.prune_change_log

        def verify(project: Project) -> None:
            self.samples += 1
            real_verify(project)

        def prune(project: Project) -> None:
            self.pruned += 1
            real_prune(project)
            QTimer.singleShot(0, _close_all)  # checked and pruned: the start is over

        monkeypatch.setattr(Project, "verify_sample", verify)
        monkeypatch.setattr(Project, "prune_change_log", prune)

    def run(self, db: Path) -> int:
        QTimer.singleShot(20_000, _close_all)  # never hang the suite
        return app.run(str(db), "amina")


def _close_all() -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            w.close()
    QApplication.exit(0)


def test_a_sound_project_is_checked_and_pruned_after_the_first_paint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object) -> None:
    db = _project(tmp_path)
    start = _Start(monkeypatch)
    assert start.run(db) == 0
    assert start.shown == [] and start.samples == 1 and start.pruned == 1


def test_a_damaged_report_in_the_sample_closes_the_window_with_the_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object) -> None:
    db = _project(tmp_path)
    _sql(db, "update report set text = replace(text, 'Gao', 'Gab') where external_id = 'r3'")
    start = _Start(monkeypatch)
    assert start.run(db) == 1
    assert len(start.shown) == 1 and "damaged" in start.shown[0] and "report r3" in start.shown[0]
    assert start.samples == 1 and start.pruned == 0  # nothing written to a damaged project


@pytest.mark.parametrize(("statement", "named"), [
    ("update report set text = replace(text, 'Gao', 'Gab') where external_id = 'r1'", "report r1"),
    ("update span set text = 'Gab' where report_id = 1", "span"),
])
def test_a_damaged_open_report_is_refused_before_any_key_on_what_the_window_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object,
        statement: str, named: str) -> None:
    db = _project(tmp_path)
    _sql(db, statement)
    start = _Start(monkeypatch)
    assert start.run(db) == 1
    assert len(start.shown) == 1 and "damaged" in start.shown[0] and named in start.shown[0]
    assert start.samples == 0  # found on the main thread, in the work after the first paint
