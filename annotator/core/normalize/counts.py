"""Casualty counts: "at least 20 soldiers killed" -> low/best/high, kind, status, victim category.

Conventions (see docs/normalization.md):
- exact "30": low = best = high = 30;
- a range "10 to 15" / "between 10 and 15": low 10, high 15, best = low (ACLED keeps the lowest
  of differing figures);
- "at least 20" / "more than 20" / "over 20": low = best = 20, no high;
- "up to 15" / "as many as 15" / "fewer than 15": high = 15 only;
- "about 30" / "some 30" / "nearly 30": best = 30, kind approximate;
- vague words ("dozens") take their number from the project's table (ACLED's defaults in
  :data:`DEFAULT_VAGUE_TABLE`) as best, the word kept as written in ``vague_word``.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..gcpause import without_gc
from ._common import Found, IntervalSet, Original, lower_aligned
from ._numbers import NUMBER_RE, parse_number

__all__ = [
    "DEFAULT_VAGUE_TABLE",
    "CountValue",
    "find_counts",
    "is_aggregate",
    "normalize_count",
]

#: Numbers given to vague words. ACLED codes "tens" 10, "dozens" 12, "hundreds" 100 (and so on:
#: thousands 1000); "several" / "many" 10 and "a few" 3 (DOMAIN.md). "scores" is 20 (a score).
#: A project may override any entry (``vague_table`` argument).
DEFAULT_VAGUE_TABLE: Mapping[str, int] = MappingProxyType({
    "a few": 3,
    "few": 3,
    "a handful": 3,
    "several": 10,
    "many": 10,
    "numerous": 10,
    "multiple": 10,
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
})  # fmt: skip

STATUSES = ("killed", "executed", "wounded", "killed_or_wounded", "captured_or_abducted", "missing")
VICTIM_CATEGORIES = ("military", "civilian", "perpetrator", "unknown")
QUANTITY_KINDS = ("exact", "range", "at_least", "at_most", "approximate", "vague")


@dataclass(frozen=True)
class CountValue:
    """A normalized count. ``quantity_kind`` is None when no number was found."""

    low: int | None
    best: int | None
    high: int | None
    quantity_kind: str | None
    vague_word: str | None = None
    status: str | None = None
    victim_category: str | None = None
    unit: str = "persons"
    aggregate: bool = False  # a total over a period or several events

    @property
    def count(self) -> dict[str, int | None]:
        """The stored ``count`` value: {"low", "best", "high"}."""
        return {"low": self.low, "best": self.best, "high": self.high}

    def attributes(self) -> dict[str, Any]:
        """Attributes of a ``casualty_count`` span as the codebook stores them (absent = unknown)."""
        out: dict[str, Any] = {"count": self.count}
        if self.quantity_kind:
            out["quantity_kind"] = self.quantity_kind
        if self.vague_word:
            out["vague_word"] = self.vague_word
        if self.status:
            out["status"] = self.status
        if self.victim_category:
            out["victim_category"] = self.victim_category
        out["unit"] = self.unit
        if self.aggregate:
            out["aggregate"] = True
        return out


# ---------------------------------------------------------------------------------------------
# Vocabulary around a number

_STATUS_WORDS: list[tuple[str, str]] = [
    # longest first: "killed or wounded" before "killed"
    (r"killed\s+(?:or|and)\s+(?:wounded|injured)|dead\s+(?:or|and)\s+(?:wounded|injured)"
     r"|casualties|killing\s+(?:or|and)\s+(?:wounding|injuring)", "killed_or_wounded"),
    (r"executed|executing|execution|beheaded|beheading|shot\s+dead\s+after|liquidated",
     "executed"),
    (r"killed|killing|dead|died|deaths?|fatalities|slain|lost\s+their\s+lives|bodies"
     r"|perished|massacred|massacre|eliminated|neutrali[sz]ed|martyred|murder(?:ed|ing|s)?"
     r"|assassinat(?:ed|ing|ion|ions)|slaughter(?:ed)?|lynched", "killed"),
    (r"wounded|wounding|injured|injuring|injuries|hurt", "wounded"),
    (r"captured|capturing|abducted|abducting|kidnapped|kidnapping|taken\s+(?:hostage|prisoner"
     r"|captive)|hostages?|captives?|prisoners?|detained|arrested|seized", "captured_or_abducted"),
    (r"missing|disappeared|unaccounted\s+for", "missing"),
]  # fmt: skip


def _keywords(words: list[tuple[str, str]]) -> tuple[re.Pattern[str], list[str]]:
    """One expression for a list of (pattern, label): at each place the first pattern in the
    list that matches there wins (group k<i> tells which), as searching them one by one and
    breaking ties by list order would."""
    alternatives = "|".join(f"(?P<k{i}>{pat})" for i, (pat, _) in enumerate(words))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE), [label for _, label in words]


def _lowered(keywords: tuple[re.Pattern[str], list[str]]) -> tuple[re.Pattern[str], list[str]]:
    """The same keywords for text already in lower case (no case folding at every character)."""
    return re.compile(keywords[0].pattern), keywords[1]


_STATUS_RE = _keywords(_STATUS_WORDS)
_STATUS_LOW = _lowered(_STATUS_RE)

_VICTIM_WORDS: list[tuple[str, str]] = [
    (r"enemy\s+(?:fighters|soldiers|troops|elements)|militiamen|militia\s+(?:fighters|members)"
     r"|soldiers?|troops|servicemen|service\s+members|military|army|gendarmes?|policemen"
     r"|police(?:\s+officers)?|officers|security\s+forces|guards|peacekeepers|personnel"
     r"|apostates|crusaders|mercenaries|recruits|militiamen", "military"),
    (r"civilians?|villagers|residents|inhabitants|worshippers|students|pupils|farmers|herders"
     r"|traders|merchants|passengers|women|children|teachers|displaced|refugees|christians"
     r"|muslims|shepherds|miners|workers|locals|family\s+members", "civilian"),
    (r"fighters|militants|jihadists|terrorists|insurgents|attackers|assailants|gunmen|rebels"
     r"|bandits|extremists|suicide\s+bombers|mujahid(?:een|in)|members\s+of\s+the\s+group",
     "perpetrator"),
    (r"people|persons|individuals|others|victims|men|captives|hostages|prisoners|detainees",
     "unknown"),
]  # fmt: skip
_VICTIM_RE = _keywords(_VICTIM_WORDS)
_VICTIM_LOW = _lowered(_VICTIM_RE)

# longer than any status or victim phrase ("killing or wounding", "members of the group")
_LONGEST_KEYWORD = 40

_UNIT_RE = [
    (re.compile(r"^\s*(?:\w+\s+){0,2}?(?:operations|attacks|raids|ambushes|assaults|strikes)\b",
                re.IGNORECASE), "operations"),
    (re.compile(r"^\s*(?:\w+\s+){0,2}?(?:vehicles|cars|trucks|pick-?ups|motorcycles|motorbikes"
                r"|tanks|armou?red\s+vehicles|boats|aircraft|drones)\b", re.IGNORECASE),
     "vehicles"),
    (re.compile(r"^\s*(?:\w+\s+){0,2}?(?:houses|homes|buildings|shops|huts|churches|mosques"
                r"|schools)\b", re.IGNORECASE), "buildings"),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# The count expression

_VAGUE = (
    r"(?:dozens|scores|hundreds|thousands|tens|several|many|numerous|multiple|a\s+few|few"
    r"|a\s+handful)"
)
_AT_LEAST = (
    r"at\s+least|not\s+less\s+than|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|more\s+than"
    r"|over|upwards\s+of|in\s+excess\s+of"
)
_AT_MOST = (
    r"up\s+to|as\s+many\s+as|at\s+most|no\s+more\s+than|not\s+more\s+than|fewer\s+than"
    r"|less\s+than|a\s+maximum\s+of|under"
)
_APPROX = (
    r"about|around|approximately|roughly|some|nearly|almost|close\s+to|an\s+estimated"
    r"|estimated|circa|c\.|approx\.|just\s+(?:over|under)|perhaps"
)
# a count starts a word (a number glued to letters, "x12", is none): the guard lets the engine
# skip the inside of words instead of trying every alternative at every character
_COUNT_RE = re.compile(
    rf"(?<![^\W_])(?=\w)(?:(?P<between>between|from)\s+(?P<r1>{NUMBER_RE})\s*(?:and|to|-|\u2013)\s*"
    rf"(?P<r2>{NUMBER_RE})"
    rf"|(?:(?P<prefix>{_AT_LEAST}|{_AT_MOST}|{_APPROX})\s+)?"
    rf"(?:(?P<vague>{_VAGUE})(?:\s+of)?(?![\w-])"
    rf"|(?P<n1>{NUMBER_RE})(?:\s*(?:-|\u2013|\bto\b|\bor\b)\s*(?P<n2>{NUMBER_RE}))?))",
    re.IGNORECASE,
)


_COUNT_LOW = re.compile(_COUNT_RE.pattern)  # for text already in lower case


def _kind_of_prefix(prefix: str) -> str:
    p = re.sub(r"\s+", " ", prefix.lower())
    if re.fullmatch(_AT_LEAST, p):
        return "at_least"
    if re.fullmatch(_AT_MOST, p):
        return "at_most"
    return "approximate"


@dataclass(frozen=True)
class _Parsed:
    start: int
    end: int
    low: int | None
    best: int | None
    high: int | None
    kind: str
    vague_word: str | None


def _vague_value(word: str, table: Mapping[str, int]) -> int | None:
    key = re.sub(r"\s+", " ", word.lower())
    if key in table:
        return table[key]
    return table.get(key.removeprefix("a "))


def _parse_match(m: re.Match[str], table: Mapping[str, int]) -> _Parsed | None:
    if m["between"]:
        a, b = parse_number(m["r1"]), parse_number(m["r2"])
        if a is None or b is None or b <= a:
            return None
        return _Parsed(m.start(), m.end(), a, a, b, "range", None)
    prefix = m["prefix"]
    if m["vague"]:
        word = re.sub(r"\s+of$", "", m["vague"], flags=re.IGNORECASE)
        v = _vague_value(word, table)
        if v is None:
            return None
        kind = _kind_of_prefix(prefix) if prefix else "vague"
        low: int | None = v if kind == "at_least" else None
        best: int | None = v
        high: int | None = None
        if kind == "at_most":
            low, best, high = None, None, v
        elif kind == "approximate":
            kind = "vague"
        return _Parsed(m.start(), m.start("vague") + len(word), low, best, high, kind, word)
    n1 = parse_number(m["n1"])
    if n1 is None:
        return None
    if m["n2"]:
        n2 = parse_number(m["n2"])
        if n2 is not None and n2 > n1:
            low = n1
            return _Parsed(m.start(), m.end(), low, low, n2, "range", None)
        # "5-6" that is not increasing: keep only the first number
        return _Parsed(m.start(), m.end("n1"), n1, n1, n1, "exact", None)
    if not prefix:
        return _Parsed(m.start(), m.end(), n1, n1, n1, "exact", None)
    kind = _kind_of_prefix(prefix)
    if kind == "at_least":
        return _Parsed(m.start(), m.end(), n1, n1, None, kind, None)
    if kind == "at_most":
        return _Parsed(m.start(), m.end(), None, None, n1, kind, None)
    return _Parsed(m.start(), m.end(), None, n1, None, kind, None)


def _nearest(
    keywords: tuple[re.Pattern[str], list[str]], text: str, start: int, end: int, reach: int
) -> tuple[str, int] | None:
    """Category of the keyword closest to text[start:end] (within ``reach`` characters); ties go
    to the category listed first."""
    rx, labels = keywords
    best: tuple[int, int] | None = None  # (distance, category index)
    # only keywords within reach count: search that stretch, with room for the longest keyword
    # phrase on either side (the engine sees the text around it for word boundaries)
    lo = max(0, start - reach - _LONGEST_KEYWORD)
    hi = min(len(text), end + reach + _LONGEST_KEYWORD)
    for m in rx.finditer(text, lo, hi):
        if m.end() <= start:
            dist = start - m.end()
        elif m.start() >= end:
            dist = m.start() - end
        else:
            dist = 0
        if dist > reach:
            continue
        key = (dist, int(m.lastgroup[1:]))  # type: ignore[index]
        if best is None or key < best:
            best = key
    return None if best is None else (labels[best[1]], best[0])


# how far a clause reaches on either side of a number (code points): far more than the keyword
# reach of _nearest (60 + the longest keyword), so bounding it changes no result
_CLAUSE_REACH = 600
_CLAUSE_END = re.compile(r"[.;!?\n()]|\s(?:while|whereas|but)\s|,\s*(?:which|who|whose|where)\b")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence-ish stretch around text[start:end]."""
    # look back a bounded stretch only: scanning from the start of the text for every number
    # made a long report quadratic
    window = max(0, start - _CLAUSE_REACH)
    left = window
    for m in _CLAUSE_END.finditer(text, window, start):
        # a dot between digits ("1.200") or in an abbreviation is no sentence end
        if m.group(0) == "." and m.start() > 0 and text[m.start() - 1].isdigit() and (
            m.end() < len(text) and text[m.end()].isdigit()
        ):  # fmt: skip
            continue
        left = m.end()
    # and ahead as far: a report without sentence ends (one long line) would otherwise give
    # every number a clause to the end of the text, and the scan would be quadratic
    right = min(len(text), end + _CLAUSE_REACH)
    for m in _CLAUSE_END.finditer(text, end, right):
        if m.group(0) == "." and m.end() < len(text) and text[m.end()].isdigit():
            continue
        right = m.start()
        break
    return left, right


