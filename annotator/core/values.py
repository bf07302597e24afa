"""The attribute value types, in one registry: how a value is checked, read from text, written as
table columns, compared by the agreement statistics and shown to coders.

Every caller goes through the functions at the end (``check``, ``parse``, ``columns``,
``flatten``, ``agreement_value``, ``agreement_level``, ``display``): ``AttributeDef.check`` (so
imports and commands), the coding form (which keeps only type -> editor widget), the spans
table of the CSV/xlsx export, the agreement statistics and the one-line summaries. The same
check runs at import and in the form, so nothing can be stored that the form refuses.

Adding a value type is one ``register(ValueType(...))`` entry here (plus the name in
schemas/codebook.schema.json, and an editor in annotator/gui/attribute_form.py if the default
one-line editor does not fit)::

    register(ValueType("percent", check=_check_percent, parse=_parse_number))

A ``parse`` function takes the text the coder typed (a ``str``), or for a type with ``parts``
a mapping part -> text; it returns the value (None for nothing typed) or raises ValueError
with the reason. ``check`` returns the reason a value is refused, or None.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.edtf import bounds as edtf_bounds

if TYPE_CHECKING:
    from annotator.core.codebook import AttributeDef

__all__ = [
    "PLACE_PARTS",
    "ValueType",
    "agreement_level",
    "agreement_value",
    "check",
    "choice_label",
    "columns",
    "display",
    "flatten",
    "parse",
    "register",
    "text_of",
    "value_type",
    "value_types",
]

Check = Callable[["AttributeDef", Any], "str | None"]
Parse = Callable[["AttributeDef", Any], Any]

#: The parts of a place a coder edits and the spans table shows (a place may hold more keys:
#: admin3, geonameid, precision, aliases).
PLACE_PARTS = ("name", "country", "admin1", "admin2", "lat", "lon")
COUNT_PARTS = ("low", "best", "high")


def _one_column(ad: AttributeDef) -> list[str]:
    return [ad.id]


def _as_is(ad: AttributeDef, value: Any) -> dict[str, Any]:
    return {ad.id: value}


def _same_value(ad: AttributeDef, value: Any) -> Any:
    return value


@dataclass(frozen=True)
class ValueType:
    """One attribute value type.

    ``columns(ad)`` / ``flatten(ad, value)``: the spans table's columns and cells for an
    attribute of this type. ``compare(ad, value)``: what the agreement statistics compare;
    ``nominal``: agreement treats the values as categories whatever level the codebook gives.
    ``show(value)``: the value as a coder reads it in lists (None: the type is no normalized
    value of a span, e.g. an enum qualifier). ``parts``: the named parts an editor shows."""

    name: str
    check: Check
    parse: Parse
    parts: tuple[str, ...] = ()
    columns: Callable[[AttributeDef], list[str]] = _one_column
    flatten: Callable[[AttributeDef, Any], dict[str, Any]] = _as_is
    compare: Callable[[AttributeDef, Any], Any] = _same_value
    nominal: bool = False
    show: Callable[[Any], str] | None = None


_TYPES: dict[str, ValueType] = {}


def register(vt: ValueType) -> None:
    if vt.name in _TYPES:
        raise ValueError(f"value type {vt.name!r} is registered twice")
    _TYPES[vt.name] = vt


def value_types() -> list[str]:
    return list(_TYPES)


def value_type(name: str) -> ValueType:
    try:
        return _TYPES[name]
    except KeyError:
        raise ValueError(f"unknown value type {name!r} (known: {', '.join(_TYPES)})") from None


# ------------------------------------------------------------------ what callers use


def check(ad: AttributeDef, value: Any) -> str | None:
    """Why ``value`` is not a valid value of ``ad``, or None."""
    return value_type(ad.type).check(ad, value)


def parse(ad: AttributeDef, raw: str | Mapping[str, str]) -> Any:
    """The value the coder typed (None: nothing), checked; ValueError with the reason."""
    value = value_type(ad.type).parse(ad, raw)
    if value is not None:
        problem = check(ad, value)
        if problem:
            raise ValueError(problem)
    return value


def columns(ad: AttributeDef) -> list[str]:
    return value_type(ad.type).columns(ad)


def flatten(ad: AttributeDef, value: Any) -> dict[str, Any]:
    """The spans table's cells for one value (None: every column empty)."""
    vt = value_type(ad.type)
    if value is None:
        return dict.fromkeys(vt.columns(ad))
    return vt.flatten(ad, value)


