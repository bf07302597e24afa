"""Merging a coder's offline work (a package from :mod:`annotator.core.packages`, or any
interchange .jsonl file) back into the project, one report at a time, losing nothing.

For every report of the file and every coder on it:

- the coder has nothing on the report yet: the work is **added**;
- the same work is there already: **unchanged** (the status still moves forward, never back);
- the file's version differs from the project's. A package knows the version each report had
  when it was made (its *baseline*), so the merge can tell who changed what since:

  - only the file changed it (a resubmission after more work): the file's version **replaces**
    the project's, which is kept in ``annotation_history``;
  - only the project changed it (the file is an older copy): the project's version stays;
  - both changed it: a **conflict**, listed and left as it is until the run names the version
    to take (``prefer``: ``package`` or ``project``, for every report or per report id); the
    version not taken goes into the history.

  A file without a baseline (a plain export) is compared item by item: a copy that lacks some of
  the project's spans or claims and adds none leaves the project's version alone (nothing is
  deleted), a copy that holds all of the project's items and more replaces it, anything else is
  a conflict.
- a report whose text was corrected in the project since (same report id, another text): the
  coder's spans move to the new text through a diff of the two texts (code points) where the
  text they cover is unchanged; the others are **flagged**: kept in the history (kind
  ``flagged``) with their old offsets and listed, and claims lose only the references to them.
- a report that is **locked** in the project (its gold version is done, core/locks.py): a coder's
  work that differs from the project's is not applied; it is kept in the history (kind
  ``locked``) and listed, and the rest of the file is merged. Gold work and reviewer decisions
  are the reviewers' and are merged as usual.

Every run has an id (``MergeSummary.run``); each version it stores is noted in the history
(kind ``merged``) so that :mod:`annotator.core.merge_undo` can take the run back later.

Each report is merged in its own transaction; a report that cannot be merged (bad record,
database refusal) is listed with the reason and the others go on. Coder names compare
case-insensitively. Reviewer decisions in the file are added where the project has none for
the same item (a reviewer's or the lead's merge only, like gold annotations).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.coders import name_key
from annotator.core.db import write_transaction
from annotator.core.io.interchange.export import annotation_blocks
from annotator.core.io.interchange.parse import ParsedRecord, parse_data, read_jsonl
from annotator.core.io.interchange.store import (
    canonical,
    coder_id_for,
    insert_annotation,
    insert_report,
    later_status,
    merge_status,
    store_decisions,
)
from annotator.core.io.textfile import ImportProblem
from annotator.core.locks import locked_reports
from annotator.core.merge_undo import new_run, record_merged
from annotator.core.models import (
    GOLD_CODER,
    assignment_t,
    claim_t,
    history_t,
    merge_log_t,
    report_t,
    slot_fill_t,
    span_t,
    utcnow,
)
from annotator.core.textdiff import OffsetMap

__all__ = [
    "PREFER",
    "MergeError",
    "MergeSummary",
    "Outcome",
    "fingerprint",
    "history",
    "merge_file",
    "merge_records",
    "read_merge_file",
]

PREFER = ("package", "project")


class MergeError(Exception):
    """The file cannot be read at all (not a package, not UTF-8 ...): nothing was merged."""


def fingerprint(ann: Mapping[str, Any]) -> str:
    """A short hash of one coder's spans and claims on one report (the status not included)."""
    return hashlib.sha256(canonical(dict(ann)).encode("utf-8")).hexdigest()[:32]


@dataclass
class Outcome:
    """What the merge did with one coder's work on one report."""

    report: str  # the report's id (external)
    coder: str
    action: str  # added, replaced, unchanged, kept, conflict, resolved, locked, failed
    detail: str = ""
    spans: int = 0  # in the version now stored (added, replaced)
    claims: int = 0
    flagged: int = 0  # spans that could not follow a corrected text
    flagged_texts: list[str] = field(default_factory=list)  # the text each of them covered
    history: list[int] = field(default_factory=list)  # annotation_history rows written

    def line(self) -> str:
        who = f"{self.report}  {self.coder}" if self.coder else self.report
        bits = [self.action]
        if self.action in ("added", "replaced") or (self.action == "resolved" and self.spans):
            bits.append(f"{self.spans} span(s), {self.claims} claim(s)")
        if self.flagged:
            shown = ", ".join(f"\u201c{t}\u201d" for t in self.flagged_texts[:5])
            more = " …" if len(self.flagged_texts) > 5 else ""
            bits.append(f"{self.flagged} span(s) flagged ({shown}{more}; to re-place: "
                        "annotator history --flagged, or the window's Flagged tab)")
        if self.history:
            bits.append("kept in history #" + ", #".join(str(h) for h in self.history))
        if self.detail:
            bits.append(self.detail)
        return f"{who}: " + "; ".join(bits)


