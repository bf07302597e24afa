"""The claim keys' commands (new claim, slot fill, undo) run a handful of statements, each built
once, and the window reads back only the claim a change names (issue 19): the claim key spent
more time building its ten statements than the database took to run them, and re-read every
claim of the report with its fills after each change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from annotator.core import commands as c
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen from Mopti attacked Gao on Sunday, killing twelve soldiers near the market.\n"


def _setup(project: Project, tmp_path: Path) -> tuple[int, int, int, int]:
    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = project.reports()[0].id
    coder = project.coder_id("amina", create=True)
    gao, mopti = c.AddSpan(rid, coder, "location", 27, 30), c.AddSpan(rid, coder, "location", 12, 17)
    project.run(gao)
    project.run(mopti)
    return rid, coder, gao.span_id, mopti.span_id


@contextmanager
def _watch(project: Project) -> Iterator[tuple[list[str], list[Any]]]:
    """The SQL sent to the database (transaction control left out) and the statement objects
    executed, while the block runs."""
    sql: list[str] = []
    built: list[Any] = []
    engine = project._engine

    def on_cursor(_conn, _cur, statement, *_a) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            sql.append(statement)

    def on_execute(_conn, element, *_a) -> None:  # noqa: ANN001
        built.append(element)  # kept alive: an id freed could be handed out again

    event.listen(engine, "before_cursor_execute", on_cursor)
    event.listen(engine, "before_execute", on_execute)
    try:
        yield sql, built
    finally:
        event.remove(engine, "before_cursor_execute", on_cursor)
        event.remove(engine, "before_execute", on_execute)


def _keys(project: Project, rid: int, coder: int, span: int) -> list[Callable[[], Any]]:
    """New claim, fill its location slot, undo the fill: as the three keys do."""
    made: list[c.CreateClaim] = []

    def claim() -> Any:
        made.append(c.CreateClaim(rid, coder, "attack"))
        return project.run(made[-1])

    return [claim, lambda: project.run(c.AddToSlot(made[-1].claim_id, "location", span)),
            project.undo]


def test_each_claim_key_runs_few_statements_all_built_before(project: Project, tmp_path: Path) -> None:
    rid, coder, gao, _mopti = _setup(project, tmp_path)
    first_objects: list[Any] = []
    for key in _keys(project, rid, coder, gao):  # the first time: statements built (and kept)
        with _watch(project) as (_sql, built):
            key()
        first_objects += built
    first = {id(o) for o in first_objects}
    # the command's own statements, the lock check and the change log; nothing per claim of
    # the report (statement counts are the same on SQLite and PostgreSQL)
    most = {"new claim": 7, "slot fill": 9, "undo": 8}
    for (name, limit), key in zip(most.items(), _keys(project, rid, coder, gao), strict=True):
        with _watch(project) as (sql, built):
            key()
        assert len(sql) <= limit, f"{name}: {len(sql)} statements:\n" + "\n".join(sql)
        rebuilt = [str(o).split("\n")[0] for o in built if id(o) not in first]
        assert not rebuilt, f"{name} built statements again: {rebuilt}"


def test_patched_claims_equal_a_full_read_after_every_change(project: Project, tmp_path: Path) -> None:
    rid, coder, gao, mopti = _setup(project, tmp_path)
    other = c.CreateClaim(rid, coder, "attack")  # a claim no change below names: kept as read
    project.run(other)
    project.run(c.AddToSlot(other.claim_id, "location", mopti))
    claims = project.claims(rid, coder)
    make = c.CreateClaim(rid, coder, "attack")

    def step(changes: c.Changes | None) -> None:
        nonlocal claims
        assert changes is not None
        with _watch(project) as (sql, _built):
            claims = project.patch_claims(claims, rid, coder, changes.claims)
        assert len(sql) == (1 if changes.claims else 0)  # the claims named, with their fills
        assert claims == project.claims(rid, coder)

    step(project.run(make))
    assert [x.id for x in claims] == [other.claim_id, make.claim_id]
    step(project.run(c.AddToSlot(make.claim_id, "location", gao)))
    step(project.run(c.AddToSlot(make.claim_id, "location", mopti)))  # two spans, in order
    assert claims[1].slots["location"] == [gao, mopti]
    step(project.run(c.SetNotReported(make.claim_id, "date")))
    assert claims[1].slots["date"] == c.NOT_REPORTED
    step(project.run(c.SetClaimAttribute(make.claim_id, "stance", "claimed_responsibility")))
    step(project.run(c.DeleteSpan(mopti)))  # names both claims whose slots held it
    assert claims[0].slots == {} and claims[1].slots["location"] == [gao]
    for _ in range(3):
        step(project.undo())
    step(project.redo())
    step(project.run(c.DeleteClaim(make.claim_id)))
    assert [x.id for x in claims] == [other.claim_id]
    step(project.undo())
    assert [x.id for x in claims] == [other.claim_id, make.claim_id]


def test_a_claim_of_another_report_or_coder_is_never_patched_in(project: Project, tmp_path: Path) -> None:
    rid, coder, _gao, _mopti = _setup(project, tmp_path)
    bob = project.coder_id("bob", create=True)
    theirs = c.CreateClaim(rid, bob, "attack")
    project.run(theirs)
    mine = project.claims(rid, coder)
    assert project.patch_claims(mine, rid, coder, {theirs.claim_id}) == mine == []


def test_warmed_statements_leave_the_first_keys_nothing_to_compile(project: Project, db_path: str,
                                                                   tmp_path: Path) -> None:
    """The window's warm-up compiles the coding keys' statements (Project.warm_statements):
    the first tag, claim, slot fill, value, undo and redo after start then compile nothing."""
    rid = _setup(project, tmp_path)[0]
    fresh = Project.open(db_path)  # a new engine: nothing compiled yet
    try:
        fresh.warm_statements()
        compiled: list[str] = []

        def on_cursor(_conn, _cur, statement, _params, context, _many) -> None:  # noqa: ANN001
            if context.cache_hit == context.dialect.CACHE_MISS:
                compiled.append(" ".join(statement.split())[:120])

        coder = fresh.coder_id("kim", create=True)  # a coder who has not started the report
        claims = fresh.claims(rid, coder)  # as the window opens the report
        event.listen(fresh._engine, "before_cursor_execute", on_cursor)
        tag = c.AddSpan(rid, coder, "location", 27, 30)
        fresh.run(tag)
        for key in [*_keys(fresh, rid, coder, tag.span_id), fresh.redo]:
            changes = key()
            claims = fresh.patch_claims(claims, rid, coder, changes.claims)
            fresh.status(rid, coder)
        claim = claims[-1].id
        fresh.run(c.AddToSlot(claim, "location", _setup_span(fresh, rid, coder)))
        fresh.run(c.SetClaimAttribute(claim, "stance", "claimed_responsibility"))
        fresh.run(c.SetSpanAttribute(tag.span_id, "precision", "place"))
        fresh.undo()
        event.remove(fresh._engine, "before_cursor_execute", on_cursor)
        assert compiled == [], "\n".join(compiled)
    finally:
        fresh.close()


def _setup_span(project: Project, rid: int, coder: int) -> int:
    add = c.AddSpan(rid, coder, "location", 12, 17)  # Mopti
    project.run(add)
    return add.span_id


def test_warmed_connections_leave_the_first_keys_none_to_open(project: Project, db_path: str,
                                                              tmp_path: Path) -> None:
    """The warm-up fills the connection pool (Project.warm_connections): with the read-ahead,
    the start checks and the warm-up each holding a connection, the first claim after start
    opened a connection of its own (and ran its settings) inside the key."""
    rid = _setup(project, tmp_path)[0]
    for warmed in (False, True):
        fresh = Project.open(db_path)  # a new engine: one connection made by the open
        opened: list[int] = []
        event.listen(fresh._engine, "connect", lambda *_a, opened=opened: opened.append(1))
        try:
            coder = fresh.coder_id("kim", create=True)
            if warmed:
                assert fresh.warm_connections() == fresh._engine.pool.size()  # type: ignore[attr-defined]
            opened.clear()
            held = [fresh._engine.connect() for _ in range(3)]  # three background threads' reads
            try:
                fresh.run(c.CreateClaim(rid, coder, "attack"))
            finally:
                for conn in held:
                    conn.close()
            assert (opened == []) is warmed, (warmed, opened)
        finally:
            fresh.close()
