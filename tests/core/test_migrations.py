"""Schema migrations: Alembic revisions, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select

from annotator.core import commands as c
from annotator.core.codebook import load_default_codebook
from annotator.core.db import (
    SCHEMA_VERSION,
    DatabaseOpenError,
    database_url,
    get_meta,
    head_revision,
)
from annotator.core.models import metadata, report_t
from annotator.core.project import Project
from tests.conftest import FIXTURES


def _run_script(db: str, on_postgres: bool, script: str) -> None:
    """Run a SQL script the way an old build's database holds it (one statement at a time)."""
    if not on_postgres:
        con = sqlite3.connect(db)
        con.executescript(script)
        con.close()
        return
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        for statement in script.split(";\n"):
            lines = [ln for ln in statement.splitlines() if not ln.startswith("--")]
            if "".join(lines).strip():
                conn.exec_driver_sql("\n".join(lines))
    engine.dispose()


def _old_project(db: str, on_postgres: bool) -> None:
    name = "postgresql.sql" if on_postgres else "sqlite.sql"
    script = (FIXTURES / "schema_v1" / name).read_text("utf-8")
    cb = load_default_codebook()
    content = cb.to_json().replace("'", "''")
    script += (
        "\nINSERT INTO codebook (id, name, version, content, added_at) VALUES "
        f"(1, '{cb.id}', {cb.version}, '{content}', '2024-01-02 03:04:05+00');\n"
        "INSERT INTO meta (key, value) VALUES ('codebook_id', '1');\n"
    )
    _run_script(db, on_postgres, script)


def _schema_differences(project: Project) -> list[object]:
    with project._engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    return list(diffs)


def test_a_version_1_project_from_an_old_build_is_migrated(new_db, on_postgres: bool) -> None:
    db = new_db("old.db")
    _old_project(db, on_postgres)
    project = Project.open(db)
    try:
        with project._engine.connect() as conn:
            assert get_meta(conn, "schema_version") == str(SCHEMA_VERSION)
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
            assert conn.execute(select(report_t.c.reference_date)).scalar_one() is None
        # the old work is all there
        rid = project.reports()[0].id
        amina = project.coder_id("amina")
        assert project.reports()[0].statuses == {"amina": "done"}
        spans = project.spans(rid, amina)
        assert [(s.text, s.attributes) for s in spans] == [
            ("Gunmen", {"actor_type": "unidentified_armed_group"})
        ]
        assert project.claims(rid, amina)[0].slots == {"perpetrator": [spans[0].id]}
        assert project.report(rid).meta == {"batch": "one"}
        # and the tables of later versions work
        project.run(c.AddSpan(rid, amina, "location", 16, 22))
        assert [s.text for s in project.spans(rid, amina)] == ["Gunmen", "Tessit"]
        # the migrated layout is exactly the one a new project gets
        assert _schema_differences(project) == []
    finally:
        project.close()


def test_a_new_project_has_the_models_layout_and_the_newest_revision(new_db) -> None:
    project = Project.open(new_db("new.db"))
    try:
        assert _schema_differences(project) == []
        with project._engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    finally:
        project.close()
    assert head_revision() == f"{SCHEMA_VERSION:04d}"


def test_a_project_from_a_newer_build_is_refused(new_db, on_postgres: bool) -> None:
    db = new_db("newer.db")
    Project.open(db).close()
    bump = "UPDATE alembic_version SET version_num = '9999';\n"
    _run_script(db, on_postgres, bump)
    with pytest.raises(DatabaseOpenError, match="newer Annotator"):
        Project.open(db)


def test_the_numbered_newest_revision_file_is_alembics_head() -> None:
    from annotator.core.db import shipped_head

    # opening an up-to-date project compares with this number and skips Alembic altogether
    assert shipped_head() == head_revision()
