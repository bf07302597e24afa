"""The application menu entry: a valid .desktop file that starts this installation, and the icon."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.resources import resources_dir
from annotator.desktop import desktop_entry, install_desktop


def _entry(text: str) -> configparser.SectionProxy:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str  # type: ignore[assignment,method-assign]
    cp.read_string(text)
    return cp["Desktop Entry"]


def test_install_desktop_writes_entry_and_icons(tmp_path: Path) -> None:
    written = install_desktop(tmp_path, command="/opt/my apps/annotator")
    entry = _entry((tmp_path / "applications" / "annotator.desktop").read_text())
    assert entry["Type"] == "Application" and entry["Icon"] == "annotator"
    assert entry["Exec"] == '"/opt/my apps/annotator"'  # quoted: the path has a space
    assert entry["TryExec"] == "/opt/my apps/annotator"
    assert (tmp_path / "icons/hicolor/scalable/apps/annotator.svg") in written
    png = (tmp_path / "icons/hicolor/256x256/apps/annotator.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    ET.fromstring((tmp_path / "icons/hicolor/scalable/apps/annotator.svg").read_text())
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(written[0])], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_module_launch_keeps_its_arguments() -> None:
    entry = _entry(desktop_entry("/usr/bin/python3 -m annotator.cli"))
    assert entry["Exec"] == "/usr/bin/python3 -m annotator.cli"


def test_cli_flag_uses_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["--install-desktop"]) == 0
    assert (tmp_path / "share/applications/annotator.desktop").is_file()
    assert "annotator.desktop: written" in capsys.readouterr().out


def test_shipped_files_exist() -> None:
    assert (resources_dir() / "annotator.desktop").is_file()
    assert (resources_dir() / "icons" / "annotator.svg").is_file()
