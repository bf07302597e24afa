"""The team reads of the ``Project`` facade: a coder's queue, locked reports, team settings and
progress (a mixin, so that project.py stays about opening and running commands)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from annotator.core import queries

if TYPE_CHECKING:
    from annotator.core.commands import Changes
    from annotator.core.flagged import FlaggedSpan
    from annotator.core.merge_undo import UndoSummary
    from annotator.core.team import QueueScope, TeamSettings

__all__ = ["TeamReads"]


class TeamReads:
    _engine: Engine

    if TYPE_CHECKING:
        def _record(self, changes: Changes, origin: str) -> None: ...

    def queue_scope(self, coder_id: int) -> QueueScope | None:
        """Which reports ``coder_id``'s queue holds (team.queue_scope); None: every report."""
        from annotator.core.team import queue_scope

        with self._engine.connect() as conn:
            return queue_scope(conn, coder_id)

    def queue(self, coder_id: int, **kw: Any) -> list[queries.ReportRow]:
        """``reports(coder_id=...)`` limited to that coder's queue: the reports assigned to
        them (and the unassigned pool when the project allows it) once the project uses
        assignments; every report for reviewers and in projects without assignments."""
        from annotator.core.team import queue_scope

        with self._engine.connect() as conn:
            return queries.report_rows(conn, coder_id=coder_id, scope=queue_scope(conn, coder_id),
                                       **kw)

    def report_length(self, report_id: int) -> int:
        """One report's length in code points (a queue page does not count them)."""
        with self._engine.connect() as conn:
            return queries.report_length(conn, report_id)

    def team_settings(self) -> TeamSettings:
        from annotator.core.team import load_team_settings

        with self._engine.connect() as conn:
            return load_team_settings(conn)

    def locked_reports(self, report_ids: Iterable[int] | None = None) -> set[int]:
        """The reports (of ``report_ids``, default: all) locked because their gold is done."""
        from annotator.core.locks import locked_reports

        with self._engine.connect() as conn:
            return locked_reports(conn, report_ids)

    def flagged_spans(self, *, coder: str | None = None, report_ids: Iterable[int] | None = None,
                      open_only: bool = False) -> list[FlaggedSpan]:
        """Spans a merge could not carry onto a corrected text (core/flagged.py)."""
        from annotator.core.flagged import flagged_spans

        with self._engine.connect() as conn:
            return flagged_spans(conn, coder=coder, report_ids=report_ids, open_only=open_only)

    def flagged_reports(self, coder: str, report_ids: Iterable[int] | None = None
                        ) -> dict[int, int]:
        """report -> how many of ``coder``'s flagged spans there are still open."""
        from annotator.core.flagged import flagged_reports

        with self._engine.connect() as conn:
            return flagged_reports(conn, coder, report_ids)

    def undo_merge(self, which: str) -> UndoSummary:
        """Take back merge run ``which`` (or ``LAST``): core/merge_undo.py. ``MergeUndoError``
        when there is no such run or it was taken back already."""
        from annotator.core.commands import Changes
        from annotator.core.merge_undo import undo_merge

        summary = undo_merge(self._engine, which)
        if summary.reports:
            self._record(Changes("Undo merge", reports=summary.reports), "merge")
        return summary
