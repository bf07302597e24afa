"""Creating and opening project files, as the New/Open/Recent dialogs and the CLI need it.

The rules live here (which codebook, refusing an existing file for "new", refusing an empty or
foreign file for "open"); the dialogs only gather the choices.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.core.codebook import Codebook, load_codebook, load_default_codebook
from annotator.core.project import Project, ProjectError

__all__ = [
    "CODEBOOK_CHOICES",
    "PROJECT_SUFFIX",
    "choose_codebook",
    "create_project",
    "existing_recent",
    "missing_project",
    "open_project",
]

#: the codebook a new project starts with: the shipped default, a codebook file, or one made
#: from brat's annotation.conf
CODEBOOK_CHOICES = ("default", "file", "brat")
PROJECT_SUFFIX = ".db"


def choose_codebook(choice: str, path: str | os.PathLike[str] | None = None) -> Codebook:
    """The codebook for a new project; CodebookError/ProjectError naming the file and why."""
    if choice == "default":
        return load_default_codebook()
    if choice not in CODEBOOK_CHOICES:
        raise ProjectError(f"unknown codebook choice {choice!r} (one of {', '.join(CODEBOOK_CHOICES)})")
    if not path:
        raise ProjectError("choose a codebook file" if choice == "file" else "choose brat's annotation.conf")
    p = Path(path)
    if choice == "file":
        return load_codebook(p)
    from annotator.core.codebook import parse_codebook
    from annotator.core.io.brat_conf import ConfError, codebook_from_brat_conf

    try:
        return parse_codebook(codebook_from_brat_conf(p), str(p))
    except ConfError as exc:
        raise ProjectError(str(exc)) from exc
    except OSError as exc:
        raise ProjectError(f"{p}: cannot read ({exc.strerror})") from exc


def create_project(path: str | os.PathLike[str], codebook: Codebook, *, with_example: bool = False) -> Project:
    """A new project file at ``path`` (``.db`` added when it has no suffix). Refuses a file that
    exists: a new project never takes over an old one (open it instead)."""
    p = Path(path).expanduser()
    if not p.suffix:
        p = p.with_suffix(PROJECT_SUFFIX)
    if p.exists():
        raise ProjectError(f"{p}: already exists; open it with File → Open project, or choose another name")
    if not p.parent.is_dir():
        raise ProjectError(f"{p}: the folder {p.parent} does not exist")
    if not os.access(p.parent, os.W_OK):
        raise ProjectError(f"{p}: the folder {p.parent} is not writable")
    return Project.open(p, codebook=codebook, with_example=with_example)


def open_project(location: str | os.PathLike[str]) -> Project:
    """Open an existing project (a file path or a database URL); never creates one."""
    s = os.fspath(location)
    if "://" not in s:
        p = Path(s).expanduser()
        if not p.is_file():
            raise ProjectError(f"{p}: no such project file")
        if p.stat().st_size == 0:
            raise ProjectError(f"{p}: the file is empty, not a project")
        with open(p, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise ProjectError(f"{p}: not an Annotator project (not a SQLite database)")
        try:
            con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
            try:
                has_meta = con.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
            finally:
                con.close()
        except sqlite3.Error as exc:
            raise ProjectError(f"{p}: not a usable project database ({exc})") from exc
        if not has_meta:
            raise ProjectError(f"{p}: not an Annotator project (a SQLite file without its tables)")
        s = str(p.resolve())
    return Project.open(s, create=False)


def existing_recent(locations: list[str]) -> list[str]:
    """The recent projects that still exist (URLs are kept: they cannot be checked offline)."""
    return [loc for loc in locations if "://" in loc or Path(loc).is_file()]


def missing_project(db: str | os.PathLike[str] | None, *, default_may_be_made: bool = False) -> str | None:
    """Why the project ``db`` names (``--db``, else $ANNOTATOR_DB, else the default project)
    cannot be opened without making a new one, or None when it is there (a server database is
    taken as there: connecting says otherwise).

    Only ``annotator init``, the window's New project and, on the window's first start, the
    default project (with the bundled example: ``default_may_be_made``) make projects; every
    other command and the window's start on a named project refuse with this message, so a
    mistyped path never leaves an empty project and new folders behind."""
    from annotator.core.db import database_url
    from annotator.core.project import resolve_db

    named = bool(db) or bool(os.environ.get("ANNOTATOR_DB"))
    url = database_url(resolve_db(db))
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url[len("sqlite:///"):])
    if path.is_file():
        return None
    if path.is_dir():
        return (f"{path}: a folder, not a project file (name the project's .db file; "
                f"`annotator --db {path / 'project.db'} init` starts one there)")
    if not named:
        if default_may_be_made:
            return None
        return (f"{path}: there is no project yet (`annotator init` starts one; `annotator` "
                "alone opens the window on the bundled example)")
    if not path.parent.is_dir():
        return (f"{path}: no such project, and the folder {path.parent} does not exist "
                f"(a typo? `annotator --db {path} init` starts a project there)")
    return f"{path}: no such project (a typo? `annotator --db {path} init` starts one there)"
