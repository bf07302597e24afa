"""The statements of the coding keys' commands, built once per table and shape.

A coding key (tag, new claim, slot fill, undo) runs about ten small statements; building each
one again with SQLAlchemy's expression language (and generating its cache key) cost more than
SQLite took to run it. A statement built here once, with named parameters, keeps its cache key
(SQLAlchemy memoizes it on the object), so each run only looks its compiled form up. The
statements are portable Core (SQLite and PostgreSQL compile their own forms from them); the
parameters are bound by name at each execution.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from sqlalchemy import Engine, Integer, bindparam, exists, func, select
from sqlalchemy.sql import compiler

__all__ = [
    "coding_shapes",
    "compile_into",
    "covered_text",
    "delete_by",
    "delete_by_id",
    "exists_by_id",
    "insert_into",
    "row_by_id",
    "rows_by",
    "set_free_key",
    "update_versioned",
]

_BUILT: dict[Hashable, Any] = {}


def _once(key: Hashable, build: Callable[[], Any]) -> Any:
    q = _BUILT.get(key)
    if q is None:
        q = _BUILT[key] = build()
    return q


def row_by_id(table: Any) -> Any:
    """SELECT the row whose id is ``:row_id``, FOR UPDATE (SQLite ignores it: its writing
    transactions hold the write lock from the start)."""
    return _once(("row", table), lambda: (
        select(table).where(table.c.id == bindparam("row_id")).with_for_update()))


def exists_by_id(table: Any) -> Any:
    """SELECT the id of the row whose id is ``:row_id`` (no row: it does not exist)."""
    return _once(("exists", table), lambda: select(table.c.id).where(table.c.id == bindparam("row_id")))


def delete_by_id(table: Any) -> Any:
    """DELETE the row whose id is ``:row_id``."""
    return _once(("delete", table), lambda: table.delete().where(table.c.id == bindparam("row_id")))


def delete_by(table: Any, *columns: str) -> Any:
    """DELETE the rows whose ``columns`` equal the parameters ``by_<column>``."""
    return _once(("delete", table, columns), lambda: table.delete().where(
        *(table.c[c] == bindparam(f"by_{c}") for c in columns)))


def rows_by(table: Any, *columns: str, order_by: Iterable[str] = ()) -> Any:
    """SELECT the rows whose ``columns`` equal the parameters of the same names prefixed
    ``by_`` (``rows_by(t, "claim_id")`` takes ``by_claim_id``), in ``order_by`` order."""
    order = tuple(order_by)

    def build() -> Any:
        q = select(table).where(*(table.c[c] == bindparam(f"by_{c}") for c in columns))
        return q.order_by(*(table.c[c] for c in order)) if order else q

    return _once(("rows", table, columns, order), build)


def insert_into(table: Any) -> Any:
    """INSERT into ``table`` the columns of the parameters given (a dict, or a list of them)."""
    return _once(("insert", table), table.insert)


def update_versioned(table: Any, columns: Iterable[str]) -> Any:
    """UPDATE the ``columns`` (parameters ``new_<column>``) and the version (``new_version``)
    of the row ``:w_id`` if its version is still ``:w_version``."""
    cols = tuple(sorted(columns))

    def build() -> Any:
        values = {c: bindparam(f"new_{c}", type_=table.c[c].type) for c in cols}
        values["version"] = bindparam("new_version", type_=table.c.version.type)
        return (table.update()
                .where(table.c.id == bindparam("w_id"), table.c.version == bindparam("w_version"))
                .values(values))

    return _once(("update", table, cols), build)


def covered_text() -> Any:
    """SELECT ``:c_length`` characters of report ``:c_report``'s text from character
    ``:c_from`` on (SQL's substr: 1-based, code points)."""
    from annotator.core.models import report_t

    return _once("covered", lambda: select(func.substr(
        report_t.c.text, bindparam("c_from", type_=Integer), bindparam("c_length", type_=Integer),
    )).where(report_t.c.id == bindparam("c_report")))


def set_free_key(table: Any) -> Any:
    """UPDATE the key of the row ``:k_id`` to ``:k_key`` unless another row of the same report
    and coder (``:k_report``, ``:k_coder``) holds that key already (then no row changes)."""
    def build() -> Any:
        other = table.alias("other")
        taken = exists().where(other.c.report_id == bindparam("k_report"),
                               other.c.coder_id == bindparam("k_coder"),
                               other.c.key == bindparam("k_key"))
        return (table.update().where(table.c.id == bindparam("k_id"), ~taken)
                .values(key=bindparam("k_key", type_=table.c.key.type)))

    return _once(("key", table), build)


# ---------------------------------------------------------------- compiled before the first key


def compile_into(engine: Engine, statement: Any, keys: Iterable[str], many: bool = False) -> None:
    """Compile ``statement`` into ``engine``'s cache of compiled statements, as its first
    execution with parameters named ``keys`` would (``many``: with several parameter sets), so
    that execution finds it compiled. Nothing is sent to the database. SQLAlchemy looks a
    statement up by the dialect, the statement's cache key, the sorted parameter names and
    ``many``; this is the lookup its ``Connection.execute`` makes (SQLAlchemy 2.0 and 2.1)."""
    dialect = engine.dialect
    statement._compile_w_cache(
        dialect=dialect, compiled_cache=engine._compiled_cache, column_keys=sorted(keys),
        for_executemany=many, schema_translate_map=None,
        linting=dialect.compiler_linting | compiler.WARN_LINTING)


def coding_shapes() -> list[tuple[Any, tuple[str, ...], bool]]:
    """The statements of the coding keys (tag, new claim, slot fill, undo, redo, a value) and
    the window's reads after them, each with the parameter names it runs with: (statement,
    names, many). tests/core/test_claim_statements.py checks that these keys then compile
    nothing, so a statement or a parameter added here and not there fails it."""
    from annotator.core import change_log, locks, queries
    from annotator.core.models import assignment_t, claim_t, report_t, slot_fill_t, span_t

    new_row = ("attributes", "codebook_id", "coder_id", "created_at", "key", "report_id", "type",
               "updated_at")
    key = ("k_coder", "k_id", "k_key", "k_report")
    versioned = ("new_version", "w_id", "w_version")
    fill = ("claim_id", "not_reported", "position", "slot", "span_id")
    log = ("at", "coder_id", "origin", "report_id", "seq", "what")
    value = ("attributes", "codebook_id", "updated_at")
    shapes: list[tuple[Any, tuple[str, ...], bool]] = [
        (insert_into(claim_t), new_row, False),
        (insert_into(span_t), (*new_row, "end", "start", "text"), False),
        (set_free_key(claim_t), key, False),
        (set_free_key(span_t), key, False),
        (exists_by_id(report_t), ("row_id",), False),
        (covered_text(), ("c_from", "c_length", "c_report"), False),
        (rows_by(assignment_t, "report_id", "coder_id"), ("by_coder_id", "by_report_id"), False),
        (insert_into(assignment_t), ("coder_id", "created_at", "report_id", "status", "updated_at"),
         False),
        (row_by_id(assignment_t), ("row_id",), False),
        (rows_by(slot_fill_t, "claim_id", "slot", order_by=("position", "id")),
         ("by_claim_id", "by_slot"), False),
        (rows_by(slot_fill_t, "claim_id"), ("by_claim_id",), False),
        (delete_by(slot_fill_t, "claim_id", "slot"), ("by_claim_id", "by_slot"), False),
        (insert_into(slot_fill_t), fill, False),
        (insert_into(slot_fill_t), fill, True),
        (update_versioned(claim_t, ("updated_at",)), (*versioned, "new_updated_at"), False),
        (locks._LOCKED_OF, ("ids",), False),
        (change_log._BUMP, (), False),
        (change_log._TOKEN, (), False),
        (change_log._INSERT, log, False),
        (change_log._INSERT, log, True),
        (queries._CLAIMS_OF, ("c", "ids", "r"), False),
        (queries._STATUS, ("c", "r"), False),
    ]
    for table in (claim_t, span_t):
        shapes += [(row_by_id(table), ("row_id",), False), (delete_by_id(table), ("row_id",), False),
                   (update_versioned(table, value), (*versioned, *(f"new_{c}" for c in value)),
                    False)]
    return shapes
