"""Adjudication commands: a reviewer's decision on a review item, and accepting every
unanimous item, both copying the coders' versions into the gold layer with provenance.

The reads (aligned review items, what is open) live in annotator.core.review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from annotator.core.agreement.align import align_spans, span_group_index
from annotator.core.agreement.data import ClaimItem, SpanItem, load_dataset
from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.commands.base import (
    Changes,
    Command,
    CommandError,
    Context,
    bulk_insert,
    insert_returning_ids,
)
from annotator.core.gcpause import without_gc
from annotator.core.models import (
    assignment_t,
    claim_t,
    decision_t,
    inserted_id,
    provenance_t,
    report_t,
    slot_fill_t,
    span_t,
    utcnow,
)
from annotator.core.naming import first_free
from annotator.core.review import ReviewItem, gold_coder_id, review_items

__all__ = ["AcceptUnanimous", "Decide"]


class _GoldKeys:
    """Keys for gold copies: ``coder.key``, or ``coder.key~2``, ``~3``... when the gold layer
    already holds that key in the report (a gold layer imported or merged from elsewhere), since
    a clash would refuse the whole decision, or every report of accept-unanimous. The keys taken
    are read once per table: of one report, or of the whole gold layer (``report_id`` None)."""

    def __init__(self, conn: Connection, gold: int, report_id: int | None = None) -> None:
        self.conn, self.gold, self.report_id = conn, gold, report_id
        self._taken: dict[str, dict[int, set[str]]] = {}

    def take(self, table: Any, report_id: int, wanted: str) -> str:
        by_report = self._taken.get(table.name)
        if by_report is None:
            q = select(table.c.report_id, table.c.key).where(table.c.coder_id == self.gold)
            if self.report_id is not None:
                q = q.where(table.c.report_id == self.report_id)
            by_report = self._taken[table.name] = {}
            for rid, k in self.conn.execute(q):
                by_report.setdefault(int(rid), set()).add(str(k))
        taken = by_report.setdefault(report_id, set())
        key = first_free(wanted, taken, sep="~")
        taken.add(key)
        return key


class _GoldWriter:
    """Copies coders' spans and claims into the gold layer of one report, with provenance."""

    def __init__(self, conn: Connection, ctx: Context, report_id: int, reviewer: str,
                 action: str, rationale: str | None,
                 group_of: dict[tuple[str, str], int] | None = None,
                 keys: _GoldKeys | None = None) -> None:
        self.group_of = group_of or {}
        self.conn, self.ctx, self.report_id = conn, ctx, report_id
        self.reviewer, self.action, self.rationale = reviewer, action, rationale
        gid = gold_coder_id(conn)
        assert gid is not None
        self.gold = gid
        self.keys = keys or _GoldKeys(conn, gid, report_id)
        self.span_ids: list[int] = []
        self.claim_ids: list[int] = []
        self.now = utcnow()
        # gold spans already copied from a coder's span: (coder, key) -> gold span id
        self.copied: dict[tuple[str, str], int] = {}
        q = (select(provenance_t.c.from_coder, provenance_t.c.from_key, span_t.c.id)
             .join(span_t, span_t.c.id == provenance_t.c.span_id)
             .where(span_t.c.report_id == report_id, span_t.c.coder_id == self.gold))
        for coder, key, sid in conn.execute(q):
            if coder and key:
                self.copied[(str(coder), str(key))] = int(sid)
    def _provenance(self, coder: str | None, key: str | None, **item: int) -> dict[str, Any]:
        return {"span_id": item.get("span_id"), "claim_id": item.get("claim_id"),
                "from_coder": coder, "from_key": key, "action": self.action,
                "decided_by": self.reviewer, "decided_at": self.now, "rationale": self.rationale}

    def span(self, coder: str, s: SpanItem, reuse_group: bool = False) -> int:
        if (coder, s.id) in self.copied:
            return self.copied[(coder, s.id)]
        if reuse_group and (coder, s.id) in self.group_of:
            # evidence of a claim: the gold copy of any coder's span in the same group will do
            group = self.group_of[(coder, s.id)]
            for (other, key), gid in self.copied.items():
                if self.group_of.get((other, key)) == group:
                    return gid
        sid = inserted_id(self.conn.execute(span_t.insert().values(
            report_id=self.report_id, coder_id=self.gold,
            key=self.keys.take(span_t, self.report_id, f"{coder}.{s.id}"), type=s.type,
            start=s.start, end=s.end, text=s.text, attributes=dict(s.attributes),
            codebook_id=self.ctx.codebook_id, created_at=self.now, updated_at=self.now)))
        self.conn.execute(provenance_t.insert().values(**self._provenance(coder, s.id, span_id=sid)))
        self.copied[(coder, s.id)] = sid
        self.span_ids.append(sid)
        return sid

    def claim(self, coder: str, c: ClaimItem, spans: dict[str, SpanItem]) -> int:
        cid = inserted_id(self.conn.execute(claim_t.insert().values(
            report_id=self.report_id, coder_id=self.gold,
            key=self.keys.take(claim_t, self.report_id, f"{coder}.{c.id}"), type=c.type,
            attributes=dict(c.attributes), codebook_id=self.ctx.codebook_id,
            created_at=self.now, updated_at=self.now)))
        self.conn.execute(provenance_t.insert().values(**self._provenance(coder, c.id, claim_id=cid)))
        self.claim_ids.append(cid)
        fills = []
        for slot, value in c.slots.items():
            if value == NOT_REPORTED or isinstance(value, str):
                fills.append({"claim_id": cid, "slot": slot, "position": 0, "span_id": None,
                              "not_reported": True})
                continue
            for pos, key in enumerate(value):
                s = spans.get(key)
                if s is None:
                    continue
                fills.append({"claim_id": cid, "slot": slot, "position": pos,
                              "span_id": self.span(coder, s, reuse_group=True),
                              "not_reported": False})
        if fills:
            self.conn.execute(slot_fill_t.insert(), fills)
        return cid

    def remove(self) -> None:
        if self.claim_ids:
            self.conn.execute(delete(claim_t).where(claim_t.c.id.in_(self.claim_ids)))
        if self.span_ids:
            self.conn.execute(delete(span_t).where(span_t.c.id.in_(self.span_ids)))


