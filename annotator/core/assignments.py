"""Assignments: which coder codes which report, and how far everyone is.

An assignment row (report x coder) with a status exists once a report is assigned to a coder or
the coder starts coding it. ``plan_assignments`` is pure: every report gets one coder and a
``share`` of them a second one, balanced over the coders and the coder pairs, the same plan for
the same seed. The commands store plans, move and withdraw assignments (undoable like every
command); ``progress`` counts them.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core.commands.base import Changes, Command, CommandError, Context, Row, refused
from annotator.core.models import assignment_t, coder_t, utcnow
from annotator.core.team import mark_assignments_used

__all__ = [
    "Assign",
    "CoderProgress",
    "MoveAssignments",
    "Progress",
    "Unassign",
    "plan_assignments",
    "progress",
]


def plan_assignments(
    report_ids: Sequence[int], coder_ids: Sequence[int], share: float = 0.0, seed: int = 0
) -> list[tuple[int, int]]:
    """(report, coder) pairs: each report one coder, ``round(share * n)`` reports two.

    Balanced: the coders' loads differ by at most one, and the double-coded reports spread over
    every pair of coders as evenly as the loads allow. Reproducible: the same inputs and seed
    give the same plan.
    """
    if not coder_ids:
        raise CommandError("assign needs at least one coder")
    if not 0.0 <= share <= 1.0:
        raise CommandError(f"the double-coded share must be between 0 and 1, not {share}")
    coders = sorted(set(coder_ids))
    if share > 0 and len(coders) < 2:
        raise CommandError("double coding needs at least two coders")
    rng = random.Random(seed)
    reports = sorted(set(report_ids))
    rng.shuffle(reports)
    order = {c: i for i, c in enumerate(rng.sample(coders, len(coders)))}  # seeded tie-break
    load: Counter[int] = Counter()
    pair_load: Counter[tuple[int, int]] = Counter()
    pairs = list(combinations(coders, 2))
    doubles = round(share * len(reports))
    plan: list[tuple[int, int]] = []
    for i, rid in enumerate(reports):
        if i < doubles:
            a, b = min(
                pairs,
                key=lambda p: (max(load[p[0]], load[p[1]]), load[p[0]] + load[p[1]],
                               pair_load[p], order[p[0]] + order[p[1]], order[p[0]]),
            )
            pair_load[(a, b)] += 1
            chosen = [a, b]
        else:
            chosen = [min(coders, key=lambda c: (load[c], order[c]))]
        for c in chosen:
            load[c] += 1
            plan.append((rid, c))
    return plan


def _assigned(conn: Connection, report_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """report -> the coders (not gold) with an assignment row there."""
    a = assignment_t
    q = (
        select(a.c.report_id, a.c.coder_id)
        .join(coder_t, coder_t.c.id == a.c.coder_id)
        .where(coder_t.c.role != "gold")
    )
    out: dict[int, set[int]] = defaultdict(set)
    wanted = None if report_ids is None else set(report_ids)
    for rid, cid in conn.execute(q):
        if wanted is None or int(rid) in wanted:
            out[int(rid)].add(int(cid))
    return out


class Assign(Command):
    """Assign reports to coders by :func:`plan_assignments`. Reports that already have an
    assignment (someone assigned or coding them) are left as they are (``skipped``); with
    ``also``, only the reports one of these coders has already are (the lead adding a coder to
    reports others code: double coding by hand)."""

    reviewer_action = True

    def __init__(self, report_ids: Sequence[int], coder_ids: Sequence[int], share: float = 0.0,
                 seed: int = 0, *, also: bool = False) -> None:
        self.report_ids, self.coder_ids = list(report_ids), list(coder_ids)
        self.share, self.seed, self.also = share, seed, also
        self.label = "Assign reports"
        self.created: list[int] = []  # assignment row ids
        self.planned: list[tuple[int, int]] = []
        self.skipped = 0
        self._was_used = True  # the project used assignments before this command

    def do(self, conn: Connection, ctx: Context) -> Changes:
        if not self.planned:
            taken = _assigned(conn, self.report_ids)
            mine = set(self.coder_ids)
            free = [r for r in self.report_ids
                    if not (mine & set(taken.get(r, ())) if self.also else taken.get(r))]
            self.skipped = len(set(self.report_ids)) - len(set(free))
            self.planned = plan_assignments(free, self.coder_ids, self.share, self.seed)
        now = utcnow()
        rows = [
            {"report_id": r, "coder_id": c, "status": "todo", "created_at": now,
             "updated_at": now}
            for r, c in self.planned
        ]
        a = assignment_t
        self.created = []
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            result = conn.execute(a.insert().returning(a.c.id), chunk)
            self.created += [int(i) for i in result.scalars()]
        # from now on coders' queues show what is assigned to them (annotator.core.team)
        self._was_used = mark_assignments_used(conn, True)
        return Changes(self.label, statuses=set(self.planned), structure=True)

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        _delete_todo(conn, self.created, self.label)
        if not self._was_used:
            mark_assignments_used(conn, False)
        return Changes(self.label, statuses=set(self.planned), structure=True)


def _delete_todo(conn: Connection, ids: Sequence[int], label: str) -> None:
    a = assignment_t
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        started = conn.execute(
            select(a.c.id).where(a.c.id.in_(chunk), a.c.status != "todo").limit(1)
        ).first()
        if started is not None:
            raise refused(f"Undo of '{label}'", "assignment (a coder started)")
        conn.execute(a.delete().where(a.c.id.in_(chunk)))


class MoveAssignments(Command):
    """Give ``from_coder``'s not yet started (todo) assignments to ``to_coder``. Reports the
    target already has, or that the first coder has started, stay where they are."""

    reviewer_action = True

    def __init__(self, from_coder: int, to_coder: int,
                 report_ids: Sequence[int] | None = None) -> None:
        if from_coder == to_coder:
            raise CommandError("moving assignments needs two different coders")
        self.from_coder, self.to_coder = from_coder, to_coder
        self.report_ids = None if report_ids is None else list(report_ids)
        self.label = "Move assignments"
        self.moved: list[Row] = []  # id, report_id
        self.kept = 0

    def do(self, conn: Connection, ctx: Context) -> Changes:
        a = assignment_t
        mine = conn.execute(
            select(a.c.id, a.c.report_id, a.c.status).where(a.c.coder_id == self.from_coder)
        ).all()
        theirs = {
            int(r) for (r,) in conn.execute(
                select(a.c.report_id).where(a.c.coder_id == self.to_coder))
        }
        wanted = None if self.report_ids is None else set(self.report_ids)
        self.moved, self.kept = [], 0
        for aid, rid, status in mine:
            if wanted is not None and int(rid) not in wanted:
                continue
            if status != "todo" or int(rid) in theirs:
                self.kept += 1
                continue
            self.moved.append({"id": int(aid), "report_id": int(rid)})
        self._set_coder(conn, self.to_coder, self.from_coder)
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        self._set_coder(conn, self.from_coder, self.to_coder)
        return self._changes()

    def _set_coder(self, conn: Connection, coder: int, expected: int) -> None:
        a = assignment_t
        now = utcnow()
        for m in self.moved:
            result = conn.execute(
                a.update()
                .where(a.c.id == m["id"], a.c.coder_id == expected, a.c.status == "todo")
                .values(coder_id=coder, updated_at=now, version=a.c.version + 1)
            )
            if result.rowcount != 1:
                raise refused(self.label, "assignment")

    def _changes(self) -> Changes:
        rids = {m["report_id"] for m in self.moved}
        return Changes(self.label, statuses={(r, c) for r in rids
                                             for c in (self.from_coder, self.to_coder)})


class Unassign(Command):
    """Withdraw a coder's not yet started (todo) assignments (all, or of ``report_ids``);
    started or finished ones are kept: their work is never dropped."""

    reviewer_action = True

    def __init__(self, coder_id: int, report_ids: Sequence[int] | None = None) -> None:
        self.coder_id = coder_id
        self.report_ids = None if report_ids is None else list(report_ids)
        self.label = "Unassign reports"
        self.removed: list[Row] = []
        self.kept = 0

    def do(self, conn: Connection, ctx: Context) -> Changes:
        a = assignment_t
        rows = conn.execute(select(a).where(a.c.coder_id == self.coder_id)).mappings().all()
        wanted = None if self.report_ids is None else set(self.report_ids)
        self.removed, self.kept = [], 0
        for r in rows:
            if wanted is not None and int(r["report_id"]) not in wanted:
                continue
            if r["status"] != "todo":
                self.kept += 1
            else:
                self.removed.append(dict(r))
        ids = [int(r["id"]) for r in self.removed]
        for start in range(0, len(ids), 500):
            conn.execute(a.delete().where(a.c.id.in_(ids[start : start + 500]),
                                          a.c.status == "todo"))
        return self._changes()

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if self.removed:
            conn.execute(assignment_t.insert(), self.removed)
        return self._changes()

    def _changes(self) -> Changes:
        return Changes(self.label,
                       statuses={(int(r["report_id"]), self.coder_id) for r in self.removed})


@dataclass(frozen=True)
class CoderProgress:
    name: str
    role: str
    todo: int = 0
    in_progress: int = 0
    done: int = 0
    done_per_day: Mapping[str, int] = field(default_factory=dict)  # YYYY-MM-DD (UTC) -> n
    double_coded: int = 0  # of their reports, the double-coded ones
    double_coded_done: int = 0  # of those, the ones they finished


@dataclass(frozen=True)
class Progress:
    coders: list[CoderProgress]
    double_coded: int  # reports assigned to two or more coders
    double_coded_done: int  # of those, the ones every assigned coder finished
    #: day (UTC) -> double-coded reports whose last coder finished them that day
    double_coded_done_per_day: Mapping[str, int] = field(default_factory=dict)

    @property
    def double_coded_share_done(self) -> float | None:
        return self.double_coded_done / self.double_coded if self.double_coded else None

    def days(self) -> list[str]:
        """Every day (UTC, oldest first) on which someone finished a report."""
        found = set(self.double_coded_done_per_day)
        for c in self.coders:
            found |= set(c.done_per_day)
        return sorted(found)

    def per_day(self) -> list[dict[str, Any]]:
        """One row per day: reports each coder finished that day, the double-coded reports
        finished that day and the share of the double-coded reports done by the end of it."""
        out, total = [], 0
        for day in self.days():
            n = self.double_coded_done_per_day.get(day, 0)
            total += n
            out.append({"day": day,
                        "done": {c.name: c.done_per_day.get(day, 0) for c in self.coders},
                        "double_coded_done": n,
                        "double_coded_share_done": (total / self.double_coded
                                                    if self.double_coded else None)})
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "coders": {c.name: {"role": c.role, "todo": c.todo, "in_progress": c.in_progress,
                                "done": c.done, "done_per_day": dict(c.done_per_day),
                                "double_coded": c.double_coded,
                                "double_coded_done": c.double_coded_done}
                       for c in self.coders},
            "double_coded": {"reports": self.double_coded, "done": self.double_coded_done,
                             "share_done": self.double_coded_share_done,
                             "done_per_day": dict(self.double_coded_done_per_day)},
            "days": self.per_day(),
        }


def _day(value: Any) -> str:
    """The day (UTC) of a date or datetime, or of its ISO text (SQLite's date())."""
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def progress(conn: Connection) -> Progress:
    """Per coder (not gold) the assignments to do, in progress and done, done per day; and the
    double-coded reports (two or more coders assigned) every assigned coder has finished, in
    all and per day. One grouped scan counts every coder's statuses and days; only the
    double-coded reports' assignment rows are read (benchmarks/bench_progress.py)."""
    a = assignment_t
    coders = {int(i): (str(n), str(r)) for i, n, r in conn.execute(
        select(coder_t.c.id, coder_t.c.name, coder_t.c.role).where(coder_t.c.role != "gold"))}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    per_day: dict[int, Counter[str]] = defaultdict(Counter)
    day = func.date(a.c.updated_at)
    for cid, status, d, n in conn.execute(
            select(a.c.coder_id, a.c.status, day, func.count())
            .group_by(a.c.coder_id, a.c.status, day)):
        if int(cid) not in coders:
            continue  # gold
        counts[int(cid)][str(status)] += int(n)
        if status == "done" and d is not None:
            per_day[int(cid)][_day(d)] += int(n)
    people = select(coder_t.c.id).where(coder_t.c.role != "gold")
    doubled = (select(a.c.report_id).where(a.c.coder_id.in_(people))
               .group_by(a.c.report_id).having(func.count() >= 2))
    per_report: dict[int, list[tuple[int, bool, Any]]] = defaultdict(list)
    for rid, cid, status, updated in conn.execute(
            select(a.c.report_id, a.c.coder_id, a.c.status, a.c.updated_at)
            .where(a.c.report_id.in_(doubled), a.c.coder_id.in_(people))):
        per_report[int(rid)].append((int(cid), status == "done", updated))
    double_days: Counter[str] = Counter()
    per_coder_double: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    doubles_done = 0
    for rows in per_report.values():
        for cid, done, _ in rows:
            per_coder_double[cid][0] += 1
            per_coder_double[cid][1] += done
        if all(done for _, done, _ in rows):
            doubles_done += 1
            last = max(u for _, _, u in rows)
            double_days[_day(last)] += 1
    out = [
        CoderProgress(name, role, counts[cid]["todo"], counts[cid]["in_progress"],
                      counts[cid]["done"], dict(sorted(per_day[cid].items())),
                      *per_coder_double.get(cid, (0, 0)))
        for cid, (name, role) in sorted(coders.items(), key=lambda kv: kv[1][0])
    ]
    return Progress(out, len(per_report), doubles_done, dict(sorted(double_days.items())))
