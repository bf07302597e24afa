"""Every mutation is a Command: stored at once, undoable, redoable, validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import commands as c
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl

TEXT = "Gunmen 🔥 attacked Kidal on Sunday; الجيش said 12 soldiers were killed.\n"


@pytest.fixture
def setup(project: Project, tmp_path: Path) -> tuple[Project, int, int]:
    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", TEXT)])])
    rid = project.reports()[0].id
    cid = project.coder_id("amina", create=True)
    return project, rid, cid


def test_add_span_stores_code_point_offsets_and_undo_redo(setup) -> None:
    project, rid, cid = setup
    start = TEXT.index("Kidal")
    cmd = c.AddSpan(rid, cid, "location", start, start + 5, {"relation": "in"})
    project.run(cmd)
    spans = project.spans(rid, cid)
    assert [(s.type, s.start, s.end, s.text) for s in spans] == [("location", start, start + 5, "Kidal")]
    assert project.status(rid, cid) == "in_progress"  # tagging starts the work
    assert project.undo_label == "Undo Tag Location".removeprefix("Undo ")
    project.undo()
    assert project.spans(rid, cid) == []
    assert project.status(rid, cid) == "todo"
    project.redo()
    again = project.spans(rid, cid)
    assert [(s.id, s.key) for s in again] == [(spans[0].id, spans[0].key)]  # same row back


def test_span_after_emoji_and_arabic(setup) -> None:
    project, rid, cid = setup
    start = TEXT.index("12 soldiers")
    project.run(c.AddSpan(rid, cid, "casualty_count", start, start + 11))
    text = project.report(rid).text
    (s,) = project.spans(rid, cid)
    assert text[s.start : s.end] == s.text == "12 soldiers"


@pytest.mark.parametrize(
    ("type_", "start", "end", "attrs", "words"),
    [
        ("weapon", 0, 6, {}, "unknown span type"),
        ("actor", 5, 3, {}, "offsets"),
        ("actor", 0, 10_000, {}, "outside"),
        ("actor", 0, 6, {"actor_type": "aliens"}, "not one of"),
    ],
)
def test_invalid_spans_are_refused_and_nothing_stored(setup, type_, start, end, attrs, words) -> None:
    project, rid, cid = setup
    with pytest.raises(c.CommandError, match=words):
        project.run(c.AddSpan(rid, cid, type_, start, end, attrs))
    assert project.spans(rid, cid) == []
    assert project.undo_label is None


def test_offsets_are_checked_against_the_report_in_code_points(setup) -> None:
    """The covered text is read without counting the whole report: a range running past the
    end (by one code point, after an emoji) is refused with the report's length."""
    project, rid, cid = setup
    n = len(TEXT)  # code points: the emoji is one, two in UTF-16
    project.run(c.AddSpan(rid, cid, "actor", n - 8, n))  # up to the very end: "killed.\n"
    assert [s.text for s in project.spans(rid, cid)] == [TEXT[n - 8 :]]
    for start, end in ((n - 8, n + 1), (-1, 4), (n, n + 2)):
        with pytest.raises(c.CommandError, match=rf"offsets {start}-{end} are outside the report \(0-{n}\)"):
            project.run(c.AddSpan(rid, cid, "actor", start, end))
    with pytest.raises(c.CommandError, match="report 999 does not exist"):
        project.run(c.AddSpan(999, cid, "actor", 0, 4))
    assert len(project.spans(rid, cid)) == 1


def test_retag_drops_undeclared_attributes_and_undo_restores(setup) -> None:
    project, rid, cid = setup
    add = c.AddSpan(rid, cid, "actor", 0, 6, {"actor_type": "unidentified_armed_group"})
    project.run(add)
    project.run(c.SetSpanType(add.span_id, "location"))
    (s,) = project.spans(rid, cid)
    assert s.type == "location" and s.attributes == {}
    project.undo()
    (s,) = project.spans(rid, cid)
    assert s.type == "actor" and s.attributes == {"actor_type": "unidentified_armed_group"}


def test_attribute_and_bounds_changes(setup) -> None:
    project, rid, cid = setup
    start = TEXT.index("12 soldiers")
    add = c.AddSpan(rid, cid, "casualty_count", start, start + 2)
    project.run(add)
    project.run(c.SetSpanAttribute(add.span_id, "count", {"best": 12}))
    project.run(c.SetSpanBounds(add.span_id, start, start + 11))
    (s,) = project.spans(rid, cid)
    assert s.attributes == {"count": {"best": 12}} and s.text == "12 soldiers"
    with pytest.raises(c.CommandError):
        project.run(c.SetSpanAttribute(add.span_id, "count", {"low": 5, "high": 2}))
    project.undo()
    (s,) = project.spans(rid, cid)
    assert s.text == "12"
    project.run(c.SetSpanAttribute(add.span_id, "count", None))
    assert project.spans(rid, cid)[0].attributes == {}


