"""One-line summaries of spans and claims, as coders read them in lists.

"Liptako Brigade -> Niger Armed Forces, Ayorou, 2024-12-03, 27 killed or wounded"
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Protocol

from annotator.core import values
from annotator.core.codebook import NOT_REPORTED, Codebook, SpanTypeDef, load_default_codebook

__all__ = ["claim_summary", "span_value", "stored_value"]


class _Span(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def attributes(self) -> Mapping[str, Any]: ...


class _Claim(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def slots(self) -> dict[str, list[int] | str]: ...


@functools.lru_cache(maxsize=1)
def _default_codebook() -> Codebook:
    """The shipped codebook, read and validated once (a list of 10,000 spans asks per row)."""
    return load_default_codebook()


def _normalized(span: _Span, codebook: Codebook | None) -> str | None:
    """The first attribute of the span type (codebook order) whose value type has a normalized
    value (actor, place, date, count: annotator/core/values.py); a count is followed by what it
    counts (its status, or a unit other than persons). None when the span has none."""
    cb = codebook or _default_codebook()
    st = cb.span_type(span.type)
    a = span.attributes or {}
    for ad in st.attributes if st else ():
        shown = values.display(ad, a.get(ad.id))
        if shown is not None:
            return shown + _counted(st, a) if st is not None and ad.type == "count" else shown
    return None


def _counted(st: SpanTypeDef, a: Mapping[str, Any]) -> str:
    # the conflict-events qualifiers of a count: "30 killed or wounded", "24 operations", by
    # their codebook labels
    for key, skip in (("status", None), ("unit", "persons")):
        value, ad = a.get(key), st.attribute(key)
        if value and value != skip:
            return " " + (values.text_of(ad, value) if ad is not None else str(value).replace("_", " "))
    return ""


def span_value(span: _Span, codebook: Codebook | None = None) -> str:
    """The normalized value of a span if it has one, else its text. ``codebook``: the
    project's (default: the shipped conflict-events codebook); the value is found by the
    attributes' value types, never by their names."""
    return _normalized(span, codebook) or span.text


def stored_value(span: _Span, codebook: Codebook | None = None) -> str:
    """The normalized value stored for a span, or "" when it has none (never its text)."""
    return _normalized(span, codebook) or ""


def claim_summary(claim: _Claim, spans: Mapping[int, _Span], codebook: Codebook) -> str:
    """"perpetrators -> targets, location, date, casualties" for attacks; slots in codebook
    order for other claim types. Slots marked not reported show as "?"; empty slots are left out.
    """

    def values(slot: str) -> list[str]:
        fill = claim.slots.get(slot)
        if fill == NOT_REPORTED:
            return ["?"]
        if not fill:
            return []
        return [span_value(spans[i], codebook) for i in fill if isinstance(i, int) and i in spans]

    ct = codebook.claim_type(claim.type)
    label = ct.label if ct else claim.type
    if ct is not None and ct.slot("perpetrator") and ct.slot("target"):
        head = " & ".join(values("perpetrator")) or "…"
        targets = " & ".join(values("target"))
        parts = [f"{head} -> {targets}" if targets else head]
        for slot in ("location", "date", "casualties"):
            got = values(slot)
            if got:
                parts.append(" & ".join(got))
        return ", ".join(parts)
    parts = []
    for sd in ct.slots if ct else ():
        got = values(sd.id)
        if got:
            parts.append(" & ".join(got))
    return f"{label}: " + (", ".join(parts) if parts else "(empty)")
