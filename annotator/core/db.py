"""Open or create a project database: engine, SQLite pragmas, schema version, migrations."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import SQLModel

from annotator.core import models

__all__ = [
    "SCHEMA_VERSION",
    "DatabaseOpenError",
    "database_url",
    "default_database_path",
    "get_meta",
    "open_engine",
    "set_meta",
]

#: Version of the table layout written by this code. Bump it and add a step to _MIGRATIONS
#: whenever a table changes; opening an older project migrates it in one transaction.
SCHEMA_VERSION = 3


def _v1_to_v2(conn: Connection) -> None:
    # report.reference_date (the override for relative dates); the actor, place and
    # rejected_suggestion tables are new and made by create_all after the migrations
    conn.exec_driver_sql("ALTER TABLE report ADD COLUMN reference_date VARCHAR")


# version N -> function that upgrades a connection from N to N + 1
def _v2_to_v3(conn: Connection) -> None:
    """The decision table is new (create_all makes it); nothing else changed."""


_MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


class DatabaseOpenError(Exception):
    """The project database could not be opened; the message names it and says why."""


def default_database_path() -> Path:
    """The project used when neither --db nor $ANNOTATOR_DB is given."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("annotator", appauthor=False)) / "project.db"


def database_url(db: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a path (made absolute) or a URL given as is."""
    s = os.fspath(db)
    if "://" in s:
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer, and a crash loses at most the transaction in flight.
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable against application crashes in WAL mode (only power loss can drop the
    # last commits) and several times faster than FULL for one-row commits.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def open_engine(db: str | os.PathLike[str], *, create: bool = True) -> Engine:
    """Open (or create) the project database and bring its schema up to date.

    Raises DatabaseOpenError naming the database when it is not a project database, is from a
    newer version of Annotator, or does not exist and ``create`` is False.
    """
    url = database_url(db)
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        path = Path(url.split(":///", 1)[1])
        if not path.exists():
            if not create:
                raise DatabaseOpenError(f"{path}: no such project database")
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _prepare_schema(engine)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise DatabaseOpenError(
            f"{_display(url)}: not a usable project database ({reason})"
        ) from exc
    return engine


def _display(url: str) -> str:
    return url.split(":///", 1)[1] if url.startswith("sqlite:///") else url


def _prepare_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        names = set(inspect(conn).get_table_names())
        if "meta" not in names:
            foreign = names - {t for t in SQLModel.metadata.tables}
            if foreign:
                raise DatabaseOpenError(
                    f"{_display(str(engine.url))}: this database has other tables "
                    f"({', '.join(sorted(foreign)[:5])}); it is not an Annotator project"
                )
            SQLModel.metadata.create_all(conn)
            set_meta(conn, "schema_version", str(SCHEMA_VERSION))
            return
        version = int(get_meta(conn, "schema_version") or "0")
        if version > SCHEMA_VERSION:
            raise DatabaseOpenError(
                f"{_display(str(engine.url))}: written by a newer Annotator (schema {version}, "
                f"this one knows up to {SCHEMA_VERSION}); update Annotator to open it"
            )
        while version < SCHEMA_VERSION:
            _MIGRATIONS[version](conn)
            version += 1
            set_meta(conn, "schema_version", str(version))
        # new tables added since (create_all skips the existing ones)
        SQLModel.metadata.create_all(conn)


def get_meta(conn: Connection, key: str) -> str | None:
    t = models.meta_t
    return conn.execute(select(t.c.value).where(t.c.key == key)).scalar_one_or_none()


def set_meta(conn: Connection, key: str, value: str) -> None:
    t = models.meta_t
    if conn.execute(select(t.c.key).where(t.c.key == key)).first() is None:
        conn.execute(t.insert().values(key=key, value=value))
    else:
        conn.execute(t.update().where(t.c.key == key).values(value=value))
