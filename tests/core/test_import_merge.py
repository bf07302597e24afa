"""What a second import may change: statuses only move forward, and roles come only from a
reviewer's (or the project lead's) import."""

from __future__ import annotations

from pathlib import Path

from annotator.core.project import Project
from tests.core.helpers import record, span, write_jsonl

TEXT = "Gunmen attacked the market in Gao on Sunday.\n"


def _status(project: Project, coder: str) -> str:
    (row,) = project.reports()
    return row.statuses[coder]


def test_a_second_jsonl_never_turns_done_back_to_todo(project: Project, tmp_path: Path) -> None:
    spans = [span("s1", "actor", TEXT, "Gunmen")]
    done = write_jsonl(tmp_path / "done.jsonl", [record("r1", TEXT, [
        {"coder": "amina", "status": "done", "spans": spans}, {"coder": "lukas", "status": "done"}])])
    later = write_jsonl(tmp_path / "later.jsonl", [record("r1", TEXT, [
        {"coder": "amina", "status": "todo", "spans": spans},
        {"coder": "lukas", "status": "in_progress"}])])
    assert not project.import_paths([done]).failed
    summary = project.import_paths([later])
    assert not summary.failed, summary.files[0].message
    assert _status(project, "amina") == "done" and _status(project, "lukas") == "done"
    # forward still moves: in progress -> done
    fresh = write_jsonl(tmp_path / "fresh.jsonl", [record("r1", TEXT, [
        {"coder": "rita", "status": "in_progress"}])])
    finish = write_jsonl(tmp_path / "finish.jsonl", [record("r1", TEXT, [
        {"coder": "rita", "status": "done"}])])
    project.import_paths([fresh, finish])
    assert _status(project, "rita") == "done"


def _roles(project: Project) -> dict[str, str]:
    return {c.name: c.role for c in project.coders()}


def test_an_import_by_a_coder_never_creates_a_reviewer(project: Project, tmp_path: Path) -> None:
    project.coder_id("amina", create=True)
    path = write_jsonl(tmp_path / "eve.jsonl", [record("r1", TEXT, [
        {"coder": "eve", "role": "reviewer", "status": "done"}])])
    summary = project.import_paths([path], identity="amina")
    assert not summary.failed
    assert _roles(project)["eve"] == "coder"
    gold = write_jsonl(tmp_path / "gold.jsonl", [record("r2", "Another report about Gao.\n", [
        {"coder": "gold", "role": "gold", "status": "done"}])])
    summary = project.import_paths([gold], identity="amina")
    assert summary.failed and "only be imported by a reviewer" in summary.files[0].message
    assert "gold" not in _roles(project) and len(project.reports()) == 1


def test_an_import_by_a_reviewer_or_the_lead_keeps_the_declared_role(
    project: Project, tmp_path: Path
) -> None:
    project.coder_id("rita", create=True, role="reviewer")
    one = write_jsonl(tmp_path / "one.jsonl", [record("r1", TEXT, [
        {"coder": "eve", "role": "reviewer", "status": "done"}])])
    two = write_jsonl(tmp_path / "two.jsonl", [record("r2", "Another report about Gao.\n", [
        {"coder": "ines", "role": "reviewer"}])])
    project.import_paths([one], identity="rita")
    project.import_paths([two])
    assert _roles(project)["eve"] == "reviewer" and _roles(project)["ines"] == "reviewer"


def test_an_import_never_changes_an_existing_role(project: Project, tmp_path: Path) -> None:
    project.coder_id("eve", create=True)
    path = write_jsonl(tmp_path / "eve.jsonl", [record("r1", TEXT, [
        {"coder": "eve", "role": "reviewer"}])])
    project.import_paths([path])
    assert _roles(project)["eve"] == "coder"
