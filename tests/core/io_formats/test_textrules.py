"""The one rule at the door (textrules): what each field may hold, refused with file, place and
reason by every importer; and exporters that cannot fail on what is stored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import update

from annotator.core.codebook import CodebookError, load_default_codebook, parse_codebook
from annotator.core.io import textrules
from annotator.core.io.spreadsheet import safe_text, write_csv, write_xlsx
from annotator.core.models import report_t, span_t
from annotator.core.project import Project
from tests.core.helpers import record, span

TEXT = "Gunmen attacked the market in Gao on Sunday.\n"


def _jsonl(path: Path, rec: dict) -> Path:
    # ensure_ascii: a lone surrogate arrives as the escape "\ud800", as an attacker would write it
    path.write_text(json.dumps(rec) + "\n", "utf-8")
    return path


def _stored(project: Project) -> int:
    return len(project.reports())


@pytest.mark.parametrize(
    ("report", "annotations", "place"),
    [
        ({"metadata": {"note": "bad \ud800 value"}}, None, "$.report.metadata.note"),
        ({"metadata": {"k\ud800": 1}}, None, "$.report.metadata"),
        ({"text": "Gunmen\x00 attacked Gao.\n"}, None, "$.report.text"),
        ({"text": "Gunmen \x1b[31m attacked Gao.\n"}, None, "$.report.text"),
        ({"text": "Gunmen \x85 attacked Gao.\n"}, None, "$.report.text"),
        ({"title": "Page\x0cbreak"}, None, "$.report.title"),
        ({"title": "two\nlines"}, None, "$.report.title"),
        ({"id": "r\u2028x"}, None, "$.report.id"),
        ({"source": "wire\x07"}, None, "$.report.source"),
        ({}, [{"coder": "ami\x00na", "status": "done"}], "$.annotations[0].coder"),
        ({}, [{"coder": "amina", "spans": [dict(span("s1", "actor", TEXT, "Gunmen"),
                                                 attributes={"actor_type": "\ud83d"})]}],
         "$.annotations[0].spans[0].attributes.actor_type"),
    ],
)
def test_jsonl_refuses_what_the_rule_forbids_and_stores_nothing(
    project: Project, tmp_path: Path, report: dict, annotations: list | None, place: str
) -> None:
    rec = record("r1", TEXT, annotations)
    rec["report"].update(report)
    path = _jsonl(tmp_path / "bad.jsonl", rec)
    summary = project.import_paths([path])
    (result,) = summary.files
    assert not result.ok and result.line == 1
    assert str(path) in result.message and place in result.message
    assert "nothing of this file was stored" in result.message
    assert _stored(project) == 0
    result.message.encode("utf-8")  # the message itself can be printed


def test_form_feed_and_tab_are_text(project: Project, tmp_path: Path) -> None:
    text = "Page one: Gao.\x0cPage two:\tTessit.\n"
    rec = record("ff", text, [{"coder": "amina", "status": "done", "spans": [
        span("s1", "location", text, "Gao.\x0cPage")]}], metadata={"note": "a\nb\tc"})
    summary = project.import_paths([_jsonl(tmp_path / "ok.jsonl", rec)])
    assert not summary.failed and summary.added == 1


def test_deeply_nested_metadata_is_refused(project: Project, tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    line = '{"report": {"id": "r", "text": "x", "metadata": {"a": ' + deep + "}}}\n"
    (tmp_path / "deep.jsonl").write_text(line, "utf-8")
    nested: dict = {}
    inner = nested
    for _ in range(textrules.MAX_DEPTH + 5):
        inner["a"] = {}
        inner = inner["a"]
    rec = record("r2", TEXT, metadata=nested)
    _jsonl(tmp_path / "nested.jsonl", rec)
    summary = project.import_paths([tmp_path / "deep.jsonl", tmp_path / "nested.jsonl"])
    messages = [f.message for f in summary.files]
    assert all(not f.ok for f in summary.files), messages
    assert "nest" in messages[0] and "too deeply" in messages[0]
    assert "nested more than 32 levels" in messages[1]
    assert _stored(project) == 0


def test_text_file_with_a_c1_control_is_refused(project: Project, tmp_path: Path) -> None:
    (tmp_path / "c1.txt").write_text("Title\nGunmen \x9b attacked Gao.\n", "utf-8")
    (tmp_path / "ok.txt").write_text("Title\twith tab\x0c\nGunmen attacked Gao.\n", "utf-8")
    summary = project.import_paths([tmp_path / "c1.txt", tmp_path / "ok.txt"])
    bad, good = summary.files
    assert not bad.ok and "U+009B" in bad.message and "c1.txt" in bad.message
    assert good.ok and project.reports()[0].title == "Title with tab"


def test_html_controls_are_dropped_not_refused(project: Project, tmp_path: Path) -> None:
    page = "<html><head><title>A\x0bB</title></head><body><h1>Head&#0;line\nnews</h1>" \
           "<p>Gunmen&#27; attacked &#xD800;Gao.</p></body></html>"
    (tmp_path / "page.html").write_text(page, "utf-8")
    summary = project.import_paths([tmp_path / "page.html"])
    assert not summary.failed, summary.files[0].message
    detail = project.report(project.reports()[0].id)
    assert textrules.problem(detail.text, textrules.TEXT) is None
    assert textrules.problem(detail.title, textrules.LINE) is None


def test_table_title_cell_is_made_one_line_and_a_bad_text_cell_names_the_row(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "ok.csv").write_text('id,title,text\nr1,"two\nlines",Gunmen attacked Gao.\n', "utf-8")
    (tmp_path / "bad.csv").write_text("id,title,text\nr2,t,fine\nr3,t,bell\x07 here\n", "utf-8")
    summary = project.import_paths([tmp_path / "ok.csv", tmp_path / "bad.csv"])
    ok, bad = summary.files
    assert ok.ok and project.reports()[0].title == "two lines"
    # the table reader refuses a control character as text files do ("binary file")
    assert not bad.ok and "control character" in bad.message
    assert _stored(project) == 1


def _poison(project: Project) -> None:
    """What an older version could store: control characters, and lone surrogates in the JSON
    columns (SQLite's text columns cannot take them; JSON stores them as escapes)."""
    text = "Gunmen attacked Gao.\x0c\x01Then more.\n"
    rec = record("old", "Gunmen attacked Gao. Then more.\n", [{"coder": "amina", "status": "done",
                 "spans": [span("s1", "actor", "Gunmen attacked Gao. Then more.\n", "Gunmen")]}])
    project.import_paths([_jsonl_tmp(rec)])
    with project._engine.begin() as conn:
        conn.execute(update(report_t).values(
            text=text, title="=Title\x0c\x02", meta={"note": "\ud800\x1b", "k\udfff": 1}))
        conn.execute(update(span_t).values(text="Gunmen\x0c", attributes={"actor_type": "\udc00"}))


def _jsonl_tmp(rec: dict) -> Path:
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".jsonl")
    Path(name).write_text(json.dumps(rec) + "\n", "utf-8")
    return Path(name)


