"""WikiEvents (Li et al. 2021) JSON Lines: one document per line, one report per document, its
entity mentions and event arguments as the spans and claims of the coder ``wikievents``.

Each line holds ``doc_id``, ``tokens``, ``sentences`` (``[[token, start, end], ...], text``),
``entity_mentions`` (token indices, end exclusive), ``event_mentions`` (a type like
``Conflict.Attack.DetonateExplode``, a trigger in token indices, arguments naming entity
mentions by id and role) and ``relation_mentions``. The report text is the sentences' texts
joined by line breaks (the file's ``text`` glues them together); the tokens are found in order
in each sentence, since the file's character offsets count a text it does not contain.

The codebook (:func:`wikievents_codebook`, or ``init --codebook-from-wikievents FILE``) is made
from the files: one span type per entity type (``PER``, ``GPE`` ...) with the attribute
``mention_type``, a span type ``trigger``, and one claim type per event type (dots become
``_``, the label keeps the name) with the slot ``trigger`` and one slot per role seen, each
accepting every entity type (the annotation sometimes breaks the ontology's type constraints).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["CODER", "is_wikievents", "read_wikievents", "wikievents_codebook"]

CODER = "wikievents"
_KEYS = ("doc_id", "tokens", "sentences", "entity_mentions", "event_mentions")


def is_wikievents(first_line: str) -> bool:
    try:
        data = json.loads(first_line)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and all(k in data for k in _KEYS) and "report" not in data


def event_type_id(name: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return (ident if ident[:1].isalpha() else "x" + ident)[:64]


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except (ValueError, RecursionError) as exc:
                    yield number, ValueError(f"malformed JSON: {exc}")


def wikievents_codebook(paths: Iterable[Path]) -> dict[str, Any]:
    """A codebook holding every entity type, event type and role the files use."""
    entity_types: set[str] = set()
    events: dict[str, set[str]] = {}
    for path in paths:
        for _, doc in _lines(path):
            if not isinstance(doc, dict):
                continue
            for m in doc.get("entity_mentions") or []:
                if isinstance(m, dict) and isinstance(m.get("entity_type"), str):
                    entity_types.add(m["entity_type"])
            for e in doc.get("event_mentions") or []:
                if isinstance(e, dict) and isinstance(e.get("event_type"), str):
                    roles = events.setdefault(e["event_type"], set())
                    roles.update(a["role"] for a in e.get("arguments") or []
                                 if isinstance(a, dict) and isinstance(a.get("role"), str))
    ents = sorted(t for t in entity_types if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,63}", t))
    if not ents:
        ents = ["ENTITY"]
    keys = [str(i) for i in range(1, 10)] + list("bcdefhijklmnoqsuvwxyz")
    span_types: list[dict[str, Any]] = [
        {"id": t, "label": t, **({"hotkey": keys[i]} if i < len(keys) else {}),
         "attributes": [{"id": "mention_type", "type": "text", "label": "mention type"}]}
        for i, t in enumerate(ents)
    ]
    span_types.append({"id": "trigger", "label": "event trigger"})
    claim_types = []
    for name in sorted(events):
        slots = [{"id": "trigger", "accepts": ["trigger"], "min": 1, "max": 1}]
        for role in sorted(events[name]):
            rid = re.sub(r"[^A-Za-z0-9_-]", "_", role)
            rid = rid if rid[:1].isalpha() else "x" + rid
            if rid != "trigger" and all(s["id"] != rid for s in slots):
                slots.append({"id": rid[:64], "label": role, "accepts": ents, "min": 0, "max": None})
        claim_types.append({"id": event_type_id(name), "label": name, "slots": slots})
    return {"id": "wikievents", "version": 1, "title": "WikiEvents (KAIROS) entity and event types",
            "span_types": span_types, "claim_types": claim_types}


def _document(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict) or not all(k in doc for k in _KEYS):
        raise ValueError(f"not a WikiEvents document (it needs {', '.join(_KEYS)})")
    doc_id = doc["doc_id"]
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError("doc_id must be a non-empty string")
    texts: list[str] = []
    offsets: list[tuple[int, int]] = []  # per token, in the report text
    base = 0
    for k, sent in enumerate(doc["sentences"]):
        if not (isinstance(sent, list) and len(sent) == 2 and isinstance(sent[1], str)
                and isinstance(sent[0], list)):
            raise ValueError(f"sentences[{k}] is not [tokens, text]")
        tokens, stext = sent
        pos = 0
        for j, tok in enumerate(tokens):
            word = tok[0] if isinstance(tok, list) and tok and isinstance(tok[0], str) else None
            i = stext.find(word, pos) if word else -1
            if word is None or i < 0 or stext[pos:i].strip():
                raise ValueError(f"sentences[{k}]: token {j} ({word!r}) is not next in the sentence")
            offsets.append((base + i, base + i + len(word)))
            pos = i + len(word)
        texts.append(stext)
        base += len(stext) + 1
    text = "\n".join(texts) + "\n"
    if not text.strip():
        raise ValueError("no text")

    def chars(start: Any, end: Any, where: str) -> tuple[int, int]:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(offsets)):
            raise ValueError(f"{where}: tokens {start}-{end} are outside the document "
                             f"({len(offsets)} tokens)")
        return offsets[start][0], offsets[end - 1][1]

    spans: list[dict[str, Any]] = []
    known: set[str] = set()
    for k, m in enumerate(doc["entity_mentions"]):
        where = f"entity_mentions[{k}]"
        if not isinstance(m, dict) or not isinstance(m.get("id"), str):
            raise ValueError(f"{where}: no id")
        a, b = chars(m.get("start"), m.get("end"), where)
        spans.append({"id": m["id"], "type": m.get("entity_type"), "start": a, "end": b,
                      "text": text[a:b], "attributes": (
                          {"mention_type": m["mention_type"]} if isinstance(m.get("mention_type"), str) else {})})
        known.add(m["id"])
    claims: list[dict[str, Any]] = []
    for k, e in enumerate(doc["event_mentions"]):
        where = f"event_mentions[{k}]"
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not isinstance(e.get("event_type"), str):
            raise ValueError(f"{where}: no id or event_type")
        trig = e.get("trigger")
        if not isinstance(trig, dict):
            raise ValueError(f"{where}: no trigger")
        a, b = chars(trig.get("start"), trig.get("end"), f"{where}.trigger")
        tid = f"{e['id']}-trigger"
        spans.append({"id": tid, "type": "trigger", "start": a, "end": b, "text": text[a:b],
                      "attributes": {}})
        slots: dict[str, list[str]] = {"trigger": [tid]}
        for j, arg in enumerate(e.get("arguments") or []):
            if not isinstance(arg, dict) or arg.get("entity_id") not in known or not isinstance(arg.get("role"), str):
                raise ValueError(f"{where}.arguments[{j}]: names no entity mention of this document")
            role = re.sub(r"[^A-Za-z0-9_-]", "_", arg["role"])
            role = role if role[:1].isalpha() else "x" + role
            slots.setdefault(role[:64], []).append(arg["entity_id"])
        claims.append({"id": e["id"], "type": event_type_id(e["event_type"]), "slots": slots,
                       "attributes": {}})
    title = texts[0].strip()[:200] if texts else doc_id
    return {"report": {"id": doc_id, "title": title or doc_id, "language": "en", "text": text,
                       "metadata": {"format": "wikievents"}},
            "annotations": [{"coder": CODER, "status": "done", "spans": spans, "claims": claims}]}


def read_wikievents(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line, interchange record or the reason this line cannot be one)."""
    for number, doc in _lines(path):
        if isinstance(doc, Exception):
            yield number, str(doc)
            continue
        try:
            yield number, _document(doc)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            yield number, str(exc)
