"""The coded dataset as tables: CSV files or one Excel workbook, with column profiles for claims.

Tables: ``claims`` (one row per claim), ``spans`` (one row per span), ``reports`` and
``codebook``. The claims table has the profiles ``native``, ``acled``, ``gtd`` and ``ucdp``, each
mapped as docs/export-formats.md says. Records are streamed from the interchange export.

Spreadsheet safety: a text cell that begins with ``=``, ``+``, ``-``, ``@`` (also after blanks or
line breaks, and in their full-width forms), a tab or a line break is written so that Excel and
LibreOffice show it as text (a leading apostrophe in CSV; an explicit string cell in xlsx) unless
``raw`` is set. Stored strings always export: lone surrogates become U+FFFD, and in xlsx the
control characters XML cannot hold become their visible symbols (textrules.cell_text).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core import values
from annotator.core.codebook import NOT_REPORTED, Codebook
from annotator.core.edtf import bounds as edtf_bounds
from annotator.core.io.atomic import part_file, private_tempdir, publish
from annotator.core.io.textrules import cell_text, formula_like, inert_cell
from annotator.core.summary import span_value

__all__ = ["PROFILES", "Cancelled", "claim_rows", "safe_text", "write_csv", "write_xlsx"]

PROFILES = ("native", "acled", "gtd", "ucdp")
Progress = Callable[[int], bool]


class Cancelled(Exception):
    """The export was cancelled; nothing was written under the target name."""


def safe_text(value: Any, raw: bool = False) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert (apostrophe prefix),
    and writable as UTF-8 (textrules.cell_text)."""
    if isinstance(value, str):
        value = cell_text(value)
    if raw:
        return value
    return inert_cell(value)


# ------------------------------------------------------------------ rows


class _Claim:
    """One claim with its slots resolved to the coder's spans."""

    def __init__(self, record: Mapping[str, Any], ann: Mapping[str, Any], claim: Mapping[str, Any],
                 codebook: Codebook) -> None:
        self.codebook = codebook
        self.report = record["report"]
        self.coder = ann["coder"]
        self.claim = claim
        self.spans = {s["id"]: s for s in ann.get("spans", [])}

    def slot(self, name: str) -> list[dict[str, Any]] | str:
        value = self.claim.get("slots", {}).get(name)
        if value == NOT_REPORTED:
            return NOT_REPORTED
        return [self.spans[s] for s in value or () if s in self.spans]

    def values(self, name: str) -> list[str]:
        got = self.slot(name)
        return [] if isinstance(got, str) else [span_value(_SpanView(s), self.codebook) for s in got]

    def first_attrs(self, name: str) -> dict[str, Any]:
        got = self.slot(name)
        return {} if isinstance(got, str) or not got else dict(got[0].get("attributes") or {})

    def counts(self) -> list[dict[str, Any]]:
        got = self.slot("casualties") or self.slot("counts")
        return [] if isinstance(got, str) else [dict(s.get("attributes") or {}) for s in got]

    def quotes(self) -> str:
        parts = []
        for name, value in self.claim.get("slots", {}).items():
            if value == NOT_REPORTED:
                parts.append(f"{name}: not reported")
                continue
            for sid in value:
                s = self.spans.get(sid)
                if s is not None:
                    parts.append(f"{name}: \u201c{s['text']}\u201d [{s['start']}-{s['end']}]")
        return "; ".join(parts)


class _SpanView:
    def __init__(self, s: Mapping[str, Any]) -> None:
        self.type, self.text, self.attributes = s["type"], s["text"], dict(s.get("attributes") or {})


def _base(c: _Claim) -> dict[str, Any]:
    r = c.report
    return {"report_id": r["id"], "report_title": r.get("title", ""), "published": _as_date(r.get("published")),
            "coder": c.coder, "claim_id": c.claim["id"], "claim_type": c.claim["type"]}


