"""The codebook as a coder's manual (Markdown or self-contained HTML)."""

from __future__ import annotations

import html
from typing import Any

from annotator.core.codebook import AttributeDef, Codebook

__all__ = ["codebook_manual"]


def _card(lo: int, hi: int | None) -> str:
    return f"{lo}..{'n' if hi is None else hi}"


def _values(ad: AttributeDef) -> list[str]:
    return [f"{v} ({ad.value_labels[v]})" if v in ad.value_labels else v for v in ad.values or ()]


def _attr_type(ad: AttributeDef) -> str:
    extra = {"count": "low/best/high", "date": "EDTF, e.g. 2023-12-03 or 2023-12-01/2023-12-06",
             "place": "name, country, admin1-3, lat/lon", "actor": "canonical name from the actor list"}
    return f"{ad.type}, {ad.level}" + (f"; {extra[ad.type]}" if ad.type in extra else "")


def _markdown(cb: Codebook) -> str:
    out = [f"# {cb.title}", "", f"Codebook `{cb.ref}`.", ""]
    desc = cb.raw.get("description")
    if desc:
        out += [str(desc), ""]
    out += ["## Span types", ""]
    for st in cb.span_types:
        out.append(f"### {st.label} (`{st.id}`)" + (f", key `{st.hotkey}`" if st.hotkey else ""))
        out.append("")
        out.append(f"Colour {st.color}.")
        if st.definition:
            out += ["", st.definition]
        if st.examples:
            out += ["", "Examples: " + "; ".join(f"“{e}”" for e in st.examples)]
        if st.attributes:
            out += ["", "| Attribute | Type | Values | Definition |", "|---|---|---|---|"]
            for ad in st.attributes:
                vals = ", ".join(_values(ad))
                out.append(f"| {ad.label} (`{ad.id}`) | {_attr_type(ad)} | {vals} | {ad.definition or ''} |")
        out.append("")
    if cb.claim_types:
        out += ["## Claim types", ""]
        for ct in cb.claim_types:
            out.append(f"### {ct.label} (`{ct.id}`)" + (f", key `{ct.hotkey}`" if ct.hotkey else ""))
            if ct.definition:
                out += ["", ct.definition]
            out += ["", "| Slot | Key | Accepts | How many | Definition |", "|---|---|---|---|---|"]
            for sd in ct.slots:
                out.append(f"| {sd.label} (`{sd.id}`) | {sd.hotkey or ''} | {', '.join(sd.accepts)} | "
                           f"{_card(sd.min, sd.max)} | {sd.definition or ''} |")
            out.append("")
            out.append("A slot can be marked *not reported* (Shift + its key) when the report says nothing.")
            if ct.attributes:
                out += ["", "| Attribute | Type | Values | Definition |", "|---|---|---|---|"]
                for ad in ct.attributes:
                    out.append(f"| {ad.label} (`{ad.id}`) | {_attr_type(ad)} | {', '.join(_values(ad))} | "
                               f"{ad.definition or ''} |")
            out.append("")
    return "\n".join(out) + "\n"


def _html(cb: Codebook) -> str:
    e = html.escape
    parts: list[str] = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{e(cb.title)}</title><style>body{{font-family:sans-serif;margin:2em;max-width:60em}}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
        "text-align:left;vertical-align:top}.swatch{display:inline-block;width:1em;height:1em;"
        "border:1px solid #555;vertical-align:middle}kbd{border:1px solid #888;border-radius:3px;"
        "padding:0 4px}</style></head><body>",
        f"<h1>{e(cb.title)}</h1><p>Codebook <code>{e(cb.ref)}</code>.</p>",
    ]
    desc = cb.raw.get("description")
    if desc:
        parts.append(f"<p>{e(str(desc))}</p>")

    def attributes(defs: Any) -> None:
        if not defs:
            return
        parts.append("<table><tr><th>Attribute</th><th>Type</th><th>Values</th><th>Definition</th></tr>")
        for ad in defs:
            parts.append(f"<tr><td>{e(ad.label)} (<code>{e(ad.id)}</code>)</td><td>{e(_attr_type(ad))}</td>"
                         f"<td>{e(', '.join(_values(ad)))}</td><td>{e(ad.definition or '')}</td></tr>")
        parts.append("</table>")

    parts.append("<h2>Span types</h2>")
    for st in cb.span_types:
        key = f" key <kbd>{e(st.hotkey)}</kbd>" if st.hotkey else ""
        parts.append(f"<h3><span class='swatch' style='background:{e(st.color)}'></span> "
                     f"{e(st.label)} (<code>{e(st.id)}</code>){key}</h3>")
        if st.definition:
            parts.append(f"<p>{e(st.definition)}</p>")
        if st.examples:
            parts.append("<p>Examples: " + "; ".join(f"“{e(x)}”" for x in st.examples) + "</p>")
        attributes(st.attributes)
    if cb.claim_types:
        parts.append("<h2>Claim types</h2>")
        for ct in cb.claim_types:
            key = f" key <kbd>{e(ct.hotkey)}</kbd>" if ct.hotkey else ""
            parts.append(f"<h3>{e(ct.label)} (<code>{e(ct.id)}</code>){key}</h3>")
            if ct.definition:
                parts.append(f"<p>{e(ct.definition)}</p>")
            parts.append("<table><tr><th>Slot</th><th>Key</th><th>Accepts</th><th>How many</th>"
                         "<th>Definition</th></tr>")
            for sd in ct.slots:
                parts.append(f"<tr><td>{e(sd.label)} (<code>{e(sd.id)}</code>)</td>"
                             f"<td>{e(sd.hotkey or '')}</td><td>{e(', '.join(sd.accepts))}</td>"
                             f"<td>{_card(sd.min, sd.max)}</td><td>{e(sd.definition or '')}</td></tr>")
            parts.append("</table><p>A slot can be marked <em>not reported</em> (Shift + its key).</p>")
            attributes(ct.attributes)
    parts.append("</body></html>")
    return "\n".join(parts)


def codebook_manual(codebook: Codebook, fmt: str = "md") -> str:
    """The codebook as a manual for coders: ``fmt`` is "md" or "html"."""
    if fmt == "md":
        return _markdown(codebook)
    if fmt == "html":
        return _html(codebook)
    raise ValueError(f"unknown format '{fmt}': use md or html")
