"""The window's incremental span read (Project.patch_spans on a SpanSet) never serves stale rows:
after an add, a retag, a move, a delete, an undo, a redo, or a change it was not told of (another
process), it equals a full read, and the patch names exactly the rows that went and came."""

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
    spans = project.span_set(rid, coder)
    add = c.AddSpan(rid, coder, "actor", 0, 4)
    project.run(add)
    patch = project.patch_spans(spans, rid, coder, {add.span_id})
    assert not patch.reset and patch.removed == [] and [r.id for r in patch.added] == [add.span_id]
    assert spans.rows == project.spans(rid, coder)
    assert any(r.id == add.span_id for r in spans)
    project.run(c.SetSpanType(add.span_id, "location"))
    patch = project.patch_spans(spans, rid, coder, {add.span_id})
    assert [r.type for r in patch.removed] == ["actor"] and [r.type for r in patch.added] == ["location"]
    assert spans.rows == project.spans(rid, coder)
    assert spans.by_id[add.span_id].type == "location"
    project.undo()  # back to an actor: the patched set must not keep the location
    project.patch_spans(spans, rid, coder, {add.span_id})
    assert spans.by_id[add.span_id].type == "actor"
    assert spans.rows == project.spans(rid, coder)
    project.undo()  # the span is gone
    patch = project.patch_spans(spans, rid, coder, {add.span_id})
    assert [r.id for r in patch.removed] == [add.span_id] and patch.added == []
    assert all(r.id != add.span_id for r in spans) and add.span_id not in spans.by_id
    assert spans.rows == project.spans(rid, coder)
    project.redo()
    project.patch_spans(spans, rid, coder, {add.span_id})
    assert spans.rows == project.spans(rid, coder)
    # a change naming no span (a claim, a status) reads no span and changes nothing
    assert not project.patch_spans(spans, rid, coder, set())
    assert spans.rows == project.spans(rid, coder)


def test_a_change_it_was_not_told_of_is_read_whole(
    project: Project, db_path: str, tmp_path: Path
) -> None:
    rid, coder = _setup(project, tmp_path)
    first = c.AddSpan(rid, coder, "actor", 0, 4)
    project.run(first)
    spans = project.span_set(rid, coder)
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
    patch = project.patch_spans(spans, rid, coder, {mine.span_id})
    assert patch.reset
    patched = spans.rows
    assert patched == project.spans(rid, coder)
    assert spans.by_id == {r.id: r for r in patched}
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
