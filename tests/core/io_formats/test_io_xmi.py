"""UIMA CAS XMI: export, read by dkpro-cassis (the reference reader), import, round trip."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.io.textfile import ImportProblem
from annotator.core.io.xmi import TYPESYSTEM, read_xmi
from tests.core.io_formats.format_samples import TEXT, codebook, exported, project, sample_records

cassis = pytest.importorskip("cassis")


def export(tmp_path: Path) -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    proj.close()
    out = tmp_path / "xmi"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "xmi", "--out", str(out)]) == 0
    return before, out


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    before, out = export(tmp_path)
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])  # the folder: every .xmi in it
    assert not summary.failed, [f.message for f in summary.failed]
    assert exported(proj) == before


def test_cassis_reads_the_export_and_offsets_are_utf16_in_the_file(tmp_path: Path) -> None:
    _, out = export(tmp_path)
    assert sorted(p.name for p in out.iterdir()) == [
        "TypeSystem.xml", "r-1__amina.xmi", "r-1__lukas.xmi", "r-2.xmi"]
    with (out / "TypeSystem.xml").open("rb") as fh:
        ts = cassis.load_typesystem(fh)
    with (out / "r-1__amina.xmi").open("rb") as fh:
        cas = cassis.load_cas_from_xmi(fh, typesystem=ts)
    assert cas.sofa_string == TEXT
    got = {(a.begin, a.end, a.get_covered_text(), a.label) for a in cas.select("webanno.custom.Span")}
    want = {(s["start"], s["end"], s["text"], s["type"])
            for s in sample_records()[0]["annotations"][0]["spans"]}
    assert got == want  # cassis converts the file's UTF-16 offsets to code points
    (rel,) = cas.select("webanno.custom.Relation")
    assert (rel.label, rel.Governor.get_covered_text(), rel.Dependent.get_covered_text()) == (
        "located_in", "the Falcon Brigade \U0001D538", "K\u00f6ra")
    raw = (out / "r-1__amina.xmi").read_text("utf-8")
    first = re.search(r'<custom:Span [^>]*begin="(\d+)" end="(\d+)"[^>]*label="actor" spanId="s1"', raw)
    assert first and (int(first[1]), int(first[2])) == (13, 34)  # one UTF-16 unit per emoji more


def test_an_inception_style_file_imports(tmp_path: Path) -> None:
    # a DKPro NamedEntity layer and a custom relation layer, as INCEpTION exports them
    ts = cassis.load_dkpro_core_typesystem()
    rel_type = ts.create_type("webanno.custom.LocatedIn", supertypeName="uima.tcas.Annotation")
    ne_type = ts.get_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    ts.create_feature(rel_type, "Governor", ne_type.name)
    ts.create_feature(rel_type, "Dependent", ne_type.name)
    ts.create_feature(rel_type, "label", "uima.cas.String")
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = "\U0001F525 Gunmen of the Falcon Brigade raided K\u00f6ra."
    ne = ts.get_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    a = ne(begin=2, end=8, value="actor")
    b = ne(begin=38, end=42, value="LOCATION")
    cas.add_all([a, b])
    cas.add(rel_type(begin=38, end=42, Governor=a, Dependent=b, label="Located in"))
    tok = ts.get_type("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")
    cas.add(tok(begin=2, end=8))
    folder = tmp_path / "inc"
    folder.mkdir()
    cas.to_xmi(str(folder / "doc1.xmi"))
    ts.to_xml(str(folder / "TypeSystem.xml"))
    (rec,) = read_xmi(folder / "doc1.xmi", codebook())
    (ann,) = rec["annotations"]
    assert [(s["type"], s["text"]) for s in ann["spans"]] == [("actor", "Gunmen"), ("location", "K\u00f6ra")]
    assert ann["claims"][0]["type"] == "located_in" and ann["coder"] == "inception"
    assert rec["report"]["text"] == cas.sofa_string


def test_missing_typesystem_and_unknown_label(tmp_path: Path) -> None:
    (tmp_path / "a.xmi").write_text("<x/>", "utf-8")
    with pytest.raises(ImportProblem, match="no TypeSystem.xml"):
        read_xmi(tmp_path / "a.xmi", codebook())
    (tmp_path / "TypeSystem.xml").write_text(TYPESYSTEM, "utf-8")
    ts = cassis.load_typesystem(TYPESYSTEM)
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = "Gunmen raided a post."
    cas.add(ts.get_type("webanno.custom.Span")(begin=0, end=6, label="tank"))
    cas.to_xmi(str(tmp_path / "a.xmi"))
    with pytest.raises(ImportProblem, match=r"xmi:id \d+ \(webanno.custom.Span\): label 'tank'"):
        read_xmi(tmp_path / "a.xmi", codebook())


def test_a_form_feed_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.helpers import record

    proj = project(tmp_path, "f", [record("ff", "Page one.\fPage two.\n")])
    proj.close()
    assert main(["--db", str(tmp_path / "f.db"), "export", "--format", "xmi",
                 "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "report ff: character U+000C at 9 cannot be written in XML 1.0" in err
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob(".o*"))
