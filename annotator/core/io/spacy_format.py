"""spaCy: DocBin (``.spacy``, what ``spacy train`` reads) and the JSON of ``Doc.to_json()``.

Export (needs the spacy extra: ``pip install 'annotator[spacy]'``): one Doc per report and
coder, tokenized by spaCy's rule-based tokenizer for the report's language and cut again at span
edges, so every span is a token span and ``doc.text`` is the report text exactly. Every span is
in the span group ``doc.spans["annotator"]`` (label = span type; overlaps allowed); when no two
spans overlap they are also ``doc.ents``. ``doc.user_data["annotator"]`` (DocBin) or the JSON
object's ``annotator`` key holds what spaCy cannot (the report's fields, the coder, attributes,
claims). Offsets count characters of ``doc.text`` (code points), like ours.

Import: DocBin needs spaCy; the JSON is read without it. The spans are the ``annotator`` group,
else every span group and the entities (each span once); the coder is the extension's, else
``spacy``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.io.atomic import atomic_binary_file, atomic_text_file
from annotator.core.io.conll import tokenize
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    extension,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem, read_json_file
from annotator.core.naming import first_free

__all__ = ["read_docbin", "read_spacy_json", "write_docbin", "write_spacy_json"]

_GROUP = EXTENSION
_INSTALL = "spaCy files need spaCy: pip install 'annotator[spacy]'"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc
    return spacy


def _nlp(spacy: Any, language: str | None, cache: dict[str, Any]) -> Any:
    from annotator.core.io.conll import _blank

    return _blank(language or "en")


def _words(text: str, cuts: set[int], language: str | None) -> tuple[list[str], list[bool]]:
    """spaCy words and trailing-space flags whose concatenation is ``text`` exactly."""
    tokens = tokenize(text, "spacy", language, cuts)
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for s, e in tokens:
        gap = text[pos:s]
        if gap:
            if words and gap[0] == " " and not spaces[-1]:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    if pos < len(text):
        tail = text[pos:]
        if words and tail[0] == " ":
            spaces[-1] = True
            tail = tail[1:]
        if tail:
            words.append(tail)
            spaces.append(False)
    return words, spaces


def _docs(records: Iterable[Mapping[str, Any]], spacy: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    from spacy.tokens import Doc

    cache: dict[str, Any] = {}
    for record in records:
        rep = record["report"]
        text: str = rep["text"]
        nlp = _nlp(spacy, rep.get("language"), cache)
        for ann in record.get("annotations") or [None]:
            spans = list(ann.get("spans", [])) if ann else []
            words, spaces = _words(text, {p for s in spans for p in (s["start"], s["end"])},
                                   rep.get("language"))
            doc = Doc(nlp.vocab, words=words, spaces=spaces)
            assert doc.text == text
            group = []
            for s in spans:
                sp = doc.char_span(s["start"], s["end"], label=s["type"])
                if sp is None:  # pragma: no cover - the words were cut at every span edge
                    raise FormatError(f"report {rep['id']}", f"span {s['id']} is not on token edges")
                group.append(sp)
            doc.spans[_GROUP] = group
            ordered = sorted(group, key=lambda x: (x.start, x.end))
            if all(a.end <= b.start for a, b in zip(ordered, ordered[1:], strict=False)):
                doc.ents = ordered
            ext = extension(record, ann, keep_order=True, native_ids={s["id"]: str(k) for k, s in
                                                     enumerate(spans, start=1)}) if ann else extension(record)
            yield doc, ext


def write_docbin(records: Iterable[Mapping[str, Any]], codebook: Codebook, out: Path) -> int:
    """Write a DocBin; returns the number of Docs."""
    spacy = _spacy()
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=True, attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"])
    n = 0
    for doc, ext in _docs(records, spacy):
        doc.user_data[EXTENSION] = ext
        db.add(doc)
        n += 1
    data = db.to_bytes()
    with atomic_binary_file(out) as fh:
        fh.write(data)
    return n


def write_spacy_json(records: Iterable[Mapping[str, Any]], codebook: Codebook, out: Path) -> int:
    """Write a JSON list of ``Doc.to_json()`` objects (each with its ``annotator`` key)."""
    spacy = _spacy()
    n = 0
    with atomic_text_file(out) as fh:
        fh.write("[")
        for doc, ext in _docs(records, spacy):
            obj = doc.to_json()
            obj[EXTENSION] = ext
            fh.write(",\n" if n else "\n")
            fh.write(json.dumps(obj, ensure_ascii=False))
            n += 1
        fh.write("\n]\n")
    return n


# ------------------------------------------------------------------ import


def _record_from(text: str, spans: list[tuple[int, int, str]], ext: Any, codebook: Codebook,
                 stem: str, k: int, where: str, records: dict[str, dict[str, Any]]) -> None:
    found: list[dict[str, Any]] = []
    seen: set[tuple[int, int, str]] = set()
    for j, (s, e, label) in enumerate(spans):
        at = f"{where}.spans[{j}]"
        if not 0 <= s < e <= len(text):
            raise FormatError(at, f"offsets {s}-{e} are outside the text (0-{len(text)})")
        if (s, e, label) in seen:
            continue
        seen.add((s, e, label))
        found.append({"id": str(len(found) + 1), "type": span_type_id(codebook, label, at),
                      "start": s, "end": e, "text": text[s:e], "attributes": {}})
    rec = records.get(text)
    if rec is None:
        rec = records[text] = {"report": {"id": f"{stem}-{k}", "text": text}, "annotations": []}
    if isinstance(ext, dict) and "coder" not in ext:
        apply_extension(rec["report"], {"spans": []}, ext, where)
        return
    coder = ext.get("coder") if isinstance(ext, dict) else None
    taken = {a["coder"] for a in rec["annotations"]}
    if not isinstance(coder, str):
        coder = first_free("spacy", taken)
    ann: dict[str, Any] = {"coder": coder, "status": "done", "spans": found, "claims": []}
    if ext is not None:
        apply_extension(rec["report"], ann, ext, where)
    rec["annotations"].append(ann)


def read_docbin(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    try:
        spacy = _spacy()
    except ImportError as exc:
        raise ImportProblem(path, str(exc)) from exc
    from spacy.tokens import DocBin

    try:
        db = DocBin().from_bytes(path.read_bytes())
        docs = list(db.get_docs(spacy.blank("xx").vocab))
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # noqa: BLE001 - msgpack and spaCy raise several kinds for bad bytes
        raise ImportProblem(path, f"not a spaCy DocBin: {exc}") from exc
    records: dict[str, dict[str, Any]] = {}
    try:
        for k, doc in enumerate(docs, start=1):
            if _GROUP in doc.spans:
                spans = [(s.start_char, s.end_char, s.label_) for s in doc.spans[_GROUP]]
            else:
                spans = [(s.start_char, s.end_char, s.label_) for key in doc.spans
                         for s in doc.spans[key]] + [(e.start_char, e.end_char, e.label_)
                                                     for e in doc.ents]
            ext = doc.user_data.get(EXTENSION)
            if ext is not None:  # msgpack gives tuples where JSON had lists
                ext = json.loads(json.dumps(ext, default=list))
            _record_from(doc.text, spans, ext, codebook, path.stem, k, f"doc {k}", records)
    except FormatError as exc:
        raise ImportProblem(path, str(exc)) from exc
    return list(records.values())


def _json_spans(obj: Mapping[str, Any], text: str, where: str) -> list[tuple[int, int, str]]:
    groups = obj.get("spans") if isinstance(obj.get("spans"), dict) else {}
    assert isinstance(groups, dict)
    chosen = [groups[_GROUP]] if _GROUP in groups else [*groups.values(), obj.get("ents") or []]
    out = []
    for group in chosen:
        for j, s in enumerate(group or []):
            if not isinstance(s, dict) or not isinstance(s.get("start"), int) \
                    or not isinstance(s.get("end"), int):
                raise FormatError(f"{where}.spans[{j}]", "a span is {start, end, label}")
            out.append((s["start"], s["end"], str(s.get("label", ""))))
    return out


def read_spacy_json(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    data = read_json_file(path)
    items = data if isinstance(data, list) else [data]
    records: dict[str, dict[str, Any]] = {}
    try:
        for k, obj in enumerate(items):
            where = f"$[{k}]"
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise FormatError(where, "a spaCy Doc JSON object has a 'text'")
            _record_from(obj["text"], _json_spans(obj, obj["text"], where), obj.get(EXTENSION),
                         codebook, path.stem, k + 1, where, records)
    except FormatError as exc:
        raise ImportProblem(path, str(exc)) from exc
    return list(records.values())


def looks_like_spacy_json(value: Any) -> bool:
    first = value[0] if isinstance(value, list) and value else value
    return isinstance(first, dict) and isinstance(first.get("text"), str) and (
        "tokens" in first or "ents" in first or "spans" in first)
