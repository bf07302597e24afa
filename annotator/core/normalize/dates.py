"""Dates in report text -> EDTF strings with granularity and anchor (codebook attribute ``date``).

The grammar here is English and deliberately explicit (regular expressions over the text), so a
finder can return exact code point spans and ranges ("between December 1 and 6") become EDTF
intervals. Phrases the grammar does not know are handed to ``dateparser`` (other languages,
unusual wordings) by :func:`normalize_date`, in the languages of :data:`DATE_LANGUAGES` only:
with every locale dateparser tries about 200 of them on a phrase that is not a date (2.3 s the
first time in a process, then 12-16 ms each time), with these seven 60 ms once and 1 ms after.

Conventions (see docs/normalization.md):
- a day and month without a year take the latest such date on or before the reference date;
- "on Sunday" / "Sunday" is the latest Sunday on or before the reference, "last Sunday" the
  latest strictly before it; "last week" is the previous Monday-Sunday calendar week;
- early / mid / late month are days 1-10 / 11-20 / 21-end and are approximate (``~``);
- granularity of an interval follows its length: 1 day = day, up to 10 days = week, up to 31 =
  month, up to 92 = season, longer = year.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

from ..gcpause import without_gc
from ._common import Found, IntervalSet, Original, lower_aligned
from ._date_rules import (
    APPROX_BEFORE,
    MON,
    RULES,
    Cand,
    Ctx,
    infer_year,
    safe_date,
    week_of_date,
)
from ._date_values import ABSOLUTE, RELATIVE, DateValue, approximated, make_value, month_end

__all__ = ["DateValue", "find_dates", "normalize_date"]


# ---------------------------------------------------------------------------------------------
# Scanning


# A word every match of a rule contains (in lower case). A rule is only tried near its word:
# a long report is mostly prose without any month name, "ago" or "yesterday", and trying twenty
# patterns at every character of it was most of the scan.
_MONTH_WORD = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_TRIGGER_WORDS = {
    "dmy": _MONTH_WORD, "mdy": _MONTH_WORD, "range_md": _MONTH_WORD, "range_dm": _MONTH_WORD,
    "week_of": _MONTH_WORD, "part_of_month": _MONTH_WORD, "month_range": _MONTH_WORD,
    "month_year": _MONTH_WORD, "month_only": _MONTH_WORD,
    "iso": r"\d-\d", "numeric": r"\d[/.]\d",
    "first_days": r"first|last|final", "part_of_year": r"early|mid|late",
    "year_only": r"1[89]\d\d|20\d\d", "season": r"spring|summer|autumn|fall|winter",
    "rel_day": r"yesterday|today|tonight|night|morning|afternoon|evening", "ago": r"ago",
    "rel_period": r"week|month|year", "past_n": r"past|last|previous",
    "weekday": r"monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    "other_rel": r"day|week",
}  # fmt: skip
_TRIGGERS = {name: re.compile(word) for name, word in _TRIGGER_WORDS.items()}
# how far a match reaches before or after its word (the longest rule, a day range with weekday
# and year, is under 70 characters)
_REACH = 100
# the rules without IGNORECASE, for text lowered once
_LOWER_RULES = {name: re.compile(rx.pattern) for name, rx, _ in RULES}
_RULES_BY_NAME = {name: rx for name, rx, _ in RULES}


def _windows(low: str, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """Stretches of ``low`` within reach of an occurrence of ``trigger``, merged."""
    n = len(low)
    near = ((max(0, m.start() - _REACH), min(n, m.end() + _REACH)) for m in trigger.finditer(low))
    return IntervalSet(near).runs()


def _matches(
    name: str, text: str, low: str | None, windows: dict[str, list[tuple[int, int]]]
) -> Iterator[Any]:
    """The matches of rule ``name`` in ``text``: near its trigger word in the lowered text
    ``low`` when there is one (``windows`` caches the stretches per word), else everywhere."""
    if low is None:
        yield from _RULES_BY_NAME[name].finditer(text)
        return
    word = _TRIGGER_WORDS[name]
    if word not in windows:
        windows[word] = _windows(low, _TRIGGERS[name])
    rx = _LOWER_RULES[name]
    for start, end in windows[word]:
        for m in rx.finditer(low, start, end):
            yield Original(m, text)


def _candidates(
    text: str, ctx: Ctx, low: str | None, windows: dict[str, list[tuple[int, int]]]
) -> Iterator[Cand]:
    for name, _, handler in RULES:
        if name == "other_rel" and ctx.other is None:
            continue  # counts from another date: see _candidates_other
        for m in _matches(name, text, low, windows):
            cand = handler(m, ctx)
            if cand is not None:
                cand.rule = name
                yield cand


def _choose(cands: list[Cand]) -> list[Cand]:
    """Non-overlapping candidates, longer ones first, then earlier ones."""
    chosen: list[Cand] = []
    taken: list[tuple[int, int]] = []  # chosen intervals, sorted by start (they never overlap)
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        i = bisect_left(taken, (c.start, -1))
        left_ok = i == 0 or taken[i - 1][1] <= c.start
        right_ok = i == len(taken) or taken[i][0] >= c.end
        if left_ok and right_ok:
            taken.insert(i, (c.start, c.end))
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_JOIN = re.compile(r"^\s*(?:-|\u2013|\u2014|to|through|until|till|and)\s*$", re.IGNORECASE)
_RANGE_PRE = re.compile(r"\b(between|from)\s+$", re.IGNORECASE)


def _join_ranges(text: str, chosen: list[Cand], ctx: Ctx) -> list[Cand]:
    """Two single days joined by "to", "-" or "between ... and" become one interval."""
    out: list[Cand] = []
    i = 0
    while i < len(chosen):
        c = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if nxt is not None and c.ymd and nxt.ymd and _JOIN.match(text[c.end:nxt.start]):
            window_start = max(0, c.start - 12)
            pre = _RANGE_PRE.search(text[window_start:c.start])
            is_and = text[c.end:nxt.start].strip().lower() == "and"
            joined = _join_two(c, nxt, ctx) if pre is not None or not is_and else None
            if joined is not None:
                if pre is not None:
                    joined.start = window_start + pre.start(1)
                out.append(joined)
                i += 2
                continue
        out.append(c)
        i += 1
    return out


def _join_two(a: Cand, b: Cand, ctx: Ctx) -> Cand | None:
    assert a.ymd and b.ymd
    (y1, m1, d1), (y2, m2, d2) = a.ymd, b.ymd
    if y2 is None:
        if ctx.reference is None:
            return None
        y2 = infer_year(m2, d2, ctx.reference)
    if y1 is None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    start, end = safe_date(y1, m1, d1), safe_date(y2, m2, d2)
    if start is None or end is None or end <= start:
        return None
    anchor = ABSOLUTE
    return Cand(a.start, b.end, [make_value(start, end, anchor)], rule="joined")


def _apply_approx(text: str, c: Cand) -> Cand:
    m = APPROX_BEFORE.search(text[max(0, c.start - 30):c.start])
    if m is None:
        return c
    start = max(0, c.start - 30) + m.start()
    return Cand(start, c.end, [approximated(v) for v in c.values], c.ymd, c.rule)


def _scan(text: str, ctx: Ctx) -> list[Cand]:
    base = Ctx(ctx.reference, ctx.day_first, None)
    low = lower_aligned(text)
    windows: dict[str, list[tuple[int, int]]] = {}
    chosen = _choose(list(_candidates(text, base, low, windows)))
    chosen = _join_ranges(text, chosen, base)
    chosen = [_apply_approx(text, c) for c in chosen]
    # "the next day" and "three days later" count from the last date before them
    if _RULES_OTHER.search(text):
        others = [c for c in _candidates_other(text, chosen, ctx, low, windows)]
        chosen = _choose(chosen + others)
    return chosen


_RULES_OTHER = re.compile(r"\b(?:day|week)s?\b", re.IGNORECASE)


def _candidates_other(
    text: str,
    chosen: list[Cand],
    ctx: Ctx,
    low: str | None,
    windows: dict[str, list[tuple[int, int]]],
) -> Iterator[Cand]:
    name, _, handler = next(r for r in RULES if r[0] == "other_rel")
    days = sorted((c.end, k) for k, c in enumerate(chosen) if c.values[0].granularity == "day")
    ends = [e for e, _ in days]
    for m in _matches(name, text, low, windows):
        i = bisect_right(ends, m.start())
        before_day = chosen[days[i - 1][1]] if i else None
        other = before_day.values[0].start if before_day is not None else ctx.other
        if other is None:
            continue
        cand = handler(m, Ctx(ctx.reference, ctx.day_first, other))
        if cand is not None:
            cand.rule = name
            yield cand


@without_gc
def find_dates(text: str, reference: dt.date | None, day_first: bool = False) -> list[Found]:
    """Date expressions in ``text``, as non-overlapping spans sorted by start.

    Offsets are code points. ``attributes`` holds ``value``, ``granularity`` and ``anchor``
    exactly as the codebook stores them. ``reference`` is the report's publication date;
    without it, relative dates and dates without a year are not proposed.
    """
    found = []
    for c in _scan(text, Ctx(reference, day_first, None)):
        found.append(Found(c.start, c.end, text[c.start:c.end], c.values[0].attributes()))
    return found


# ---------------------------------------------------------------------------------------------
# One phrase

_LEAD = re.compile(r"^(?:(?:on|in|during|since|by|at|of|as\s+of)\s+)+", re.IGNORECASE)
_PUNCT = " \t\r\n,.;:()[]\"'"


def normalize_date(
    text: str,
    reference: dt.date | None,
    day_first: bool = False,
    *,
    other_date: dt.date | None = None,
) -> list[DateValue]:
    """Readings of one date phrase, best first (empty when none is found).

    ``reference`` resolves relative phrases and dates without a year (the report's publication
    date); ``other_date`` resolves "the next day" and the like. Numeric dates follow
    ``day_first`` and offer the other order as an alternative when both are possible.
    """
    phrase = text.strip(_PUNCT)
    lead = _LEAD.match(phrase)
    lead_end = lead.end() if lead else 0
    if lead_end >= len(phrase):
        return []
    ctx = Ctx(reference, day_first, other_date)
    scanned = _scan(phrase, ctx)
    if not scanned and re.fullmatch(MON, phrase[lead_end:], re.IGNORECASE):
        # a month name on its own, as a coder may select it
        scanned = [replace_cand(c, -3) for c in _scan("in " + phrase[lead_end:], ctx)]
        lead_end = 0
    covering = [c for c in scanned if c.start <= lead_end and c.end >= len(phrase)]
    if covering:
        return _dedupe(covering[0].values)
    if scanned:
        best = max(scanned, key=lambda c: c.end - c.start)
        if (best.end - best.start) * 2 >= len(phrase) - lead_end:
            return _dedupe(best.values)
    parsed = _dateparser_value(phrase[lead_end:], reference, day_first)
    if parsed is not None:
        return [parsed]
    return _dedupe([v for c in scanned for v in c.values])


def replace_cand(c: Cand, shift: int) -> Cand:
    return Cand(c.start + shift, c.end + shift, c.values, c.ymd, c.rule)


def _dedupe(values: list[DateValue]) -> list[DateValue]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v.value not in seen:
            seen.add(v.value)
            out.append(v)
    return out


_PARSERS: dict[tuple[str, dt.date | None], Any] = {}


def _dateparser_shifted(text: str, reference: dt.date, day_first: bool) -> dt.date | None:
    parser = _parser(reference + dt.timedelta(days=1), day_first)
    try:
        when = parser.get_date_data(text).date_obj
    except (ValueError, OverflowError, TypeError):
        return None
    return None if when is None else when.date()


#: the languages dateparser reads (the fallback for phrases outside the English grammar, and
#: dates in imported tables): the languages of the reports coders work on
DATE_LANGUAGES = ("en", "fr", "es", "ar", "de", "pt", "ru")

#: a day ago in each of DATE_LANGUAGES, read by dateparser (the English one is outside the
#: grammar): dateparser compiles a language's relative words on the first relative phrase in it
#: (60-100 ms each); the warm-up (annotator.core.warmup) reads each once, so that a coder's
#: first "gestern" compiles nothing on the window's thread
WARM_PHRASES = {"en": "24 hours ago", "fr": "hier", "es": "ayer", "ar": "أمس", "de": "gestern",
                "pt": "ontem", "ru": "вчера"}

def _parser(reference: dt.date | None, day_first: bool) -> Any:
    import dateparser  # imported late: it takes a while to load

    key = ("DMY" if day_first else "MDY", reference)
    parser = _PARSERS.get(key)
    if parser is None:
        settings: dict[str, Any] = {
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": key[0],
            "RETURN_TIME_AS_PERIOD": True,
            "PREFER_DAY_OF_MONTH": "first",
        }
        if reference is not None:
            settings["RELATIVE_BASE"] = dt.datetime(reference.year, reference.month, reference.day)
        parser = dateparser.DateDataParser(languages=list(DATE_LANGUAGES), settings=settings)
        if len(_PARSERS) > 32:
            _PARSERS.clear()
        _PARSERS[key] = parser
    return parser


def _dateparser_value(text: str, reference: dt.date | None, day_first: bool) -> DateValue | None:
    """Fallback for phrases outside the grammar (other languages, unusual wordings)."""
    parser = _parser(reference, day_first)
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):  # dateparser raises on odd input
        return None
    when = data.date_obj
    if when is None:
        return None
    d = when.date()
    has_year = re.search(r"(?<!\d)\d{4}(?!\d)", text) is not None
    if reference is None and not has_year:
        return None
    anchor = ABSOLUTE
    if reference is not None:
        # a phrase whose date moves with the reference is relative ("hier", "il y a 3 jours");
        # one that stays put is absolute even without a year ("3 décembre")
        shifted = _dateparser_shifted(text, reference, day_first)
        if shifted is not None and shifted != d:
            anchor = RELATIVE
    period = data.period or "day"
    if period == "year":
        return make_value(dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), anchor)
    if period == "month":
        return make_value(d.replace(day=1), month_end(d.year, d.month), anchor)
    if period == "week":
        return make_value(*week_of_date(d), anchor, granularity="week")
    return make_value(d, d, anchor)
