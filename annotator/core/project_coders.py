"""The coders of the ``Project`` facade by name: find ("Bob" and "bob" are one coder), add,
change a role (a mixin, as project_team.py is: project.py stays about opening a project and
running commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from annotator.core import queries
from annotator.core.coders import find_coder
from annotator.core.commands import Changes
from annotator.core.db import write_transaction
from annotator.core.models import ROLES, coder_t, inserted_id
from annotator.core.project_open import ProjectError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["CoderNames"]


class CoderNames:
    _engine: Engine
    location: str

    if TYPE_CHECKING:
        def _log_changes(self, conn: Connection, changes: Changes) -> None: ...
        def _notify(self, changes: Changes, origin: str) -> None: ...

    def coder_id(self, name: str, *, create: bool = False, role: str = "coder") -> int:
        """The id of coder ``name``; with ``create`` a missing coder is added (with ``role``)."""
        return self.coder_named(name, create=create, role=role).id

    def coder_named(self, name: str, *, create: bool = False, role: str = "coder"
                    ) -> queries.CoderRow:
        """Coder ``name`` in any case (stored name and role, no counts), as :meth:`coder_id`
        finds or adds it: the window's start reads its coder once."""
        name = name.strip()
        if not name:
            raise ProjectError("a coder needs a name")
        from annotator.core.io import textrules

        why = textrules.problem(name, textrules.LINE)
        if why:
            raise ProjectError(f"coder name {name!r}: {why}")
        found = self._find_coder(name)
        if found is not None:
            return found
        if not create:
            raise ProjectError(f"no coder named '{name}' in {self.location}")
        if role not in ROLES:
            raise ProjectError(f"role must be one of {', '.join(ROLES)}")
        changes = Changes("Add coder", structure=True)
        try:
            with write_transaction(self._engine) as conn:
                new_id = inserted_id(conn.execute(coder_t.insert().values(name=name, role=role)))
                self._log_changes(conn, changes)
        except IntegrityError:
            # another process added the same coder at the same moment: that one it is
            found = self._find_coder(name)
            if found is None:
                raise
            return found
        self._notify(changes, "coders")
        return queries.CoderRow(int(new_id), name, role, {})

    def _find_coder(self, name: str) -> queries.CoderRow | None:
        """``name`` in any case: "Bob" and "bob" are one coder."""
        with self._engine.connect() as conn:
            row = find_coder(conn, name)
        return None if row is None else queries.CoderRow(row[0], row[1], row[2], {})

    def set_coder_role(self, name: str, role: str) -> str:
        """Give an existing coder another role (coder or reviewer); returns the old role."""
        if role not in ("coder", "reviewer"):
            raise ProjectError("role must be coder or reviewer")
        found = self._find_coder(name.strip())
        if found is None:
            raise ProjectError(f"no coder named '{name}' in {self.location}")
        if found.role == "gold":
            raise ProjectError("the gold coder holds adjudicated annotations; its role is fixed")
        if found.role != role:
            with write_transaction(self._engine) as conn:
                conn.execute(coder_t.update().where(coder_t.c.id == found.id).values(role=role))
                self._log_changes(conn, Changes("Change role", structure=True))
            self._notify(Changes("Change role", structure=True), "coders")
        return found.role

    def may_set_roles(self, identity: str | None) -> bool:
        """True when ``identity`` (None: the project lead) may create reviewers and gold."""
        if identity is None:
            return True
        with self._engine.connect() as conn:
            row = find_coder(conn, identity)
        return row is not None and row[2] == "reviewer"
