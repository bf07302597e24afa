"""Coder names: one coder per name whatever its case ("Bob" and "bob" are one coder).

Names are stored as first written; every lookup compares them case-insensitively (Unicode case
folding, done here in Python rather than by the database's ``lower``, which SQLite applies to
ASCII only). A project made before this rule that holds two names differing only in case keeps
both: the exact spelling is found first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from annotator.core.models import coder_t

__all__ = ["find_coder", "name_key"]


def name_key(name: str) -> str:
    """The form two coder names are compared in."""
    return name.strip().casefold()


def find_coder(conn: Connection, name: str) -> tuple[int, str, str] | None:
    """(id, stored name, role) of the coder called ``name`` in any case, or None."""
    name = name.strip()
    rows = conn.execute(select(coder_t.c.id, coder_t.c.name, coder_t.c.role)).all()
    exact = [r for r in rows if r[1] == name]
    same = exact or [r for r in rows if name_key(str(r[1])) == name_key(name)]
    if not same:
        return None
    row = min(same, key=lambda r: int(r[0]))
    return int(row[0]), str(row[1]), str(row[2])
