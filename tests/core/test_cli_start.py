"""`annotator --version` and `--help` build the parser only: neither the project facade nor
SQLAlchemy is imported (they took most of a second before the version was printed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator import __version__

HEAVY = ("sqlalchemy", "sqlmodel", "annotator.core.project", "annotator.core.db", "PySide6")


def _imported(args: list[str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the real command (python -m annotator.cli) with -X importtime: every module imported
    is named on stderr."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "annotator.cli", *args],
                          capture_output=True, text=True, timeout=120)
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:")}
    return done, names


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["export", "--help"]])
def test_version_and_help_import_no_database_code(args: list[str]) -> None:
    done, names = _imported(args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "annotator.cli" in names  # the listing is read right
    assert not {n for n in names if n.split(".")[0] in HEAVY or n in HEAVY}, sorted(
        n for n in names if n.split(".")[0] in HEAVY or n in HEAVY)
    if args == ["--version"]:
        assert done.stdout.strip() == f"annotator {__version__}"
    else:
        assert "usage: annotator" in done.stdout


def test_a_subcommand_still_loads_what_it_needs(tmp_path) -> None:
    done, names = _imported(["--db", str(tmp_path / "p.db"), "init"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sqlalchemy" in names and (tmp_path / "p.db").exists()
