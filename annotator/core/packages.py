"""A coder's package: one file a coder takes offline and brings back with ``merge``.

The package is a complete single-file SQLite project (the same tables, opened in the window with
``annotator --db PACKAGE``) holding only what the coder needs: the reports assigned to them (or,
when nothing is assigned, the reports they already worked on), the project's codebook, actor and
place lists, and their own spans, claims and statuses so far; nothing of other coders, of the
gold layer or of reviewers' decisions. The ``meta`` row ``package`` records the coder, when and
from which project it was made, and the fingerprint of the coder's work on every report at that
moment (the *baseline*), from which :mod:`annotator.core.merge` tells a resubmission from a
conflict. Reports locked in the project (their gold version is done, core/locks.py) are locked
in the package too (an empty gold layer marked done on them): the coder sees their work there
but cannot change it, rather than doing work the merge would then hold back. A package is made from a SQLite or a PostgreSQL project alike (through the same
interchange records), written beside the target and renamed into place when complete.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, union
from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook
from annotator.core.coders import find_coder
from annotator.core.db import display_url, get_meta, set_meta, write_transaction
from annotator.core.io.atomic import as_new_file
from annotator.core.io.interchange.export import iter_export
from annotator.core.io.interchange.parse import parse_data
from annotator.core.io.interchange.store import store_record
from annotator.core.locks import locked_reports
from annotator.core.models import actor_t, assignment_t, claim_t, place_t, report_t, span_t, utcnow

if TYPE_CHECKING:
    from annotator.core.merge import MergeFile
    from annotator.core.project import Project

__all__ = ["PACKAGE_KEY", "PackageError", "PackageSummary", "make_package", "open_package"]

PACKAGE_KEY = "package"
_CHUNK = 500  # report ids per query (SQLite's parameter limit)
_BATCH = 200  # reports per transaction in the package


class PackageError(Exception):
    """The package cannot be made or read; the message names the file and why."""


@dataclass
class PackageSummary:
    path: Path
    coder: str
    reports: int
    spans: int
    claims: int
    from_assignments: bool  # False: no assignment, the reports the coder worked on
    locked: int = 0  # of the reports, locked (gold done): read-only in the package

    def line(self) -> str:
        which = "assigned" if self.from_assignments else "already coded (nothing is assigned)"
        held = (f"; {self.locked} of them locked (gold done): read-only in the package, a merge "
                "would not take changes there" if self.locked else "")
        return (f"{self.path}: a package for {self.coder}: {self.reports} report(s) {which}, "
                f"their {self.spans} span(s) and {self.claims} claim(s) so far{held}")


def _coder_reports(conn: Connection, coder_id: int) -> tuple[list[int], bool]:
    a = assignment_t
    assigned = sorted(int(r) for r in conn.execute(
        select(a.c.report_id).where(a.c.coder_id == coder_id)).scalars())
    if assigned:
        return assigned, True
    worked = union(
        select(span_t.c.report_id).where(span_t.c.coder_id == coder_id),
        select(claim_t.c.report_id).where(claim_t.c.coder_id == coder_id),
    )
    return sorted(int(r) for r in conn.execute(worked).scalars()), False


def make_package(project: Project, coder: str, out: Path, *, overwrite: bool = False) -> PackageSummary:
    """Write coder ``coder``'s package to ``out`` (a new file unless ``overwrite``)."""
    out = Path(out)
    engine = project._engine
    with engine.connect() as conn:
        found = find_coder(conn, coder)
        if found is None:
            raise PackageError(f"no coder named '{coder}' in {project.location}")
        coder_id, name, role = found
        if role == "gold":
            raise PackageError("the gold layer is the reviewers' work, not a coder's to take away")
        report_ids, from_assignments = _coder_reports(conn, coder_id)
        locked = locked_reports(conn, report_ids)
        actors = [dict(r) for r in conn.execute(select(actor_t)).mappings()]
        places = [dict(r) for r in conn.execute(select(place_t)).mappings()]
        refs = dict(conn.execute(select(report_t.c.external_id, report_t.c.reference_date).where(
            report_t.c.reference_date.is_not(None))).all())
    if not report_ids:
        raise PackageError(f"{name} has no report assigned and has coded none: nothing to package")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise PackageError(f"{out}: the folder {folder} does not exist")
    if out.exists() and not overwrite:
        raise PackageError(f"{out}: already exists (choose another name)")
    if out.exists() and out.resolve() == Path(display_url(project.location)).resolve():
        raise PackageError(f"{out}: is the project itself")
    from annotator.core import backup
    from annotator.core.project import Project as _Project

    with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=folder) as tmp:
        work = Path(tmp) / "package.db"
        pkg = _Project.open(work, codebook=project.codebook, with_example=False,
                            starter_actors=False, verify=False)
        try:
            try:
                spans, claims, baseline = _fill(pkg, project, coder_id, report_ids, refs)
            except ValueError as exc:
                raise PackageError(f"{project.location}: {exc}; no package was written") from exc
            with write_transaction(pkg._engine) as conn:
                for row in actors:
                    conn.execute(actor_t.insert().values(**row))
                for row in places:
                    conn.execute(place_t.insert().values(**row))
                _lock_in_package(conn, project, locked)
                set_meta(conn, PACKAGE_KEY, json.dumps({
                    "format": 1, "id": uuid.uuid4().hex, "coder": name,
                    "made_at": utcnow().isoformat(),
                    "project": display_url(project.location), "baseline": baseline,
                }, ensure_ascii=False))
        finally:
            pkg.close()
        backup.safe_copy(work, out, overwrite=overwrite)
    as_new_file(out)  # readable by colleagues as any new file, not 0600
    return PackageSummary(out, name, len(report_ids), spans, claims, from_assignments,
                          len(locked))


