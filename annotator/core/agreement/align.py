"""Alignment of the coders' spans and claims on one report (used by agreement and review).

Spans: candidate pairs are spans of two different coders that overlap. They are taken in this
order: identical offsets and type, identical offsets (type differs), same type by greatest
overlap, other types by greatest overlap; ties by position. A pair joins two spans into a group
when neither is grouped yet; a pair joins a grouped span's partner to its group when the group
has no span of that coder yet and the new span overlaps every span in it. Each group has at most
one span per coder; spans left over are groups of one. Spans of different types are aligned only
when they overlap by at least half of the shorter one (a type mismatch), so that unrelated nested
spans (a place inside an actor's name) stay apart.

Claims: each claim's evidence is the set of span groups its slots point to. Claims of the same
type and different coders pair up by the number of evidence groups they share (most first, at
least one), one claim per coder per group, the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.agreement.data import ClaimItem, SpanItem

__all__ = ["ClaimGroup", "SpanGroup", "align_claims", "align_rest", "align_spans"]


@dataclass
class SpanGroup:
    id: int
    report: str
    members: dict[str, SpanItem] = field(default_factory=dict)  # coder -> span

    # set by seal() once the group is complete (functools.cached_property takes a lock on every
    # read in Python 3.11, which cost more than the alignment itself)
    types: set[str] = field(default_factory=set)
    start: int = 0
    end: int = 0

    def seal(self) -> SpanGroup:
        items = self.members.values()
        self.types = {s.type for s in items}
        self.start = min(s.start for s in items)
        self.end = max(s.end for s in items)
        return self

    def exact(self) -> bool:
        offsets = {(s.start, s.end) for s in self.members.values()}
        return len(offsets) == 1


@dataclass
class ClaimGroup:
    id: int
    report: str
    type: str
    members: dict[str, ClaimItem] = field(default_factory=dict)


def _overlap(a: SpanItem, b: SpanItem) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def align_spans(spans: Sequence[SpanItem], first_id: int = 0) -> list[SpanGroup]:
    """Group the spans of one report across coders (see the module's docstring)."""
    if not spans:
        return []
    report = spans[0].report
    # fast path: a place where every coder has exactly one span, all with the same offsets and
    # type, is a group at once (those pairs come first in the general order anyway)
    coders = {s.coder for s in spans}
    same: dict[tuple[int, int, str], list[SpanItem]] = defaultdict(list)
    for s in spans:
        same[(s.start, s.end, s.type)].append(s)
    agreed: list[SpanGroup] = []
    rest: list[SpanItem] = []
    n_coders = len(coders)
    for (start, end, kind), items in same.items():
        if n_coders > 1 and len(items) == n_coders:
            members = {s.coder: s for s in items}
            if len(members) == n_coders:
                agreed.append(SpanGroup(0, report, members, {kind}, start, end))
                continue
        rest.extend(items)
    groups = align_rest(rest, report) + agreed
    groups.sort(key=lambda grp: (grp.start, grp.end))
    for k, grp in enumerate(groups):
        grp.id = first_id + k
    return groups


def align_rest(spans: Sequence[SpanItem], report: str) -> list[SpanGroup]:
    """The general alignment of what the fast path left (its groups sealed, ids from 0)."""
    # in one order whatever order the database returned the rows in (ties between equally good
    # pairs go by position in this list): the same project aligns the same on SQLite and PostgreSQL
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.coder, s.type, s.id))
    return [g.seal() for g in _align_general(spans, report)]


