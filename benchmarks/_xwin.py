"""Measuring a real window from outside: an Xvfb server, keys sent through XTest and the first
changed pixels seen through X DAMAGE (python-xlib). Used by bench_latency.py and bench_window.py.

Needs Debian's xvfb and python-xlib (in the project's test extra).
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path

from Xlib import XK, X, display
from Xlib.ext import damage, xtest

# the caret blinks in a rectangle a few pixels wide: damage that narrow is not "changed pixels"
CARET_WIDTH = 6


class Xvfb:
    def __init__(self, width: int = 1600, height: int = 1000) -> None:
        n = 90
        while Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
            n += 1
        self.name = f":{n}"
        self.proc = subprocess.Popen(
            ["Xvfb", self.name, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.02)
        time.sleep(0.1)
        try:
            self.d = display.Display(self.name)
            if not self.d.has_extension("DAMAGE") or not self.d.has_extension("XTEST"):
                raise RuntimeError("Xvfb lacks the DAMAGE or XTEST extension")
            self.d.damage_query_version()
        except Exception:
            self.proc.terminate()
            raise
        self.root = self.d.screen().root
        self._pid_atom = self.d.intern_atom("_NET_WM_PID")

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DISPLAY"] = self.name
        env["QT_QPA_PLATFORM"] = "xcb"
        return env

    def close(self) -> None:
        self.d.close()
        self.proc.terminate()
        self.proc.wait(5)

    # ---------------------------------------------------------------- windows

    def window_of(self, pid: int):  # noqa: ANN201 - an Xlib window
        """The largest viewable top-level window of process ``pid``, or None."""
        best, area = None, 0
        for w in self.root.query_tree().children:
            try:
                prop = w.get_full_property(self._pid_atom, X.AnyPropertyType)
                if prop is None or int(prop.value[0]) != pid:
                    continue
                if w.get_attributes().map_state != X.IsViewable:
                    continue
                g = w.get_geometry()
            except Exception:  # noqa: BLE001 - a window that went away meanwhile
                continue
            if g.width * g.height > area:
                best, area = w, g.width * g.height
        return best

    def wait_window(self, proc: subprocess.Popen, timeout: float = 120.0):  # noqa: ANN201
        """Poll (5 ms) until ``proc`` shows a window; returns (window, seconds since the poll began)."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"the process exited ({proc.returncode}) before showing a window")
            w = self.window_of(proc.pid)
            if w is not None:
                return w, time.perf_counter() - t0
            time.sleep(0.005)
        raise RuntimeError("no window within the timeout")

    def watch(self, win) -> object:  # noqa: ANN001
        return win.damage_create(damage.DamageReportRawRectangles)

    def focus(self, win) -> None:  # noqa: ANN001
        win.configure(stack_mode=X.Above)
        win.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.d.sync()

    # ---------------------------------------------------------------- keys and pixels

    def _code(self, name: str) -> int:
        sym = XK.string_to_keysym(name)
        if sym == 0 and len(name) == 1:
            sym = ord(name)
        code = self.d.keysym_to_keycode(sym)
        if not code:
            raise ValueError(f"no keycode for {name!r}")
        return int(code)

    def key(self, combo: str) -> float:
        """Press and release ``combo`` ('ctrl+shift+Right', 'F2', '2'); returns the time the
        key went out (perf_counter)."""
        parts = combo.split("+")
        mods = [self._code({"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L"}[m]) for m in parts[:-1]]
        code = self._code(parts[-1])
        for m in mods:
            xtest.fake_input(self.d, X.KeyPress, m)
        self.d.sync()
        t0 = time.perf_counter()
        xtest.fake_input(self.d, X.KeyPress, code)
        self.d.flush()
        xtest.fake_input(self.d, X.KeyRelease, code)
        for m in reversed(mods):
            xtest.fake_input(self.d, X.KeyRelease, m)
        self.d.flush()
        return t0

    def _next_damage(self, until: float) -> float | None:
        """The perf_counter time of the next damage wider than the caret before ``until``."""
        while True:
            while self.d.pending_events():
                ev = self.d.next_event()
                # extension_add_event registers a copy of the class: compare by name
                if type(ev).__name__ == "DamageNotify" and ev.area.width > CARET_WIDTH:
                    return time.perf_counter()
            left = until - time.perf_counter()
            if left <= 0:
                return None
            select.select([self.d.display.socket], [], [], left)

    def first_pixels(self, timeout: float = 3.0) -> float | None:
        return self._next_damage(time.perf_counter() + timeout)

    def settle(self, quiet: float = 0.15, cap: float = 5.0) -> None:
        """Wait until nothing but the caret has been drawn for ``quiet`` seconds."""
        end = time.perf_counter() + cap
        while time.perf_counter() < end:
            if self._next_damage(min(end, time.perf_counter() + quiet)) is None:
                return

    def drain(self) -> None:
        while self.d.pending_events():
            self.d.next_event()
