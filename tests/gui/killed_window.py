"""The kill tests' start-up: the real window in a child process on the test's project, driven by
a few script lines, killed outright (SIGKILL, no clean-up) once it printed what the test waits for.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

# the steps see: app, w (the MainWindow of coder sys.argv[2]), text (its report text), Qt, QTest
_START = """\
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from annotator.core.project import Project
from annotator.gui.main_window import MainWindow
project = Project.open(sys.argv[1])
w = MainWindow(project, project.coder_id(sys.argv[2], create=True))
w.show()
text = w.report_text
"""

_IDLE = """
while True:  # the window stays up, doing nothing more, until it is killed
    app.processEvents()
    time.sleep(0.01)
"""


def run_window_then_kill(tmp_path: Path, location: str, coder: str, steps: str,
                         until: Callable[[str], bool], seconds: float) -> str:
    """Run the window with ``steps``, read its output until ``until(line)`` (or ``seconds`` have
    passed, or it ended), SIGKILL it; returns the last line read."""
    script = tmp_path / "window.py"
    script.write_text(_START + textwrap.dedent(steps) + _IDLE, "utf-8")
    proc = subprocess.Popen([sys.executable, str(script), location, coder],
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    assert proc.stdout is not None
    deadline = time.time() + seconds
    line = ""
    try:
        while not until(line) and time.time() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    return line
