"""UIMA CAS XMI with its TypeSystem, as INCEpTION (and WebAnno, DKPro) read and write it.

Export: a new folder with ``TypeSystem.xml`` and one ``<report>__<coder>.xmi`` per report and
coder (``<report>.xmi`` for a report nobody coded). Types, in INCEpTION's custom-layer style:

- ``webanno.custom.Span`` (a span layer): ``label`` = span type, ``spanId``;
- ``webanno.custom.Relation`` (a relation layer): ``Governor``, ``Dependent`` (spans) and
  ``label`` = claim type, for the claims a binary relation says whole;
- ``de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData``: title and id;
- ``webanno.custom.AnnotatorExtension``: ``json`` holds what the layers cannot (the report's
  fields, the coder, attributes, the other claims).

Offsets in XMI count UTF-16 code units (Java strings); they are converted both ways. XML 1.0
cannot hold some control characters (a form feed): such a report is refused with its id.

Import (dkpro-cassis reads the XMI with the ``TypeSystem.xml`` beside it, or ``typesystem.xml``):
every annotation of a span layer becomes a span whose type is its ``label``/``value`` feature
(e.g. DKPro's ``NamedEntity.value``), else its layer's short name; a relation layer (features
``Governor`` and ``Dependent``) becomes a claim of a two-slot type named by its label.
Tokens, sentences and metadata are not spans.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from annotator.core.codebook import Codebook
from annotator.core.io.atomic import atomic_folder
from annotator.core.io.paths import document_names
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    binary_claims,
    extension,
    relation_claim,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem
from annotator.core.offsets import Utf16Map

__all__ = ["read_xmi", "write_xmi", "TYPESYSTEM"]

_NS = {
    "xmi": "http://www.omg.org/XMI",
    "cas": "http:///uima/cas.ecore",
    "tcas": "http:///uima/tcas.ecore",
    "custom": "http:///webanno/custom.ecore",
    "type": "http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore",
}
SPAN = "webanno.custom.Span"
RELATION = "webanno.custom.Relation"
EXT_TYPE = "webanno.custom.AnnotatorExtension"
META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
_NOT_SPANS = {META, EXT_TYPE, "uima.tcas.DocumentAnnotation",
              "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
              "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
              "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Lemma",
              "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS"}
_XML10_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TYPESYSTEM = f"""<?xml version="1.0" encoding="UTF-8"?>
<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier">
  <types>
    <typeDescription>
      <name>{META}</name>
      <description/>
      <supertypeName>uima.tcas.DocumentAnnotation</supertypeName>
      <features>
        <featureDescription><name>documentTitle</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
        <featureDescription><name>documentId</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
        <featureDescription><name>documentUri</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
        <featureDescription><name>collectionId</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
        <featureDescription><name>documentBaseUri</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
        <featureDescription><name>isLastSegment</name><rangeTypeName>uima.cas.Boolean</rangeTypeName></featureDescription>
      </features>
    </typeDescription>
    <typeDescription>
      <name>{SPAN}</name>
      <description>A coded span; label is its span type.</description>
      <supertypeName>uima.tcas.Annotation</supertypeName>
      <features>
        <featureDescription><name>label</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
        <featureDescription><name>spanId</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
      </features>
    </typeDescription>
    <typeDescription>
      <name>{RELATION}</name>
      <description>A claim of a two-slot type: Governor fills the first slot, Dependent the second.</description>
      <supertypeName>uima.tcas.Annotation</supertypeName>
      <features>
        <featureDescription><name>Governor</name><rangeTypeName>{SPAN}</rangeTypeName></featureDescription>
        <featureDescription><name>Dependent</name><rangeTypeName>{SPAN}</rangeTypeName></featureDescription>
        <featureDescription><name>label</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
      </features>
    </typeDescription>
    <typeDescription>
      <name>{EXT_TYPE}</name>
      <description>What the layers cannot hold, as JSON (Annotator's extension).</description>
      <supertypeName>uima.tcas.Annotation</supertypeName>
      <features>
        <featureDescription><name>json</name><rangeTypeName>uima.cas.String</rangeTypeName></featureDescription>
      </features>
    </typeDescription>
  </types>
</typeSystemDescription>
"""



def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _xmi(record: Mapping[str, Any], ann: Mapping[str, Any] | None, codebook: Codebook) -> bytes:
    rep = record["report"]
    text: str = rep["text"]
    bad = _XML10_BAD.search(text)
    if bad:
        raise FormatError(f"report {rep['id']}", f"character U+{ord(bad.group()):04X} at "
                          f"{bad.start()} cannot be written in XML 1.0 (XMI)")
    umap = Utf16Map(text)
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(_q("xmi", "XMI"), {_q("xmi", "version"): "2.0"})
    ET.SubElement(root, _q("cas", "NULL"), {_q("xmi", "id"): "0"})
    sofa = "1"
    members: list[str] = []
    next_id = 2

    def add(prefix: str, name: str, begin: int, end: int, **features: str) -> str:
        nonlocal next_id
        xid = str(next_id)
        next_id += 1
        attrs = {_q("xmi", "id"): xid, "sofa": sofa, "begin": str(umap.to_utf16(begin)),
                 "end": str(umap.to_utf16(end)), **features}
        ET.SubElement(root, _q(prefix, name), attrs)
        members.append(xid)
        return xid

    add("type", "DocumentMetaData", 0, len(text), documentTitle=rep.get("title") or "",
        documentId=rep["id"], language=rep.get("language") or "x-unspecified")
    ids: dict[str, str] = {}
    spans = list(ann.get("spans", [])) if ann else []
    for s in spans:
        ids[s["id"]] = add("custom", "Span", s["start"], s["end"], label=s["type"], spanId=s["id"])
    relations = binary_claims(codebook, ann) if ann else []
    by_id = {s["id"]: s for s in spans}
    for _cid, ctype, a, b in relations:
        dep = by_id[b]
        add("custom", "Relation", dep["start"], dep["end"], Governor=ids[a], Dependent=ids[b],
            label=ctype)
    ext = extension(record, ann, [r[0] for r in relations], keep_order=True) if ann \
        else extension(record)
    if ann:
        ext["relation_ids"] = [r[0] for r in relations]
    add("custom", "AnnotatorExtension", 0, 0, json=json.dumps(ext, ensure_ascii=False))
    ET.SubElement(root, _q("cas", "Sofa"), {_q("xmi", "id"): sofa, "sofaNum": "1",
                                           "sofaID": "_InitialView", "mimeType": "text",
                                           "sofaString": text})
    ET.SubElement(root, _q("cas", "View"), {"sofa": sofa, "members": " ".join(members)})
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def write_xmi(records: Iterable[Mapping[str, Any]], codebook: Codebook, out_dir: Path) -> int:
    """Write TypeSystem.xml and one .xmi per report and coder into a new (or empty) folder;
    returns the number of .xmi files. Nothing is left under ``out_dir`` on failure."""
    with atomic_folder(out_dir, "the XMI files") as tmp:
        (tmp / "TypeSystem.xml").write_text(TYPESYSTEM, "utf-8")
        n = 0
        for name, record, ann in document_names(records):
            (tmp / f"{name}.xmi").write_bytes(_xmi(record, ann, codebook))
            n += 1
    return n


# ------------------------------------------------------------------ import


def _typesystem(path: Path) -> Path:
    for name in ("TypeSystem.xml", "typesystem.xml"):
        if (path.parent / name).is_file():
            return path.parent / name
    raise ImportProblem(path, "no TypeSystem.xml beside the XMI file (INCEpTION and DKPro "
                              "write one; put it in the same folder)")


def _label(fs: Any, type_name: str) -> str:
    for feature in ("label", "value"):
        try:
            value = fs.get(feature)
        except (AttributeError, KeyError):
            value = None
        if isinstance(value, str) and value:
            return value
    return type_name.rsplit(".", 1)[-1]


@functools.lru_cache(maxsize=4)
def _load_typesystem(path: str, mtime_ns: int) -> Any:
    """A folder of XMI files shares one TypeSystem.xml: parse it once (it takes ~0.1 s)."""
    from cassis import load_typesystem

    with open(path, "rb") as fh:
        return load_typesystem(fh)


def read_xmi(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    """One interchange record from an XMI file (read by dkpro-cassis)."""
    try:
        from cassis import load_cas_from_xmi
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportProblem(path, f"reading XMI needs dkpro-cassis ({exc})") from exc
    ts_path = _typesystem(path)
    try:
        typesystem = _load_typesystem(str(ts_path), ts_path.stat().st_mtime_ns)
        with path.open("rb") as fh:
            cas = load_cas_from_xmi(fh, typesystem=typesystem)
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # noqa: BLE001 - lxml and cassis raise many kinds for bad XML
        raise ImportProblem(path, f"not a readable UIMA CAS XMI with {ts_path.name}: {exc}") from exc
    text = cas.sofa_string
    if not isinstance(text, str) or not text:
        raise ImportProblem(path, "the CAS has no text (sofa string)")
    try:
        return [_record(cas, text, codebook, path)]
    except FormatError as exc:
        raise ImportProblem(path, str(exc)) from exc


def _record(cas: Any, text: str, codebook: Codebook, path: Path) -> dict[str, Any]:
    ext: Any = None
    title = None
    spans: list[dict[str, Any]] = []
    relations: list[Any] = []
    native: dict[int, str] = {}
    for fs in cas.select_all_fs():
        name = fs.type.name
        if name == EXT_TYPE:
            try:
                ext = json.loads(fs.get("json") or "null")
            except json.JSONDecodeError as exc:
                raise FormatError(f"xmi:id {fs.xmiID}", f"the extension is not JSON: {exc.msg}") from exc
            continue
        if name == META:
            title = fs.get("documentTitle")
            continue
        if name in _NOT_SPANS or not hasattr(fs, "begin"):
            continue
        features = {f.name for f in fs.type.all_features}
        if {"Governor", "Dependent"} <= features:
            relations.append(fs)
            continue
        where = f"xmi:id {fs.xmiID} ({name})"
        if fs.begin >= fs.end:
            continue  # zero-width annotations hold no text
        sid = (fs.get("spanId") if "spanId" in features else None) or f"x{fs.xmiID}"
        native[fs.xmiID] = sid
        spans.append({"id": sid, "type": span_type_id(codebook, _label(fs, name), where),
                      "start": fs.begin, "end": fs.end, "text": text[fs.begin:fs.end],
                      "attributes": {}})
    claims = []
    for k, fs in enumerate(relations, start=1):
        where = f"xmi:id {fs.xmiID} ({fs.type.name})"
        ct = relation_claim(codebook, _label(fs, fs.type.name), where)
        gov, dep = fs.get("Governor"), fs.get("Dependent")
        if gov is None or dep is None or gov.xmiID not in native or dep.xmiID not in native:
            raise FormatError(where, "the relation's Governor or Dependent is no span")
        claims.append({"id": f"rel{k}", "type": ct.id, "attributes": {},
                       "slots": {ct.slots[0].id: [native[gov.xmiID]],
                                 ct.slots[1].id: [native[dep.xmiID]]}})
    report: dict[str, Any] = {"id": path.stem.split("__", 1)[0] or path.stem, "text": text}
    if title:
        report["title"] = title
    rec: dict[str, Any] = {"report": report, "annotations": []}
    if isinstance(ext, dict) and "coder" not in ext:
        apply_extension(report, {"spans": []}, ext, EXTENSION)
        return rec
    ann: dict[str, Any] = {"coder": "inception", "status": "done", "spans": spans, "claims": claims}
    if isinstance(ext, dict):
        ann["coder"] = str(ext["coder"])
        for c, cid in zip(claims, ext.get("relation_ids") or [], strict=False):
            c["id"] = cid
        apply_extension(report, ann, ext, EXTENSION)
    rec["annotations"].append(ann)
    return rec
