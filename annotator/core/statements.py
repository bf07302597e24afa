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

from sqlalchemy import bindparam, exists, select

__all__ = [
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
