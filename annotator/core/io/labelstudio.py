"""Label Studio: JSON task lists (the "JSON" export) in and out, with a labeling config.

Export (one task per report):

- ``data``: ``text`` (the report text), ``report_id`` and ``title``;
- one ``annotations`` entry per coder (``created_username`` is the coder's name), whose ``result``
  holds a ``labels`` region per span (``from_name`` "label", the region ``id`` is the span id,
  ``value`` start/end/text/labels), a per-region result per attribute (``from_name``
  "<span type>.<attribute>": ``choices`` for enum and boolean values, ``number`` for integers and
  numbers, ``textarea`` for text, dates, actors, and counts and places as JSON), and a
  ``relation`` per claim that a binary relation says whole (two slots, one span each, no
  attributes; the label is the claim type);
- ``meta.annotator``: the report's fields and, per coder, what Label Studio cannot hold (the
  other claims, "not reported", statuses, provenance).

``label_config(codebook)`` gives the matching ``<View>`` for a Label Studio project.

Import: tasks with ``annotations`` (a coder each: ``created_username``, else the
``completed_by`` e-mail or id) and ``predictions`` (a coder ``prediction-<model_version>``).
Cancelled annotations are skipped. Region labels name span types, per-region controls name
attributes, relation labels two-slot claim types. Offsets: Label Studio versions differ
(UTF-16 code units before the emoji fix, code points after), so each region's offsets are read
whichever way makes them cover the region's ``text``; exports count code points.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from annotator.core.codebook import AttributeDef, Codebook
from annotator.core.io.atomic import atomic_text_file
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    attribute_text,
    binary_claims,
    extension,
    locate,
    parse_attribute,
    relation_claim,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem, read_json_file
from annotator.core.offsets import Utf16Map

__all__ = ["label_config", "read_labelstudio", "tasks", "write_labelstudio"]

_LABEL, _TEXT = "label", "text"
_CONTROL = {"enum": "choices", "boolean": "choices", "integer": "number", "number": "number"}


def _control(ad: AttributeDef) -> str:
    return _CONTROL.get(ad.type, "textarea")


def label_config(codebook: Codebook) -> str:
    """A Label Studio labeling config for the codebook (spans, per-region attributes,
    relations named by the two-slot claim types)."""
    out = ["<View>", f'  <Labels name="{_LABEL}" toName="{_TEXT}">']
    out += [f"    <Label value={quoteattr(st.id)}/>" for st in codebook.span_types]
    out += ["  </Labels>", f'  <Text name="{_TEXT}" value="$text"/>']
    binary = [ct for ct in codebook.claim_types if len(ct.slots) == 2]
    if binary:
        out.append("  <Relations>")
        out += [f"    <Relation value={quoteattr(ct.id)}/>" for ct in binary]
        out.append("  </Relations>")
    for st in codebook.span_types:
        for ad in st.attributes:
            name = quoteattr(f"{st.id}.{ad.id}")
            when = f'visibleWhen="region-selected" whenTagName="{_LABEL}" whenLabelValue={quoteattr(st.id)}'
            kind = _control(ad)
            if kind == "choices":
                values = ad.values if ad.type == "enum" else ("true", "false")
                out.append(f'  <Choices name={name} toName="{_TEXT}" perRegion="true" {when}>')
                out += [f"    <Choice value={quoteattr(v)}/>" for v in values or ()]
                out.append("  </Choices>")
            elif kind == "number":
                out.append(f'  <Number name={name} toName="{_TEXT}" perRegion="true" {when}/>')
            else:
                out.append(f'  <TextArea name={name} toName="{_TEXT}" perRegion="true" {when}/>')
    out.append("</View>")
    return "\n".join(out) + "\n"


def _attribute_result(sid: str, value: dict[str, Any], st_id: str, ad: AttributeDef,
                      v: Any) -> dict[str, Any]:
    kind = _control(ad)
    region = {k: value[k] for k in ("start", "end")}
    if kind == "choices":
        region["choices"] = [("true" if v else "false") if ad.type == "boolean" else v]
    elif kind == "number":
        region["number"] = v
    else:
        region["text"] = [attribute_text(ad, v)]
    return {"id": sid, "from_name": f"{st_id}.{ad.id}", "to_name": _TEXT, "type": kind,
            "origin": "manual", "value": region}


def _task(number: int, record: Mapping[str, Any], codebook: Codebook) -> dict[str, Any]:
    rep = record["report"]
    text: str = rep["text"]
    annotations, coders = [], {}
    for k, ann in enumerate(record.get("annotations", []), start=1):
        result: list[dict[str, Any]] = []
        for s in ann.get("spans", []):
            value = {"start": s["start"], "end": s["end"], "text": s["text"], "labels": [s["type"]]}
            result.append({"id": s["id"], "from_name": _LABEL, "to_name": _TEXT, "type": "labels",
                           "origin": "manual", "value": value})
            st = codebook.span_type(s["type"])
            for aid, v in (s.get("attributes") or {}).items():
                ad = st.attribute(aid) if st else None
                if ad is not None:
                    result.append(_attribute_result(s["id"], value, s["type"], ad, v))
        relations = binary_claims(codebook, ann)
        for _cid, ctype, a, b in relations:
            result.append({"from_id": a, "to_id": b, "type": "relation", "direction": "right",
                           "labels": [ctype]})
        native_attrs = {s["id"]: {k: v for k, v in (s.get("attributes") or {}).items()
                                  if (st := codebook.span_type(s["type"])) and st.attribute(k)}
                        for s in ann.get("spans", [])}
        ext = extension(record, ann, native_claims=[r[0] for r in relations])
        for sid, more in list((ext.get("spans") or {}).items()):
            # attributes said natively are not repeated; only unknown ones stay in the extension
            attrs = {k: v for k, v in (more.get("attributes") or {}).items()
                     if k not in native_attrs.get(sid, {})}
            more.pop("attributes", None)
            if attrs:
                more["attributes"] = attrs
            if not more:
                del ext["spans"][sid]
        ext.pop("report", None)
        ext["relation_ids"] = [r[0] for r in relations]
        coders[ann["coder"]] = ext
        annotations.append({"id": k, "completed_by": k, "created_username": ann["coder"],
                            "ground_truth": ann.get("role") == "gold", "was_cancelled": False,
                            "result": result})
    return {"id": number,
            "data": {_TEXT: text, "report_id": rep["id"], "title": rep.get("title") or ""},
            "meta": {EXTENSION: {**extension(record), "coders": coders}},
            "annotations": annotations, "predictions": []}


def tasks(records: Iterable[Mapping[str, Any]], codebook: Codebook) -> Iterable[dict[str, Any]]:
    for number, record in enumerate(records, start=1):
        yield _task(number, record, codebook)


def write_labelstudio(records: Iterable[Mapping[str, Any]], codebook: Codebook, out: Path) -> int:
    """Write a Label Studio JSON task list to ``out`` and its labeling config beside it
    (``<stem>.label_config.xml``); returns the number of tasks."""
    n = 0
    with atomic_text_file(out) as fh:
        fh.write("[")
        for task in tasks(records, codebook):
            fh.write(",\n" if n else "\n")
            fh.write(json.dumps(task, ensure_ascii=False))
            n += 1
        fh.write("\n]\n")
    with atomic_text_file(out.with_name(out.stem + ".label_config.xml")) as fh:
        fh.write(label_config(codebook))
    return n


# ------------------------------------------------------------------ import


def _text_key(task: Mapping[str, Any], where: str) -> str:
    data = task.get("data")
    if not isinstance(data, dict):
        raise FormatError(where, "a task needs a 'data' object")
    names = {r.get("to_name") for group in ("annotations", "predictions")
             for a in task.get(group) or [] if isinstance(a, dict)
             for r in a.get("result") or [] if isinstance(r, dict)}
    for key in [n for n in names if isinstance(n, str)] + [_TEXT]:
        if isinstance(data.get(key), str):
            return key
    texts = [k for k, v in data.items() if isinstance(v, str)]
    if not texts:
        raise FormatError(f"{where}.data", "no text in the task's data")
    return str(max(texts, key=lambda k: len(data[k])))


def _coder(a: Mapping[str, Any], prediction: bool, k: int) -> str:
    if prediction:
        return f"prediction-{a.get('model_version') or k}"
    name = a.get("created_username")
    if isinstance(name, str) and name.strip():
        return name.strip()
    by = a.get("completed_by")
    if isinstance(by, dict):
        by = by.get("email") or by.get("id")
    return f"labelstudio-{by}" if by not in (None, "") else f"labelstudio-{k}"


def _annotation(task: Mapping[str, Any], a: Mapping[str, Any], text: str, umap: Utf16Map,
                codebook: Codebook, coder: str, where: str) -> dict[str, Any]:
    spans: dict[str, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    deferred: list[tuple[str, Mapping[str, Any]]] = []
    for i, r in enumerate(a.get("result") or []):
        at = f"{where}.result[{i}]"
        if not isinstance(r, dict):
            raise FormatError(at, "a result must be an object")
        kind = str(r.get("type", "")).lower()
        if kind == "relation":
            deferred.append((at, r))
            continue
        value = r.get("value")
        if not isinstance(value, dict):
            raise FormatError(at, "a region result needs a 'value' object")
        if kind == "labels":
            labels = value.get("labels") or []
            if not labels:
                raise FormatError(at, "a labels region without a label")
            s, e = locate(text, value.get("start"), value.get("end"), value.get("text"), at, umap)
            for n, label in enumerate(labels):
                sid = str(r.get("id") or f"r{i}") + (f"#{n}" if n else "")
                spans[sid] = {"id": sid, "type": span_type_id(codebook, str(label), at),
                              "start": s, "end": e, "text": text[s:e], "attributes": {}}
        else:
            deferred.append((at, r))
    for at, r in deferred:
        if str(r.get("type", "")).lower() == "relation":
            claims.append(_claim(r, spans, codebook, at, len(claims)))
        else:
            _attribute(r, spans, codebook, at)
    return {"coder": coder, "status": "done", "spans": list(spans.values()), "claims": claims}


def _attribute(r: Mapping[str, Any], spans: dict[str, dict[str, Any]], codebook: Codebook,
               at: str) -> None:
    sid = str(r.get("id"))
    if sid not in spans:
        raise FormatError(at, f"{r.get('type')} result for region {sid!r}, which is no labels "
                              "region (only per-region attributes are read)")
    span = spans[sid]
    st = codebook.span_type(span["type"])
    name = str(r.get("from_name", ""))
    aid = name.split(".", 1)[1] if name.startswith(f"{span['type']}.") else name
    ad = st.attribute(aid) if st else None
    if ad is None:
        raise FormatError(at, f"{name!r} is no attribute of span type {span['type']}")
    value = r["value"]
    kind = str(r.get("type", "")).lower()
    if kind == "choices":
        got = (value.get("choices") or [None])[0]
        span["attributes"][ad.id] = got == "true" if ad.type == "boolean" else got
    elif kind == "number":
        span["attributes"][ad.id] = value.get("number")
    elif kind == "textarea":
        texts = value.get("text") or []
        if texts:
            span["attributes"][ad.id] = parse_attribute(ad, texts[0], at)
    else:
        raise FormatError(at, f"a {kind!r} result cannot be read as attribute {ad.id}")


def _claim(r: Mapping[str, Any], spans: Mapping[str, Any], codebook: Codebook, at: str,
           k: int) -> dict[str, Any]:
    labels = r.get("labels") or []
    if not labels:
        raise FormatError(at, "a relation without a label: label it with a two-slot claim type")
    ct = relation_claim(codebook, str(labels[0]), at)
    a, b = str(r.get("from_id")), str(r.get("to_id"))
    if r.get("direction") == "left":
        a, b = b, a
    for sid in (a, b):
        if sid not in spans:
            raise FormatError(at, f"the relation names region {sid!r}, which is no span")
    return {"id": f"rel{k + 1}", "type": ct.id, "slots": {ct.slots[0].id: [a], ct.slots[1].id: [b]},
            "attributes": {}}


def records_from_tasks(data: Any, codebook: Codebook, stem: str) -> list[dict[str, Any]]:
    """Interchange records (not yet validated) from a parsed Label Studio export."""
    items = data if isinstance(data, list) else [data]
    records = []
    for t, task in enumerate(items):
        where = f"$[{t}]"
        if not isinstance(task, dict):
            raise FormatError(where, "a task must be an object")
        key = _text_key(task, where)
        text: str = task["data"][key]
        umap = Utf16Map(text)
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        ext = meta.get(EXTENSION) if isinstance(meta, dict) else None
        data_ = task["data"]
        report: dict[str, Any] = {"id": str(data_.get("report_id") or f"{stem}-{task.get('id', t + 1)}"),
                                  "text": text}
        if isinstance(data_.get("title"), str) and data_["title"]:
            report["title"] = data_["title"]
        report["metadata"] = {k: v for k, v in data_.items()
                              if k not in (key, "report_id", "title")}
        anns = []
        seen: set[str] = set()
        for group in ("annotations", "predictions"):
            for k, a in enumerate(task.get(group) or []):
                at = f"{where}.{group}[{k}]"
                if not isinstance(a, dict):
                    raise FormatError(at, "an annotation must be an object")
                if a.get("was_cancelled") or a.get("skipped"):
                    continue
                coder = _coder(a, group == "predictions", k + 1)
                if coder in seen:
                    coder = f"{coder}-{k + 1}"
                seen.add(coder)
                ann = _annotation(task, a, text, umap, codebook, coder, at)
                if group == "predictions":
                    ann["status"] = "todo"
                coder_ext = (ext or {}).get("coders", {}).get(coder) if isinstance(ext, dict) else None
                if isinstance(coder_ext, dict):
                    # relations get back the ids of the claims they were written from
                    for c, cid in zip(ann["claims"], coder_ext.get("relation_ids") or [],
                                      strict=False):
                        c["id"] = cid
                    apply_extension(report, ann, {**coder_ext, "report": {}}, at)
                anns.append(ann)
        if isinstance(ext, dict):
            apply_extension(report, {"spans": []}, {"report": ext.get("report")}, where)
        records.append({"report": report, "annotations": anns})
    return records


def read_labelstudio(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    """Interchange records from a Label Studio JSON export; ImportProblem names the file and
    the JSON path of the first problem."""
    data = read_json_file(path)
    try:
        return records_from_tasks(data, codebook, path.stem)
    except FormatError as exc:
        raise ImportProblem(path, str(exc)) from exc


def looks_like_labelstudio(data: Any) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and isinstance(first.get("data"), dict)
