"""backup, restore and copy: the project's rotating backups and a complete single-file copy."""

from __future__ import annotations

import argparse

from annotator.cli.common import fail


def handle(args: argparse.Namespace) -> int:
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
                    return fail(f"{location}: no backups in {backup.backup_folder(location)}")
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
                return fail(f"{location}: no such project database")
            made = backup.make_backup(location, reason="manual", keep=keep)
            print(f"{made.path}: backup of {location} ({made.size / 1024:.0f} KiB, newest {keep} kept)")
    except backup.BackupError as exc:
        return fail(str(exc))
    return 0