def _as_date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _native(c: _Claim, cb: Codebook) -> dict[str, Any]:
    row = _base(c)
    ct = cb.claim_type(c.claim["type"])
    for ad in ct.attributes if ct else ():
        row[ad.id] = c.claim.get("attributes", {}).get(ad.id)
    for sd in ct.slots if ct else ():
        got = c.slot(sd.id)
        if got == NOT_REPORTED:
            row[sd.id] = "not reported"
            continue
        row[sd.id] = " | ".join(c.values(sd.id))
        if sd.id == "date" and got:
            lo, hi = edtf_bounds(c.first_attrs("date").get("value"))
            row["date_start"], row["date_end"] = lo, hi
        if sd.accepts == ("casualty_count",):
            best = [a.get("count", {}).get("best") for a in c.counts()]
            row[f"{sd.id}_best_total"] = sum(b for b in best if isinstance(b, int)) if best else None
    row["evidence"] = c.quotes()
    return row


_TIME_PRECISION = {"day": 1, "week": 2}  # month, season, year -> 3
_KILLED = ("killed", "executed")


def _granularity(date: Mapping[str, Any]) -> str | None:
    """The date's granularity attribute or, when the coder left it empty, what its value covers:
    one day, up to a week, up to a month, or more."""
    gran = date.get("granularity")
    if gran:
        return str(gran)
    lo, hi = edtf_bounds(date.get("value"))
    if lo is None or hi is None:
        return None
    days = (hi - lo).days
    return "day" if days == 0 else "week" if days < 7 else "month" if days < 31 else "year"


def _persons(a: Mapping[str, Any]) -> bool:
    """A count of people (the default unit), never of operations, vehicles or the like."""
    return a.get("unit") in (None, "persons")


def _count_phrase(a: Mapping[str, Any]) -> str:
    """A count as words for the notes column: "30 killed or wounded", "up to 9 killed"."""
    n = a.get("count") or {}
    low, best, high = n.get("low"), n.get("best"), n.get("high")
    if best is not None:
        amount = str(best)
    elif low is not None and high is not None:
        amount = f"{low}-{high}"
    elif high is not None:
        amount = f"up to {high}"
    elif low is not None:
        amount = f"at least {low}"
    else:
        amount = "an unknown number"
    words = [amount, str(a.get("status") or "unspecified").replace("_", " ")]
    if not _persons(a):
        words.insert(1, str(a.get("unit")))
    return " ".join(words)


_GEO_PRECISION = {"site": 1, "place": 1, "near_place": 2, "admin3": 2, "admin2": 2}  # else 3


def _acled(c: _Claim, cb: Codebook) -> dict[str, Any]:
    date = c.first_attrs("date")
    place = c.first_attrs("location").get("place") or {}
    loc = c.first_attrs("location")
    lo, hi = edtf_bounds(date.get("value"))
    precision = _TIME_PRECISION.get(_granularity(date) or "", 3) if date else None
    # ACLED dates a week or a month by its midpoint
    event_date = lo + (hi - lo) // 2 if lo and hi and precision != 1 else lo
    fatalities = 0
    notes = []
    for a in c.counts():
        best = (a.get("count") or {}).get("best")
        if isinstance(best, int) and a.get("status") in _KILLED and _persons(a):
            fatalities += best
        else:
            notes.append(_count_phrase(a))
    return {
        **_base(c),
        "event_date": event_date,
        "time_precision": precision,
        "event_type": c.claim.get("attributes", {}).get("event_type"),
        "actor1": " | ".join(c.values("perpetrator")),
        "actor2": " | ".join(c.values("target")),
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "admin2": place.get("admin2"),
        "location": place.get("name"),
        "latitude": round(place["lat"], 4) if place.get("lat") is not None else None,
        "longitude": round(place["lon"], 4) if place.get("lon") is not None else None,
        "geo_precision": _GEO_PRECISION.get(loc.get("precision", ""), 3) if loc else None,
        "source": " | ".join(c.values("reported_by")),
        "notes": "; ".join(notes + [c.quotes()]),
        "fatalities": fatalities,
    }


