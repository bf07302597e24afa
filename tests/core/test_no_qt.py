"""The core and the command line never import Qt (also checked by import-linter in `make lint`)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import annotator

ROOT = Path(annotator.__file__).resolve().parent


def test_core_and_cli_run_with_pyside6_blocked(new_db) -> None:
    # a meta path finder that refuses PySide6 stands in for a machine without it
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError("Qt is blocked in this test: " + name)
                return None

        sys.meta_path.insert(0, Block())
        import annotator.core, annotator.cli
        for package in (annotator.core, annotator.cli):
            for mod in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                if mod.name != "annotator.cli.__main__":  # it runs the command line
                    importlib.import_module(mod.name)
        from annotator.cli import main
        code = main(["--db", {new_db("p.db")!r}, "init"]) or main(["--db", {new_db("p.db")!r}, "reports"])
        assert code == 0, code
        assert not any(m.startswith(("PySide6", "annotator.gui")) for m in sys.modules)
        print("no-qt-ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no-qt-ok" in done.stdout


def test_gui_command_without_qt_says_so(new_db) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "PySide6":
                    raise ImportError("No module named 'PySide6'")
        sys.meta_path.insert(0, Block())
        from annotator.cli import main
        sys.exit(main(["--db", {new_db("p.db")!r}, "gui"]))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "PySide6" in done.stderr and "Traceback" not in done.stderr
