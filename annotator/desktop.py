"""Put Annotator in the user's application menu (XDG): a .desktop entry and the icon.

``annotator --install-desktop`` writes ``$XDG_DATA_HOME/applications/annotator.desktop`` (default
``~/.local/share``) and the icon under ``icons/hicolor/``; nothing needs root. ``Exec`` is the
absolute path of the program that ran the command (a venv's script or the bundle), so the menu
starts the same installation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from annotator.core.resources import resources_dir

__all__ = ["desktop_entry", "install_desktop", "launcher"]


def launcher() -> str:
    """The command that starts this installation of Annotator."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle
        return str(Path(sys.executable).resolve())
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "annotator" and script.exists():
        return str(script.resolve())
    found = shutil.which("annotator")
    if found:
        return str(Path(found).resolve())
    return f"{Path(sys.executable).resolve()} -m annotator.cli"


def _quote(arg: str) -> str:
    # the desktop entry spec: quote arguments holding spaces or reserved characters
    if any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$") + '"'
    return arg


def desktop_entry(command: str | None = None) -> str:
    """The shipped .desktop text with Exec/TryExec pointing at ``command``."""
    command = command or launcher()
    parts = command.split(" -m ") if " -m " in command else [command]
    exe = parts[0]
    exec_line = _quote(exe) + (f" -m {parts[1]}" if len(parts) > 1 else "")
    out = []
    for line in (resources_dir() / "annotator.desktop").read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line}"
        elif line.startswith("TryExec="):
            line = f"TryExec={exe}"
        out.append(line)
    return "\n".join(out) + "\n"


def install_desktop(data_home: Path | None = None, command: str | None = None) -> list[Path]:
    """Write the menu entry and the icons; return the files written."""
    if data_home is None:
        data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    icons = resources_dir() / "icons"
    written = []
    apps = data_home / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    entry = apps / "annotator.desktop"
    entry.write_text(desktop_entry(command), encoding="utf-8")
    written.append(entry)
    for src, rel in (
        (icons / "annotator.svg", "icons/hicolor/scalable/apps/annotator.svg"),
        (icons / "annotator-256.png", "icons/hicolor/256x256/apps/annotator.png"),
        (icons / "annotator-64.png", "icons/hicolor/64x64/apps/annotator.png"),
    ):
        dest = data_home / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    # refresh the menu where the tool exists (desktop-file-utils); harmless when it does not
    tool = shutil.which("update-desktop-database")
    if tool:
        subprocess.run([tool, str(apps)], capture_output=True, timeout=30, check=False)
    return written
