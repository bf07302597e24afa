"""Is the stored project what was written? Checksums of the report texts, spans against their
texts, and SQLite's own structure check.

A report's text is immutable after import and its SHA-256 is stored beside it, so a flipped bit
in a text (a failing disk, a bad copy) shows as a mismatch. Opening a project checks a sample
(:func:`quick_verify`: a few dozen reports, milliseconds); ``annotator check`` checks everything
(:func:`full_check`). A damaged project is refused with a message instead of silently exporting
altered text or taking new work.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from annotator.core.give_way import give_way
from annotator.core.models import report_t, span_t

__all__ = ["DamagedProject", "Problem", "before_bulk_write", "full_check", "loaded_report_problems",
           "quick_verify"]

#: reports whose checksum is verified on every open (and at most this much of their text)
SAMPLE = 32
_SAMPLE_CHARS = 8_000_000


@dataclass(frozen=True)
class Problem:
    where: str  # "report r-17", "span 123 of report r-17", "database"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class DamagedProject(Exception):
    """The project's stored data is not what was written; the message names the first problem."""

    def __init__(self, location: str, problems: list[Problem]) -> None:
        self.location, self.problems = location, problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"{location}: the project file is damaged: {problems[0]}{more}; nothing was changed. "
            "Restore a backup (annotator restore), or run `annotator check` to list every problem"
        )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _span_problem(text: str, start: int, end: int, stext: str) -> bool:
    return not (0 <= start < end <= len(text)) or text[start:end] != stext


def loaded_report_problems(external_id: str, text: str, sha256: str | None,
                           spans: Iterable[tuple[int, int, int, str]]) -> list[Problem]:
    """What :func:`quick_verify` finds in one report, checked on what a caller has already read
    (the window's open report: its text, its stored checksum, its spans as (id, start, end,
    text)); no database read."""
    ext = f"report {external_id}"
    if sha256 is None or _sha(text) != sha256:
        return [Problem(ext, "its text does not match its checksum (SHA-256)")]
    return [Problem(f"span {sid} of {ext}", f"its text is not the report's text at {start}-{end}")
            for sid, start, end, stext in spans if _span_problem(text, start, end, stext)]


_GIVE_WAY_EVERY = 1000  # spans checked between two of a background check's checkpoints
# report texts fetched at a time: reports of up to 1 MB each, decoded while the fetch holds the
# interpreter lock (200 at once took the sample's 8 MB in one step, through a key at start)
_TEXTS_AT_ONCE = 4


def _report_problems(conn: Connection, ids: list[int] | None) -> Iterator[Problem]:
    r, s = report_t, span_t
    q = select(r.c.id, r.c.external_id, r.c.text, r.c.sha256).order_by(r.c.id)
    if ids is not None:
        q = q.where(r.c.id.in_(ids))
    texts: dict[int, str] = {}
    for rid, ext, text, sha in conn.execution_options(yield_per=_TEXTS_AT_ONCE).execute(q):
        give_way()  # a background check (the window's start): between two reports
        if text is None or _sha(text) != sha:
            yield Problem(f"report {ext}", "its text does not match its checksum (SHA-256)")
            continue
        if ids is not None:
            texts[int(rid)] = text
    if ids is None:
        # every span against its report's text, one report at a time
        sq = select(s.c.id, s.c.report_id, s.c.start, s.c.end, s.c.text).order_by(s.c.report_id)
        current, text = -1, ""
        for sid, rid, start, end, stext in conn.execution_options(yield_per=2000).execute(sq):
            if rid != current:
                current = rid
                row = conn.execute(
                    select(r.c.external_id, r.c.text).where(r.c.id == rid)
                ).first()
                ext, text = (str(row[0]), str(row[1])) if row else (str(rid), "")
            if _span_problem(text, start, end, stext):
                yield Problem(f"span {sid} of report {ext}", "its text is not the report's text "
                              f"at {start}-{end}")
        return
    if texts:
        sq = select(s.c.id, s.c.report_id, s.c.start, s.c.end, s.c.text).where(
            s.c.report_id.in_(list(texts))
        )
        for n, (sid, rid, start, end, stext) in enumerate(conn.execute(sq)):
            if n % _GIVE_WAY_EVERY == 0:
                give_way()
            text = texts[int(rid)]
            if _span_problem(text, start, end, stext):
                yield Problem(f"span {sid}", f"its text is not the report's text at {start}-{end}")


# min and max as two subqueries: each is one step down the id index (SQLite scans the whole
# table for ``SELECT min(id), max(id)``, 6 ms at 50,000 reports)
_ID_RANGE = select(select(func.min(report_t.c.id)).scalar_subquery(),
                   select(func.max(report_t.c.id)).scalar_subquery())


def quick_verify(engine: Engine, location: str, sample: int = SAMPLE, seed: int | None = None) -> None:
    """Check the checksums (and spans) of ``sample`` reports picked at random, plus the first
    and the last; raise DamagedProject on a mismatch. Bounded work however large the project
    (at most ``_SAMPLE_CHARS`` of text is hashed; 0.5 s for reports of 1 MB)."""
    with engine.connect() as conn:
        lo, hi = conn.execute(_ID_RANGE).one()
        if lo is None:
            return
        rnd = random.Random(seed)
        if int(hi) - int(lo) < sample:  # a small project: every report
            ids = set(range(int(lo), int(hi) + 1))
        else:
            ids = {int(lo), int(hi)} | {rnd.randint(int(lo), int(hi)) for _ in range(sample)}
        # bounded work however long the reports are: hash at most _SAMPLE_CHARS of text
        sizes = conn.execute(
            select(report_t.c.id, func.length(report_t.c.text)).where(report_t.c.id.in_(ids))
        ).all()
        chosen: list[int] = []
        total = 0
        for rid, size in sorted(sizes):
            if chosen and total + int(size or 0) > _SAMPLE_CHARS:
                continue
            chosen.append(int(rid))
            total += int(size or 0)
        problems = list(_report_problems(conn, chosen))
    if problems:
        raise DamagedProject(location, problems)


def full_check(
    engine: Engine, progress: Callable[[str], None] | None = None
) -> list[Problem]:
    """Every problem: SQLite's integrity check (pages, indexes, foreign keys), then every
    report's checksum and every span against its text. Reads the whole database once."""
    problems: list[Problem] = []
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            if progress:
                progress("structure (PRAGMA integrity_check)")
            for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
                if line != "ok":
                    problems.append(Problem("database", str(line)))
            for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(Problem("database", f"row {row[1]} of {row[0]} refers to a "
                                        f"missing row of {row[2]}"))
        if progress:
            progress("report checksums and spans")
        problems.extend(_report_problems(conn, None))
    return problems


#: SQLite files up to this size get PRAGMA quick_check before an import (it reads every page)
_STRUCTURE_CHECK_BYTES = 512 * 1024 * 1024


def before_bulk_write(engine: Engine, location: str) -> None:
    """Before an import adds to the project: SQLite's quick_check of the pages and indexes (for
    files up to 512 MB) and the checksums of a larger sample of reports; raise DamagedProject
    rather than add work to a damaged file."""
    problems: list[Problem] = []
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
            size = int(conn.exec_driver_sql("PRAGMA page_size").scalar() or 0)
            if pages * size <= _STRUCTURE_CHECK_BYTES:
                for (line,) in conn.exec_driver_sql("PRAGMA quick_check"):
                    if line != "ok":
                        problems.append(Problem("database", str(line)))
    if problems:
        raise DamagedProject(location, problems)
    quick_verify(engine, location, sample=256)
