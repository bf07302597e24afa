"""The command line: ``annotator`` opens the window; subcommands work without a display.

Exit status 0 only when everything asked for succeeded; every failure names the file and reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.core import roles
from annotator.core.codebook import CodebookError, load_codebook
from annotator.core.commands import AcceptUnanimous, CommandError
from annotator.core.db import DatabaseOpenError
from annotator.core.io import registry
from annotator.core.io.atomic import atomic_text_file
from annotator.core.io.importer import FileResult
from annotator.core.project import Project, ProjectError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="annotator",
        description="Hand-code the claims in conflict and terrorism reports. "
        "Without a subcommand, opens the window.",
    )
    p.add_argument("--version", action="version", version=f"annotator {__version__}")
    p.add_argument("--install-desktop", action="store_true",
                   help="add Annotator to your application menu (a .desktop entry and the icon)")
    p.add_argument(
        "--db",
        metavar="PATH|URL",
        help="project database: a file path or a SQLAlchemy URL "
        "(default: $ANNOTATOR_DB, else a project in the user data directory)",
    )
    p.add_argument(
        "--as",
        dest="identity",
        metavar="NAME",
        help="act as this coder: a coder (role coder) sees and exports only their own work and "
        "cannot compare or adjudicate; reviewers can",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    _coding_commands(sub)
    _listing_commands(sub)
    _review_commands(sub)
    return p


def _coding_commands(sub: Any) -> None:
    """gui, init, import, export, formats."""
    g = sub.add_parser("gui", help="open the window (the default)")
    g.add_argument("--coder", help="code as this coder (default: ask, then remember)")

    i = sub.add_parser("init", help="create a project, optionally with another codebook")
    i.add_argument(
        "--codebook", type=Path, metavar="FILE", help="codebook JSON (default: conflict-events)"
    )
    i.add_argument("--example", action="store_true", help="also import the bundled example report")
    i.add_argument("--no-starter-actors", action="store_true",
                   help="start with an empty actor list instead of the shipped starter list")
    i.add_argument("--codebook-from-brat", type=Path, metavar="CONF",
                   help="make the codebook from brat's annotation.conf")
    i.add_argument("--codebook-from-wikievents", type=Path, nargs="+", metavar="JSONL",
                   help="make the codebook from the entity and event types of WikiEvents files")

    im = sub.add_parser(
        "import", help="import reports: files and folders in any format that `formats` lists"
    )
    im.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    im.add_argument("--map", metavar="FIELD=COLUMN,...",
                    help="tables: which column holds each report field (id, title, text, "
                    "published, url, source, language), e.g. text=notes,id=event_id_cnty; "
                    "ACLED, UCDP GED and GTD files are recognized without it")
    im.add_argument("--coded-as", metavar="CODER",
                    help="ACLED, UCDP GED, GTD tables: the coded fields found in the text (actors, "
                    "place) become this coder's spans and attack claim")
    from annotator.core.io.limits import DEFAULT as _LIMITS

    lim = im.add_argument_group(
        "limits", "a file over a limit is refused with a message (the defaults in brackets)")
    lim.add_argument("--max-file-mb", type=int, metavar="MB",
                     help=f"size of one file [{_LIMITS.file_bytes // 2**20}]")
    lim.add_argument("--max-report-chars", type=int, metavar="N",
                     help=f"characters of one report's text [{_LIMITS.report_chars:,}]")
    lim.add_argument("--max-pages", type=int, metavar="N",
                     help=f"pages of one PDF [{_LIMITS.pages:,}]")
    lim.add_argument("--max-rows", type=int, metavar="N",
                     help=f"rows of one table [{_LIMITS.rows:,}]")
    lim.add_argument("--max-cell-chars", type=int, metavar="N",
                     help=f"characters of one table cell [{_LIMITS.cell_chars:,}]")
    lim.add_argument("--max-unzipped-mb", type=int, metavar="MB",
                     help=f"uncompressed contents of a .docx/.xlsx [{_LIMITS.unzipped_bytes // 2**20}]")
    lim.add_argument("--max-ratio", type=int, metavar="N",
                     help=f"expansion ratio of a .docx/.xlsx [{_LIMITS.ratio}]")

    ck = sub.add_parser("check", help="check the whole project file: structure, every report's "
                        "checksum, every span against its text")
    ck.set_defaults(check=True)

    ex = sub.add_parser("export", help="export the coded dataset")
    ex.add_argument("--format", choices=[f.name for f in registry.exporters()],
                    default=registry.exporters()[0].name,
                    help="; ".join(f"{f.name}: {f.help or f.label}" for f in registry.exporters()))
    options = {o.name: o for f in registry.exporters() for o in f.options}
    for option in options.values():
        users = ", ".join(f.name for f in registry.exporters() if option in f.options)
        if option.choices:
            ex.add_argument(f"--{option.name}", choices=option.choices, default=option.default,
                            help=f"{option.help} ({users})")
        else:
            ex.add_argument(f"--{option.name}", action="store_true", help=f"{option.help} ({users})")
    ex.add_argument("--out", required=True, metavar="FILE", help="output file ('-' for stdout)")
    ex.add_argument(
        "--coder",
        action="append",
        metavar="NAME",
        help="only this coder's annotations (repeatable)",
    )

    sub.add_parser("formats", help="list the import and export formats (a Markdown table)")



def _listing_commands(sub: Any) -> None:
    """reports, coders, codebook, suggest."""
    r = sub.add_parser("reports", help="list the reports with each coder's status")
    r.add_argument("--coder", metavar="NAME", help="with --status: filter by this coder's status")
    r.add_argument("--status", choices=["todo", "in_progress", "done"])
    r.add_argument(
        "--search", metavar="TEXT", help="only reports whose title or text contains TEXT"
    )

    co = sub.add_parser("coders", help="list the coders with their progress (or add one)")
    co.add_argument("--add", metavar="NAME", help="add a coder")
    co.add_argument("--role", choices=["coder", "reviewer"],
                    help="with --add: coder (codes blind; the default for a new coder) or "
                    "reviewer (agreement, review); for an existing coder, changes the role")

    cb = sub.add_parser("codebook", help="codebook tools")
    cbs = cb.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    v = cbs.add_parser(
        "validate", help="check a codebook file; print each error with its JSON path"
    )
    v.add_argument("file", type=Path)
    cbs.add_parser("show", help="print the project's codebook (JSON)")
    cu = cbs.add_parser(
        "upgrade", help="move the project to a new codebook version: print the plan, --apply it"
    )
    cu.add_argument("file", type=Path, metavar="NEW.json")
    cu.add_argument("--map", type=Path, metavar="FILE",
                    help='a JSON mapping: {"types": {"old": "new"}, "values": {"type.attr": {"old": "new"}}}')
    cu.add_argument("--rename", action="append", default=[], metavar="T.ATTR:OLD=NEW",
                    help="rename an enum value (or OLD_TYPE=NEW_TYPE a type); repeatable")
    cu.add_argument("--merge", action="append", default=[], metavar="T.ATTR:A,B=NEW",
                    help="merge enum values into one; repeatable")
    cu.add_argument("--apply", action="store_true",
                    help="migrate the annotations (after a backup); without it only the plan is printed")
    cbs.add_parser("marks", help="the items an upgrade kept but could not carry over whole")
    cd = cbs.add_parser("doc", help="the project's codebook (or FILE) as a coder's manual")
    cd.add_argument("file", type=Path, nargs="?", help="a codebook file instead of the project's")
    cd.add_argument("--format", choices=["md", "html"], default="md")
    cd.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (default: stdout)")

    sg = sub.add_parser(
        "suggest",
        help="print the spans the scan suggests for a text file (no database is touched)",
    )
    sg.add_argument("file", type=Path)
    sg.add_argument("--published", metavar="YYYY-MM-DD", help="the date relative dates resolve against")
    sg.add_argument("--day-first", action="store_true", help="read 03/12/2023 as 3 December")
    sg.add_argument("--actors", type=Path, metavar="CSV", help="an actor list to find actors from")
    sg.add_argument("--json", action="store_true", help="one JSON object per suggestion")



def _review_commands(sub: Any) -> None:
    """agreement, adjudicate, actors."""
    ag = sub.add_parser("agreement", help="inter-coder agreement (reports done by every coder)")
    ag.add_argument("--coders", metavar="A,B,...", help="the coders to compare (default: all but gold)")
    ag.add_argument("--reports", metavar="ID,...", help="only these report ids")
    ag.add_argument("--json", action="store_true", help="print one JSON object")
    ag.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained HTML report")
    ag.add_argument("--csv", type=Path, metavar="DIR", help="also write the tables as CSV files")
    ag.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    ag.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    ag.add_argument("--across-versions", action="store_true",
                    help="compare even when items were made under incompatible codebook versions "
                    "(only what the current codebook defines is compared)")

    ad = sub.add_parser("adjudicate", help="review: disagreements left, accept unanimous items")
    ad.add_argument("--status", action="store_true", help="disagreements left per report")
    ad.add_argument("--accept-unanimous", action="store_true",
                    help="accept every item all coders agree on into gold (needs --as REVIEWER)")
    ad.add_argument("--reports", metavar="ID,...", help="only these report ids")
    ad.add_argument("--coders", metavar="A,B,...", help="the coders to compare (default: all)")

    asg = sub.add_parser("assign", help="assign reports to coders (balanced, reproducible); "
                         "move or withdraw assignments")
    asg.add_argument("--coders", metavar="A,B,...",
                     help="share the reports among these coders (missing ones are added)")
    asg.add_argument("--share", type=float, default=0.0,
                     help="the share of reports a second coder codes too (0-1, default 0)")
    asg.add_argument("--seed", type=int, default=0, help="the same seed gives the same plan")
    asg.add_argument("--reports", metavar="ID,...", help="only these report ids (default: all)")
    asg.add_argument("--search", metavar="TEXT", help="only reports whose title or text has TEXT")
    asg.add_argument("--move", metavar="FROM", help="move FROM's not yet started assignments")
    asg.add_argument("--to", metavar="CODER", help="with --move: the coder who takes them")
    asg.add_argument("--unassign", metavar="CODER",
                     help="withdraw CODER's not yet started assignments")

    pg = sub.add_parser("progress", help="per coder: to do, in progress, done (per day); "
                        "the double-coded reports every coder finished")
    pg.add_argument("--json", action="store_true", help="print one JSON object")

    bk = sub.add_parser("backup", help="back the project up now (rotating, in the user data folder)")
    bk.add_argument("--list", action="store_true", help="list the project's backups instead")
    bk.add_argument("--keep", type=int, metavar="N",
                    help="keep the newest N backups (default: the user setting, else 10)")
    rs = sub.add_parser("restore", help="put a backup back (the current state is backed up first)")
    rs.add_argument("file", type=Path, nargs="?",
                    help="the backup file (default: the newest backup of the project)")
    cp = sub.add_parser("copy", help="a complete single-file copy of the project (for a coder); "
                        "unlike copying project.db, it never leaves commits behind in the -wal file")
    cp.add_argument("dest", type=Path)

    ac = sub.add_parser("actors", help="the project's actor list")
    acs = ac.add_subparsers(dest="actors_command", metavar="ACTION", required=True)
    acs.add_parser("list", help="print the actor list")
    ai = acs.add_parser("import", help="add or update actors from a CSV file")
    ai.add_argument("file", type=Path)
    ae = acs.add_parser("export", help="write the actor list as CSV")
    ae.add_argument("file", type=Path)


def _fail(message: str) -> int:
    print(f"annotator: {message}", file=sys.stderr)
    return 1


def _printable_streams() -> None:
    """A file name that is not valid UTF-8 (or a character the terminal's encoding lacks) is
    printed escaped instead of ending the run with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream
                pass


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a kill, a logout): unwinds like Ctrl+C, so temporary files are removed."""


def _on_sigterm(signum: int, _frame: object) -> None:
    raise _Terminated()


def _quiet_stdout() -> None:
    """The reader of our output went away (``| head``): send the rest nowhere, so that neither
    our prints nor the interpreter's last flush raise BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    import signal

    from annotator.core.integrity import DamagedProject
    from annotator.core.storage import StorageError, classify

    _printable_streams()
    args = _parser().parse_args(argv)
    if argv is None:  # the real command line (not a test calling main): a kill cleans up too
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _dispatch(args)
    except (DatabaseOpenError, ProjectError, CommandError, CodebookError, StorageError,
            DamagedProject) as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        _quiet_stdout()
        return _fail("the output was closed before everything was written")
    except KeyboardInterrupt as exc:
        return _fail("terminated" if isinstance(exc, _Terminated) else "interrupted")
    except OSError as exc:
        # a file the command was given: missing, unreadable, a read-only or full disk
        where = exc.filename or "annotator"
        kind = classify(exc)
        extra = {"disk_full": " (the disk is full)", "read_only": " (read-only)"}.get(kind or "", "")
        return _fail(f"{where}: {exc.strerror or exc}{extra}")
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):  # a database fault: still one line
            reason = " ".join(str(exc.orig or exc).split())
            kind = classify(exc)
            if kind is not None:
                from annotator.core.db import display_url
                from annotator.core.project import resolve_db

                return _fail(str(StorageError(kind, display_url(resolve_db(args.db)), reason)))
            return _fail(f"the project database refused the operation: {reason}")
        raise


