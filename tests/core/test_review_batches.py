"""`adjudicate --status` a batch of reports at a time (issue 16): the same figures, in the same
order, as aligning the whole project at once, whatever the batch size; the dataset read for a few
reports (by id in SQL) is the one read for the whole project and picked out."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import review, review_status
from annotator.core.agreement import load_dataset
from annotator.core.project import Project
from annotator.core.resources import resources_dir

EXAMPLE = resources_dir() / "example" / "example.jsonl"
data_module = importlib.import_module("annotator.core.agreement.data")


@pytest.fixture
def proj(tmp_path: Path, new_db):
    """Seven copies of the example report: some without lukas, one with a third coder (kim)
    who coded nothing else, so a batch that worked out the compared coders by itself would
    compare different coders than the whole project does."""
    record = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[0])
    lines = []
    for k in range(7):
        rec = copy.deepcopy(record)
        rec["report"]["id"] = f"copy-{k}"
        rec["report"]["text"] += f"\nCopy {k}.\n"
        if k in (1, 4):
            rec["annotations"] = [a for a in rec["annotations"] if a["coder"] != "lukas"]
        if k == 5:
            kim = copy.deepcopy(rec["annotations"][0])
            kim["coder"] = "kim"
            kim["spans"] = kim["spans"][:3]
            kim["claims"] = []
            rec["annotations"].append(kim)
        lines.append(json.dumps(rec))
    source = tmp_path / "copies.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = Project.open(new_db("batches.db"), with_example=False)
    p.import_paths([source])
    yield p
    p.close()


@pytest.mark.parametrize("batch", [1, 2, 3, 500])
def test_batches_give_the_whole_projects_figures(proj: Project, batch: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with proj._engine.connect() as conn:
        whole = review.review_summary(review.review_items(conn, proj.codebook))
    ids = sorted(whole)
    monkeypatch.setattr(review_status, "_BATCH", batch)
    streamed = list(proj.review_status(ids))
    assert [rid for rid, _ in streamed] == ids
    assert dict(streamed) == {rid: whole[rid] for rid in ids}
    # the figures say something: disagreements exist, and kim's single-coder spans count
    assert sum(v[1] for v in whole.values()) > 0
    assert whole[ids[5]] != whole[ids[0]]


def test_a_few_reports_read_by_id_are_the_whole_read_picked_out(
        proj: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = ["copy-5", "copy-1"]
    with proj._engine.connect() as conn:
        by_id = load_dataset(conn, proj.codebook, None, wanted)
        monkeypatch.setattr(data_module, "_IN_SQL", 0)  # read everything, pick out here
        picked = load_dataset(conn, proj.codebook, None, wanted)
    assert sorted(by_id.spans) == sorted(picked.spans) and by_id.spans
    assert sorted(by_id.claims, key=repr) == sorted(picked.claims, key=repr) and by_id.claims
    assert by_id.done == picked.done and by_id.report_lengths == picked.report_lengths
    assert {s.report for s in by_id.spans} == set(wanted)
    text = proj.report(next(i for i, e in proj.report_names().items() if e == "copy-5")).text
    assert by_id.report_lengths["copy-5"] == len(text)  # code points, as Python counts


def test_adjudicate_status_prints_every_report_in_id_order(proj: Project, capsys,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_status, "_BATCH", 2)
    assert main(["--db", str(proj.location), "adjudicate", "--status"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[:-1]] == [f"copy-{k}" for k in range(7)]
    assert out[-1].endswith("report(s)") and " open in 7 report(s)" in out[-1]
