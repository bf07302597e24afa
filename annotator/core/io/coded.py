"""A conflict dataset's coded fields as a coder's annotations (``import --coded-as CODER``).

Where the row's field value occurs in the report text, it becomes a span (the first occurrence,
case ignored), and the spans fill an attack claim's slots: ACLED ``actor1`` -> perpetrator,
``actor2`` -> target, ``location`` -> location, ``sub_event_type`` -> the claim's event type;
UCDP GED ``side_a`` -> perpetrator, ``side_b`` -> target; GTD ``gname`` -> perpetrator,
``city`` -> location. A value the text does not contain stays metadata only. Nothing is made
when the project's codebook lacks the span types (actor, location) or the attack claim type;
the claim is made only when its perpetrator was found (the slot needs one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from annotator.core.codebook import Codebook

__all__ = ["FIELDS", "coded_annotation"]

# layout -> (column, span type, slot) in the order they are looked for
FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "acled": (("actor1", "actor", "perpetrator"), ("actor2", "actor", "target"),
              ("location", "location", "location")),
    "ucdp": (("side_a", "actor", "perpetrator"), ("side_b", "actor", "target")),
    "gtd": (("gname", "actor", "perpetrator"), ("city", "location", "location")),
}
_ACLED_EVENT = {
    "armed clash": "armed_clash", "attack": "attack",
    "remote explosive/landmine/ied": "remote_explosive_or_landmine",
    "suicide bomb": "suicide_bomb", "shelling/artillery/missile attack": "shelling_artillery_missile",
    "air/drone strike": "air_or_drone_strike",
    "abduction/forced disappearance": "abduction_or_forced_disappearance",
    "looting/property destruction": "looting_or_property_destruction",
}


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def coded_annotation(report: Mapping[str, Any], layout: str, codebook: Codebook,
                     coder: str) -> dict[str, Any] | None:
    """The coder's annotation of one dataset row (``report`` as read from the table, its
    other columns in ``metadata``), or None when nothing of it is in the text."""
    attack = codebook.claim_type("attack")
    if layout not in FIELDS or attack is None:
        return None
    text: str = report["text"]
    meta = {k.lower(): v for k, v in (report.get("metadata") or {}).items()}
    spans: list[dict[str, Any]] = []
    slots: dict[str, list[str]] = {}
    taken: list[tuple[int, int]] = []
    for column, type_id, slot in FIELDS[layout]:
        value = str(meta.get(column) or "").strip()
        st = codebook.span_type(type_id)
        if not value or st is None or attack.slot(slot) is None:
            continue
        m = next((m for m in re.finditer(re.escape(value), text, re.IGNORECASE)
                  if all(m.end() <= a or b <= m.start() for a, b in taken)), None)
        if m is None:
            continue
        taken.append((m.start(), m.end()))
        attrs: dict[str, Any] = {}
        if type_id == "actor" and st.attribute("canonical_name") is not None:
            attrs["canonical_name"] = value
        if type_id == "location" and st.attribute("place") is not None:
            place: dict[str, Any] = {"name": value}
            lat, lon = _number(meta.get("latitude")), _number(meta.get("longitude"))
            if lat is not None and lon is not None:
                place["lat"], place["lon"] = lat, lon
            attrs["place"] = place
        sid = f"{column}"
        spans.append({"id": sid, "type": type_id, "start": m.start(), "end": m.end(),
                      "text": text[m.start():m.end()], "attributes": attrs})
        slots.setdefault(slot, []).append(sid)
    if not spans:
        return None
    claims = []
    if slots.get("perpetrator"):
        attributes: dict[str, Any] = {}
        ad = attack.attribute("event_type")
        event = _ACLED_EVENT.get(str(meta.get("sub_event_type") or "").strip().lower())
        if layout == "acled" and ad is not None and event in (ad.values or ()):
            attributes["event_type"] = event
        claims.append({"id": "c1", "type": "attack", "slots": slots, "attributes": attributes})
    return {"coder": coder, "status": "done", "spans": spans, "claims": claims}
