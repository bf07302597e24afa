"""What a draft is: the spans it proposes per slot, its attributes and its reasons."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.core.normalize import Suggestion


# ---------------------------------------------------------------------------------------------
# Input and output


@dataclass(frozen=True)
class DraftSpan:
    """A span a draft can put into a slot: one of the coder's spans (``span_id``) or a
    suggested span (``span_id`` None), which accepting the draft adds as the coder's span with
    its suggested ``attributes``. Offsets are code points, end exclusive."""

    type: str
    start: int
    end: int
    text: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    span_id: int | None = None

    @property
    def is_suggestion(self) -> bool:
        return self.span_id is None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.type, self.start, self.end)

    @classmethod
    def from_suggestion(cls, s: Suggestion) -> DraftSpan:
        return cls(s.type, s.start, s.end, s.text, dict(s.attributes))


@dataclass(frozen=True)
class Draft:
    """A proposed claim. ``slots`` maps a slot id to the spans proposed for it (in order),
    ``attributes`` a claim attribute id to its proposed value, ``reasons`` a slot or attribute id
    to why it was proposed, and ``alternatives`` a slot id to the other candidates seen (for
    the window to offer). ``sentence`` is the focus (code points). Slots and attributes the
    codebook's claim type lacks are never proposed."""

    claim_type: str
    sentence: tuple[int, int]
    slots: dict[str, list[DraftSpan]] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    alternatives: dict[str, list[DraftSpan]] = field(default_factory=dict)

    def with_slot(self, slot: str, spans: Sequence[DraftSpan], reason: str = "chosen") -> Draft:
        """A copy with ``slot`` holding ``spans`` (empty: the slot is left out)."""
        slots = dict(self.slots)
        reasons = dict(self.reasons)
        if spans:
            slots[slot] = list(spans)
            reasons[slot] = reason
        else:
            slots.pop(slot, None)
            reasons.pop(slot, None)
        return dataclasses.replace(self, slots=slots, reasons=reasons)

    def with_attribute(self, attribute: str, value: Any, reason: str = "chosen") -> Draft:
        """A copy with a claim attribute set (``None`` leaves it out)."""
        attrs = dict(self.attributes)
        reasons = dict(self.reasons)
        if value is None:
            attrs.pop(attribute, None)
            reasons.pop(attribute, None)
        else:
            attrs[attribute] = value
            reasons[attribute] = reason
        return dataclasses.replace(self, attributes=attrs, reasons=reasons)

    def without(self, name: str) -> Draft:
        """A copy without the slot or attribute ``name``."""
        return self.with_slot(name, []).with_attribute(name, None)

    def is_empty(self) -> bool:
        return not self.slots
