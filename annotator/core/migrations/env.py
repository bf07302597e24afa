"""Alembic environment: annotator.core.db hands over an open connection; nothing is read from
an alembic.ini (projects are opened by path or URL, never through a config file)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from annotator.core import models  # noqa: F401 (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most constraints; batch mode rebuilds the table where a revision asks
    render_as_batch=connection.dialect.name == "sqlite",
)
context.run_migrations()
