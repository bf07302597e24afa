"""The command line: ``annotator`` opens the window; subcommands work without a display.

Exit status 0 only when everything asked for succeeded; every failure names the file and reason.
This module builds the parser and dispatches; the handlers live by concern in the package's
modules (project, transfer, codebook, team, review, lists, backup; common: what they share).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.cli import offline
from annotator.cli.common import fail, quiet_stdout
from annotator.core.io import registry

# `--version` and `--help` need the parser only: the handlers and the project facade (SQLAlchemy,
# the models: most of a second) are imported once the arguments are read

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
    offline.add_parsers(sub)
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
    for flag, metavar, what, default in (
        ("--max-file-mb", "MB", "size of one file", _LIMITS.file_bytes // 2**20),
        ("--max-report-chars", "N", "characters of one report's text", f"{_LIMITS.report_chars:,}"),
        ("--max-pages", "N", "pages of one PDF", f"{_LIMITS.pages:,}"),
        ("--max-rows", "N", "rows of one table", f"{_LIMITS.rows:,}"),
        ("--max-cell-chars", "N", "characters of one table cell", f"{_LIMITS.cell_chars:,}"),
        ("--max-unzipped-mb", "MB", "uncompressed contents of a .docx/.xlsx",
         _LIMITS.unzipped_bytes // 2**20),
        ("--max-ratio", "N", "expansion ratio of a .docx/.xlsx", _LIMITS.ratio),
    ):
        lim.add_argument(flag, type=int, metavar=metavar, help=f"{what} [{default}]")

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
    ag = sub.add_parser("agreement", help="inter-coder agreement (each coder pair on the reports "
                        "both finished)")
    ag.add_argument("--all-done", action="store_true", help="compare on the reports every "
                    "compared coder finished instead of each pair's (the former default)")
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
    asg.add_argument("--share", type=float, default=None,
                     help="the share of reports a second coder codes too (0-1, default: the "
                     "project's setting, 0 unless changed in Settings)")
    asg.add_argument("--seed", type=int, default=0, help="the same seed gives the same plan")
    asg.add_argument("--also", action="store_true", help="with --coders: also reports other "
                     "coders have (double coding by hand); only reports these coders have "
                     "already are left as they are")
    asg.add_argument("--reports", metavar="ID,...", help="only these report ids (default: all)")
    asg.add_argument("--search", metavar="TEXT", help="only reports whose title or text has TEXT")
    asg.add_argument("--move", metavar="FROM", help="move FROM's not yet started assignments")
    asg.add_argument("--to", metavar="CODER", help="with --move: the coder who takes them")
    asg.add_argument("--unassign", metavar="CODER",
                     help="withdraw CODER's not yet started assignments")
    asg.add_argument("--unlock", metavar="ID,...", help="reopen reports whose gold is done, so "
                     "their coders may change them again (a lead or reviewer)")
    asg.add_argument("--lock", metavar="ID,...", help="mark the gold of reports done by hand: "
                     "coders' changes there are refused")
    asg.add_argument("--pool", choices=["on", "off"], help="whether coders' queues also show "
                     "the reports nobody is assigned to (a project setting)")

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


def main(argv: Sequence[str] | None = None) -> int:
    import signal

    _printable_streams()
    args = _parser().parse_args(argv)
    window = args.command in (None, "gui") and not args.install_desktop
    if window:  # no cyclic collection until the window's first paint (gui/app.py ends it)
        from annotator.core.gcpause import pause_start

        pause_start()
    from annotator.core.codebook import CodebookError
    from annotator.core.commands import CommandError
    from annotator.core.db import DatabaseOpenError
    from annotator.core.integrity import DamagedProject
    from annotator.core.project import ProjectError
    from annotator.core.storage import StorageError, classify

    if argv is None:  # the real command line (not a test calling main): a kill cleans up too
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _dispatch(args)
    except (DatabaseOpenError, ProjectError, CommandError, CodebookError, StorageError,
            DamagedProject) as exc:
        return fail(str(exc))
    except BrokenPipeError:
        quiet_stdout()
        return fail("the output was closed before everything was written")
    except KeyboardInterrupt as exc:
        return fail("terminated" if isinstance(exc, _Terminated) else "interrupted")
    except OSError as exc:
        # a file the command was given: missing, unreadable, a read-only or full disk
        where = exc.filename or "annotator"
        kind = classify(exc)
        extra = {"disk_full": " (the disk is full)", "read_only": " (read-only)"}.get(kind or "", "")
        return fail(f"{where}: {exc.strerror or exc}{extra}")
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):  # a database fault: still one line
            reason = " ".join(str(exc.orig or exc).split())
            kind = classify(exc)
            if kind is not None:
                from annotator.core.db import display_url
                from annotator.core.project import resolve_db

                return fail(str(StorageError(kind, display_url(resolve_db(args.db)), reason)))
            return fail(f"the project database refused the operation: {reason}")
        raise
    finally:
        if window:  # (a window that never painted: a refused open, a cancelled coder)
            from annotator.core.gcpause import end_start

            end_start(freeze=False)


def _dispatch(args: argparse.Namespace) -> int:
    from annotator.cli import backup, codebook, lists, project, review, team, transfer
    from annotator.cli.common import identity_role
    from annotator.core import roles
    from annotator.core.codebook import load_codebook
    from annotator.core.project import Project

    if args.install_desktop:
        from annotator.desktop import install_desktop

        try:
            for path in install_desktop():
                print(f"{path}: written")
        except OSError as exc:
            return fail(f"cannot install the menu entry: {exc}")
        return 0
    if args.command in (None, "gui"):
        return project.gui(args)
    if args.command == "codebook" and args.codebook_command == "validate":
        return codebook.validate(args.file)
    if args.command == "codebook" and args.codebook_command == "doc" and args.file:
        return codebook.doc(load_codebook(args.file), args)
    if args.command == "init":
        return project.init(args)
    if args.command == "suggest":
        return lists.suggest(args)
    if args.command in ("check", "copy") or args.command == "backup" and not args.list:
        refused = project.missing_project(args)  # `backup --list` and `restore` need none
        if refused is not None:
            return fail(refused)
    if args.command == "check":
        return project.check(args)
    if args.command == "formats":
        sys.stdout.write(registry.formats_table())
        return 0
    if args.command in ("backup", "restore", "copy"):
        return backup.handle(args)
    refused = project.missing_project(args)
    if refused is not None:
        return fail(refused)
    opened = Project.open(args.db)
    try:
        handler = {
            "import": transfer.import_,
            "export": transfer.export,
            "reports": team.reports,
            "coders": team.coders,
            "codebook": codebook.show,
            "actors": lists.actors,
            "agreement": review.agreement,
            "adjudicate": review.adjudicate,
            "assign": team.assign,
            "progress": team.progress,
            "package": offline.package,
            "merge": offline.merge,
            "history": offline.history,
        }[args.command]
        role = identity_role(opened, args)
        if args.command in ("agreement", "adjudicate"):
            why = roles.refusal(args.command, args.identity, role)
            if why is not None:
                return fail(why)
        if args.command == "export":
            try:
                args.coder = roles.export_coders(args.identity, role, args.coder)
            except roles.RoleError as exc:
                return fail(str(exc))
        return handler(opened, args)
    finally:
        opened.close()

