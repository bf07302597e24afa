"""CoNLL / BIO token tags in and out (the CoNLL 2003 NER layout: one token per line, the tag
in the last column, a blank line between sentences, ``-DOCSTART-`` between documents).

Export: one document per report and coder; sentences end at line breaks. The text is cut into
tokens by a tokenizer of your choice (``whitespace``; ``punct``: words and single punctuation
marks; ``spacy``: spaCy's rule-based tokenizer for the report's language, needs the spacy extra),
and additionally at every span boundary, so every span covers whole tokens. Tags are IOB2
(``B-actor``, ``I-actor``, ``O``). Nested or overlapping spans need more than one tag column: a
span goes into the first column where it overlaps nothing, and the file gets as many tag columns
as the deepest nesting. A ``# annotator = {...}`` comment line after ``-DOCSTART-`` holds what
tags cannot (the report's text and fields, the coder, span attributes, claims); readers that do
not know comments can be given the file without those lines (``grep -v '^# '``).

Import: tokens in the first column, IOB1/IOB2/BIOES/BILOU tags in the last (or in the columns the
extension names). Without the extension the text is the tokens joined by spaces, sentences by
line breaks (a CoNLL-U ``# text =`` comment gives the sentence's own text); the coder is
``conll``.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.io.atomic import atomic_text_file
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    extension,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem
from annotator.core.naming import first_free

__all__ = ["TOKENIZERS", "read_conll", "tokenize", "write_conll"]

TOKENIZERS = ("whitespace", "punct", "spacy")
_DOCSTART = "-DOCSTART-"
_COMMENT = f"# {EXTENSION} = "
_WS = re.compile(r"\S+")
_PUNCT = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@functools.lru_cache(maxsize=8)
def _blank(language: str) -> Any:
    """spaCy's rule-based tokenizer for a language (a blank pipeline takes ~1 s to build)."""
    try:
        import spacy
    except ImportError as exc:
        raise ImportError("the spacy tokenizer needs spaCy: pip install 'annotator[spacy]'") from exc
    try:
        return spacy.blank(language)
    except (ImportError, KeyError, ValueError, OSError):
        return spacy.blank("xx")


def _spacy_tokens(text: str, language: str | None) -> list[tuple[int, int]]:
    nlp = _blank(language or "en")
    doc = nlp.make_doc(text)
    return [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]