def _set_gold_status(conn: Connection, report_id: int, gold: int, done: bool) -> None:
    a = assignment_t
    status = "done" if done else "in_progress"
    row = conn.execute(select(a.c.id).where(a.c.report_id == report_id, a.c.coder_id == gold)).first()
    now = utcnow()
    if row is None:
        conn.execute(a.insert().values(report_id=report_id, coder_id=gold, status=status,
                                       created_at=now, updated_at=now))
    else:
        conn.execute(a.update().where(a.c.id == row[0]).values(status=status, updated_at=now))


def _set_gold_statuses(conn: Connection, gold: int, done: dict[int, bool]) -> None:
    """:func:`_set_gold_status` for many reports in a few statements (one insert for the
    reports gold has no row for, one update per status)."""
    if not done:
        return
    a = assignment_t
    have: dict[int, int] = {}
    ids = sorted(done)
    for first in range(0, len(ids), 500):  # bounded variables per statement
        chunk = ids[first:first + 500]
        have.update((int(r), int(i)) for r, i in conn.execute(
            select(a.c.report_id, a.c.id).where(a.c.coder_id == gold, a.c.report_id.in_(chunk))))
    now = utcnow()
    new = [{"report_id": rid, "coder_id": gold, "status": "done" if d else "in_progress",
            "created_at": now, "updated_at": now} for rid, d in done.items() if rid not in have]
    if new:
        conn.execute(a.insert(), new)
    for status, flag in (("done", True), ("in_progress", False)):
        rows = [have[rid] for rid, d in done.items() if d is flag and rid in have]
        for first in range(0, len(rows), 500):
            conn.execute(a.update().where(a.c.id.in_(rows[first:first + 500]))
                         .values(status=status, updated_at=now))


def _coder_spans(conn: Connection, codebook: Codebook, report_id: int, coder: str) -> dict[str, SpanItem]:
    ext = conn.execute(select(report_t.c.external_id).where(report_t.c.id == report_id)).scalar_one()
    data = load_dataset(conn, codebook, [coder], [ext])
    return {s.id: s for s in data.spans}


def _group_index(conn: Connection, codebook: Codebook, report_id: int,
                 coders: Sequence[str] | None) -> dict[tuple[str, str], int]:
    ext = conn.execute(select(report_t.c.external_id).where(report_t.c.id == report_id)).scalar_one()
    data = load_dataset(conn, codebook, coders, [ext])
    return span_group_index(align_spans(list(data.spans)))


