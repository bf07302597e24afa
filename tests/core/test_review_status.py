"""`adjudicate --status` computes its figures without building review items (issue 16: 7x the
plain SQL read at 50,000 reports): on generated projects with agreements, moved boundaries,
missing and extra spans, other types and values (also values that differ only in their stored
text), claims and reviewer decisions, its figures are exactly those of the review items
(``review_summary(review_items(...))``), for every coder and for a choice of coders."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import review, review_status
from annotator.core.project import Project

CODERS = ("amina", "bob", "kim")
WORDS = ("army", "posts", "near", "Ayorou", "attack", "claimed", "killed", "soldiers", "village",
         "Tuesday", "brigade", "fighters", "élan", "北京")
TYPES = ("actor", "location", "date", "casualty_count")


def _attributes(rnd: random.Random, t: str) -> dict[str, Any]:
    if t == "actor":
        name = rnd.choice(("Liptako Brigade", "Niger Armed Forces", "Army"))
        if rnd.random() < 0.2:
            name = name.lower()  # compared without case: the same value, another stored text
        return {"canonical_name": name, "actor_type": rnd.choice(("state_forces", "civilians"))}
    if t == "location":
        return {"place": {"name": rnd.choice(("Ayorou", "Tillabéri")), "country": "NE"},
                "precision": rnd.choice(("place", "near_place"))}
    if t == "date":
        return {"value": rnd.choice(("2024-12-03", "2024-12", "2024-12-01")),
                "granularity": "day"}
    return {"count": {"best": rnd.choice((3, 27))}, "status": rnd.choice(("killed", "wounded"))}


def _reshuffled(attrs: dict[str, Any]) -> dict[str, Any]:
    """The same value with its keys in another order: another JSON text, an equal value."""
    return dict(reversed(list(attrs.items())))


def _record(rnd: random.Random, k: int) -> dict[str, Any]:
    text = " ".join(rnd.choice(WORDS) for _ in range(90)) + f" Report {k}."
    base = []
    for _ in range(rnd.randrange(0, 9)):
        t = rnd.choice(TYPES)
        start = rnd.randrange(0, len(text) - 30)
        base.append((start, start + rnd.randrange(3, 25), t, _attributes(rnd, t)))
    base_claims = []  # (slot -> index of a base span or "not_reported", event type)
    for _ in range(rnd.randrange(0, 3)):
        plan: dict[str, Any] = {}
        for slot, t in (("perpetrator", "actor"), ("location", "location"), ("date", "date"),
                        ("casualties", "casualty_count")):
            of_type = [j for j, b in enumerate(base) if b[2] == t]
            if of_type and rnd.random() < 0.8:
                plan[slot] = (rnd.choice(of_type), t)
            elif rnd.random() < 0.3:
                plan[slot] = ("not_reported", t)
        base_claims.append((plan, rnd.choice(("attack", "armed_clash"))))
    annotations = []
    for ci, coder in enumerate(CODERS):
        if ci and rnd.random() < 0.15:
            continue  # this coder has not coded the report
        spans = []
        for j, (start, end, t, attrs) in enumerate(base):
            if ci and rnd.random() < 0.12:
                continue  # missed
            if ci and rnd.random() < 0.15:
                start = max(0, start + rnd.choice((-3, 1, 2)))
            if ci and rnd.random() < 0.1:
                t = rnd.choice(TYPES)
                attrs = _attributes(rnd, t)
            elif ci and rnd.random() < 0.15:
                attrs = _attributes(rnd, t)
            elif ci and rnd.random() < 0.2:
                attrs = _reshuffled(attrs)
            spans.append({"id": f"s{j}", "type": t, "start": start, "end": end,
                          "text": text[start:end], "attributes": attrs})
        if rnd.random() < 0.3:
            start = rnd.randrange(0, len(text) - 20)
            t = rnd.choice(TYPES)
            spans.append({"id": "x", "type": t, "start": start, "end": start + 10,
                          "text": text[start:start + 10], "attributes": _attributes(rnd, t)})
        claims = []
        mine = {sp["id"]: sp["type"] for sp in spans}
        for c, (plan, event) in enumerate(base_claims):
            if ci and rnd.random() < 0.1:
                continue  # this coder has not this claim
            slots: dict[str, Any] = {}
            for slot, (j, t) in plan.items():
                if j == "not_reported":
                    slots[slot] = j
                    continue
                key = f"s{j}"
                if ci and rnd.random() < 0.1:  # other evidence
                    key = rnd.choice([k for k, kt in mine.items() if kt == t] or [key])
                if mine.get(key) == t:
                    slots[slot] = [key]
            if ci and rnd.random() < 0.1:
                event = rnd.choice(("attack", "armed_clash"))
            claims.append({"id": f"c{c}", "type": "attack", "slots": slots,
                           "attributes": {"event_type": event}})
        annotations.append({"coder": coder, "status": "done", "codebook": "conflict-events@1",
                            "spans": spans, "claims": claims})
    return {"report": {"id": f"gen-{k:03d}", "title": f"Generated {k}", "text": text,
                       "published": "2024-12-09"}, "annotations": annotations}


def _decide_some(proj: Project, rnd: random.Random) -> int:
    """Reject or accept some disagreements (decided items are no longer open)."""
    decided = 0
    for _rid, items in proj.review_items().items():
        for it in items:
            if it.problems and rnd.random() < 0.25:
                coder = sorted(it.versions)[0]
                action = rnd.choice(("rejected", "accepted"))
                proj.run(review.Decide(it, action, "rita", coder=coder))
                decided += 1
                break  # items of this report changed: read them again before another
    return decided


def _old(proj: Project, ids: list[int], coders: list[str] | None) -> dict[int, Any]:
    with proj._engine.connect() as conn:
        chosen = coders or review.compared_coders(conn)
        return review.review_summary(review.review_items(conn, proj.codebook, ids, chosen or None))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31), batch=st.sampled_from([1, 3, 500]))
def test_status_is_the_review_items_summary(tmp_path: Path, new_db, seed: int, batch: int,
                                            monkeypatch) -> None:
    rnd = random.Random(seed)
    source = tmp_path / f"gen-{seed}.jsonl"
    source.write_text("\n".join(json.dumps(_record(rnd, k), ensure_ascii=False)
                                for k in range(14)) + "\n", encoding="utf-8")
    proj = Project.open(new_db(f"status-{seed}-{batch}.db"), with_example=False)
    try:
        summary = proj.import_paths([source])
        assert all(f.ok for f in summary.files), summary
        decided = _decide_some(proj, rnd)
        monkeypatch.setattr(review_status, "_BATCH", batch)
        ids = sorted(proj.report_names())
        assert len(ids) == 14
        for coders in (None, ["amina", "kim"], ["bob"]):
            old = _old(proj, ids, coders)
            new = list(proj.review_status(ids, coders))
            assert [rid for rid, _ in new] == ids
            assert dict(new) == old, coders
        # the generated projects exercise what they claim to
        whole = _old(proj, ids, None)
        assert sum(v[0] for v in whole.values()) > 0
        assert sum(v[1] for v in whole.values()) > 0
        if decided:
            assert sum(v[1] - v[2] for v in whole.values()) > 0  # decided: not open
    finally:
        proj.close()


def test_raw_attributes_compare_as_their_values() -> None:
    a = review_status.RawAttributes('{"x": 1, "y": [1, 2]}')
    b = review_status.RawAttributes('{"y": [1, 2], "x": 1}')
    c = review_status.RawAttributes('{"x": 2}')
    assert a == b and a != c and a == {"x": 1, "y": [1, 2]}
    assert a["y"] == [1, 2] and a.get("z") is None and sorted(a) == ["x", "y"] and len(c) == 1
    assert review_status.RawAttributes("") == {}