def _lock_in_package(conn: Connection, project: Project, locked: set[int]) -> None:
    """Mark the project's ``locked`` reports locked in the package (gold status done, no gold
    work), found there by their external ids."""
    if not locked:
        return
    from annotator.core.review import gold_coder_id

    external: list[str] = []
    ids = sorted(locked)
    with project._engine.connect() as src:
        for i in range(0, len(ids), _CHUNK):
            external += [str(e) for e in src.execute(select(report_t.c.external_id).where(
                report_t.c.id.in_(ids[i : i + _CHUNK]))).scalars()]
    gold = gold_coder_id(conn)
    now = utcnow()
    for i in range(0, len(external), _CHUNK):
        rows = [{"report_id": int(r), "coder_id": gold, "status": "done", "created_at": now,
                 "updated_at": now} for r in conn.execute(select(report_t.c.id).where(
                     report_t.c.external_id.in_(external[i : i + _CHUNK]))).scalars()]
        if rows:
            conn.execute(assignment_t.insert(), rows)


def _fill(pkg: Project, project: Project, coder_id: int, report_ids: list[int],
          refs: dict[str, Any]) -> tuple[int, int, dict[str, str]]:
    from annotator.core.merge import fingerprint

    baseline: dict[str, str] = {}
    spans = claims = 0
    cache: dict[str, int] = {}
    pending: list[Any] = []

    def flush() -> None:
        with write_transaction(pkg._engine) as conn:
            for parsed in pending:
                store_record(conn, parsed, pkg.codebook_id, cache)
                ref = refs.get(parsed.report["id"])
                if ref is not None:
                    conn.execute(report_t.update().where(
                        report_t.c.external_id == parsed.report["id"]).values(reference_date=ref))
        pending.clear()

    for i in range(0, len(report_ids), _CHUNK):
        chunk = report_ids[i : i + _CHUNK]
        for rec in iter_export(project._engine, coder_ids=[coder_id],
                               codebook_ref=project.codebook.ref, report_ids=chunk):
            for ann in rec["annotations"]:
                ann.pop("role", None)
                baseline[rec["report"]["id"]] = fingerprint(ann)
                spans += len(ann["spans"])
                claims += len(ann["claims"])
            pending.append(parse_data(rec, project.codebook, shape_known=True))
            if len(pending) >= _BATCH:
                flush()
    flush()
    with project._engine.connect() as conn:
        top = {t.name: conn.execute(select(func.max(t.c.id))).scalar() or 0 for t in (span_t, claim_t)}
    with write_transaction(pkg._engine) as conn:
        _ids_after_keys(conn, top)
    return spans, claims, baseline


def _ids_after_keys(conn: Connection, top: dict[str, int]) -> None:
    """Start the package's span and claim ids above every id of the project and every number
    in the copied keys: a span tagged in the package is keyed "s" + its id, which must not be
    a key the coder's copied spans already use on that report."""
    for table, prefix in ((span_t, "s"), (claim_t, "c")):
        highest = top.get(table.name, 0)
        for key in conn.execute(select(table.c.key)).scalars():
            tail = str(key)[len(prefix):]
            if str(key).startswith(prefix) and tail.isdigit():
                highest = max(highest, int(tail))
        seq = sqlite_sequence()
        if conn.execute(select(seq.c.seq).where(seq.c.name == table.name)).first() is None:
            conn.execute(seq.insert().values(name=table.name, seq=highest))
        else:
            conn.execute(seq.update().where(seq.c.name == table.name, seq.c.seq < highest)
                         .values(seq=highest))


def sqlite_sequence() -> Any:
    """SQLite's own table of AUTOINCREMENT counters (a package is always a SQLite file)."""
    from sqlalchemy import Column, Integer, MetaData, String, Table

    return Table("sqlite_sequence", MetaData(), Column("name", String), Column("seq", Integer))


def open_package(path: Path, codebook: Codebook) -> MergeFile:
    """A package (or any project file) opened for merging: its records and its baseline."""
    from annotator.core.db import DatabaseOpenError
    from annotator.core.merge import MergeFile, parse_exported
    from annotator.core.project import Project, ProjectError

    try:
        pkg = Project.open(path, create=False, with_example=False, verify=True)
    except (DatabaseOpenError, ProjectError) as exc:
        raise PackageError(f"{path}: not a package Annotator can read ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 (a damaged file of any kind: one line, not a traceback)
        raise PackageError(f"{path}: cannot be opened ({exc})") from exc
    with pkg._engine.connect() as conn:
        raw = get_meta(conn, PACKAGE_KEY)
    info: dict[str, Any] = {}
    if raw:
        try:
            info = json.loads(raw)
        except ValueError:
            info = {}
    if pkg.codebook.id != codebook.id:
        pkg.close()
        raise PackageError(f"{path}: coded with codebook '{pkg.codebook.ref}', but this project "
                           f"uses '{codebook.ref}'")
    records = parse_exported(pkg.iter_export(), codebook, str(path))
    return MergeFile(Path(path), records, coder=info.get("coder"),
                     baseline=dict(info.get("baseline") or {}), package_id=info.get("id"),
                     close=pkg.close)