class Decide(Command):
    """Decide one review item: take a coder's version (accepted, or edited: taken to be edited
    in the gold layer), every version (accepted_both), or none (rejected)."""

    reviewer_action = True

    def __init__(self, item: ReviewItem, action: str, reviewer: str, coder: str | None = None,
                 rationale: str | None = None, coders: Sequence[str] | None = None) -> None:
        if action not in ("accepted", "accepted_both", "rejected", "edited"):
            raise CommandError(f"unknown decision '{action}'")
        if action in ("accepted", "edited") and coder not in item.versions:
            raise CommandError(f"coder '{coder}' has no version of this item")
        self.item, self.action, self.reviewer = item, action, reviewer
        self.coder, self.rationale = coder, (rationale or None)
        self.coders = list(coders) if coders else sorted(item.versions)
        names = {"accepted": f"Accept {coder}'s version", "accepted_both": "Accept every version",
                 "rejected": "Reject", "edited": f"Take {coder}'s version to edit"}
        self.label = names[action]
        self._decision_id: int | None = None
        self._writer: _GoldWriter | None = None
        self._old_status: tuple[int, str | None] | None = None
        self.gold_span_ids: list[int] = []
        self.gold_claim_ids: list[int] = []

    def do(self, conn: Connection, ctx: Context) -> Changes:
        rid = self.item.report_id
        if conn.execute(select(decision_t.c.id).where(
                decision_t.c.report_id == rid, decision_t.c.item_key == self.item.key)).first():
            raise CommandError("this item is already decided (undo that decision first)")
        writer = _GoldWriter(conn, ctx, rid, self.reviewer, self.action, self.rationale,
                             _group_index(conn, ctx.codebook, rid, self.coders))
        takers = ([self.coder] if self.action in ("accepted", "edited")
                  else sorted(self.item.versions) if self.action == "accepted_both" else [])
        for coder in takers:
            assert coder is not None
            version = self.item.versions[coder]
            if isinstance(version, SpanItem):
                writer.span(coder, version)
            else:
                writer.claim(coder, version, _coder_spans(conn, ctx.codebook, rid, coder))
        self._writer = writer
        self.gold_span_ids, self.gold_claim_ids = writer.span_ids, writer.claim_ids
        self._decision_id = inserted_id(conn.execute(decision_t.insert().values(
            report_id=rid, item_key=self.item.key, kind=self.item.kind, action=self.action,
            coder=self.coder, decided_by=self.reviewer, decided_at=utcnow(),
            rationale=self.rationale)))
        a = assignment_t
        old = conn.execute(select(a.c.id, a.c.status).where(
            a.c.report_id == rid, a.c.coder_id == writer.gold)).first()
        self._old_status = (writer.gold, None if old is None else str(old[1]))
        left = [i for i in review_items(conn, ctx.codebook, [rid], self.coders)[rid] if i.open]
        _set_gold_status(conn, rid, writer.gold, done=not left)
        return Changes(self.label, reports={rid}, statuses={(rid, writer.gold)})

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        rid = self.item.report_id
        if self._writer is not None:
            self._writer.conn = conn
            self._writer.remove()
        conn.execute(delete(decision_t).where(decision_t.c.id == self._decision_id))
        if self._old_status is not None:
            gold, status = self._old_status
            a = assignment_t
            if status is None:
                conn.execute(delete(a).where(a.c.report_id == rid, a.c.coder_id == gold))
            else:
                conn.execute(a.update().where(a.c.report_id == rid, a.c.coder_id == gold)
                             .values(status=status))
        return Changes(self.label, reports={rid})


