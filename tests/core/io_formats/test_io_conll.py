"""CoNLL/BIO: export, decoded by spaCy's own IOB reader, import, round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.io.conll import read_conll, tokenize
from annotator.core.io.textfile import ImportProblem
from tests.core.io_formats.format_samples import TEXT, codebook, exported, project, sample_records


def export(tmp_path: Path, tokenizer: str = "punct") -> tuple[list[dict[str, Any]], Path]:
    proj = project(tmp_path, "a", sample_records())
    before = exported(proj)
    proj.close()
    out = tmp_path / "tags.conll"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--format", "conll",
                 "--tokenizer", tokenizer, "--out", str(out)]) == 0
    return before, out


@pytest.mark.parametrize("tokenizer", ["punct", "whitespace", "spacy"])
def test_round_trip_keeps_everything(tmp_path: Path, tokenizer: str) -> None:
    if tokenizer == "spacy":
        pytest.importorskip("spacy")
    before, out = export(tmp_path, tokenizer)
    proj = project(tmp_path, "b")
    summary = proj.import_paths([out])
    assert not summary.failed, summary.files[0].message
    assert exported(proj) == before


def _documents(path: Path) -> list[list[list[str]]]:
    docs: list[list[list[str]]] = []
    for line in path.read_text("utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            docs.append([])
        elif line.strip() and not line.startswith("# "):
            docs[-1].append(line.split("\t"))
    return docs


def test_spacy_reads_the_tags_back_to_the_same_spans(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    _, out = export(tmp_path)
    amina, lukas, _quiet = _documents(out)
    nlp = spacy.blank("en")
    for rows, coder in ((amina, 0), (lukas, 1)):
        words = [r[0] for r in rows]
        spans = sample_records()[0]["annotations"][coder]["spans"]
        got = set()
        for column in range(1, len(rows[0])):
            # spaCy builds the entities from the IOB tags and refuses a broken sequence
            doc = Doc(nlp.vocab, words=words, ents=[r[column] for r in rows])
            for ent in doc.ents:
                got.add((ent.label_, " ".join(words[ent.start:ent.end])))
        # the tokens of every span, as the tokenizer cut them
        want = {(s["type"], " ".join(TEXT[a:b] for a, b in tokenize(TEXT, "punct", cuts=(
            s["start"], s["end"])) if s["start"] <= a and b <= s["end"])) for s in spans}
        assert got == want
    assert len(amina[0]) == 2 and len(lukas[0]) == 3  # "Residents of 𠀋-town" holds "𠀋-town"


def test_tokens_are_cut_at_span_edges() -> None:
    text = "Gunmen\U0001F525raided K\u00f6ra-town."
    assert [text[a:b] for a, b in tokenize(text, "whitespace", cuts=[6, 7, 18])] == [
        "Gunmen", "\U0001F525", "raided", "K\u00f6ra", "-town."]


def test_a_plain_conll_2003_file_imports(tmp_path: Path) -> None:
    path = tmp_path / "eng.conll"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "Gunmen NNS B-NP B-actor\nraided VBD B-VP O\nK\u00f6ra NNP B-NP B-location\n. . O O\n\n"
        "The DT B-NP B-actor\nFalcon NNP I-NP I-actor\nBrigade NNP I-NP E-actor\nfled VBD O O\n\n"
        "-DOCSTART- -X- -X- O\n\nArmy NNP O S-actor\nleft VBD O O\n", "utf-8")
    first, second = read_conll(path, codebook())
    assert first["report"]["text"] == "Gunmen raided K\u00f6ra .\nThe Falcon Brigade fled\n"
    spans = first["annotations"][0]["spans"]
    assert [(s["type"], s["text"]) for s in spans] == [
        ("actor", "Gunmen"), ("location", "K\u00f6ra"), ("actor", "The Falcon Brigade")]
    assert first["annotations"][0]["coder"] == "conll"
    assert second["report"]["text"] == "Army left\n"


def test_conllu_text_comments_give_the_sentence_text(tmp_path: Path) -> None:
    path = tmp_path / "u.bio"
    path.write_text("# text = Gunmen raided K\u00f6ra.\nGunmen\tB-actor\nraided\tO\nK\u00f6ra\tB-location\n.\tO\n",
                    "utf-8")
    (rec,) = read_conll(path, codebook())
    assert rec["report"]["text"] == "Gunmen raided K\u00f6ra.\n"
    assert [s["text"] for s in rec["annotations"][0]["spans"]] == ["Gunmen", "K\u00f6ra"]


@pytest.mark.parametrize(("body", "message"), [
    ("Gunmen\tB-tank\n", "line 1: label 'tank' is not a span type"),
    ("Gunmen\tX-actor\n", "line 1: tag 'X-actor' is not O"),
    ("Gunmen\tO\nraided\n", "line 2: a token line needs a tag column"),
])
def test_bad_files_name_the_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.conll"
    path.write_text(body, "utf-8")
    with pytest.raises(ImportProblem, match=message):
        read_conll(path, codebook())
