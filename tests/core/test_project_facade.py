"""The Project facade: the reads the windows and the CLI need, the actor list through a command."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.normalize import ActorCsvError
from annotator.core.project import Project
from annotator.core.resources import resources_dir


@pytest.fixture
def project(tmp_path: Path):
    p = Project.open(tmp_path / "f.db")
    p.import_paths([resources_dir() / "example" / "example.jsonl"])
    yield p
    p.close()


def test_engine_is_private(project: Project) -> None:
    assert not hasattr(project, "engine")


def test_import_actors_is_one_undoable_change(project: Project, tmp_path: Path) -> None:
    csv = tmp_path / "actors.csv"
    csv.write_text("canonical_name,actor_type,country,aliases\n"
                   "Liptako Brigade,rebel_or_jihadist_group,ML,the Brigade\n"
                   "Niger Armed Forces,state_forces,NE,FAN\n", "utf-8")
    heard: list = []
    project.subscribe(heard.append)
    assert project.import_actors(csv) == (2, 0)
    assert [c.origin for c in heard] == ["import"] and project.undo_label
    assert {"Liptako Brigade", "Niger Armed Forces"} <= set(project.actor_names())
    csv.write_text("canonical_name,actor_type,country,aliases\n"
                   "Liptako Brigade,militia,ML,\n", "utf-8")
    assert project.import_actors(csv) == (0, 1)
    assert next(a for a in project.actors() if a.canonical == "Liptako Brigade").type == "militia"
    project.undo()
    brigade = next(a for a in project.actors() if a.canonical == "Liptako Brigade")
    assert brigade.type == "rebel_or_jihadist_group" and brigade.aliases == ("the Brigade",)
    project.undo()
    assert "Niger Armed Forces" not in project.actor_names()
    out = tmp_path / "out.csv"
    assert project.export_actors(out) == len(project.actors())


def test_a_bad_actor_file_stores_nothing(project: Project, tmp_path: Path) -> None:
    before = project.actor_names()
    bad = tmp_path / "bad.csv"
    bad.write_text("canonical_name,actor_type\nGood One,militia\n,militia\n", "utf-8")
    with pytest.raises(ActorCsvError, match="bad.csv"):
        project.import_actors(bad)
    assert project.actor_names() == before and project.undo_label is None


def test_review_and_agreement_reads(project: Project) -> None:
    rid = project.reports()[0].id
    items = project.review_items([rid])
    assert list(items) == [rid] and items[rid]
    assert project.review_items()[rid] == items[rid]
    data = project.agreement_data()
    assert {s.coder for s in data.spans} == {"amina", "lukas"}
    with pytest.raises(ValueError):
        project.agreement_data(["nobody"])
