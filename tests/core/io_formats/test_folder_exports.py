"""The WebAnno folder is written as the XMI and brat folders are (io/atomic.atomic_folder): it
gets the permissions of any new folder, not the 0700 of a temporary one, and the part folder a
killed export left beside it is removed by the next export there."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from annotator.cli import main
from tests.core.io_formats.format_samples import project, sample_records


def _dead_pid() -> int:
    for pid in range(4_000_000, 4_000_100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            continue
    pytest.skip("no free process id to stand for a killed export")


@pytest.mark.parametrize(("fmt", "suffix"), [("webanno", ".tsv"), ("xmi", ".xmi")])
def test_a_folder_export_is_an_ordinary_new_folder(tmp_path: Path, fmt: str, suffix: str) -> None:
    project(tmp_path, "a", sample_records()).close()
    leftover = tmp_path / f".out.{_dead_pid()}.abc123.part"  # a killed export's temporary folder
    leftover.mkdir()
    (leftover / "r-1.tsv").write_text("half", "utf-8")
    old = os.umask(0o022)
    try:
        out = tmp_path / "out"
        assert main(["--db", str(tmp_path / "a.db"), "export", "--format", fmt,
                     "--out", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert sorted(p.name for p in out.iterdir() if p.suffix == suffix) == [
        f"r-1__amina{suffix}", f"r-1__lukas{suffix}", f"r-2{suffix}"]
    assert not leftover.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []
