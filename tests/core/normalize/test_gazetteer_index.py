"""The gazetteer's prebuilt index answers as the in-memory one does; warm-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import warmup
from annotator.core.normalize import place_index, places
from annotator.core.normalize.places import Gazetteer, PlaceRecord

RECORDS = [
    PlaceRecord("Mali", "country", "ML", alternates=("Republic of Mali", "Mal\u00ee")),
    PlaceRecord("Niger", "country", "NE"),
    PlaceRecord("M\u00e9naka", "place", "ML", "M\u00e9naka", "Cercle de M\u00e9naka", None,
                15.91985, 2.39609, 14085, weight=14085),
    PlaceRecord("Gao", "place", "ML", "Gao", None, None, 16.27, -0.04, 133110, weight=133110),
    PlaceRecord("Gao", "admin1", "ML", "Gao", weight=70000),
    PlaceRecord("Cercle de M\u00e9naka", "admin2", "ML", "M\u00e9naka", "Cercle de M\u00e9naka",
                weight=7000),
    PlaceRecord("Tripoli", "place", "LY", "Tripoli", None, None, 32.9, 13.2, 1_150_000,
                weight=1_150_000),
    PlaceRecord("Tripoli", "place", "LB", "North", None, None, 34.4, 35.8, 229_000,
                weight=229_000),
    PlaceRecord("Sahel", "region", None, alternates=("the Sahel",), weight=2_000_000_000),
]  # fmt: skip


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Gazetteer:
    monkeypatch.setattr(place_index, "default_records", lambda: list(RECORDS))
    path = tmp_path / "g.sqlite"
    places.build_index(path)
    assert path.exists() and not list(tmp_path.glob("*.tmp"))
    return Gazetteer.from_index(path)


@pytest.mark.parametrize(
    ("name", "hint"),
    [("Menaka", None), ("Gao", None), ("Gao region", None), ("Cercle de Menaka", None),
     ("Tripoli", None), ("Tripoli", "LB"), ("Mali", None), ("republic of mali", None),
     ("the Sahel", None), ("Nowhere", None), ("Gao", "Niger")],
)  # fmt: skip
def test_the_index_answers_as_the_records_do(index: Gazetteer, name: str, hint: str | None) -> None:
    memory = Gazetteer.from_records(RECORDS)
    assert index.suggest(name, hint) == memory.suggest(name, hint)


def test_countries_and_membership(index: Gazetteer) -> None:
    memory = Gazetteer.from_records(RECORDS)
    for name in ("Mali", "ml", "Republic of Mali", "Niger", "Gao"):
        assert index.country_code(name) == memory.country_code(name)
    assert index.contains("menaka") and not index.contains("Labbezenga")
    assert len(index) == len(RECORDS)


def test_the_index_can_be_turned_off_and_lives_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path))
    assert places.index_path().parent == tmp_path
    assert places.index_path().name.startswith("gazetteer-v")
    monkeypatch.setenv("ANNOTATOR_GAZETTEER_INDEX", "0")
    assert places.ensure_index() is None


def test_warm_up_runs_every_normalizer_once() -> None:
    took = warmup.warm_up(gazetteer=False)
    assert {"dateparser", "dates", "counts", "prefill", "scan"} <= set(took)
    assert warmup.warm_up_done()
    first = warmup.start_warm_up(gazetteer=False)
    assert warmup.start_warm_up(gazetteer=False) is first  # once per process
    first.join(timeout=600)
