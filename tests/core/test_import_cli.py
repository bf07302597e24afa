"""The headless command line: import (text, folders, bad files), export, listings, codebooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from tests.core.helpers import read_jsonl, record, write_jsonl

FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "wires" / "deep").mkdir(parents=True)
    (root / "wires" / "a.txt").write_text("Army posts shelled\n\nShelling hit two posts near Gao on Monday.\n", "utf-8")
    (root / "wires" / "deep" / "b.md").write_text("# Market fire in Ménaka\n\nStalls burned overnight.\n", "utf-8")
    (root / "wires" / "cp1252.txt").write_bytes("Attaque près de Ménaka : «dégâts» signalés, été 2023.\n".encode("cp1252"))
    (root / "wires" / "utf16.txt").write_text("Convoy ambushed 🚚 near Tessit\r\nsecond line\r\n", "utf-16")
    (root / "wires" / "bom.txt").write_bytes("\ufeffCheckpoint attacked near Kidal\n".encode("utf-8"))
    (root / ".hidden.txt").write_text("never imported\n", "utf-8")
    (root / "notes.csv").write_text("ignored in a folder: not a report type\n", "utf-8")
    return root


def test_import_folder_recursively_with_encodings(capsys, tmp_path: Path, corpus: Path, new_db) -> None:
    db = new_db("p.db")
    assert run(capsys, "--db", db, "init")[0] == 0  # only init makes a project
    code, out, err = run(capsys, "--db", db, "import", str(corpus))
    assert code == 0, err
    assert out.count("\n") == 6  # five files and the summary
    assert "5 report(s) added" in out.splitlines()[-1]
    project = Project.open(db)
    titles = {r.title: r for r in project.reports()}
    assert set(titles) == {
        "Army posts shelled", "Market fire in Ménaka", "Attaque près de Ménaka : «dégâts» signalés, été 2023.",
        "Convoy ambushed 🚚 near Tessit", "Checkpoint attacked near Kidal",
    }
    utf16 = project.report(titles["Convoy ambushed 🚚 near Tessit"].id)
    assert utf16.text == "Convoy ambushed 🚚 near Tessit\nsecond line\n"
    assert not utf16.text.startswith("\ufeff")
    project.close()
    # the same texts again: recognized by their hash, nothing duplicated
    code, out, _ = run(capsys, "--db", db, "import", str(corpus))
    assert code == 0 and "0 report(s) added, 5 already present" in out


def test_bad_files_are_named_and_others_still_imported(capsys, tmp_path: Path, new_db) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good report about Gao.\n", "utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", "utf-8")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text(json.dumps(record("ok", "fine\n")) + "\n{oops\n", "utf-8")
    db = new_db("p.db")
    assert run(capsys, "--db", db, "init")[0] == 0  # only init makes a project
    code, out, err = run(capsys, "--db", db, "import", str(good), str(binary), str(empty), str(bad_jsonl), str(tmp_path / "missing.txt"))
    assert code == 1
    lines = (out + err).splitlines()
    assert any("photo.txt" in ln and "binary" in ln for ln in lines)
    assert any("empty.txt" in ln and "empty" in ln for ln in lines)
    assert any("bad.jsonl:2" in ln and "malformed JSON" in ln for ln in lines)
    assert any("missing.txt" in ln and "no such file" in ln for ln in lines)
    project = Project.open(db)
    assert [r.title for r in project.reports()] == ["A good report about Gao."]
    project.close()


def test_export_reports_coders_and_round_trip(capsys, tmp_path: Path, new_db) -> None:
    db = new_db("p.db")
    ann = {"coder": "amina", "status": "done", "spans": [{"id": "s1", "type": "location", "start": 0, "end": 3, "text": "Gao", "attributes": {}}]}
    src = write_jsonl(tmp_path / "in.jsonl", [record("r1", "Gao was shelled.\n", [ann], title="Shelling"), record("r2", "Quiet day.\n")])
    assert run(capsys, "--db", db, "init")[0] == 0  # only init makes a project
    assert run(capsys, "--db", db, "import", str(src))[0] == 0
    code, out, _ = run(capsys, "--db", db, "reports")
    assert code == 0 and "r1" in out and "Shelling" in out and "amina: done" in out
    code, out, _ = run(capsys, "--db", db, "reports", "--coder", "amina", "--status", "todo")
    assert "r2" in out and "r1" not in out
    code, out, _ = run(capsys, "--db", db, "coders")
    assert "amina" in out and out.splitlines()[1].split()[-1] == "1"
    dest = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "--db", db, "export", "--format", "jsonl", "--out", str(dest), "--coder", "amina")
    assert code == 0 and "2 report(s)" in out
    exported = read_jsonl(dest)
    assert exported[0]["annotations"][0]["spans"][0]["text"] == "Gao"
    assert exported[0]["annotations"][0]["codebook"] == "conflict-events@1"
    # unknown coder: clear error, no file written
    code, _, err = run(capsys, "--db", db, "export", "--format", "jsonl", "--out", str(tmp_path / "x.jsonl"), "--coder", "nobody")
    assert code == 1 and "nobody" in err and not (tmp_path / "x.jsonl").exists()


def test_init_with_users_codebook(capsys, tmp_path: Path, new_db) -> None:
    db = new_db("ner.db")
    code, out, err = run(capsys, "--db", db, "init", "--codebook", str(FIXTURES / "ner-codebook.json"))
    assert code == 0, err
    assert "ner-basic@2" in out
    code, out, _ = run(capsys, "--db", db, "codebook", "show")
    assert json.loads(out)["span_types"][0]["id"] == "PER"
    ann = {"coder": "kim", "codebook": "ner-basic@2", "spans": [{"id": "T1", "type": "PER", "start": 0, "end": 5, "text": "Fatou"}]}
    src = write_jsonl(tmp_path / "ner.jsonl", [record("n1", "Fatou met the mayor.\n", [ann])])
    assert run(capsys, "--db", db, "import", str(src))[0] == 0
    # a file coded with the default codebook does not fit this project
    wrong = write_jsonl(tmp_path / "wrong.jsonl", [record("n2", "Gao.\n", [{"coder": "kim", "spans": [{"id": "s1", "type": "location", "start": 0, "end": 3, "text": "Gao"}]}])])
    code, out, err = run(capsys, "--db", db, "import", str(wrong))
    assert code == 1 and "unknown span type 'location'" in out + err
    # the project keeps its codebook
    from annotator.core.resources import schemas_dir

    code, _, err = run(capsys, "--db", db, "init", "--codebook", str(schemas_dir() / "conflict-events.json"))
    assert code == 1 and "ner-basic@2" in err


def test_codebook_validate(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "codebook", "validate", str(FIXTURES / "ner-codebook.json"))
    # (not `"ok" in out`: "codebook" contains "ok", so that passed whatever was printed)
    assert code == 0 and "ner-codebook.json: valid codebook ner-basic@2 (" in out
    bad = json.loads((FIXTURES / "ner-codebook.json").read_text("utf-8"))
    bad["span_types"][1]["hotkey"] = "p"
    bad["span_types"][2]["attributes"][0]["type"] = "colour"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), "utf-8")
    code, out, err = run(capsys, "codebook", "validate", str(path))
    assert code == 1
    text = out + err
    assert "$.span_types[2].attributes[0].type" in text
    assert "bad.json" in text


def test_db_accepts_a_sqlalchemy_url(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'url.db'}"
    src = write_jsonl(tmp_path / "in.jsonl", [record("r1", "Text.\n")])
    assert run(capsys, "--db", url, "init")[0] == 0  # only init makes a project
    assert run(capsys, "--db", url, "import", str(src))[0] == 0
    assert (tmp_path / "url.db").exists()


def test_not_a_database(capsys, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("this is not sqlite at all" * 100, "utf-8")
    code, _, err = run(capsys, "--db", str(junk), "reports")
    assert code == 1 and "junk.db" in err and "not" in err
    assert junk.read_text("utf-8").startswith("this is not sqlite")  # left intact


def test_default_project_gets_the_example(capsys) -> None:
    assert run(capsys, "reports")[0] == 1  # the command line makes no project but by init
    assert run(capsys, "init", "--example")[0] == 0
    code, out, _ = run(capsys, "reports")
    assert code == 0 and "example-liptako-claim" in out and "amina: done, lukas: done" in out
