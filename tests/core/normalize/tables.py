"""Expression tables for the date and count normalizers (written here; expected values are
computed from the calendar and the documented rules, not taken from the normalizer)."""

from __future__ import annotations

import datetime as dt

REF = dt.date(2023, 12, 5)  # a Tuesday
REF2 = dt.date(2024, 3, 1)  # a Friday, in a leap year

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ABBR = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]

# (expression, reference, day_first, expected value, granularity, anchor)
DateCase = tuple[str, dt.date, bool, str, str, str]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _absolute() -> list[DateCase]:
    days = [dt.date(2023, 12, 3), dt.date(2023, 11, 28), dt.date(2023, 1, 9), dt.date(2022, 7, 14),
            dt.date(2023, 10, 31), dt.date(2021, 2, 1), dt.date(2023, 6, 21), dt.date(2020, 2, 29),
            dt.date(2023, 9, 11), dt.date(2019, 12, 25), dt.date(2023, 4, 5), dt.date(2022, 8, 30)]
    out: list[DateCase] = []
    for d in days:
        m, a = MONTHS[d.month - 1], ABBR[d.month - 1]
        iso = d.isoformat()
        for text in (f"{d.day} {m} {d.year}", f"{m} {d.day}, {d.year}", f"{a} {d.day}, {d.year}",
                     f"the {_ordinal(d.day)} of {m} {d.year}", f"{m} {_ordinal(d.day)}, {d.year}",
                     iso):
            out.append((text, REF, False, iso, "day", "absolute"))
        out.append((f"{d.day:02d}/{d.month:02d}/{d.year}", REF, True, iso, "day", "absolute"))
        out.append((f"{d.month:02d}/{d.day:02d}/{d.year}", REF, False, iso, "day", "absolute"))
    # day and month without a year: the latest such date on or before publication
    for text, value in (("3 December", "2023-12-03"), ("Dec. 3", "2023-12-03"), ("November 28", "2023-11-28"),
                        ("on 28 November", "2023-11-28"), ("Nov 28", "2023-11-28"),
                        ("on 1 January", "2023-01-01"), ("December 4th", "2023-12-04"),
                        ("the 30th of November", "2023-11-30")):
        out.append((text, REF, False, value, "day", "absolute"))
    return out


def _relative() -> list[DateCase]:
    rel = "relative_to_publication"
    cases = [
        ("yesterday", "2023-12-04"), ("today", "2023-12-05"), ("this morning", "2023-12-05"),
        ("last night", "2023-12-04"), ("the day before yesterday", "2023-12-03"),
        ("on Monday", "2023-12-04"), ("on Sunday", "2023-12-03"), ("on Saturday", "2023-12-02"),
        ("on Friday", "2023-12-01"), ("on Thursday", "2023-11-30"), ("on Wednesday", "2023-11-29"),
        ("last Monday", "2023-12-04"), ("last Sunday", "2023-12-03"), ("last Tuesday", "2023-11-28"),
        ("on Friday night", "2023-12-01"), ("on Sunday morning", "2023-12-03"),
        ("two days ago", "2023-12-03"), ("three days ago", "2023-12-02"), ("3 days ago", "2023-12-02"),
        ("ten days ago", "2023-11-25"), ("five days ago", "2023-11-30"),
    ]
    out: list[DateCase] = [(t, REF, False, v, "day", rel) for t, v in cases]
    cases2 = [("yesterday", "2024-02-29"), ("on Sunday", "2024-02-25"), ("two days ago", "2024-02-28"),
              ("on Thursday", "2024-02-29"), ("last Friday", "2024-02-23"), ("the day before yesterday", "2024-02-28")]
    out += [(t, REF2, False, v, "day", rel) for t, v in cases2]
    out += [
        ("last month", REF, False, "2023-11", "month", rel),
        ("last month", REF2, False, "2024-02", "month", rel),
        ("last year", REF, False, "2022", "year", rel),
        ("last week", REF, False, "2023-11-27/2023-12-03", "week", rel),
        ("earlier this month", REF, False, "2023-12-01/2023-12-04", "week", rel),
    ]
    return out


