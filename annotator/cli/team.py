"""The team: reports with each coder's status, coders and roles, assignments, progress."""

from __future__ import annotations

import argparse
import json

from annotator.cli.common import fail, identity_role
from annotator.core import roles
from annotator.core.project import Project, ProjectError


def reports(project: Project, args: argparse.Namespace) -> int:
    role = identity_role(project, args)
    if roles.codes_blind(role):
        args.coder = args.identity  # a coder sees only their own status
    coder_id = project.coder_id(args.coder) if args.coder else None
    if args.status and coder_id is None:
        return fail("--status needs --coder NAME")
    if roles.codes_blind(role) and coder_id is not None:  # a coder's queue (core/team.py)
        rows = project.queue(coder_id, status=args.status, search=args.search)
    else:
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


def coders(project: Project, args: argparse.Namespace) -> int:
    if getattr(args, "add", None):
        why = roles.refusal("add_coders", args.identity, identity_role(project, args))
        if why is not None:
            return fail(why)
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
    rows = project.coders(counts=True)
    print(f"{'CODER':<20} {'ROLE':<9} {'TODO':>6} {'IN PROGRESS':>12} {'DONE':>6}")
    for c in rows:
        n = c.counts
        print(
            f"{c.name:<20} {c.role:<9} {n.get('todo', 0):>6} "
            f"{n.get('in_progress', 0):>12} {n.get('done', 0):>6}"
        )
    print(f"{len(rows)} coder(s)")
    return 0


def report_ids(project: Project, args: argparse.Namespace) -> list[int] | None:
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


def assign(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.assignments import Assign, MoveAssignments, Unassign

    why = roles.refusal("assign", args.identity, identity_role(project, args))
    if why is not None:
        return fail(why)
    if args.lock or args.unlock or args.pool:
        return _assign_team(project, args)
    ids = report_ids(project, args)
    if args.move:
        if not args.to:
            return fail("--move FROM needs --to CODER")
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
        return fail("assign needs --coders A,B,... (or --move / --unassign)")
    names = [n.strip() for n in args.coders.split(",") if n.strip()]
    coder_ids = [project.coder_id(n, create=True) for n in names]
    if ids is None:
        ids = [r.id for r in project.reports()]
    share = project.settings().double_coding_share if args.share is None else args.share
    cmd = Assign(ids, coder_ids, share, args.seed, also=args.also)
    project.run(cmd)
    doubles = len(cmd.planned) - len({r for r, _ in cmd.planned})
    per = {n: sum(1 for _, c in cmd.planned if c == i) for n, i in zip(names, coder_ids, strict=True)}
    print(f"assigned {len({r for r, _ in cmd.planned})} report(s), {doubles} double-coded; "
          + ", ".join(f"{n}: {k}" for n, k in per.items())
          + (f"; {cmd.skipped} already assigned, left as they are" if cmd.skipped else ""))
    if args.also and ids and not cmd.planned:
        print("nothing to assign: every report named has those coders already")
    return 0


def _assign_team(project: Project, args: argparse.Namespace) -> int:
    """--pool on|off, --lock IDS, --unlock IDS (core/team.py, core/locks.py)."""
    from annotator.core.locks import Lock, Unlock
    from annotator.core.team import SetTeamSettings, TeamSettings

    if args.pool:
        project.run(SetTeamSettings(TeamSettings(unassigned_pool=args.pool == "on")))
        print("coders' queues show " + ("their reports and the unassigned pool"
                                        if args.pool == "on" else "only their reports"))
    for cmd_type, wanted in ((Lock, args.lock), (Unlock, args.unlock)):
        if wanted:
            args.reports = wanted
            cmd = cmd_type(report_ids(project, args) or [])
            project.run(cmd)
            print(f"{'locked' if cmd_type is Lock else 'unlocked'} {len(cmd.changed)} report(s)"
                  f"; {len(cmd.report_ids) - len(cmd.changed)} already so")
    return 0


def progress(project: Project, args: argparse.Namespace) -> int:
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
    per_day = result.per_day()
    if per_day:
        names = [c.name for c in result.coders]
        print("\nDONE PER DAY (UTC)  " + "  ".join(f"{n:>8}" for n in names)
              + "  DOUBLE-CODED DONE  SHARE")
        for row in per_day:
            day_share = row["double_coded_share_done"]
            print(f"{row['day']:<19} " + "  ".join(f"{row['done'][n]:>8}" for n in names)
                  + f"  {row['double_coded_done']:>17}  "
                  + ("-" if day_share is None else f"{day_share:.0%}"))
    return 0
