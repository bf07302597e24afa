"""Review and adjudication: walk the coders' disagreements and build the gold layer.

The coders' spans and claims of a report are aligned with the agreement code
(annotator.core.agreement.align): every aligned span group and claim group is a review item. An
item is *agreed* when every compared coder has it with the same type, offsets and values (claims:
the same type, slot evidence and attribute values); otherwise it is a disagreement. A reviewer's
decision (accept one coder's version, accept every version, reject, or take a version to edit)
creates gold items with provenance and a decision row; the coders' originals are never touched.
A report is gold-done when no disagreement is left undecided. The gold layer is the coder named
"gold" (role gold): export, agreement and the interchange round trip treat it like any coder.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from annotator.core.agreement.align import align_claims, align_spans, span_group_index
from annotator.core.agreement.data import ClaimItem, SpanItem, load_dataset
from annotator.core.agreement.kinds import problem_text
from annotator.core.codebook import Codebook
from annotator.core.gcpause import without_gc
from annotator.core.models import (
    GOLD_CODER,
    assignment_t,
    claim_t,
    coder_t,
    decision_t,
    inserted_id,
    report_t,
    span_t,
)
from annotator.core.values import agreement_value as attribute_value  # (compute.attribute_value)

__all__ = [
    "ACTIONS",
    "ACTION_NAMES",
    "ReviewItem",
    "decision_text",
    "gold_coder_id",
    "problem_text",
    "compared_coders",
    "review_items",
    "review_summary",
]

#: up to this many reports asked for are looked up by id in SQL
_BATCH = 500

ACTIONS = ("accepted", "accepted_both", "rejected", "edited", "accepted_unanimous")
#: how each decision is named for people (the kinds of disagreement: agreement/kinds.py)
ACTION_NAMES = {"accepted": "accepted", "accepted_both": "accepted all versions",
                "rejected": "rejected", "edited": "taken to edit",
                "accepted_unanimous": "accepted (unanimous)"}


def decision_text(decision: dict[str, Any]) -> str:
    """A decision row as people read it: "accepted (amina)", "accepted all versions"."""
    action = str(decision.get("action", ""))
    name = ACTION_NAMES.get(action, action.replace("_", " "))
    return name + (f" ({decision['coder']})" if decision.get("coder") else "")


@dataclass
class ReviewItem:
    key: str
    kind: str  # "span" or "claim"
    report_id: int
    start: int | None
    end: int | None
    versions: dict[str, SpanItem | ClaimItem]  # coder -> their item
    problems: list[str] = field(default_factory=list)  # empty: agreed
    decision: dict[str, Any] | None = None

    @property
    def agreed(self) -> bool:
        return not self.problems

    @property
    def open(self) -> bool:
        """A disagreement nobody decided yet."""
        return bool(self.problems) and self.decision is None


def _span_problems(versions: dict[str, SpanItem], coders: Sequence[str], cb: Codebook) -> list[str]:
    return list(span_problems(versions, coders, cb))


def span_problems(
    versions: Mapping[str, SpanItem], coders: Sequence[str], cb: Codebook
) -> Iterator[str]:
    """The problems of one aligned span group, cheapest first: a caller that only needs to know
    whether there is one stops at the first (adjudicate --status)."""
    missing = [c for c in coders if c not in versions]
    if missing:
        yield "span_only_one_coder" if len(versions) == 1 else "span_missing"
    items = list(versions.values())
    if len({s.type for s in items}) > 1:
        yield "type_mismatch"
    if len({(s.start, s.end) for s in items}) > 1:
        yield "boundary_mismatch"
    if len({s.type for s in items}) == 1 and len(items) > 1 and not all(
            s.attributes == items[0].attributes for s in items[1:]):
        # (identical stored values cannot differ once compared: the common case is skipped)
        st = cb.span_type(items[0].type)
        for ad in st.attributes if st else ():
            raw = [s.attributes.get(ad.id) for s in items]
            if all(v == raw[0] for v in raw[1:]):
                continue  # the same stored value: the same normalized one
            if len({repr(attribute_value(ad, v)) for v in raw}) > 1:
                yield f"attribute_mismatch:{ad.id}"


def _claim_problems(
    versions: dict[str, ClaimItem],
    coders: Sequence[str],
    cb: Codebook,
    group_of: dict[tuple[str, str], int],
) -> list[str]:
    return list(claim_problems(versions, coders, cb, group_of))


def claim_problems(
    versions: Mapping[str, ClaimItem],
    coders: Sequence[str],
    cb: Codebook,
    group_of: Mapping[tuple[str, str], int],
) -> Iterator[str]:
    """The problems of one aligned claim group (but evidence_open), cheapest first."""
    if any(c not in versions for c in coders):
        yield "claim_missing"
    items = list(versions.items())
    if len(items) < 2:
        return
    ct = cb.claim_type(items[0][1].type)
    for sd in ct.slots if ct else ():
        values = set()
        for coder, cl in items:
            v = cl.slots.get(sd.id)
            if v is None or v == ():
                values.add("missing")
            elif isinstance(v, str):
                values.add(v)
            else:
                values.add(repr(sorted(group_of.get((coder, sid), -1) for sid in v)))
        if len(values) > 1:
            yield f"claim_slot_mismatch:{sd.id}"
    for ad in ct.attributes if ct else ():
        raw = [cl.attributes.get(ad.id) for _, cl in items]
        if all(v == raw[0] for v in raw[1:]):
            continue  # the same stored value: the same normalized one
        if len({repr(attribute_value(ad, v)) for v in raw}) > 1:
            yield f"claim_attribute_mismatch:{ad.id}"


def item_key(kind: str, versions: Mapping[str, Any]) -> str:
    """The key a decision on an item is stored under: its kind and every version's id."""
    return f"{kind}:" + "|".join(f"{c}={versions[c].id}" for c in sorted(versions))


