"""Regenerate resources/example/example.jsonl, the bundled example project.

The report is fictional, written for Annotator. Two example coders code it and disagree in places
(boundaries, a status, a missed location, a missing claim) so that agreement and review have
something to show. Spans are located by their text, so the offsets are right by construction.
"""

from __future__ import annotations

import json
from pathlib import Path

TEXT = """Militant Weekly Claims Double Attack On Army Posts Near Ayorou

December 9, 2024

(A fictional example report written for Annotator; the group, the newsletter and the events are invented.)

Issue 57 of the weekly newsletter Al-Bayan al-Sahili (البيان الساحلي), published on December 6, 2024, carries a report claiming that fighters of the Liptako Brigade attacked two army posts near Ayorou, in Niger's Tillabéri region, on Tuesday. According to the newsletter, the attackers killed or wounded 27 soldiers and seized four vehicles.

The newsletter adds that two days earlier its fighters executed three men it accused of spying for the army in the village of Firgoun.

A local official quoted by a regional radio station gave a lower toll, saying that at least 11 soldiers were killed in the attack on the first post. The army has not commented.

In the same issue, the Liptako Brigade claims to have carried out 14 operations in the border area during the last week of November, killing dozens of soldiers and militia members.
"""


def find(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def span(sid: str, type_: str, needle: str, nth: int = 1, **attributes: object) -> dict:
    start, end = find(TEXT, needle, nth)
    return {
        "id": sid,
        "type": type_,
        "start": start,
        "end": end,
        "text": TEXT[start:end],
        "attributes": attributes,
    }


AYOROU = {"name": "Ayorou", "country": "NE", "admin1": "Tillabéri", "lat": 14.7308, "lon": 0.9174}
FIRGOUN = {"name": "Firgoun", "country": "NE", "admin1": "Tillabéri"}
TILLABERI = {"name": "Tillabéri", "country": "NE", "admin1": "Tillabéri"}
BRIGADE = "Liptako Brigade"


def amina() -> dict:
    spans = [
        span(
            "s1",
            "actor",
            "Al-Bayan al-Sahili",
            canonical_name="Al-Bayan al-Sahili",
            actor_type="media_or_propaganda_outlet",
        ),
        span(
            "s2",
            "actor",
            "Liptako Brigade",
            canonical_name=BRIGADE,
            actor_type="rebel_or_jihadist_group",
        ),
        span(
            "s3",
            "actor",
            "army",
            2,
            canonical_name="Niger Armed Forces",
            actor_type="state_forces",
            country="NE",
        ),
        span("s4", "location", "Ayorou", 2, place=AYOROU, precision="near_place", relation="near"),
        span(
            "s5", "location", "Tillabéri region", place=TILLABERI, precision="admin1", relation="in"
        ),
        span(
            "s6",
            "date",
            "Tuesday",
            value="2024-12-03",
            granularity="day",
            anchor="relative_to_publication",
        ),
        span(
            "s7",
            "casualty_count",
            "killed or wounded 27 soldiers",
            count={"best": 27},
            quantity_kind="exact",
            status="killed_or_wounded",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s8",
            "date",
            "two days earlier",
            value="2024-12-01",
            granularity="day",
            anchor="relative_to_other_date",
        ),
        span(
            "s9",
            "casualty_count",
            "three men",
            count={"best": 3},
            quantity_kind="exact",
            status="executed",
            victim_category="civilian",
            unit="persons",
        ),
        span("s10", "location", "Firgoun", place=FIRGOUN, precision="place", relation="in"),
        span("s11", "actor", "A local official", actor_type="government_official", country="NE"),
        span(
            "s12",
            "casualty_count",
            "at least 11 soldiers were killed",
            count={"low": 11, "best": 11},
            quantity_kind="at_least",
            status="killed",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s13",
            "actor",
            "Liptako Brigade",
            2,
            canonical_name=BRIGADE,
            actor_type="rebel_or_jihadist_group",
        ),
        span(
            "s14",
            "casualty_count",
            "14 operations",
            count={"best": 14},
            quantity_kind="exact",
            unit="operations",
            aggregate=True,
        ),
        span(
            "s15",
            "date",
            "the last week of November",
            value="2024-11-25/2024-11-30",
            granularity="week",
            anchor="relative_to_publication",
        ),
        span(
            "s16",
            "casualty_count",
            "dozens of soldiers and militia members",
            count={"low": 12, "best": 12},
            vague_word="dozens",
            quantity_kind="vague",
            status="killed",
            victim_category="military",
            unit="persons",
            aggregate=True,
        ),
    ]
    claims = [
        {
            "id": "c1",
            "type": "attack",
            "slots": {
                "perpetrator": ["s2"],
                "target": ["s3"],
                "location": ["s4", "s5"],
                "date": ["s6"],
                "casualties": ["s7"],
                "claimant": ["s2"],
                "reported_by": ["s1"],
            },
            "attributes": {
                "event_type": "attack",
                "stage": "accomplished",
                "stance": "claimed_responsibility",
                "corroboration": "disputed",
            },
        },
        {
            "id": "c2",
            "type": "attack",
            "slots": {
                "perpetrator": ["s2"],
                "location": ["s10"],
                "date": ["s8"],
                "casualties": ["s9"],
                "claimant": ["s2"],
                "reported_by": ["s1"],
            },
            "attributes": {
                "event_type": "execution",
                "stage": "accomplished",
                "stance": "claimed_responsibility",
                "corroboration": "claim_only",
            },
        },
        {
            "id": "c3",
            "type": "attack",
            "slots": {
                "perpetrator": "not_reported",
                "target": ["s3"],
                "location": ["s4"],
                "casualties": ["s12"],
                "reported_by": ["s11"],
            },
            "attributes": {
                "event_type": "attack",
                "stage": "accomplished",
                "stance": "third_party_report",
                "corroboration": "disputed",
            },
        },
        {
            "id": "c4",
            "type": "aggregate",
            "slots": {
                "period": ["s15"],
                "counts": ["s14", "s16"],
                "claimant": ["s13"],
                "reported_by": ["s1"],
            },
            "attributes": {"stance": "claimed_responsibility"},
        },
    ]
    return {
        "coder": "amina",
        "status": "done",
        "codebook": "conflict-events@1",
        "spans": spans,
        "claims": claims,
    }


def lukas() -> dict:
    spans = [
        span(
            "s1",
            "actor",
            "Al-Bayan al-Sahili",
            canonical_name="Al-Bayan al-Sahili",
            actor_type="media_or_propaganda_outlet",
        ),
        # boundary disagreement: lukas includes "fighters of the"
        span(
            "s2",
            "actor",
            "fighters of the Liptako Brigade",
            canonical_name=BRIGADE,
            actor_type="rebel_or_jihadist_group",
        ),
        span(
            "s3",
            "actor",
            "army",
            2,
            canonical_name="Niger Armed Forces",
            actor_type="state_forces",
            country="NE",
        ),
        span("s4", "location", "Ayorou", 2, place=AYOROU, precision="place", relation="near"),
        span("s5", "location", "Tillabéri", place=TILLABERI, precision="admin1", relation="in"),
        span(
            "s6",
            "date",
            "Tuesday",
            value="2024-12-03",
            granularity="day",
            anchor="relative_to_publication",
        ),
        # status disagreement: killed instead of killed_or_wounded
        span(
            "s7",
            "casualty_count",
            "killed or wounded 27 soldiers",
            count={"best": 27},
            quantity_kind="exact",
            status="killed",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s8",
            "date",
            "two days earlier",
            value="2024-12-01",
            granularity="day",
            anchor="relative_to_other_date",
        ),
        span(
            "s9",
            "casualty_count",
            "three men",
            count={"best": 3},
            quantity_kind="exact",
            status="executed",
            victim_category="unknown",
            unit="persons",
        ),
        # lukas did not tag Firgoun, nor the local official
        span(
            "s12",
            "casualty_count",
            "at least 11 soldiers",
            count={"low": 11, "best": 11},
            quantity_kind="at_least",
            status="killed",
            victim_category="military",
            unit="persons",
        ),
        span(
            "s13",
            "actor",
            "Liptako Brigade",
            2,
            canonical_name=BRIGADE,
            actor_type="rebel_or_jihadist_group",
        ),
        span(
            "s14",
            "casualty_count",
            "14 operations",
            count={"best": 14},
            quantity_kind="exact",
            unit="operations",
            aggregate=True,
        ),
        span(
            "s15",
            "date",
            "last week of November",
            value="2024-11-25/2024-12-01",
            granularity="week",
            anchor="relative_to_publication",
        ),
        span(
            "s16",
            "casualty_count",
            "dozens of soldiers and militia members",
            count={"low": 24, "best": 24},
            vague_word="dozens",
            quantity_kind="vague",
            status="killed",
            victim_category="military",
            unit="persons",
            aggregate=True,
        ),
    ]
    claims = [
        {
            "id": "c1",
            "type": "attack",
            "slots": {
                "perpetrator": ["s2"],
                "target": ["s3"],
                "location": ["s4", "s5"],
                "date": ["s6"],
                "casualties": ["s7"],
                "claimant": ["s2"],
                "reported_by": ["s1"],
            },
            "attributes": {
                "event_type": "armed_clash",
                "stage": "accomplished",
                "stance": "claimed_responsibility",
                "corroboration": "disputed",
            },
        },
        {
            "id": "c2",
            "type": "attack",
            "slots": {
                "perpetrator": ["s2"],
                "location": "not_reported",
                "date": ["s8"],
                "casualties": ["s9"],
                "claimant": ["s2"],
                "reported_by": ["s1"],
            },
            "attributes": {
                "event_type": "execution",
                "stage": "accomplished",
                "stance": "claimed_responsibility",
                "corroboration": "claim_only",
            },
        },
        {
            "id": "c4",
            "type": "aggregate",
            "slots": {
                "period": ["s15"],
                "counts": ["s14", "s16"],
                "claimant": ["s13"],
                "reported_by": ["s1"],
            },
            "attributes": {"stance": "claimed_responsibility"},
        },
    ]
    return {
        "coder": "lukas",
        "status": "done",
        "codebook": "conflict-events@1",
        "spans": spans,
        "claims": claims,
    }


SECOND = """Radio Report: Gunmen Burn Market Stalls In Bankilaré

December 10, 2024

(A fictional example report written for Annotator.)

Unidentified gunmen on motorbikes set fire to about 30 market stalls in Bankilaré late on Sunday, a local radio station reported on Monday. Residents said nobody was hurt. No group has claimed the attack.
"""


def main() -> None:
    record = {
        "report": {
            "id": "example-liptako-claim",
            "title": TEXT.splitlines()[0],
            "source": "Annotator example (fictional)",
            "url": None,
            "published": "2024-12-09",
            "language": "en",
            "text": TEXT,
            "metadata": {"note": "fictional example written for Annotator"},
        },
        "annotations": [amina(), lukas()],
    }
    second = {
        "report": {
            "id": "example-bankilare-market",
            "title": SECOND.splitlines()[0],
            "source": "Annotator example (fictional)",
            "url": None,
            "published": "2024-12-10",
            "language": "en",
            "text": SECOND,
            "metadata": {"note": "fictional example written for Annotator"},
        },
        "annotations": [],
    }
    out = Path(__file__).resolve().parent.parent / "resources" / "example" / "example.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for rec in (record, second):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
