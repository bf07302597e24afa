"""The window's incremental span read (Project.spans_after) never serves stale rows: after an
add, a retag, a move, a delete, an undo, a redo, or a change it was not told of (another
process), it equals a full read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.core import commands as c
from annotator.core.project import Project
from annotator.core.summary import stored_value
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen from Mopti attacked Gao on Sunday, killing twelve soldiers near the market.\n"


def _setup(project: Project, tmp_path: Path) -> tuple[int, int]:
    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = project.reports()[0].id
    return rid, project.coder_id("amina", create=True)


def test_patched_spans_follow_every_change_and_undo(project: Project, tmp_path: Path) -> None:
    rid, coder = _setup(project, tmp_path)
    rows = project.spans(rid, coder)
    add = c.AddSpan(rid, coder, "actor", 0, 4)
    project.run(add)
    rows = project.spans_after(rid, coder, rows, {add.span_id})
    assert rows == project.spans(rid, coder)
    assert any(r.id == add.span_id for r in rows)
    project.run(c.SetSpanType(add.span_id, "location"))
    rows = project.spans_after(rid, coder, rows, {add.span_id})
    assert rows == project.spans(rid, coder)
    assert next(r for r in rows if r.id == add.span_id).type == "location"
    project.undo()  # back to an actor: the patched list must not keep the location
    rows = project.spans_after(rid, coder, rows, {add.span_id})
    assert next(r for r in rows if r.id == add.span_id).type == "actor"
    assert rows == project.spans(rid, coder)
    project.undo()  # the span is gone
    rows = project.spans_after(rid, coder, rows, {add.span_id})
    assert all(r.id != add.span_id for r in rows)
    assert rows == project.spans(rid, coder)
    project.redo()
    rows = project.spans_after(rid, coder, rows, {add.span_id})
    assert rows == project.spans(rid, coder)


def test_a_change_it_was_not_told_of_is_read_whole(
    project: Project, db_path: str, tmp_path: Path
) -> None:
    rid, coder = _setup(project, tmp_path)
    first = c.AddSpan(rid, coder, "actor", 0, 4)
    project.run(first)
    rows = project.spans(rid, coder)
    other = Project.open(db_path)  # another window or process on the same database
    try:
        second = c.AddSpan(rid, coder, "location", 5, 9)
        other.run(second)
        other.run(c.SetSpanType(first.span_id, "date"))
    finally:
        other.close()
    mine = c.AddSpan(rid, coder, "actor", 10, 14)
    project.run(mine)
    # told only of its own span: the sums differ, so everything is read again
    patched = project.spans_after(rid, coder, rows, {mine.span_id})
    assert patched == project.spans(rid, coder)
    assert {r.id for r in patched} >= {first.span_id, second.span_id, mine.span_id}
    assert next(r for r in patched if r.id == first.span_id).type == "date"


def test_stored_value_reads_the_codebook_it_is_given() -> None:
    from annotator.core.codebook import parse_codebook

    cb: Any = parse_codebook({
        "id": "x", "version": 1, "title": "x", "claim_types": [],
        "span_types": [{"id": "actor", "label": "A", "color": "#111111", "hotkey": "1",
                        "attributes": [{"id": "when", "label": "When", "type": "date",
                                        "level": "interval"}]}],
    }, "test")

    class Span:
        type = "actor"
        text = "Sunday"
        attributes = {"when": "2024-01-07", "canonical_name": "Somebody"}

    # the project's codebook says the value is the date; the shipped one would show the name
    assert "2024" in stored_value(Span(), cb)
    assert stored_value(Span()) != stored_value(Span(), cb)
