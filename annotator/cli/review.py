"""agreement and adjudicate: comparing the coders and deciding into gold."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import fail
from annotator.core.project import Project


def agreement(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.agreement.report import html_report, text_table, write_csv, write_json

    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    reports = [r.strip() for r in args.reports.split(",") if r.strip()] if args.reports else None
    mix = project.version_mix()
    if mix.incompatible and not args.across_versions:
        return fail(mix.message())
    try:
        # a chunk of reports at a time, the disagreements to a temporary file: bounded memory
        result = project.agreement(coders, reports, every_coder=args.all_done, seed=args.seed,
                                   resamples=args.resamples).to_json()
    except ValueError as exc:
        return fail(str(exc))
    if args.json:
        write_json(result, sys.stdout)
    else:
        print(text_table(result))
    if args.html:
        args.html.write_text(html_report(result), encoding="utf-8")
        print(f"{args.html}: HTML report written", file=sys.stderr)
    if args.csv:
        for path in write_csv(result, args.csv):
            print(f"{path}: written", file=sys.stderr)
    return 0


def adjudicate(project: Project, args: argparse.Namespace) -> int:
    reports = [r.strip() for r in args.reports.split(",") if r.strip()] if args.reports else None
    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    ext = project.report_names()
    ids = sorted(i for i, e in ext.items() if reports is None or e in reports)
    if args.accept_unanimous:
        if not args.identity:
            return fail("--accept-unanimous needs --as REVIEWER (who decides is recorded)")
        from annotator.core.commands import AcceptUnanimous  # the alignment code: only here

        cmd = AcceptUnanimous(args.identity, ids, coders)
        project.run(cmd)
        print(f"accepted {cmd.accepted} unanimous item(s) into gold")
    if args.status or not args.accept_unanimous:
        total_open = open_reports = 0
        # a batch of reports at a time (Project.review_status): bounded memory at any size
        for rid, (n, disagreements, still_open) in project.review_status(ids, coders):
            total_open += still_open
            open_reports += 1 if still_open else 0
            state = "gold-done" if disagreements and not still_open else ""
            print(f"{ext[rid]:<40} {n:>5} items {disagreements:>5} disagreements {still_open:>5} open  {state}")
        print(f"{total_open} disagreement(s) open in {open_reports} report(s)")
    return 0
