"""init, check and the window: making a project, checking its file, opening it."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import fail
from annotator.core.codebook import load_codebook
from annotator.core.project import Project


def init(args: argparse.Namespace) -> int:
    codebook = load_codebook(args.codebook) if args.codebook else None
    if getattr(args, "codebook_from_brat", None):
        from annotator.core.codebook import parse_codebook
        from annotator.core.io.brat_conf import ConfError
        from annotator.core.io.brat_format import codebook_from_brat_conf

        conf = args.codebook_from_brat
        try:
            codebook = parse_codebook(codebook_from_brat_conf(conf), str(conf))
        except ConfError as exc:
            return fail(f"error: {exc}")
    if getattr(args, "codebook_from_wikievents", None):
        from annotator.core.codebook import parse_codebook
        from annotator.core.io.wikievents import wikievents_codebook

        try:
            raw = wikievents_codebook(args.codebook_from_wikievents)
        except (OSError, UnicodeDecodeError) as exc:
            return fail(f"error: cannot read {exc}")
        codebook = parse_codebook(raw, "WikiEvents files")
    project = Project.open(args.db, codebook=codebook, with_example=args.example,
                           starter_actors=not args.no_starter_actors)
    try:
        print(f"{project.location}: project ready with codebook {project.codebook.ref}")
    finally:
        project.close()
    return 0


def check(args: argparse.Namespace) -> int:
    """annotator check: the whole file, reported problem by problem (read only)."""
    from sqlalchemy.exc import DBAPIError

    project = Project.open(args.db, create=False, verify=False)
    try:
        try:
            problems = project.check(lambda what: print(f"checking {what} ...", file=sys.stderr))
        except DBAPIError as exc:
            return fail(f"{project.location}: the project file is damaged: it cannot be read "
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


def missing_project(args: argparse.Namespace) -> str | None:
    """Why the project --db (or $ANNOTATOR_DB, or the default) names is refused: it is not
    there, and only ``init`` makes one (annotator/core/projects.py)."""
    from annotator.core.projects import missing_project as why_missing

    return why_missing(args.db)


def gui(args: argparse.Namespace) -> int:
    from annotator.startup import check_qt_platform

    missing = check_qt_platform()  # before Qt is loaded: it would abort with its own message
    if missing is not None:
        print(missing.message(), file=sys.stderr)
        return 1
    try:
        from annotator.gui.app import run  # Qt only here: the rest of the CLI runs without it
    except ImportError as exc:
        return fail(f"the window needs PySide6 ({exc}); install it with: pip install annotator")
    return run(args.db, coder=getattr(args, "coder", None))
