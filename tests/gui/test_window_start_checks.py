"""The window's start leaves the sample check and the change-log prune for after its first paint
(gui/start_checks.py), and still refuses a damaged project with the message the refused open
showed: the open report is checked on what the window read before the first key is handled, the
sample on a background thread."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.core.project import Project
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


# app.run in a process of its own: after its event loop has run, this process's Qt would map no
# new window (the tests after it would never see a paint)
_RUN = """
import json, sys
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from annotator.core.project import Project
from annotator.gui import app
from annotator.gui.main_window import MainWindow

seen = {"shown": [], "samples": 0, "pruned": 0}
QMessageBox.critical = lambda _p, _t, text: seen["shown"].append(text)
real_verify, real_prune = Project.verify_sample, Project.prune_change_log

def verify(project):
    seen["samples"] += 1
    real_verify(project)

def prune(project):  # (on the checks' thread)
    real_prune(project)
    seen["pruned"] += 1

Project.verify_sample, Project.prune_change_log = verify, prune

def close_all():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            w.close()
    QApplication.exit(0)

qapp = QApplication([])
waited = QElapsedTimer()
waited.start()
poll = QTimer()  # checked and pruned: the start is over (at the latest after 20 s)
poll.timeout.connect(lambda: (seen["pruned"] or waited.elapsed() > 20_000) and close_all())
poll.start(20)
seen["code"] = app.run(sys.argv[1], "amina")
print(json.dumps(seen))
"""


def _run(db: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _RUN, str(db)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_sound_project_is_checked_and_pruned_after_the_first_paint(tmp_path: Path) -> None:
    seen = _run(_project(tmp_path))
    assert seen == {"code": 0, "shown": [], "samples": 1, "pruned": 1}


def test_a_damaged_report_in_the_sample_closes_the_window_with_the_message(tmp_path: Path) -> None:
    db = _project(tmp_path)
    _sql(db, "update report set text = replace(text, 'Gao', 'Gab') where external_id = 'r3'")
    seen = _run(db)
    assert seen["code"] == 1 and len(seen["shown"]) == 1
    assert "damaged" in seen["shown"][0] and "report r3" in seen["shown"][0]
    assert seen["samples"] == 1 and seen["pruned"] == 0  # nothing written to a damaged project


@pytest.mark.parametrize(("statement", "named"), [
    ("update report set text = replace(text, 'Gao', 'Gab') where external_id = 'r1'", "report r1"),
    ("update span set text = 'Gab' where report_id = 1", "span"),
])
def test_a_damaged_open_report_is_refused_before_any_key_on_what_the_window_read(
        tmp_path: Path, statement: str, named: str) -> None:
    db = _project(tmp_path)
    _sql(db, statement)
    seen = _run(db)
    assert seen["code"] == 1 and len(seen["shown"]) == 1
    assert "damaged" in seen["shown"][0] and named in seen["shown"][0]
    assert seen["samples"] == 0  # found on the main thread, in the work after the first paint