def test_every_export_succeeds_on_what_an_older_version_stored(project: Project, tmp_path: Path) -> None:
    _poison(project)
    out = io.StringIO()
    project.export_jsonl(out)
    line = out.getvalue()
    line.encode("utf-8")  # writable as UTF-8
    back = json.loads(line)
    assert back["report"]["title"] == "=Title\x0c\x02"
    assert back["report"]["metadata"]["k\udfff"] == 1  # lossless: the escape reads back the same
    assert back["annotations"][0]["spans"][0]["attributes"]["actor_type"] == "\udc00"
    counts = write_csv(project.iter_export(), project.codebook, tmp_path / "csv")
    assert counts["spans"] == 1
    with (tmp_path / "csv" / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["title"] == "'=Title\x0c\x02"
    with (tmp_path / "csv" / "spans.csv").open(encoding="utf-8-sig", newline="") as fh:
        (srow,) = list(csv.DictReader(fh))
    assert srow["actor_type"] == "\ufffd"
    openpyxl = pytest.importorskip("openpyxl")
    write_xlsx(project.iter_export(), project.codebook, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    titles = [c.value for c in wb["reports"]["B"]]
    assert titles[1] == "=Title\u240c\u2402"  # a string cell (quote prefix), visible symbols
    assert wb["reports"]["B2"].data_type == "s"
    spans = [c.value for c in wb["spans"]["G"]]
    assert spans[1] == "Gunmen\u240c" and len(spans[1]) == len("Gunmen\x0c")


@pytest.mark.parametrize("value", [" =1+1", "\n=cmd|' /C calc'!A0", "  @SUM(A1)", "\uff1d1+1",
                                   "\uff0b1", "\u3000-2", "\r\n+x"])
def test_formula_guard_sees_through_blanks_and_full_width_signs(value: str) -> None:
    assert safe_text(value) == "'" + value
    assert textrules.formula_like(value)
    assert not textrules.formula_like("a=1") and not textrules.formula_like("Gao")


def _codebook(**changes: object) -> dict:
    data = json.loads(load_default_codebook().to_json())
    data.update(changes)
    return data


def test_codebook_strings_follow_the_rule() -> None:
    data = _codebook(title="Conflict\x1b events")
    data["span_types"][0]["label"] = "Act\nor"
    data["span_types"][0]["definition"] = "Who did it.\nSecond line is fine."
    with pytest.raises(CodebookError) as info:
        parse_codebook(data, "cb.json")
    paths = [i.path for i in info.value.issues]
    assert paths == ["$.span_types[0].label", "$.title"]


def test_codebook_version_pattern_and_nesting_are_refused_cleanly(tmp_path: Path) -> None:
    from annotator.core.codebook import load_codebook

    with pytest.raises(CodebookError, match=r"\$\.version"):
        parse_codebook(_codebook(version=2**70), "cb.json")
    data = _codebook()
    data["span_types"][0]["attributes"].append({"id": "code", "type": "text",
                                                "pattern": "a{99999999999}"})
    with pytest.raises(CodebookError, match="too large"):
        parse_codebook(data, "cb.json")
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    with pytest.raises(CodebookError, match="nests too deeply"):
        load_codebook(tmp_path / "deep.json")
