"""brat importer and conf reader under hostile input (issue 17 items 1 and 7): every input is a
clean refusal naming file, line and reason, or a success; never a traceback; nothing of a
refused file is stored; no export writes outside its folder. Seeded, bounded to ~20 s."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.codebook import CodebookError, load_default_codebook, parse_codebook
from annotator.core.io.brat_conf import ConfError, codebook_from_brat_conf
from annotator.core.io.brat_format import read_brat, write_brat
from annotator.core.io.paths import UnsafePath, inside, safe_name
from annotator.core.project import Project

CONF = "[entities]\nActor\nPlace\n[relations]\nNear\tArg1:Actor, Arg2:Place\n[events]\n" \
       "Attack\tAgent*:Actor, Place?:Place\n[attributes]\nSure\tArg:<EVENT>\nKind\tArg:Actor, Value:a|b\n"
TEXT = "Gunmen stormed Tessit.\nThe army said 12 died.\n"

_TOKENS = ["T1", "T2", "E1", "R1", "A1", "M1", "N1", "#1", "*", "Actor", "Place", "Attack",
           "Near", "Sure", "Kind", "Agent:T1", "Place:T2", "Arg1:T1", "Arg2:T2", "Agent:E1",
           "0", "6", "15", "21", "999", "-1", "6;7", "0 6;7 10", "a", "b", "Reference",
           "AnnotatorNotes", "X:Y", ":", "Gunmen", "Tessit", "\u2028", "\x0c", "\x00", "\r"]

line = st.lists(st.sampled_from(_TOKENS) | st.text(max_size=6), min_size=1, max_size=6).map(
    lambda parts: parts[0] + "\t" + " ".join(parts[1:-1]) + ("\t" + parts[-1] if len(parts) > 2 else ""))
ann = st.lists(line, max_size=8).map("\n".join) | st.binary(max_size=60).map(
    lambda b: b.decode("latin-1"))


def _coll(root: Path, ann_text: str, raw: bytes | None = None) -> Path:
    coll = Path(tempfile.mkdtemp(dir=root))
    (coll / "d.txt").write_text(TEXT, "utf-8")
    (coll / "d.ann").write_bytes(raw if raw is not None else ann_text.encode("utf-8", "surrogatepass"))
    return coll


@pytest.fixture(scope="module")
def codebook():  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "annotation.conf").write_text(CONF, "utf-8")
        return parse_codebook(codebook_from_brat_conf(Path(d) / "annotation.conf"), "conf")


def test_the_reported_tracebacks_are_messages(tmp_path: Path, codebook) -> None:  # type: ignore[no-untyped-def]
    bad = _coll(tmp_path, "", raw=b"T1\tActor 0 6\tGunmen\nT2\tPlace 15 21\t\xff\xfe\n")
    ((file, line_no, msg),) = list(read_brat(bad, codebook))
    assert file.endswith("d.ann") and line_no == 2 and "not UTF-8" in str(msg)
    short = _coll(tmp_path, "T1\tactor\tGunmen\n")
    ((file, line_no, msg),) = list(read_brat(short, codebook))
    assert file.endswith("d.ann") and line_no == 1 and "offsets" in str(msg)


@seed(20261201)
@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ann)
def test_fuzzed_ann_files_give_a_record_or_a_message(tmp_path_factory, codebook, text: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("fz")
    coll = _coll(root, text)
    for file, line_no, item in read_brat(coll, codebook):
        if isinstance(item, str):
            assert file.endswith((".ann", ".txt", ".json")) and item and "\n" not in item
            assert line_no is None or line_no >= 1


@seed(20261202)
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ann)
def test_a_refused_file_stores_nothing_and_changes_nothing(tmp_path_factory, codebook, text: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("db")
    project = Project.open(root / "p.db", codebook=codebook)
    try:
        good = _coll(root, "T1\tActor 0 6\tGunmen\n")
        project.import_paths([good])
        before = list(project.iter_export())
        summary = project.import_paths([_coll(root, text)])
        after = list(project.iter_export())
        if summary.failed:
            assert after == before
            assert all(f.message.startswith("error: ") and "\n" not in f.message for f in summary.failed)
    finally:
        project.close()


conf_line = st.lists(st.sampled_from(
    ["[entities]", "[events]", "[relations]", "[attributes]", "[spans]", "A", "B|alias", "!C",
     "  D", " E", "<M>=A|B", "<M>", "<EVENT>", "<ENTITY>", "Theme:A", "Theme+:A", "Arg1:A",
     "Arg2:B", "Theme{2}:A", "Theme{1-3}:<M>", "Theme{0}:A", "Value:x|y", "Arg:<EVENT>",
     "<REL-TYPE>:symmetric-transitive", "ENTITY-NESTING", "<INHERIT>", "#", "----", ",", "\t",
     "Equiv", "Theme{99999999999}:A", "Arg:A"]) | st.text(max_size=5), max_size=5).map(" ".join)


@seed(20261203)
@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(conf_line, max_size=12).map("\n".join))
def test_fuzzed_confs_give_a_codebook_or_a_message(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    conf = tmp_path_factory.mktemp("conf") / "annotation.conf"
    conf.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        raw = codebook_from_brat_conf(conf)
    except ConfError as exc:
        assert str(exc).startswith(str(conf)) and exc.reason and "\n" not in exc.reason
        return
    parse_codebook(raw, "conf")  # a codebook we made must always be valid: no CodebookError
    json.dumps(raw)


@pytest.mark.parametrize("name", ["..", "/..", "/", "\\", "a\\..\\b", "C:", "x:y", "nul\x00byte",
                                  "CON", "con.txt", "LPT1", "aux", " . ", "a" * 300, "é" * 300,
                                  ".hidden", "ok-name"])
def test_names_become_one_safe_component(name: str) -> None:
    out = safe_name(name, "coder")
    assert out and out not in (".", "..") and len(out.encode("utf-8")) <= 150
    assert not any(c in out for c in '/\\:\x00*?"<>|')
    assert out.split(".")[0].upper() not in ("CON", "NUL", "AUX", "LPT1", "PRN")
    if name == "ok-name":
        assert out == name
    assert safe_name("a" * 300) != safe_name("a" * 299 + "b")  # long names stay apart


def test_inside_refuses_a_way_out(tmp_path: Path) -> None:
    assert inside(tmp_path, "a", "b.txt") == tmp_path / "a" / "b.txt"
    for bad in ("..", "../x", "/etc/passwd"):
        with pytest.raises(UnsafePath):
            inside(tmp_path, bad)


def test_brat_export_never_writes_outside_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    victim = tmp_path / "target" / "victim.txt"
    victim.write_text("keep me", "utf-8")
    names = ["..", "/..", "/", "\\", ":", "a\x00b", "CON", "nul", "x" * 300, "ok"]
    text = "Gunmen stormed Tessit.\n"
    records = [{"report": {"id": name, "title": "t", "text": f"{text}{i}\n", "metadata": {}},
                "annotations": [{"coder": coder, "status": "done", "spans": [], "claims": []}
                                for coder in names]}
               for i, name in enumerate(["..", "../victim", "/etc/x", "CON", "y" * 300])]
    out = target / "brat"
    assert write_brat(records, load_default_codebook(), out) == 5 * len(names)
    assert victim.read_text("utf-8") == "keep me"
    assert sorted(p.name for p in target.iterdir()) == ["brat", "victim.txt"]
    assert len([p for p in out.iterdir() if p.is_dir()]) == len(names)
    got = {a["coder"] for _, _, r in read_brat(out, load_default_codebook()) if isinstance(r, dict)
           for a in r["annotations"]}
    assert got == set(names)  # the sidecar gives every name back


def test_a_mistyped_export_coder_from_jsonl_stays_inside(tmp_path: Path) -> None:
    rec = {"report": {"id": "r1", "text": "Gunmen came.\n"},
           "annotations": [{"coder": "/..", "spans": [], "claims": []}]}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rec) + "\n", "utf-8")
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(src)]) == 0
    (tmp_path / "exp").mkdir()
    assert main(["--db", db, "export", "--format", "brat", "--out", str(tmp_path / "exp" / "b")]) == 0
    assert sorted(p.name for p in (tmp_path / "exp").iterdir()) == ["b"]


def test_codebook_error_is_not_swallowed() -> None:
    with pytest.raises(CodebookError):
        parse_codebook({"id": "x"}, "x")
