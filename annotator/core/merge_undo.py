"""Taking a merge back: ``annotator merge --undo LAST|RUN``.

Every merge run has an id (printed by ``merge``). For each coder's version it stored (added,
replaced, a conflict resolved with the file's version) the merge writes a history row of kind
``merged``: the run, the coder, the fingerprint of what it stored, the history row holding the
version it replaced (if any) and the coder's status before. Undoing the run walks those rows,
one report per transaction:

- the coder's work there is still what the merge stored: it goes into the history (kind
  ``undone``), the version the merge replaced comes back (or nothing, when the merge added it),
  and the coder's status goes back to what it was;
- it changed since (a later merge, an edit in the window): it is **kept** as it is and listed,
  so nothing merged or done later by anyone is lost; so is work on a report locked since.

Reports the merge added and reviewer decisions it added stay (the coders' work on them is taken
back like any other); the run is then marked undone (a ``merge_undone`` row) and cannot be
undone twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.engine import Connection

from annotator.core.coders import name_key
from annotator.core.db import write_transaction
from annotator.core.io.interchange.export import annotation_blocks
from annotator.core.io.interchange.store import insert_annotation
from annotator.core.locks import locked_reports
from annotator.core.models import (
    GOLD_CODER,
    assignment_t,
    claim_t,
    history_t,
    merge_log_t,
    slot_fill_t,
    span_t,
    utcnow,
)

__all__ = ["BOOKKEEPING", "MergeUndoError", "UndoSummary", "new_run", "record_merged", "undo_merge"]

MERGED, UNDONE, RUN_UNDONE = "merged", "undone", "merge_undone"
# history rows that are the merge's and the flagged spans' own notes, not coders' versions
BOOKKEEPING = (MERGED, RUN_UNDONE, "flagged_done")


class MergeUndoError(Exception):
    """No such merge run, or it was undone already; nothing was changed."""


def new_run() -> str:
    return uuid.uuid4().hex[:12]


def _tag(run: str) -> str:
    return f"merge run {run}"


def record_merged(conn: Connection, run: str, report_id: int, ext: str, coder: str,
                  coder_id: int, stored: str, replaced: int | None, status_before: str | None,
                  source: str, flagged: int | None = None, package: str | None = None) -> None:
    """Note, inside the merge's transaction, one coder's version the merge stored (``flagged``:
    the history row of the spans it could not carry onto a corrected text; ``stored``: the
    fingerprint of the version stored; ``package``: the package's id, whose ``merge_log`` row
    the undo removes so that the package merges again as before)."""
    conn.execute(history_t.insert().values(
        report_id=report_id, report_external_id=ext, coder=coder, kind=MERGED,
        reason=f"{_tag(run)}: stored from {source}",
        content={"run": run, "coder_id": coder_id, "stored": stored, "replaced": replaced,
                 "status_before": status_before, "flagged": flagged, "package": package},
        text_sha256="", source=source, created_at=utcnow()))


@dataclass
class UndoSummary:
    run: str
    undone: list[str] = field(default_factory=list)  # "report  coder"
    kept: list[tuple[str, str]] = field(default_factory=list)  # ("report  coder", why)
    reports: set[int] = field(default_factory=set)

    def line(self) -> str:
        return (f"merge run {self.run}: {len(self.undone)} version(s) taken back, "
                f"{len(self.kept)} kept (changed since the merge, or locked)")


def _runs(conn: Connection) -> tuple[list[str], set[str]]:
    """The merge runs, oldest first, and the ones undone."""
    h = history_t
    runs: list[str] = []
    for reason in conn.execute(select(h.c.reason).where(h.c.kind == MERGED).order_by(h.c.id)
                               ).scalars():
        run = str(reason).split(":", 1)[0][len("merge run "):]
        if run not in runs:
            runs.append(run)
    undone = {str(r)[len("merge run "):] for r in conn.execute(
        select(h.c.reason).where(h.c.kind == RUN_UNDONE)).scalars()}
    return runs, undone


def undo_merge(engine: Engine, which: str) -> UndoSummary:
    """Take back merge run ``which`` (its id, or ``LAST``: the latest not yet undone)."""
    h = history_t
    with engine.connect() as conn:
        runs, undone = _runs(conn)
        if which.upper() == "LAST":
            left = [r for r in runs if r not in undone]
            if not left:
                raise MergeUndoError("no merge to take back in this project")
            which = left[-1]
        elif which not in runs:
            raise MergeUndoError(f"no merge run {which} in this project (merge prints its run)")
        if which in undone:
            raise MergeUndoError(f"merge run {which} was taken back already")
        rows = [dict(r) for r in conn.execute(select(h).where(
            h.c.kind == MERGED, h.c.reason.like(_tag(which) + ":%")).order_by(h.c.id.desc())
        ).mappings()]
    summary = UndoSummary(which)
    for row in rows:
        with write_transaction(engine) as conn:
            why = _undo_one(conn, row)
        who = f"{row['report_external_id']}  {row['coder']}"
        if why is None:
            summary.undone.append(who)
            summary.reports.add(int(row["report_id"]))
        else:
            summary.kept.append((who, why))
    with write_transaction(engine) as conn:
        conn.execute(h.insert().values(
            report_id=None, report_external_id="", coder="", kind=RUN_UNDONE,
            reason=_tag(which), content={"undone": len(summary.undone),
                                         "kept": len(summary.kept)},
            text_sha256="", source=None, created_at=utcnow()))
    return summary


def _undo_one(conn: Connection, row: dict[str, Any]) -> str | None:
    """Take one stored version back; the reason it stays, or None when it was taken back."""
    info = dict(row["content"] or {})
    rid, cid = int(row["report_id"]), int(info["coder_id"])
    block = next(annotation_blocks(conn, [rid], [cid]), None)
    current: dict[str, Any] = {"spans": [], "claims": []}
    if block is not None and block[1]:
        current = block[1][0]
        current.pop("role", None)
    from annotator.core.merge import fingerprint

    if fingerprint(current) != info["stored"]:
        return "changed since the merge (a later merge or an edit)"
    if name_key(str(row["coder"])) != GOLD_CODER and locked_reports(conn, [rid]):
        return "the report was locked since (gold done)"
    conn.execute(history_t.insert().values(
        report_id=rid, report_external_id=row["report_external_id"], coder=row["coder"],
        kind=UNDONE, reason=f"{row['reason'].split(':', 1)[0]} taken back",
        content={k: current[k] for k in ("status", "spans", "claims") if k in current},
        text_sha256="", source=row["source"], created_at=utcnow()))
    s, c, f = span_t, claim_t, slot_fill_t
    claims = select(c.c.id).where(c.c.report_id == rid, c.c.coder_id == cid)
    conn.execute(delete(f).where(f.c.claim_id.in_(claims)))
    conn.execute(delete(c).where(c.c.report_id == rid, c.c.coder_id == cid))
    conn.execute(delete(s).where(s.c.report_id == rid, s.c.coder_id == cid))
    if info.get("replaced") is not None:
        old = conn.execute(select(history_t.c.content).where(
            history_t.c.id == int(info["replaced"]))).scalar()
        if old:
            insert_annotation(conn, rid, cid, dict(old), _codebook_id(conn))
    if info.get("flagged") is not None:  # those spans are no longer to re-place
        from annotator.core.flagged import DONE_KIND

        hid = int(info["flagged"])
        kept = conn.execute(select(history_t.c.content).where(history_t.c.id == hid)).scalar()
        for index, _span in enumerate(dict(kept or {}).get("spans", [])):
            conn.execute(history_t.insert().values(
                report_id=rid, report_external_id=row["report_external_id"], coder=row["coder"],
                kind=DONE_KIND, reason="the merge that flagged it was taken back",
                content={"flagged": hid, "index": index}, text_sha256="", source=None,
                created_at=utcnow()))
    if info.get("package"):
        log = merge_log_t
        conn.execute(log.delete().where(log.c.package_id == info["package"],
                                        log.c.report_id == rid,
                                        log.c.stored_fingerprint == info["stored"]))
    a = assignment_t
    before = info.get("status_before")
    where = (a.c.report_id == rid, a.c.coder_id == cid)
    if before is None:
        conn.execute(a.delete().where(*where))
    else:
        conn.execute(a.update().where(*where).values(status=before, updated_at=utcnow(),
                                                     version=a.c.version + 1))
    return None


def _codebook_id(conn: Connection) -> int:
    from annotator.core.db import get_meta

    return int(get_meta(conn, "codebook_id") or 0)