def gold_coder_id(conn: Connection, create: bool = True) -> int | None:
    row = conn.execute(select(coder_t.c.id).where(coder_t.c.name == GOLD_CODER)).first()
    if row is not None:
        return int(row[0])
    if not create:
        return None
    try:
        # in a savepoint: when another reviewer's first decision creates the gold coder at the
        # same moment, this insert fails alone and that coder is used
        with conn.begin_nested():
            return inserted_id(conn.execute(coder_t.insert().values(name=GOLD_CODER, role="gold")))
    except IntegrityError:
        return int(
            conn.execute(select(coder_t.c.id).where(coder_t.c.name == GOLD_CODER)).scalar_one()
        )


def _report_ids(conn: Connection, external: Iterable[str] | None) -> dict[str, int]:
    rows = conn.execute(select(report_t.c.id, report_t.c.external_id)).all()
    ids = {str(e): int(i) for i, e in rows}
    if external is None:
        return ids
    wanted = set(external)
    return {e: i for e, i in ids.items() if e in wanted}


@without_gc  # thousands of items and groups, none in a cycle
def review_items(
    conn: Connection,
    codebook: Codebook,
    report_ids: Sequence[int] | None = None,
    coders: Sequence[str] | None = None,
) -> dict[int, list[ReviewItem]]:
    """Review items per report (in text order), with any decision already taken."""
    if report_ids is not None and len(report_ids) <= _BATCH:
        ext_of = {int(i): str(e) for i, e in conn.execute(
            select(report_t.c.id, report_t.c.external_id).where(
                report_t.c.id.in_(list(report_ids))))}
    else:
        ext_of = {i: e for e, i in _report_ids(conn, None).items()}
    wanted = None if report_ids is None else [ext_of[i] for i in report_ids if i in ext_of]
    data = load_dataset(conn, codebook, coders, wanted)
    chosen = sorted(coders) if coders else sorted(
        {s.coder for s in data.spans} | {c.coder for c in data.claims}
        | {c for v in data.done.values() for c in v})
    decisions: dict[tuple[int, str], dict[str, Any]] = {}
    dq = select(decision_t)
    if report_ids is not None:
        dq = dq.where(decision_t.c.report_id.in_(list(report_ids)))
    for row in conn.execute(dq).mappings():
        decisions[(int(row["report_id"]), str(row["item_key"]))] = dict(row)
    spans_by: dict[str, list[SpanItem]] = defaultdict(list)
    for s in data.spans:
        spans_by[s.report].append(s)
    claims_by: dict[str, list[ClaimItem]] = defaultdict(list)
    for c in data.claims:
        claims_by[c.report].append(c)
    id_of = {e: i for i, e in ext_of.items()}
    out: dict[int, list[ReviewItem]] = {}
    for ext in (wanted if wanted is not None else sorted(data.report_lengths)):
        rid = id_of[ext]
        groups = align_spans(spans_by.get(ext, []))
        group_of = span_group_index(groups)
        items: list[ReviewItem] = []
        for g in groups:
            versions: dict[str, Any] = dict(g.members)
            key = item_key("span", versions)
            items.append(ReviewItem(key, "span", rid, g.start, g.end, versions,
                                    _span_problems(g.members, chosen, codebook),
                                    decisions.get((rid, key))))
        spans_lookup = {(s.coder, s.id): s for s in spans_by.get(ext, [])}
        open_groups = {g.id for g, it in zip(groups, items, strict=True) if it.open}
        for cg in align_claims(claims_by.get(ext, []), group_of):
            versions = dict(cg.members)
            key = item_key("claim", versions)
            starts = [spans_lookup[(c, sid)].start for c, cl in cg.members.items()
                      for v in cl.slots.values() if not isinstance(v, str) for sid in v
                      if (c, sid) in spans_lookup]
            ends = [spans_lookup[(c, sid)].end for c, cl in cg.members.items()
                    for v in cl.slots.values() if not isinstance(v, str) for sid in v
                    if (c, sid) in spans_lookup]
            problems = _claim_problems(cg.members, chosen, codebook, group_of)
            evidence = {group_of.get((c, sid)) for c, cl in cg.members.items()
                        for v in cl.slots.values() if not isinstance(v, str) for sid in v}
            if evidence & open_groups:
                problems.append("evidence_open")  # decide the spans first
            items.append(ReviewItem(key, "claim", rid, min(starts) if starts else None,
                                    max(ends) if ends else None, versions, problems,
                                    decisions.get((rid, key))))
        items.sort(key=lambda i: (i.start if i.start is not None else 10**12, i.kind != "span"))
        out[rid] = items
    return out


def compared_coders(conn: Connection) -> list[str]:
    """The coders review compares by default: every coder but gold with a span, a claim or a
    finished report (what :func:`review_items` finds in the whole dataset), by name."""
    c = coder_t
    has_work = or_(
        exists().where(span_t.c.coder_id == c.c.id),
        exists().where(claim_t.c.coder_id == c.c.id),
        exists().where(assignment_t.c.coder_id == c.c.id, assignment_t.c.status == "done"),
    )
    return sorted(str(n) for (n,) in conn.execute(
        select(c.c.name).where(c.c.role != "gold", has_work)))


def review_summary(items: dict[int, list[ReviewItem]]) -> dict[int, tuple[int, int, int]]:
    """report id -> (items, disagreements, disagreements still open)."""
    return {rid: (len(its), sum(1 for i in its if i.problems), sum(1 for i in its if i.open))
            for rid, its in items.items()}


def __getattr__(name: str) -> Any:
    # the adjudication commands live in annotator.core.commands.adjudication; kept reachable here
    # for older callers (imported late: that module reads this one)
    if name in ("Decide", "AcceptUnanimous"):
        from annotator.core.commands import adjudication

        return getattr(adjudication, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