def test_claims_slots_not_reported_and_delete_span_restores_fills(setup) -> None:
    project, rid, cid = setup
    perp = c.AddSpan(rid, cid, "actor", 0, 6)
    loc_start = TEXT.index("Kidal")
    loc = c.AddSpan(rid, cid, "location", loc_start, loc_start + 5)
    project.run(perp)
    project.run(loc)
    claim = c.CreateClaim(rid, cid, "attack", {"stage": "accomplished"})
    project.run(claim)
    project.run(c.AddToSlot(claim.claim_id, "perpetrator", perp.span_id))
    project.run(c.AddToSlot(claim.claim_id, "location", loc.span_id))
    project.run(c.SetNotReported(claim.claim_id, "date"))
    (cl,) = project.claims(rid, cid)
    assert cl.slots == {"perpetrator": [perp.span_id], "location": [loc.span_id], "date": "not_reported"}
    with pytest.raises(c.CommandError, match="accepts"):
        project.run(c.AddToSlot(claim.claim_id, "date", perp.span_id))
    # deleting a span removes it from the claim; undo puts it back in its slot
    project.run(c.DeleteSpan(perp.span_id))
    assert project.claims(rid, cid)[0].slots.get("perpetrator") in (None, [])
    project.undo()
    assert project.claims(rid, cid)[0].slots["perpetrator"] == [perp.span_id]
    # filling a not-reported slot replaces the mark
    date_start = TEXT.index("Sunday")
    date = c.AddSpan(rid, cid, "date", date_start, date_start + 6)
    project.run(date)
    project.run(c.AddToSlot(claim.claim_id, "date", date.span_id))
    assert project.claims(rid, cid)[0].slots["date"] == [date.span_id]
    project.run(c.DeleteClaim(claim.claim_id))
    assert project.claims(rid, cid) == []
    project.undo()
    assert project.claims(rid, cid)[0].slots["location"] == [loc.span_id]


def test_spans_of_another_coder_cannot_fill_my_claim(setup) -> None:
    project, rid, cid = setup
    other = project.coder_id("lukas", create=True)
    theirs = c.AddSpan(rid, other, "actor", 0, 6)
    project.run(theirs)
    claim = c.CreateClaim(rid, cid, "attack")
    project.run(claim)
    with pytest.raises(c.CommandError):
        project.run(c.AddToSlot(claim.claim_id, "perpetrator", theirs.span_id))


def test_status_batch_and_change_notifications(setup) -> None:
    project, rid, cid = setup
    heard: list[str] = []
    project.subscribe(lambda ch: heard.append(ch.label))
    project.run(c.SetStatus(rid, cid, "done"))
    assert project.status(rid, cid) == "done"
    batch = c.Batch("Accept 2 suggestions", [c.AddSpan(rid, cid, "actor", 0, 6), c.AddSpan(rid, cid, "date", TEXT.index("Sunday"), TEXT.index("Sunday") + 6)])
    project.run(batch)
    assert len(project.spans(rid, cid)) == 2
    project.undo()
    assert project.spans(rid, cid) == []
    assert heard[0] == "Mark done" and heard[-1] == "Accept 2 suggestions"
    with pytest.raises(c.CommandError):
        c.SetStatus(rid, cid, "finished")


def test_every_action_is_stored_when_it_happens(setup, db_path: Path) -> None:
    project, rid, cid = setup
    project.run(c.AddSpan(rid, cid, "actor", 0, 6))
    # a second connection (another process) sees it at once: no save step
    reopened = Project.open(db_path)
    try:
        assert [s.text for s in reopened.spans(rid, cid)] == ["Gunmen"]
    finally:
        reopened.close()


def test_the_package_exports_every_command() -> None:
    import importlib
    import pkgutil

    from annotator.core import assist, review

    for info in pkgutil.iter_modules(c.__path__):
        module = importlib.import_module(f"annotator.core.commands.{info.name}")
        for name in getattr(module, "__all__", []):
            if info.name != "base" or name in c.__all__:  # base's row helpers stay there
                assert getattr(c, name) is getattr(module, name), (info.name, name)
    assert review.Decide is c.Decide and review.AcceptUnanimous is c.AcceptUnanimous
    assert assist.AddActor is c.AddActor and assist.SetReferenceDate is c.SetReferenceDate
    assert {"spans", "claims", "slots", "status", "adjudication", "lists"} <= {
        i.name for i in pkgutil.iter_modules(c.__path__)}


def test_accept_into_slot_is_one_step_and_all_or_nothing(setup) -> None:
    project, rid, cid = setup
    claim = c.CreateClaim(rid, cid, "attack")
    project.run(claim)
    start = TEXT.index("Kidal")
    # a location offered to the perpetrator slot (actors only): refused, nothing stored
    wrong = c.AcceptIntoSlot(c.AddSpan(rid, cid, "location", start, start + 5), claim.claim_id, "perpetrator")
    with pytest.raises(c.CommandError):
        project.run(wrong)
    assert project.spans(rid, cid) == []
    good = c.AcceptIntoSlot(
        c.AddSpan(rid, cid, "location", start, start + 5, {"relation": "in"}), claim.claim_id, "location"
    )
    project.run(good)
    (span,) = project.spans(rid, cid)
    assert span.attributes == {"relation": "in"}
    assert project.claims(rid, cid)[0].slots["location"] == [span.id]
    project.undo()
    assert project.spans(rid, cid) == [] and not project.claims(rid, cid)[0].slots.get("location")
    project.redo()
    assert project.claims(rid, cid)[0].slots["location"] == [project.spans(rid, cid)[0].id]


def test_coalesced_runs_undo_as_one_step(setup) -> None:
    project, rid, cid = setup
    add = c.AddSpan(rid, cid, "actor", 0, 6)
    project.run(add)
    for typed in ("G", "Gu", "Gunmen"):
        project.run(c.SetSpanAttribute(add.span_id, "canonical_name", typed), coalesce=("name", 1))
    project.run(c.SetSpanAttribute(add.span_id, "country", "ML"), coalesce=("country", 1))
    project.undo()  # the country
    assert project.spans(rid, cid)[0].attributes == {"canonical_name": "Gunmen"}
    project.undo()  # the three keystrokes in the name field
    assert project.spans(rid, cid)[0].attributes == {}
    project.redo()
    assert project.spans(rid, cid)[0].attributes == {"canonical_name": "Gunmen"}
