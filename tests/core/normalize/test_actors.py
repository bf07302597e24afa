"""Actor list: exact alias match, fuzzy match, finder offsets, CSV round trip and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.normalize.actors import (
    ActorCsvError,
    ActorEntry,
    ActorList,
    read_actors_csv,
    write_actors_csv,
)

ENTRIES = [
    ActorEntry("Islamic State Sahel Province", "rebel_or_jihadist_group", None,
               ("ISSP", "IS Sahel", "\u00c9tat islamique au Sahel")),
    ActorEntry("Islamic State West Africa Province", "rebel_or_jihadist_group", None, ("ISWAP",)),
    ActorEntry("Malian Armed Forces", "state_forces", "ML", ("FAMa", "Malian army")),
    ActorEntry("Jama'at Nusrat al-Islam wal-Muslimin", "rebel_or_jihadist_group", None,
               ("JNIM", "GSIM")),
    ActorEntry("Al-Naba'", "media_or_propaganda_outlet", None, ()),
    ActorEntry("Wagner Group", "private_military_company", "RU", ("Wagner", "Africa Corps")),
]  # fmt: skip


@pytest.fixture
def actors() -> ActorList:
    return ActorList(ENTRIES)


def names(hits: list[tuple[ActorEntry, float]]) -> list[tuple[str, float]]:
    return [(e.canonical, s) for e, s in hits]


def test_alias_exact_match_ignores_case_accents_and_punctuation(actors: ActorList) -> None:
    assert names(actors.match("FAMa")) == [("Malian Armed Forces", 100.0)]
    assert names(actors.match("etat islamique au sahel")) == [
        ("Islamic State Sahel Province", 100.0)
    ]
    assert names(actors.match("Al Naba")) == [("Al-Naba'", 100.0)]


def test_fuzzy_match_spelling_variants(actors: ActorList) -> None:
    [(entry, score)] = actors.match("Jamaat Nusrat al Islam wa al Muslimin")
    assert entry.canonical == "Jama'at Nusrat al-Islam wal-Muslimin"
    assert 88 <= score < 100
    assert names(actors.match("Wagnr"))[0][0] == "Wagner Group"


def test_ambiguous_fuzzy_match_gives_several(actors: ActorList) -> None:
    hits = names(actors.match("Islamic State"))
    assert [n for n, _ in hits] == ["Islamic State Sahel Province",
                                    "Islamic State West Africa Province"]  # fmt: skip
    assert all(s == 90.0 for _, s in hits)


def test_exact_beats_fuzzy_and_limit(actors: ActorList) -> None:
    hits = actors.match("ISWAP")
    assert hits[0] == (ENTRIES[1], 100.0)
    assert actors.match("Islamic State", limit=1) == [(ENTRIES[0], 90.0)]


def test_short_or_unrelated_spans_do_not_match(actors: ActorList) -> None:
    assert actors.match("IS") == []
    assert actors.match("Burkinabe Armed Forces") == []
    assert actors.match("") == []


def test_find_known_names_with_code_point_offsets(actors: ActorList) -> None:
    text = "\U0001f642 The ISSP and \u00c9tat Islamique au Sahel fought FAMa; JNIM wrote in Al-Naba'."
    found = actors.find(text)
    assert [(f.text, f.attributes["canonical_name"]) for f in found] == [
        ("ISSP", "Islamic State Sahel Province"),
        ("\u00c9tat Islamique au Sahel", "Islamic State Sahel Province"),
        ("FAMa", "Malian Armed Forces"),
        ("JNIM", "Jama'at Nusrat al-Islam wal-Muslimin"),
        ("Al-Naba'", "Al-Naba'"),
    ]
    for f in found:
        assert text[f.start:f.end] == f.text
    assert found[2].attributes == {
        "canonical_name": "Malian Armed Forces", "actor_type": "state_forces", "country": "ML",
    }  # fmt: skip


def test_find_acronyms_only_in_capitals() -> None:
    al = ActorList([ActorEntry("Islamic State", None, None, ("IS",))])
    text = "This is what IS said."
    assert [(f.start, f.text) for f in al.find(text)] == [(13, "IS")]


def test_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    write_actors_csv(path, ENTRIES)
    assert read_actors_csv(path) == ENTRIES
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8


def test_csv_minimal_columns_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("canonical_name,aliases,notes\nGendarmerie,gendarmes|gendarmerie nationale,x\n"
                    "\n", encoding="utf-8")  # fmt: skip
    assert read_actors_csv(path) == [
        ActorEntry("Gendarmerie", None, None, ("gendarmes", "gendarmerie nationale"))
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,actor_type\nX,militia\n", ":1: no 'canonical_name' column (header: name, actor_type)"),
        ("", ":1: empty file"),
        ("canonical_name,country\nA,ML\n,ML\n", ":3: empty canonical_name"),
        ("canonical_name,country\nA,Mali\n", ":2: country 'Mali' is not an ISO 3166-1 alpha-2"),
        ("canonical_name\nWagner\nA\nwagner\n", ":4: canonical_name 'wagner' already given on line 2"),
        ("canonical_name,country\nA,ML,extra\n", ":2: more fields than the header has"),
    ],
)
def test_malformed_csv_names_file_line_and_reason(tmp_path: Path, content: str,
                                                  message: str) -> None:  # fmt: skip
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ActorCsvError) as err:
        read_actors_csv(path)
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ActorCsvError, match="cannot read"):
        read_actors_csv(tmp_path / "nope.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes("canonical_name\nForces arm\u00e9es\n".encode("latin-1"))
    with pytest.raises(ActorCsvError, match="not UTF-8"):
        read_actors_csv(path)


def test_write_rejects_separator_in_alias(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="separator"):
        write_actors_csv(tmp_path / "x.csv", [ActorEntry("A", aliases=("b|c",))])