class _Clauses:
    """Every clause end of a text, found once, for the bounds of many numbers in it (the same
    bounds as :func:`_clause`, which searches around one number)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.dots: list[bool] = []
        for m in _CLAUSE_END.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.dots.append(m.group(0) == ".")

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        text, starts, ends, dots = self.text, self.starts, self.ends, self.dots
        n = len(text)
        window = max(0, start - _CLAUSE_REACH)
        left = window
        i = bisect_right(ends, start) - 1
        while i >= 0 and starts[i] >= window:
            a, b = starts[i], ends[i]
            if dots[i] and a > 0 and text[a - 1].isdigit() and b < n and text[b].isdigit():
                i -= 1
                continue
            left = b
            break
        right = min(n, end + _CLAUSE_REACH)
        j = bisect_left(starts, end)
        while j < len(starts) and starts[j] < right:
            if dots[j] and ends[j] < n and text[ends[j]].isdigit():
                j += 1
                continue
            right = starts[j]
            break
        return left, right


# a noun phrase, a relative clause, then the main predicate: the predicate says what happened
# to the number ("Three soldiers who had been taken captive in an ambush, were executed")
_RELATIVE_THEN_PREDICATE = re.compile(
    r"[^,.;]{0,40}?\b(?:who|that|which|whom)\b[^.;]{0,200}?,\s*(?:\w+\s+){0,2}?"
    r"(?:was|were|have\s+been|had\s+been|has\s+been|are|is)\s+(?:\w+ly\s+)?"
    r"(?P<status>" + "|".join(f"(?:{pat})" for pat, _ in _STATUS_WORDS) + r")\b",
    re.IGNORECASE,
)

# what makes a count a total over many events or a period (DOMAIN.md: an aggregate)
_AGGREGATE_CUES = re.compile(
    r"\b(?:a\s+total\s+of|in\s+total|totall?(?:ed|ing|s)?|overall|altogether|in\s+all|combined"
    r"|cumulative|tally|alone|so\s+far|to\s+date|since\s+(?:the\s+)?(?:start|beginning)"
    r"|(?:from|in|during|across|over)\s+(?:the|these|those|\d+|\w+)\s+(?:\w+\s+)?(?:attacks|operations"
    r"|raids|incidents|clashes)|(?:per|a|each|every)\s+(?:week|month|year)"
    r"|first\s+(?:\w+\s+)?(?:days|weeks|months)\s+of|between\s+\w+\s+\d{1,2}\s+and\s+\d{1,2}"
    r"|this\s+year|last\s+year|in\s+\d{4})\b",
    re.IGNORECASE,
)
_OPERATIONS = re.compile(
    r"\b(?:carried\s+out|conducted|launched|claimed|staged|mounted|executed|performed)\s+$",
    re.IGNORECASE,
)


def is_aggregate(text: str, start: int, end: int) -> bool:
    """Whether the count at ``text[start:end]`` is a total over a period or several events: its
    sentence says so ("a total of", "overall", "alone", "from the attacks", "in the first six days
    of", "this year", "weekly" ...). See docs/normalization.md."""
    lo = max(0, start - 300)
    for m in re.finditer(r"[.!?]\s|\n", text[lo:start]):
        lo_new = lo + m.end()
        lo = max(lo, lo_new) if lo_new <= start else lo
    hi = end
    m_end = re.search(r"[.!?](?:\s|$)|\n", text[end:end + 300])
    hi = end + (m_end.start() if m_end else min(300, len(text) - end))
    return _AGGREGATE_CUES.search(text, lo, hi) is not None


def _describe(
    text: str,
    start: int,
    end: int,
    clauses: _Clauses | None = None,
    low: str | None = None,
) -> tuple[str | None, str | None, str, int | None]:
    """(status, victim category, unit, distance to the status word) of the number at start:end.

    ``clauses`` (of ``text``) and ``low`` (``text`` in lower case, the same length) save work
    when many numbers of one text are described."""
    left, right = clauses.bounds(start, end) if clauses else _clause(text, start, end)
    window = text[left:right]
    s, e = start - left, end - left
    if low is not None:
        low_window = low[left:right]
        status = _nearest(_STATUS_LOW, low_window, s, e, 60)
        victim = _nearest(_VICTIM_LOW, low_window, s, e, 40)
    else:
        status = _nearest(_STATUS_RE, window, s, e, 60)
        victim = _nearest(_VICTIM_RE, window, s, e, 40)
    predicate = _RELATIVE_THEN_PREDICATE.match(window, e)
    if predicate is not None:  # "Three soldiers who had been taken captive ..., were executed"
        rx, labels = _STATUS_RE
        found = rx.fullmatch(predicate["status"])
        if found is not None and found.lastgroup:
            status = (labels[int(found.lastgroup[1:])], predicate.start("status") - e)
    unit = "persons"
    for rx, name in _UNIT_RE:
        if rx.match(window[e:]):
            unit = name
            break
    return (
        status[0] if status else None,
        victim[0] if victim else None,
        unit,
        status[1] if status else None,
    )


def normalize_count(
    text: str,
    context: str = "",
    vague_table: Mapping[str, int] | None = None,
    *,
    at: int | None = None,
) -> CountValue:
    """Normalize the count in ``text`` (a span a coder tagged, e.g. "at least 20").

    ``context`` is the surrounding sentence (it may contain ``text``); status and victim category
    come from words in the span first, then near the span in the context. ``vague_table``
    overrides :data:`DEFAULT_VAGUE_TABLE` entries (keys lower case, e.g. "several"). ``at`` is
    where the span starts in ``context`` (code points); by default its first occurrence.
    """
    table = _table(vague_table)
    parsed = None
    for m in _COUNT_RE.finditer(text):
        parsed = _parse_match(m, table)
        if parsed is not None:
            break
    if parsed is None:
        return CountValue(None, None, None, None)
    status, victim, unit, _ = _describe(text, parsed.start, parsed.end)
    if context and (status is None or victim is None):
        if at is None:
            at = context.find(text)
        if at >= 0:
            c_status, c_victim, c_unit, _ = _describe(
                context, at + parsed.start, at + parsed.end
            )
        else:
            c_status, c_victim, c_unit, _ = _describe(context, 0, 0)
        status = status or c_status
        victim = victim or c_victim
        if unit == "persons" and at >= 0:
            unit = c_unit
    aggregate = is_aggregate(text, parsed.start, parsed.end)
    if context and at is not None and at >= 0:
        aggregate = aggregate or is_aggregate(context, at + parsed.start, at + parsed.end)
    if unit == "operations" and parsed.best is not None and parsed.best > 1:
        aggregate = True  # "24 operations" is a total over many events
    return CountValue(
        parsed.low, parsed.best, parsed.high, parsed.kind, parsed.vague_word, status, victim, unit,
        aggregate,
    )


def _table(vague_table: Mapping[str, int] | None) -> Mapping[str, int]:
    if not vague_table:
        return DEFAULT_VAGUE_TABLE
    merged = dict(DEFAULT_VAGUE_TABLE)
    merged.update({k.lower(): v for k, v in vague_table.items()})
    return merged


# ---------------------------------------------------------------------------------------------
# Finder

# what a number is when it is not a casualty count
_NOT_A_COUNT_AFTER = re.compile(
    r"^(?:\s*(?:-|\u2013)?\s*(?:years?|yrs?|months?|weeks?|days?|hours?|minutes?|km|kilomet(?:re|er)s?"
    r"|miles?|met(?:re|er)s?|kg|tons?|tonnes?|percent|per\s*cent|%|times|am|pm|a\.m\.|p\.m\."
    r"|dollars|euros|cfa|francs|usd|mm|calibre|caliber|th|st|nd|rd|inhabitants|population"
    r"|households)\b|[:/]\d|\s*-\s*year-old"
    r"|-year|\s+o'clock)",
    re.IGNORECASE,
)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\baged|\bage|\bissue|\bno\.|\bnumber|\bresolution|\barticle|\bpage|\broute|\bhighway"
    r"|\bvolume|\bkm|\bcfa|\$|\u20ac|#|\bRN|\bN|\bissue\s+no\.)\s*$",
    re.IGNORECASE,
)
_PERSON_NOUN = re.compile(
    r"^\s+(?:(?:\w+[\s-]+){0,2}?)(?:soldiers?|troops|people|persons|civilians?|fighters|"
    r"militants|men|women|children|villagers|policemen|gendarmes?|hostages|captives|prisoners"
    r"|attackers|assailants|gunmen|members|elements|bodies|victims|individuals|others)\b",
    re.IGNORECASE,
)