def agreement_value(ad: AttributeDef, value: Any) -> Any:
    """The value alpha compares: counts by best, dates by day number (the interval's start;
    a month or a year by its first day), places by geonameid or name, ordinal enums by rank,
    text and actors without case."""
    if value is None:
        return None
    return value_type(ad.type).compare(ad, value)


def agreement_level(ad: AttributeDef) -> tuple[str, list[int] | None]:
    """The level of measurement alpha uses for ``ad``, and the order of an ordinal enum."""
    level = "nominal" if value_type(ad.type).nominal else ad.level
    order = list(range(len(ad.values))) if ad.type == "enum" and ad.level == "ordinal" and ad.values \
        else None
    return level, order


def display(ad: AttributeDef, value: Any) -> str | None:
    """The normalized value as coders read it, or None (no value, or a qualifier type)."""
    show = value_type(ad.type).show
    if value is None or show is None:
        return None
    return show(value) or None


def choice_label(value: str, labels: Mapping[str, str]) -> str:
    """How an enum value is shown: its codebook label, else the value with spaces."""
    return labels.get(value) or value.replace("_", " ")


NO_VALUE = "not coded"


def text_of(ad: AttributeDef, value: Any) -> str:
    """Any value of ``ad`` as people read it, never an identifier or a Python repr: enum values
    by their codebook labels, yes/no, a count in words, a place by its name and country."""
    if value is None or value == "":
        return NO_VALUE
    if ad.type == "enum" and isinstance(value, str):
        return choice_label(value, ad.value_labels)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if ad.type == "place" and isinstance(value, Mapping):
        name = _show_place(value) or "a place without a name"
        return f"{name} ({value['country']})" if value.get("country") else name
    shown = display(ad, value)
    if shown is not None:
        return shown
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


# ------------------------------------------------------------------ reading typed text


def whole(text: str, what: str = "") -> int:
    """A whole number as people type it ("1,200", "1 200"); ValueError names ``what``."""
    cleaned = text.replace(",", "").replace(" ", "").replace("\u202f", "")
    try:
        return int(cleaned)
    except ValueError:
        raise ValueError(f"{what}{text!r} is not a whole number") from None


def number(text: str, what: str = "") -> float:
    try:
        got = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"{what}{text!r} is not a number") from None
    if not math.isfinite(got):
        raise ValueError(f"{what}{text!r} is not a number")
    return got


def _text(raw: Any) -> str:
    return str(raw).strip()


def _parse_text(ad: AttributeDef, raw: Any) -> Any:
    return _text(raw) or None


def _parse_integer(ad: AttributeDef, raw: Any) -> Any:
    text = _text(raw)
    return whole(text) if text else None


def _parse_number(ad: AttributeDef, raw: Any) -> Any:
    text = _text(raw)
    if not text:
        return None
    got = number(text)
    return int(got) if text.replace(",", "").lstrip("+-").isdigit() else got


def _parse_enum(ad: AttributeDef, raw: Any) -> Any:
    text = _text(raw)
    if not text:
        return None
    for v in ad.values or ():
        if text in (v, ad.value_labels.get(v)) or text.casefold() == v.replace("_", " ").casefold():
            return v
    return text  # check() names the allowed values


def _parse_boolean(ad: AttributeDef, raw: Any) -> Any:
    text = _text(raw).casefold()
    if not text:
        return None
    if text in ("yes", "true", "1", "y"):
        return True
    if text in ("no", "false", "0", "n"):
        return False
    raise ValueError(f"{raw!r} is not yes or no")


