"""The rules that turn a sentence and its spans into a draft (docs/drafts.md)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.codebook import ClaimTypeDef, Codebook

if TYPE_CHECKING:
    pass
from annotator.core.drafts.cues import (
    _ACCORDING,
    _ALLEGED,
    _ATTACK,
    _ATTEMPTED,
    _BY_AFTER,
    _DENIED,
    _DETERMINER_BEFORE,
    _EVENT_TYPES,
    _GROUP_SAYS,
    _JOIN,
    _MEMBERS_OF,
    _OBJECT_BEFORE,
    _PASSIVE_BEFORE,
    _PRECISE,
    _REPORT,
    _RESPONSIBILITY,
    _SUBJECT_REACH,
    _TARGET_REACH,
    _THREATENED,
)
from annotator.core.drafts.model import Draft, DraftSpan
from annotator.core.drafts.sentences import sentences

# ---------------------------------------------------------------------------------------------
# The rules


def _merge_spans(spans: Iterable[DraftSpan], suggestions: Iterable[DraftSpan]) -> list[DraftSpan]:
    """The coder's spans, and the suggestions no span of the coder's of the same type overlaps."""
    mine = list(spans)
    out = list(mine)
    for s in suggestions:
        if any(m.type == s.type and m.start < s.end and s.start < m.end for m in mine):
            continue
        out.append(s)
    out.sort(key=lambda d: (d.start, d.end, d.type))
    return out


def _in(spans: Sequence[DraftSpan], type_: str, bounds: tuple[int, int]) -> list[DraftSpan]:
    return [d for d in spans if d.type == type_ and bounds[0] <= d.start and d.end <= bounds[1]]


def _same_actor(a: DraftSpan, b: DraftSpan) -> bool:
    if a.key == b.key:
        return True
    na, nb = a.attributes.get("canonical_name"), b.attributes.get("canonical_name")
    return bool(na) and na == nb


def _chain(
    text: str, first: DraftSpan, pool: Sequence[DraftSpan], forward: bool, commas: bool = True
) -> list[DraftSpan]:
    """``first`` and the actors joined to it by "and", "as well as" or (``commas``) commas, in
    text order. Backwards (subjects) a comma usually closes an opening clause, so it does not
    join there."""
    out = [first]
    ordered = sorted(pool, key=lambda d: d.start, reverse=not forward)
    current = first
    for d in ordered:
        if d in out:
            continue
        gap = text[current.end:d.start] if forward else text[d.end:current.start]
        if (forward and d.start < current.end) or (not forward and d.end > current.start):
            continue
        if (_JOIN.match(gap) and (commas or "," not in gap)) or (forward and _short_join(gap)):
            out.append(d)
            current = d
        elif (forward and d.start >= current.end) or (not forward and d.end <= current.start):
            break
    return sorted(out, key=lambda d: d.start)




def _verb_score(
    text: str, m: re.Match[str], actors: Sequence[DraftSpan], focus: tuple[int, int]
) -> int:
    """How likely an attack word is the sentence's event: two points for an actor on each side,
    one for a finite verb (not a noun after a determiner, "the attack plan"), minus three for a
    participle modifying a noun ("the nomads killed by X")."""
    vs, ve = m.start(), m.end()
    score = 0
    if any(d.end <= vs and d.start >= vs - _SUBJECT_REACH for d in actors):
        score += 2
    if any(d.start >= ve and d.start - ve <= _TARGET_REACH for d in actors):
        score += 2
    lead = text[max(focus[0], vs - 30):vs]
    if not _DETERMINER_BEFORE.search(lead):
        score += 1
    passive = _PASSIVE_BEFORE.search(lead) is not None
    if not passive and m.group().lower().endswith("ed") and re.match(r"\s+by\b", text[ve:ve + 5]):
        score -= 3
    return score


def _short_join(gap: str) -> bool:
    """"Malian soldiers and members of the Wagner Group": "and" and at most three words."""
    words = gap.split()
    return 0 < len(words) <= 4 and words[0].lower() in ("and", "&") and "," not in gap[1:]


def _claimant(text: str, actors: Sequence[DraftSpan], bounds: tuple[int, int]) -> tuple[
        DraftSpan, re.Match[str] | None, str] | None:
    """An actor who reports in ``bounds``: "X reported/said/claimed ...", "according to X"."""
    for d in actors:
        if not (bounds[0] <= d.start and d.end <= bounds[1]):
            continue
        before = text[max(bounds[0], d.start - 30):d.start]
        if _ACCORDING.search(before):
            return d, None, "according to"
        after = text[d.end:min(bounds[1], d.end + 40)]
        m = re.match(r"^(?:\s*\([^)]{0,30}\))?\s*(?:,[^,]{0,40},\s*)?(?:also\s+|has\s+|had\s+)?",
                     after)
        rest = after[m.end() if m else 0:]
        verb = _REPORT.match(rest)
        if verb is not None:
            return d, verb, verb.group().lower()
    return None


def propose_draft(
    text: str,
    start: int,
    end: int | None,
    spans: Iterable[DraftSpan],
    suggestions: Iterable[DraftSpan] = (),
    codebook: Codebook | None = None,
    claim_type: str = "attack",
) -> Draft | None:
    """Propose a claim of ``claim_type`` for the sentence holding ``start`` (``end`` None or
    equal to ``start``: a caret) or for the sentences a selection ``start``..``end`` covers.

    ``spans`` are the coder's spans (``span_id`` set), ``suggestions`` the suggested spans
    (``span_id`` None); a suggestion overlapping a span of the coder's of the same type is
    ignored. Returns None when the codebook has no such claim type or nothing can be proposed.
    See docs/drafts.md for the rules.
    """
    ct: ClaimTypeDef | None = None
    if codebook is not None:
        ct = codebook.claim_type(claim_type)
        if ct is None:
            return None
    all_sentences = sentences(text)
    if not all_sentences:
        return None
    pool = _merge_spans([d for d in spans if d.span_id is not None],
                        [d for d in suggestions if d.span_id is None])
    p = _Proposal(text, all_sentences, _focus_sentences(all_sentences, start, end), pool)
    search_from = p.find_claimant()
    p.find_attack(search_from)
    p.find_context()
    p.find_attributes()
    draft = Draft(claim_type, p.focus, p.slots, p.attributes, p.reasons, p.alternatives)
    if ct is not None:
        draft = _fit(draft, ct)
    return None if draft.is_empty() else draft


def _focus_sentences(
    all_sentences: Sequence[tuple[int, int]], start: int, end: int | None
) -> tuple[int, int]:
    """The first and last sentence a caret (``end`` None or ``start``) or a selection touches."""
    stop = start if end is None or end <= start else end - 1
    idx = [i for i, (s, e) in enumerate(all_sentences) if s <= stop and start < e + 1]
    if not idx:
        idx = [max((i for i, (s, _) in enumerate(all_sentences) if s <= start), default=0)]
    return idx[0], idx[-1]


class _Proposal:
    """What propose_draft finds, step by step: the claimant, the attack word with its
    perpetrators and targets, the place, date and casualties, then the attributes."""

    def __init__(self, text: str, all_sentences: Sequence[tuple[int, int]],
                 focus_sentences: tuple[int, int], pool: list[DraftSpan]) -> None:
        self.text, self.all_sentences, self.pool = text, all_sentences, pool
        self.first, self.last = focus_sentences
        self.focus = (all_sentences[self.first][0], all_sentences[self.last][1])
        self.before_after = self._near([self.first - 1, self.last + 1, self.first - 2,
                                        self.first - 3])
        self.sentence_text = text[self.focus[0]:self.focus[1]]
        self.actors = _in(pool, "actor", self.focus)
        self.slots: dict[str, list[DraftSpan]] = {}
        self.reasons: dict[str, str] = {}
        self.alternatives: dict[str, list[DraftSpan]] = {}
        self.attributes: dict[str, Any] = {}
        self.claimed = False  # a reporting actor was found (not the group's own words)
        self.claimant: DraftSpan | None = None
        self.claim_where = "in the sentence"
        self.verb_m: re.Match[str] | None = None
        self.perpetrators: list[DraftSpan] = []
        self.targets: list[DraftSpan] = []

    def _near(self, order: Sequence[int]) -> list[tuple[int, tuple[int, int]]]:
        """(offset from the focus, bounds) of the sentences ``order`` names that exist."""
        return [(i - self.first if i < self.first else i - self.last, self.all_sentences[i])
                for i in order if 0 <= i < len(self.all_sentences)]

    def find_claimant(self) -> int:
        """The claimant: in the focus, else in the sentences before it (up to three), else the
        next one, else the last source named before. Returns where the attack word is looked
        for (after the claimant's verb when that is in the sentence)."""
        text, pool = self.text, self.pool
        claim = _claimant(text, self.actors, self.focus)
        if claim is None:
            for offset, bounds in sorted(self.before_after, key=lambda ob: (ob[0] > 0, -ob[0])):
                claim = _claimant(text, _in(pool, "actor", bounds), bounds)
                if claim is not None:
                    self.claim_where = _where(offset)
                    break
        if claim is None:
            earlier = list(self.all_sentences[max(0, self.first - 40):self.first - 3])
            for bounds in reversed(earlier):
                claim = _claimant(text, _in(pool, "actor", bounds), bounds)
                if claim is not None:
                    self.claim_where = "the last source named before"
                    break
        if claim is None:
            return self.focus[0]
        self.claimed = True
        claimant, verb, how = claim
        self.claimant = claimant
        self.slots["claimant"] = [claimant]
        self.reasons["claimant"] = f'"{claimant.text}" {how} ({self.claim_where})'
        if verb is not None and self.claim_where == "in the sentence":
            return claimant.end + verb.end()
        return self.focus[0]

    def find_attack(self, search_from: int) -> None:
        """The attack word, the best scored after ``search_from`` (see _verb_score), and the
        perpetrators and targets around it."""
        best_score = -99
        for m in _ATTACK.finditer(self.text, search_from, self.focus[1]):
            score = _verb_score(self.text, m, self.actors, self.focus)
            if score > best_score:
                self.verb_m, best_score = m, score
        if self.verb_m is not None:
            self._actors_around(self.verb_m)
        if self.perpetrators:
            self.slots["perpetrator"] = self.perpetrators
        if self.targets:
            self.slots["target"] = self.targets

    def _actors_around(self, verb_m: re.Match[str]) -> None:
        text, focus, claimant = self.text, self.focus, self.claimant
        in_sentence = self.claim_where == "in the sentence"
        vs, ve = verb_m.start(), verb_m.end()
        passive = _PASSIVE_BEFORE.search(text[max(focus[0], vs - 30):vs]) is not None
        after = [d for d in self.actors if d.start >= ve and (claimant is None or d != claimant
                                                              or not in_sentence)]
        before = [d for d in self.actors if d.end <= vs and d.start >= vs - _SUBJECT_REACH]
        by_actor = next((d for d in after if _BY_AFTER.match(text[ve:d.start])), None)
        if passive:
            if by_actor is not None:
                self.perpetrators = _chain(text, by_actor, after, True)
                self.reasons["perpetrator"] = f'after "by" following "{verb_m.group()}" (passive)'
            subjects = [d for d in before if d not in self.perpetrators
                        and (claimant is None or not _same_actor(d, claimant))]
            if subjects:
                self.targets = _chain(text, subjects[-1], subjects, False, commas=False)
                self.reasons["target"] = f'before "{text[vs:ve]}" (passive: who it was done to)'
        else:
            self._active(verb_m, before, after, by_actor)
        # "the group's statement said that fighters of X attacked": X claims its own attack
        if not self.claimed and self.perpetrators:
            own = _GROUP_SAYS.search(text[focus[0]:vs])
            if own is not None:
                self.claimant = self.perpetrators[0]
                self.slots["claimant"] = [self.claimant]
                self.reasons["claimant"] = (f'"{own.group().strip()}": the group speaks of its '
                                            "own attack")
                self.claim_where = "in the sentence"
        # "X claimed responsibility for ...", "X claimed its fighters attacked": X did it
        claimant = self.claimant
        if (not self.perpetrators and claimant is not None
                and self.claim_where == "in the sentence"
                and _RESPONSIBILITY.search(self.sentence_text)):
            self.perpetrators = [claimant]
            self.reasons["perpetrator"] = f'"{claimant.text}" claims the attack as its own'

    def _active(self, verb_m: re.Match[str], before: list[DraftSpan], after: list[DraftSpan],
                by_actor: DraftSpan | None) -> None:
        """"X attacked Y", "an attack by X on Y": the perpetrators, then the targets."""
        text, claimant, ve = self.text, self.claimant, verb_m.end()
        if by_actor is not None:  # "an attack by X on Y"
            self.perpetrators = _chain(text, by_actor, after, True)
            self.reasons["perpetrator"] = f'after "{verb_m.group()} ... by"'
        else:
            subjects = [d for d in before if not _OBJECT_BEFORE.search(
                text[max(0, d.start - 16):d.start])
                or _MEMBERS_OF.search(text[max(0, d.start - 40):d.start])]
            if claimant is not None and self.claim_where == "in the sentence":
                subjects = [d for d in subjects if d.start >= claimant.end]
            if subjects:
                self.perpetrators = _chain(text, subjects[-1], subjects, False, commas=False)
                self.reasons["perpetrator"] = f'the actor before "{verb_m.group()}"'
        rest = [d for d in after if d not in self.perpetrators and d.start - ve <= _TARGET_REACH]
        if rest:
            pool_after = [d for d in after if d not in self.perpetrators]
            self.targets = _chain(text, rest[0], pool_after, True)
            self.reasons["target"] = f'the actor after "{verb_m.group()}"'

    def find_context(self) -> None:
        """Location, date, casualties: from the focus, else the nearest sentences."""
        text = self.text
        anchor = self.verb_m.start() if self.verb_m is not None else self.focus[0]

        def choose_place(found: list[DraftSpan]) -> list[DraftSpan]:
            best = min(found, key=lambda d: (_PRECISE.get(str(d.attributes.get("precision")), 1),
                                             d.attributes.get("relation") == "near",
                                             abs(d.start - anchor)))
            return [best]

        def choose_date(found: list[DraftSpan]) -> list[DraftSpan]:
            # a date right before a reporting verb dates the report ("on Tuesday said"), not
            # the event
            of_event = [d for d in found if not _REPORT.match(text[d.end:d.end + 20].lstrip(" ,"))]
            return [min(of_event or found, key=lambda d: abs(d.start - anchor))]

        self._fill("location", "location", choose_place, "the most precise place named")
        self._fill("date", "date", choose_date, "the date nearest the attack word")
        self._fill("casualties", "casualty_count", lambda found: found,
                   "casualty counts of one event")

    def _fill(self, slot: str, type_: str, choose: Any, why: str) -> None:
        for offset, bounds in [(0, self.focus), *self.before_after]:
            found = [d for d in _in(self.pool, type_, bounds) if _usable(slot, d)]
            if found:
                chosen = choose(found)
                self.slots[slot] = chosen
                self.reasons[slot] = why + ("" if offset == 0 else f" ({_where(offset)})")
                others = [d for d in found if d not in chosen]
                if others:
                    self.alternatives[slot] = others
                return

    def find_attributes(self) -> None:
        """Stance, and with an attack word the event type and the stage."""
        stance, why = _stance(self.text, self.focus, self.slots.get("claimant"),
                              self.perpetrators)
        if stance:
            self.attributes["stance"], self.reasons["stance"] = stance, why
        if self.verb_m is None:
            return
        sentence_text = self.sentence_text
        event = next((e for e, rx in _EVENT_TYPES if rx.search(sentence_text)), "attack")
        self.attributes["event_type"] = event
        self.reasons["event_type"] = (f'words of the sentence ("{self.verb_m.group()}")'
                                      if event == "attack" else "words of the sentence")
        stage = ("attempted" if _ATTEMPTED.search(sentence_text) else
                 "threatened" if _THREATENED.search(sentence_text) else "accomplished")
        self.attributes["stage"], self.reasons["stage"] = stage, "words of the sentence"


def _where(offset: int) -> str:
    if offset == -1:
        return "previous sentence"
    if offset == 1:
        return "next sentence"
    return f"{-offset} sentences before" if offset < 0 else f"{offset} sentences after"


def _usable(slot: str, d: DraftSpan) -> bool:
    if slot != "casualties":
        return True
    unit = d.attributes.get("unit")
    return not d.attributes.get("aggregate") and unit in (None, "persons")


def _stance(
    text: str,
    focus: tuple[int, int],
    claimants: Sequence[DraftSpan] | None,
    perpetrators: Sequence[DraftSpan],
) -> tuple[str | None, str]:
    sentence_text = text[focus[0]:focus[1]]
    if _DENIED.search(sentence_text):
        return "denied", '"denied" in the sentence'
    if _ALLEGED.search(sentence_text):
        return "alleged_or_suspected", "the sentence says it is suspected or alleged"
    if not claimants:
        return "asserted_as_fact", "nobody is named as the source"
    c = claimants[0]
    if any(_same_actor(c, p) for p in perpetrators):
        return "claimed_responsibility", "the claimant is the perpetrator"
    if re.search(r"\bclaim(?:ed|s)?\s+responsibility\b", sentence_text, re.I):
        return "claimed_responsibility", '"claimed responsibility"'
    if c.attributes.get("actor_type") == "media_or_propaganda_outlet" and any(
        p.attributes.get("actor_type") == "rebel_or_jihadist_group" for p in perpetrators
    ):
        return ("claimed_responsibility",
                "a propaganda outlet reports a group's attack (the group's own claim)")
    return "third_party_report", "the claimant is not the perpetrator"


def _fit(draft: Draft, ct: ClaimTypeDef) -> Draft:
    """Keep only slots the claim type has (with spans it accepts, at most ``max``) and
    attribute values it allows."""
    slots: dict[str, list[DraftSpan]] = {}
    for slot, items in draft.slots.items():
        sd = ct.slot(slot)
        if sd is None:
            continue
        ok = [d for d in items if d.type in sd.accepts]
        if sd.max is not None:
            ok = ok[: sd.max]
        if ok:
            slots[slot] = ok
    attrs: dict[str, Any] = {}
    for name, value in draft.attributes.items():
        ad = ct.attribute(name)
        if ad is not None and ad.check(value) is None:
            attrs[name] = value
    keep = set(slots) | set(attrs)
    reasons = {k: v for k, v in draft.reasons.items() if k in keep}
    alternatives = {k: v for k, v in draft.alternatives.items() if ct.slot(k) is not None}
    return dataclasses.replace(draft, slots=slots, attributes=attrs, reasons=reasons,
                               alternatives=alternatives)