_ANY_DAY = dt.date(2000, 1, 1)


@without_gc
def find_counts(
    text: str,
    vague_table: Mapping[str, int] | None = None,
    exclude: list[tuple[int, int]] | None = None,
) -> list[Found]:
    """Casualty-like counts in ``text``: numbers near a casualty word (killed, wounded, ...).

    Years, dates, ages, times, distances and sums are left out, and so is any number inside an
    ``exclude`` range (code points, e.g. the dates already found). Attributes are those of a
    ``casualty_count`` span (``count``, ``quantity_kind``, ``vague_word``?, ``status``?,
    ``victim_category``?, ``unit`` = "persons").
    """
    table = _table(vague_table)
    if exclude is None:
        from .dates import find_dates

        # any reference date will do: only the spans matter ("3 December" is no count)
        exclude = [(f.start, f.end) for f in find_dates(text, _ANY_DAY)]
    blocked = IntervalSet(exclude)
    out: list[Found] = []
    clauses = _Clauses(text)
    low = lower_aligned(text)  # None: case is folded as we go
    matches: Iterator[Any] = (
        _COUNT_RE.finditer(text) if low is None
        else (Original(m, text) for m in _COUNT_LOW.finditer(low))
    )  # fmt: skip
    for m in matches:
        parsed = _parse_match(m, table)
        if parsed is None:
            continue
        start, end = parsed.start, parsed.end
        if blocked.overlaps(start, end):
            continue
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "/:-."):
            continue
        after = text[end:end + 40]
        before = text[max(0, start - 20):start]
        if _NOT_A_COUNT_AFTER.match(after) or _NOT_A_COUNT_BEFORE.search(before):
            continue
        core = m["n1"] or m["r1"] or ""
        number = parse_number(core) if core else None
        word = core.strip().lower()
        if word in ("one", "a", "an", "zero") and not _PERSON_NOUN.match(after):
            continue  # "one of the", "no one"
        if number is not None and 1900 <= number <= 2099 and not _PERSON_NOUN.match(after):
            continue  # most likely a year
        status, victim, unit, distance = _describe(text, start, end, clauses, low)
        if unit == "operations" and status is None and (number or 0) >= 3 and _OPERATIONS.search(
            text[max(0, start - 30):start]
        ) and parsed.vague_word is None:
            # "carried out 24 operations": a count of operations, never summed with people
            value = CountValue(parsed.low, parsed.best, parsed.high, parsed.kind, None, None,
                               None, "operations", parsed.best is not None and parsed.best > 1)
            out.append(Found(start, end, text[start:end], value.attributes()))
            continue
        if status is None or unit != "persons":
            continue
        if parsed.vague_word and distance is not None and distance > 30:
            continue  # "many" and "several" are everywhere; keep only those next to the verb
        value = CountValue(
            parsed.low, parsed.best, parsed.high, parsed.kind, parsed.vague_word, status, victim,
            "persons", is_aggregate(text, start, end),
        )
        out.append(Found(start, end, text[start:end], value.attributes()))
    return out
