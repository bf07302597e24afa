"""Opening a project: which database, its codebook (stored on first use, checked against the
one asked for), and removing a project file that could not be set up. ``Project.open`` uses it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from annotator.core.codebook import Codebook, load_default_codebook, parse_stored_codebook
from annotator.core.db import default_database_path, get_meta, set_meta
from annotator.core.models import codebook_t, inserted_id, utcnow
from annotator.core.storage import storage_errors

__all__ = ["ProjectError", "project_codebook", "remove_sqlite", "resolve_db", "store_codebook",
           "stored_codebook"]


class ProjectError(Exception):
    """A project-level failure the user can act on (wrong codebook, unknown coder, ...)."""


def resolve_db(db: str | os.PathLike[str] | None) -> str:
    """--db, else $ANNOTATOR_DB, else the default project in the user data directory."""
    if db:
        return os.fspath(db)
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return env
    return str(default_database_path())


def project_codebook(engine: Engine, location: str, codebook: Codebook | None,
                     starter_actors: bool) -> tuple[Codebook, int, bool]:
    """The project's codebook and its id, and whether the project is new (had none yet).

    A new project stores ``codebook`` (default: conflict-events) and, with ``starter_actors``,
    the shipped starter actor list; an existing one keeps its own and refuses another."""
    with storage_errors(location), engine.begin() as conn:
        ref = get_meta(conn, "codebook_id")
        if ref is None:
            cb = codebook or load_default_codebook()
            cb_id = store_codebook(conn, cb)
            set_meta(conn, "codebook_id", str(cb_id))
            if starter_actors:
                from annotator.core.assist import store_starter_actors

                store_starter_actors(conn, cb)
            return cb, cb_id, True
        cb = stored_codebook(conn, int(ref), location)
        if codebook is not None and (codebook.ref != cb.ref or codebook.raw != cb.raw):
            same = " (the same version with other content)" if codebook.ref == cb.ref else ""
            raise ProjectError(
                f"{location}: the project already uses codebook {cb.ref}; it cannot be "
                f"started again with {codebook.ref}{same}. To change the codebook of a "
                "project, run: annotator --db PROJECT codebook upgrade NEW.json"
            )
        return cb, int(ref), False


def stored_codebook(conn: Any, codebook_id: int, location: str) -> Codebook:
    """The codebook stored under ``codebook_id``."""
    content = conn.execute(
        select(codebook_t.c.content).where(codebook_t.c.id == codebook_id)
    ).scalar_one()
    return parse_stored_codebook(content, source=f"{location} (stored codebook)")


def store_codebook(conn: Any, cb: Codebook) -> int:
    """The id of ``cb`` (name and version) in the project, stored first if it is not there."""
    found = conn.execute(
        select(codebook_t.c.id).where(
            codebook_t.c.name == cb.id, codebook_t.c.version == cb.version
        )
    ).first()
    if found is not None:
        return int(found[0])
    result = conn.execute(
        codebook_t.insert().values(
            name=cb.id, version=cb.version, content=cb.to_json(), added_at=utcnow()
        )
    )
    return inserted_id(result)


def remove_sqlite(url: str) -> None:
    """Remove a SQLite project file this process just created, with its -wal and -shm."""
    if not url.startswith("sqlite:///"):
        return
    path = Path(url[len("sqlite:///") :])
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
              path.with_name(path.name + "-journal")):
        p.unlink(missing_ok=True)