def tokenize(text: str, tokenizer: str = "punct", language: str | None = None,
             cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token (start, end) code point offsets, never holding white space, also cut at ``cuts``."""
    if tokenizer == "whitespace":
        base = [(m.start(), m.end()) for m in _WS.finditer(text)]
    elif tokenizer == "punct":
        base = [(m.start(), m.end()) for m in _PUNCT.finditer(text)]
    elif tokenizer == "spacy":
        base = _spacy_tokens(text, language)
    else:
        raise ValueError(f"unknown tokenizer {tokenizer!r}: use one of {', '.join(TOKENIZERS)}")
    points = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    for s, e in base:
        inner = points[bisect.bisect_right(points, s):bisect.bisect_left(points, e)]
        edges = [s, *inner, e]
        for a, b in zip(edges, edges[1:], strict=False):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            if trail > lead:
                out.append((a + lead, a + trail))
    return out


def _layers(spans: list[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    layers: list[list[Mapping[str, Any]]] = []
    for s in sorted(spans, key=lambda x: (x["start"], -x["end"])):
        for layer in layers:
            if all(s["end"] <= o["start"] or o["end"] <= s["start"] for o in layer):
                layer.append(s)
                break
        else:
            layers.append([s])
    return layers


def _document(record: Mapping[str, Any], ann: Mapping[str, Any] | None, tokenizer: str) -> str:
    rep = record["report"]
    text: str = rep["text"]
    spans = list(ann.get("spans", [])) if ann else []
    cuts = {p for s in spans for p in (s["start"], s["end"])} | {
        i for i, ch in enumerate(text) if ch == "\n"}
    tokens = tokenize(text, tokenizer, rep.get("language"), cuts)
    layers = _layers(spans)
    tags = [["O"] * len(tokens) for _ in layers]
    starts = {s: i for i, (s, _e) in enumerate(tokens)}
    ends = {e: i for i, (_s, e) in enumerate(tokens)}
    for col, layer in zip(tags, layers, strict=False):
        for sp in layer:
            first, last = starts[sp["start"]], ends[sp["end"]]
            col[first] = f"B-{sp['type']}"
            for k in range(first + 1, last + 1):
                col[k] = f"I-{sp['type']}"
    found = _decode_order(layers)
    ext = extension(record, ann, native_ids={sid: str(k) for k, sid in enumerate(found, 1)},
                    keep_order=True) if ann else extension(record)
    ext["text"] = text
    ext["layers"] = len(layers)
    lines = [f"{_DOCSTART}\t" + "\t".join(["O"] * max(1, len(layers))),
             _COMMENT + json.dumps(ext, ensure_ascii=False), ""]
    prev_end = 0
    for i, (s, e) in enumerate(tokens):
        if i and "\n" in text[prev_end:s]:
            lines.append("")
        lines.append("\t".join([text[s:e], *(col[i] for col in tags)] if tags else [text[s:e], "O"]))
        prev_end = e
    return "\n".join(lines) + "\n\n"


def _decode_order(layers: list[list[Mapping[str, Any]]]) -> list[str]:
    """Span ids in the order the reader decodes them: column by column, left to right."""
    return [s["id"] for layer in layers for s in sorted(layer, key=lambda x: x["start"])]


def write_conll(records: Iterable[Mapping[str, Any]], codebook: Codebook, out: Path,
                tokenizer: str = "punct") -> int:
    """Write a CoNLL file; returns the number of documents (report x coder)."""
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"unknown tokenizer {tokenizer!r}: use one of {', '.join(TOKENIZERS)}")
    n = 0
    with atomic_text_file(out) as fh:
        for record in records:
            for ann in record.get("annotations") or [None]:
                fh.write(_document(record, ann, tokenizer))
                n += 1
    return n


# ------------------------------------------------------------------ import


class _Doc:
    def __init__(self, line: int) -> None:
        self.line = line
        self.ext: Any = None
        self.sentences: list[list[tuple[int, list[str]]]] = [[]]
        self.texts: list[str | None] = [None]

    def add(self, number: int, cells: list[str]) -> None:
        self.sentences[-1].append((number, cells))

    def break_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])
            self.texts.append(None)


def _blocks(path: Path) -> Iterator[_Doc]:
    try:
        fh = path.open("r", encoding="utf-8-sig")
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    doc: _Doc | None = None
    with fh:
        try:
            for number, raw in enumerate(fh, start=1):
                line = raw.rstrip("\r\n")
                if line.startswith(_DOCSTART):
                    if doc is not None:
                        yield doc
                    doc = _Doc(number)
                    continue
                if doc is None:
                    doc = _Doc(number)
                if line.startswith(_COMMENT):
                    try:
                        doc.ext = json.loads(line[len(_COMMENT):])
                    except json.JSONDecodeError as exc:
                        raise ImportProblem(path, f"the {EXTENSION} comment is not JSON: {exc.msg}",
                                            number) from exc
                elif line.startswith("# text = "):
                    doc.texts[-1] = line[len("# text = "):]
                elif line.startswith("#"):
                    continue
                elif not line.strip():
                    doc.break_sentence()
                else:
                    doc.add(number, line.split("\t") if "\t" in line else line.split())
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"not UTF-8: {exc.reason}") from exc
    if doc is not None:
        yield doc


def _text_and_tokens(doc: _Doc, where: Callable[[int], str]) -> tuple[str, list[tuple[int, int, list[str], int]]]:
    """The document's text and its tokens (start, end, cells, line)."""
    ext = doc.ext if isinstance(doc.ext, dict) else {}
    given = ext.get("text")
    tokens = []
    if isinstance(given, str):
        pos = 0
        for sentence in doc.sentences:
            for number, cells in sentence:
                at = given.find(cells[0], pos)
                if at < 0:
                    raise FormatError(where(number), f"token {cells[0]!r} is not in the text")
                tokens.append((at, at + len(cells[0]), cells, number))
                pos = at + len(cells[0])
        return given, tokens
    parts: list[str] = []
    pos = 0
    for sentence, own in zip(doc.sentences, doc.texts, strict=False):
        if not sentence:
            continue
        if parts:
            parts.append("\n")
            pos += 1
        if own is not None:
            start, k = pos, 0
            for number, cells in sentence:
                at = own.find(cells[0], k)
                if at < 0:
                    raise FormatError(where(number), f"token {cells[0]!r} is not in '# text'")
                tokens.append((start + at, start + at + len(cells[0]), cells, number))
                k = at + len(cells[0])
            parts.append(own)
            pos += len(own)
            continue
        for i, (number, cells) in enumerate(sentence):
            if i:
                parts.append(" ")
                pos += 1
            tokens.append((pos, pos + len(cells[0]), cells, number))
            parts.append(cells[0])
            pos += len(cells[0])
    return "".join(parts) + ("\n" if parts else ""), tokens


def _decode(tokens: list[tuple[int, int, list[str], int]], column: int,
            codebook: Codebook, where: Callable[[int], str]) -> list[dict[str, Any]]:
    spans: list[dict[str, Any]] = []
    open_: dict[str, Any] | None = None

    def close() -> None:
        nonlocal open_
        if open_ is not None:
            spans.append(open_)
            open_ = None

    for s, e, cells, number in tokens:
        tag = cells[column]
        if tag == "O" or tag == "_":
            close()
            continue
        prefix, sep, label = tag.partition("-")
        if not sep or prefix not in ("B", "I", "E", "S", "L", "U"):
            raise FormatError(where(number), f"tag {tag!r} is not O, B-, I-, E-, S-, L- or U-TYPE")
        type_id = span_type_id(codebook, label, where(number))
        continues = open_ is not None and open_["type"] == type_id and prefix in ("I", "E", "L")
        if not continues:
            close()
            open_ = {"type": type_id, "start": s, "end": e}
        else:
            assert open_ is not None
            open_["end"] = e
        if prefix in ("E", "S", "L", "U"):
            close()
    close()
    return spans


def read_conll(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    """Interchange records from a CoNLL/BIO file (one per ``-DOCSTART-`` document; documents of
    the same text are one report with a coder each)."""
    records: dict[str, dict[str, Any]] = {}
    k = 0
    for doc in _blocks(path):
        if not any(doc.sentences):
            continue
        k += 1

        def where(number: int) -> str:
            return f"line {number}"

        try:
            text, tokens = _text_and_tokens(doc, where)
            ext = doc.ext if isinstance(doc.ext, dict) else None
            n_layers = int(ext.get("layers", 1)) if ext else 1
            for _s, _e, cells, number in tokens:
                if len(cells) < 1 + max(1, n_layers):
                    raise FormatError(where(number), "a token line needs a tag column"
                                      if n_layers <= 1 else f"a token line needs {n_layers} tag columns")
            found: list[dict[str, Any]] = []
            for layer in range(n_layers):  # the last n_layers columns, left to right
                found += _decode(tokens, layer - n_layers, codebook, where)
        except FormatError as exc:
            raise ImportProblem(path, str(exc)) from exc
        spans = [{"id": str(i), "type": s["type"], "start": s["start"], "end": s["end"],
                  "text": text[s["start"]:s["end"]], "attributes": {}}
                 for i, s in enumerate(found, start=1)]
        rec = records.get(text)
        if rec is None:
            rec = records[text] = {"report": {"id": f"{path.stem}-{k}", "text": text},
                                   "annotations": []}
        if ext is not None and "coder" not in ext:
            apply_extension(rec["report"], {"spans": []}, ext, f"line {doc.line}")
            continue
        coder = ext.get("coder") if ext else None
        taken = {a["coder"] for a in rec["annotations"]}
        if not isinstance(coder, str):
            coder = first_free("conll", taken)
        ann: dict[str, Any] = {"coder": coder, "status": "done", "spans": spans, "claims": []}
        if ext is not None:
            try:
                apply_extension(rec["report"], ann, ext, f"line {doc.line}")
            except FormatError as exc:
                raise ImportProblem(path, str(exc), doc.line) from exc
        rec["annotations"].append(ann)
    return list(records.values())
