"""Coder names compare case-insensitively: "Bob" and "bob" are one coder, in every path."""

from __future__ import annotations

from pathlib import Path

from annotator.core.project import Project
from tests.core.helpers import record, span, write_jsonl

TEXT = "Gunmen attacked the market in Gao on Sunday.\n"
OTHER = "Soldiers patrolled the road to Menaka.\n"


def test_bob_and_bob_are_one_coder_in_imports_and_lookups(project: Project, tmp_path: Path) -> None:
    bob = project.coder_id("Bob", create=True)
    assert project.coder_id("bob") == bob and project.coder_id(" BOB ", create=True) == bob
    first = write_jsonl(tmp_path / "a.jsonl", [record("r1", TEXT, [
        {"coder": "bob", "status": "done", "spans": [span("s1", "actor", TEXT, "Gunmen")]}])])
    second = write_jsonl(tmp_path / "b.jsonl", [record("r2", OTHER, [
        {"coder": "BOB", "status": "in_progress",
         "spans": [span("s1", "actor", OTHER, "Soldiers")]}])])
    for path in (first, second):
        summary = project.import_paths([path])
        assert not summary.failed, summary.files[0].message
    assert [c.name for c in project.coders()] == ["Bob"]
    spans = {r.external_id: len(project.spans(r.id, bob)) for r in project.reports()}
    assert spans == {"r1": 1, "r2": 1}
    # the same annotations again under another spelling are recognized as the same, not a clash
    again = write_jsonl(tmp_path / "c.jsonl", [record("r1", TEXT, [
        {"coder": "BoB", "status": "done", "spans": [span("s1", "actor", TEXT, "Gunmen")]}])])
    assert not project.import_paths([again]).failed
    assert len(project.spans(project.reports()[0].id, bob)) == 1


def test_one_line_naming_a_coder_twice_in_two_cases_is_refused(
    project: Project, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "twice.jsonl", [record("r1", TEXT, [
        {"coder": "Bob"}, {"coder": "bob"}])])
    summary = project.import_paths([path])
    assert summary.failed and "appears twice" in summary.files[0].message
    assert project.reports() == []
