"""The role rules, once: the functions, and the command line refusing through them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import roles


@dataclass
class Who:
    name: str
    role: str


def test_a_coder_codes_blind() -> None:
    assert not roles.can_review("coder") and not roles.can_see_agreement("coder")
    assert roles.can_review("reviewer") and roles.can_review(None)
    assert roles.refusal("review", "amina", "coder") == (
        "amina is a coder: review needs a reviewer identity (coders code blind and cannot see "
        "each other's work)")
    assert roles.refusal("agreement", "rita", "reviewer") is None
    assert "cannot add coders" in (roles.refusal("add_coders", "amina", "coder") or "")
    assert roles.visible_coders("amina", "coder", ["amina", "lukas"]) == ["amina"]
    assert roles.visible_coders("rita", "reviewer", ["amina", "lukas"]) == ["amina", "lukas"]
    assert roles.visible_statuses("amina", "coder", {"amina": "done", "lukas": "todo"}) == {
        "amina": "done"}


def test_export_coders() -> None:
    assert roles.export_coders("amina", "coder", None) == ["amina"]
    assert roles.export_coders("amina", "coder", ["amina"]) == ["amina"]
    with pytest.raises(roles.RoleError, match="only their own work"):
        roles.export_coders("amina", "coder", ["lukas"])
    assert roles.export_coders("rita", "reviewer", None) is None
    assert roles.export_coders(None, None, ["lukas"]) == ["lukas"]


def test_switch_targets_leave_out_gold() -> None:
    people = [Who("amina", "coder"), Who("rita", "reviewer"), Who("gold", "gold")]
    assert roles.switch_targets(people) == ["amina", "rita"]


def test_the_cli_refuses_with_the_rule_messages(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init", "--example"]) == 0
    assert main(["--db", db, "coders", "--add", "amina2"]) == 0
    capsys.readouterr()
    for args in (["agreement"], ["adjudicate"], ["coders", "--add", "x"]):
        assert main(["--db", db, "--as", "amina2", *args]) == 1
        err = capsys.readouterr().err
        assert err.strip().endswith(roles.refusal(args[0] if args[0] != "coders" else "add_coders",
                                                  "amina2", "coder") or "?")
    assert main(["--db", db, "--as", "amina2", "export", "--coder", "amina", "--out", "-"]) == 1
    assert "only their own work" in capsys.readouterr().err
