"""REFI-QDA .qdpx/.qdc: export, structural checks against the REFI-QDA project schema (element
order, GUID references, positions), import, round trip."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from annotator.cli import main
from annotator.core.io.qdpx import NS, read_qdpx
from annotator.core.io.textfile import ImportProblem
from tests.core.io_formats.format_samples import TEXT, codebook, exported, project, sample_records

Q = f"{{{NS}}}"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# the child order the REFI-QDA project XSD prescribes (xs:sequence)
ORDER = {
    "Project": ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets",
                "Graphs", "Description"],
    "TextSource": ["Description", "PlainTextContent", "PlainTextSelection", "VariableValue", "NoteRef"],
    "PlainTextSelection": ["Description", "Coding", "NoteRef"],
    "Coding": ["CodeRef", "NoteRef"],
    "Code": ["Description", "NoteRef", "Code"],
}


def export(tmp_path: Path, name: str = "p.qdpx") -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    proj.close()
    out = tmp_path / name
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "qdpx", "--out", str(out)]) == 0
    return before, out


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    before, out = export(tmp_path)
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])
    assert not summary.failed, summary.files[0].message
    assert exported(proj) == before


def _check_order(el: ET.Element) -> None:
    local = el.tag.removeprefix(Q)
    if local in ORDER:
        seen = [c.tag.removeprefix(Q) for c in el]
        ranks = [ORDER[local].index(t) for t in seen]  # an unknown child fails here
        assert ranks == sorted(ranks), (local, seen)
    for child in el:
        _check_order(child)


def test_project_is_refi_qda_shaped(tmp_path: Path) -> None:
    _, out = export(tmp_path)
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        root = ET.fromstring(zf.read("project.qde"))
        assert root.tag == f"{Q}Project" and root.get("name") and root.get("origin") == "Annotator"
        _check_order(root)
        guids = [el.get("guid") for el in root.iter() if el.get("guid")]
        assert all(GUID.match(g) for g in guids) and len(guids) == len(set(guids))
        known = set(guids)
        for el in root.iter():
            for attr in ("targetGUID", "creatingUser"):
                if el.get(attr):
                    assert el.get(attr) in known, (el.tag, attr)
        sources = root.findall(f"{Q}Sources/{Q}TextSource")
        assert len(sources) == 2
        first = sources[0]
        path = first.get("plainTextPath", "")
        assert path.startswith("internal://") and f"Sources/{path[11:]}" in names
        text = zf.read(f"Sources/{path[11:]}").decode("utf-8")
        assert text == TEXT
        codes = {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Code")}
        users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
        got = set()
        for sel in first.findall(f"{Q}PlainTextSelection"):
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            for coding in sel.findall(f"{Q}Coding"):
                name = codes[coding.find(f"{Q}CodeRef").get("targetGUID")]  # type: ignore[union-attr]
                if "=" not in name:
                    got.add((users[coding.get("creatingUser")], start, end, text[start:end], name))
    want = {(a["coder"], s["start"], s["end"], s["text"], s["type"])
            for a in sample_records()[0]["annotations"] for s in a["spans"]}
    assert got == want  # positions count code points of the plain text


def test_codebook_alone_as_qdc(tmp_path: Path) -> None:
    _, out = export(tmp_path, "book.qdc")
    root = ET.parse(out).getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names[:1] == ["actor"] and "actor_type=rebel_group" in names and "casualty_count" in names


def test_a_project_from_another_tool_imports(tmp_path: Path) -> None:
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="field notes" origin="QualCoder">
  <Users><User guid="11111111-1111-4111-8111-111111111111" name="rosa"/></Users>
  <CodeBook><Codes>
    <Code guid="22222222-2222-4222-8222-222222222222" name="Actor" isCodable="true">
      <Code guid="33333333-3333-4333-8333-333333333333" name="actor_type=civilians" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="44444444-4444-4444-8444-444444444444" name="interview 1"
                plainTextPath="internal://44444444-4444-4444-8444-444444444444.txt">
      <PlainTextSelection guid="55555555-5555-4555-8555-555555555555" startPosition="2" endPosition="11"
                          creatingUser="11111111-1111-4111-8111-111111111111">
        <Coding guid="66666666-6666-4666-8666-666666666666" creatingUser="11111111-1111-4111-8111-111111111111">
          <CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding>
        <Coding guid="77777777-7777-4777-8777-777777777777" creatingUser="11111111-1111-4111-8111-111111111111">
          <CodeRef targetGUID="33333333-3333-4333-8333-333333333333"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    path = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("Sources/44444444-4444-4444-8444-444444444444.txt",
                    "\U0001F525 Villagers fled K\u00f6ra.".encode())
    (rec,) = read_qdpx(path, codebook())
    assert rec["report"]["id"] == "interview 1"
    (ann,) = rec["annotations"]
    assert ann["coder"] == "rosa"
    assert [(s["type"], s["text"], s["attributes"]) for s in ann["spans"]] == [
        ("actor", "Villagers", {"actor_type": "civilians"})]


def test_bad_archives_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.qdpx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ImportProblem, match="not a .qdpx archive"):
        read_qdpx(path, codebook())
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", f'<Project xmlns="{NS}"><Sources><TextSource guid="g" name="s" '
                    'plainTextPath="internal://missing.txt"/></Sources></Project>')
    with pytest.raises(ImportProblem, match="TextSource s: internal://missing.txt is not in the archive"):
        read_qdpx(path, codebook())
