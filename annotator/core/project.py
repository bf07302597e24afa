"""The facade the window and the command line both use: open a project, run commands, undo, read."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import Engine, select

from annotator.core import queries
from annotator.core.codebook import Codebook, load_default_codebook, parse_codebook
from annotator.core.commands import Batch, Changes, Command, CommandError, Context
from annotator.core.db import database_url, default_database_path, get_meta, open_engine, set_meta
from annotator.core.io.importer import FileResult, ImportSummary, import_paths
from annotator.core.io.interchange import export_jsonl
from annotator.core.models import ROLES, codebook_t, coder_t, inserted_id, utcnow
from annotator.core.resources import resources_dir

if TYPE_CHECKING:  # read lazily: the alignment code is not needed to code a report
    from annotator.core.agreement.data import Dataset
    from annotator.core.normalize import ActorEntry
    from annotator.core.review import ReviewItem

__all__ = ["CommandError", "Project", "ProjectError", "resolve_db"]

Listener = Callable[[Changes], None]


class ProjectError(Exception):
    """A project-level failure the user can act on (wrong codebook, unknown coder, ...)."""


def resolve_db(db: str | os.PathLike[str] | None) -> str:
    """--db, else $ANNOTATOR_DB, else the default project in the user data directory."""
    if db:
        return os.fspath(db)
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return env
    return str(default_database_path())


class Project:
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

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        codebook: Codebook | None = None,
        with_example: bool | None = None,
    ) -> Project:
        """Open or create a project. A new project gets ``codebook`` (default: conflict-events).

        ``with_example`` (default: only for the default project in the user data directory)
        imports the bundled example report and its two coders into a new project.
        """
        location = resolve_db(db)
        url = database_url(location)
        is_new = url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).exists()
        engine = open_engine(location, create=create)
        with engine.begin() as conn:
            ref = get_meta(conn, "codebook_id")
            if ref is None:
                cb = codebook or load_default_codebook()
                cb_id = _store_codebook(conn, cb)
                set_meta(conn, "codebook_id", str(cb_id))
                is_new = True
            else:
                content = conn.execute(
                    select(codebook_t.c.content).where(codebook_t.c.id == int(ref))
                ).scalar_one()
                cb = parse_codebook(json.loads(content), source=f"{location} (stored codebook)")
                cb_id = int(ref)
                if codebook is not None and codebook.ref != cb.ref:
                    raise ProjectError(
                        f"{location}: the project already uses codebook {cb.ref}; "
                        f"it cannot be started again with {codebook.ref}"
                    )
        project = cls(engine, cb, cb_id, location)
        if with_example is None:
            with_example = db is None and not os.environ.get("ANNOTATOR_DB")
        if is_new and with_example:
            project.import_paths([resources_dir() / "example" / "example.jsonl"])
        return project

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
        field) are stored one by one but undone as one step."""
        with self._engine.begin() as conn:
            changes = cmd.do(conn, self.context)
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
        self._notify(changes, origin)
        return changes

    def undo(self, origin: str = "") -> Changes | None:
        if not self._undo:
            return None
        cmd = self._undo[-1]
        self._coalesce_key = self._coalesced = None
        with self._engine.begin() as conn:
            changes = cmd.undo(conn, self.context)
        self._redo.append(self._undo.pop())
        changes.undone = True
        self._notify(changes, origin)
        return changes

    def redo(self, origin: str = "") -> Changes | None:
        if not self._redo:
            return None
        cmd = self._redo[-1]
        self._coalesce_key = self._coalesced = None
        with self._engine.begin() as conn:
            changes = cmd.do(conn, self.context)
        self._undo.append(self._redo.pop())
        self._notify(changes, origin)
        return changes

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    # ------------------------------------------------------------ coders

    def coder_id(self, name: str, *, create: bool = False, role: str = "coder") -> int:
        """The id of coder ``name``; with ``create`` a missing coder is added."""
        name = name.strip()
        if not name:
            raise ProjectError("a coder needs a name")
        with self._engine.begin() as conn:
            found = conn.execute(select(coder_t.c.id).where(coder_t.c.name == name)).first()
            if found is not None:
                return int(found[0])
            if not create:
                raise ProjectError(f"no coder named '{name}' in {self.location}")
            if role not in ROLES:
                raise ProjectError(f"role must be one of {', '.join(ROLES)}")
            new_id = inserted_id(conn.execute(coder_t.insert().values(name=name, role=role)))
        self._notify(Changes("Add coder", structure=True), "coders")
        return int(new_id)

    # ------------------------------------------------------------ bulk paths

    def import_paths(
        self, paths: Iterable[Path | str], on_file: Callable[[FileResult], None] | None = None
    ) -> ImportSummary:
        summary = import_paths(
            self._engine, [Path(p) for p in paths], self.codebook, self.codebook_id, on_file
        )
        if summary.added or summary.annotations:
            self._notify(Changes("Import", structure=True), "import")
        return summary

    def export_jsonl(
        self,
        out: TextIO,
        coders: Sequence[str] | None = None,
        report_ids: Sequence[int] | None = None,
    ) -> int:
        """Write the interchange format; ``coders`` names whose annotations to include (all)."""
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

    def coders(self) -> list[queries.CoderRow]:
        with self._engine.connect() as conn:
            return queries.coder_rows(conn)

    def report(self, report_id: int) -> queries.ReportDetail:
        with self._engine.connect() as conn:
            return queries.report_detail(conn, report_id)

    def spans(self, report_id: int, coder_id: int) -> list[queries.SpanRow]:
        with self._engine.connect() as conn:
            return queries.span_rows(conn, report_id, coder_id)

    def claims(self, report_id: int, coder_id: int) -> list[queries.ClaimRow]:
        with self._engine.connect() as conn:
            return queries.claim_rows(conn, report_id, coder_id)

    def status(self, report_id: int, coder_id: int) -> str:
        with self._engine.connect() as conn:
            return queries.status(conn, report_id, coder_id)

    # ------------------------------------------------------------ review and agreement reads

    def review_items(
        self, report_ids: Sequence[int] | None = None, coders: Sequence[str] | None = None
    ) -> dict[int, list[ReviewItem]]:
        """The aligned review items (``review.ReviewItem``) per report id, in text order."""
        from annotator.core import review

        with self._engine.connect() as conn:
            return review.review_items(conn, self.codebook, report_ids, coders)

    def agreement_data(
        self, coders: Sequence[str] | None = None, reports: Sequence[str] | None = None
    ) -> Dataset:
        """The ``agreement.Dataset`` of ``coders`` (default: all but gold) on ``reports``
        (external ids; default: all). ValueError names an unknown coder or report."""
        from annotator.core.agreement import load_dataset

        with self._engine.connect() as conn:
            return load_dataset(conn, self.codebook, coders, reports)

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

    def export_actors(self, path: str | os.PathLike[str]) -> int:
        """Write the actor list as CSV; returns how many actors."""
        from annotator.core.normalize import write_actors_csv

        entries = self.actors()
        write_actors_csv(Path(path), entries)
        return len(entries)


def _store_codebook(conn: Any, cb: Codebook) -> int:
    found = conn.execute(
        select(codebook_t.c.id).where(
            codebook_t.c.name == cb.id, codebook_t.c.version == cb.version
        )
    ).first()
    if found is not None:
        return int(found[0])
    result = conn.execute(
        codebook_t.insert().values(
            name=cb.id, version=cb.version, content=cb.to_json(), added_at=utcnow()
        )
    )
    return inserted_id(result)
