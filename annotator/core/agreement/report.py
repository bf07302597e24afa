"""The agreement figures as a terminal table, CSV tables and a self-contained HTML report."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.agreement.alpha import RELIABLE, TENTATIVE, figure_text, thresholds_text

__all__ = ["csv_tables", "html_report", "rows", "text_table", "write_csv"]

_FLAG = {"unreliable": "UNRELIABLE", "tentative": "tentative", "reliable": "", "undefined": "undefined"}


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per figure: section, item, measure, value, ci, n, label."""
    for t, e in result["spans"].items():
        for measure in ("f1_exact", "f1_overlap"):
            m = e[measure]
            yield {"section": "spans", "item": t, "measure": measure, "value": m["mean"],
                   "ci_low": None, "ci_high": None, "n": e["n"], "sd": m["sd"], "label": m["label"]}
        if "alpha_u" in e:
            a = e["alpha_u"]
            yield {"section": "spans", "item": t, "measure": "alpha_u", "value": a["alpha"],
                   "ci_low": (a["ci"] or [None])[0], "ci_high": (a["ci"] or [None, None])[1],
                   "n": a["n"], "sd": None, "label": a["label"], "reason": a.get("reason")}
    for section in ("attributes", "claims"):
        for owner, items in result[section].items():
            for name, a in items.items():
                if "alpha" not in a:
                    continue
                yield {"section": section, "item": f"{owner}.{name}",
                       "measure": f"alpha ({a.get('level', 'nominal')})", "value": a["alpha"],
                       "ci_low": (a["ci"] or [None])[0], "ci_high": (a["ci"] or [None, None])[1],
                       "n": a["n"], "sd": None, "label": a["label"], "kappa": a.get("kappa"),
                       "reason": a.get("reason")}


def text_table(result: dict[str, Any]) -> str:
    out = [
        f"coders: {', '.join(result['coders'])}; reports used (done by every compared coder): "
        f"{result['reports_used']}" + (f", left out: {result['reports_excluded']}" if result["reports_excluded"] else ""),
    ]
    out += [f"note: {n}" for n in result["notes"]]
    out.append("")
    out.append(f"{'SECTION':<11} {'ITEM':<34} {'MEASURE':<18} {'VALUE':>7} {'95% CI':>15} {'N':>7}  FLAG")
    for r in rows(result):
        ci = "-" if r["ci_low"] is None else f"{r['ci_low']:.3f}..{r['ci_high']:.3f}"
        flag = _FLAG.get(r["label"], "")
        if r.get("reason") and r["value"] is None:
            flag = f"undefined: {r['reason']}"
        if r.get("kappa") is not None:
            flag = (flag + f"  kappa={r['kappa']:.3f}").strip()
        out.append(f"{r['section']:<11} {r['item'][:34]:<34} {r['measure']:<18} {_fmt(r['value']):>7} "
                   f"{ci:>15} {_fmt(r['n']):>7}  {flag}")
    out.append("")
    counts: dict[str, int] = {}
    for d in result["disagreements"]:
        counts[d["kind"]] = counts.get(d["kind"], 0) + 1
    out.append("disagreements: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
    return "\n".join(out)


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
        "disagreements": [{**d, "coders": "|".join(d["coders"]), "values": repr(d["values"])}
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


def _bar(value: float | None, ci: list[float] | None) -> str:
    """An inline SVG bar from -0.2 to 1 with the thresholds (alpha.py) and the interval."""
    width, height = 220, 16

    def x(v: float) -> float:
        return (max(-0.2, min(1.0, v)) + 0.2) / 1.2 * width

    parts = [f'<svg width="{width}" height="{height}" role="img">',
             f'<rect x="0" y="3" width="{width}" height="10" fill="#eee"/>']
    if value is not None:
        color = "#2e7d32" if value >= RELIABLE else "#f9a825" if value >= TENTATIVE else "#c62828"
        parts.append(f'<rect x="{x(0):.1f}" y="3" width="{max(0.0, x(value) - x(0)):.1f}" height="10" fill="{color}"/>')
    if ci:
        parts.append(f'<line x1="{x(ci[0]):.1f}" x2="{x(ci[1]):.1f}" y1="8" y2="8" stroke="#000" stroke-width="1.5"/>')
    for t in (TENTATIVE, RELIABLE):
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="0" y2="16" stroke="#555" stroke-dasharray="2,2"/>')
    parts.append("</svg>")
    return "".join(parts)


def html_report(result: dict[str, Any], title: str = "Inter-coder agreement") -> str:
    e = html.escape
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title>",
           "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
           "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:14px;text-align:left}"
           "td.n{text-align:right}.unreliable{color:#c62828;font-weight:bold}.tentative{color:#a06800}"
           "</style></head><body>", f"<h1>{e(title)}</h1>",
           f"<p>Coders: {e(', '.join(result['coders']))}. Reports used (marked done by every compared coder): "
           f"{result['reports_used']}; left out: {result['reports_excluded']}.</p>"]
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
        reading = r["label"] + (f" ({r['reason']})" if r.get("reason") and r["value"] is None else "")
        if r.get("kappa") is not None:
            reading += f"; Cohen's kappa {r['kappa']:.3f}"
        out.append(f"<tr><td>{e(r['section'])}</td><td>{e(r['item'])}</td><td>{e(r['measure'])}</td>"
                   f"<td class='n'>{_fmt(r['value'])}</td><td>{_bar(r['value'], ci)}</td>"
                   f"<td>{ci_text}</td><td class='n'>{_fmt(r['n'])}</td>"
                   f"<td class='{e(r['label'])}'>{e(reading)}</td></tr>")
    out.append("</table><h2>Coder pairs (span F1)</h2><table><tr><th>Span type</th><th>Measure</th>"
               "<th>Pair</th><th>F1</th></tr>")
    for p in csv_tables(result)["pairs"]:
        out.append(f"<tr><td>{e(p['span_type'])}</td><td>{e(p['measure'])}</td>"
                   f"<td>{e(p['coder_a'])} / {e(p['coder_b'])}</td><td class='n'>{_fmt(p['value'])}</td></tr>")
    out.append("</table><h2>Span types of aligned spans (confusion)</h2><table><tr><th></th>")
    types = list(result["confusion_span_types"])
    out += [f"<th>{e(t)}</th>" for t in types] + ["</tr>"]
    for a in types:
        out.append(f"<tr><th>{e(a)}</th>" + "".join(
            f"<td class='n'>{result['confusion_span_types'][a].get(b, 0)}</td>" for b in types) + "</tr>")
    out.append(f"</table><h2>Disagreements ({len(result['disagreements'])})</h2><table><tr><th>Report</th>"
               "<th>Where</th><th>Kind</th><th>What</th><th>Values</th></tr>")
    for d in result["disagreements"]:
        where = "-" if d["start"] is None else f"{d['start']}-{d['end']}"
        out.append(f"<tr><td>{e(d['report'])}</td><td>{where}</td><td>{e(d['kind'])}</td>"
                   f"<td>{e(d['detail'])}</td><td>{e(repr(d['values']))}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)
