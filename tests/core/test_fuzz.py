"""Fuzzing every importer (but brat, fuzzed with its own tests), the codebook loader and the
exporters: a clean refusal or a success, never a traceback; nothing of a refused file stored;
nothing stored changed; every export of what was stored succeeds.

Seeded and derandomized (the same inputs on every run), bounded to about a minute in all;
benchmarks/bench_fuzz.py runs the same harness much longer and prints the figures.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.core.fuzzing import (  # noqa: E402
    BASE_TEXT,
    Harness,
    codebook_attempt,
    codebook_seed,
    mutate,
    seeds,
)

SEEDS = seeds()
FUZZ = settings(
    max_examples=15, derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    h = Harness(tmp_path_factory.mktemp("fuzz"))
    yield h
    h.close()


def _judge(harness: Harness, kind: str, data: bytes) -> None:
    outcome = harness.attempt(kind, data)
    assert outcome.kind in ("stored", "refused"), f"{kind}: {outcome.kind}\n{outcome.detail}"


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_every_seed_imports(harness: Harness, kind: str) -> None:
    outcome = harness.attempt(kind, SEEDS[kind])
    assert outcome.kind == "stored", outcome.detail


@pytest.mark.parametrize("kind", sorted(SEEDS))
@FUZZ
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 24))
def test_mutated_files_are_stored_or_refused_cleanly(
    harness: Harness, kind: str, seed: int, n: int
) -> None:
    _judge(harness, kind, mutate(SEEDS[kind], random.Random(seed), n))


# ---------------------------------------------------------------- structured JSONL

_ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
_TEXTS = st.one_of(st.text(_ANY_CHAR, max_size=40), st.sampled_from(
    ["", " ", "\x00", "\ud800", "Gao\x0c", "=cmd|' /C calc'!A0", " =1", "\uff1d1", "a\r\nb"]))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | _TEXTS,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(_TEXTS, kids, max_size=4),
    max_leaves=12,
)


@st.composite
def _records(draw: st.DrawFn) -> str:
    text = draw(st.one_of(st.just(BASE_TEXT), st.text(_ANY_CHAR, min_size=0, max_size=80)))
    spans = []
    for i in range(draw(st.integers(0, 3))):
        start = draw(st.integers(-2, len(text) + 2))
        end = draw(st.integers(-2, len(text) + 3))
        spans.append({
            "id": draw(st.one_of(st.just(f"s{i}"), _TEXTS)),
            "type": draw(st.sampled_from(["actor", "location", "date", "casualty_count", "x"])),
            "start": start, "end": end,
            "text": text[start:end] if draw(st.booleans()) else draw(_TEXTS),
            "attributes": draw(st.dictionaries(
                st.sampled_from(["actor_type", "count", "value", "place", "status", "zz"]),
                _JSON, max_size=3)),
        })
    ann = {
        "coder": draw(st.one_of(st.sampled_from(["amina", "lukas", "gold", "eve"]), _TEXTS)),
        "status": draw(st.sampled_from(["todo", "in_progress", "done", "DONE"])),
        "role": draw(st.sampled_from(["coder", "reviewer", "gold", None])),
        "codebook": draw(st.sampled_from(["conflict-events@1", "other@1", None])),
        "spans": spans,
        "claims": [{"id": "c1", "type": "attack",
                    "slots": {"perpetrator": [s["id"] for s in spans][:1]},
                    "attributes": draw(st.dictionaries(_TEXTS, _JSON, max_size=2))}]
        if spans and draw(st.booleans()) else [],
    }
    ann = {k: v for k, v in ann.items() if v is not None}
    rec = {
        "report": {
            "id": draw(st.one_of(st.just("fz"), _TEXTS)),
            "title": draw(_TEXTS), "text": text,
            "published": draw(st.sampled_from([None, "2023-12-08", "2023-13-45", "x"])),
            "metadata": draw(st.dictionaries(_TEXTS, _JSON, max_size=3)),
        },
        "annotations": [ann] if draw(st.booleans()) else [],
    }
    try:
        line = json.dumps(rec, ensure_ascii=draw(st.booleans()))
    except ValueError:  # NaN is fine for Python's json, but keep the generator simple
        line = json.dumps(rec)
    return line


@FUZZ
@given(lines=st.lists(_records(), min_size=1, max_size=3))
def test_generated_interchange_lines(harness: Harness, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    _judge(harness, "jsonl", data)


# ---------------------------------------------------------------- codebooks


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 16))
def test_mutated_codebooks_load_or_are_refused(tmp_path_factory: pytest.TempPathFactory,
                                                seed: int, n: int) -> None:
    folder = tmp_path_factory.mktemp("cb", numbered=True)
    outcome = codebook_attempt(mutate(codebook_seed(), random.Random(seed), n), folder)
    assert outcome.kind in ("stored", "refused"), outcome.detail


@st.composite
def _codebook_edits(draw: st.DrawFn) -> bytes:
    data = json.loads(codebook_seed())
    for _ in range(draw(st.integers(1, 4))):
        target: object = data
        path = []
        while isinstance(target, dict | list) and target and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(target) if isinstance(target, dict)
                                       else list(range(len(target)))))
            path.append((target, key))
            target = target[key]  # type: ignore[index]
        if path:
            parent, key = path[-1]
            parent[key] = draw(_JSON)  # type: ignore[index]
    return json.dumps(data, ensure_ascii=True).encode()


@FUZZ
@given(data=_codebook_edits())
def test_edited_codebooks_load_or_are_refused(tmp_path_factory: pytest.TempPathFactory,
                                              data: bytes) -> None:
    outcome = codebook_attempt(data, tmp_path_factory.mktemp("cbe", numbered=True))
    assert outcome.kind in ("stored", "refused"), outcome.detail


def test_the_harness_sees_a_refusal_and_a_traceback(harness: Harness, tmp_path: Path) -> None:
    """The harness itself can fail: a refused file is 'refused', a crash is 'traceback'."""
    assert harness.attempt("jsonl", b"{not json}\n").kind == "refused"
    outcome = codebook_attempt(b"\x00", tmp_path)
    assert outcome.kind == "refused"
