"""Opening a project loads what coding needs and nothing else (the window's start, issue 19):
the alignment code, the schema validator, the ORM and the review commands load on first use, and
so do asyncio and importlib.metadata (core/deferred_imports.py), which SQLAlchemy imports:
opening a project (not making one: alembic's migrations use them) loads neither, nor ssl, the
event loop or email, which they bring; once used they are the real modules, to the modules that
imported the placeholders too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import codebook
from annotator.core.codebook import CodebookError, load_default_codebook, parse_stored_codebook

_OPEN_TWICE = """
import json, sys
from annotator.core.project import Project
for _ in range(2):
    before = set(sys.modules)
    Project.open(sys.argv[1]).close()
print(json.dumps({"all": sorted(sys.modules), "second": sorted(set(sys.modules) - before)}))
"""


def test_opening_a_project_loads_no_review_code_nor_orm_nor_validator_twice(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    env = dict(os.environ, ANNOTATOR_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", _OPEN_TWICE, str(db)], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    loaded = json.loads(done.stdout)
    everything = set(loaded["all"])
    for name in ("annotator.core.agreement.align", "annotator.core.commands.adjudication",
                 "annotator.core.review", "sqlalchemy.orm", "sqlmodel", "pydantic",
                 "annotator.core.io.importer", "annotator.core.io.interchange"):
        assert name not in everything, name
    # the stored codebook was checked in full once (jsonschema), then known by its hash
    assert "jsonschema" in everything
    again = subprocess.run([sys.executable, "-c", _OPEN_TWICE, str(db)], env=env,
                           capture_output=True, text=True, timeout=120, check=True)
    assert "jsonschema" not in json.loads(again.stdout)["all"]


def test_a_stored_codebook_is_checked_once_per_content(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path / "cache"))
    content = load_default_codebook().to_json()
    checked: list[int] = []
    real = codebook.check_codebook
    monkeypatch.setattr(codebook, "check_codebook", lambda data: checked.append(1) or real(data))
    first = parse_stored_codebook(content, "p.db (stored codebook)")
    second = parse_stored_codebook(content, "p.db (stored codebook)")
    assert checked == [1]
    assert first == second and first.ref == "conflict-events@1"
    # another content (a damaged row) is checked, and refused with its JSON path
    bad = json.loads(content)
    bad["span_types"][0]["hotkey"] = 7
    with pytest.raises(CodebookError, match=r"span_types\[0\]\.hotkey"):
        parse_stored_codebook(json.dumps(bad), "p.db (stored codebook)")
    assert checked == [1, 1]
    # an unwritable cache only means checking every time
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path / "cache" / "checked-codebooks.txt"))
    parse_stored_codebook(content, "p.db (stored codebook)")
    parse_stored_codebook(content, "p.db (stored codebook)")
    assert checked == [1, 1, 1, 1]


def test_the_coder_without_counts_is_name_and_role_only(project, tmp_path: Path) -> None:
    from annotator.core import commands as c
    from tests.core.helpers import record, write_jsonl

    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", "Gunmen attacked Gao.\n")])])
    amina = project.coder_id("amina", create=True)
    project.run(c.SetStatus(project.reports()[0].id, amina, "done"))
    full, bare = project.coder(amina), project.coder(amina, counts=False)
    assert full is not None and bare is not None
    assert (bare.name, bare.role) == (full.name, full.role) == ("amina", "coder")
    assert full.counts == {"done": 1} and bare.counts == {}


def test_the_command_line_loads_no_importer_nor_exporter_before_its_command_runs() -> None:
    code = ("import json, sys; import annotator.cli; import annotator.cli.transfer; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('annotator'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    loaded = set(json.loads(done.stdout))
    assert "annotator.cli.transfer" in loaded  # the import and export handlers are there ...
    for name in ("annotator.core.io.importer", "annotator.core.io.interchange"):
        assert name not in loaded, name  # ... not what an import or an export needs

_OPEN = """
import json, sys
from annotator.core.project import Project
Project.open(sys.argv[1]).close()
import sqlalchemy.util.compat, sqlalchemy.util.concurrency
out = {"loaded": sorted(m for m in ("ssl", "socket", "selectors", "concurrent.futures",
                                     "asyncio.base_events", "asyncio.events", "email.message",
                                     "importlib.metadata._adapters") if m in sys.modules),
       "held": sorted(n for n in ("asyncio", "importlib.metadata")
                      if type(sys.modules[n]).__name__ == "_Deferred")}
if sys.argv[2] != "open":
    exec(sys.argv[2])  # the first use
    import asyncio
    import asyncio.events
    from importlib import metadata
    async def answer():
        await asyncio.sleep(0)
        return 42
    out["run"] = asyncio.run(answer())
    import asyncio as again
    out["same"] = [again.events is asyncio.events is sys.modules["asyncio.events"],
                   again is sys.modules["asyncio"],
                   sqlalchemy.util.compat.asyncio.Queue is again.Queue,
                   type(sys.modules["asyncio"]).__name__ == "module",
                   metadata.version("sqlalchemy") == sqlalchemy.__version__,
                   sys.modules["importlib.metadata"].version is metadata.version]
    coro = answer()
    out["iscoroutine"] = [sqlalchemy.util.concurrency.iscoroutine(coro), again.iscoroutine(coro),
                          sqlalchemy.util.concurrency.iscoroutine(1)]
    coro.close()
print(json.dumps(out))
"""


def _run(tmp_path: Path, use: str) -> dict:
    from annotator.core.project import Project

    Project.open(tmp_path / "p.db").close()  # made here: a new project runs the migrations
    done = subprocess.run([sys.executable, "-c", _OPEN, str(tmp_path / "p.db"), use],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_opening_a_project_loads_no_asyncio_nor_ssl_nor_metadata(tmp_path: Path) -> None:
    out = _run(tmp_path, "open")
    assert out["loaded"] == []
    assert out["held"] == ["asyncio", "importlib.metadata"]


@pytest.mark.parametrize("first", [
    "import asyncio.events",  # a submodule first (the package loads before it)
    "from asyncio.events import AbstractEventLoop",
    "import asyncio; asyncio.get_event_loop_policy()",
    "from importlib.metadata import version; version('sqlalchemy')",
    "import importlib.metadata as m; m.entry_points()",
])
def test_asyncio_and_metadata_work_as_ever_once_used(tmp_path: Path, first: str) -> None:
    out = _run(tmp_path, first)
    assert out["run"] == 42
    assert out["same"] == [True] * 6
    assert out["iscoroutine"] == [True, True, False]
    assert out["held"] == ["asyncio", "importlib.metadata"]  # (before the use)