def _gtd(c: _Claim, cb: Codebook) -> dict[str, Any]:
    date = c.first_attrs("date")
    lo, hi = edtf_bounds(date.get("value"))
    gran = _granularity(date)
    place = c.first_attrs("location").get("place") or {}
    nkill = nwound = nkillter = nwoundte = 0
    for a in c.counts():
        best = (a.get("count") or {}).get("best") or 0
        if not _persons(a):
            continue
        perpetrators = a.get("victim_category") == "perpetrator"
        if a.get("status") in _KILLED:
            nkill += best
            nkillter += best if perpetrators else 0
        elif a.get("status") == "wounded":
            nwound += best
            nwoundte += best if perpetrators else 0
    stance = c.claim.get("attributes", {}).get("stance")
    groups = c.values("perpetrator")
    return {
        **_base(c),
        "iyear": lo.year if lo else 0,
        "imonth": lo.month if lo and gran in ("day", "week", "month") else 0,
        "iday": lo.day if lo and gran == "day" else 0,
        "approxdate": date.get("value") if gran not in (None, "day") else None,
        "country": place.get("country"),
        "provstate": place.get("admin1"),
        "city": place.get("name"),
        "gname": groups[0] if groups else None,
        "gname2": groups[1] if len(groups) > 1 else None,
        "gname3": groups[2] if len(groups) > 2 else None,
        "claimed": 1 if stance == "claimed_responsibility" else 0,
        "nkill": nkill,
        "nkillter": nkillter,
        "nwound": nwound,
        "nwoundte": nwoundte,
        "date_end": hi if hi != lo else None,
        "summary": c.quotes(),
    }


def _ucdp(c: _Claim, cb: Codebook) -> dict[str, Any]:
    date = c.first_attrs("date")
    lo, hi = edtf_bounds(date.get("value"))
    low = best = high = 0
    for a in c.counts():
        if a.get("status") not in _KILLED or not _persons(a):
            continue
        n = a.get("count") or {}
        given = [int(v) for v in (n.get("best"), n.get("low"), n.get("high")) if isinstance(v, int)]
        b = given[0] if given else 0
        lo_v, hi_v = n.get("low"), n.get("high")
        best += b
        low += lo_v if isinstance(lo_v, int) else b
        high += hi_v if isinstance(hi_v, int) else b
    prec = {"day": 1, "week": 3, "month": 4, "season": 4, "year": 5}.get(_granularity(date) or "", 5)
    return {
        **_base(c),
        "date_start": lo,
        "date_end": hi,
        "date_prec": prec if date else None,
        "side_a": " | ".join(c.values("perpetrator")),
        "side_b": " | ".join(c.values("target")),
        "where": " | ".join(c.values("location")),
        "low": low,
        "best": best,
        "high": high,
        "source_original": " | ".join(c.values("claimant") + c.values("reported_by")),
        "source_text": c.quotes(),
    }


_PROFILE_FN = {"native": _native, "acled": _acled, "gtd": _gtd, "ucdp": _ucdp}


def claim_rows(records: Iterable[Mapping[str, Any]], codebook: Codebook, profile: str = "native") -> Iterator[dict[str, Any]]:
    """One row per claim; aggregate claims are no event rows in the acled, gtd and ucdp profiles."""
    fn = _PROFILE_FN[profile]
    for record in records:
        for ann in record.get("annotations", []):
            for claim in ann.get("claims", []):
                if profile != "native" and claim["type"] == "aggregate":
                    continue
                yield fn(_Claim(record, ann, claim, codebook), codebook)


