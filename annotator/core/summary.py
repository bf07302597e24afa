"""One-line summaries of spans and claims, as coders read them in lists.

"Liptako Brigade -> Niger Armed Forces, Ayorou, 2024-12-03, 27 killed or wounded"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from annotator.core.codebook import NOT_REPORTED, Codebook

__all__ = ["claim_summary", "span_value", "stored_value"]


class _Span(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def attributes(self) -> dict[str, Any]: ...


class _Claim(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def slots(self) -> dict[str, list[int] | str]: ...


def _count(value: Mapping[str, Any]) -> str:
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


def span_value(span: _Span) -> str:
    """The normalized value of a span if it has one, else its text."""
    a = span.attributes or {}
    if span.type == "actor" or "canonical_name" in a:
        return str(a.get("canonical_name") or span.text)
    if "place" in a and isinstance(a["place"], Mapping):
        return str(a["place"].get("name") or span.text)
    if "value" in a and isinstance(a["value"], str):
        return a["value"]
    if "count" in a and isinstance(a["count"], Mapping):
        words = _count(a["count"])
        status = a.get("status")
        if status:
            words += " " + str(status).replace("_", " ")
        elif a.get("unit") and a["unit"] != "persons":
            words += " " + str(a["unit"])
        return words
    return span.text


def stored_value(span: _Span) -> str:
    """The normalized value stored for a span, or "" when it has none (never its text)."""
    if not span.attributes:
        return ""
    shown = span_value(span)
    if shown != span.text:
        return shown
    a = span.attributes
    stored = (
        a.get("canonical_name")
        or (a["place"].get("name") if isinstance(a.get("place"), Mapping) else None)
        or (a["value"] if isinstance(a.get("value"), str) else None)
    )
    return shown if stored else ""


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
        return [span_value(spans[i]) for i in fill if isinstance(i, int) and i in spans]

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
