"""Shared fixtures. Core tests never import Qt; GUI tests run offscreen.

The suite runs on SQLite by default. ``--db-url postgresql://user@host:port/db`` (or the
environment variable ANNOTATOR_TEST_DB_URL) runs it against a PostgreSQL server instead: the
session creates a scratch database there and every project a test makes with ``new_db`` is a
fresh schema in it (dropped with the database at the end).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the gazetteer's prebuilt index goes to a scratch cache, not the user's (built once, then
# reused by later runs: the file name carries the data version)
os.environ.setdefault(
    "ANNOTATOR_CACHE_DIR", os.path.join(tempfile.gettempdir(), "annotator-test-cache"))

FIXTURES = Path(__file__).parent / "fixtures"

NewDb = Callable[..., str]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-url",
        default=os.environ.get("ANNOTATOR_TEST_DB_URL") or None,
        help="run the project tests against this PostgreSQL server (default: SQLite files)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    url = config.getoption("--db-url")
    return f"project databases: {'PostgreSQL at ' + _hide(url) if url else 'SQLite files'}"


def _hide(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user data directory, settings and $ANNOTATOR_DB."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)


class _Server:
    """The scratch database on the PostgreSQL server and a connection to make schemas in it."""

    def __init__(self, base_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        from annotator.core.db import database_url

        base = make_url(database_url(base_url))
        self.name = f"annotator_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}" TEMPLATE template0 ENCODING \'UTF8\'')
        self.url = base.set(database=self.name)
        self._engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self._count = itertools.count(1)

    def new_schema(self) -> str:
        schema = f"t{next(self._count)}"
        with self._engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        # every connection of that URL works in the schema only
        options = quote(f"-csearch_path={schema}")
        return self.url.render_as_string(hide_password=False) + f"?options={options}"

    def drop(self) -> None:
        self._engine.dispose()
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin.dispose()


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[_Server | None]:
    url = request.config.getoption("--db-url")
    if not url:
        yield None
        return
    server = _Server(url)
    yield server
    server.drop()


@pytest.fixture
def new_db(tmp_path: Path, pg_server: _Server | None) -> NewDb:
    """``new_db("name.db")`` gives a new, empty project database to pass as --db: a SQLite file
    in the test's folder, or a fresh PostgreSQL schema when the suite runs with --db-url."""

    def make(name: str = "project.db") -> str:
        if pg_server is None:
            return str(tmp_path / name)
        return pg_server.new_schema()

    return make


@pytest.fixture
def on_postgres(pg_server: _Server | None) -> bool:
    return pg_server is not None


@pytest.fixture
def db_path(new_db: NewDb) -> str:
    return new_db("project.db")


@pytest.fixture
def project(db_path: str) -> Iterator[Any]:
    from annotator.core.project import Project

    p = Project.open(db_path)
    yield p
    p.close()