def span_rows(records: Iterable[Mapping[str, Any]], codebook: Codebook) -> Iterator[dict[str, Any]]:
    """One row per span; each attribute flattened by its value type (annotator/core/values.py)."""
    defs = {st.id: {ad.id: ad for ad in st.attributes} for st in codebook.span_types}
    for record in records:
        r = record["report"]
        for ann in record.get("annotations", []):
            for s in ann.get("spans", []):
                row: dict[str, Any] = {"report_id": r["id"], "coder": ann["coder"], "span_id": s["id"],
                                       "type": s["type"], "start": s["start"], "end": s["end"], "text": s["text"]}
                known = defs.get(s["type"], {})
                for k, v in (s.get("attributes") or {}).items():
                    ad = known.get(k)
                    if ad is None:
                        row[k] = v  # not in the codebook: no column takes it
                    else:
                        row.update(values.flatten(ad, v))
                yield row


def span_columns(codebook: Codebook) -> list[str]:
    """The spans table's columns, from the codebook (so the table can be streamed)."""
    cols = ["report_id", "coder", "span_id", "type", "start", "end", "text"]
    for st in codebook.span_types:
        for ad in st.attributes:
            cols += [c for c in values.columns(ad) if c not in cols]
    return cols


def report_rows(records: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        r = record["report"]
        yield {"report_id": r["id"], "title": r.get("title", ""), "published": _as_date(r.get("published")),
               "source": r.get("source"), "url": r.get("url"), "language": r.get("language"),
               "characters": len(r["text"]),
               "coders": " | ".join(f"{a['coder']}: {a.get('status', 'todo')}" for a in record.get("annotations", []))}


def codebook_rows(codebook: Codebook) -> Iterator[dict[str, Any]]:
    for st in codebook.span_types:
        yield {"kind": "span type", "id": st.id, "label": st.label, "key": st.hotkey, "of": None,
               "type": None, "level": None, "values": None, "definition": st.definition}
        for ad in st.attributes:
            yield {"kind": "attribute", "id": ad.id, "label": ad.label, "key": None, "of": st.id,
                   "type": ad.type, "level": ad.level, "values": " | ".join(ad.values or ()),
                   "definition": ad.definition}
    for ct in codebook.claim_types:
        yield {"kind": "claim type", "id": ct.id, "label": ct.label, "key": ct.hotkey, "of": None,
               "type": None, "level": None, "values": None, "definition": ct.definition}
        for sd in ct.slots:
            card = f"{sd.min}..{'n' if sd.max is None else sd.max}"
            yield {"kind": "slot", "id": sd.id, "label": sd.label, "key": sd.hotkey, "of": ct.id,
                   "type": " | ".join(sd.accepts), "level": card, "values": None, "definition": sd.definition}
        for ad in ct.attributes:
            yield {"kind": "claim attribute", "id": ad.id, "label": ad.label, "key": None, "of": ct.id,
                   "type": ad.type, "level": ad.level, "values": " | ".join(ad.values or ()),
                   "definition": ad.definition}


# ------------------------------------------------------------------ writers


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for k in row:
            if k not in seen:
                seen.add(k)
                cols.append(k)
    return cols or ["empty"]


def _csv_value(v: Any, raw: bool) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    return safe_text(v, raw)


def _walk(records: Iterable[Mapping[str, Any]], codebook: Codebook, profile: str,
          progress: Progress | None, on_span: Callable[[dict[str, Any]], None]) -> dict[str, list[dict[str, Any]]]:
    """Stream the records: spans go to ``on_span`` one at a time (the big table); claims and
    reports (small: no texts) are collected so that their columns are known."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile '{profile}'; use one of {', '.join(PROFILES)}")
    claims: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    done = 0
    for record in records:
        claims.extend(claim_rows([record], codebook, profile))
        for row in span_rows([record], codebook):
            on_span(row)
        reports.extend(report_rows([record]))
        done += 1
        if progress is not None and progress(done) is False:
            raise Cancelled(f"cancelled after {done} report(s)")
    return {"claims": claims, "reports": reports, "codebook": list(codebook_rows(codebook))}


def write_csv(records: Iterable[Mapping[str, Any]], codebook: Codebook, out_dir: Path,
              profile: str = "native", raw: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """claims.csv, spans.csv, reports.csv and codebook.csv in ``out_dir`` (UTF-8 with BOM).

    The spans table is streamed; every file is written under a temporary name and moved into
    place at the end."""
    out_dir.mkdir(parents=True, exist_ok=True)
    temps: dict[str, str] = {}
    try:
        fd, temps["spans"] = part_file(out_dir, "spans.csv")
        cols = span_columns(codebook)
        n_spans = 0
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)

            position = {c: i for i, c in enumerate(cols)}
            blank: list[Any] = [""] * len(cols)

            def on_span(row: dict[str, Any]) -> None:
                # most cells of a span row are empty: fill only the ones it has
                nonlocal n_spans
                n_spans += 1
                cells = blank.copy()
                for k, v in row.items():
                    i = position.get(k)
                    if i is not None and v is not None:
                        cells[i] = v if type(v) is int else _csv_value(v, raw)
                w.writerow(cells)

            tables = _walk(records, codebook, profile, progress, on_span)
        for name, rows in tables.items():
            fd, temps[name] = part_file(out_dir, f"{name}.csv")
            tcols = _columns(rows)
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
                tw = csv.writer(fh)
                tw.writerow(tcols)
                for row in rows:
                    tw.writerow([_csv_value(row.get(c), raw) for c in tcols])
        for name, tmp in temps.items():
            publish(tmp, out_dir / f"{name}.csv")
    except BaseException:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
        raise
    return {"claims": len(tables["claims"]), "spans": n_spans, "reports": len(tables["reports"]),
            "codebook": len(tables["codebook"])}


def write_xlsx(records: Iterable[Mapping[str, Any]], codebook: Codebook, path: Path,
               profile: str = "native", raw: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """One workbook, a sheet per table: typed cells, frozen header, filters."""
    with private_tempdir(path.parent, path.name):
        return _write_xlsx(records, codebook, path, profile, raw, progress)


def _write_xlsx(records: Iterable[Mapping[str, Any]], codebook: Codebook, path: Path,
                profile: str, raw: bool, progress: Progress | None) -> dict[str, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets = {name: wb.create_sheet(name) for name in ("claims", "spans", "reports", "codebook")}

    def cell(ws: Any, v: Any) -> Any:
        if not isinstance(v, str):
            return v
        v = cell_text(v, xlsx=True)  # XML holds no control characters: their visible symbols
        if formula_like(v) and not raw:
            c = WriteOnlyCell(ws, value=v)
            c.data_type = "s"  # a string, never a formula
            c.quotePrefix = True
            return c
        return v

    def header(ws: Any, cols: list[str], n_rows: int) -> None:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, n_rows + 1)}"
        cells = []
        for c in cols:
            hc = WriteOnlyCell(ws, value=c)
            hc.font = bold
            cells.append(hc)
        ws.append(cells)

    span_cols = span_columns(codebook)
    spans_ws = sheets["spans"]
    header(spans_ws, span_cols, 1_048_575)  # the filter covers the rows to come
    n_spans = 0

    def on_span(row: dict[str, Any]) -> None:
        nonlocal n_spans
        n_spans += 1
        spans_ws.append([cell(spans_ws, row.get(c)) for c in span_cols])

    try:
        tables = _walk(records, codebook, profile, progress, on_span)
    except BaseException:
        for ws in sheets.values():  # write-only sheets hold temporary files: close them
            with contextlib.suppress(Exception):  # best effort on the way out
                ws.close()
        raise
    for name, rows in tables.items():
        ws = sheets[name]
        cols = _columns(rows)
        header(ws, cols, len(rows))
        for row in rows:
            ws.append([cell(ws, row.get(c)) for c in cols])
    fd, tmp = part_file(path.parent, path.name)
    os.close(fd)
    try:
        wb.save(tmp)
        publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"claims": len(tables["claims"]), "spans": n_spans, "reports": len(tables["reports"]),
            "codebook": len(tables["codebook"])}
