"""The keys of new spans and claims ("s12", "c7") never take one a file brought in: an imported
key of the same form (a package coded offline, a file from another project) used to make every
later tag on that report refused (the UNIQUE constraint), on SQLite for good, since the id that
failed is handed out again."""

from __future__ import annotations

from pathlib import Path

from annotator.core import commands as c
from annotator.core.project import Project
from tests.core.helpers import record, span, write_jsonl

TEXT = "Gunmen attacked Gao, Kidal and Menaka on Sunday, killing twelve soldiers near Tessit.\n"
PLACES = ["Gao", "Kidal", "Menaka", "Tessit", "Sunday"]


def _import(project: Project, tmp_path: Path) -> tuple[int, int, dict[str, str]]:
    # s3..s7: more than the five ids the import takes, as a file from elsewhere has
    spans = [span(f"s{n}", "location", TEXT, w) for n, w in zip(range(3, 8), PLACES[:4], strict=False)]
    spans.append(span("s7", "date", TEXT, "Sunday"))
    claims = [{"id": f"c{n}", "type": "attack", "slots": {"location": [f"s{n + 1}"]}}
              for n in (2, 3)]
    ann = {"coder": "alice", "spans": spans, "claims": claims}
    project.import_paths([write_jsonl(tmp_path / "in.jsonl", [record("r1", TEXT, [ann])])])
    rid = project.reports()[0].id
    alice = project.coder_id("alice")
    return rid, alice, {s.key: s.text for s in project.spans(rid, alice)}


def test_new_spans_and_claims_never_take_an_imported_key(project: Project, tmp_path: Path) -> None:
    rid, alice, imported = _import(project, tmp_path)
    assert sorted(imported) == ["s3", "s4", "s5", "s6", "s7"]
    keys: list[str] = []
    for _ in range(6):  # the ids 6, 7 ... would give s6, s7: taken
        add = c.AddSpan(rid, alice, "actor", 0, 6)
        project.run(add)
        keys.append(str(add.row["key"]) if add.row else "")
    claim_keys = []
    for _ in range(3):  # claim ids 3 ... would give c3: taken
        make = c.CreateClaim(rid, alice, "attack")
        project.run(make)
        claim_keys.append(str(make.row["key"]) if make.row else "")
    stored = {s.key: s.text for s in project.spans(rid, alice)}
    assert len(stored) == 5 + 6 and len(set(keys)) == 6
    assert not set(keys) & set(imported)
    assert all(stored[k] == t for k, t in imported.items())  # none overwritten
    assert all(stored[k] == "Gunmen" for k in keys)
    assert len(set(claim_keys)) == 3 and not set(claim_keys) & {"c2", "c3"}
    # undo and redo keep each row's own key
    project.undo()
    project.undo()
    project.redo()
    project.redo()
    assert {s.key for s in project.spans(rid, alice)} == set(stored)


def test_the_export_of_old_and_new_keys_imports_again(project: Project, tmp_path: Path,
                                                       new_db) -> None:
    rid, alice, _imported = _import(project, tmp_path)
    for _ in range(4):
        project.run(c.AddSpan(rid, alice, "actor", 0, 6))
    out = tmp_path / "out.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        project.export_jsonl(fh)
    again = Project.open(new_db("again.db"))
    try:
        again.import_paths([out])  # a key used twice would be refused here
        rid2, alice2 = again.reports()[0].id, again.coder_id("alice")
        assert sorted((s.key, s.text) for s in again.spans(rid2, alice2)) == sorted(
            (s.key, s.text) for s in project.spans(rid, alice))
    finally:
        again.close()
