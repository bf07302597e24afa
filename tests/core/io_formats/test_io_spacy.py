"""spaCy DocBin and Doc JSON: export, read by spaCy itself, import, round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.io.spacy_format import read_spacy_json
from annotator.core.io.textfile import ImportProblem
from tests.core.io_formats.format_samples import TEXT, codebook, exported, project, sample_records

spacy = pytest.importorskip("spacy")


def export(tmp_path: Path, name: str) -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    proj.close()
    out = tmp_path / name
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "spacy", "--out", str(out)]) == 0
    return before, out


@pytest.mark.parametrize("name", ["train.spacy", "docs.json"])
def test_round_trip_keeps_everything(tmp_path: Path, name: str) -> None:
    before, out = export(tmp_path, name)
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])
    assert not summary.failed, summary.files[0].message
    assert exported(proj) == before


def _want(coder: int) -> set[tuple[int, int, str, str]]:
    return {(s["start"], s["end"], s["text"], s["type"])
            for s in sample_records()[0]["annotations"][coder]["spans"]}


def test_spacy_reads_the_docbin(tmp_path: Path) -> None:
    from spacy.tokens import DocBin

    _, out = export(tmp_path, "train.spacy")
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 3 and docs[0].text == TEXT
    for doc, coder in ((docs[0], 0), (docs[1], 1)):
        got = {(s.start_char, s.end_char, s.text, s.label_) for s in doc.spans["annotator"]}
        assert got == _want(coder)
    # amina's spans do not overlap: they are the entities too; lukas's nest: no entities
    assert {(e.start_char, e.end_char, e.label_) for e in docs[0].ents} == {
        (a, b, t) for a, b, _x, t in _want(0)}
    assert not docs[1].ents
    assert docs[0].user_data["annotator"]["coder"] == "amina"


def test_spacy_reads_the_json(tmp_path: Path) -> None:
    from spacy.tokens import Doc

    _, out = export(tmp_path, "docs.json")
    items = json.loads(out.read_text("utf-8"))
    doc = Doc(spacy.blank("en").vocab).from_json(items[0], validate=True)
    assert doc.text == TEXT
    assert {(s.start_char, s.end_char, s.text, s.label_) for s in doc.spans["annotator"]} == _want(0)


def test_a_json_made_by_spacy_imports(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    doc = nlp("\U0001F525 Gunmen raided K\u00f6ra today.")
    doc.ents = [doc.char_span(2, 8, label="ACTOR"), doc.char_span(16, 20, label="location")]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps([doc.to_json()]), "utf-8")
    (rec,) = read_spacy_json(path, codebook())
    assert [(s["type"], s["text"]) for s in rec["annotations"][0]["spans"]] == [
        ("actor", "Gunmen"), ("location", "K\u00f6ra")]
    assert rec["annotations"][0]["coder"] == "spacy"
    proj = project(tmp_path, "c")
    assert not proj.import_paths([path]).failed  # recognized as spaCy, not as Label Studio


def test_bad_json_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"text": "abc", "tokens": [], "ents": [{"start": 0, "end": 2, "label": "tank"}]}]), "utf-8")
    with pytest.raises(ImportProblem, match=r"\$\[0\]\.spans\[0\]: label 'tank'"):
        read_spacy_json(path, codebook())


def test_without_spacy_the_message_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import builtins

    proj = project(tmp_path, "a", sample_records())
    proj.close()
    real = builtins.__import__

    def no_spacy(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("No module named 'spacy'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "spacy",
                 "--out", str(tmp_path / "x.spacy")]) == 1
    assert "pip install 'annotator[spacy]'" in capsys.readouterr().err
    assert not (tmp_path / "x.spacy").exists()
