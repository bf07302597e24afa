"""What others changed: the Project's reads of the change log (a mixin, as project_team.py)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from annotator.core import change_log
from annotator.core.commands import Changes
from annotator.core.db import write_transaction

__all__ = ["ChangeReads"]


class ChangeReads:
    _engine: Engine
    session: str
    _own_seq: int | None  # the change-log number of this session's last commit
    _own_log: dict[int, tuple[bool, set[int]]]  # seq -> (structure, reports) of own commits

    def prune_change_log(self) -> None:
        """Drop all but the newest change-log entries (Project.open does unless told not to;
        the window does it after its first paint)."""
        try:
            with write_transaction(self._engine) as conn:
                change_log.prune(conn)
        except DBAPIError:  # a read-only account, a busy database: prune another time
            pass

    def change_token(self) -> int:
        """The position in the project's change log now; pass it to :meth:`changes_since`."""
        with self._engine.connect() as conn:
            return change_log.change_token(conn)

    def changes_since(self, token: int) -> tuple[Changes, int]:
        """What other windows and commands changed after ``token``: Changes with origin
        "other process" (empty when nothing), and the token to pass next time.

        Cheap when nothing changed (one read of one row): a window can poll it every second or
        two. Changes so old that the log no longer holds them come back as ``structure``. Right
        after this session's own commit numbered ``token + 1`` nothing is read at all (nobody
        committed in between: the log counts one per commit).
        """
        own = self._own_seq
        if own is not None and token == own - 1:
            return Changes("Changes elsewhere", origin=change_log.OTHER_PROCESS), own
        with self._engine.connect() as conn:
            return change_log.changes_since(conn, token, self.session)

    def touched_since(self, token: int) -> tuple[bool, set[int]]:
        """(structure, reports) anyone changed after ``token`` (this session too). When every
        commit since was this session's own, the log is not read: one read of the counter."""
        with self._engine.connect() as conn:
            now = change_log.change_token(conn)
            if now == token:
                return False, set()
            seqs = range(token + 1, now + 1)
            own = self._own_log
            if len(seqs) <= len(own) and all(s in own for s in seqs):
                reports: set[int] = set()
                for s in seqs:
                    reports |= own[s][1]
                return any(own[s][0] for s in seqs), reports
            return change_log.touched_since(conn, token)