class AcceptUnanimous(Command):
    """Accept every agreed, undecided item of the given reports (default: the whole project)
    into gold in one step, with bulk inserts."""

    reviewer_action = True

    def __init__(self, reviewer: str, report_ids: Sequence[int] | None = None,
                 coders: Sequence[str] | None = None) -> None:
        self.reviewer, self.report_ids = reviewer, report_ids
        self.coders = coders
        self.label = "Accept unanimous items"
        self.accepted = 0
        self._span_ids: list[int] = []
        self._claim_ids: list[int] = []
        self._decision_ids: list[int] = []
        self._statuses: list[tuple[int, int, str | None]] = []

    @without_gc  # hundreds of thousands of rows and items, none in a cycle
    def do(self, conn: Connection, ctx: Context) -> Changes:
        gold = gold_coder_id(conn)
        assert gold is not None
        items = review_items(conn, ctx.codebook, self.report_ids, self.coders)
        now = utcnow()
        keys = _GoldKeys(conn, gold)
        span_rows: list[dict[str, Any]] = []
        span_prov: list[tuple[str, str]] = []
        decisions: list[dict[str, Any]] = []
        claim_jobs: list[tuple[int, str, ClaimItem]] = []
        for rid, its in items.items():
            for it in its:
                if not it.agreed or it.decision is not None:
                    continue
                coder = sorted(it.versions)[0]
                version = it.versions[coder]
                if isinstance(version, SpanItem):
                    span_rows.append({
                        "report_id": rid, "coder_id": gold,
                        "key": keys.take(span_t, rid, f"{coder}.{version.id}"),
                        "type": version.type, "start": version.start, "end": version.end,
                        "text": version.text, "attributes": dict(version.attributes),
                        "codebook_id": ctx.codebook_id, "created_at": now, "updated_at": now})
                    span_prov.append((coder, version.id))
                else:
                    claim_jobs.append((rid, coder, version))
                decisions.append({"report_id": rid, "item_key": it.key, "kind": it.kind,
                                  "action": "accepted_unanimous", "coder": coder,
                                  "decided_by": self.reviewer, "decided_at": now,
                                  "rationale": None})
        if span_rows:
            self._span_ids = insert_returning_ids(conn, span_t, span_rows)
            bulk_insert(conn, provenance_t, [
                {"span_id": sid, "claim_id": None, "from_coder": c, "from_key": k,
                 "action": "accepted_unanimous", "decided_by": self.reviewer, "decided_at": now,
                 "rationale": None} for sid, (c, k) in zip(self._span_ids, span_prov, strict=True)])
        groups: dict[int, dict[tuple[str, str], int]] = {}  # per report, not per claim
        coder_spans: dict[tuple[int, str], dict[str, SpanItem]] = {}
        for rid, coder, claim in claim_jobs:
            if rid not in groups:
                groups[rid] = _group_index(conn, ctx.codebook, rid, self.coders)
            if (rid, coder) not in coder_spans:
                coder_spans[rid, coder] = _coder_spans(conn, ctx.codebook, rid, coder)
            writer = _GoldWriter(conn, ctx, rid, self.reviewer, "accepted_unanimous", None,
                                 groups[rid], keys)
            writer.claim(coder, claim, coder_spans[rid, coder])
            self._claim_ids += writer.claim_ids
            self._span_ids += writer.span_ids
        if decisions:
            self._decision_ids = insert_returning_ids(conn, decision_t, decisions)
        self.accepted = len(decisions)
        a = assignment_t
        old = {int(r): str(s) for r, s in conn.execute(
            select(a.c.report_id, a.c.status).where(a.c.coder_id == gold))}
        done: dict[int, bool] = {}
        for rid, its in items.items():
            self._statuses.append((rid, gold, old.get(rid)))
            done[rid] = not any(i.open for i in its)
        _set_gold_statuses(conn, gold, done)
        self.label = f"Accept {self.accepted} unanimous item(s)"
        return Changes(self.label, reports=set(items), structure=True)

    def undo(self, conn: Connection, ctx: Context) -> Changes:
        if self._claim_ids:
            conn.execute(delete(claim_t).where(claim_t.c.id.in_(self._claim_ids)))
        if self._span_ids:
            conn.execute(delete(span_t).where(span_t.c.id.in_(self._span_ids)))
        if self._decision_ids:
            conn.execute(delete(decision_t).where(decision_t.c.id.in_(self._decision_ids)))
        a = assignment_t
        for rid, gold, status in self._statuses:
            if status is None:
                conn.execute(delete(a).where(a.c.report_id == rid, a.c.coder_id == gold))
            else:
                conn.execute(a.update().where(a.c.report_id == rid, a.c.coder_id == gold)
                             .values(status=status))
        return Changes(self.label, reports={r for r, _, _ in self._statuses}, structure=True)
