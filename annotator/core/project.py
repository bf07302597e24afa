"""The facade the window and the command line both use: open a project, run commands, undo, read."""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from annotator.core import change_log, queries
from annotator.core.change_log import OTHER_PROCESS
from annotator.core.codebook import Codebook
from annotator.core.commands import Batch, Changes, Command, CommandError, Context
from annotator.core.db import (
    database_url,
    get_meta,
    open_engine,
    write_transaction,
)
from annotator.core.db import default_database_path as default_database_path  # re-exported
from annotator.core.locks import check_locks
from annotator.core.project_changes import ChangeReads
from annotator.core.project_coders import CoderNames
from annotator.core.project_coding import CodingReads
from annotator.core.project_open import (
    ProjectError,
    project_codebook,
    remove_sqlite,
    resolve_db,
    stored_codebook,
)
from annotator.core.project_review import ReviewReads
from annotator.core.project_team import TeamReads
from annotator.core.resources import resources_dir
from annotator.core.storage import StorageError, classify, storage_errors

if TYPE_CHECKING:  # read lazily: the alignment code, the readers of every import format and
    # the exporters are not needed to code a report (nor loaded by the window's start)
    from annotator.core.assignments import Progress
    from annotator.core.io.importer import FileResult, ImportSummary
    from annotator.core.io.limits import Limits
    from annotator.core.normalize import ActorEntry

__all__ = ["OTHER_PROCESS", "CommandError", "Project", "ProjectError", "resolve_db"]

Listener = Callable[[Changes], None]

