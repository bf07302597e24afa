"""Database paths and URLs."""

from __future__ import annotations

from pathlib import Path

from annotator.core.db import database_url, display_url


def test_paths_become_sqlite_urls_and_postgres_urls_get_psycopg(tmp_path: Path) -> None:
    assert database_url(tmp_path / "p.db") == f"sqlite:///{tmp_path / 'p.db'}"
    assert database_url("postgresql://u@h:5/d") == "postgresql+psycopg://u@h:5/d"
    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"


def test_messages_never_show_the_password() -> None:
    shown = display_url("postgresql+psycopg://amina:s3cret@host/project")
    assert "s3cret" not in shown and "amina" in shown and "host/project" in shown
    assert display_url("sqlite:////tmp/x.db") == "/tmp/x.db"