def _dispatch(args: argparse.Namespace) -> int:
    if args.install_desktop:
        from annotator.desktop import install_desktop

        try:
            for path in install_desktop():
                print(f"{path}: written")
        except OSError as exc:
            return _fail(f"cannot install the menu entry: {exc}")
        return 0
    if args.command in (None, "gui"):
        return _gui(args)
    if args.command == "codebook" and args.codebook_command == "validate":
        return _codebook_validate(args.file)
    if args.command == "codebook" and args.codebook_command == "doc" and args.file:
        return _codebook_doc(load_codebook(args.file), args)
    if args.command == "init":
        return _init(args)
    if args.command == "suggest":
        return _suggest(args)
    if args.command == "check":
        return _check(args)
    if args.command == "formats":
        sys.stdout.write(registry.formats_table())
        return 0
    if args.command in ("backup", "restore", "copy"):
        return _backup(args)
    refused = _missing_project(args)
    if refused is not None:
        return _fail(refused)
    project = Project.open(args.db)
    try:
        handler = {
            "import": _import,
            "export": _export,
            "reports": _reports,
            "coders": _coders,
            "codebook": _codebook_show,
            "actors": _actors,
            "agreement": _agreement,
            "adjudicate": _adjudicate,
            "assign": _assign,
            "progress": _progress,
        }[args.command]
        role = _identity_role(project, args)
        if args.command in ("agreement", "adjudicate"):
            why = roles.refusal(args.command, args.identity, role)
            if why is not None:
                return _fail(why)
        if args.command == "export":
            try:
                args.coder = roles.export_coders(args.identity, role, args.coder)
            except roles.RoleError as exc:
                return _fail(str(exc))
        return handler(project, args)
    finally:
        project.close()