class Project(CodingReads, ChangeReads, CoderNames, TeamReads, ReviewReads):
    """One open project database with its active codebook and the session's undo history."""

    def __init__(self, engine: Engine, codebook: Codebook, codebook_id: int, location: str) -> None:
        self._engine = engine
        self.codebook = codebook
        self.codebook_id = codebook_id
        self.location = location
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self._listeners: list[Listener] = []
        self._coalesce_key: Hashable | None = None  # the key of the command on top of the undo stack
        self._coalesced: Command | None = None
        self.session = uuid.uuid4().hex  # stamped on every Changes this Project announces
        self._own_seq: int | None = None  # the change-log number of this session's last commit
        self._own_log: dict[int, tuple[bool, set[int]]] = {}  # seq -> what own commits named

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        codebook: Codebook | None = None,
        with_example: bool | None = None,
        starter_actors: bool = True,
        verify: bool = True,
        prune: bool = True,
    ) -> Project:
        """Open or create a project. A new project gets ``codebook`` (default: conflict-events).

        ``with_example`` (default: only for the default project in the user data directory)
        imports the bundled example report and its two coders into a new project.
        ``starter_actors`` fills a new project's actor list with the shipped starter list
        (``resources/actors-starter.csv``) when its codebook has an ``actor`` span type. ``verify``
        checks the text checksums of a sample of reports (integrity.quick_verify) and raises
        DamagedProject on a mismatch; ``prune`` drops old change-log entries (a write). The
        window opens with neither and runs both after its first paint (``verify_sample``,
        ``prune_change_log``). A project file this call created is removed again when setting
        it up fails, so that no half-made project is left behind.
        """
        location = resolve_db(db)
        url = database_url(location)
        is_new = url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).exists()
        created = is_new
        engine = open_engine(location, create=create)
        try:
            return cls._set_up(engine, location, db, is_new, codebook, with_example, verify,
                              starter_actors, prune)
        except BaseException:
            engine.dispose()
            if created:
                remove_sqlite(url)
            raise

    @classmethod
    def _set_up(
        cls,
        engine: Engine,
        location: str,
        db: str | os.PathLike[str] | None,
        is_new: bool,
        codebook: Codebook | None,
        with_example: bool | None,
        verify: bool,
        starter_actors: bool,
        prune: bool = True,
    ) -> Project:
        from annotator.core.integrity import quick_verify

        if verify and not is_new:
            quick_verify(engine, location)
        cb, cb_id, fresh = project_codebook(engine, location, codebook, starter_actors)
        is_new = is_new or fresh
        project = cls(engine, cb, cb_id, location)
        if prune:
            project.prune_change_log()
        if with_example is None:
            with_example = db is None and not os.environ.get("ANNOTATOR_DB")
        if is_new and with_example:
            project.import_paths([resources_dir() / "example" / "example.jsonl"])
        return project

    def verify_sample(self) -> None:
        """The checksums of a sample of reports (integrity.quick_verify): DamagedProject on a
        mismatch. Project.open runs it unless told not to."""
        from annotator.core.integrity import quick_verify

        quick_verify(self._engine, self.location)

    def close(self) -> None:
        self._engine.dispose()

    # ------------------------------------------------------------ commands

    @property
    def context(self) -> Context:
        return Context(self.codebook, self.codebook_id)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Hear every change (run, undo, redo, import). Returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _notify(self, changes: Changes, origin: str = "") -> None:
        changes.session = self.session
        changes.origin = origin
        for listener in list(self._listeners):
            listener(changes)

    def run(self, cmd: Command, origin: str = "", *, coalesce: Hashable | None = None) -> Changes:
        """Apply a command in one transaction (stored at once), push it on the undo stack.

        ``origin`` names the caller (a view) in the ``Changes`` the listeners hear. Commands
        run with the same ``coalesce`` key one after the other (the keystrokes typed in one
        field) are stored one by one but undone as one step.

        Raises CommandError (nothing changed) when the command is invalid or conflicts with a
        change made in another window or process.
        """
        changes = self._apply(cmd, cmd.do)
        top = self._undo[-1] if self._undo else None
        if coalesce is not None and top is not None and self._coalesce_key == coalesce:
            steps = top.commands if isinstance(top, Batch) and top is self._coalesced else [top]
            merged = Batch(top.label, [*steps, cmd])
            self._undo[-1] = merged
            self._coalesced = merged
        else:
            self._undo.append(cmd)
            self._coalesced = None
        self._coalesce_key = coalesce
        self._redo.clear()
        self._after(cmd)
        self._notify(changes, origin)
        return changes

    def _after(self, cmd: Command) -> None:
        # a codebook upgrade (or its undo) changes the active codebook: read it back
        if getattr(cmd, "changes_codebook", False):
            with self._engine.connect() as conn:
                ref = int(get_meta(conn, "codebook_id") or self.codebook_id)
                self.codebook = stored_codebook(conn, ref, self.location)
            self.codebook_id = ref

    def undo(self, origin: str = "") -> Changes | None:
        """Undo this session's last command; refused (CommandError, it stays on the stack)
        when another window or process changed what it changed since."""
        if not self._undo:
            return None
        cmd = self._undo[-1]
        self._coalesce_key = self._coalesced = None
        changes = self._apply(cmd, cmd.undo)
        self._redo.append(self._undo.pop())
        changes.undone = True
        self._after(cmd)
        self._notify(changes, origin)
        return changes

    def redo(self, origin: str = "") -> Changes | None:
        if not self._redo:
            return None
        cmd = self._redo[-1]
        self._coalesce_key = self._coalesced = None
        changes = self._apply(cmd, cmd.do)
        self._undo.append(self._redo.pop())
        self._after(cmd)
        self._notify(changes, origin)
        return changes

    def _apply(self, cmd: Command, step: Callable[[Any, Context], Changes]) -> Changes:
        # a failed step leaves the command as it was (a batch may have half-updated itself)
        try:
            saved: dict[str, Any] | None = copy.deepcopy(cmd.__dict__)
        except Exception:  # noqa: BLE001 (a command holding something uncopyable)
            saved = None
        try:
            with write_transaction(self._engine) as conn:
                changes = step(conn, self.context)
                check_locks(conn, cmd, changes)  # coders' edits of a gold-done report: refused
                seq = change_log.log_changes(conn, changes, self.session)
            self._committed(seq, changes)
        except (CommandError, DBAPIError) as exc:
            if saved is not None:
                cmd.__dict__.clear()
                cmd.__dict__.update(saved)
            if isinstance(exc, CommandError):
                raise
            reason = " ".join(str(exc.orig or exc).split())[:200]
            kind = classify(exc)
            if kind is None and not isinstance(exc, (IntegrityError, OperationalError)):
                raise  # a fault of the program, not of the storage: never dressed up
            if kind is not None and not isinstance(exc, IntegrityError):
                # locked past the busy timeout, read-only, disk full: a StorageError the
                # window shows as such (nothing was changed; the action can be tried again)
                raise StorageError(kind, self.location, reason) from exc
            if isinstance(exc, IntegrityError):
                raise CommandError(
                    f"{cmd.label}: refused, it conflicts with a change made in another window "
                    f"or process ({reason}); nothing was changed"
                ) from exc
            raise CommandError(
                f"{cmd.label}: the project database is busy or unreachable ({reason}); "
                "nothing was changed, try again"
            ) from exc
        return changes

    # ------------------------------------------------------------ other processes' changes

    def _log_changes(self, conn: Any, changes: Changes) -> None:
        """Log ``changes`` in the transaction ``conn`` (the caller commits it)."""
        change_log.log_changes(conn, changes, self.session)
        self._own_seq = None  # committed later, if at all: changes_since reads the log

    def _committed(self, seq: int | None, changes: Changes) -> None:
        """This session's commit numbered ``seq`` is stored: remember what it named (the last
        256), so a read ahead checked against the log needs no read of this session's own."""
        if seq is not None:
            self._own_seq = seq
            self._own_log[seq] = (changes.structure, changes.touched_reports())
            if len(self._own_log) > 256:
                del self._own_log[next(iter(self._own_log))]

    def _record(self, changes: Changes, origin: str) -> None:
        """Log changes made outside a command (imports, new coders) and tell the listeners."""
        with write_transaction(self._engine) as conn:
            seq = change_log.log_changes(conn, changes, self.session)
        self._committed(seq, changes)
        self._notify(changes, origin)

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    # ------------------------------------------------------------ coders

    def check(self, progress: Callable[[str], None] | None = None) -> list[Any]:
        """Every integrity problem of the project (integrity.full_check): structure, every
        report's checksum, every span against its text. Reads the whole database once."""
        from annotator.core.integrity import full_check

        return full_check(self._engine, progress)

    # ------------------------------------------------------------ bulk paths

    def import_paths(
        self,
        paths: Iterable[Path | str],
        on_file: Callable[[FileResult], None] | None = None,
        mapping: Mapping[str, str] | None = None,
        coded_as: str | None = None,
        identity: str | None = None,
        limits: Limits | None = None,
    ) -> ImportSummary:
        """``mapping``: which column holds each report field in tables (see io/tables.py);
        ``coded_as``: an ACLED/UCDP/GTD table's coded fields become this coder's annotations.
        ``identity`` is who runs the import: a coder's import creates no reviewer (roles a file
        declares are ignored, gold annotations refused); None (the project lead, e.g. the
        command line without --as) or a reviewer may."""
        from annotator.core.integrity import before_bulk_write
        from annotator.core.io.importer import import_paths

        with storage_errors(self.location):
            before_bulk_write(self._engine, self.location)  # no new work into a damaged file
        summary = import_paths(
            self._engine, [Path(p) for p in paths], self.codebook, self.codebook_id, on_file,
            {"mapping": mapping, "coded_as": coded_as}, trusted=self.may_set_roles(identity),
            limits=limits, location=self.location,
        )
        if summary.added or summary.annotations:
            self._record(Changes("Import", structure=True), "import")
        return summary

    def merge(
        self,
        path: str | os.PathLike[str],
        prefer: Mapping[str, str] | None = None,
        identity: str | None = None,
    ) -> Any:
        """Merge a coder's package (or an interchange .jsonl file) per report (core/merge.py):
        new work added, a resubmission replacing the coder's earlier version (kept in the
        history), conflicts listed until ``prefer`` (report id or "*" -> package | project)
        names the version to take. Returns a ``merge.MergeSummary``; raises ``MergeError`` or
        ``PackageError`` when the file cannot be read at all."""
        from annotator.core.merge import merge_file

        summary, touched = merge_file(self._engine, self.location, self.codebook,
                                      self.codebook_id, Path(path), prefer,
                                      trusted=self.may_set_roles(identity))
        if touched or summary.reports_added or summary.decisions_added:
            self._record(Changes("Merge", reports=touched, structure=bool(summary.reports_added)),
                         "merge")
        return summary

    def export_jsonl(
        self,
        out: TextIO,
        coders: Sequence[str] | None = None,
        report_ids: Sequence[int] | None = None,
    ) -> int:
        """Write the interchange format; ``coders`` names whose annotations to include (all)."""
        from annotator.core.io.interchange import export_jsonl

        coder_ids = None if coders is None else [self.coder_id(c) for c in coders]
        return export_jsonl(
            self._engine,
            out,
            coder_ids=coder_ids,
            codebook_ref=self.codebook.ref,
            report_ids=report_ids,
        )

    def iter_export(
        self, coders: Sequence[str] | None = None, report_ids: Sequence[int] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Interchange records one report at a time (for the other export formats)."""
        from annotator.core.io.interchange import iter_export

        coder_ids = None if coders is None else [self.coder_id(c) for c in coders]
        return iter_export(
            self._engine, coder_ids=coder_ids, codebook_ref=self.codebook.ref, report_ids=report_ids
        )

    # ------------------------------------------------------------ reads (see queries.py)

    def reports(self, **kw: Any) -> list[queries.ReportRow]:
        with self._engine.connect() as conn:
            return queries.report_rows(conn, **kw)

    def report_count(self) -> int:
        """How many reports the project holds (one COUNT, not a read of every report)."""
        with self._engine.connect() as conn:
            return queries.report_count(conn)

    def coder(self, coder_id: int, counts: bool = True) -> queries.CoderRow | None:
        """One coder (name, role, their counts unless not ``counts``: then ``counts`` is
        empty), without counting everyone's assignments."""
        with self._engine.connect() as conn:
            return queries.coder_row(conn, coder_id, counts)

    def status_counts(self, coder_id: int) -> dict[str, int]:
        """``coder_id``'s reports per status (not every coder's, as :meth:`coders` counts)."""
        with self._engine.connect() as conn:
            return queries.status_counts(conn, coder_id)

    def progress(self) -> Progress:
        """Per coder the assignments to do, in progress and done (per day), and the double-coded
        reports every assigned coder finished (see assignments.progress)."""
        from annotator.core.assignments import progress

        with self._engine.connect() as conn:
            return progress(conn)

    def coders(self, counts: bool = False) -> list[queries.CoderRow]:
        """Every coder by name; with ``counts`` each one's reports per status (a count over all
        assignments: seconds at 150,000 of them, so only the listing that prints it asks)."""
        with self._engine.connect() as conn:
            return queries.coder_rows(conn, counts)

    # ------------------------------------------------------------ suggestions (see assist.py)

    def suggestions(self, report_id: int, coder_id: int) -> list[Any]:
        """Suggested spans for a coder on a report (never duplicating theirs or rejected ones)."""
        from annotator.core import assist

        types = [t.id for t in self.codebook.span_types]
        with self._engine.connect() as conn:
            return assist.report_suggestions(conn, report_id, coder_id, types)

    def prefill(self, report_id: int, type_id: str, start: int, end: int) -> list[dict[str, Any]]:
        """Suggested attribute values for a span just tagged, best first; only attributes the
        codebook declares for the type, and only valid values."""
        from annotator.core import assist

        st = self.codebook.span_type(type_id)
        if st is None:
            return []
        with self._engine.connect() as conn:
            raw = assist.span_prefill(conn, report_id, type_id, start, end)
        out = []
        for attrs in raw:
            kept = {k: v for k, v in attrs.items() if st.attribute(k) is not None and v is not None}
            if kept and not self.codebook.check_span(type_id, kept) and kept not in out:
                out.append(kept)
        return out

    def actor_names(self) -> list[str]:
        return [e.canonical for e in self.actors()]

    def actors(self) -> list[ActorEntry]:
        """The project's actor list."""
        from annotator.core import assist

        with self._engine.connect() as conn:
            return list(assist.actor_list(conn).entries)

    def import_actors(self, path: str | os.PathLike[str], origin: str = "import") -> tuple[int, int]:
        """Add or update actors from a CSV file as one undoable command; returns (added,
        updated). ``ActorCsvError`` names the file, line and reason; nothing is stored then."""
        from annotator.core.commands import ImportActors
        from annotator.core.normalize import read_actors_csv

        cmd = ImportActors(read_actors_csv(Path(path)), Path(path).name)
        self.run(cmd, origin)
        return cmd.added, cmd.updated

    def place_names(self) -> list[str]:
        from annotator.core import assist

        with self._engine.connect() as conn:
            return assist.place_names(conn)

    def settings(self) -> Any:
        """The project's normalization settings (annotator.core.assist.Settings)."""
        from annotator.core import assist

        with self._engine.connect() as conn:
            return assist.load_settings(conn)

    # ------------------------------------------------------------ codebook evolution

    def plan_upgrade(self, new: Codebook, mapping: Any = None) -> Any:
        """What moving to codebook ``new`` would change (codebook_upgrade.UpgradePlan); nothing
        is written. Run ``UpgradeCodebook(plan)`` to apply it."""
        from annotator.core import codebook_upgrade

        with self._engine.connect() as conn:
            return codebook_upgrade.plan_upgrade(conn, self.codebook, new, mapping)

    def codebook_marks(self) -> list[Any]:
        """The items codebook upgrades kept but could not carry over whole."""
        from annotator.core import codebook_upgrade

        with self._engine.connect() as conn:
            return codebook_upgrade.list_marks(conn)

    def version_mix(self) -> Any:
        """Items made under codebook versions the current one cannot compare with."""
        from annotator.core import codebook_upgrade

        with self._engine.connect() as conn:
            return codebook_upgrade.version_mix(conn, self.codebook, self.codebook_id)

    def export_actors(self, path: str | os.PathLike[str]) -> int:
        """Write the actor list as CSV; returns how many actors."""
        from annotator.core.normalize import write_actors_csv

        entries = self.actors()
        write_actors_csv(Path(path), entries)
        return len(entries)

