"""The format registry: the CLI, the docs table and import_paths all read it; a new format is one
registry entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import _parser, main
from annotator.core.codebook import Codebook
from annotator.core.io import registry
from annotator.core.io.textfile import ImportProblem
from annotator.core.project import Project

DOCS = Path(__file__).parents[3] / "docs" / "formats.md"


def _choices(parser: Any, command: str, option: str) -> list[str]:
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return list(next(a for a in sub._actions if a.dest == option).choices)


def test_cli_choices_come_from_the_registry() -> None:
    parser = _parser()
    assert _choices(parser, "export", "format") == [f.name for f in registry.exporters()]
    assert _choices(parser, "export", "profile") == list(registry.PROFILES)
    assert {"jsonl", "csv", "xlsx", "brat"} <= {f.name for f in registry.exporters()}


def test_docs_table_is_the_generated_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    table = capsys.readouterr().out
    assert table == registry.formats_table() and "| csv |" in table
    assert table in DOCS.read_text("utf-8"), "docs/formats.md: paste `annotator formats` output"


def test_importers_know_every_suffix() -> None:
    suffixes = {e for i in registry.importers() for e in i.extensions}
    assert {".txt", ".md", ".jsonl", ".html", ".pdf", ".docx", ".csv", ".xlsx"} <= suffixes
    assert registry.importer_for(Path("a.unknown")).name == "text"  # named: read as text
    assert registry.importer_for(Path("a.unknown"), explicit=False) is None
    assert registry.importer_for(Path("t.csv"), explicit=False) is None  # tables only when named


def test_registering_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        registry.register(registry.exporters()[0])


def test_a_new_format_is_one_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy format: 'one report per line, tab-separated id and text' in and out."""

    def read(path: Path, codebook: Codebook) -> Iterator[tuple[int, dict[str, Any]]]:
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if "\t" not in line:
                raise ImportProblem(path, "no tab", n)
            ident, text = line.split("\t", 1)
            yield n, {"report": {"id": ident, "title": ident, "text": text}}

    def write(job: registry.ExportJob) -> str:
        assert job.target is not None
        rows = [f"{r['report']['id']}\t{r['report']['text']}" for r in job.records]
        job.target.write_text("\n".join(rows) + "\n", "utf-8")
        return f"{len(rows)} line(s) {job.options['shout']}"

    shout = registry.Option("shout", "Shout", "shout", ("yes", "no"), "no")
    monkeypatch.setitem(registry._IMPORTERS, "tabbed",
                        registry.Importer("tabbed", "Tabbed", (".tab",), read, annotations=False))
    monkeypatch.setitem(registry._EXPORTERS, "tabbed",
                        registry.Exporter("tabbed", "Tabbed (.tab)", write, (".tab",), options=(shout,)))
    src = tmp_path / "in.tab"
    src.write_text("r1\tShelling near Gao.\nr2\tA market burned.\n", "utf-8")
    bad = tmp_path / "bad.tab"
    bad.write_text("r3\tfine\nbroken\n", "utf-8")
    project = Project.open(str(tmp_path / "p.db"))
    try:
        summary = project.import_paths([src, bad])
        assert [f.ok for f in summary.files] == [True, False]
        assert summary.files[0].message == "2 report(s) added, 0 already present"
        assert "bad.tab:2: no tab" in summary.files[1].message
        assert [r.external_id for r in project.reports()] == ["r1", "r2"]  # nothing of bad.tab
    finally:
        project.close()
    out = tmp_path / "out.tab"
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "export", "--format", "tabbed", "--shout", "yes", "--out", str(out)]) == 0
    assert out.read_text("utf-8") == "r1\tShelling near Gao.\nr2\tA market burned.\n"


def test_stream_and_target_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init", "--example"]) == 0
    assert main(["--db", db, "export", "--format", "brat", "--out", "-"]) == 1
    assert "needs --out FOLDER" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "jsonl", "--out", "-"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert all(json.loads(line)["report"]["id"] for line in lines)
    assert f"exported {len(lines)} report(s)" in err and lines
