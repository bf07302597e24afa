"""What the NLP formats (Label Studio, doccano, spaCy, CoNLL, XMI, REFI-QDA) share.

Each of them holds spans natively (a label, offsets into a text) and some hold binary relations;
none holds our span attributes, n-ary claims, "not reported" slots, statuses or provenance. So an
export writes what the format can say in its own terms, and the rest as an *extension*: a JSON
object (``EXTENSION``) that the other tool carries along untouched, and that our importer reads
back, so that export -> import gives back the same interchange record. A file made by the other
tool (no extension, or spans added there) imports with what it natively holds.

Offsets: our spans count code points. ``Utf16Map`` converts for formats that count UTF-16 code
units; ``locate`` accepts either when the format also gives the covered text, and says which.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from annotator.core.codebook import NOT_REPORTED, AttributeDef, ClaimTypeDef, Codebook
from annotator.core.offsets import Utf16Map

__all__ = [
    "EXTENSION",
    "FormatError",
    "apply_extension",
    "binary_claims",
    "extension",
    "locate",
    "relation_claim",
    "report_of",
    "span_type_id",
    "attribute_text",
    "parse_attribute",
]

EXTENSION = "annotator"  # the key (or name) under which a format carries what it cannot say
_REPORT_KEYS = ("id", "title", "source", "url", "published", "language", "metadata")


class FormatError(ValueError):
    """A problem in a file of another tool's format: ``where`` is the place (a JSON path, a line
    or an element), the message the reason."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}" if where else reason)


# ------------------------------------------------------------------ labels and types


def span_type_id(codebook: Codebook, label: str, where: str) -> str:
    """The codebook's span type for a label: its id, else its label (case ignored)."""
    if codebook.span_type(label) is not None:
        return label
    folded = label.casefold()
    for st in codebook.span_types:
        if st.id.casefold() == folded or st.label.casefold() == folded:
            return st.id
    known = ", ".join(st.id for st in codebook.span_types)
    raise FormatError(where, f"label {label!r} is not a span type of codebook {codebook.ref} "
                             f"(it has: {known})")


def relation_claim(codebook: Codebook, label: str, where: str) -> ClaimTypeDef:
    """The claim type a binary relation label stands for: a claim type of exactly two slots."""
    folded = label.casefold()
    for ct in codebook.claim_types:
        if ct.id.casefold() == folded or ct.label.casefold() == folded:
            if len(ct.slots) != 2:
                raise FormatError(where, f"relation {label!r}: claim type {ct.id} has "
                                         f"{len(ct.slots)} slots, a relation fills two")
            return ct
    binary = ", ".join(ct.id for ct in codebook.claim_types if len(ct.slots) == 2) or "none"
    raise FormatError(where, f"relation {label!r} is not a two-slot claim type of codebook "
                             f"{codebook.ref} (two-slot claim types: {binary})")


