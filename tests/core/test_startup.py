"""The window's start-up check: missing X libraries are named with the command that installs them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import startup

FAKE_LDD = """#!/bin/sh
echo "	linux-vdso.so.1 (0x00007ffd)"
echo "	libQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x00007f)"
echo "	libxcb-cursor.so.0 => not found"
echo "	libxkbcommon-x11.so.0 => not found"
echo "	libxcb-cursor.so.0 => not found"
"""


@pytest.fixture
def fake_ldd(tmp_path: Path) -> Path:
    """An ldd that reports two libraries missing, first on PATH: a machine without them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ldd = bin_dir / "ldd"
    ldd.write_text(FAKE_LDD)
    ldd.chmod(ldd.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def test_missing_libraries_are_read_from_ldd(fake_ldd: Path) -> None:
    found = startup.missing_libraries(Path("/any/libqxcb.so"), str(fake_ldd / "ldd"))
    assert found == ("libxcb-cursor.so.0", "libxkbcommon-x11.so.0")
    text = startup.MissingLibraries(found).message()
    assert "sudo apt install libxcb-cursor0 libxkbcommon-x11-0" in text
    assert "sudo dnf install libxkbcommon-x11 xcb-util-cursor" in text


def test_no_ldd_or_other_platform_means_no_verdict(monkeypatch: pytest.MonkeyPatch, fake_ldd: Path) -> None:
    assert startup.missing_libraries(Path("/x"), "/no/such/ldd") is None
    monkeypatch.setenv("PATH", f"{fake_ldd}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert startup.check_qt_platform() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is for Linux")
def test_annotator_says_what_to_install_instead_of_qts_abort(tmp_path: Path, fake_ldd: Path) -> None:
    pytest.importorskip("PySide6")  # the plugin file must exist (not in the core-only venv)
    env = dict(os.environ, PATH=f"{fake_ldd}{os.pathsep}{os.environ['PATH']}", DISPLAY=":99")
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-m", "annotator.cli", "--db", str(tmp_path / "p.db")],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert done.returncode == 1
    assert "libxcb-cursor.so.0" in done.stderr and "sudo apt install libxcb-cursor0" in done.stderr
    assert "Traceback" not in done.stderr
    # the command line still works on that machine
    subprocess.run([sys.executable, "-m", "annotator.cli", "--db", str(tmp_path / "p.db"), "init"],
                   capture_output=True, text=True, timeout=60, env=env, check=True)
    cli = subprocess.run([sys.executable, "-m", "annotator.cli", "--db", str(tmp_path / "p.db"), "reports"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert cli.returncode == 0, cli.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is for Linux")
def test_a_clean_check_is_remembered_until_the_libraries_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"plugin")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ldd = bin_dir / "ldd"
    runs = tmp_path / "runs"
    ldd.write_text(f'#!/bin/sh\necho run >> "{runs}"\necho "	libc.so.6 => /lib/libc.so.6"\n')
    ldd.chmod(ldd.stat().st_mode | stat.S_IXUSR)
    ld_cache = tmp_path / "ld.so.cache"
    ld_cache.write_bytes(b"one")
    monkeypatch.setattr(startup, "_xcb_plugin", lambda: plugin)
    monkeypatch.setattr(startup, "_LD_CACHE", ld_cache)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert startup.check_qt_platform() is None
    assert startup.check_qt_platform() is None
    assert runs.read_text().count("run") == 1  # the second start trusted the first check
    ld_cache.write_bytes(b"two, after a package was removed")
    assert startup.check_qt_platform() is None
    assert runs.read_text().count("run") == 2
    # a missing library is never remembered: every start says what to install
    ldd.write_text(f'#!/bin/sh\necho run >> "{runs}"\necho "	libxcb-cursor.so.0 => not found"\n')
    ld_cache.write_bytes(b"three")
    for _ in range(2):
        missing = startup.check_qt_platform()
        assert missing is not None and missing.sonames == ("libxcb-cursor.so.0",)
    assert runs.read_text().count("run") == 4
