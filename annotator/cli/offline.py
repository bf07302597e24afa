"""package and merge: a coder's work taken offline in one file and brought back per report."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from annotator.cli.common import fail, identity_role

if TYPE_CHECKING:  # the parser (add_parsers) is built without the facade and SQLAlchemy
    from annotator.core.project import Project


def add_parsers(sub: Any) -> None:
    from pathlib import Path

    pk = sub.add_parser("package", help="one file with what a coder needs to work offline "
                        "(their reports, the codebook, the lists, their own work so far)")
    pk.add_argument("--coder", required=True, metavar="NAME", help="whose package")
    pk.add_argument("--out", required=True, type=Path, metavar="FILE",
                    help="the package to write (a project file: annotator --db FILE opens it)")
    pk.add_argument("--force", action="store_true", help="replace FILE if it exists")
    mg = sub.add_parser("merge", help="take a package (or an interchange .jsonl file) back, "
                        "per report: new work added, resubmissions replace, conflicts listed")
    mg.add_argument("file", type=Path, nargs="?")
    mg.add_argument("--undo", metavar="RUN|LAST", help="take back one merge (its run, printed "
                    "by merge, or LAST): what it stored goes into the history and the versions "
                    "it replaced come back; work changed since stays")
    mg.add_argument("--prefer", action="append", default=[], metavar="package|project|ID=CHOICE",
                    help="how a conflict is resolved: for every report, or ID=package / "
                         "ID=project for one report (repeatable)")
    hi = sub.add_parser("history", help="coders' versions a merge replaced, did not take or "
                        "flagged (kept, never deleted)")
    hi.add_argument("--report", metavar="ID", help="only this report")
    hi.add_argument("--coder", metavar="NAME", help="only this coder")
    hi.add_argument("--json", action="store_true", help="one JSON object per line, with the "
                    "spans and claims")
    hi.add_argument("--flagged", action="store_true", help="one line per span a merge could "
                    "not carry onto a corrected text: report, coder, type, text, open or "
                    "re-placed")
    hi.add_argument("--open", action="store_true", help="with --flagged: only those not yet "
                    "re-placed")


def _prefer(values: list[str]) -> dict[str, str]:
    from annotator.core.merge import PREFER

    out: dict[str, str] = {}
    for value in values:
        rid, sep, choice = value.rpartition("=")
        key = rid.strip() if sep else "*"
        choice = choice.strip()
        if choice not in PREFER or (sep and not key):
            raise ValueError(f"--prefer {value}: give package or project, or REPORT_ID=package "
                             "or REPORT_ID=project")
        out[key] = choice
    return out


def package(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.coders import name_key
    from annotator.core.packages import PackageError, make_package

    role = identity_role(project, args)
    if role == "coder" and name_key(args.coder) != name_key(args.identity):
        return fail(f"{args.identity} is a coder: a coder packages only their own work")
    try:
        summary = make_package(project, args.coder, args.out, overwrite=args.force)
    except (PackageError, OSError) as exc:
        return fail(str(exc))
    print(summary.line())
    return 0


def merge(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.merge import MergeError
    from annotator.core.packages import PackageError

    if args.undo:
        return _undo(project, args)
    if args.file is None:
        return fail("merge needs FILE (or --undo RUN|LAST)")
    try:
        prefer = _prefer(args.prefer)
        summary = project.merge(args.file, prefer=prefer, identity=args.identity)
    except (ValueError, MergeError, PackageError) as exc:
        return fail(str(exc))
    for outcome in summary.outcomes:
        print(outcome.line())
    print(f"{args.file}: {summary.line()}")
    if any(o.action in ("added", "replaced", "resolved") for o in summary.outcomes):
        print(f"merge run {summary.run}: take it back with annotator merge --undo {summary.run}")
    if summary.conflicts:
        print(f"annotator: {len(summary.conflicts)} conflict(s) left as they were; run merge again "
              "with --prefer package or --prefer project (or ID=... per report)", file=sys.stderr)
    if summary.failed:
        print(f"annotator: {len(summary.failed)} report(s) could not be merged (see above)",
              file=sys.stderr)
    return 0 if summary.ok else 1


def history(project: Project, args: argparse.Namespace) -> int:
    import json

    from annotator.core.coders import name_key
    from annotator.core.merge import history as rows_of

    role = identity_role(project, args)
    coder = args.coder
    if role == "coder":
        if coder is not None and name_key(coder) != name_key(args.identity):
            return fail(f"{args.identity} is a coder: coders see only their own history")
        coder = args.identity
    if args.flagged:
        return _flagged(project, args, coder)
    rows = rows_of(project._engine, args.report, coder)
    for row in rows:
        when = row["created_at"].isoformat() if row["created_at"] else ""
        if args.json:
            print(json.dumps({**row, "created_at": when}, ensure_ascii=False, default=str))
            continue
        content = row["content"] or {}
        print(f"#{row['id']}  {when}  {row['report_external_id']}  {row['coder']}  {row['kind']}: "
              f"{len(content.get('spans', []))} span(s), {len(content.get('claims', []))} "
              f"claim(s); {row['reason']}")
    if not args.json:
        print(f"{len(rows)} version(s) in the history", file=sys.stderr)
    return 0


def _flagged(project: Project, args: argparse.Namespace, coder: str | None) -> int:
    import json

    ids = None
    if args.report:
        ids = [r.id for r in project.reports() if r.external_id == args.report]
    items = project.flagged_spans(coder=coder, report_ids=ids, open_only=args.open)
    for f in items:
        if args.json:
            print(json.dumps({**f.__dict__, "when": f.when.isoformat() if f.when else None},
                             ensure_ascii=False))
        else:
            print(f.line())
    still = sum(1 for f in items if not f.replaced)
    done = len(items) - still
    print(f"{still} flagged span(s) open" + (f", {done} re-placed" if done else "")
          + ("; re-place them in the window (the Flagged tab of the report, Ctrl+6)"
             if still else ""), file=sys.stderr)
    return 0


def _undo(project: Project, args: argparse.Namespace) -> int:
    from annotator.core import roles
    from annotator.core.merge_undo import MergeUndoError

    why = roles.refusal("assign", args.identity, identity_role(project, args))
    if why is not None:
        return fail(why.replace("assign, move, unassign, lock or unlock reports",
                                "take back a merge"))
    try:
        summary = project.undo_merge(args.undo)
    except MergeUndoError as exc:
        return fail(str(exc))
    for who in summary.undone:
        print(f"{who}: taken back (the version it stored is in the history)")
    for who, why in summary.kept:
        print(f"{who}: kept as it is, {why}")
    print(summary.line())
    return 0
