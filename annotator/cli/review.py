"""agreement and adjudicate: comparing the coders and deciding into gold."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import fail
from annotator.core.commands import AcceptUnanimous
from annotator.core.project import Project


def agreement(project: Project, args: argparse.Namespace) -> int:
    import json

    from annotator.core.agreement import compute_agreement
    from annotator.core.agreement.report import html_report, text_table, write_csv

    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    reports = [r.strip() for r in args.reports.split(",") if r.strip()] if args.reports else None
    mix = project.version_mix()
    if mix.incompatible and not args.across_versions:
        return fail(mix.message())
    try:
        data = project.agreement_data(coders, reports)
    except ValueError as exc:
        return fail(str(exc))
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


def adjudicate(project: Project, args: argparse.Namespace) -> int:
    from annotator.core import review

    reports = [r.strip() for r in args.reports.split(",") if r.strip()] if args.reports else None
    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    rows = project.reports()
    ids = [r.id for r in rows if reports is None or r.external_id in reports]
    ext = {r.id: r.external_id for r in rows}
    if args.accept_unanimous:
        if not args.identity:
            return fail("--accept-unanimous needs --as REVIEWER (who decides is recorded)")
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
