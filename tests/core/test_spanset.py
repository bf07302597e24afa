"""SpanSet, patched after every change, is what a full read gives: rows in text order, the id
index, the spans lacking a required value and the checksums, through any sequence of adds,
retags, moves, value changes, deletes, undos and redos (hypothesis drives the sequences)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import commands as c
from annotator.core.codebook import parse_codebook
from annotator.core.project import Project
from annotator.core.spanset import SpanSet
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen from Mopti attacked Gao on Sunday, killing twelve soldiers near the market of Tessit.\n"
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "conflict-events.json"


def _codebook() -> Any:
    raw = json.loads(SCHEMA.read_text("utf-8"))
    for stype in raw["span_types"]:
        if stype["id"] == "location":
            for a in stype["attributes"]:
                if a["id"] == "place":
                    a["required"] = True  # a location without a place is "missing" a value
    return parse_codebook(raw, "test")


op = st.one_of(
    st.tuples(st.just("add"), st.integers(0, len(TEXT) - 2), st.integers(1, 12),
              st.sampled_from(["actor", "location", "date"])),
    st.tuples(st.just("retag"), st.integers(0, 50), st.sampled_from(["actor", "location", "date"])),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(-3, 3)),
    st.tuples(st.just("value"), st.integers(0, 50)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def _run(project: Project, rid: int, coder: int, spans: SpanSet, step: tuple[Any, ...]) -> set[int]:
    """Do one step; return the span ids its change names (what the window passes on)."""
    kind = step[0]
    rows = spans.rows
    pick = rows[step[1] % len(rows)] if rows and len(step) > 1 and kind != "add" else None
    cmd: c.Command | None = None
    if kind == "add":
        start = step[1]
        cmd = c.AddSpan(rid, coder, step[3], start, min(len(TEXT) - 1, start + step[2]))
    elif kind == "retag" and pick is not None and pick.type != step[2]:
        cmd = c.SetSpanType(pick.id, step[2])
    elif kind == "move" and pick is not None:
        start = max(0, min(pick.start + step[2], pick.end - 1))
        cmd = c.SetSpanBounds(pick.id, start, pick.end)
    elif kind == "value" and pick is not None and pick.type == "location":
        value = None if pick.attributes.get("place") else {"name": "Gao", "country": "ML"}
        cmd = c.SetSpanAttribute(pick.id, "place", value)
    elif kind == "delete" and pick is not None:
        cmd = c.DeleteSpan(pick.id)
    try:
        if cmd is not None:
            return project.run(cmd).spans
        if kind in ("undo", "redo"):
            done = project.undo() if kind == "undo" else project.redo()
            return done.spans if done is not None else set()
    except c.CommandError:
        pass
    return set()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(op, min_size=1, max_size=25))
def test_a_patched_span_set_equals_a_full_read(tmp_path_factory: Any, steps: list[tuple[Any, ...]]) -> None:
    folder = tmp_path_factory.mktemp("spanset")
    project = Project.open(str(folder / "p.db"), codebook=_codebook())
    try:
        project.import_paths([write_jsonl(folder / "r.jsonl", [record("r1", TEXT)])])
        rid = project.reports()[0].id
        coder = project.coder_id("amina", create=True)
        spans = project.span_set(rid, coder)
        for step in steps:
            changed = _run(project, rid, coder, spans, step)
            patch = project.patch_spans(spans, rid, coder, changed)
            assert not patch.reset  # told of every change: never read whole
            full = project.span_set(rid, coder)
            assert spans.rows == full.rows
            assert spans.by_id == full.by_id
            assert spans.missing == full.missing
            assert spans.sums() == full.sums()
            # an upper bound (lookups scan back that far); exact when read whole
            assert spans.longest >= full.longest == max((r.end - r.start for r in full), default=0)
            assert [spans.index_of(r.id) for r in spans.rows] == list(range(len(spans.rows)))
            assert {r.id for r in patch.added} <= changed and {r.id for r in patch.removed} <= changed
    finally:
        project.close()


def test_missing_required_values_follow_the_value(db_path: str, tmp_path: Path) -> None:
    project = Project.open(db_path, codebook=_codebook())  # SQLite, or the PostgreSQL run's database
    try:
        project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
        rid = project.reports()[0].id
        coder = project.coder_id("amina", create=True)
        spans = project.span_set(rid, coder)
        pos = TEXT.index("Gao")
        add = c.AddSpan(rid, coder, "location", pos, pos + 3)
        project.patch_spans(spans, rid, coder, project.run(add).spans)
        assert spans.missing == {add.span_id: ["Place"]}
        changes = project.run(c.SetSpanAttribute(add.span_id, "place", {"name": "Gao", "country": "ML"}))
        project.patch_spans(spans, rid, coder, changes.spans)
        assert spans.missing == {}
    finally:
        project.close()


def test_spans_read_ahead_are_checked_when_taken(project: Project, db_path: str, tmp_path: Path) -> None:
    from annotator.core.prefetch import SpanPrefetcher

    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record(f"r{i}", f"{TEXT}{i}\n") for i in range(3)])])
    rids = [r.id for r in project.reports()]
    coder = project.coder_id("amina", create=True)
    for rid in rids:
        project.run(c.AddSpan(rid, coder, "actor", 0, 6))
    ahead = SpanPrefetcher(project)
    try:
        ahead.want(rids[1:], coder)
        first = ahead.take(rids[1], coder)
        assert first is not None and first.spans.rows == project.spans(rids[1], coder)
        assert first.detail.text == project.report(rids[1]).text and first.claims == []
        assert ahead.take(rids[1], coder) is None  # handed over once
        # another process retags the span of a report read ahead and adds a claim there:
        # what is taken shows both
        other = Project.open(db_path)
        try:
            span = project.spans(rids[2], coder)[0]
            other.run(c.SetSpanType(span.id, "date"))
            other.run(c.CreateClaim(rids[2], coder, "attack"))
        finally:
            other.close()
        taken = ahead.take(rids[2], coder)
        assert taken is not None and [r.type for r in taken.spans] == ["date"]
        assert taken.spans.rows == project.spans(rids[2], coder)
        assert [cl.type for cl in taken.claims] == ["attack"]
        assert ahead.take(rids[0], coder) is None  # never asked for: the caller reads it
        # this session's own change (an undo, say) to a report read ahead shows too
        ahead.want(rids[2:], coder)
        project.run(c.DeleteSpan(span.id))
        mine = ahead.take(rids[2], coder)
        assert mine is not None and mine.spans.rows == [] == project.spans(rids[2], coder)
    finally:
        ahead.close()
    ahead.want(rids, coder)  # closed: reads nothing more
    assert ahead.take(rids[0], coder) is None


def test_a_held_prefetcher_reads_nothing_until_released(project: Project, tmp_path: Path) -> None:
    from annotator.core.prefetch import SpanPrefetcher

    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record(f"r{i}", f"{TEXT}{i}\n") for i in range(2)])])
    rids = [r.id for r in project.reports()]
    coder = project.coder_id("amina", create=True)
    project.run(c.AddSpan(rids[1], coder, "actor", 0, 6))
    ahead = SpanPrefetcher(project)
    try:
        ahead.hold()  # the window's start: no thread competes with the first paint
        ahead.want(rids[1:], coder)
        assert ahead._thread is None
        assert ahead.take(rids[1], coder, wait=30) is None  # nothing read: no wait either
        ahead.want(rids[1:], coder)
        ahead.release()  # what was wanted meanwhile is read now
        taken = ahead.take(rids[1], coder, wait=30)
        assert taken is not None and taken.spans.rows == project.spans(rids[1], coder)
    finally:
        ahead.close()
