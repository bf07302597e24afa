"""A team project's rules for who sees which reports in their queue, and the settings for them.

A coder's queue holds the reports assigned to them (any status) once the project uses
assignments (``annotator assign`` has stored a plan); the project setting
``unassigned_pool`` adds the reports nobody is assigned to. Reviewers and the gold layer see
every report, and so does everyone in a project that never used ``assign`` (one workstation,
the example project): nothing changes for them.

Both facts live in the project's meta table (no migration): ``assignments_used`` is set by the
first :class:`~annotator.core.assignments.Assign` (and taken back by its undo), the settings are
JSON under ``team_settings``, changed by :class:`SetTeamSettings` (undoable).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ScalarSelect, bindparam, select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import Changes, Command, Context
from annotator.core.db import get_meta, set_meta
from annotator.core.models import coder_t, meta_t

__all__ = [
    "ASSIGNMENTS_USED",
    "QueueScope",
    "SetTeamSettings",
    "TeamSettings",
    "load_team_settings",
    "mark_assignments_used",
    "queue_scope",
]

ASSIGNMENTS_USED = "assignments_used"
_SETTINGS = "team_settings"


@dataclass(frozen=True)
class TeamSettings:
    """``unassigned_pool``: coders' queues also show the reports nobody is assigned to."""

    unassigned_pool: bool = False


@dataclass(frozen=True)
class QueueScope:
    """Which reports a coder's queue holds: those assigned to ``coder_id``, and with ``pool``
    those no coder is assigned to."""

    coder_id: int
    pool: bool


def load_team_settings(conn: Connection) -> TeamSettings:
    return _settings(get_meta(conn, _SETTINGS))


def _settings(raw: str | None) -> TeamSettings:
    data = json.loads(raw) if raw else {}
    return TeamSettings(bool(data.get("unassigned_pool", False)))


def _meta(key: str) -> ScalarSelect[Any]:
    return select(meta_t.c.value).where(meta_t.c.key == key).scalar_subquery()


# the coder's role, whether assignments are used and the team settings in one read: every page
# of a queue asks it (three statements were three round trips to a server)
_SCOPE = select(select(coder_t.c.role).where(coder_t.c.id == bindparam("coder_id"))
                .scalar_subquery(), _meta(ASSIGNMENTS_USED), _meta(_SETTINGS))


def mark_assignments_used(conn: Connection, used: bool) -> bool:
    """Record whether the project uses assignments; returns whether it did before."""
    before = get_meta(conn, ASSIGNMENTS_USED) is not None
    if used and not before:
        set_meta(conn, ASSIGNMENTS_USED, "1")
    elif not used and before:
        conn.execute(meta_t.delete().where(meta_t.c.key == ASSIGNMENTS_USED))
    return before


def queue_scope(conn: Connection, coder_id: int) -> QueueScope | None:
    """The scope of ``coder_id``'s queue, or None for every report (a reviewer, gold, or a
    project without assignments)."""
    role, used, settings = conn.execute(_SCOPE, {"coder_id": coder_id}).one()
    if role != "coder" or used is None:
        return None
    return QueueScope(coder_id, _settings(settings).unassigned_pool)


class SetTeamSettings(Command):
    """Change the team settings (a lead's action; undoable)."""

    reviewer_action = True
    label = "Change team settings"

    def __init__(self, settings: TeamSettings) -> None:
        self.settings = settings
        self._old: TeamSettings | None = None

    def do(self, conn: Connection, ctx: Context) -> Changes:
        self._old = load_team_settings(conn)
        set_meta(conn, _SETTINGS, json.dumps(asdict(self.settings), sort_keys=True))
        return Changes(self.label, structure=True)  # every queue shows other reports now

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        assert self._old is not None
        set_meta(conn, _SETTINGS, json.dumps(asdict(self._old), sort_keys=True))
        return Changes(self.label, structure=True)
