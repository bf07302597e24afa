"""An installed wheel carries the schemas, the default codebook and the example project."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import annotator

ROOT = Path(annotator.__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = dist.glob("annotator-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "annotator/_data/schemas/codebook.schema.json",
        "annotator/_data/schemas/interchange.schema.json",
        "annotator/_data/schemas/conflict-events.json",
        "annotator/_data/resources/example/example.jsonl",
    ):
        assert needed in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]]))
    code = (
        "import annotator, sys; from annotator.cli import main;"
        "assert 'site' in annotator.__file__, annotator.__file__;"
        "sys.exit(main(['init', '--example']) or main(['reports']))"
    )
    home = tmp_path / "home"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "example-liptako-claim" in done.stdout


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_opens_the_example(tmp_path: Path) -> None:
    """pip-install the wheel into a new virtual environment; its `annotator` script starts the
    example project, the .desktop entry and icon are inside, and (with Qt) the window opens."""
    import venv

    pytest.importorskip("hatchling")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = dist.glob("annotator-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "annotator/_data/resources/annotator.desktop" in names
    assert "annotator/_data/resources/icons/annotator.svg" in names
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies come from this environment (no network in a test); annotator itself does not
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                           "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    home = tmp_path / "home"
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), QT_QPA_PLATFORM="offscreen")
    env.pop("ANNOTATOR_DB", None)
    env.pop("PYTHONPATH", None)
    exe = env_dir / "bin" / "annotator"
    where = subprocess.run([str(py), "-c", "import annotator; print(annotator.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout
    assert where.startswith(str(env_dir)), where
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert version.returncode == 0 and annotator.__version__ in version.stdout
    made = subprocess.run([str(exe), "init", "--example"], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300)  # the command line makes no project but by init
    assert made.returncode == 0, made.stderr
    reports = subprocess.run([str(exe), "reports"], capture_output=True, text=True, env=env, cwd=tmp_path,
                             timeout=300)
    assert reports.returncode == 0, reports.stderr
    assert "example-liptako-claim" in reports.stdout  # the default project holds the example
    menu = subprocess.run([str(exe), "--install-desktop"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert menu.returncode == 0, menu.stderr
    entry = (home / "data" / "applications" / "annotator.desktop").read_text()
    assert f"Exec={exe.resolve()}" in entry
    if importlib.util.find_spec("PySide6") is None:
        return  # the core-only environment: no window to open
    window = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from annotator.core.project import Project; from annotator.gui.main_window import MainWindow;"
        "p = Project.open(); w = MainWindow(p, p.coder_id('amina')); w.show(); app.processEvents();"
        "assert w.queue_panel.row_count() >= 1; print('window-ok', w.windowTitle())"
    )
    shown = subprocess.run([str(py), "-c", window], capture_output=True, text=True, env=env, cwd=tmp_path,
                           timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert "window-ok" in shown.stdout