@dataclass
class MergeSummary:
    run: str = ""  # the run's id: merge --undo RUN takes it back
    outcomes: list[Outcome] = field(default_factory=list)
    reports_added: int = 0
    decisions_added: int = 0

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def flagged(self) -> int:
        return sum(o.flagged for o in self.outcomes)

    @property
    def conflicts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "conflict"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    @property
    def locked(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "locked"]

    @property
    def ok(self) -> bool:
        """Everything was merged (no open conflict, no locked work held back, no report
        refused)."""
        return not self.conflicts and not self.failed and not self.locked

    def line(self) -> str:
        return (
            f"{self.count('added')} added, {self.count('replaced')} replaced, "
            f"{self.count('resolved')} conflict(s) resolved, {len(self.conflicts)} conflict(s) "
            f"open, {self.count('unchanged') + self.count('kept')} unchanged, {self.flagged} "
            f"span(s) flagged, {len(self.locked)} locked (kept as they are), {len(self.failed)} "
            "report(s) not merged; "
            f"{self.reports_added} new report(s), {self.decisions_added} decision(s) added"
        )


# ---------------------------------------------------------------- reading the file

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class MergeFile:
    """The records of a file to merge, and what a package says about itself."""

    path: Path
    records: Iterator[tuple[str, ParsedRecord | str]]  # (place, record or why not)
    coder: str | None = None  # a package's coder: only that coder's work is merged
    baseline: dict[str, str] = field(default_factory=dict)  # report id -> fingerprint
    package_id: str | None = None  # a package's own id (merge_log)
    close: Callable[[], None] = lambda: None
    run: str = field(default_factory=new_run)  # this merge's id (merge --undo RUN)


