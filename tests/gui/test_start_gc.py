"""The real `annotator gui` starts with the cyclic collector paused (core/gcpause.py): it made
about 130 collections before the first paint, one of them over the whole heap. It runs again
right after the first paint, with what the start made frozen out of its way, and closing the
window gives that back to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from annotator.core.project import Project

# the real command line (annotator.cli.main); the window is watched from open_window on
_WRAPPER = """\
import gc, json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
import annotator.gui.app as app_mod
from annotator.cli import main

seen = {}
built = app_mod.open_window

class Paint(QObject):
    def eventFilter(self, _obj, ev):
        if ev.type() == QEvent.Type.Paint and "at_paint" not in seen:
            seen["at_paint"] = gc.isenabled()
            QTimer.singleShot(300, after)
        return False

def open_window(*args, **kwargs):
    w = built(*args, **kwargs)
    seen["start"] = gc.isenabled()
    w.paint_watch = Paint(w)
    w.text.viewport().installEventFilter(w.paint_watch)
    seen["window"] = w
    return w

def after():
    w = seen.pop("window")
    seen["after"] = gc.isenabled()
    seen["frozen"] = gc.get_freeze_count()
    w.close()
    seen["closed"] = gc.get_freeze_count()
    print(json.dumps(seen), flush=True)

app_mod.open_window = open_window
sys.argv = ["annotator", "--db", sys.argv[1], "gui", "--coder", "amina"]
sys.exit(main())
"""


def test_the_collector_waits_for_the_first_paint_and_skips_the_start_after(
        gui_project: Project, tmp_path: Path) -> None:
    script = tmp_path / "wrapper.py"
    script.write_text(textwrap.dedent(_WRAPPER), "utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, str(script), gui_project.location], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["start"] is False and seen["at_paint"] is False  # paused through the start
    assert seen["after"] is True  # and on again once the report is painted
    assert seen["frozen"] > 10_000  # the start's objects, out of the collections' way
    assert seen["closed"] == 0  # given back when the window closes


def test_other_commands_leave_the_collector_alone(tmp_path: Path) -> None:
    code = ("import gc, sys; from annotator.cli import main; "
            "main(['--db', sys.argv[1], 'init']); print(gc.isenabled(), gc.get_freeze_count())")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p.db")],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split()[-2:] == ["True", "0"]