def _missing_project(args: argparse.Namespace) -> str | None:
    """Why a project named with --db (or $ANNOTATOR_DB) that does not exist is not created:
    only ``init`` creates one (and ``import``, into an existing folder, saying so), so a typo
    never leaves an empty project and new folders behind. The default project is created."""
    import os

    from annotator.core.db import database_url
    from annotator.core.project import resolve_db

    if not (args.db or os.environ.get("ANNOTATOR_DB")):
        return None
    url = database_url(resolve_db(args.db))
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url[len("sqlite:///"):])
    if path.exists():
        return None
    if args.command == "import":
        if not path.parent.is_dir():
            return (f"{path}: no such project, and the folder {path.parent} does not exist "
                    f"(a typo? `annotator --db {path} init` creates a project)")
        print(f"annotator: {path}: a new project", file=sys.stderr)
        return None
    return f"{path}: no such project (a typo? `annotator --db {path} init` creates one)"


def _gui(args: argparse.Namespace) -> int:
    from annotator.startup import check_qt_platform

    missing = check_qt_platform()  # before Qt is loaded: it would abort with its own message
    if missing is not None:
        print(missing.message(), file=sys.stderr)
        return 1
    try:
        from annotator.gui.app import run  # Qt only here: the rest of the CLI runs without it
    except ImportError as exc:
        return _fail(f"the window needs PySide6 ({exc}); install it with: pip install annotator")
    return run(args.db, coder=getattr(args, "coder", None))