def _ranges() -> list[DateCase]:
    a = "absolute"
    return [
        ("between December 1 and 6", REF, False, "2023-12-01/2023-12-06", "week", a),
        ("from 1 to 6 December", REF, False, "2023-12-01/2023-12-06", "week", a),
        ("the first six days of December", REF, False, "2023-12-01/2023-12-06", "week", a),
        ("1-6 December 2023", REF, False, "2023-12-01/2023-12-06", "week", a),
        ("between 10 and 12 November 2023", REF, False, "2023-11-10/2023-11-12", "week", a),
        ("from November 20 to 24", REF, False, "2023-11-20/2023-11-24", "week", a),
        ("November 20-24, 2023", REF, False, "2023-11-20/2023-11-24", "week", a),
        ("from 1 to 30 November", REF, False, "2023-11", "month", a),  # the whole month
        ("between 1 and 3 December", REF, False, "2023-12-01/2023-12-03", "week", a),
        ("the first three days of December", REF, False, "2023-12-01/2023-12-03", "week", a),
        ("the first ten days of November", REF, False, "2023-11-01/2023-11-10", "week", a),
        ("14-15 October 2023", REF, False, "2023-10-14/2023-10-15", "week", a),
    ]


def _months_years() -> list[DateCase]:
    a = "absolute"
    return [
        ("in November 2023", REF, False, "2023-11", "month", a),
        ("November 2023", REF, False, "2023-11", "month", a),
        ("in November", REF, False, "2023-11", "month", a),
        ("in October", REF, False, "2023-10", "month", a),
        ("in January", REF, False, "2023-01", "month", a),
        ("December 2022", REF, False, "2022-12", "month", a),
        ("in March 2021", REF, False, "2021-03", "month", a),
        ("in 2022", REF, False, "2022", "year", a),
        ("in 2019", REF, False, "2019", "year", a),
        ("during 2023", REF, False, "2023", "year", a),
        ("in February", REF2, False, "2024-02", "month", a),
        ("in December", REF2, False, "2023-12", "month", a),
    ]


def _approximate() -> list[DateCase]:
    a = "absolute"
    return [
        ("around mid-November", REF, False, "2023-11-15~", "week", a),
        ("mid-November", REF, False, "2023-11-15~", "week", a),
        ("in mid-October", REF, False, "2023-10-15~", "week", a),
        ("late November", REF, False, "2023-11-21~/2023-11-30~", "week", a),
        ("early December", REF, False, "2023-12-01~/2023-12-10~", "week", a),
        ("in early November", REF, False, "2023-11-01~/2023-11-10~", "week", a),
        ("around 20 November", REF, False, "2023-11-20~", "day", a),
        ("on or about 3 December", REF, False, "2023-12-03~", "day", a),
    ]


DATE_TABLE: list[DateCase] = _absolute() + _relative() + _ranges() + _months_years() + _approximate()

# (expression, expected low, best, high, quantity kind, status, victim category)
CountCase = tuple[str, int | None, int | None, int | None, str, str | None, str | None]


