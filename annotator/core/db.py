"""Open or create a project database (SQLite file or PostgreSQL URL): engine, connection
settings, schema version and migrations (Alembic revisions in annotator/core/migrations)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError

from annotator.core import models

__all__ = [
    "SCHEMA_VERSION",
    "DatabaseOpenError",
    "database_url",
    "default_database_path",
    "display_url",
    "get_meta",
    "head_revision",
    "open_engine",
    "set_meta",
    "write_transaction",
]

#: The table layout written by this code: the number of the newest Alembic revision (revision
#: ids are "0001", "0002", ...). It is also written to ``meta.schema_version`` so that builds from
#: before Alembic refuse a newer project with a clear message instead of damaging it.
SCHEMA_VERSION = 6

_MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseOpenError(Exception):
    """The project database could not be opened; the message names it and says why."""


def default_database_path() -> Path:
    """The project used when neither --db nor $ANNOTATOR_DB is given."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("annotator", appauthor=False)) / "project.db"


def database_url(db: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a path (made absolute) or a URL given as is.

    ``postgresql://`` and ``postgres://`` URLs get the psycopg (version 3) driver, the one
    Annotator installs.
    """
    s = os.fspath(db)
    if "://" in s:
        for plain in ("postgresql://", "postgres://"):
            if s.startswith(plain):
                return "postgresql+psycopg://" + s[len(plain) :]
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def display_url(url: str) -> str:
    """The database as a user would name it: the file of a SQLite URL, a URL without password."""
    if url.startswith("sqlite:///"):
        return url.split(":///", 1)[1]
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 (a malformed URL is shown as given)
        return url


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


def _sqlite_connect(dbapi_conn: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_conn, record)
    # transactions are begun by SQLAlchemy (below), not by the driver behind its back
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    # A writing transaction takes the write lock at its start (waiting up to busy_timeout for
    # another process's): once it has read a row it cannot fail half-way because someone else
    # wrote in between, and read-modify-write is atomic. Reads begin deferred and never block.
    write = conn.get_execution_options().get("annotator_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: committed at the end of the block, rolled back on an error.

    On SQLite it holds the write lock from the start (see _sqlite_begin); on PostgreSQL it is a
    READ COMMITTED transaction whose commands lock the rows they change (FOR UPDATE).
    """
    with engine.connect() as conn:
        conn.execution_options(annotator_write=True)
        with conn.begin():
            yield conn


def open_engine(db: str | os.PathLike[str], *, create: bool = True) -> Engine:
    """Open (or create) the project database and bring its schema up to date.

    Raises DatabaseOpenError naming the database when it is not a project database, is from a
    newer version of Annotator, cannot be reached, or does not exist and ``create`` is False.
    """
    url = database_url(db)
    shown = display_url(url)
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        path = Path(url.split(":///", 1)[1])
        if not path.exists():
            if not create:
                raise DatabaseOpenError(f"{path}: no such project database")
            path.parent.mkdir(parents=True, exist_ok=True)
        elif path.is_file() and path.stat().st_size == 0:
            # SQLite would take an empty file for a new database: a project emptied by a failed
            # copy or a full disk would silently become a new, empty project
            raise DatabaseOpenError(
                f"{path}: the file is empty (0 bytes), not a project database: a failed copy or "
                "a full disk? Restore a backup (annotator restore), or delete the file to start "
                "a new project there"
            )
    try:
        # a server may close idle connections (a window left open overnight): test before use
        engine = create_engine(url, pool_pre_ping=not is_sqlite)
    except ImportError as exc:
        raise DatabaseOpenError(
            f"{shown}: the database driver is not installed ({exc}); "
            "PostgreSQL needs `pip install 'psycopg[binary]'`"
        ) from exc
    except Exception as exc:  # noqa: BLE001 (a malformed URL; SQLAlchemy raises several kinds)
        raise DatabaseOpenError(f"{shown}: not a database path or URL ({exc})") from exc
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        _prepare_schema(engine, shown)
    except (DatabaseError, OperationalError, InterfaceError) as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        reason = " ".join(reason.split())
        from annotator.core.storage import StorageError, classify, folder_message

        kind = classify(exc)
        if kind is not None and kind != "damaged":
            # locked, read-only, disk full: say that, not "not a usable project database"
            message = folder_message(url) if kind == "read_only" else None
            raise DatabaseOpenError(message or str(StorageError(kind, shown, reason))) from exc
        raise DatabaseOpenError(f"{shown}: not a usable project database ({reason})") from exc
    except DatabaseOpenError:
        engine.dispose()
        raise
    return engine


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision id of the migrations shipped with this build."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(_MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(_MIGRATIONS)).walk_revisions()}


def _current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def shipped_head() -> str:
    """The newest revision shipped, without importing Alembic (opening an up-to-date project,
    the common case, then costs one read): the revision files are numbered, so the newest
    number is the head (tests/core/test_migrations.py checks this against Alembic's own)."""
    return max(f.name[:4] for f in (_MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _stored_revision(engine: Engine) -> str | None:
    """The project's Alembic revision by a plain read (None: no such table, a new file)."""
    with engine.connect() as conn:
        try:
            value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except DatabaseError:
            return None
    return None if value is None else str(value)


def _prepare_schema(engine: Engine, shown: str) -> None:
    if _stored_revision(engine) == shipped_head():
        return  # up to date: Alembic is not even imported
    from alembic import command

    with engine.begin() as conn:
        names = set(inspect(conn).get_table_names())
        if "meta" not in names:
            foreign = names - set(models.metadata.tables) - {"alembic_version"}
            if foreign:
                raise DatabaseOpenError(
                    f"{shown}: this database has other tables "
                    f"({', '.join(sorted(foreign)[:5])}); it is not an Annotator project"
                )
            # a new project: the tables as the models declare them, stamped with the newest
            # revision (tests/core/test_migrations.py proves the revisions build the same)
            models.metadata.create_all(conn)
            conn.execute(models.change_counter_t.insert().values(id=1, seq=0))
            command.stamp(_alembic_config(conn), head_revision())
            set_meta(conn, "schema_version", str(SCHEMA_VERSION))
            return
        current = _current_revision(conn) if "alembic_version" in names else None
        if current is None:
            # made before Alembic: meta.schema_version 1..3 is revision 0001..0003
            version = int(get_meta(conn, "schema_version") or "0")
            if version > SCHEMA_VERSION:
                raise _newer(shown, str(version))
            if version < 1:
                raise DatabaseOpenError(f"{shown}: no schema version; not an Annotator project")
            current = f"{version:04d}"
            command.stamp(_alembic_config(conn), current)
        if current == head_revision():
            return
        if current not in _known_revisions():
            raise _newer(shown, current)
        command.upgrade(_alembic_config(conn), "head")
        set_meta(conn, "schema_version", str(SCHEMA_VERSION))


def _newer(shown: str, version: str) -> DatabaseOpenError:
    return DatabaseOpenError(
        f"{shown}: written by a newer Annotator (schema {version}, "
        f"this one knows up to {SCHEMA_VERSION}); update Annotator to open it"
    )


def get_meta(conn: Connection, key: str) -> str | None:
    t = models.meta_t
    return conn.execute(select(t.c.value).where(t.c.key == key)).scalar_one_or_none()


def set_meta(conn: Connection, key: str, value: str) -> None:
    t = models.meta_t
    if conn.execute(select(t.c.key).where(t.c.key == key)).first() is None:
        conn.execute(t.insert().values(key=key, value=value))
    else:
        conn.execute(t.update().where(t.c.key == key).values(value=value))