def _backup(args: argparse.Namespace) -> int:
    from annotator.core import backup
    from annotator.core.project import resolve_db
    from annotator.core.userconfig import load_user_config

    location = resolve_db(args.db)
    keep = getattr(args, "keep", None) or load_user_config().backup_keep
    try:
        if args.command == "copy":
            dest = backup.safe_copy(location, args.dest)
            print(f"{dest}: a complete copy of {location}")
        elif args.command == "restore":
            chosen = args.file
            if chosen is None:
                newest = backup.newest_backup(location)
                if newest is None:
                    return _fail(f"{location}: no backups in {backup.backup_folder(location)}")
                chosen = newest.path
            saved = backup.restore_backup(location, chosen, keep=keep)
            print(f"{location}: restored from {chosen}")
            if saved:
                print(f"the state before the restore is in {saved.path}")
        elif args.list:
            found = backup.list_backups(location)
            for line in backup.describe(found):
                print(line)
            print(f"{len(found)} backup(s) in {backup.backup_folder(location)}")
        else:
            if not backup.sqlite_path(location).is_file():
                return _fail(f"{location}: no such project database")
            made = backup.make_backup(location, reason="manual", keep=keep)
            print(f"{made.path}: backup of {location} ({made.size / 1024:.0f} KiB, newest {keep} kept)")
    except backup.BackupError as exc:
        return _fail(str(exc))
    return 0


def _codebook_validate(path: Path) -> int:
    try:
        cb = load_codebook(path)
    except CodebookError as exc:
        print(str(exc), file=sys.stderr)
        print(f"{path}: {len(exc.issues)} error(s)", file=sys.stderr)
        return 1
    print(
        f"{path}: valid codebook {cb.ref} ({len(cb.span_types)} span types, "
        f"{len(cb.claim_types)} claim types)"
    )
    return 0


