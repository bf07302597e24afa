"""Bulk inserts that need the new ids (accept-unanimous's gold spans and decisions) get each
row's own id, in order, and never an id a deleted row had (undo history may put that back)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from annotator.core import commands as c
from annotator.core.commands.base import insert_returning_ids
from annotator.core.db import write_transaction
from annotator.core.models import span_t, utcnow
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen attacked Gao on Sunday, killing twelve soldiers.\n"


def test_ids_come_back_in_order_and_deleted_ids_are_not_reused(project: Project, tmp_path: Path) -> None:
    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = project.reports()[0].id
    coder = project.coder_id("amina", create=True)
    top = c.AddSpan(rid, coder, "actor", 0, 6)
    project.run(top)
    project.run(c.DeleteSpan(top.span_id))  # the largest id so far is gone (undo could restore it)
    now = utcnow()
    rows = [{"report_id": rid, "coder_id": coder, "key": f"bulk{i}", "type": "actor", "start": i,
             "end": i + 3, "text": TEXT[i:i + 3], "attributes": {}, "codebook_id": project.codebook_id,
             "created_at": now, "updated_at": now} for i in range(0, 30, 3)]
    with write_transaction(project._engine) as conn:
        ids = insert_returning_ids(conn, span_t, rows)
        stored = dict(conn.execute(select(span_t.c.id, span_t.c.key).where(span_t.c.id.in_(ids))).all())
    assert len(set(ids)) == len(rows)
    assert [stored[i] for i in ids] == [r["key"] for r in rows]  # each id is its own row's
    assert min(ids) > top.span_id
    project.undo()  # the delete is undone: its span comes back under its own id
    assert any(s.id == top.span_id for s in project.spans(rid, coder))


def test_bulk_insert_stores_what_core_stores_in_one_executemany(project: Project, tmp_path: Path) -> None:
    """bulk_insert hands the driver plain tuples: every value must go through its column type as
    Core's own insert would (zoned times to UTC, JSON attributes, None), in one statement."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import event

    from annotator.core.commands.base import bulk_insert

    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = project.reports()[0].id
    coder = project.coder_id("amina", create=True)
    when = datetime(2024, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=5)))

    def row(key: str, i: int) -> dict[str, object]:
        return {"report_id": rid, "coder_id": coder, "key": key, "type": "actor", "start": i,
                "end": i + 3, "text": TEXT[i:i + 3],
                "attributes": {"name": "Gaô “x”", "n": [1, None]} if i % 2 else {},
                "codebook_id": project.codebook_id, "created_at": when, "updated_at": now}

    now = utcnow()
    executed: list[bool] = []
    with write_transaction(project._engine) as conn:
        conn.execute(span_t.insert(), [row(f"core{i}", i) for i in range(4)])

        def seen(*args: object) -> None:
            executed.append(bool(args[-1]))  # (conn, cursor, statement, params, ctx, executemany)

        event.listen(conn, "before_cursor_execute", seen)
        bulk_insert(conn, span_t, [row(f"bulk{i}", i) for i in range(4)])
        event.remove(conn, "before_cursor_execute", seen)
        got = {r.key: r for r in conn.execute(select(span_t).where(span_t.c.report_id == rid))}
    assert executed == [True]  # one executemany, no statement per row
    for i in range(4):
        core, bulk = got[f"core{i}"]._asdict(), got[f"bulk{i}"]._asdict()
        for k in ("id", "key"):
            core.pop(k), bulk.pop(k)
        assert bulk == core
    assert got["bulk1"].attributes == {"name": "Gaô “x”", "n": [1, None]}
    assert got["bulk1"].created_at == when  # the same instant, read back in UTC
