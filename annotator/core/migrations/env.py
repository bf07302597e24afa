"""Alembic environment: annotator.core.db hands over an open connection; nothing is read from
an alembic.ini (projects are opened by path or URL, never through a config file)."""

from __future__ import annotations

from alembic import context

from annotator.core.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most constraints; batch mode rebuilds the table where a revision asks
    render_as_batch=connection.dialect.name == "sqlite",
)
context.run_migrations()
