"""Issue 7 audit: brat standoff (annotator.core.io.brat_format), pure functions, no CLI.

Texts are invented for the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.core.codebook import load_default_codebook, parse_codebook
from annotator.core.io.brat_format import codebook_from_brat_conf, read_brat, write_brat, write_conf
from tests.core.helpers import record, span
from tests.core.test_brat import ANN_A, ANN_B, CONF

TEXT = "Gunmen 🔥 stormed Tessit.\nThe army said 12 soldiers died on 3 December 2023.\n"


def default_records() -> list[dict[str, Any]]:
    spans = [
        span(
            "s1",
            "actor",
            TEXT,
            "Gunmen",
            canonical_name="Unidentified gunmen",
            actor_type="unidentified_armed_group",
        ),
        span(
            "s2",
            "location",
            TEXT,
            "Tessit",
            place={"name": "Tessit", "country": "ML", "lat": 15.01, "lon": 0.97},
            precision="place",
            relation="in",
        ),
        span(
            "s3",
            "casualty_count",
            TEXT,
            "12 soldiers died",
            count={"low": 12, "best": 12, "high": 12},
            status="killed",
            victim_category="military",
            unit="persons",
            aggregate=False,
        ),
        span(
            "s4",
            "date",
            TEXT,
            "3 December 2023",
            value="2023-12-03",
            granularity="day",
            anchor="absolute",
        ),
        span(
            "s5",
            "actor",
            TEXT,
            "The army",
            canonical_name="Armed Forces of Mali",
            actor_type="state_forces",
        ),
        # a span across the line break: brat needs fragments
        {
            "id": "s6",
            "type": "actor",
            "start": TEXT.index("Tessit."),
            "end": TEXT.index("The army") + 8,
            "text": TEXT[TEXT.index("Tessit.") : TEXT.index("The army") + 8],
            "attributes": {},
        },
    ]
    claims = [
        {
            "id": "c1",
            "type": "attack",
            "slots": {
                "perpetrator": ["s1"],
                "location": ["s2"],
                "casualties": ["s3"],
                "date": ["s4"],
                "reported_by": ["s5"],
                "target": "not_reported",
            },
            "attributes": {"stance": "third_party_report", "event_type": "attack"},
        }
    ]
    anns = [
        {"coder": "amina", "status": "done", "spans": spans, "claims": claims},
        {"coder": "bo", "status": "done", "spans": spans[:2], "claims": []},
    ]
    return [record("r-0001", TEXT, anns, published="2023-12-05")]


def ann_lines(path: Path) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for line in path.read_text("utf-8").splitlines():
        out.setdefault(line[0], []).append(line.split("\t"))
    return out


def test_conf_from_the_default_codebook() -> None:
    conf = write_conf(load_default_codebook())
    sections = {}
    current = ""
    for line in conf.splitlines():
        if line.startswith("["):
            current = line
            sections[current] = []
        elif line:
            sections[current].append(line)
    assert sections["[entities]"] == ["actor", "location", "date", "casualty_count"]
    assert sections["[relations]"] == []
    attack = next(x for x in sections["[events]"] if x.startswith("attack\t"))
    assert "perpetrator+:actor" in attack and "target*:actor" in attack and "date?:date" in attack
    assert "actor_type\tArg:actor, Value:state_forces|police|" in conf
    assert "aggregate\tArg:casualty_count" in sections["[attributes]"]


def test_export_offsets_are_code_points_and_every_value_survives(tmp_path: Path) -> None:
    out = tmp_path / "brat"
    assert write_brat(default_records(), load_default_codebook(), out) == 2
    assert sorted(p.name for p in out.iterdir()) == ["amina", "annotation.conf", "annotator.json", "bo"]
    assert (out / "amina" / "r-0001.txt").read_text("utf-8") == TEXT
    lines = ann_lines(out / "amina" / "r-0001.ann")
    text = (out / "amina" / "r-0001.txt").read_text("utf-8")
    for t in lines["T"]:
        frags = [tuple(int(x) for x in f.split()) for f in t[1].split(" ", 1)[1].split(";")]
        assert t[2] == " ".join(text[a:b] for a, b in frags)
        assert all("\n" not in text[a:b] for a, b in frags)
    first = lines["T"][0]
    assert first[1] == "actor 0 6" and first[2] == "Gunmen"
    tessit = next(t for t in lines["T"] if t[2] == "Tessit")
    assert tessit[1] == "location 17 23"  # after the emoji: one code point, as brat counts
    crossing = next(t for t in lines["T"] if ";" in t[1])
    assert crossing[2] == "Tessit. The army"
    a_lines = {tuple(a[1].split()) for a in lines["A"]}
    assert ("actor_type", "T1", "unidentified_armed_group") in a_lines
    assert ("value", "T4", "2023-12-03") in a_lines  # a date is one word: an A line
    assert "#" not in lines  # no JSON in notes: what brat cannot hold is in the sidecar
    side = json.loads((out / "annotator.json").read_text("utf-8"))
    values = side["coders"]["amina"]["files"]["r-0001"]["values"]
    assert values["T1"] == {"canonical_name": "Unidentified gunmen"}  # a text with a space
    assert values["T3"]["count"] == {"low": 12, "best": 12, "high": 12}
    assert values["T3"]["aggregate"] is False  # a false boolean is no A line
    assert side["reports"]["r-0001"]["published"] == "2023-12-05"
    conf = (out / "annotation.conf").read_text("utf-8")
    assert "value\tArg:date, Value:2023-12-03" in conf  # brat accepts the A line it declares
    (event,) = lines["E"]
    head, *roles = event[1].split()
    trigger = head.split(":")[1]
    assert next(t for t in lines["T"] if t[0] == trigger)[1].startswith("attack ")
    assert trigger in side["coders"]["amina"]["files"]["r-0001"]["synthetic"]
    assert {r.split(":")[0] for r in roles} == {
        "perpetrator",
        "location",
        "casualties",
        "date",
        "reported_by",
    }
    claim_side = side["coders"]["amina"]["files"]["r-0001"]
    assert claim_side["not_reported"][event[0]] == ["target"]
    assert claim_side["keys"][event[0]] == "c1"
    assert {a[1].split()[0] for a in lines["A"] if a[1].split()[1] == event[0]} == {"stance", "event_type"}


def test_records_brat_records_round_trip(tmp_path: Path) -> None:
    cb = load_default_codebook()
    write_brat(default_records(), cb, tmp_path / "b")
    got = [r for _, _, r in read_brat(tmp_path / "b", cb)]
    assert all(not isinstance(r, str) for r in got), got
    (rec,) = got
    assert isinstance(rec, dict)
    assert rec["report"]["text"] == TEXT
    orig = default_records()[0]
    assert [a["coder"] for a in rec["annotations"]] == ["amina", "bo"]
    for ann, want in zip(rec["annotations"], orig["annotations"], strict=True):

        def key(s):
            return (
                s["type"],
                s["start"],
                s["end"],
                json.dumps(s["attributes"], sort_keys=True),
            )  # noqa: E731

        assert sorted(map(key, ann["spans"])) == sorted(map(key, want["spans"]))
        for s in ann["spans"]:
            assert TEXT[s["start"] : s["end"]] == s["text"]
    (claim,) = rec["annotations"][0]["claims"]
    pos = {s["id"]: (s["start"], s["end"]) for s in rec["annotations"][0]["spans"]}
    want_pos = {s["id"]: (s["start"], s["end"]) for s in orig["annotations"][0]["spans"]}
    assert (
        claim["id"] == "c1"
        and claim["attributes"] == orig["annotations"][0]["claims"][0]["attributes"]
    )
    assert claim["slots"]["target"] == "not_reported"
    for slot, ids in orig["annotations"][0]["claims"][0]["slots"].items():
        if ids != "not_reported":
            assert [pos[i] for i in claim["slots"][slot]] == [want_pos[i] for i in ids]


def make_collection(root: Path, layout: str = "two") -> Path:
    root.mkdir(parents=True)
    (root / "annotation.conf").write_text(CONF, "utf-8")
    pairs = (("ann_a", ANN_A), ("ann_b", ANN_B)) if layout == "two" else (("", ANN_A),)
    for coder, ann in pairs:
        folder = root / coder if coder else root
        folder.mkdir(exist_ok=True)
        (folder / "doc1.txt").write_text(TEXT, "utf-8")
        (folder / "doc1.ann").write_text(ann, "utf-8")
    return root


def test_two_annotator_folder_gives_one_record_per_text(tmp_path: Path) -> None:
    coll = make_collection(tmp_path / "coll")
    cb = parse_codebook(codebook_from_brat_conf(coll / "annotation.conf"), "conf")
    got = list(read_brat(coll, cb))
    assert len(got) == 1
    _file, line, rec = got[0]
    assert line is None and isinstance(rec, dict)
    assert [a["coder"] for a in rec["annotations"]] == ["ann_a", "ann_b"]
    a, b = rec["annotations"]
    assert {s["attributes"].get("Role") for s in a["spans"] if s["type"] == "Actor"} == {"nonstate"}
    assert {s["attributes"].get("Role") for s in b["spans"] if s["type"] == "Actor"} == {"state"}
    casualties = next(s for s in a["spans"] if s["type"] == "Casualties")
    assert casualties["attributes"]["Confirmed"] is True and casualties["text"] == "12 soldiers"
    place = next(s for s in a["spans"] if s["type"] == "Place")
    assert json.loads(place["attributes"]["brat_norm"]) == [
        {"id": "Geonames:2441291", "text": "Tessit"}
    ]
    (claim,) = a["claims"]
    assert claim["type"] == "Attack" and set(claim["slots"]) == {"trigger", "Agent", "Place", "Victims"}
    assert b["claims"] == []


def test_single_folder_coder_is_the_folder_name(tmp_path: Path) -> None:
    coll = make_collection(tmp_path / "night_shift", layout="one")
    ((_, _, rec),) = list(read_brat(coll))
    assert isinstance(rec, dict) and [a["coder"] for a in rec["annotations"]] == ["night_shift"]


def test_brat_records_brat_keeps_every_line(tmp_path: Path) -> None:
    coll = make_collection(tmp_path / "coll")
    cb = parse_codebook(codebook_from_brat_conf(coll / "annotation.conf"), "conf")
    records = [r for _, _, r in read_brat(coll, cb)]
    assert all(isinstance(r, dict) for r in records)
    write_brat([r for r in records if isinstance(r, dict)], cb, tmp_path / "out")
    for coder in ("ann_a", "ann_b"):
        before, after = (
            ann_lines(coll / coder / "doc1.ann"),
            ann_lines(tmp_path / "out" / coder / "doc1.ann"),
        )
        t_before = {t[0]: (t[1], t[2]) for t in before["T"]}
        t_after = {t[0]: (t[1], t[2]) for t in after["T"]}
        assert sorted(t_before.values()) == sorted(t_after.values())  # triggers included

        def meaning_a(lines, ts):
            return sorted(  # noqa: E731
                (a[1].split()[0], ts[a[1].split()[1]], tuple(a[1].split()[2:]))
                for a in lines.get("A", [])
            )

        assert meaning_a(before, t_before) == meaning_a(after, t_after)
        meaning_n = lambda lines, ts: sorted(  # noqa: E731
            (ts[n[1].split()[1]], n[1].split()[2], n[2]) for n in lines.get("N", [])
        )
        assert meaning_n(before, t_before) == meaning_n(after, t_after)

        def meaning_e(
            lines: dict[str, list[list[str]]], ts: dict[str, tuple[str, str]]
        ) -> list[Any]:
            out = []
            for e in lines.get("E", []):
                head, *roles = e[1].split()
                typ, trig = head.split(":")
                out.append(
                    (typ, ts[trig], sorted((r.split(":")[0], ts[r.split(":")[1]]) for r in roles))
                )
            return out

        assert meaning_e(before, t_before) == meaning_e(after, t_after)


def test_discontinuous_span_names_file_line_and_reason(tmp_path: Path) -> None:
    coll = tmp_path / "bad"
    coll.mkdir()
    (coll / "d.txt").write_text("Gunmen killed two men in Gao.\n", "utf-8")
    (coll / "d.ann").write_text("T1\tActor 0 6\tGunmen\nT2\tActor 0 3;14 17\tGun two\n", "utf-8")
    ((file, line, message),) = list(read_brat(coll))
    assert file.endswith("d.ann") and line == 2
    assert isinstance(message, str) and "discontinuous" in message and "0 3;14 17" in message


def test_unknown_entity_type_with_a_codebook(tmp_path: Path) -> None:
    coll = tmp_path / "bad"
    coll.mkdir()
    (coll / "e.txt").write_text("A grenade went off in Gao.\n", "utf-8")
    (coll / "e.ann").write_text("T1\tlocation 22 25\tGao\nT2\tWeapon 2 9\tgrenade\n", "utf-8")
    ((file, line, message),) = list(read_brat(coll, load_default_codebook()))
    assert file.endswith("e.ann") and line == 2 and "unknown span type 'Weapon'" in str(message)
    # without a codebook any type is read
    ((_, _, rec),) = list(read_brat(coll))
    assert isinstance(rec, dict)


def test_conf_to_codebook_is_valid() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        conf = Path(d) / "annotation.conf"
        conf.write_text(CONF + "\n[attributes]\n", "utf-8")
        raw = codebook_from_brat_conf(conf)
    cb = parse_codebook(raw, "conf")
    assert [st.hotkey for st in cb.span_types] == ["1", "2", "3", "4"]  # Attack's trigger too
    assert len({st.color for st in cb.span_types}) == 4
    actor = cb.span_type("Actor")
    assert actor is not None
    role = actor.attribute("Role")
    assert (
        role is not None
        and role.type == "enum"
        and list(role.values or ()) == ["state", "nonstate"]
    )
    confirmed = cb.span_type("Casualties").attribute("Confirmed")  # type: ignore[union-attr]
    assert confirmed is not None and confirmed.type == "boolean"
    attack = cb.claim_type("Attack")
    assert attack is not None
    slots = {s.id: (s.accepts, s.min, s.max) for s in attack.slots}
    assert slots == {
        "trigger": (("Attack",), 1, 1),
        "Agent": (("Actor",), 1, 1),
        "Place": (("Place",), 0, 1),
        "Victims": (("Casualties",), 0, None),
    }


def test_export_never_overwrites_a_report_with_another(tmp_path: Path) -> None:
    anns = [{"coder": "a", "status": "done", "spans": [], "claims": []}]
    recs = [record("r/1", "One text.\n", anns), record("r_1", "Another text.\n", anns)]
    write_brat(recs, load_default_codebook(), tmp_path / "b")
    assert len(list((tmp_path / "b" / "a").glob("*.txt"))) == 2


def test_free_text_notes_are_kept(tmp_path: Path) -> None:
    coll = tmp_path / "n"
    coll.mkdir()
    (coll / "x.txt").write_text("Gunmen came.\n", "utf-8")
    (coll / "x.ann").write_text(
        "T1\tActor 0 6\tGunmen\n#1\tAnnotatorNotes T1\t42\n#2\tAnnotatorNotes T1\tseen twice\n",
        "utf-8",
    )
    ((_, _, rec),) = list(read_brat(coll))
    assert isinstance(rec, dict)
    note = str(rec["annotations"][0]["spans"][0]["attributes"].get("note"))
    assert "42" in note and "seen twice" in note


def test_conf_with_a_spans_section(tmp_path: Path) -> None:
    conf = tmp_path / "annotation.conf"
    conf.write_text("[spans]\nN\nV\n\n[relations]\nobj Arg1:<ENTITY>, Arg2:<ENTITY>\n", "utf-8")
    cb = parse_codebook(codebook_from_brat_conf(conf), "conf")
    assert [st.id for st in cb.span_types] == ["N", "V"]
