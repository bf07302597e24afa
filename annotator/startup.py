"""Before the window starts: can Qt's platform plugin load on this machine?

PySide6's wheels carry Qt but not the X11 libraries its ``xcb`` platform plugin links against
(libxcb-cursor0 and friends). Without them Qt aborts with a message about "the Qt platform
plugin" that does not say what to install. This module finds the missing libraries with ``ldd``
on the plugin (no Qt import, no QApplication) and says which packages provide them on
Debian/Ubuntu and Fedora; a check that found nothing missing is remembered until the plugin or
the system's libraries change. The command line never needs any of this.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

__all__ = ["MissingLibraries", "check_qt_platform", "missing_libraries"]

# soname -> (Debian/Ubuntu package, Fedora package)
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
# platforms that need no X libraries
_NO_X = {"offscreen", "minimal", "vnc", "wayland", "wayland-egl", "eglfs", "linuxfb", "cocoa", "windows"}


@dataclass(frozen=True)
class MissingLibraries:
    sonames: tuple[str, ...]

    def message(self) -> str:
        deb = sorted({PACKAGES.get(s, (s, s))[0] for s in self.sonames})
        fed = sorted({PACKAGES.get(s, (s, s))[1] for s in self.sonames})
        return (
            "annotator: the window cannot start: Qt's X11 platform plugin (xcb) needs system "
            f"libraries that are missing: {', '.join(self.sonames)}\n"
            "Install them (once) with:\n"
            f"  Debian/Ubuntu: sudo apt install {' '.join(deb)}\n"
            f"  Fedora:        sudo dnf install {' '.join(fed)}\n"
            "The command-line subcommands (import, export, agreement, ...) work without them."
        )


def _xcb_plugin() -> Path | None:
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(plugin: Path, ldd: str = "ldd") -> tuple[str, ...] | None:
    """The libraries the plugin (and what it links) cannot find; None when ldd cannot tell."""
    import subprocess  # (only when the plugin or the linker's cache changed: not every start)

    try:
        done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(dict.fromkeys(_NOT_FOUND.findall(done.stdout + done.stderr)))


def check_qt_platform() -> MissingLibraries | None:
    """On Linux with the X11 plugin in use, the missing libraries (None when all is well or
    when the check does not apply: another platform, no ldd, no PySide6)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if platform in _NO_X:
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return None  # Qt picks its Wayland plugin
    plugin = _xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return None
    key = _verdict_key(plugin, ldd)
    if key is not None and key in _known_good():
        return None
    missing = missing_libraries(plugin, ldd)
    if missing == () and key is not None:
        _remember_good(key)
    return MissingLibraries(missing) if missing else None


# ldd runs the dynamic loader over the plugin and everything it links: tens of milliseconds of
# every window start. Its "nothing missing" is kept in the user cache folder for this plugin,
# this ldd and this state of the system's libraries (/etc/ld.so.cache changes when packages
# add or remove libraries), so it runs again after any of them changes.
_LD_CACHE = Path("/etc/ld.so.cache")
_GOOD = "qt-platform-ok.txt"


def _verdict_key(plugin: Path, ldd: str) -> str | None:
    try:
        parts = [f"{f}:{f.stat().st_mtime_ns}:{f.stat().st_size}"
                 for f in (plugin, Path(ldd), _LD_CACHE) if f.exists()]
    except OSError:
        return None
    return "|".join(parts + [os.environ.get("LD_LIBRARY_PATH", "")])


def _good_file() -> Path:
    from annotator.core.resources import cache_dir

    return cache_dir() / _GOOD


def _known_good() -> list[str]:
    try:
        return _good_file().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _remember_good(key: str) -> None:
    try:
        path = _good_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key + "\n", encoding="utf-8")  # the current state only
    except OSError:
        pass  # a read-only cache: ldd runs at every start
