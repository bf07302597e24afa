"""Every disagreement among the compared coders in the aligned span and claim groups, and the
values alpha compares (attribute values, claim slot fills). Part of
:mod:`annotator.core.agreement.compute`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core import values
from annotator.core.agreement.align import ClaimGroup, SpanGroup
from annotator.core.agreement.data import ClaimItem, Dataset, SpanItem
from annotator.core.agreement.kinds import kind_name, what_label
from annotator.core.codebook import NOT_REPORTED, AttributeDef, Codebook
from annotator.core.summary import span_value

__all__ = ["Disagreement", "DisagreementLog", "attribute_value", "find_disagreements", "order_key",
           "slot_value", "versions_text"]


@dataclass(frozen=True)
class Disagreement:
    kind: str  # span_only_one_coder, boundary_mismatch, type_mismatch, attribute_mismatch,
    # claim_missing, claim_slot_mismatch, claim_attribute_mismatch
    report: str
    start: int | None
    end: int | None
    coders: tuple[str, ...]
    detail: str  # which attribute or slot, or the span type
    values: Mapping[str, Any] = field(default_factory=dict)  # coder -> item id / value
    what: str = ""  # the codebook label of ``detail`` ("Actor type", "Perpetrator")
    shown: str = ""  # the versions as people read them: "Liptako Brigade (amina) vs Al-Bayan (lukas)"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "report": self.report, "start": self.start, "end": self.end,
                "coders": list(self.coders), "detail": self.detail,
                "values": {k: _jsonable(v) for k, v in self.values.items()},
                "kind_name": kind_name(self.kind), "what": self.what, "shown": self.shown}


def _jsonable(v: Any) -> Any:
    if isinstance(v, frozenset | set | tuple):
        return sorted((_jsonable(x) for x in v), key=repr)
    return v


# ------------------------------------------------------------------ attribute values


def attribute_value(ad: AttributeDef, value: Any) -> Any:
    """The value alpha compares (annotator/core/values.py: counts by best, dates by day number,
    places by geonameid or name, ordinal enums by rank, text and actors without case)."""
    return values.agreement_value(ad, value)


def slot_value(
    claim: ClaimItem,
    slot: str,
    spans: Mapping[tuple[str, str, str], SpanItem],
    group_index: Mapping[tuple[str, str, str], int],
) -> Any:
    """A claim slot as alpha compares it: "not_reported", or the set of aligned span groups its
    spans belong to (the same evidence, whatever each coder's span boundaries); an empty slot is
    missing (None)."""
    value = claim.slots.get(slot)
    if value is None or value == ():
        return None
    if value == NOT_REPORTED or isinstance(value, str):
        return NOT_REPORTED
    groups = frozenset(group_index.get((claim.report, claim.coder, sid), -1) for sid in value)
    return groups


def find_disagreements(
    groups: Sequence[SpanGroup],
    claim_groups: Sequence[ClaimGroup],
    coders: Sequence[str],
    data: Dataset,
    spans: Mapping[tuple[str, str, str], SpanItem] | None = None,
    group_index: Mapping[tuple[str, str, str], int] | None = None,
) -> list[Disagreement]:
    """Every disagreement among ``coders`` in the aligned groups, in text order per report."""
    cb = data.codebook
    span_types = {t.id: t for t in cb.span_types}
    out: list[Disagreement] = []
    everyone = tuple(coders)
    everyone_set = set(everyone)

    def add(kind: str, report: str, pos: tuple[int | None, int | None], present: tuple[str, ...],
            detail: str, vals: Mapping[str, Any], texts: Mapping[str, str],
            item_type: str | None = None) -> None:
        out.append(Disagreement(kind, report, pos[0], pos[1], present, detail, vals,
                                what_label(cb, kind, detail, item_type),
                                versions_text(texts, everyone)))

    for g in groups:
        members = g.members
        if len(g.types) == 1 and members.keys() == everyone_set:
            # the common case, everyone agrees on offsets and attributes: nothing to report
            it = iter(members.values())
            first_span = next(it)
            if all(o.start == first_span.start and o.end == first_span.end
                   and o.attributes == first_span.attributes for o in it):
                continue
        pos: tuple[int | None, int | None] = (g.start, g.end)
        present = tuple(c for c in everyone if c in g.members)
        ids = {c: g.members[c].id for c in present}
        types = "/".join(sorted(g.types))
        quoted = {c: f"“{g.members[c].text}”" for c in present}
        if len(present) < len(everyone):
            add("span_only_one_coder" if len(present) == 1 else "span_missing", g.report, pos,
                present, types, ids, quoted)
            if len(present) == 1:
                continue
        if len(g.types) > 1:
            add("type_mismatch", g.report, pos, present, types,
                {c: g.members[c].type for c in present},
                {c: _type_label(cb, g.members[c].type) for c in present})
        if not g.exact():
            add("boundary_mismatch", g.report, pos, present, types,
                {c: (g.members[c].start, g.members[c].end) for c in present}, quoted)
        if len(g.types) == 1:
            st = span_types.get(next(iter(g.types)))
            first = g.members[present[0]].attributes
            if all(g.members[c].attributes == first for c in present[1:]):
                continue  # identical attributes: nothing to compare
            for ad in st.attributes if st else ():
                vals = {c: g.members[c].attributes.get(ad.id) for c in present}
                norm = {repr(attribute_value(ad, v)) for v in vals.values()}
                if len(norm) > 1:
                    add("attribute_mismatch", g.report, pos, present, ad.id, vals,
                        {c: values.text_of(ad, v) for c, v in vals.items()}, st.id if st else None)
    spans = spans or {}
    group_index = group_index or {}
    for cg in claim_groups:
        present = tuple(c for c in everyone if c in cg.members)
        ids = {c: cg.members[c].id for c in present}
        pos = _claim_position(cg, spans)
        ct = cb.claim_type(cg.type)
        if len(present) < len(everyone):
            add("claim_missing", cg.report, pos, present, cg.type, ids,
                {c: f"{ct.label if ct else cg.type} claim {ids[c]}" for c in present})
            if len(present) == 1:
                continue
        for sd in ct.slots if ct else ():
            vals = {c: slot_value(cg.members[c], sd.id, spans, group_index) for c in present}
            if len({repr(_jsonable(v)) for v in vals.values()}) > 1:
                fills = {c: cg.members[c].slots.get(sd.id) for c in present}
                add("claim_slot_mismatch", cg.report, pos, present, sd.id, fills,
                    {c: _fill_text(cb, cg.report, c, f, spans) for c, f in fills.items()}, cg.type)
        for ad in ct.attributes if ct else ():
            vals = {c: cg.members[c].attributes.get(ad.id) for c in present}
            if len({repr(attribute_value(ad, v)) for v in vals.values()}) > 1:
                add("claim_attribute_mismatch", cg.report, pos, present, ad.id, vals,
                    {c: values.text_of(ad, v) for c, v in vals.items()}, cg.type)
    out.sort(key=order_key)
    return out


def order_key(d: Disagreement) -> tuple[str, int, str]:
    """The order of every disagreement listing: by report, place in the text, kind."""
    return (d.report, d.start if d.start is not None else -1, d.kind)


class DisagreementLog:
    """A project's disagreements, written to a temporary file as they are found (a chunk of
    reports at a time) and read back in ``order_key`` order: a listing of millions holds no
    memory. Iterating gives each as its JSON dict; ``texts`` its JSON text; ``kinds`` counts."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile()
        self._runs: list[tuple[int, int]] = []  # (start, end) byte offsets of each sorted run
        self._n = 0
        self._last: tuple[str, int, str] | None = None
        self._in_order = True  # every run after the one before it
        self.kinds: dict[str, int] = {}

    def add_run(self, run: Sequence[Disagreement]) -> None:
        """The disagreements of a chunk of reports, sorted by ``order_key``."""
        if not run:
            return
        import json

        first, last = order_key(run[0]), order_key(run[-1])
        if self._last is not None and first < self._last:
            self._in_order = False
        self._last = last if self._last is None or last > self._last else self._last
        start = self._file.tell()
        lines = []
        for d in run:
            self.kinds[d.kind] = self.kinds.get(d.kind, 0) + 1
            lines.append(json.dumps(order_key(d), ensure_ascii=False) + "\t"
                         + json.dumps(d.to_json(), ensure_ascii=False, allow_nan=False) + "\n")
        self._file.write("".join(lines).encode("utf-8"))
        self._runs.append((start, self._file.tell()))
        self._n += len(run)

    def __len__(self) -> int:
        return self._n

    def _lines(self, start: int, end: int) -> Iterator[bytes]:
        import os

        fd = self._file.fileno()
        rest = b""
        while start < end:
            block = os.pread(fd, min(1 << 20, end - start), start)
            start += len(block)
            *done, rest = (rest + block).split(b"\n")
            yield from done

    def texts(self) -> Iterator[str]:
        """The JSON text of each disagreement, in order."""
        import heapq
        import json

        self._file.flush()
        if self._in_order:
            for start, end in self._runs:
                for line in self._lines(start, end):
                    yield line.split(b"\t", 1)[1].decode("utf-8")
            return

        def keyed(start: int, end: int) -> Iterator[tuple[tuple[Any, ...], bytes]]:
            for line in self._lines(start, end):
                key, _, text = line.partition(b"\t")
                yield tuple(json.loads(key)), text

        # runs out of order (reports asked for in another order): merged, a run's ties first
        for _, text in heapq.merge(*(keyed(s, e) for s, e in self._runs), key=lambda x: x[0]):
            yield text.decode("utf-8")

    def __iter__(self) -> Iterator[dict[str, Any]]:
        import json

        return (json.loads(t) for t in self.texts())


