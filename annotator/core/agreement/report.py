"""The agreement figures as a terminal table, CSV tables and a self-contained HTML report."""

from __future__ import annotations

import csv
import html
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.core.agreement.alpha import (
    MIN_UNITS,
    RELIABLE,
    TENTATIVE,
    TOO_FEW,
    figure_text,
    reliability_label,
    thresholds_text,
)
from annotator.core.agreement.kinds import kind_name

__all__ = ["MEASURES", "SECTIONS", "csv_tables", "html_report", "reading", "rows", "selection_text",
           "text_table", "write_csv", "write_json"]

#: how each measure is named for people
MEASURES = {"f1_exact": "F1 exact", "f1_overlap": "F1 overlap", "alpha_u": "unitizing alpha"}
SECTIONS = {"spans": "Spans", "attributes": "Span attributes", "claims": "Claims"}
NO_THRESHOLD = "no threshold (F1)"


def reading(row: dict[str, Any]) -> str:
    """The reading of one figure (a row of ``rows``) as every output shows it: the verdict of
    alpha.verdict with why, nothing of alpha's thresholds for F1."""
    label = row["label"]
    if label is None:
        return NO_THRESHOLD
    if label == "undefined":
        return "undefined" + (f": {row['reason']}" if row.get("reason") else "")
    if label == TOO_FEW:
        units = (f"{row['units']} report{'s' if row['units'] != 1 else ''}"
                 if row.get("units") is not None else f"n {row['n']}")
        return f"{TOO_FEW} ({units}; a reading needs {MIN_UNITS})"
    text = str(label)
    value, low = row["value"], row.get("ci_low")
    if low is not None and value is not None and reliability_label(value) != label:
        text += f" (the 95% interval reaches down to {figure_text(low)})"
    if row.get("kappa") is not None:
        text += f"; Cohen's kappa {row['kappa']:.3f}"
    return text


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per figure: section, item, measure, value, ci, n, label (the verdict, None for
    F1), and for people item_label, measure_label and reading."""
    labels = result.get("labels", {})

    def done(row: dict[str, Any]) -> dict[str, Any]:
        row["section_label"] = SECTIONS.get(row["section"], row["section"])
        row["item_label"] = labels.get(row["item"], row["item"])
        row["measure_label"] = MEASURES.get(row["measure"], row["measure"])
        row["reading"] = reading(row)
        return row

    for t, e in result["spans"].items():
        for measure in ("f1_exact", "f1_overlap"):
            m = e[measure]
            yield done({"section": "spans", "item": t, "measure": measure, "value": m["mean"],
                        "ci_low": None, "ci_high": None, "n": e["n"], "sd": m["sd"],
                        "label": m["label"]})
        if "alpha_u" in e:
            a = e["alpha_u"]
            yield done({"section": "spans", "item": t, "measure": "alpha_u", "value": a["alpha"],
                        "ci_low": (a["ci"] or [None])[0], "ci_high": (a["ci"] or [None, None])[1],
                        "n": a["n"], "units": a.get("reports"), "sd": None, "label": a["label"],
                        "reason": a.get("reason")})
    for section in ("attributes", "claims"):
        for owner, items in result[section].items():
            for name, a in items.items():
                if "alpha" not in a:
                    continue
                yield done({"section": section, "item": f"{owner}.{name}",
                            "measure": f"alpha ({a.get('level', 'nominal')})", "value": a["alpha"],
                            "ci_low": (a["ci"] or [None])[0],
                            "ci_high": (a["ci"] or [None, None])[1],
                            "n": a["n"], "sd": None, "label": a["label"], "kappa": a.get("kappa"),
                            "reason": a.get("reason")})


def selection_text(result: dict[str, Any]) -> str:
    """Which reports the figures use, with n per coder pair when compared pair by pair."""
    if result.get("selection") == "pairs":
        per = "; ".join(f"{k.replace('|', ' & ')} {v['n']}" for k, v in result["pairs"].items())
        return (f"reports used (finished by both coders of a pair): {result['reports_used']} "
                f"(n per pair: {per or 'no pair'})")
    return f"reports used (done by every compared coder): {result['reports_used']}"


def text_table(result: dict[str, Any]) -> str:
    out = [
        f"coders: {', '.join(result['coders'])}; {selection_text(result)}"
        + (f", left out: {result['reports_excluded']}" if result["reports_excluded"] else ""),
    ]
    out += [f"note: {n}" for n in result["notes"]]
    out.append("")
    figures = list(rows(result))
    w = max([34, *(len(r["item_label"]) for r in figures)])
    out.append(f"{'SECTION':<11} {'ITEM':<{w}} {'MEASURE':<18} {'VALUE':>7} {'95% CI':>15} {'N':>7}  READING")
    for r in figures:
        ci = "-" if r["ci_low"] is None else f"{r['ci_low']:.3f}..{r['ci_high']:.3f}"
        out.append(f"{r['section']:<11} {r['item_label']:<{w}} {r['measure_label']:<18} "
                   f"{_fmt(r['value']):>7} {ci:>15} {_fmt(r['n']):>7}  {r['reading']}")
    out.append("")
    out.append(thresholds_text() + ".")
    listing = result["disagreements"]
    counts: dict[str, int] = dict(getattr(listing, "kinds", {}))  # a DisagreementLog counted them
    if not counts:
        for d in listing:
            counts[d["kind"]] = counts.get(d["kind"], 0) + 1
    out.append("disagreements: " + (", ".join(f"{kind_name(k)} {v}" for k, v in sorted(counts.items()))
                                    or "none"))
    return "\n".join(out)


def write_json(result: dict[str, Any], out: TextIO) -> None:
    """``result`` as one line of JSON (what ``json.dumps`` gives, then a newline), its
    disagreements written one at a time when they are a DisagreementLog (never all in memory)."""
    listing = result["disagreements"]
    if isinstance(listing, list):
        out.write(json.dumps(result, ensure_ascii=False, allow_nan=False) + "\n")
        return
    token = f"\x00{uuid.uuid4()}"
    head, *tail = json.dumps({**result, "disagreements": token}, ensure_ascii=False,
                             allow_nan=False).split(json.dumps(token))
    (after,) = tail  # the placeholder once: a fresh random name
    out.write(head + "[")
    batch: list[str] = []
    first = True
    for text in listing.texts():
        batch.append(text)
        if len(batch) >= 4096:
            out.write(("" if first else ", ") + ", ".join(batch))
            batch, first = [], False
    if batch:
        out.write(("" if first else ", ") + ", ".join(batch))
    out.write("]" + after + "\n")


def csv_tables(result: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    pairs = []
    for t, e in result["spans"].items():
        for measure in ("f1_exact", "f1_overlap"):
            for pair, v in e[measure]["pairs"].items():
                a, b = pair.split("|")
                pairs.append({"span_type": t, "measure": measure, "coder_a": a, "coder_b": b, "value": v})
    confusion = [{"type_a": a, "type_b": b, "count": n}
                 for a, row in result["confusion_span_types"].items() for b, n in row.items() if n]
    return {
        "figures": list(rows(result)),
        "pairs": pairs,
        "confusion": confusion,
        "disagreements": [{**d, "coders": "|".join(d["coders"]),
                           "values": json.dumps(d["values"], ensure_ascii=False)}
                          for d in result["disagreements"]],
    }


def _safe(value: Any) -> Any:
    from annotator.core.io.textrules import cell_text, inert_cell

    return inert_cell(cell_text(value)) if isinstance(value, str) else value


def write_csv(result: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in csv_tables(result).items():
        path = folder / f"agreement-{name}.csv"
        keys: list[str] = []
        for row in table:
            keys += [k for k in row if k not in keys]
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys or ["empty"])
            w.writeheader()
            # report ids and coder names come from imported files: never a formula
            w.writerows({k: _safe(v) for k, v in row.items()} for row in table)
        written.append(path)
    return written


_COLORS = {"reliable": "#2e7d32", "tentative": "#f9a825", "unreliable": "#c62828"}


def _bar(value: float | None, ci: list[float] | None, label: str | None) -> str:
    """An inline SVG bar from -0.2 to 1 with the thresholds (alpha.py) and the interval."""
    width, height = 220, 16

    def x(v: float) -> float:
        return (max(-0.2, min(1.0, v)) + 0.2) / 1.2 * width

    parts = [f'<svg width="{width}" height="{height}" role="img">',
             f'<rect x="0" y="3" width="{width}" height="10" fill="#eee"/>']
    if value is not None:
        color = _COLORS.get(str(label), "#888888")  # the verdict's colour, grey for F1
        parts.append(f'<rect x="{x(0):.1f}" y="3" width="{max(0.0, x(value) - x(0)):.1f}" height="10" fill="{color}"/>')
    if ci:
        parts.append(f'<line x1="{x(ci[0]):.1f}" x2="{x(ci[1]):.1f}" y1="8" y2="8" stroke="#000" stroke-width="1.5"/>')
    for t in (TENTATIVE, RELIABLE):
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="0" y2="16" stroke="#555" stroke-dasharray="2,2"/>')
    parts.append("</svg>")
    return "".join(parts)


def html_report(result: dict[str, Any], title: str = "Inter-coder agreement") -> str:
    e = html.escape
    labels = result.get("labels", {})
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title>",
           "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
           "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:14px;text-align:left}"
           "td.n{text-align:right}.unreliable{color:#c62828;font-weight:bold}.tentative{color:#a06800}"
           ".muted{color:#666}"
           "</style></head><body>", f"<h1>{e(title)}</h1>",
           f"<p>Coders: {e(', '.join(result['coders']))}. {e(selection_text(result).capitalize())}; "
           f"left out: {result['reports_excluded']}.</p>"]
    for n in result["notes"]:
        out.append(f"<p><em>{e(n)}</em></p>")
    out.append(f"<p>Bars run from -0.2 to 1; dashed lines mark {figure_text(TENTATIVE)} and "
               f"{figure_text(RELIABLE)}; the black line is the 95% bootstrap interval. "
               f"{thresholds_text()}.</p>")
    out.append("<table><tr><th>Section</th><th>Item</th><th>Measure</th><th>Value</th><th></th>"
               "<th>95% CI</th><th>n</th><th>Reading</th></tr>")
    for r in rows(result):
        ci = None if r["ci_low"] is None else [r["ci_low"], r["ci_high"]]
        ci_text = "-" if ci is None else f"{ci[0]:.3f} to {ci[1]:.3f}"
        css = r["label"] if r["label"] in _COLORS else "muted"
        out.append(f"<tr><td>{e(r['section_label'])}</td><td>{e(r['item_label'])}</td>"
                   f"<td>{e(r['measure_label'])}</td>"
                   f"<td class='n'>{_fmt(r['value'])}</td><td>{_bar(r['value'], ci, r['label'])}</td>"
                   f"<td>{ci_text}</td><td class='n'>{_fmt(r['n'])}</td>"
                   f"<td class='{css}'>{e(r['reading'])}</td></tr>")
    out.append("</table><h2>Coder pairs (span F1)</h2><table><tr><th>Span type</th><th>Measure</th>"
               "<th>Pair</th><th>F1</th></tr>")
    for p in csv_tables(result)["pairs"]:
        out.append(f"<tr><td>{e(labels.get(p['span_type'], p['span_type']))}</td>"
                   f"<td>{e(MEASURES.get(p['measure'], p['measure']))}</td>"
                   f"<td>{e(p['coder_a'])} / {e(p['coder_b'])}</td><td class='n'>{_fmt(p['value'])}</td></tr>")
    out.append("</table><h2>Span types of aligned spans (confusion)</h2><table><tr><th></th>")
    types = list(result["confusion_span_types"])
    out += [f"<th>{e(labels.get(t, t))}</th>" for t in types] + ["</tr>"]
    for a in types:
        out.append(f"<tr><th>{e(labels.get(a, a))}</th>" + "".join(
            f"<td class='n'>{result['confusion_span_types'][a].get(b, 0)}</td>" for b in types) + "</tr>")
    out.append(f"</table><h2>Disagreements ({len(result['disagreements'])})</h2><table><tr><th>Report</th>"
               "<th>Where</th><th>Kind</th><th>What</th><th>Versions</th></tr>")
    for d in result["disagreements"]:
        where = "-" if d["start"] is None else f"{d['start']}-{d['end']}"
        out.append(f"<tr><td>{e(d['report'])}</td><td>{where}</td><td>{e(kind_name(d['kind']))}</td>"
                   f"<td>{e(d.get('what') or d['detail'])}</td><td>{e(d.get('shown', ''))}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)
