"""codebook validate, show, upgrade, marks and doc."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import fail, identity_role
from annotator.core.codebook import CodebookError, load_codebook
from annotator.core.io.atomic import atomic_text_file
from annotator.core.project import Project


def validate(path: Path) -> int:
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


def show(project: Project, args: argparse.Namespace) -> int:
    if args.codebook_command == "doc":
        return doc(project.codebook, args)
    if args.codebook_command == "upgrade":
        return upgrade(project, args)
    if args.codebook_command == "marks":
        return marks(project)
    print(project.codebook.to_json())
    return 0


def upgrade(project: Project, args: argparse.Namespace) -> int:
    from annotator.core import backup
    from annotator.core import codebook_upgrade as cu
    from annotator.core.userconfig import load_user_config

    if identity_role(project, args) == "coder":
        return fail(f"{args.identity} is a coder: a codebook upgrade needs a reviewer")
    new = load_codebook(args.file)
    try:
        mapping = cu.parse_map_file(args.map) if args.map else cu.UpgradeMap()
        cu.parse_rename(args.rename, mapping)
        cu.parse_merge(args.merge, mapping)
        plan = project.plan_upgrade(new, mapping)
    except cu.UpgradeError as exc:
        return fail(str(exc))
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
            return fail(f"{exc}; nothing was changed")
        print(f"no backup taken: {exc}", file=sys.stderr)
    cmd = cu.UpgradeCodebook(plan)
    project.run(cmd)
    print(f"{project.location}: now codebook {project.codebook.ref}; {cmd.migrated} item(s) "
          f"migrated, {cmd.marked} marked (annotator codebook marks)")
    if saved:
        print(f"undo: annotator --db {project.location} restore {saved.path}")
    return 0


def marks(project: Project) -> int:
    import json

    marks = project.codebook_marks()
    for m in marks:
        kept = f"  kept: {json.dumps(m.kept, ensure_ascii=False)}" if m.kept else ""
        print(f"{m.report:<30} {m.coder:<12} {m.kind:<9} {m.type:<16} {m.text[:30]!r:<32} {m.reason}{kept}")
    print(f"{len(marks)} marked item(s)")
    return 0


def doc(codebook: object, args: argparse.Namespace) -> int:
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