def _parts(raw: Any) -> Mapping[str, str]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{raw!r}: give the value's parts")
    return {k: _text(v) for k, v in raw.items() if v is not None and _text(v)}


def _parse_count(ad: AttributeDef, raw: Any) -> Any:
    return {k: whole(v, f"{k}: ") for k, v in _parts(raw).items() if k in COUNT_PARTS} or None


def _parse_place(ad: AttributeDef, raw: Any) -> Any:
    out: dict[str, Any] = {}
    for key, text in _parts(raw).items():
        if key in ("lat", "lon"):
            out[key] = number(text, f"{key}: ")
        elif key == "country":
            out[key] = text.upper()
        else:
            out[key] = text
    return out or None


# ------------------------------------------------------------------ checks


def _check_enum(ad: AttributeDef, value: Any) -> str | None:
    if not isinstance(value, str) or value not in (ad.values or ()):
        return f"{value!r} is not one of: {', '.join(ad.values or ())}"
    return None


def _check_text(ad: AttributeDef, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{value!r} is not a string"
    if ad.pattern and not re.fullmatch(ad.pattern, value):
        example = f" (for example {ad.examples[0]})" if ad.examples else ""
        return f"{value!r} does not match the pattern {ad.pattern}{example}"
    return None


def text_hint(ad: AttributeDef, width: int = 48) -> str:
    """What an empty text field shows a coder: the codebook's examples of the attribute, else
    the start of its definition; never the pattern (a regular expression says nothing to a
    coder; it is in the message when a value does not match)."""
    if ad.examples:
        return "e.g. " + ", ".join(ad.examples[:3])
    words = " ".join((ad.definition or "").split())
    return words if len(words) <= width else words[: width - 1].rsplit(" ", 1)[0] + "…"


def _check_integer(ad: AttributeDef, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{value!r} is not a whole number"
    return None


def _check_number(ad: AttributeDef, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{value!r} is not a number"
    return None


def _check_boolean(ad: AttributeDef, value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not true or false"


def _check_count(ad: AttributeDef, value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return f"{value!r} is not a count (an object with low, best and/or high)"
    extra = set(value) - set(COUNT_PARTS)
    if extra:
        return f"a count has only low, best and high, not {', '.join(sorted(extra))}"
    nums = {}
    for k, v in value.items():
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int):
            return f"count {k} {v!r} is not a whole number >= 0"
        if v < 0:
            return f"{k}: a count cannot be negative"
        nums[k] = v
    if not nums:
        return "a count needs at least one of low, best and high"
    given = [(k, nums[k]) for k in COUNT_PARTS if k in nums]
    for (ka, a), (kb, b) in zip(given, given[1:], strict=False):
        if a > b:
            return f"{ka} {a} is above {kb} {b} (need low <= best <= high)"
    return None


# EDTF level 0/1 subset: a date (year, year-month, or full date) with an optional qualifier,
# or an interval of two such dates where either end may be open ("..") or unknown ("").
_EDTF_DATE = r"-?\d{4}(?:-(?:0[1-9]|1[0-2]|2[1-4])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[?~%]?"
_EDTF = re.compile(rf"^(?:{_EDTF_DATE}|(?:{_EDTF_DATE}|\.\.|)/(?:{_EDTF_DATE}|\.\.|))$")


def _check_date(ad: AttributeDef, value: Any) -> str | None:
    if not isinstance(value, str) or not _EDTF.match(value) or value == "/":
        return f"{value!r} is not an EDTF date (e.g. 2023-12-03, 2023-12, 2023-12-01/2023-12-06)"
    for part in value.split("/"):
        core = part.rstrip("?~%")
        if len(core) == 10:
            try:
                dt.date.fromisoformat(core)
            except ValueError:
                return f"{part!r} is not a calendar date"
    return None


_ISO2 = re.compile(r"[A-Z]{2}")


def _check_place(ad: AttributeDef, value: Any) -> str | None:
    """A name; a country as an ISO 3166-1 alpha-2 code; coordinates in range, both or none."""
    if not isinstance(value, dict):
        return f"{value!r} is not a place (an object with at least a name)"
    if not isinstance(value.get("name"), str) or not value["name"].strip():
        return "a place needs a name"
    country = value.get("country")
    if country is not None and (not isinstance(country, str) or not _ISO2.fullmatch(country)):
        return "country: two letters (ISO 3166-1), e.g. ML"
    for key, limit in (("lat", 90), ("lon", 180)):
        v = value.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return f"{key}: {v!r} is not a number"
        if not -limit <= v <= limit:
            return f"{key} must be between -{limit} and {limit}"
    if (value.get("lat") is None) != (value.get("lon") is None):
        return "give both lat and lon, or neither"
    return None


# ------------------------------------------------------------------ columns, comparison, display


def _count_columns(ad: AttributeDef) -> list[str]:
    return [f"{ad.id}_{p}" for p in COUNT_PARTS]


def _count_cells(ad: AttributeDef, value: Any) -> dict[str, Any]:
    return {f"{ad.id}_{p}": value.get(p) for p in COUNT_PARTS}


def _place_columns(ad: AttributeDef) -> list[str]:
    return [f"{ad.id}_{p}" for p in PLACE_PARTS]


def _place_cells(ad: AttributeDef, value: Any) -> dict[str, Any]:
    return {f"{ad.id}_{p}": value.get(p) for p in PLACE_PARTS}


def _date_columns(ad: AttributeDef) -> list[str]:
    return [ad.id, "date_start", "date_end"]


def _date_cells(ad: AttributeDef, value: Any) -> dict[str, Any]:
    lo, hi = edtf_bounds(value) if isinstance(value, str) else (None, None)
    return {ad.id: value, "date_start": lo, "date_end": hi}


def _count_best(ad: AttributeDef, value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    best = value.get("best")
    if best is None:
        low, high = value.get("low"), value.get("high")
        best = low if high is None else high if low is None else (low + high) / 2
    return best


def _day_number(ad: AttributeDef, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    start, _ = edtf_bounds(value)
    return None if start is None else start.toordinal()


def _place_key(ad: AttributeDef, value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return value.get("geonameid") or str(value.get("name", "")).casefold() or None


def _rank(ad: AttributeDef, value: Any) -> Any:
    if ad.level == "ordinal" and ad.values:
        return ad.values.index(value) if value in ad.values else None
    return value


def _folded(ad: AttributeDef, value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def count_words(value: Mapping[str, Any]) -> str:
    """A count as words: "30", "30 (25-40)", "at least 11", "up to 9", "10-20"."""
    low, best, high = value.get("low"), value.get("best"), value.get("high")
    if best is not None:
        if low is not None and high is not None and (low, high) != (best, best):
            return f"{best} ({low}-{high})"
        if low is not None and high is None and low == best:
            return f"at least {best}"
        return str(best)
    if low is not None and high is not None:
        return f"{low}-{high}"
    if low is not None:
        return f"at least {low}"
    return f"up to {high}"


def _show_place(value: Any) -> str:
    return str(value.get("name") or "") if isinstance(value, Mapping) else ""


def _show_count(value: Any) -> str:
    return count_words(value) if isinstance(value, Mapping) else ""


def _show_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


for _vt in (
    ValueType("enum", _check_enum, _parse_enum, compare=_rank),
    ValueType("text", _check_text, _parse_text, compare=_folded, nominal=True),
    ValueType("integer", _check_integer, _parse_integer),
    ValueType("number", _check_number, _parse_number),
    ValueType("boolean", _check_boolean, _parse_boolean, nominal=True),
    ValueType("count", _check_count, _parse_count, COUNT_PARTS, _count_columns, _count_cells,
              _count_best, show=_show_count),
    ValueType("date", _check_date, _parse_text, (), _date_columns, _date_cells, _day_number,
              show=_show_text),
    ValueType("place", _check_place, _parse_place, PLACE_PARTS, _place_columns, _place_cells,
              _place_key, nominal=True, show=_show_place),
    ValueType("actor", _check_text, _parse_text, compare=_folded, nominal=True, show=_show_text),
):
    register(_vt)