def _align_general(spans: Sequence[SpanItem], report: str) -> list[SpanGroup]:
    if not spans:
        return []
    first_id = 0
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end, spans[i].coder))
    pairs: list[tuple[tuple[int, int, int, int, int], int, int]] = []
    active: list[int] = []
    for i in order:
        s = spans[i]
        active = [j for j in active if spans[j].end > s.start]
        for j in active:
            t = spans[j]
            if t.coder == s.coder:
                continue
            ov = _overlap(s, t)
            if ov <= 0:
                continue
            same_offsets = (s.start, s.end) == (t.start, t.end)
            same_type = s.type == t.type
            if not same_type and not same_offsets and ov * 2 < min(s.end - s.start, t.end - t.start):
                continue
            rank = 0 if same_offsets and same_type else 1 if same_offsets else 2 if same_type else 3
            pairs.append(((rank, -ov, min(s.start, t.start), j, i), j, i))
        active.append(i)
    pairs.sort()
    group_of: dict[int, int] = {}
    groups: list[SpanGroup] = []
    member_idx: list[list[int]] = []
    for _, a, b in pairs:
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is None and gb is None:
            g = len(groups)
            groups.append(SpanGroup(first_id + g, report, {spans[a].coder: spans[a], spans[b].coder: spans[b]}))
            member_idx.append([a, b])
            group_of[a] = group_of[b] = g
        elif (ga is None) != (gb is None):
            found = ga if ga is not None else gb
            assert found is not None
            new = b if ga is not None else a
            grp = groups[found]
            s = spans[new]
            if s.coder in grp.members:
                continue
            if all(_overlap(s, spans[k]) > 0 for k in member_idx[found]):
                grp.members[s.coder] = s
                member_idx[found].append(new)
                group_of[new] = found
    for i in order:
        if i not in group_of:
            group_of[i] = len(groups)
            groups.append(SpanGroup(first_id + len(groups), report, {spans[i].coder: spans[i]}))
            member_idx.append([i])
    return groups


def span_group_index(groups: Iterable[SpanGroup]) -> dict[tuple[str, str], int]:
    """(coder, span id) -> group id."""
    return {(c, s.id): g.id for g in groups for c, s in g.members.items()}


def align_claims(
    claims: Sequence[ClaimItem], group_of: dict[tuple[str, str], int], first_id: int = 0
) -> list[ClaimGroup]:
    """Group the claims of one report across coders by shared evidence (see the docstring)."""
    if not claims:
        return []
    report = claims[0].report
    claims = sorted(claims, key=lambda c: (c.coder, c.id))  # (as the spans: one order)
    evidence: list[set[int]] = []
    for c in claims:
        ev: set[int] = set()
        for value in c.slots.values():
            if isinstance(value, str):
                continue
            ev.update(group_of[(c.coder, sid)] for sid in value if (c.coder, sid) in group_of)
        evidence.append(ev)
    pairs = []
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_type[c.type].append(i)
    for idx in by_type.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                if claims[i].coder == claims[j].coder:
                    continue
                shared = len(evidence[i] & evidence[j])
                if shared:
                    union = len(evidence[i] | evidence[j])
                    pairs.append((-shared, -shared / union, i, j))
    pairs.sort()
    group_of_claim: dict[int, int] = {}
    groups: list[ClaimGroup] = []
    members: list[list[int]] = []
    for _, _, i, j in pairs:
        gi, gj = group_of_claim.get(i), group_of_claim.get(j)
        if gi is None and gj is None:
            groups.append(ClaimGroup(0, report, claims[i].type,
                                     {claims[i].coder: claims[i], claims[j].coder: claims[j]}))
            members.append([i, j])
            group_of_claim[i] = group_of_claim[j] = len(groups) - 1
        elif (gi is None) != (gj is None):
            g = gi if gi is not None else gj
            assert g is not None
            new = j if gi is not None else i
            if claims[new].coder not in groups[g].members and all(
                evidence[new] & evidence[k] for k in members[g]
            ):
                groups[g].members[claims[new].coder] = claims[new]
                members[g].append(new)
                group_of_claim[new] = g
    for i, c in enumerate(claims):
        if i not in group_of_claim:
            group_of_claim[i] = len(groups)
            groups.append(ClaimGroup(0, report, c.type, {c.coder: c}))
            members.append([i])
    for k, cg in enumerate(groups):
        cg.id = first_id + k
    return groups