def _init(args: argparse.Namespace) -> int:
    codebook = load_codebook(args.codebook) if args.codebook else None
    if getattr(args, "codebook_from_brat", None):
        from annotator.core.codebook import parse_codebook
        from annotator.core.io.brat_conf import ConfError
        from annotator.core.io.brat_format import codebook_from_brat_conf

        conf = args.codebook_from_brat
        try:
            codebook = parse_codebook(codebook_from_brat_conf(conf), str(conf))
        except ConfError as exc:
            return _fail(f"error: {exc}")
    if getattr(args, "codebook_from_wikievents", None):
        from annotator.core.codebook import parse_codebook
        from annotator.core.io.wikievents import wikievents_codebook

        try:
            raw = wikievents_codebook(args.codebook_from_wikievents)
        except (OSError, UnicodeDecodeError) as exc:
            return _fail(f"error: cannot read {exc}")
        codebook = parse_codebook(raw, "WikiEvents files")
    project = Project.open(args.db, codebook=codebook, with_example=args.example,
                           starter_actors=not args.no_starter_actors)
    try:
        print(f"{project.location}: project ready with codebook {project.codebook.ref}")
    finally:
        project.close()
    return 0


class _Bar:
    """A progress bar on the terminal's stderr (nothing when stderr is not a terminal)."""

    def __init__(self, total: int | None, what: str) -> None:
        self.total, self.what, self.done = total, what, 0
        self.live = sys.stderr.isatty()

    def step(self, n: int = 1) -> bool:
        self.done += n
        if self.live:
            if self.total:
                filled = int(30 * self.done / self.total)
                bar = "#" * filled + "-" * (30 - filled)
                print(f"\r[{bar}] {self.done}/{self.total} {self.what}", end="", file=sys.stderr, flush=True)
            else:
                print(f"\r{self.done} {self.what}", end="", file=sys.stderr, flush=True)
        return True

    def clear(self) -> None:
        if self.live and self.done:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def _import(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.io.importer import ImportSummary
    from annotator.core.io.limits import DEFAULT
    from annotator.core.storage import StorageError

    bar = _Bar(None, "file(s)")
    heard = ImportSummary()  # every result heard: each was committed before it was said
    out_closed = False

    def line(result: FileResult) -> None:
        nonlocal out_closed
        heard.files.append(result)
        bar.clear()
        if result.ok and out_closed:
            bar.step()
            return
        try:
            if result.ok:
                print(f"{result.path}: {result.message}", flush=True)
            else:
                print(result.message, file=sys.stderr)
        except BrokenPipeError:
            # `import DIR | head -3`: the reader has what it wanted; the import goes on, quietly
            out_closed = True
            _quiet_stdout()
        bar.step()

    mapping = None
    if args.map:
        from annotator.core.io.tables import parse_mapping

        try:
            mapping = parse_mapping(args.map)
        except ValueError as exc:
            return _fail(str(exc))
    mb = 2**20
    limits = DEFAULT.with_(
        file_bytes=args.max_file_mb and args.max_file_mb * mb, report_chars=args.max_report_chars,
        pages=args.max_pages, rows=args.max_rows, cell_chars=args.max_cell_chars,
        unzipped_bytes=args.max_unzipped_mb and args.max_unzipped_mb * mb, ratio=args.max_ratio,
    )

    def stored() -> str:
        return (f"{heard.added} report(s) and {heard.annotations} coder annotation set(s) were "
                "stored before that (each file whole, or as its line says)")

    try:
        summary = project.import_paths(args.paths, on_file=line, mapping=mapping,
                                       coded_as=args.coded_as, identity=args.identity,
                                       limits=limits)
    except KeyboardInterrupt:
        bar.clear()
        return _fail(f"import interrupted after {len(heard.files)} file(s); {stored()}")
    except StorageError as exc:
        bar.clear()
        return _fail(f"{exc}; {stored()}")
    bar.clear()
    try:
        print(summary.line(), file=sys.stderr if out_closed else sys.stdout, flush=True)
    except BrokenPipeError:
        _quiet_stdout()
        print(summary.line(), file=sys.stderr)
    if not summary.files:
        return _fail("no importable files found under the given paths")
    return 1 if summary.failed else 0


def _check(args: argparse.Namespace) -> int:
    """annotator check: the whole file, reported problem by problem (read only)."""
    from sqlalchemy.exc import DBAPIError

    project = Project.open(args.db, create=False, verify=False)
    try:
        try:
            problems = project.check(lambda what: print(f"checking {what} ...", file=sys.stderr))
        except DBAPIError as exc:
            return _fail(f"{project.location}: the project file is damaged: it cannot be read "
                         f"through ({' '.join(str(exc.orig or exc).split())}); restore a backup")
        for p in problems:
            print(f"{project.location}: {p}")
        n = len(project.reports())
        if problems:
            print(f"{project.location}: {len(problems)} problem(s); restore a backup "
                  "(annotator restore) or export what is intact", file=sys.stderr)
            return 1
        print(f"{project.location}: ok ({n} report(s) checked)")
        return 0
    finally:
        project.close()


def _export(project: Project, args: argparse.Namespace) -> int:
    fmt = registry.exporter(args.format)
    if args.out == "-" and not fmt.streams:
        return _fail(f"--format {fmt.name} needs --out {'FOLDER' if fmt.target != 'file' else 'PATH'}")
    target = None if args.out == "-" else Path(args.out)
    bar = None if target is None else _Bar(len(project.reports()), "report(s)")
    records = project.iter_export(args.coder)
    if bar is not None:
        records = (record for record in records if bar.step())
    options = {o.name: getattr(args, o.name) for o in fmt.options}
    try:
        line = fmt.write(registry.ExportJob(records, project.codebook, target, options, sys.stdout))
    except KeyboardInterrupt:
        return _fail("export cancelled; nothing was written")
    except (OSError, ValueError, ImportError) as exc:  # ImportError: an optional extra is missing
        return _fail(str(exc))
    finally:
        if bar is not None:
            bar.clear()
    if target is None:
        print(line, file=sys.stderr)
    else:
        print(f"{target}: {line}")
    return 0


def _reports(project: Project, args: argparse.Namespace) -> int:
    role = _identity_role(project, args)
    if roles.codes_blind(role):
        args.coder = args.identity  # a coder sees only their own status
    coder_id = project.coder_id(args.coder) if args.coder else None
    if args.status and coder_id is None:
        return _fail("--status needs --coder NAME")
    rows = project.reports(coder_id=coder_id, status=args.status, search=args.search)
    width = max([len(r.external_id) for r in rows] + [2])
    print(f"{'ID':<{width}}  {'TITLE':<60}  STATUS")
    for row in rows:
        title = row.title if len(row.title) <= 60 else row.title[:59] + "…"
        shown = roles.visible_statuses(args.identity, role, row.statuses)
        statuses = ", ".join(f"{c}: {s}" for c, s in shown.items()) or "-"
        print(f"{row.external_id:<{width}}  {title:<60}  {statuses}")
    print(f"{len(rows)} report(s)")
    return 0


def _coders(project: Project, args: argparse.Namespace) -> int:
    if getattr(args, "add", None):
        why = roles.refusal("add_coders", args.identity, _identity_role(project, args))
        if why is not None:
            return _fail(why)
        name = args.add.strip()
        existing = {c.name: c.role for c in project.coders()}
        if name not in existing:
            project.coder_id(name, create=True, role=args.role or "coder")
            print(f"{name}: {args.role or 'coder'}")
        elif args.role is None or args.role == existing[name]:
            print(f"{name}: already a {existing[name]}")
        else:
            project.set_coder_role(name, args.role)
            print(f"{name}: {existing[name]} -> {args.role}")
    rows = project.coders()
    print(f"{'CODER':<20} {'ROLE':<9} {'TODO':>6} {'IN PROGRESS':>12} {'DONE':>6}")
    for c in rows:
        n = c.counts
        print(
            f"{c.name:<20} {c.role:<9} {n.get('todo', 0):>6} "
            f"{n.get('in_progress', 0):>12} {n.get('done', 0):>6}"
        )
    print(f"{len(rows)} coder(s)")
    return 0


def _codebook_show(project: Project, args: argparse.Namespace) -> int:
    if args.codebook_command == "doc":
        return _codebook_doc(project.codebook, args)
    if args.codebook_command == "upgrade":
        return _codebook_upgrade(project, args)
    if args.codebook_command == "marks":
        return _codebook_marks(project)
    print(project.codebook.to_json())
    return 0


def _codebook_upgrade(project: Project, args: argparse.Namespace) -> int:
    from annotator.core import backup
    from annotator.core import codebook_upgrade as cu
    from annotator.core.userconfig import load_user_config

    if _identity_role(project, args) == "coder":
        return _fail(f"{args.identity} is a coder: a codebook upgrade needs a reviewer")
    new = load_codebook(args.file)
    try:
        mapping = cu.parse_map_file(args.map) if args.map else cu.UpgradeMap()
        cu.parse_rename(args.rename, mapping)
        cu.parse_merge(args.merge, mapping)
        plan = project.plan_upgrade(new, mapping)
    except cu.UpgradeError as exc:
        return _fail(str(exc))
    print(plan.text())
    if not plan.steps and new.ref == project.codebook.ref:
        return 0
    if not args.apply:
        print("Nothing was changed. Run again with --apply to migrate (a backup is taken first).")
        return 0
    saved = None
    try:
        saved = backup.make_backup(project.location, reason="before-upgrade",
                                   keep=load_user_config().backup_keep)
    except backup.BackupError as exc:
        if "pg_dump" not in str(exc):
            return _fail(f"{exc}; nothing was changed")
        print(f"no backup taken: {exc}", file=sys.stderr)
    cmd = cu.UpgradeCodebook(plan)
    project.run(cmd)
    print(f"{project.location}: now codebook {project.codebook.ref}; {cmd.migrated} item(s) "
          f"migrated, {cmd.marked} marked (annotator codebook marks)")
    if saved:
        print(f"undo: annotator --db {project.location} restore {saved.path}")
    return 0


def _codebook_marks(project: Project) -> int:
    import json

    marks = project.codebook_marks()
    for m in marks:
        kept = f"  kept: {json.dumps(m.kept, ensure_ascii=False)}" if m.kept else ""
        print(f"{m.report:<30} {m.coder:<12} {m.kind:<9} {m.type:<16} {m.text[:30]!r:<32} {m.reason}{kept}")
    print(f"{len(marks)} marked item(s)")
    return 0


def _codebook_doc(codebook: object, args: argparse.Namespace) -> int:
    from annotator.core.codebook import Codebook
    from annotator.core.io.codebook_manual import codebook_manual

    assert isinstance(codebook, Codebook)
    text = codebook_manual(codebook, args.format)
    if args.out:
        with atomic_text_file(args.out) as fh:
            fh.write(text)
        print(f"{args.out}: codebook manual written")
    else:
        sys.stdout.write(text)
    return 0


def _suggest(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from annotator.core import values
    from annotator.core.codebook import load_default_codebook
    from annotator.core.io.textfile import ImportProblem, read_text_file
    from annotator.core.normalize import (
        ActorCsvError,
        ActorList,
        Gazetteer,
        read_actors_csv,
        suggest_spans,
    )

    try:
        doc = read_text_file(args.file)
    except ImportProblem as exc:
        return _fail(str(exc))
    published = None
    if args.published:
        try:
            published = dt.date.fromisoformat(args.published)
        except ValueError:
            return _fail(f"--published {args.published!r} is not a date (YYYY-MM-DD)")
    actors = None
    if args.actors:
        try:
            actors = ActorList(read_actors_csv(args.actors))
        except (ActorCsvError, OSError) as exc:
            return _fail(str(exc))
    gazetteer = Gazetteer.default() if Gazetteer.available() else None
    found = suggest_spans(doc.text, published, actors, gazetteer, None, args.day_first)
    codebook = load_default_codebook() if not args.json else None
    for s in found:
        assert doc.text[s.start : s.end] == s.text
        if args.json:
            print(json.dumps({"type": s.type, "start": s.start, "end": s.end, "text": s.text,
                              "attributes": s.attributes}, ensure_ascii=False))
        else:  # the codebook's labels and values as people read them
            st = codebook.span_type(s.type) if codebook else None
            shown = []
            for k, v in s.attributes.items():
                ad = st.attribute(k) if st else None
                shown.append(f"{ad.label}: {values.text_of(ad, v)}" if ad else f"{k}: {v}")
            print(f"{s.start:>7}-{s.end:<7} {st.label if st else s.type:<15} {'“' + s.text + '”':<40} "
                  + "; ".join(shown))
    if not args.json:
        print(f"{len(found)} suggestion(s) in {args.file}", file=sys.stderr)
    return 0


def _identity_role(project: Project, args: argparse.Namespace) -> str | None:
    if not args.identity:
        return None
    for c in project.coders():
        if c.name == args.identity:
            return c.role
    raise ProjectError(f"no coder named '{args.identity}' in {project.location}")


def _adjudicate(project: Project, args: argparse.Namespace) -> int:
    from annotator.core import review

    reports = [r.strip() for r in args.reports.split(",") if r.strip()] if args.reports else None
    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    rows = project.reports()
    ids = [r.id for r in rows if reports is None or r.external_id in reports]
    ext = {r.id: r.external_id for r in rows}
    if args.accept_unanimous:
        if not args.identity:
            return _fail("--accept-unanimous needs --as REVIEWER (who decides is recorded)")
        cmd = AcceptUnanimous(args.identity, ids, coders)
        project.run(cmd)
        print(f"accepted {cmd.accepted} unanimous item(s) into gold")
    summary = review.review_summary(project.review_items(ids, coders))
    if args.status or not args.accept_unanimous:
        total_open = 0
        for rid, (n, disagreements, still_open) in summary.items():
            total_open += still_open
            state = "gold-done" if disagreements and not still_open else ""
            print(f"{ext[rid]:<40} {n:>5} items {disagreements:>5} disagreements {still_open:>5} open  {state}")
        print(f"{total_open} disagreement(s) open in {sum(1 for v in summary.values() if v[2])} report(s)")
    return 0


def _agreement(project: Project, args: argparse.Namespace) -> int:
    import json

    from annotator.core.agreement import compute_agreement
    from annotator.core.agreement.report import html_report, text_table, write_csv

    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    reports = [r.strip() for r in args.reports.split(",") if r.strip()] if args.reports else None
    mix = project.version_mix()
    if mix.incompatible and not args.across_versions:
        return _fail(mix.message())
    try:
        data = project.agreement_data(coders, reports)
    except ValueError as exc:
        return _fail(str(exc))
    result = compute_agreement(data, coders, reports, seed=args.seed, resamples=args.resamples).to_json()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, allow_nan=False))
    else:
        print(text_table(result))
    if args.html:
        args.html.write_text(html_report(result), encoding="utf-8")
        print(f"{args.html}: HTML report written", file=sys.stderr)
    if args.csv:
        for path in write_csv(result, args.csv):
            print(f"{path}: written", file=sys.stderr)
    return 0


