"""REFI-QDA codebooks (.qdc, and a .qdpx's CodeBook) as a project's codebook.

The oracle is pyrefiqda, whose models are generated from the REFI-QDA codebook XSD (xsdata): the
code tree it reads from a file must be the one our reader reads, and it must read what we write.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.codebook import CodebookError, load_codebook
from annotator.core.io.qdc import NS_CODEBOOK, NS_PROJECT, Problems, parse_xml, read_codes
from annotator.core.project import Project

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "refi_qda"
NESTED = FIXTURES / "nested.qdc"
BAD = FIXTURES / "bad.qdc"


def _tree_ours(path: Path) -> list[Any]:
    root = parse_xml(path.read_bytes(), str(path))
    problems = Problems()
    codes = read_codes(root, NS_CODEBOOK, problems, {})
    assert not problems.issues

    def walk(cs: list[Any]) -> list[Any]:
        return [(c.guid, c.name, c.codable, walk(c.children)) for c in cs]

    return walk(codes)


def _tree_oracle(path: Path) -> list[Any]:
    pytest.importorskip("pyrefiqda")
    from pyrefiqda import RefiCodebook

    book = RefiCodebook.load(path)

    def walk(cs: list[Any]) -> list[Any]:
        return [(c.guid, c.name, c.is_codable, walk(c.code)) for c in cs]

    return walk(book.codes.code)


def test_codes_become_span_types_with_their_path() -> None:
    cb = load_codebook(NESTED)
    assert [(t.id, t.label) for t in cb.span_types] == [
        ("Violence__Armed_clash", "Violence › Armed clash"),  # the folder code is no span type
        ("Violence__Riot", "Violence › Riot"),
        ("Violence__Riot__Riot", "Violence › Riot › Riot"),  # same name, another place
        ("Actor", "Actor"),
        ("code_2_St_dte_D_rfer", "2. Städte & Dörfer"),
    ]
    clash = cb.span_type("Violence__Armed_clash")
    assert clash is not None
    assert clash.color == "#00AA00" and clash.definition == "Two armed, organised groups fight"
    (intensity,) = clash.attributes  # the attribute=value child codes
    assert (intensity.id, intensity.type, intensity.values) == ("intensity", "enum", ("high", "low"))
    raw = {st["id"]: st for st in cb.raw["span_types"]}
    assert raw["Actor"]["refi_qda"]["guid"] == "a1000000-0000-4000-8000-000000000007"
    assert cb.raw["refi_qda_sets"] == [{"name": "who", "guid": "a1000000-0000-4000-8000-000000000009",
                                        "codes": ["Actor"]}]


def test_the_xsd_models_read_the_same_tree() -> None:
    assert _tree_ours(NESTED) == _tree_oracle(NESTED)


def test_a_bad_codebook_names_every_problem_by_line() -> None:
    with pytest.raises(CodebookError) as info:
        load_codebook(BAD)
    lines = [str(i) for i in info.value.issues]
    assert lines == [
        "line 4, <Code name='Violence'>: guid 'not-a-guid' is not a GUID",
        "line 4, <Code name='Violence'>: isCodable 'maybe' is not true or false",
        "line 4, <Code name='Violence'>: color 'red' is not #RRGGBB or #RGB",
        "line 5, <Code>: the attribute name is required",
        "line 6, <Description>: <Description> must come before <Code> in <Code>",
        "line 8, <Code name='Twice'>: guid b1000000-0000-4000-8000-000000000002 is used twice "
        "(also on line 5)",
        "line 9, <Memo>: element <Memo> is not allowed in <Codes> (allowed: Code)",
        "line 12, <MemberCode>: member b1000000-0000-4000-8000-00000000dead is no code of this "
        "codebook",
    ]
    assert str(BAD) in str(info.value)


@pytest.mark.parametrize("content, reason", [
    (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>", "line 1, column 51: not well-formed XML: Premature end of data in tag Codes line 1$"),
    (b"<Project xmlns='urn:QDA-XML:project:1.0'/>", "not a REFI-QDA <CodeBook>"),
    (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>", "holds no <Code>"),
    (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes><Code name='x' isCodable='false' "
     b"guid='c1000000-0000-4000-8000-000000000001'/></Codes></CodeBook>", "no codable code"),
])
def test_broken_files_are_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.qdc"
    path.write_bytes(content)
    with pytest.raises(CodebookError, match=reason):
        load_codebook(path)


def test_init_with_a_qdc_and_the_export_keeps_the_guids(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "init", "--codebook", str(NESTED)]) == 0
    out = tmp_path / "back.qdc"
    assert main(["--db", str(db), "export", "--format", "qdpx", "--out", str(out)]) == 0
    oracle = _tree_oracle(out)  # the XSD models read our file
    names = {name: guid for guid, name, _, _ in oracle}
    assert names["Actor"] == "a1000000-0000-4000-8000-000000000007"
    assert names["Violence__Armed_clash"] == "a1000000-0000-4000-8000-000000000002"
    again = load_codebook(out)  # and our reader reads it back to the same span types
    first = load_codebook(NESTED)
    assert [(t.id, [(a.id, a.values) for a in t.attributes]) for t in again.span_types] == \
        [(t.id, [(a.id, a.values) for a in t.attributes]) for t in first.span_types]


def test_init_with_a_bad_qdc_stores_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "init", "--codebook", str(BAD)]) == 1
    err = capsys.readouterr().err
    assert f"{BAD}: 8 problem(s)" in err and "line 9, <Memo>" in err and "Traceback" not in err
    assert not db.exists()


def _qdpx(path: Path, codebook_xml: str) -> None:
    text = "\U0001F525 Gunmen clashed with police in Kora."
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS_PROJECT}" name="fieldwork" origin="tests">
  <Users><User guid="d1000000-0000-4000-8000-000000000001" name="rosa"/></Users>
  <CodeBook>{codebook_xml}</CodeBook>
  <Sources>
    <TextSource guid="d1000000-0000-4000-8000-000000000002" name="note 1">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="d1000000-0000-4000-8000-000000000003" startPosition="2"
          endPosition="28" creatingUser="d1000000-0000-4000-8000-000000000001">
        <Coding guid="d1000000-0000-4000-8000-000000000004">
          <CodeRef targetGUID="a1000000-0000-4000-8000-000000000002"/></Coding>
        <Coding guid="d1000000-0000-4000-8000-000000000005">
          <CodeRef targetGUID="a1000000-0000-4000-8000-000000000003"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)


_CODES = """<Codes>
    <Code guid="a1000000-0000-4000-8000-000000000001" name="Violence" isCodable="false">
      <Code guid="a1000000-0000-4000-8000-000000000002" name="Armed clash" isCodable="true">
        <Code guid="a1000000-0000-4000-8000-000000000003" name="intensity=high" isCodable="true"/>
      </Code>
    </Code></Codes>"""


def test_a_qdpx_brings_its_codebook_and_its_codings(tmp_path: Path) -> None:
    path = tmp_path / "field.qdpx"
    _qdpx(path, _CODES)
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "init", "--codebook", str(path)]) == 0
    assert main(["--db", str(db), "import", str(path)]) == 0
    proj = Project.open(db)
    try:
        (rec,) = list(proj.iter_export())
        (ann,) = rec["annotations"]
        assert ann["coder"] == "rosa"
        assert [(s["type"], s["text"], s["attributes"]) for s in ann["spans"]] == [
            ("Violence__Armed_clash", "Gunmen clashed with police", {"intensity": "high"})]
    finally:
        proj.close()


def test_a_qdpx_with_a_bad_codebook_is_refused_whole(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "field.qdpx"
    _qdpx(path, _CODES.replace('isCodable="true">', 'isCodable="yes">', 1))
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "init", "--codebook", str(NESTED)]) == 0
    assert main(["--db", str(db), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "field.qdpx" in err and "line 6, <Code name='Armed clash'>: isCodable 'yes'" in err
    proj = Project.open(db)
    try:
        assert proj.reports() == []
    finally:
        proj.close()