def binary_claims(codebook: Codebook, ann: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(claim id, claim type, from span id, to span id) for each claim a binary relation can
    say whole: a two-slot type, one span in each slot, no attributes."""
    out = []
    for claim in ann.get("claims", []):
        ct = codebook.claim_type(claim["type"])
        if ct is None or len(ct.slots) != 2 or claim.get("attributes"):
            continue
        slots = claim.get("slots") or {}
        a, b = (slots.get(sd.id) for sd in ct.slots)
        if isinstance(a, list) and isinstance(b, list) and len(a) == 1 and len(b) == 1 \
                and set(slots) <= {sd.id for sd in ct.slots}:
            out.append((claim["id"], ct.id, a[0], b[0]))
    return out


# ------------------------------------------------------------------ attribute values as text


def attribute_text(ad: AttributeDef, value: Any) -> str:
    """An attribute value as the text a format's free-text field holds (JSON for objects)."""
    if ad.type in ("count", "place") or not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def parse_attribute(ad: AttributeDef, text: Any, where: str) -> Any:
    """The inverse of ``attribute_text`` (numbers and booleans may arrive already typed)."""
    if ad.type in ("text", "actor", "date", "enum"):
        return text if isinstance(text, str) else str(text)
    if isinstance(text, str):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(where, f"attribute {ad.id}: {text!r} is not a {ad.type} value") from exc
    return text


# ------------------------------------------------------------------ offsets


def locate(text: str, start: Any, end: Any, covered: str | None, where: str,
           utf16: Utf16Map | None = None, prefer_utf16: bool = False) -> tuple[int, int]:
    """Code point offsets of a span given in a format's units.

    With ``covered`` (the span's text as the format records it) both readings are tried, code
    points and UTF-16 code units (the other tools disagree, and some changed between versions);
    the one whose slice equals ``covered`` wins. Without it, ``prefer_utf16`` decides."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise FormatError(where, f"offsets {start!r}-{end!r} are not whole numbers")
    umap = utf16 or Utf16Map(text)
    candidates = [(umap.to_codepoint(start), umap.to_codepoint(end)), (start, end)]
    if not prefer_utf16:
        candidates.reverse()
    if covered is None:
        s, e = candidates[0]
        limit = umap.length16 if prefer_utf16 else len(text)
        if not (0 <= start < end <= limit):
            raise FormatError(where, f"offsets {start}-{end} are outside the text (0-{limit})")
        return s, e
    for s, e in candidates:
        if 0 <= s < e <= len(text) and text[s:e] == covered:
            return s, e
    shown = text[candidates[0][0]:candidates[0][1]]
    raise FormatError(where, f"offsets {start}-{end} cover {shown!r}, not {covered!r} "
                             "(counted as code points or as UTF-16 units)")


# ------------------------------------------------------------------ the extension


def report_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The report's fields other than its text (they travel in the extension)."""
    rep = record["report"]
    return {k: copy.deepcopy(rep[k]) for k in _REPORT_KEYS if k in rep}


def extension(record: Mapping[str, Any], ann: Mapping[str, Any] | None = None,
              native_claims: Iterable[str] = (),
              native_ids: Mapping[str, str] | None = None,
              keep_order: bool = False) -> dict[str, Any]:
    """What the native part of an export cannot say, for one report (and one coder's
    annotation): report fields, status and role, span ids, attributes and provenance, every
    claim not written as a native relation. ``native_ids`` maps our span ids to the ids the
    file gives them (default: the same); ``keep_order`` records the spans' order for formats
    that reorder them (token formats read spans in text order)."""
    ext: dict[str, Any] = {"report": report_of(record)}
    if ann is None:
        return ext
    ext["coder"] = ann["coder"]
    for key in ("role", "status", "codebook"):
        if key in ann:
            ext[key] = ann[key]
    extra = {}
    for s in ann.get("spans", []):
        more = {k: copy.deepcopy(v) for k, v in s.items() if k in ("attributes", "provenance") and v}
        native = native_ids.get(s["id"], s["id"]) if native_ids else s["id"]
        if native != s["id"]:
            more["id"] = s["id"]
        if more:
            extra[native] = more
    if extra:
        ext["spans"] = extra
    if keep_order:
        ext["span_order"] = [s["id"] for s in ann.get("spans", [])]
    skip = set(native_claims)
    claims = [copy.deepcopy(c) for c in ann.get("claims", []) if c["id"] not in skip]
    if claims:
        ext["claims"] = claims
    if skip and claims:
        ext["claim_order"] = [c["id"] for c in ann.get("claims", [])]
    return ext


def apply_extension(report: dict[str, Any], ann: dict[str, Any], ext: Any, where: str) -> None:
    """Merge an extension read back from a file into the report and the coder's annotation
    (built from the native part). Spans deleted in the other tool drop out of the claims."""
    if not isinstance(ext, dict):
        raise FormatError(where, f"the {EXTENSION} extension is not an object")
    rep = ext.get("report")
    if isinstance(rep, dict):
        for k in _REPORT_KEYS:
            if k in rep and k != "id":
                report[k] = rep[k]
        if isinstance(rep.get("id"), str) and rep["id"]:
            report["id"] = rep["id"]
    for key in ("role", "status", "codebook"):
        if key in ext:
            ann[key] = ext[key]
    native = {s["id"]: s for s in ann.get("spans", [])}
    renamed: dict[str, str] = {}
    for sid, more in (ext.get("spans") or {}).items():
        if sid in native and isinstance(more, dict):
            native[sid].update({k: v for k, v in more.items() if k in ("attributes", "provenance")})
            if isinstance(more.get("id"), str):
                native[sid]["id"] = renamed[sid] = more["id"]
    by_id = {s["id"]: s for s in ann.get("spans", [])}
    claims = ann.setdefault("claims", [])
    for claim in claims:  # the native relations name the file's ids
        claim["slots"] = {slot: [renamed.get(x, x) for x in value] if isinstance(value, list)
                          else value for slot, value in (claim.get("slots") or {}).items()}
    for claim in ext.get("claims") or []:
        if not isinstance(claim, dict):
            continue
        slots = {}
        for slot, value in (claim.get("slots") or {}).items():
            if value == NOT_REPORTED:
                slots[slot] = value
            elif isinstance(value, list):
                kept = [sid for sid in value if sid in by_id]
                if kept or not value:
                    slots[slot] = kept
        claims.append({**claim, "slots": slots})
    span_order = ext.get("span_order")
    if isinstance(span_order, list):
        at = {sid: i for i, sid in enumerate(span_order)}
        ann["spans"] = sorted(ann.get("spans", []), key=lambda s: at.get(s["id"], len(at)))
    order = ext.get("claim_order")
    if isinstance(order, list):
        rank = {cid: i for i, cid in enumerate(order)}
        claims.sort(key=lambda c: rank.get(c.get("id"), len(rank)))