def _actors(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.normalize import ActorCsvError

    if args.actors_command == "import":
        try:
            added, updated = project.import_actors(args.file)
        except (ActorCsvError, OSError) as exc:
            return _fail(f"{exc}; no actor was imported")
        print(f"{args.file}: {added} actor(s) added, {updated} updated")
    elif args.actors_command == "export":
        n = project.export_actors(args.file)
        print(f"{args.file}: {n} actor(s) written")
    else:
        entries = project.actors()
        for e in entries:
            print(f"{e.canonical:<40} {e.type or '-':<28} {e.country or '-':<3} {' | '.join(e.aliases)}")
        print(f"{len(entries)} actor(s)")
    return 0




def _ids(project: Project, args: argparse.Namespace) -> list[int] | None:
    """The report ids named by --reports (external ids) and/or --search; None: every report."""
    if not args.reports and not args.search:
        return None
    rows = project.reports(search=args.search)
    if args.reports:
        wanted = [x.strip() for x in args.reports.split(",") if x.strip()]
        by_ext = {r.external_id: r.id for r in rows}
        missing = [x for x in wanted if x not in by_ext]
        if missing:
            raise ProjectError(f"no report with id {', '.join(missing[:5])}"
                               + (" matching --search" if args.search else ""))
        return [by_ext[x] for x in wanted]
    return [r.id for r in rows]


def _assign(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.assignments import Assign, MoveAssignments, Unassign

    if _identity_role(project, args) == "coder":
        return _fail("a coder cannot assign reports")
    ids = _ids(project, args)
    if args.move:
        if not args.to:
            return _fail("--move FROM needs --to CODER")
        move = MoveAssignments(project.coder_id(args.move), project.coder_id(args.to), ids)
        project.run(move)
        print(f"moved {len(move.moved)} assignment(s) from {args.move} to {args.to}; "
              f"{move.kept} kept (started, or {args.to} has the report already)")
        return 0
    if args.unassign:
        un = Unassign(project.coder_id(args.unassign), ids)
        project.run(un)
        print(f"withdrew {len(un.removed)} assignment(s) of {args.unassign}; "
              f"{un.kept} kept (started or done)")
        return 0
    if not args.coders:
        return _fail("assign needs --coders A,B,... (or --move / --unassign)")
    names = [n.strip() for n in args.coders.split(",") if n.strip()]
    coder_ids = [project.coder_id(n, create=True) for n in names]
    if ids is None:
        ids = [r.id for r in project.reports()]
    cmd = Assign(ids, coder_ids, args.share, args.seed)
    project.run(cmd)
    doubles = len(cmd.planned) - len({r for r, _ in cmd.planned})
    per = {n: sum(1 for _, c in cmd.planned if c == i) for n, i in zip(names, coder_ids, strict=True)}
    print(f"assigned {len({r for r, _ in cmd.planned})} report(s), {doubles} double-coded; "
          + ", ".join(f"{n}: {k}" for n, k in per.items())
          + (f"; {cmd.skipped} already assigned, left as they are" if cmd.skipped else ""))
    return 0


def _progress(project: Project, args: argparse.Namespace) -> int:
    result = project.progress()
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{'CODER':<20} {'ROLE':<9} {'TODO':>6} {'IN PROGRESS':>12} {'DONE':>6}  LAST DAYS DONE")
    for c in result.coders:
        days = ", ".join(f"{d}: {n}" for d, n in list(c.done_per_day.items())[-3:])
        print(f"{c.name:<20} {c.role:<9} {c.todo:>6} {c.in_progress:>12} {c.done:>6}  {days}")
    share = result.double_coded_share_done
    shown = "-" if share is None else f"{share:.0%}"
    print(f"double-coded: {result.double_coded_done} of {result.double_coded} report(s) done "
          f"by every coder ({shown})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
