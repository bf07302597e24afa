"""The English date grammar: each rule a regular expression and a handler building candidates.

Rules register themselves in :data:`RULES` in order; :mod:`.dates` runs them all and keeps the
longest non-overlapping matches.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ._date_values import ABSOLUTE, OTHER, RELATIVE, DateValue, make_value, month_end
from ._numbers import NUMBER_RE, parse_number

# ---------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_ORDINAL_WEEKS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 5, "final": 5}

MON = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?)(?![a-z])"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])"
_WD_PREFIX = rf"(?:{_WD},?\s+(?:the\s+)?)?"
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_TO = r"\s*(?:-|\u2013|\u2014|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b|\band\b)\s*"
_NUM = NUMBER_RE

APPROX_BEFORE = re.compile(
    r"(?:\b(?:on\s+or\s+(?:about|around)|around|about|approximately|roughly|circa|some\s+time"
    r"\s+around|sometime\s+around)|\bc\.)\s+$",
    re.IGNORECASE,
)


def _month_num(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")[:4] if token.lower().startswith("sept") else
                   token.lower().rstrip(".")]  # fmt: skip


def _day_num(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def _capitalised(token: str | None) -> bool:
    return token is None or token[:1].isupper()


# ---------------------------------------------------------------------------------------------
# Candidates


@dataclass
class Cand:
    start: int
    end: int
    values: list[DateValue]
    # for joining two single days into an interval ("28 November to 3 December 2023")
    ymd: tuple[int | None, int, int] | None = None
    rule: str = ""


@dataclass(frozen=True)
class Ctx:
    reference: dt.date | None
    day_first: bool
    other: dt.date | None


def infer_year(month: int, day: int, ref: dt.date) -> int:
    """Latest year in which month/day falls on or before the reference date."""
    year = ref.year
    last = calendar.monthrange(year, month)[1]
    if (month, min(day, last)) > (ref.month, ref.day):
        year -= 1
    return year


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _resolve_day(
    year: int | None, month: int, day: int, ctx: Ctx
) -> tuple[dt.date, str] | None:
    if year is None:
        if ctx.reference is None:
            return None
        year = infer_year(month, day, ctx.reference)
        if month == 2 and day == 29:
            while not calendar.isleap(year):  # "29 February": the latest leap year
                year -= 1
    d = safe_date(year, month, day)
    return (d, ABSOLUTE) if d else None


_Handler = Callable[[re.Match[str], Ctx], "Cand | None"]
RULES: list[tuple[str, re.Pattern[str], _Handler]] = []


def _rule(name: str, pattern: str) -> Callable[[_Handler], _Handler]:
    def deco(fn: _Handler) -> _Handler:
        RULES.append((name, re.compile(pattern, re.IGNORECASE), fn))
        return fn

    return deco


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _full_day(m: re.Match[str], ctx: Ctx, suffix: str = "") -> Cand | None:
    mon, day, year = _g(m, "mon" + suffix), _g(m, "day" + suffix), _g(m, "year" + suffix)
    if mon is None or day is None or not _capitalised(mon) or not _capitalised(_g(m, "wd")):
        return None
    month, dnum = _month_num(mon), _day_num(day)
    y = int(year) if year else None
    got = _resolve_day(y, month, dnum, ctx)
    if got is None:
        return None
    d, anchor = got
    return Cand(m.start(), m.end(), [make_value(d, d, anchor)], ymd=(y, month, dnum))


@_rule("dmy", rf"\b{_WD_PREFIX}(?:the\s+)?(?P<day>{_DAY})(?:\s+of)?\s+(?P<mon>{MON})"
       rf"(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _dmy(m: re.Match[str], ctx: Ctx) -> Cand | None:
    return _full_day(m, ctx)


@_rule("mdy", rf"\b{_WD_PREFIX}(?P<mon>{MON})\s+(?:the\s+)?(?P<day>{_DAY})"
       rf"(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _mdy(m: re.Match[str], ctx: Ctx) -> Cand | None:
    return _full_day(m, ctx)


@_rule("iso", r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?(?![\d/-])")
def _iso(m: re.Match[str], ctx: Ctx) -> Cand | None:
    y, mo = int(m["y"]), int(m["m"])
    if not 1 <= mo <= 12 or not 1800 <= y <= 2099:
        return None
    if m["d"] is None:
        v = make_value(dt.date(y, mo, 1), month_end(y, mo), ABSOLUTE)
        return Cand(m.start(), m.end(), [v])
    d = safe_date(y, mo, int(m["d"]))
    if d is None:
        return None
    return Cand(m.start(), m.end(), [make_value(d, d, ABSOLUTE)], ymd=(y, mo, d.day))


@_rule("numeric", r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
       r"(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)")  # fmt: skip
def _numeric(m: re.Match[str], ctx: Ctx) -> Cand | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if len(m["y"]) == 2:
        y += 2000 if y < 70 else 1900
    readings: list[tuple[int, int]] = []  # (month, day), preferred first
    md, dm = (a, b), (b, a)
    day_first = ctx.day_first or m["sep"] == "."  # 03.12.2023 is written day first everywhere
    for mo, d in ((dm, md) if day_first else (md, dm)):
        if 1 <= mo <= 12 and (mo, d) not in readings and safe_date(y, mo, d):
            readings.append((mo, d))
    if not readings:
        return None
    values = [make_value(dt.date(y, mo, d), dt.date(y, mo, d), ABSOLUTE) for mo, d in readings]
    mo, d = readings[0]
    return Cand(m.start(), m.end(), values, ymd=(y, mo, d))


@_rule("range_md", rf"\b(?:(?P<pre>between|from)\s+)?(?P<mon>{MON})\s+(?P<d1>{_DAY}){_TO}"
       rf"(?P<d2>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _range_md(m: re.Match[str], ctx: Ctx) -> Cand | None:
    return _same_month_range(m, ctx)


@_rule("range_dm", rf"\b(?:(?P<pre>between|from)\s+)?(?:the\s+)?(?P<d1>{_DAY}){_TO}(?:the\s+)?"
       rf"(?P<d2>{_DAY})(?:\s+of)?\s+(?P<mon>{MON})(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _range_dm(m: re.Match[str], ctx: Ctx) -> Cand | None:
    return _same_month_range(m, ctx)


def _connector_ok(m: re.Match[str]) -> bool:
    # "December 1 and 6" lists two days; only "between ... and ..." makes it a range
    between = (_g(m, "pre") or "").lower() == "between"
    has_and = re.search(r"\band\b", m.group(0), re.IGNORECASE) is not None
    return between or not has_and


def _same_month_range(m: re.Match[str], ctx: Ctx) -> Cand | None:
    if not _capitalised(m["mon"]) or not _connector_ok(m):
        return None
    month = _month_num(m["mon"])
    d1, d2 = _day_num(m["d1"]), _day_num(m["d2"])
    if d2 <= d1:
        return None
    year = int(m["year"]) if m["year"] else None
    if year is None:
        if ctx.reference is None:
            return None
        year = infer_year(month, d1, ctx.reference)
    a, b = safe_date(year, month, d1), safe_date(year, month, d2)
    if a is None or b is None:
        return None
    return Cand(m.start(), m.end(), [make_value(a, b, ABSOLUTE)])


@_rule("first_days", rf"\bthe\s+(?P<which>first|last|final)\s+(?P<n>{_NUM})\s+days\s+of\s+"
       rf"(?P<mon>{MON})(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _first_days(m: re.Match[str], ctx: Ctx) -> Cand | None:
    n = parse_number(m["n"])
    span = _month_span(m, ctx)
    if n is None or span is None or not 1 <= n <= 31:
        return None
    first, last = span
    if m["which"].lower() == "first":
        a, b = first, min(last, first + dt.timedelta(days=n - 1))
    else:
        a, b = max(first, last - dt.timedelta(days=n - 1)), last
    return Cand(m.start(), m.end(), [make_value(a, b, ABSOLUTE)])


@_rule("week_of", rf"\bthe\s+(?P<which>first|second|third|fourth|last|final)\s+week\s+of\s+"
       rf"(?P<mon>{MON})(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _week_of(m: re.Match[str], ctx: Ctx) -> Cand | None:
    span = _month_span(m, ctx)
    if span is None:
        return None
    first, last = span
    k = _ORDINAL_WEEKS[m["which"].lower()]
    if k == 5:
        a, b = last - dt.timedelta(days=6), last
    else:
        a = first + dt.timedelta(days=7 * (k - 1))
        b = a + dt.timedelta(days=6)
    return Cand(m.start(), m.end(), [make_value(a, b, ABSOLUTE, granularity="week")])


def _month_span(m: re.Match[str], ctx: Ctx) -> tuple[dt.date, dt.date] | None:
    mon = m["mon"]
    if not _capitalised(mon):
        return None
    month = _month_num(mon)
    year = int(m["year"]) if _g(m, "year") else None
    if year is None:
        if ctx.reference is None:
            return None
        year = infer_year(month, 1, ctx.reference)
    return dt.date(year, month, 1), month_end(year, month)


@_rule("part_of_month", r"\b(?P<part>early|mid|late|the\s+(?:middle|end|beginning|start)\s+of)"
       rf"[\s-]*(?P<mon>{MON})(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _part_of_month(m: re.Match[str], ctx: Ctx) -> Cand | None:
    span = _month_span(m, ctx)
    if span is None:
        return None
    first, last = span
    part = m["part"].lower()
    if part == "early" or "beginning" in part or "start" in part:
        return Cand(m.start(), m.end(), [
            make_value(first, first.replace(day=10), ABSOLUTE, approximate=True),
            make_value(first, last, ABSOLUTE, approximate=True),
        ])  # fmt: skip
    if part == "late" or "end" in part:
        return Cand(m.start(), m.end(), [
            make_value(first.replace(day=21), last, ABSOLUTE, approximate=True),
            make_value(first, last, ABSOLUTE, approximate=True),
        ])  # fmt: skip
    mid = first.replace(day=15)
    return Cand(m.start(), m.end(), [
        make_value(first.replace(day=11), first.replace(day=20), ABSOLUTE, approximate=True,
                   granularity="week", value=f"{mid.isoformat()}~"),
        make_value(first.replace(day=11), first.replace(day=20), ABSOLUTE, approximate=True),
        make_value(first, last, ABSOLUTE, approximate=True),
    ])  # fmt: skip


@_rule("part_of_year", rf"\b(?P<part>early|mid|late)[\s-]+(?P<year>{_YEAR})")
def _part_of_year(m: re.Match[str], ctx: Ctx) -> Cand | None:
    y = int(m["year"])
    a, b = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[m["part"].lower()]
    return Cand(m.start(), m.end(), [
        make_value(dt.date(y, a, 1), month_end(y, b), ABSOLUTE, approximate=True),
        make_value(dt.date(y, 1, 1), dt.date(y, 12, 31), ABSOLUTE, approximate=True),
    ])  # fmt: skip


@_rule("month_range", rf"\b(?P<pre>between|from)\s+(?P<mon1>{MON})(?:\s+(?P<year1>{_YEAR}))?"
       rf"{_TO}(?P<mon2>{MON})(?:,?\s+(?P<year>{_YEAR}))?")  # fmt: skip
def _month_range(m: re.Match[str], ctx: Ctx) -> Cand | None:
    if not (_capitalised(m["mon1"]) and _capitalised(m["mon2"]) and _connector_ok(m)):
        return None
    m1, m2 = _month_num(m["mon1"]), _month_num(m["mon2"])
    y2 = int(m["year"]) if m["year"] else None
    if y2 is None:
        if ctx.reference is None:
            return None
        y2 = infer_year(m2, 1, ctx.reference)
    y1 = int(m["year1"]) if m["year1"] else (y2 if m1 <= m2 else y2 - 1)
    a, b = dt.date(y1, m1, 1), month_end(y2, m2)
    if b <= a:
        return None
    return Cand(m.start(), m.end(), [make_value(a, b, ABSOLUTE)])


@_rule("month_year", rf"\b(?P<mon>{MON}),?\s+(?P<year>{_YEAR})")
def _month_year(m: re.Match[str], ctx: Ctx) -> Cand | None:
    if not _capitalised(m["mon"]):
        return None
    mo, y = _month_num(m["mon"]), int(m["year"])
    v = make_value(dt.date(y, mo, 1), month_end(y, mo), ABSOLUTE)
    return Cand(m.start(), m.end(), [v])


# a month alone needs a word before it that makes it a date ("in November", "since May")
@_rule("month_only", rf"\b(?:in|during|since|throughout|until|by|of|for)\s+"
       rf"(?P<mon>{MON})(?!\s*\d)")  # fmt: skip
def _month_only(m: re.Match[str], ctx: Ctx) -> Cand | None:
    mon = m["mon"]
    # "mar", "may" etc. only as full, capitalised names; abbreviations need a day or year
    if not _capitalised(mon) or mon.lower().rstrip(".") not in _MONTHS or len(mon) < 3:
        return None
    if mon.endswith(".") or mon.lower() in ("jan", "feb", "mar", "apr", "jun", "jul", "aug",
                                            "sep", "sept", "oct", "nov", "dec"):  # fmt: skip
        return None
    if ctx.reference is None:
        return None
    mo = _month_num(mon)
    y = infer_year(mo, 1, ctx.reference)
    v = make_value(dt.date(y, mo, 1), month_end(y, mo), ABSOLUTE)
    return Cand(m.start("mon"), m.end(), [v])


# nouns after which a four-digit number is a count, not a year ("of 1999 men")
_COUNTED = (
    r"(?:percent|people|persons|men|women|children|soldiers|troops|fighters|militants|civilians"
    r"|members|dead|killed|victims|casualties|refugees|displaced|families|households|houses"
    r"|km|kilomet|metres|meters|dollars|usd|euros)"
)


@_rule("year_only", rf"\b(?:in|during|since|throughout|until|by|of|for)\s+(?P<year>{_YEAR})"
       rf"(?!\s*(?:[-/]\s*\d|%|{_COUNTED}))")  # fmt: skip
def _year_only(m: re.Match[str], ctx: Ctx) -> Cand | None:
    y = int(m["year"])
    v = make_value(dt.date(y, 1, 1), dt.date(y, 12, 31), ABSOLUTE)
    return Cand(m.start("year"), m.end(), [v])


_SEASON_BOUNDS = {21: ((3, 1), (5, 31)), 22: ((6, 1), (8, 31)), 23: ((9, 1), (11, 30))}


def _season_value(code: int, year: int, anchor: str) -> DateValue:
    if code == 24:  # winter YEAR: December of YEAR to February of the next year
        a, b = dt.date(year, 12, 1), month_end(year + 1, 2)
    else:
        (m1, d1), (m2, d2) = _SEASON_BOUNDS[code]
        a, b = dt.date(year, m1, d1), dt.date(year, m2, d2)
    return make_value(a, b, anchor, granularity="season", value=f"{year:04d}-{code}")


@_rule("season", rf"\b(?:(?P<rel>last|this|past)\s+|(?:the\s+)?)(?P<season>spring|summer|autumn"
       rf"|fall|winter)(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?")  # fmt: skip
def _season(m: re.Match[str], ctx: Ctx) -> Cand | None:
    code = _SEASONS[m["season"].lower()]
    if m["year"]:
        return Cand(m.start(), m.end(), [_season_value(code, int(m["year"]), ABSOLUTE)])
    rel = (m["rel"] or "").lower()
    if not rel or ctx.reference is None or m["season"].lower() == "fall":
        return None  # "the fall of the town", "in the summer" without a year: too vague
    ref = ctx.reference
    year = ref.year
    cur = _season_value(code, year, RELATIVE)
    if cur.start > ref:
        year -= 1
    if rel in ("last", "past") and _season_value(code, year, RELATIVE).end >= ref:
        year -= 1
    return Cand(m.start(), m.end(), [_season_value(code, year, RELATIVE)])


_REL_DAYS = {
    "today": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
    "yesterday": 1, "last night": 1, "yesterday morning": 1, "yesterday afternoon": 1,
    "yesterday evening": 1, "the day before yesterday": 2,
}  # fmt: skip


@_rule("rel_day", r"\b(?:the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|"
       r"evening))?|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b")  # fmt: skip
def _rel_day(m: re.Match[str], ctx: Ctx) -> Cand | None:
    if ctx.reference is None:
        return None
    key = re.sub(r"\s+", " ", m.group(0).lower())
    d = ctx.reference - dt.timedelta(days=_REL_DAYS[key])
    return Cand(m.start(), m.end(), [make_value(d, d, RELATIVE)])


def _unit_back(ref: dt.date, n: int, unit: str, anchor: str) -> DateValue:
    if unit == "day":
        d = ref - dt.timedelta(days=n)
        return make_value(d, d, anchor)
    if unit == "week":
        d = ref - dt.timedelta(days=7 * n)
        monday = d - dt.timedelta(days=d.weekday())
        return make_value(monday, monday + dt.timedelta(days=6), anchor, granularity="week")
    if unit == "month":
        y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
        return make_value(dt.date(y, mo + 1, 1), month_end(y, mo + 1), anchor)
    y = ref.year - n
    return make_value(dt.date(y, 1, 1), dt.date(y, 12, 31), anchor)


@_rule("ago", rf"\b(?P<n>{_NUM}|a|an)\s+(?P<unit>day|week|month|year)s?\s+ago\b")
def _ago(m: re.Match[str], ctx: Ctx) -> Cand | None:
    n = 1 if m["n"].lower() in ("a", "an") else parse_number(m["n"])
    if ctx.reference is None or n is None or n > 400:
        return None
    return Cand(m.start(), m.end(), [_unit_back(ctx.reference, n, m["unit"].lower(), RELATIVE)])


def week_of_date(d: dt.date) -> tuple[dt.date, dt.date]:
    monday = d - dt.timedelta(days=d.weekday())
    return monday, monday + dt.timedelta(days=6)


@_rule("rel_period", r"\b(?P<rel>last|this|earlier\s+this|past|previous|the\s+past|the\s+previous"
       r"|over\s+the|the)\s+(?P<unit>week(?:end)?|month|year)\b")  # fmt: skip
def _rel_period(m: re.Match[str], ctx: Ctx) -> Cand | None:
    ref = ctx.reference
    if ref is None:
        return None
    rel = re.sub(r"\s+", " ", m["rel"].lower()).removeprefix("the ").removeprefix("over ")
    unit = m["unit"].lower()
    yesterday = ref - dt.timedelta(days=1)
    if unit == "weekend":
        if rel not in ("last", "this", "past", "previous", "the"):
            return None
        sunday = ref - dt.timedelta(days=(ref.weekday() - 6) % 7)
        if rel in ("last", "previous", "past") and sunday == ref:
            sunday -= dt.timedelta(days=7)
        return Cand(m.start(), m.end(),
                     [make_value(sunday - dt.timedelta(days=1), sunday, RELATIVE)])  # fmt: skip
    if rel in ("the", ""):
        return None  # "the week", "over the month": too vague on their own
    if rel == "earlier this":
        first = {"week": week_of_date(ref)[0], "month": ref.replace(day=1),
                 "year": ref.replace(month=1, day=1)}[unit]  # fmt: skip
        last = max(first, yesterday)
        return Cand(m.start(), m.end(), [make_value(first, last, RELATIVE)])
    if rel == "this":
        v = {"week": make_value(*week_of_date(ref), RELATIVE, granularity="week"),
             "month": make_value(ref.replace(day=1), month_end(ref.year, ref.month), RELATIVE),
             "year": make_value(dt.date(ref.year, 1, 1), dt.date(ref.year, 12, 31), RELATIVE),
             }[unit]  # fmt: skip
        return Cand(m.start(), m.end(), [v])
    if rel in ("past", "previous") and m["rel"].lower().startswith("the"):
        # "the past week": the seven days before the reference date
        days = {"week": 7, "month": 30, "year": 365}[unit]
        a = ref - dt.timedelta(days=days)
        return Cand(m.start(), m.end(), [make_value(a, yesterday, RELATIVE),
                                          _unit_back(ref, 1, unit, RELATIVE)])  # fmt: skip
    # last / past / previous week|month|year: the previous calendar unit
    return Cand(m.start(), m.end(), [_unit_back(ref, 1, unit, RELATIVE)])


@_rule("past_n", rf"\b(?:the|over\s+the)\s+(?:past|last|previous)\s+(?P<n>{_NUM})\s+"
       r"(?P<unit>day|week|month)s\b")  # fmt: skip
def _past_n(m: re.Match[str], ctx: Ctx) -> Cand | None:
    n = parse_number(m["n"])
    if ctx.reference is None or n is None or n < 1:
        return None
    days = n * {"day": 1, "week": 7, "month": 30}[m["unit"].lower()]
    a = ctx.reference - dt.timedelta(days=days)
    return Cand(m.start(), m.end(), [make_value(a, ctx.reference, RELATIVE)])


@_rule("weekday", rf"\b(?:(?P<rel>last|this|past|previous)\s+)?(?P<wd>{_WD}){_DAYPART}")
def _weekday(m: re.Match[str], ctx: Ctx) -> Cand | None:
    if ctx.reference is None or not _capitalised(m["wd"]):
        return None
    ref = ctx.reference
    wd = _WEEKDAYS[m["wd"].lower()]
    back = (ref.weekday() - wd) % 7
    rel = (m["rel"] or "").lower()
    if rel in ("last", "past", "previous") and back == 0:
        back = 7
    d = ref - dt.timedelta(days=back)
    values = [make_value(d, d, RELATIVE)]
    if rel in ("last", "past", "previous") and back < 7:
        # some writers mean the one in the previous calendar week
        prev = ref - dt.timedelta(days=ref.weekday() + 7 - wd)
        if prev != d:
            values.append(make_value(prev, prev, RELATIVE))
    elif not rel and back == 0:
        values.append(make_value(d - dt.timedelta(days=7), d - dt.timedelta(days=7), RELATIVE))
    return Cand(m.start(), m.end(), values)


_OTHER_DAYS = {"previous": -1, "before": -1, "next": 1, "following": 1, "after": 1, "same": 0}


@_rule("other_rel", rf"\b(?:the\s+(?P<w1>previous|next|following|same)\s+day"
       r"|the\s+day\s+(?P<w2>before|after)|that\s+(?:same\s+)?day"
       rf"|(?P<n>{_NUM}|a)\s+(?P<unit>day|week)s?\s+(?P<w3>later|earlier|before|after)(?!\s+\w))"
       )  # fmt: skip
def _other_rel(m: re.Match[str], ctx: Ctx) -> Cand | None:
    if ctx.other is None:
        return None
    if m["w3"]:
        n = 1 if m["n"].lower() == "a" else parse_number(m["n"])
        if n is None:
            return None
        n *= 7 if m["unit"].lower() == "week" else 1
        delta = n if m["w3"].lower() in ("later", "after") else -n
    else:
        word = (m["w1"] or m["w2"] or "same").lower()
        delta = _OTHER_DAYS[word]
    d = ctx.other + dt.timedelta(days=delta)
    return Cand(m.start(), m.end(), [make_value(d, d, OTHER)])
