"""WebAnno TSV 3 (3.2 and 3.3), INCEpTION's tab-separated exchange format, in and out.

The format (INCEpTION's user guide, "WebAnno TSV 3.3 File format"): a header naming the layers
(``#T_SP=`` span layers with their features, ``#T_RL=`` relation layers ending in ``BT_<base
layer>``, ``#T_CH=`` chains), two empty lines, then per sentence its ``#Text=`` lines and one
line per token ``<sentence>-<token>  <begin>-<end>  <token text>  <one column per feature>``.
Offsets count UTF-16 code units of the whole document (an emoji counts 2); they are converted to
code points here, both ways. A span over several tokens, or several spans on one token (stacked,
``|``), carry a disambiguation id ``[n]``; ``_`` is no annotation, ``*`` one without a value.
The text is rebuilt from the sentences as INCEpTION does: each ``#Text=`` line ends in a line
feed, and a sentence whose first token starts later is padded with spaces.

Export: a new folder with one ``<report>__<coder>.tsv`` per report and coder (``<report>.tsv``
for a report nobody coded). Layers:

- ``webanno.custom.AnnotatorExtension|json``: on the first token, what the layers cannot hold
  (the report's fields, the coder, statuses, the claims no relation says) as JSON;
- ``webanno.custom.Span|label|spanId|<attributes>``: a span's type, its id and one feature per
  attribute id of the codebook's span types (its value as text, counts and places as JSON);
- ``webanno.custom.Relation|label|BT_webanno.custom.Span``: a claim of a two-slot type with one
  span in each slot (Governor = first slot, Dependent = second), on the dependent's first token.

Tokens: words and punctuation marks (the ``punct`` tokenizer), also cut at every span edge, so
each span covers whole tokens. Sentences end at line breaks; the white space after a sentence
stays in its text so the file gives back the report text exactly. A span that starts or ends in
white space cannot be a row of tokens: it travels in the extension.

Import: every span layer's annotations become spans (type: their ``label`` or ``value`` feature,
else the layer's short name; tokens, sentences, POS and lemmas are not spans); a feature named
like one of the span type's attributes gives that attribute; a relation layer whose base layer
holds spans gives claims of the two-slot type its ``label``/``value`` names; a span layer with
slot features (``ROLE_``) gives a claim of the type its label names, each role a slot. Chains
(coreference) are refused: the codebook has nothing to hold them. A bad line refuses the file
with its line number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    parse_attribute,
    relation_claim,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem
from annotator.core.offsets import Utf16Map

__all__ = ["escape_text", "escape_value", "looks_like_webanno", "read_webanno", "rebuild_text",
           "unescape_text", "unescape_value"]

FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"
SPAN = "webanno.custom.Span"
RELATION = "webanno.custom.Relation"
EXT_TYPE = "webanno.custom.AnnotatorExtension"
_NOT_SPANS = {
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Lemma",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Stem",
    "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS",
    "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.morph.MorphologicalFeatures",
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData",
}
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_FORMAT = re.compile(r"^#FORMAT=WebAnno TSV (\d+)\.(\d+)$")
_UNIT = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_ADDRESS = re.compile(r"^(\d+-\d+(?:\.\d+)?)(?:\[(\d+)(?:_(\d+))?\])?$")
_RESERVED_FEATURES = {"label", "spanId", "begin", "end", "sofa"}


# ------------------------------------------------------------------ escaping (INCEpTION's rules)

# feature values: these are written with a backslash before them ("->" is one unit)
_VALUE_ESC = {"\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "_": "\\_", "->": "\\->",
              ";": "\\;", "\t": "\\t", "\n": "\\n", "*": "\\*"}
_VALUE_OUT = re.compile("|".join(re.escape(raw) for raw in _VALUE_ESC))
_VALUE_BACK = {esc: raw for raw, esc in _VALUE_ESC.items()}
_VALUE_IN = re.compile("|".join(re.escape(esc) for esc in _VALUE_ESC.values()))
# sentence and token text (3.2 and later): named escapes, other control characters (but 8-13)
# after a backslash as they are
_TEXT_NAMED = {"\t": "t", "\n": "n", "\f": "f", "\r": "r", "\b": "b", "\\": "\\"}
_TEXT_CONTROL = "".join(chr(i) for i in range(32) if not 7 < i < 14)
_TEXT_OUT = re.compile("[" + re.escape(_TEXT_CONTROL + "".join(_TEXT_NAMED)) + "]")
_TEXT_BACK = {v: k for k, v in _TEXT_NAMED.items()}
_TEXT_IN = re.compile(r"\\([" + re.escape("tnfrb\\" + _TEXT_CONTROL) + "])")


def escape_value(value: str) -> str:
    return _VALUE_OUT.sub(lambda m: _VALUE_ESC[m.group()], value)


def unescape_value(value: str) -> str:
    return _VALUE_IN.sub(lambda m: _VALUE_BACK[m.group()], value)


def escape_text(text: str) -> str:
    return _TEXT_OUT.sub(lambda m: "\\" + _TEXT_NAMED.get(m.group(), m.group()), text)


def unescape_text(text: str) -> str:
    return _TEXT_IN.sub(lambda m: _TEXT_BACK.get(m.group(1), m.group(1)), text)


def _split(value: str, sep: str) -> list[str]:
    """Split at ``sep`` unless a backslash escapes it."""
    return re.split(r"(?<!\\)" + re.escape(sep), value)


# ------------------------------------------------------------------ the text from the sentences


def rebuild_text(sentences: list[tuple[int, str]]) -> str:
    """The document text from (first token's begin in UTF-16 units, sentence text) pairs, as
    INCEpTION's reader builds it: each sentence ends in a line feed, which goes again when the
    next sentence begins right after the sentence, and a gap before a sentence is padded with
    spaces."""
    buf: list[str] = []
    length = 0  # UTF-16 units
    for begin, sentence in sentences:
        if length > begin and buf and buf[-1].endswith("\n"):
            buf[-1] = buf[-1][:-1]
            length -= 1
        if length < begin:
            buf.append(" " * (begin - length))
            length = begin
        buf.append(sentence + "\n")
        length += len(sentence) + sum(1 for ch in sentence if ord(ch) > 0xFFFF) + 1
    return "".join(buf)


# ------------------------------------------------------------------ import


@dataclass(frozen=True)
class _Column:
    layer: str
    kind: str  # "span", "role", "target" (slot links), "relation", "base", "chain"
    feature: str = ""


@dataclass(eq=False)
class _Annotation:
    layer: str
    begin: int  # in the file's units (UTF-16)
    end: int
    line: int
    dis: int = 0  # disambiguation id
    features: dict[str, str | None] = field(default_factory=dict)
    roles: list[list[str]] = field(default_factory=list)  # [role, target address]
    base: str | None = None  # relation: the layer its ends are on
    governor: tuple[str, int] | None = None  # relation: (token address, disambiguation id)
    dependent: tuple[str, int] | None = None


@dataclass(eq=False)
class _Unit:
    address: str
    begin: int
    end: int
    token: str
    line: int
    spans: dict[tuple[str, int], _Annotation] = field(default_factory=dict)
    relations: dict[tuple[str, int], _Annotation] = field(default_factory=dict)


def looks_like_webanno(path: Path) -> bool:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            return fh.readline(200).startswith("#FORMAT=WebAnno TSV")
    except OSError:
        return False


def _header(lines: list[str], path: Path) -> tuple[list[_Column], int]:
    """The columns the header declares, and the index of the first line after it."""
    m = _FORMAT.match(lines[0].rstrip("\r")) if lines else None
    if m is None:
        raise ImportProblem(path, "not a WebAnno TSV file (the first line is not "
                                  "#FORMAT=WebAnno TSV 3.x)", 1)
    if int(m.group(1)) != 3 or int(m.group(2)) < 2:
        raise ImportProblem(path, f"WebAnno TSV {m.group(1)}.{m.group(2)}: only versions 3.2 "
                                  "and 3.3 can be read (export it again from INCEpTION)", 1)
    columns: list[_Column] = []
    k = 1
    while k < len(lines) and lines[k].strip():
        line = lines[k].rstrip("\r")
        kind = {"#T_SP=": "span", "#T_RL=": "relation", "#T_CH=": "chain"}.get(line[:6])
        if kind is None:
            raise ImportProblem(path, f"not a layer declaration: {line[:60]!r}", k + 1)
        fields = [f for f in line[6:].split("|") if f]
        if not fields:
            raise ImportProblem(path, "a layer declaration without a layer name", k + 1)
        prev = ""
        for decl in fields[1:] or [""]:  # no features: one placeholder column
            if kind == "span" and decl.startswith("ROLE_"):
                col = _Column(fields[0], "role", decl)
            elif kind == "span" and prev == "role":
                col = _Column(fields[0], "target", decl)
            elif kind == "relation" and decl.startswith("BT_"):
                col = _Column(fields[0], "base", decl[3:])
            else:
                col = _Column(fields[0], kind, decl)
            columns.append(col)
            prev = col.kind
        k += 1
    return columns, k


def _parse(path: Path) -> tuple[str, list[_Unit], list[_Annotation]]:
    """The text INCEpTION rebuilds from the sentences, the token and sub-token units and the
    annotations (offsets in the file's UTF-16 units)."""
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(path, f"not UTF-8 (byte {exc.start})") from exc
    except OSError as exc:
        raise ImportProblem(path, f"cannot read: {exc.strerror or exc}") from exc
    lines = raw.split("\n")  # never str.splitlines: a form feed or U+2028 is text here
    if lines and lines[-1] == "":
        lines.pop()
    columns, k = _header(lines, path)
    blank = ["_"] * len(columns)
    sentences: list[tuple[int, str]] = []
    units: list[_Unit] = []
    anns: list[_Annotation] = []
    by_dis: dict[int, _Annotation] = {}
    text_lines: list[str] = []
    state = "space"
    for number in range(k + 1, len(lines) + 1):
        line = lines[number - 1].rstrip("\r")
        if line.startswith("#"):
            if state == "token":
                raise ImportProblem(path, "a sentence header among the tokens (a blank line "
                                          "comes between sentences)", number)
            if line.startswith("#Text="):
                text_lines.append(unescape_text(line[6:]))
            state = "header"
            continue
        if not line.strip():
            if state == "header":
                raise ImportProblem(path, "a sentence without tokens", number)
            state = "space"
            continue
        if state == "space":
            raise ImportProblem(path, "a token line before its sentence's #Text= line", number)
        fields = line.split("\t")
        if len(fields) < 3 + len(columns):
            raise ImportProblem(path, f"{len(fields)} columns, the header declares "
                                      f"{3 + len(columns)}", number)
        unit_m = _UNIT.match(fields[0])
        off = fields[1].split("-")
        if unit_m is None or len(off) != 2 or not all(x.isdigit() for x in off):
            raise ImportProblem(path, f"not a token line: {line[:60]!r}", number)
        begin, end = int(off[0]), int(off[1])
        if begin > end:
            raise ImportProblem(path, f"offsets {begin}-{end}: the end comes before the begin",
                                number)
        if state == "header":
            if unit_m.group(3) is not None:
                raise ImportProblem(path, "a sentence starts with a sub-token", number)
            sentences.append((begin, "\n".join(text_lines)))
            text_lines = []
        state = "token"
        token = unescape_text(fields[2]) if "\\" in fields[2] else fields[2]
        unit = _Unit(fields[0], begin, end, token, number)
        units.append(unit)
        if fields[3:3 + len(columns)] == blank:
            continue  # no annotation on this unit (most of them)
        for c, col in enumerate(columns):
            _cell(path, unit, col, fields[3 + c], anns, by_dis)
    if state == "header":
        raise ImportProblem(path, "the last sentence has no tokens", len(lines))
    return rebuild_text(sentences), units, anns


def _cell(path: Path, unit: _Unit, col: _Column, raw: str, anns: list[_Annotation],
          by_dis: dict[int, _Annotation]) -> None:
    """One column of a token line: its stacked values (``|``) are the annotations on the unit
    in stacking order; the same stacking index in another column of the layer is the same
    annotation, and a disambiguation id ties a unit to an annotation begun on an earlier one."""
    if raw in ("_", ""):
        return
    if col.kind == "chain":
        raise ImportProblem(path, f"chain layer {col.layer}: chains (coreference) cannot be "
                                  "imported", unit.line)
    for index, value in enumerate(_split(raw, "|")):
        dis = 0
        if col.kind not in ("target", "base") and value.endswith("]") \
                and not value.endswith("\\]") and "[" in value:
            value, _, tail = value.rpartition("[")
            if not tail[:-1].isdigit():
                raise ImportProblem(path, f"{raw!r}: {tail[:-1]!r} is no disambiguation id",
                                    unit.line)
            dis = int(tail[:-1])
        relation = col.kind in ("relation", "base")
        table = unit.relations if relation else unit.spans
        ann = table.get((col.layer, index))
        if ann is None and dis and not relation and dis in by_dis:
            ann = by_dis[dis]  # a multi-unit annotation goes on
            if ann.layer != col.layer:
                raise ImportProblem(path, f"disambiguation id {dis} is on layers {ann.layer} "
                                          f"and {col.layer}", unit.line)
            ann.end = max(ann.end, unit.end)
            table[(col.layer, index)] = ann
        if ann is None:
            ann = _Annotation(col.layer, unit.begin, unit.end, unit.line, dis)
            table[(col.layer, index)] = ann
            anns.append(ann)
            if dis:
                by_dis[dis] = ann
        if col.kind in ("span", "relation"):
            if col.feature:
                ann.features[col.feature] = None if value == "*" else unescape_value(value)
        elif col.kind == "role":
            ann.roles.extend([unescape_value(r), ""] for r in _split(value, ";")
                             if r not in ("*", ""))
        elif col.kind == "target":
            targets = [t for t in _split(value, ";") if t not in ("*", "")]
            open_roles = [r for r in ann.roles if not r[1]]
            if len(targets) != len(open_roles):
                raise ImportProblem(path, f"{len(open_roles)} slot role(s) but {len(targets)} "
                                          "target(s)", unit.line)
            for role, target in zip(open_roles, targets, strict=True):
                role[1] = target
        else:  # the relation's governor; the dependent is on this unit
            m = _ADDRESS.match(value)
            if m is None:
                raise ImportProblem(path, f"{value!r} is not a token address like 1-3 or "
                                          "1-3[2_1]", unit.line)
            ann.base = col.feature
            ann.governor = (m.group(1), int(m.group(2) or 0))
            ann.dependent = (unit.address, int(m.group(3) or 0))


def _label(ann: _Annotation) -> str:
    for feature in ("label", "value"):
        v = ann.features.get(feature)
        if v:
            return v
    return ann.layer.rsplit(".", 1)[-1]


def read_webanno(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    """One record (the report and the file's coder) from a WebAnno TSV 3.2/3.3 file."""
    text, units, anns = _parse(path)
    umap = Utf16Map(text)
    for u in units:
        if u.end > umap.length16 or umap.to_utf16(umap.to_codepoint(u.begin)) != u.begin \
                or umap.to_utf16(umap.to_codepoint(u.end)) != u.end:
            raise ImportProblem(path, f"offsets {u.begin}-{u.end} are not on characters of the "
                                      f"text (0-{umap.length16} UTF-16 units)", u.line)
        s, e = umap.to_codepoint(u.begin), umap.to_codepoint(u.end)
        if text[s:e] != u.token:
            raise ImportProblem(path, f"offsets {u.begin}-{u.end} cover {text[s:e]!r}, not the "
                                      f"token {u.token!r} (offsets count UTF-16 units)", u.line)
    ext: Any = None
    spans: list[dict[str, Any]] = []
    sid_of: dict[int, str] = {}
    for k, a in enumerate(anns, 1):
        where = f"line {a.line} ({a.layer})"
        if a.layer == EXT_TYPE:
            try:
                ext = json.loads(a.features.get("json") or "null")
            except json.JSONDecodeError as exc:
                raise ImportProblem(path, f"the extension is not JSON: {exc.msg}", a.line) from exc
            continue
        s, e = umap.to_codepoint(a.begin), umap.to_codepoint(a.end)
        if a.governor is not None or a.layer in _NOT_SPANS or s >= e:
            continue  # relations below; tokens and the like are no spans, nor zero-width ones
        try:
            type_id = span_type_id(codebook, _label(a), where)
        except FormatError:
            if a.roles:  # a slot host may stand for a claim alone
                continue
            raise
        sid = a.features.get("spanId") or f"t{k}"
        sid_of[id(a)] = sid
        st = codebook.span_type(type_id)
        attrs: dict[str, Any] = {}
        for ad in st.attributes if st else ():
            value = a.features.get(ad.id.replace("-", "_"))
            if value is not None:
                attrs[ad.id] = parse_attribute(ad, value, f"{where}, feature {ad.id}")
        spans.append({"id": sid, "type": type_id, "start": s, "end": e, "text": text[s:e],
                      "attributes": attrs})
    by_address = {u.address: u for u in units}
    claims = _relations(codebook, anns, by_address, sid_of) + \
        _slot_links(codebook, anns, by_address, sid_of)
    return [_record(path, text, spans, claims, ext)]


def _at(by_address: Mapping[str, _Unit], address: str, dis: int, layer: str | None,
        sid_of: Mapping[int, str], where: str, what: str) -> str:
    """The span id of the annotation a reference names: the span with disambiguation id
    ``dis`` on that token, else the only span there (on ``layer`` when given)."""
    unit = by_address.get(address)
    if unit is None:
        raise FormatError(where, f"{what} {address}: no such token")
    found = [a for a in dict.fromkeys(unit.spans.values()) if id(a) in sid_of
             and (layer in (None, "uima.tcas.Annotation") or a.layer == layer)
             and (not dis or a.dis == dis)]
    if len(found) != 1:
        shown = f"{address}[{dis}]" if dis else address
        reason = "holds no span" if not found else \
            f"holds {len(found)} spans (a disambiguation id would say which)"
        raise FormatError(where, f"{what} {shown} {reason}")
    return sid_of[id(found[0])]


def _relations(codebook: Codebook, anns: list[_Annotation], by_address: Mapping[str, _Unit],
               sid_of: Mapping[int, str]) -> list[dict[str, Any]]:
    claims = []
    for k, r in enumerate((a for a in anns if a.governor is not None), 1):
        where = f"line {r.line} ({r.layer})"
        assert r.governor is not None and r.dependent is not None
        ct = relation_claim(codebook, _label(r), where)
        gov = _at(by_address, *r.governor, r.base, sid_of, where, "the governor at")
        dep = _at(by_address, *r.dependent, r.base, sid_of, where, "the dependent at")
        claims.append({"id": f"rel{k}", "type": ct.id, "attributes": {},
                       "slots": {ct.slots[0].id: [gov], ct.slots[1].id: [dep]}})
    return claims


def _slot_links(codebook: Codebook, anns: list[_Annotation], by_address: Mapping[str, _Unit],
                sid_of: Mapping[int, str]) -> list[dict[str, Any]]:
    """A span layer's slot features (INCEpTION's link features): a claim of the type the host's
    label names, each role a slot (its id or label, case ignored), each target a span."""
    claims = []
    for k, h in enumerate((a for a in anns if a.roles), 1):
        where = f"line {h.line} ({h.layer})"
        folded = _label(h).casefold()
        ct = next((c for c in codebook.claim_types
                   if folded in (c.id.casefold(), c.label.casefold())), None)
        if ct is None:
            raise FormatError(where, f"slot links of {_label(h)!r}, which is no claim type of "
                                     f"codebook {codebook.ref}")
        slots: dict[str, list[str]] = {}
        for role, address in h.roles:
            sd = next((x for x in ct.slots
                       if role.casefold() in (x.id.casefold(), x.label.casefold())), None)
            if sd is None:
                raise FormatError(where, f"role {role!r} is no slot of claim type {ct.id} "
                                         f"(slots: {', '.join(x.id for x in ct.slots)})")
            m = _ADDRESS.match(address)
            if m is None or m.group(3):
                raise FormatError(where, f"role {role!r}: {address!r} is not a token address")
            slots.setdefault(sd.id, []).append(
                _at(by_address, m.group(1), int(m.group(2) or 0), None, sid_of, where,
                    f"role {role!r} at"))
        claims.append({"id": f"link{k}", "type": ct.id, "attributes": {}, "slots": slots})
    return claims


def _record(path: Path, text: str, spans: list[dict[str, Any]], claims: list[dict[str, Any]],
            ext: Any) -> dict[str, Any]:
    report_id, coder = path.stem.split("__", 1)[0] or path.stem, "inception"
    if path.parent.parent.name in ("annotation", "curation"):
        # an INCEpTION project export: annotation/<document>/<user>.tsv
        report_id = path.parent.name.rsplit(".", 1)[0] or path.parent.name
        coder = "curation" if path.parent.parent.name == "curation" else path.stem
    if isinstance(ext, dict):
        if isinstance(ext.get("text"), str) and len(ext["text"]) == len(text.removesuffix("\n")):
            text = ext["text"]  # the sentences could not say it (same length, white space)
        elif ext.get("final_newline") is False and text.endswith("\n"):
            text = text[:-1]
        for s in spans:
            s["text"] = text[s["start"]:s["end"]]
    report: dict[str, Any] = {"id": report_id, "text": text}
    rec: dict[str, Any] = {"report": report, "annotations": []}
    if isinstance(ext, dict) and "coder" not in ext:
        apply_extension(report, {"spans": []}, ext, EXTENSION)
        return rec
    ann: dict[str, Any] = {"coder": coder, "status": "done", "spans": spans, "claims": claims}
    if isinstance(ext, dict):
        ann["coder"] = str(ext["coder"])
        spans.extend(s for s in ext.get("unwritten_spans") or [] if isinstance(s, dict))
        relation_claims = [c for c in claims if c["id"].startswith("rel")]
        for c, cid in zip(relation_claims, ext.get("relation_ids") or [], strict=False):
            c["id"] = cid
        apply_extension(report, ann, ext, EXTENSION)
    rec["annotations"].append(ann)
    return rec
