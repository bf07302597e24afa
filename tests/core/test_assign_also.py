"""`assign --also`: the lead adds a coder to reports others code (double coding by hand), as the
window's Assign does; a coder is refused with the same message as in the window."""

from __future__ import annotations

from pathlib import Path

from annotator.cli import main
from annotator.core import roles
from annotator.core.assignments import Assign
from annotator.core.project import Project
from tests.core.helpers import record, write_jsonl


def test_also_adds_a_second_coder_and_skips_only_their_own(new_db, tmp_path: Path,
                                                           capsys) -> None:
    p = Project.open(new_db("team.db"))
    try:
        p.import_paths([write_jsonl(tmp_path / "r.jsonl",
                                    [record(f"r{i}", f"Report number {i}.\n") for i in range(3)])])
        ids = {r.external_id: r.id for r in p.reports()}
        amina, bob = p.coder_id("amina", create=True), p.coder_id("bob", create=True)
        p.run(Assign([ids["r0"], ids["r1"]], [amina]))
        plain = Assign(list(ids.values()), [bob])
        p.run(plain)
        assert plain.planned == [(ids["r2"], bob)] and plain.skipped == 2
        p.undo()
        db = p.location
        assert main(["--db", db, "assign", "--coders", "bob", "--reports", "r0,r2", "--also"]) == 0
        assert "assigned 2 report(s)" in capsys.readouterr().out
        statuses = {r.external_id: sorted(r.statuses) for r in p.reports()}
        assert statuses == {"r0": ["amina", "bob"], "r1": ["amina"], "r2": ["bob"]}
        assert main(["--db", db, "assign", "--coders", "bob", "--reports", "r0", "--also"]) == 0
        assert "nothing to assign" in capsys.readouterr().out
        assert main(["--db", db, "--as", "amina", "assign", "--lock", "r1"]) == 1
        assert roles.refusal("assign", "amina", "coder") in capsys.readouterr().err
        assert roles.refusal("assign", "rita", "reviewer") is None
        assert p.locked_reports() == set()
    finally:
        p.close()
