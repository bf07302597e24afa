"""Only `init` (and the window's New project, and the window's first start on the default
project) makes a project: every other subcommand, named a project that is not there, refuses
with the path and `annotator init`, and leaves no file and no folder behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import default_database_path

CODEBOOK = Path(__file__).resolve().parents[2] / "schemas" / "conflict-events.json"


def _subcommands(tmp: Path) -> list[list[str]]:
    report = tmp / "r.txt"
    report.write_text("Rebels attacked Kora.\n", "utf-8")
    return [
        ["import", str(report)],
        ["export", "--format", "jsonl", "--out", str(tmp / "out.jsonl")],
        ["export", "--format", "webanno", "--out", str(tmp / "out-tsv")],
        ["reports"], ["coders"], ["progress"],
        ["assign", "--coders", "amina,bob"],
        ["agreement"], ["adjudicate"],
        ["codebook", "show"], ["codebook", "marks"], ["codebook", "upgrade", str(CODEBOOK)],
        ["codebook", "doc"],
        ["actors", "list"],
        ["check"], ["backup"], ["copy", str(tmp / "copy.db")],
    ]


def _created(tmp: Path, before: set[Path]) -> set[Path]:
    return {p for p in tmp.rglob("*")} - before


@pytest.mark.parametrize("where", ["missing folder", "existing folder"])
def test_every_subcommand_refuses_a_missing_project(tmp_path: Path, where: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "projcts" / "main.db" if where == "missing folder" else tmp_path / "main.db"
    for argv in _subcommands(tmp_path):
        before = set(tmp_path.rglob("*"))
        assert main(["--db", str(db), *argv]) == 1, argv
        err = capsys.readouterr().err
        assert f"{db}: no such project" in err and f"annotator --db {db} init" in err, (argv, err)
        assert "Traceback" not in err
        assert _created(tmp_path, before) == set(), argv  # no project, no folder, no output
    assert main(["--db", str(db), "init"]) == 0 and db.is_file()  # init makes it


def test_a_folder_is_no_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path), "reports"]) == 1
    assert f"{tmp_path}: a folder, not a project file" in capsys.readouterr().err


def test_the_environment_variable_is_checked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "team.db"
    monkeypatch.setenv("ANNOTATOR_DB", str(db))
    assert main(["coders"]) == 1
    assert f"{db}: no such project" in capsys.readouterr().err and not db.exists()


def test_the_default_project_is_not_made_by_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    default = default_database_path()  # in the test's own data folder (conftest)
    assert not default.exists()
    assert main(["reports"]) == 1
    err = capsys.readouterr().err
    assert f"{default}: there is no project yet" in err and "`annotator init`" in err
    assert not default.exists() and not default.parent.exists()
    assert main(["init"]) == 0 and default.is_file()
    assert main(["reports"]) == 0


def test_backups_of_a_missing_project_can_still_be_listed(tmp_path: Path) -> None:
    db = tmp_path / "gone.db"
    assert main(["--db", str(db), "backup", "--list"]) == 0  # to restore one of them
    assert not db.exists()
