"""How figures are read and disagreements shown (issue 13 item 12): one verdict rule for alpha
(the interval's lower bound, too few units), none for F1, labels and values instead of
identifiers and Python reprs in the CLI's text, HTML and CSV output."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement import compute_agreement
from annotator.core.agreement.alpha import MIN_UNITS, verdict
from annotator.core.agreement.kinds import KIND_NAMES, kind_name, problem_text
from annotator.core.agreement.report import html_report, rows, text_table
from annotator.core.codebook import load_default_codebook
from annotator.core.project import Project
from annotator.core.resources import resources_dir

EXAMPLE = resources_dir() / "example" / "example.jsonl"
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")  # event_type, armed_clash, claim_slot_mismatch


@pytest.fixture
def result(tmp_path: Path, new_db):
    p = Project.open(new_db("reading.db"))
    p.import_paths([EXAMPLE])
    out = compute_agreement(p.agreement_data(), resamples=200).to_json()
    p.close()
    return out


def test_verdict_reads_the_lower_bound_and_needs_enough_units() -> None:
    assert verdict(0.9, (0.85, 0.95), 40) == "reliable"
    assert verdict(0.9, (0.70, 0.95), 40) == "tentative"
    assert verdict(0.9, (0.40, 0.95), 40) == "unreliable"  # may well lie below .667
    assert verdict(0.833, (-0.5, 0.833), 2) == "too few units"  # the figure
    assert verdict(1.0, (1.0, 1.0), MIN_UNITS - 1) == "too few units"
    assert verdict(0.9, None, 40) == "reliable"  # no interval asked for: the point value
    assert verdict(None, None, 40) == "undefined"


def test_no_figure_with_few_units_or_a_wide_interval_is_called_reliable(result) -> None:
    figures = list(rows(result))
    precision = next(f for f in figures if f["item"] == "location.precision")
    assert precision["n"] == 2 and precision["ci_low"] < 0
    assert precision["label"] == "too few units"
    assert precision["reading"].startswith("too few units (n 2;")
    for f in figures:
        if f["label"] == "reliable":
            assert f["n"] >= MIN_UNITS and f["ci_low"] >= 0.8
        if f["measure"].startswith("f1"):  # no alpha thresholds for F1
            assert f["label"] is None and f["reading"] == "no threshold (F1)"
    table = text_table(result)
    lines = [ln for ln in table.splitlines() if "Location: Precision" in ln]
    assert lines and "too few units" in lines[0] and "reliable" not in lines[0]
    f1_lines = [ln for ln in table.splitlines() if "F1 exact" in ln or "F1 overlap" in ln]
    assert f1_lines and not any("reliable" in ln for ln in f1_lines)


def test_disagreements_read_as_labels_and_values(result) -> None:
    ds = result["disagreements"]
    shown = {d["kind"]: d for d in ds}
    assert "“Liptako Brigade” (amina) vs “fighters of the Liptako Brigade” (lukas)" in {
        d["shown"] for d in ds if d["kind"] == "boundary_mismatch"}
    event = next(d for d in ds if d["detail"] == "event_type")
    assert event["what"] == "Event type" and event["shown"] == "attack (amina) vs armed clash (lukas)"
    slot = shown["claim_slot_mismatch"]
    assert slot["what"] == "Location" and "not reported (lukas)" in slot["shown"]
    for d in ds:
        text = f"{d['kind_name']} {d['what']} {d['shown']}"
        assert not IDENTIFIER.search(text), text
        assert "{" not in text and "'" not in text and "(" in d["shown"]
    page = html_report(result)
    assert "{&#x27;" not in page and "{'" not in page and "armed clash" in page
    table = text_table(result)
    counts = table.splitlines()[-1]
    assert counts.startswith("disagreements: ") and not IDENTIFIER.search(counts), counts


def test_kind_names_and_review_problems() -> None:
    cb = load_default_codebook()
    assert all("_" not in name for name in KIND_NAMES.values())
    assert problem_text("attribute_mismatch:actor_type", cb, "actor") == "Actor type differs"
    assert problem_text("claim_slot_mismatch:perpetrator", cb, "attack") == "Perpetrator differs"
    assert problem_text("claim_attribute_mismatch:event_type", cb, "attack") == "Event type differs"
    assert problem_text("boundary_mismatch", cb) == kind_name("boundary_mismatch") == "different boundaries"


def test_cli_text_html_and_csv(tmp_path: Path, new_db, capsys) -> None:
    db = new_db("cli.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(EXAMPLE)]) == 0
    capsys.readouterr()
    page, folder = tmp_path / "a.html", tmp_path / "csv"
    assert main(["--db", db, "agreement", "--resamples", "100", "--html", str(page),
                 "--csv", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Attack: Event type" in out and "attack.event_type" not in out
    assert "F1 exact" in out and "f1_exact" not in out
    assert "lower bound" in out  # the rule is said where the figures are
    html = page.read_text(encoding="utf-8")
    assert "too few units" in html and "no threshold (F1)" in html
    with (folder / "agreement-disagreements.csv").open(encoding="utf-8-sig") as fh:
        recs = list(csv.DictReader(fh))
    assert recs and all(r["shown"] and "{'" not in r["values"] for r in recs)
    assert all(isinstance(json.loads(r["values"]), dict) for r in recs)


def test_cli_suggest_text_names_types_and_values_by_label(tmp_path: Path, capsys) -> None:
    f = tmp_path / "r.txt"
    f.write_text("On December 3, 2024, fighters killed 12 soldiers.", encoding="utf-8")
    assert main(["suggest", str(f), "--published", "2024-12-05"]) == 0
    out = capsys.readouterr().out
    assert "Casualty count" in out and "Quantity kind: exact" in out
    assert not IDENTIFIER.search(out) and "{" not in out, out
