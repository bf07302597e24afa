"""A kill (SIGTERM) or Ctrl+C (SIGINT) sent to the real `annotator gui` closes the window the way
File → Quit does: the value being typed is stored, no traceback is printed, the status is 128 +
the signal's number."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotator.core.project import Project

# the real command line (annotator.cli.main, argv from sys.argv); a timer types a value into the
# actor form once the window is up and prints "typed": the pause that would store it is made
# endless, so only the window's closing can store it
_WRAPPER = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
import annotator.gui.attribute_form as form
from annotator.cli import main

form.AUTOSAVE_MS = 10**8
app = QApplication(sys.argv[:1])

def type_when_shown():
    from annotator.gui.main_window import MainWindow
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(50, type_when_shown)
        return
    w = windows[0]
    start = w.report_text.index("gunmen")
    w.text.select_range(start, start + len("gunmen"))
    w.text.setFocus()
    w.tag_actions["actor"].trigger()
    field = w.span_form.editor_fields("canonical_name")[0]
    field.setFocus()
    app.processEvents()  # the focus selects the suggested text: typing replaces it
    QTest.keyClicks(field, "Unknown gunmen")
    print("typed", flush=True)

QTimer.singleShot(0, type_when_shown)
sys.argv = ["annotator", "--db", sys.argv[1], "gui", "--coder", "killed"]
sys.exit(main())
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_the_window_storing_what_is_typed(gui_project: Project, tmp_path: Path,
                                                          signum: int) -> None:
    script = tmp_path / "wrapper.py"
    script.write_text(textwrap.dedent(_WRAPPER), "utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, str(script), gui_project.location],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    deadline = time.time() + 120
    line = ""
    while "typed" not in line and time.time() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
    try:
        assert "typed" in line, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.3)  # the window sits idle in its event loop, as when a user is away
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert "Traceback" not in err and "Error calling Python override" not in err, err
    assert proc.returncode == 128 + signum, err
    coder = gui_project.coder_id("killed")
    report = gui_project.reports()[0].id
    by_text = {s.text: s.attributes for s in gui_project.spans(report, coder)}
    assert by_text["gunmen"].get("canonical_name") == "Unknown gunmen"