def _counts() -> list[CountCase]:
    out: list[CountCase] = []
    numbers = [(3, "three"), (12, "twelve"), (30, "thirty"), (45, "forty-five"), (120, "one hundred and twenty"),
               (7, "seven"), (250, "two hundred and fifty"), (1200, "one thousand two hundred")]
    statuses = [("killed", "killed"), ("dead", "killed"), ("executed", "executed"), ("wounded", "wounded"),
                ("injured", "wounded"), ("kidnapped", "captured_or_abducted"), ("abducted", "captured_or_abducted"),
                ("missing", "missing")]
    victims = [("soldiers", "military"), ("civilians", "civilian"), ("fighters", "perpetrator"),
               ("villagers", "civilian"), ("troops", "military"), ("militants", "perpetrator")]
    for k, (n, word) in enumerate(numbers):
        status, st = statuses[k % len(statuses)]
        victim, vc = victims[k % len(victims)]
        digits = f"{n:,}"
        out.append((f"{digits} {victim} {status}", n, n, n, "exact", st, vc))
        out.append((f"{word} {victim} were {status}", n, n, n, "exact", st, vc))
        out.append((f"at least {digits} {victim} {status}", n, n, None, "at_least", st, vc))
        out.append((f"more than {digits} {victim} {status}", n, n, None, "at_least", st, vc))
        out.append((f"up to {digits} {victim} {status}", None, None, n, "at_most", st, vc))
        out.append((f"about {digits} {victim} {status}", None, n, None, "approximate", st, vc))
        out.append((f"some {word} {victim} {status}", None, n, None, "approximate", st, vc))
        out.append((f"between {digits} and {n + 5:,} {victim} {status}", n, n, n + 5, "range", st, vc))
        out.append((f"{digits} to {n + 5:,} {victim} {status}", n, n, n + 5, "range", st, vc))
    for word, best in (("dozens", 12), ("several", 10), ("many", 10), ("a few", 3), ("hundreds", 100),
                       ("scores", 20), ("tens", 10)):
        out.append((f"{word} of soldiers killed" if word in ("dozens", "hundreds", "scores", "tens")
                    else f"{word} soldiers killed", None, best, None, "vague", "killed", "military"))
    out += [
        ("killed or wounded 30", 30, 30, 30, "exact", "killed_or_wounded", None),
        ("30 casualties", 30, 30, 30, "exact", "killed_or_wounded", None),
        ("a dozen civilians killed", 12, 12, 12, "exact", "killed", "civilian"),
        ("thirty-two soldiers killed", 32, 32, 32, "exact", "killed", "military"),
        ("three hundred fighters killed", 300, 300, 300, "exact", "killed", "perpetrator"),
        ("two thousand five hundred civilians killed", 2500, 2500, 2500, "exact", "killed", "civilian"),
        ("over 200 troops killed", 200, 200, None, "at_least", "killed", "military"),
        ("nearly 50 casualties", None, 50, None, "approximate", "killed_or_wounded", None),
        ("at most 9 dead", None, None, 9, "at_most", "killed", None),
        ("12-15 killed", 12, 12, 15, "range", "killed", None),
        ("five police officers were abducted", 5, 5, 5, "exact", "captured_or_abducted", "military"),
        ("3 children were kidnapped", 3, 3, 3, "exact", "captured_or_abducted", "civilian"),
        ("1,500 villagers killed", 1500, 1500, 1500, "exact", "killed", "civilian"),
        ("eleven soldiers wounded", 11, 11, 11, "exact", "wounded", "military"),
        ("ninety-nine civilians killed", 99, 99, 99, "exact", "killed", "civilian"),
        ("a hundred fighters killed", 100, 100, 100, "exact", "killed", "perpetrator"),
        ("one soldier killed", 1, 1, 1, "exact", "killed", "military"),
        ("around 40 civilians killed", None, 40, None, "approximate", "killed", "civilian"),
        ("at least twenty villagers wounded", 20, 20, None, "at_least", "wounded", "civilian"),
        ("up to fifteen soldiers missing", None, None, 15, "at_most", "missing", "military"),
        ("between ten and fifteen civilians dead", 10, 10, 15, "range", "killed", "civilian"),
        ("more than a dozen troops injured", 12, 12, None, "at_least", "wounded", "military"),
        ("seven executed", 7, 7, 7, "exact", "executed", None),
        ("two missing", 2, 2, 2, "exact", "missing", None),
    ]
    return out


COUNT_TABLE: list[CountCase] = _counts()
