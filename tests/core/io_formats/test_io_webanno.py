"""WebAnno TSV 3.3 (INCEpTION): export, import, round trip, offsets in UTF-16 units.

Oracles: web-anno-tsv (PyPI), an independent reader that maps the UTF-16 offsets back itself and
asserts each token's offsets cover its text, reads our exports to the same labelled texts; and a
file written here in INCEpTION's layout, whose offsets are checked by hand below.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.io.textfile import ImportProblem
from annotator.core.io.webanno import read_webanno, rebuild_text
from tests.core.io_formats.format_samples import TEXT, codebook, exported, project, sample_records

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "webanno" / "inception.tsv"


def export(tmp_path: Path) -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    proj.close()
    out = tmp_path / "tsv"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "webanno",
                 "--out", str(out)]) == 0
    return before, out


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    before, out = export(tmp_path)
    assert sorted(p.name for p in out.iterdir()) == ["r-1__amina.tsv", "r-1__lukas.tsv", "r-2.tsv"]
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])  # a folder of .tsv files: each is recognised
    assert not summary.failed, [f.message for f in summary.failed]
    assert exported(proj) == before


def test_offsets_count_utf16_units(tmp_path: Path) -> None:
    _, out = export(tmp_path)
    lines = (out / "r-1__amina.tsv").read_text("utf-8").split("\n")
    assert lines[0] == "#FORMAT=WebAnno TSV 3.3" and lines[4] == lines[5] == ""
    # "the Falcon Brigade 𝔸": after an emoji (2 units) and "Breaking:" the span starts at code
    # point 12 = UTF-16 unit 13; its last token is the mathematical letter (2 units)
    the = next(line for line in lines if line.split("\t")[2:3] == ["the"])
    assert the.split("\t")[1] == "13-16"
    letter = next(line for line in lines if line.split("\t")[2:3] == ["\U0001D538"])
    start = TEXT.index("\U0001D538")
    assert letter.split("\t")[1] == f"{start + 1}-{start + 3}"
    assert "actor[" in letter.split("\t")[4]  # a multi-token span carries its id


def test_an_independent_reader_reads_our_export(tmp_path: Path) -> None:
    pytest.importorskip("web_anno_tsv")
    from web_anno_tsv import open_web_anno_tsv

    _, out = export(tmp_path)
    want = {(s["type"], s["text"]) for s in sample_records()[0]["annotations"][0]["spans"]}
    got = set()
    with open_web_anno_tsv(str(out / "r-1__amina.tsv")) as f:
        for sentence in f:  # it asserts every token's offsets cover its text
            # it does not undo the escapes of feature values ("casualty\\_count")
            got |= {(a.label.replace("\\_", "_"), a.text) for a in sentence.annotations}
    assert got == want


def test_a_file_from_inception(tmp_path: Path) -> None:
    """The fixture, checked by hand: "😊" is UTF-16 units 0-2 (code points 0-1), so "Rebels" is
    units 3-9 = code points 2-8; the second sentence starts at unit 39 = code point 38 (the
    first sentence, 37 code points and 38 units, and its line feed); "𝔸" is units 46-48 =
    code point 45; "troops" units 49-55 = code points 47-53."""
    (rec,) = read_webanno(FIXTURE, codebook())
    text = rec["report"]["text"]
    assert text == ("\U0001F60A Rebels attacked soldiers near K\u00f6ra.\n"
                    "Later, \U0001D538 troops left.\n")
    (ann,) = rec["annotations"]
    assert ann["coder"] == "inception"
    spans = {(s["type"], s["start"], s["end"], s["text"]) for s in ann["spans"]}
    assert spans == {("actor", 2, 8, "Rebels"), ("actor", 2, 7, "Rebel"),  # a sub-token
                     ("actor", 18, 26, "soldiers"), ("location", 32, 36, "K\u00f6ra"),
                     ("actor", 45, 53, "\U0001D538 troops"), ("actor", 47, 53, "troops")}
    by_id = {s["id"]: s["text"] for s in ann["spans"]}
    claims = sorted((c["type"], {k: [by_id[x] for x in v] for k, v in c["slots"].items()})
                    for c in ann["claims"])
    assert claims == [("attack", {"perpetrator": ["Rebels"], "target": ["soldiers"]}),
                      ("located_in", {"Arg1": ["soldiers"], "Arg2": ["K\u00f6ra"]})]


def test_inception_project_layout_names_report_and_coder(tmp_path: Path) -> None:
    folder = tmp_path / "annotation" / "report 7.txt"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "rosa.tsv")
    (rec,) = read_webanno(folder / "rosa.tsv", codebook())
    assert rec["report"]["id"] == "report 7" and rec["annotations"][0]["coder"] == "rosa"


def test_rebuilt_text_pads_and_joins_as_inception() -> None:
    # the next sentence right after the line feed keeps it; a gap is padded with spaces
    assert rebuild_text([(0, "A."), (3, "B.")]) == "A.\nB.\n"
    assert rebuild_text([(0, "A."), (5, "B.")]) == "A.\n  B.\n"
    assert rebuild_text([(0, "A.  "), (4, "B.")]) == "A.  B.\n"  # no line break between them


def _bad(tmp_path: Path, edit: Any) -> Path:
    lines = FIXTURE.read_text("utf-8").split("\n")
    edit(lines)
    path = tmp_path / "bad.tsv"
    path.write_text("\n".join(lines), "utf-8")
    return path


@pytest.mark.parametrize("edit, line, reason", [
    (lambda ls: ls.__setitem__(8, ls[8].replace("3-9", "2-8")), 9,
     "offsets 2-8 cover ' Rebel', not the token 'Rebels' (offsets count UTF-16 units)"),
    (lambda ls: ls.__setitem__(0, "#FORMAT=WebAnno TSV 2.0"), 1, "only versions 3.2 and 3.3"),
    (lambda ls: ls.__setitem__(9, ls[9].rsplit("\t", 3)[0]), 10, "columns, the header declares 10"),
    (lambda ls: ls.__setitem__(13, ls[13].replace("located\\_in", "fled")), 14,
     "relation 'fled' is not a two-slot claim type"),
    (lambda ls: ls.__setitem__(10, ls[10].replace("perpetrator;", "victim;")), 11,
     "role 'victim' is no slot of claim type attack"),
    (lambda ls: ls.__setitem__(8, ls[8].replace("actor", "weapon")), 9,
     "label 'weapon' is not a span type"),
])
def test_bad_files_are_refused_with_the_line(tmp_path: Path, edit: Any, line: int,
                                             reason: str) -> None:
    path = _bad(tmp_path, edit)
    with pytest.raises(ImportProblem) as info:
        from annotator.core.io.registry import importer_for

        imp = importer_for(path)
        assert imp is not None and imp.name == "webanno"
        list(imp.read(path, codebook()))
    message = str(info.value)
    assert reason in message and (f"line {line}" in message or f":{line}:" in message), message


def test_import_cli_stores_nothing_of_a_bad_file(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad(tmp_path, lambda ls: ls.__setitem__(8, ls[8].replace("actor", "weapon")))
    proj = project(tmp_path, "p")
    proj.close()
    assert main(["--db", str(tmp_path / "p.db"), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.tsv" in err and "weapon" in err and "Traceback" not in err
    good = tmp_path / "good.tsv"
    shutil.copy(FIXTURE, good)
    assert main(["--db", str(tmp_path / "p.db"), "import", str(good)]) == 0


def test_what_rows_of_tokens_cannot_say_comes_back_from_the_extension(tmp_path: Path) -> None:
    """A text starting with line breaks and without a final one, tabs and backslashes in it, a
    span starting in white space and one holding a line break (two sentences)."""
    from tests.core.helpers import record, span

    text = "\n\n  Rebels\tattacked C:\\base\nin Kora [north]_"
    ann = {"coder": "amina", "status": "done", "claims": [],
           "spans": [span("s1", "actor", text, " Rebels"), span("s2", "location", text, "base\nin Kora"),
                     span("s3", "actor", text, "[north]_", note="x|y;z->*")]}
    recs = [record("odd", text, [ann])]
    proj = project(tmp_path, "a", recs)
    before = exported(proj)
    proj.close()
    out = tmp_path / "tsv"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "webanno", "--out", str(out)]) == 0
    content = (out / "odd__amina.tsv").read_text("utf-8")
    assert "#Text=Rebels\\tattacked C:\\\\base" in content  # INCEpTION's text escapes
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out / "odd__amina.tsv"])
    assert not summary.failed, [f.message for f in summary.failed]
    assert exported(proj) == before