def versions_text(texts: Mapping[str, str], coders: Sequence[str]) -> str:
    """The coders' versions side by side, equal ones together, a coder without a version as
    "nothing": "Liptako Brigade (amina) vs Al-Bayan (lukas)"."""
    by_text: dict[str, list[str]] = {}
    for c in coders:
        by_text.setdefault(texts.get(c, "nothing"), []).append(c)
    return " vs ".join(f"{t} ({', '.join(cs)})" for t, cs in by_text.items())


def _type_label(cb: Codebook, type_id: str) -> str:
    st = cb.span_type(type_id)
    return st.label if st else type_id


def _fill_text(cb: Codebook, report: str, coder: str, fill: Any,
               spans: Mapping[tuple[str, str, str], SpanItem]) -> str:
    """A slot's fill as people read it: the spans' values ("Liptako Brigade & ISWAP"), "not
    reported", or "empty"."""
    if fill is None or fill == ():
        return "empty"
    if isinstance(fill, str):
        return "not reported"
    shown = []
    for sid in fill:
        sp = spans.get((report, coder, sid))
        shown.append(span_value(sp, cb) if sp is not None else sid)
    return " & ".join(shown)


def _claim_position(
    cg: ClaimGroup, spans: Mapping[tuple[str, str, str], SpanItem]
) -> tuple[int | None, int | None]:
    starts, ends = [], []
    for c, claim in cg.members.items():
        for value in claim.slots.values():
            if isinstance(value, str):
                continue
            for sid in value:
                s = spans.get((claim.report, c, sid))
                if s is not None:
                    starts.append(s.start)
                    ends.append(s.end)
    return (min(starts), max(ends)) if starts else (None, None)
