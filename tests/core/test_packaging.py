"""An installed wheel carries the schemas, the default codebook and the example project."""

from __future__ import annotations

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
        "sys.exit(main(['reports']))"
    )
    home = tmp_path / "home"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "example-liptako-claim" in done.stdout
