"""A coded sample for the NLP formats' round trips, and the helpers that run them.

The text holds astral characters (emoji, a mathematical letter, a CJK extension B ideograph) before
and inside spans, so a format that counts UTF-16 units or bytes would shift every later offset.
Every sentence is invented here.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook, load_codebook
from annotator.core.project import Project
from tests.core.helpers import record, span

CODEBOOK_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "formats-codebook.json"

TEXT = (
    "\U0001F525 Breaking: the Falcon Brigade \U0001D538 attacked soldiers near K\u00f6ra on "
    "4 December 2023.\n"
    "Residents of \U0002000B-town said 6 soldiers died; the army denied it \U0001F44D.\n"
)


def codebook() -> Codebook:
    return load_codebook(CODEBOOK_FILE)


def sample_records() -> list[dict[str, Any]]:
    """Two reports: the first coded by two coders (all value types, an n-ary claim with a
    "not reported" slot, a binary relation), the second by nobody."""
    amina = {
        "coder": "amina", "status": "done",
        "spans": [
            span("s1", "actor", TEXT, "the Falcon Brigade \U0001D538", actor_type="rebel_group",
                 canonical_name="Falcon Brigade", note="named \U0001F525 twice", armed=True),
            span("s2", "actor", TEXT, "soldiers", actor_type="state_forces"),
            span("s3", "location", TEXT, "K\u00f6ra",
                 place={"name": "K\u00f6ra", "country": "XL", "lat": 12.5, "lon": -1.25}, rank=2),
            span("s4", "date", TEXT, "4 December 2023", value="2023-12-04"),
            span("s5", "casualty_count", TEXT, "6 soldiers died",
                 count={"low": 6, "best": 6, "high": 6}, share=0.5),
            span("s6", "location", TEXT, "\U0002000B-town"),
        ],
        "claims": [
            {"id": "c1", "type": "attack",
             "slots": {"perpetrator": ["s1"], "target": ["s2"], "location": ["s3"],
                       "date": ["s4"], "casualties": ["s5"]},
             "attributes": {"stance": "asserted"}},
            {"id": "c2", "type": "located_in", "slots": {"Arg1": ["s1"], "Arg2": ["s3"]},
             "attributes": {}},
            {"id": "c3", "type": "attack",
             "slots": {"perpetrator": ["s2"], "date": "not_reported"}, "attributes": {}},
        ],
    }
    lukas = {
        "coder": "lukas", "status": "in_progress",
        "spans": [span("s1", "actor", TEXT, "Falcon Brigade"),
                  span("s2", "location", TEXT, "\U0002000B-town"),
                  span("s3", "actor", TEXT, "Residents of \U0002000B-town")],
        "claims": [{"id": "c1", "type": "located_in", "slots": {"Arg1": ["s3"], "Arg2": ["s2"]},
                    "attributes": {}}],
    }
    first = record("r-1", TEXT, [amina, lukas], title="Post attacked \U0001F525",
                   source="Sahel Wire", url="http://example.invalid/1", published="2023-12-05",
                   language="en", metadata={"desk": "north", "n": 3})
    second = record("r-2", "A quiet day in K\u00f6ra.\n", [], title="Quiet")
    return [first, second]


def project(tmp_path: Path, name: str, records: list[dict[str, Any]] | None = None) -> Project:
    proj = Project.open(tmp_path / f"{name}.db", codebook=codebook())
    if records:
        path = tmp_path / f"{name}-in.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        summary = proj.import_paths([path])
        assert not summary.failed, [f.message for f in summary.failed]
    return proj


def exported(proj: Project) -> list[dict[str, Any]]:
    return [copy.deepcopy(r) for r in proj.iter_export()]


def strip_codebook(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in records:
        for a in r["annotations"]:
            a.pop("codebook", None)
    return records
