"""import and export: files in, the coded dataset out, with a progress bar on a terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.common import fail, quiet_stdout
from annotator.core.io import registry
from annotator.core.project import Project

if TYPE_CHECKING:  # the importer loads when an import runs, not for every command
    from annotator.core.io.importer import FileResult


class Bar:
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


def import_(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.io.importer import ImportSummary
    from annotator.core.io.limits import DEFAULT
    from annotator.core.storage import StorageError

    bar = Bar(None, "file(s)")
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
            quiet_stdout()
        bar.step()

    mapping = None
    if args.map:
        from annotator.core.io.tables import parse_mapping

        try:
            mapping = parse_mapping(args.map)
        except ValueError as exc:
            return fail(str(exc))
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
        return fail(f"import interrupted after {len(heard.files)} file(s); {stored()}")
    except StorageError as exc:
        bar.clear()
        return fail(f"{exc}; {stored()}")
    bar.clear()
    try:
        print(summary.line(), file=sys.stderr if out_closed else sys.stdout, flush=True)
    except BrokenPipeError:
        quiet_stdout()
        print(summary.line(), file=sys.stderr)
    if not summary.files:
        return fail("no importable files found under the given paths")
    return 1 if summary.failed else 0


def export(project: Project, args: argparse.Namespace) -> int:
    fmt = registry.exporter(args.format)
    if args.out == "-" and not fmt.streams:
        return fail(f"--format {fmt.name} needs --out {'FOLDER' if fmt.target != 'file' else 'PATH'}")
    target = None if args.out == "-" else Path(args.out)
    bar = None if target is None else Bar(len(project.reports()), "report(s)")
    records = project.iter_export(args.coder)
    if bar is not None:
        records = (record for record in records if bar.step())
    options = {o.name: getattr(args, o.name) for o in fmt.options}
    try:
        line = fmt.write(registry.ExportJob(records, project.codebook, target, options, sys.stdout))
    except KeyboardInterrupt:
        return fail("export cancelled; nothing was written")
    except (OSError, ValueError, ImportError) as exc:  # ImportError: an optional extra is missing
        return fail(str(exc))
    finally:
        if bar is not None:
            bar.clear()
    if target is None:
        print(line, file=sys.stderr)
    else:
        print(f"{target}: {line}")
    return 0
