"""The review and agreement reads of the ``Project`` facade (a mixin, as project_team.py is:
project.py stays about opening a project and running commands)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from annotator.core import queries
from annotator.core.codebook import Codebook

if TYPE_CHECKING:
    from annotator.core.agreement.compute import AgreementResult
    from annotator.core.agreement.data import Dataset
    from annotator.core.review import ReviewItem

__all__ = ["ReviewReads"]


class ReviewReads:
    _engine: Engine
    codebook: Codebook

    def review_items(
        self, report_ids: Sequence[int] | None = None, coders: Sequence[str] | None = None
    ) -> dict[int, list[ReviewItem]]:
        """The aligned review items (``review.ReviewItem``) per report id, in text order."""
        from annotator.core import review

        with self._engine.connect() as conn:
            return review.review_items(conn, self.codebook, report_ids, coders)

    def review_status(
        self, report_ids: Sequence[int] | None = None, coders: Sequence[str] | None = None
    ) -> Iterator[tuple[int, tuple[int, int, int]]]:
        """(report id, (items, disagreements, still open)) per report, a batch at a time
        (``review_status.review_status``: bounded memory on a project of any size)."""
        from annotator.core.review_status import review_status

        with self._engine.connect() as conn:
            yield from review_status(conn, self.codebook, report_ids, coders)

    def report_names(self) -> dict[int, str]:
        """report id -> external id, for every report (two columns, no statuses or counts)."""
        with self._engine.connect() as conn:
            return queries.report_names(conn)

    def agreement_data(
        self, coders: Sequence[str] | None = None, reports: Sequence[str] | None = None
    ) -> Dataset:
        """The ``agreement.Dataset`` of ``coders`` (default: all but gold) on ``reports``
        (external ids; default: all). ValueError names an unknown coder or report."""
        from annotator.core.agreement import load_dataset

        with self._engine.connect() as conn:
            return load_dataset(conn, self.codebook, coders, reports)

    def agreement(
        self, coders: Sequence[str] | None = None, reports: Sequence[str] | None = None,
        every_coder: bool = False, seed: int = 0, resamples: int = 1000, chunk: int = 500,
    ) -> AgreementResult:
        """The agreement figures (each coder pair on the reports both finished, or with
        ``every_coder`` the reports every compared coder finished), read a chunk of reports at
        a time: memory does not grow with the project; the disagreements go to a temporary
        file (a DisagreementLog). ValueError names an unknown coder or report."""
        from annotator.core.agreement.compute import Listing
        from annotator.core.agreement.compute import every_coder as every
        from annotator.core.agreement.data import ProjectSource
        from annotator.core.agreement.disagreements import DisagreementLog
        from annotator.core.agreement.pairs import pairwise

        with self._engine.connect() as conn:
            source = ProjectSource(conn, self.codebook, coders, reports, chunk)
            run = every if every_coder else pairwise
            return run(source, coders, reports, seed, resamples, Listing(DisagreementLog()))
