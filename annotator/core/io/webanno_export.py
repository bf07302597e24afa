"""WebAnno TSV 3 export (the format and its layers: webanno.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.io.atomic import atomic_folder
from annotator.core.io.conll import tokenize
from annotator.core.io.paths import document_names
from annotator.core.io.standoff import attribute_text, binary_claims, extension
from annotator.core.io.webanno import (
    EXT_TYPE,
    FORMAT_LINE,
    RELATION,
    SPAN,
    escape_text,
    escape_value,
    rebuild_text,
)
from annotator.core.offsets import Utf16Map

__all__ = ["document", "write_webanno"]

_RESERVED_FEATURES = {"label", "spanId", "begin", "end", "sofa"}


def _feature_names(codebook: Codebook) -> dict[str, str]:
    """Attribute id -> the feature that carries it (``-`` is no part of a UIMA feature name)."""
    out: dict[str, str] = {}
    used = set(_RESERVED_FEATURES)
    for st in codebook.span_types:
        for ad in st.attributes:
            name = ad.id.replace("-", "_")
            if ad.id in out or name in used:
                continue
            out[ad.id] = name
            used.add(name)
    return out


def _edge_in_space(text: str, s: Mapping[str, Any]) -> bool:
    return text[s["start"]].isspace() or text[s["end"] - 1].isspace()


def _sentences(text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int, list[int]]]:
    """(begin, end, token indices) per sentence. A sentence starts at the first token after a
    line break and runs to the next one's start, less the line feed INCEpTION puts back after
    each sentence; so the text rebuilt from the sentences is the report text."""
    groups: list[list[int]] = []
    prev_end = 0
    for i, (s, e) in enumerate(tokens):
        if not groups or "\n" in text[prev_end:s]:
            groups.append([])
        groups[-1].append(i)
        prev_end = e
    out = []
    for k, idxs in enumerate(groups):
        begin = tokens[idxs[0]][0]
        nxt = tokens[groups[k + 1][0]][0] if k + 1 < len(groups) else len(text)
        end = nxt - 1 if text[nxt - 1] == "\n" else nxt
        out.append((begin, end, idxs))
    return out


class _Writer:
    """One report and coder as a TSV document."""

    def __init__(self, record: Mapping[str, Any], ann: Mapping[str, Any] | None,
                 codebook: Codebook) -> None:
        self.codebook = codebook
        self.text: str = record["report"]["text"]
        self.umap = Utf16Map(self.text)
        self.features = _feature_names(codebook)
        spans = list(ann.get("spans", [])) if ann else []
        self.native = [s for s in spans if not _edge_in_space(self.text, s)]
        native_ids = {s["id"] for s in self.native}
        self.relations = [r for r in (binary_claims(codebook, ann) if ann else [])
                          if r[2] in native_ids and r[3] in native_ids]
        self.tokens = tokenize(self.text, "punct",
                               cuts=[x for s in self.native for x in (s["start"], s["end"])])
        self.sentences = _sentences(self.text, self.tokens)
        self.ext: dict[str, Any] = extension(record, ann, [r[0] for r in self.relations],
                                             keep_order=True) if ann else extension(record)
        if ann:
            self.ext["relation_ids"] = [r[0] for r in self.relations]
            unwritten = [s for s in spans if s["id"] not in native_ids]
            if unwritten:  # a span starting or ending in white space is no row of tokens
                self.ext["unwritten_spans"] = unwritten
        rebuilt = rebuild_text([(self.umap.to_utf16(b), self.text[b:e])
                                for b, e, _ in self.sentences])
        if rebuilt == self.text + "\n" and not self.text.endswith("\n"):
            self.ext["final_newline"] = False
        elif rebuilt != self.text:
            self.ext["text"] = self.text  # e.g. line breaks before the first word

    def header(self) -> list[str]:
        return [FORMAT_LINE, f"#T_SP={EXT_TYPE}|json",
                f"#T_SP={SPAN}|label|spanId" + "".join(f"|{f}" for f in self.features.values()),
                f"#T_RL={RELATION}|label|BT_{SPAN}", ""]

    def lines(self) -> list[str]:
        tokens, umap = self.tokens, self.umap
        address: dict[int, str] = {}
        for n, (_b, _e, idxs) in enumerate(self.sentences, 1):
            for k, i in enumerate(idxs, 1):
                address[i] = f"{n}-{k}"
        starts = {s: i for i, (s, _e) in enumerate(tokens)}
        ends = {e: i for i, (_s, e) in enumerate(tokens)}
        covered: dict[int, list[Mapping[str, Any]]] = {}
        first: dict[str, int] = {}
        for s in self.native:
            a, b = starts[s["start"]], ends[s["end"]]
            first[s["id"]] = a
            for i in range(a, b + 1):
                covered.setdefault(i, []).append(s)
        needs = {s["id"] for s in self.native if starts[s["start"]] != ends[s["end"]]}
        needs |= {s["id"] for group in covered.values() if len(group) > 1 for s in group}
        dis = {sid: n for n, sid in enumerate((s["id"] for s in self.native if s["id"] in needs), 1)}
        by_dep: dict[int, list[tuple[str, str, str]]] = {}
        for _cid, ctype, gov, dep in self.relations:
            by_dep.setdefault(first[dep], []).append((ctype, gov, dep))
        ext = escape_value(json.dumps(self.ext, ensure_ascii=False))
        out = self.header()
        if not tokens:  # a text of white space: a zero-width unit carries the extension
            cells = [ext, "_", "_", *("_" for _ in self.features), "_", "_"]
            return [*out, "", "#Text=", "\t".join(["1-1", "0-0", "", *cells]) + "\t"]
        # a token no span covers (most of them): every annotation column empty
        blank = "\t".join("_" for _ in range(5 + len(self.features))) + "\t"
        for begin, end, idxs in self.sentences:
            out.append("")
            out.extend(f"#Text={escape_text(line)}" for line in self.text[begin:end].split("\n"))
            for i in idxs:
                s0, e0 = tokens[i]
                if i and i not in covered and i not in by_dep:
                    out.append(f"{address[i]}\t{umap.to_utf16(s0)}-{umap.to_utf16(e0)}\t"
                               f"{escape_text(self.text[s0:e0])}\t{blank}")
                    continue
                here = sorted(covered.get(i, []), key=lambda s: (s["start"], -s["end"]))

                def stacked(values: list[str | None], here: list[Mapping[str, Any]] = here) -> str:
                    if not here:
                        return "_"
                    return "|".join((escape_value(v) if v else "*")
                                    + (f"[{dis[s['id']]}]" if s["id"] in dis else "")
                                    for v, s in zip(values, here, strict=True))

                cells = [ext if i == 0 else "_", stacked([s["type"] for s in here]),
                         stacked([s["id"] for s in here])]
                for aid in self.features:
                    cells.append(stacked([self._value(s, aid) for s in here]))
                rels = by_dep.get(i, [])
                refs = [address[first[gov]] + (f"[{dis.get(gov, 0)}_{dis.get(dep, 0)}]"
                                               if gov in dis or dep in dis else "")
                        for _ct, gov, dep in rels]
                cells.append("|".join(escape_value(ct) for ct, _g, _d in rels) or "_")
                cells.append("|".join(refs) or "_")
                out.append("\t".join([address[i], f"{umap.to_utf16(s0)}-{umap.to_utf16(e0)}",
                                      escape_text(self.text[s0:e0]), *cells]) + "\t")
        return out

    def _value(self, s: Mapping[str, Any], aid: str) -> str | None:
        st = self.codebook.span_type(s["type"])
        ad = st.attribute(aid) if st else None
        v = (s.get("attributes") or {}).get(aid)
        return attribute_text(ad, v) if ad is not None and v is not None else None


def document(record: Mapping[str, Any], ann: Mapping[str, Any] | None, codebook: Codebook) -> str:
    """The TSV text of one report and one coder's annotation (None: the report alone)."""
    return "\n".join(_Writer(record, ann, codebook).lines()) + "\n"


def write_webanno(records: Iterable[Mapping[str, Any]], codebook: Codebook, out_dir: Path) -> int:
    """One .tsv per report and coder into a new (or empty) folder; returns the number of files.
    Nothing is left under ``out_dir`` on failure."""
    with atomic_folder(out_dir, "the TSV files") as tmp:
        n = 0
        for name, record, ann in document_names(records):
            with open(tmp / f"{name}.tsv", "w", encoding="utf-8", newline="\n") as fh:
                fh.write(document(record, ann, codebook))
            n += 1
    return n