def read_merge_file(path: Path, codebook: Codebook) -> MergeFile:
    """Open a package (a project file) or an interchange .jsonl file for merging."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise MergeError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head == SQLITE_MAGIC:
        from annotator.core.packages import open_package

        return open_package(path, codebook)
    return MergeFile(path, _jsonl_records(path, codebook))


def _jsonl_records(path: Path, codebook: Codebook) -> Iterator[tuple[str, ParsedRecord | str]]:
    """Each line of an interchange file, or why it is refused (the merge goes on past it)."""
    try:
        for number, record in read_jsonl(path, codebook, lambda _number, exc: str(exc)):
            yield f"{path}:{number}", record
    except ImportProblem as exc:  # unreadable, not UTF-8
        raise MergeError(str(exc)) from exc


def parse_exported(
    records: Iterator[dict[str, Any]], codebook: Codebook, where: str
) -> Iterator[tuple[str, ParsedRecord | str]]:
    """Records a package's project exports, validated like a file's lines."""
    for rec in records:
        place = f"{where}: report {rec['report']['id']}"
        try:
            yield place, parse_data(rec, codebook)
        except ValueError as exc:
            yield place, str(exc)


# ---------------------------------------------------------------- merging


def merge_records(
    engine: Engine,
    source: MergeFile,
    codebook_id: int,
    *,
    prefer: Mapping[str, str] | None = None,
    trusted: bool = True,
    on_report: Callable[[int, list[Outcome]], None] | None = None,
) -> MergeSummary:
    """Merge every record of ``source``; ``prefer`` maps a report id (or ``"*"`` for every
    report) to ``package`` or ``project``, the version a conflict takes. ``on_report`` hears the
    stored report id and its outcomes after each report's transaction committed."""
    prefer = dict(prefer or {})
    summary = MergeSummary(run=source.run)
    label = str(source.path)
    for place, parsed in source.records:
        if isinstance(parsed, str):
            summary.outcomes.append(Outcome(place, "", "failed", parsed))
            continue
        rid = str(parsed.report["id"])
        choice = prefer.get(rid, prefer.get("*"))
        try:
            with write_transaction(engine) as conn:
                merger = _ReportMerge(conn, parsed, codebook_id, source, choice, trusted, label)
                outcomes = merger.run()
        except (ValueError, DBAPIError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            summary.outcomes.append(Outcome(rid, "", "failed", f"{reason}; nothing of this report "
                                            "was merged"))
            continue
        summary.outcomes.extend(outcomes)
        summary.reports_added += merger.report_added
        summary.decisions_added += merger.decisions_added
        if on_report is not None:
            on_report(merger.report_id, outcomes)
    return summary


def merge_file(
    engine: Engine, location: str, codebook: Codebook, codebook_id: int, path: Path,
    prefer: Mapping[str, str] | None, *, trusted: bool,
) -> tuple[MergeSummary, set[int]]:
    """Merge the package or .jsonl file ``path`` into the project at ``location``: the summary
    and the ids of the reports it touched (``Project.merge`` tells the open windows)."""
    from annotator.core.db import database_url
    from annotator.core.integrity import before_bulk_write
    from annotator.core.storage import storage_errors

    here = database_url(location)
    if here.startswith("sqlite:///") and path.exists() and (
            path.resolve() == Path(here[len("sqlite:///"):]).resolve()):
        raise MergeError(f"{path}: is the project itself")
    with storage_errors(location):
        before_bulk_write(engine, location)  # no new work into a damaged file
    source = read_merge_file(path, codebook)
    touched: set[int] = set()
    try:
        summary = merge_records(engine, source, codebook_id, prefer=prefer, trusted=trusted,
                                on_report=lambda rid, _outcomes: touched.add(rid))
    finally:
        source.close()
    return summary, touched


def _items(ann: Mapping[str, Any]) -> set[str]:
    """Each span and claim of a version as a comparable string."""
    out = {"s" + json.dumps(s, sort_keys=True, ensure_ascii=False) for s in ann.get("spans", [])}
    out |= {"c" + json.dumps(c, sort_keys=True, ensure_ascii=False) for c in ann.get("claims", [])}
    return out


def _count(ann: Mapping[str, Any]) -> tuple[int, int]:
    return len(ann.get("spans", [])), len(ann.get("claims", []))


class _ReportMerge:
    """One report of the file merged inside one transaction."""

    def __init__(self, conn: Connection, rec: ParsedRecord, codebook_id: int, source: MergeFile,
                 choice: str | None, trusted: bool, label: str) -> None:
        self.conn, self.rec, self.codebook_id = conn, rec, codebook_id
        self.source, self.choice, self.trusted, self.label = source, choice, trusted, label
        self.ext = str(rec.report["id"])
        self.report_added = 0
        self.decisions_added = 0
        self.report_id = 0
        self.offsets: OffsetMap | None = None
        self.text_sha = rec.sha256
        self.locked = False

    def run(self) -> list[Outcome]:
        self._locate()
        if not self.report_added:
            self.locked = bool(locked_reports(self.conn, [self.report_id]))
        outcomes = []
        for ann in self.rec.annotations:
            if self.source.coder is not None and name_key(ann["coder"]) != name_key(
                    self.source.coder):
                continue  # a package brings back its own coder's work only
            outcomes.append(self._annotation(ann))
        if self.rec.decisions:
            self.decisions_added += store_decisions(
                self.conn, self.report_id, self.rec.decisions, self.trusted)
        return outcomes

    def _locate(self) -> None:
        r = report_t
        row = self.conn.execute(select(r.c.id).where(r.c.sha256 == self.rec.sha256)).first()
        if row is not None:
            self.report_id = int(row[0])
            return
        row = self.conn.execute(
            select(r.c.id, r.c.text, r.c.sha256).where(r.c.external_id == self.ext)).first()
        if row is None:
            self.report_id = insert_report(self.conn, self.rec)
            self.report_added = 1
            return
        # the project holds a corrected text of this report: offsets follow the diff
        self.report_id = int(row[0])
        self.offsets = OffsetMap(str(self.rec.report["text"]), str(row[1]))
        self.text_sha = str(row[2])

    # ------------------------------------------------------------ one coder

    def _annotation(self, ann: dict[str, Any]) -> Outcome:
        name = ann["coder"]
        coder_id = coder_id_for(self.conn, name, ann.get("role"), {}, self.trusted)
        original = ann
        flagged: dict[str, Any] | None = None
        if self.offsets is not None:
            ann, flagged = self._follow_text(ann)
        current = self._current(coder_id)
        out = Outcome(self.ext, name, "added")
        if self.locked and name_key(name) != GOLD_CODER:
            return self._held(out, coder_id, original, ann, current, flagged)
        has_current = bool(current.get("spans") or current.get("claims"))
        if not has_current or canonical(current) == canonical(ann):
            if has_current or not (ann.get("spans") or ann.get("claims") or flagged):
                out.action = "unchanged"
                flagged = None  # flagged when this version was first merged
            self._take(out, coder_id, original, ann, None, flagged)
            return out
        verdict = self._verdict(coder_id, original, ann, current)
        if verdict == "conflict":
            if self.choice not in PREFER:
                out.action = "conflict"
                out.detail = (f"{name} changed this report in the project and in the file since "
                              f"the package was made; choose with --prefer {self.ext}=package "
                              f"or --prefer {self.ext}=project")
                return out
            out.action = "resolved"
            out.detail = f"--prefer {self.choice}"
            verdict = "take" if self.choice == "package" else "keep"
        if verdict == "keep":
            if out.action == "resolved":
                # the file's version was not taken: it stays in the history, whole
                out.history.append(self._history(name, "not_taken", original, self.rec.sha256,
                                                 f"the project's version was preferred to the "
                                                 f"one in {self.label}"))
            else:
                out.action = "kept"
                out.detail = "the project's version is newer or holds all of the file's"
            return out
        if out.action != "resolved":
            out.action = "replaced"
        self._take(out, coder_id, original, ann, current, flagged)
        return out

    def _take(self, out: Outcome, coder_id: int, original: dict[str, Any], ann: dict[str, Any],
              current: dict[str, Any] | None, flagged: dict[str, Any] | None) -> None:
        """Store the file's version ``ann``; the project's ``current`` goes into the history."""
        replaced = flagged_id = None
        status_before = self.conn.execute(select(assignment_t.c.status).where(
            assignment_t.c.report_id == self.report_id,
            assignment_t.c.coder_id == coder_id)).scalar()
        if out.action != "unchanged":
            if current is not None:
                replaced = self._history(out.coder, "replaced", current, self.text_sha,
                                         f"replaced by the version in {self.label}")
                out.history.append(replaced)
                self._delete(coder_id)
            insert_annotation(self.conn, self.report_id, coder_id, ann, self.codebook_id)
            out.spans, out.claims = _count(ann)
        if flagged:
            flagged_id = self._history(
                out.coder, "flagged", flagged, self.rec.sha256,
                f"the report's text was corrected; the text these {len(flagged['spans'])} "
                "span(s) cover changed, so they could not follow it")
            out.history.append(flagged_id)
            out.flagged = len(flagged["spans"])
            out.flagged_texts = [str(s.get("text", "")) for s in flagged["spans"]]
        merge_status(self.conn, self.report_id, coder_id, ann.get("status", "todo"))
        if out.action != "unchanged":
            record_merged(self.conn, self.source.run, self.report_id, self.ext, out.coder,
                          coder_id, fingerprint(ann), replaced,
                          None if status_before is None else str(status_before), self.label,
                          flagged_id, self.source.package_id)
        if self.source.package_id:
            self.conn.execute(merge_log_t.insert().values(
                package_id=self.source.package_id, report_id=self.report_id, coder=out.coder,
                file_fingerprint=fingerprint(original), stored_fingerprint=fingerprint(ann),
                source=self.label, merged_at=utcnow()))

    def _held(self, out: Outcome, coder_id: int, original: dict[str, Any], ann: dict[str, Any],
              current: dict[str, Any], flagged: dict[str, Any] | None) -> Outcome:
        """A coder's work on a locked report: unchanged when it is the project's version (at
        the same or an earlier status), otherwise not applied and kept in the history."""
        status = ann.get("status", "todo")
        stored = self.conn.execute(select(assignment_t.c.status).where(
            assignment_t.c.report_id == self.report_id,
            assignment_t.c.coder_id == coder_id)).scalar()
        later = later_status(None if stored is None else str(stored), status) != stored
        if canonical(current) == canonical(ann) and not flagged and not later:
            out.action = "unchanged"
            return out
        out.action = "locked"
        out.detail = (f"the report is locked (its gold version is done): the file's version was "
                      f"not applied; the project's is kept as it is (to take the file's: "
                      f"annotator assign --unlock {self.ext}, then merge again)")
        h = history_t
        content: dict[str, Any] = {k: original[k] for k in ("status", "spans", "claims")
                                   if k in original}
        for hid, kept in self.conn.execute(select(h.c.id, h.c.content).where(
                h.c.report_id == self.report_id, h.c.kind == "locked",
                h.c.coder == out.coder)):
            if canonical(dict(kept or {})) == canonical(content) and (
                    (kept or {}).get("status") == content.get("status")):
                out.history.append(int(hid))  # held back by an earlier merge already
                return out
        out.history.append(self._history(out.coder, "locked", original, self.rec.sha256,
                                         f"not applied: the report was locked when "
                                         f"{self.label} was merged"))
        return out

    def _verdict(self, coder_id: int, original: dict[str, Any], ann: dict[str, Any],
                 current: dict[str, Any]) -> str:
        """take (the file's version), keep (the project's) or conflict."""
        base = self.source.baseline.get(self.ext)
        if base is not None:
            file_seen, project_seen = {base}, {base}
            log = merge_log_t
            for coder, file_fp, stored_fp in self.conn.execute(
                    select(log.c.coder, log.c.file_fingerprint, log.c.stored_fingerprint).where(
                        log.c.package_id == self.source.package_id,
                        log.c.report_id == self.report_id)):
                if name_key(str(coder)) == name_key(original["coder"]):
                    file_seen.add(str(file_fp))
                    project_seen.add(str(stored_fp))
            if fingerprint(original) in file_seen:
                return "keep"  # the file has nothing new since the package or its last merge
            if fingerprint(current) in project_seen:
                return "take"  # the project has nothing new: a resubmission
            return "conflict"
        mine, theirs = _items(ann), _items(current)
        if mine <= theirs:
            return "keep"
        if theirs <= mine:
            return "take"
        return "conflict"

    def _current(self, coder_id: int) -> dict[str, Any]:
        block = next(annotation_blocks(self.conn, [self.report_id], [coder_id]), None)
        if block is None or not block[1]:
            return {"spans": [], "claims": []}
        cur = block[1][0]
        cur.pop("role", None)
        return cur

    def _delete(self, coder_id: int) -> None:
        s, c, f = span_t, claim_t, slot_fill_t
        claim_ids = select(c.c.id).where(c.c.report_id == self.report_id, c.c.coder_id == coder_id)
        self.conn.execute(delete(f).where(f.c.claim_id.in_(claim_ids)))
        self.conn.execute(delete(c).where(c.c.report_id == self.report_id,
                                          c.c.coder_id == coder_id))
        self.conn.execute(delete(s).where(s.c.report_id == self.report_id,
                                          s.c.coder_id == coder_id))

    def _history(self, coder: str, kind: str, ann: Mapping[str, Any], text_sha: str,
                 reason: str) -> int:
        content = {k: ann[k] for k in ("status", "spans", "claims") if k in ann}
        row = self.conn.execute(history_t.insert().returning(history_t.c.id).values(
            report_id=self.report_id, report_external_id=self.ext, coder=coder, kind=kind,
            reason=reason, content=content, text_sha256=text_sha, source=self.label,
            created_at=utcnow())).first()
        assert row is not None
        return int(row[0])

    def _follow_text(self, ann: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The coder's work moved onto the project's corrected text, and what could not follow:
        the spans whose text changed (left out) and the claims that referred to them (they stay,
        without those references)."""
        assert self.offsets is not None
        moved: list[dict[str, Any]] = []
        lost: list[dict[str, Any]] = []
        for s in ann.get("spans", []):
            where = self.offsets.span(s["start"], s["end"])
            if where is None:
                lost.append(s)
            else:
                moved.append({**s, "start": where[0], "end": where[1]})
        if not lost:
            return {**ann, "spans": moved}, None
        gone = {s["id"] for s in lost}
        claims, touched = [], []
        for c in ann.get("claims", []):
            slots = {}
            for slot, value in (c.get("slots") or {}).items():
                if value == NOT_REPORTED:
                    slots[slot] = value
                    continue
                kept = [sid for sid in value if sid not in gone]
                if kept:
                    slots[slot] = kept
            if slots != (c.get("slots") or {}):
                touched.append(c)
            claims.append({**c, "slots": slots})
        return {**ann, "spans": moved, "claims": claims}, {"spans": lost, "claims": touched}


def history(engine: Engine, report: str | None = None, coder: str | None = None
            ) -> list[dict[str, Any]]:
    """The rows of ``annotation_history`` (oldest first), of one report id and/or one coder:
    the coders' versions (not the merges' own notes, merge_undo.BOOKKEEPING)."""
    from annotator.core.merge_undo import BOOKKEEPING

    h = history_t
    q = select(h).where(h.c.kind.not_in(BOOKKEEPING)).order_by(h.c.id)
    if report is not None:
        q = q.where(h.c.report_external_id == report)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    if coder is not None:
        rows = [r for r in rows if name_key(str(r["coder"])) == name_key(coder)]
    return rows
