"""The reads a coding window makes: a report, its spans and claims, kept and patched after each
change (a mixin of the Project, as project_team.py). After its own change a window reads again
only what the change names, whatever the report holds."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack

from sqlalchemy import Engine

from annotator.core import queries, statements
from annotator.core.codebook import Codebook
from annotator.core.give_way import give_way
from annotator.core.spanset import SpanPatch, SpanSet, patch_spans, read_span_set

__all__ = ["CodingReads"]


class CodingReads:
    _engine: Engine
    codebook: Codebook

    def report(self, report_id: int) -> queries.ReportDetail:
        with self._engine.connect() as conn:
            return queries.report_detail(conn, report_id)

    def spans(self, report_id: int, coder_id: int) -> list[queries.SpanRow]:
        with self._engine.connect() as conn:
            return queries.span_rows(conn, report_id, coder_id)

    def span_set(self, report_id: int, coder_id: int) -> SpanSet:
        """The coder's spans of the report, kept by a window and patched after each change."""
        with self._engine.connect() as conn:
            return read_span_set(conn, report_id, coder_id, self.codebook)

    def patch_spans(
        self, spans: SpanSet, report_id: int, coder_id: int, changed: set[int], check: bool = True
    ) -> SpanPatch:
        """Bring ``spans`` up to date after a change naming the spans ``changed`` (possibly none):
        only those are read again, unless the database shows a change it was not told of
        (``check``: see spanset.patch_spans)."""
        with self._engine.connect() as conn:
            return patch_spans(conn, report_id, coder_id, spans, changed, check)

    def claims(self, report_id: int, coder_id: int) -> list[queries.ClaimRow]:
        """The coder's claims of the report with their slots, in id order."""
        with self._engine.connect() as conn:
            return queries.claim_rows(conn, report_id, coder_id)

    def patch_claims(self, claims: Sequence[queries.ClaimRow], report_id: int, coder_id: int,
                     changed: set[int]) -> list[queries.ClaimRow]:
        """``claims`` (as :meth:`claims` read them) after a change naming the claims ``changed``:
        only those are read again (see queries.patch_claims)."""
        if not changed:
            return list(claims)
        with self._engine.connect() as conn:
            return queries.patch_claims(conn, report_id, coder_id, claims, changed)

    def warm_statements(self) -> None:
        """Compile the statements of the coding keys and the window's reads after them now
        (nothing is read or written), so that the first tag, claim, slot fill, value and undo
        after start find them compiled: the window's warm-up thread calls this, and gives way
        between two statements to the window's thread while it handles a key."""
        for statement, keys, many in statements.coding_shapes():
            give_way()
            statements.compile_into(self._engine, statement, keys, many)

    def warm_connections(self) -> int:
        """Fill the connection pool now (as many connections as it keeps idle), so that no key
        opens one: at start the read-ahead, the start checks and the warm-up each hold one, and
        the first claim after them paid for a new connection and its settings. Returns how many
        connections the pool keeps."""
        size = getattr(self._engine.pool, "size", None)
        keep = int(size()) if callable(size) else 0
        with ExitStack() as held:
            for _ in range(keep):
                held.enter_context(self._engine.connect())
        return keep

    def status(self, report_id: int, coder_id: int) -> str:
        with self._engine.connect() as conn:
            return queries.status(conn, report_id, coder_id)
