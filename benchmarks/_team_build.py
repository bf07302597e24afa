"""Build a team-scale project (issue 16): N reports x 3 coders x 30 spans each, two attack claims
per coder and report with their slot fills, and each coder's assignment and status, through
SQLAlchemy Core bulk inserts on SQLite and COPY on PostgreSQL. Report texts carry their real SHA-256
(opening a project verifies a sample) and every span's text is the report's text at its offsets.

The coders mostly agree, as real coders do: now and then a boundary moves, a type or a value
differs, a span is missing or added, a claim slot points at another span. Actor names, places,
dates and counts come from pools large enough that the claim slots and the name attributes have
tens of thousands of distinct values, the case that made a V x V coincidence matrix explode.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report_text, text_sha256  # noqa: E402

CODERS = ("amina", "bob", "kim")
TEXT_LEN = 2600
STEP = 85  # one span per STEP characters: 30 spans fit a TEXT_LEN text
CHUNK = 500  # reports per transaction

_CB = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "conflict-events.json")
                 .read_text(encoding="utf-8"))


def _enum(type_id: str, attr: str) -> list[str]:
    for t in [*_CB["span_types"], *_CB["claim_types"]]:
        if t["id"] == type_id:
            for a in t.get("attributes", []):
                if a["id"] == attr:
                    return list(a["values"])
    raise KeyError(f"{type_id}.{attr}")


ACTOR_TYPES = _enum("actor", "actor_type")
PRECISIONS = _enum("location", "precision")
RELATIONS = _enum("location", "relation")
GRANULARITIES = _enum("date", "granularity")
ANCHORS = _enum("date", "anchor")
STATUSES = _enum("casualty_count", "status")
KINDS = _enum("casualty_count", "quantity_kind")
VICTIMS = _enum("casualty_count", "victim_category")
EVENT_TYPES = _enum("attack", "event_type")
STANCES = _enum("attack", "stance")
TYPES = ("actor", "actor", "location", "date", "casualty_count")


def _attributes(rnd: random.Random, t: str) -> dict[str, Any]:
    if t == "actor":
        return {"canonical_name": f"Actor {rnd.randrange(20_000)}",
                "actor_type": rnd.choice(ACTOR_TYPES), "country": rnd.choice(("NE", "ML", "BF"))}
    if t == "location":
        return {"place": {"name": f"Place {rnd.randrange(20_000)}", "country": "NE"},
                "precision": rnd.choice(PRECISIONS), "relation": rnd.choice(RELATIONS)}
    if t == "date":
        return {"value": f"{rnd.randrange(2015, 2025)}-{rnd.randrange(1, 13):02d}-"
                         f"{rnd.randrange(1, 29):02d}",
                "granularity": rnd.choice(GRANULARITIES), "anchor": rnd.choice(ANCHORS)}
    return {"count": {"best": rnd.randrange(1, 600)}, "status": rnd.choice(STATUSES),
            "quantity_kind": rnd.choice(KINDS), "victim_category": rnd.choice(VICTIMS),
            "unit": "persons"}


def _report_rows(first: int, n: int, now: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(first, first + n):
        text = report_text(i, TEXT_LEN)
        rows.append({"external_id": f"r{i:06d}", "title": f"Report {i}", "text": text,
                     "sha256": text_sha256(text), "imported_at": now, "meta": {},
                     "published": "2024-06-01", "source": "bench"})
    return rows


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the open transaction: on
    PostgreSQL with COPY (an executemany sent every row as its own statement: 17 reports a
    second), elsewhere as SQLAlchemy Core's executemany. Python-side scalar defaults of the
    columns not given are filled in here (COPY knows only the server's)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    from psycopg import sql

    names = list(rows[0])
    extra = {c.name: c.default.arg for c in table.c
             if c.name not in names and c.server_default is None and c.default is not None
             and c.default.is_scalar}
    missing = [c.name for c in table.c if c.name not in names and c.name not in extra
               and c.server_default is None and c.default is not None]
    if missing:
        raise SystemExit(f"{table.name}: no value for {missing} (a Python-side callable default)")
    cols = [*names, *extra]
    json_cols = {c.name for c in table.c if c.type.__class__.__name__ == "JSON"}
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in cols))
    fixed = list(extra.values())
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_cols and row[c] is not None
                            else row[c] for c in names] + fixed)


def build(target: str, n_reports: int, per_coder: int = 30, seed: int = 1) -> dict[str, int]:
    """Fill a new project at ``target`` (a path or URL); returns what it wrote."""
    from sqlalchemy import func, select

    from annotator.core.models import (
        assignment_t,
        claim_t,
        report_t,
        slot_fill_t,
        span_t,
        utcnow,
    )
    from annotator.core.project import Project

    rnd = random.Random(seed)
    project = Project.open(target, with_example=False, starter_actors=False)
    with project._engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(report_t)).scalar_one():
            raise SystemExit(f"{target} already holds reports: build into a new project")
    cids = [project.coder_id(c, create=True) for c in CODERS]
    cb_id = project.codebook_id
    engine = project._engine
    now = utcnow()
    next_id = {"report": 1, "span": 1, "claim": 1}
    counts = {"reports": 0, "spans": 0, "claims": 0, "slot_fills": 0, "assignments": 0}
    t0 = time.perf_counter()
    for first in range(0, n_reports, CHUNK):
        n = min(CHUNK, n_reports - first)
        reports = _report_rows(first, n, now)
        with engine.begin() as conn:
            # ids given here, not returned by the database: inserts without RETURNING are the
            # fastest bulk path on both databases (the sequences are set at the end)
            rids = list(range(next_id["report"], next_id["report"] + n))
            next_id["report"] += n
            for rid, rep in zip(rids, reports, strict=True):
                rep["id"] = rid
            _insert(conn, report_t, reports)
            spans: list[dict[str, Any]] = []
            plans: list[tuple[int, int, list[tuple[str, str]]]] = []  # rid, cid, [(key, type)]
            assigns = []
            for rid, rep in zip(rids, reports, strict=True):
                text = rep["text"]
                base = []
                for k in range(per_coder):
                    t = rnd.choice(TYPES)
                    start = k * STEP + rnd.randrange(0, 20)
                    base.append((start, start + rnd.randrange(4, 40), t, _attributes(rnd, t)))
                all_done = rnd.random() < 0.92
                for ci, cid in enumerate(cids):
                    status = "done" if all_done else rnd.choice(("todo", "in_progress", "done"))
                    assigns.append({"report_id": rid, "coder_id": cid, "status": status,
                                    "created_at": now, "updated_at": now})
                    if status == "todo":
                        continue
                    mine: list[tuple[str, str]] = []
                    for k, (start, end, t, attrs) in enumerate(base):
                        if ci and rnd.random() < 0.03:
                            continue  # this coder missed it
                        if ci and rnd.random() < 0.1:
                            start = max(0, start + rnd.choice((-2, 1, 3)))
                        if ci and rnd.random() < 0.04:
                            t = rnd.choice(TYPES)
                            attrs = _attributes(rnd, t)
                        elif ci and rnd.random() < 0.1:
                            attrs = _attributes(rnd, t)
                        key = f"s{k + 1}"
                        mine.append((key, t))
                        spans.append({"report_id": rid, "coder_id": cid, "key": key, "type": t,
                                      "start": start, "end": end, "text": text[start:end],
                                      "attributes": attrs, "codebook_id": cb_id,
                                      "created_at": now, "updated_at": now})
                    if ci and rnd.random() < 0.3:  # an extra span of this coder's own
                        start = rnd.randrange(0, TEXT_LEN - 50)
                        t = rnd.choice(TYPES)
                        mine.append((f"x{ci}", t))
                        spans.append({"report_id": rid, "coder_id": cid, "key": f"x{ci}",
                                      "type": t, "start": start, "end": start + 12,
                                      "text": text[start:start + 12],
                                      "attributes": _attributes(rnd, t), "codebook_id": cb_id,
                                      "created_at": now, "updated_at": now})
                    plans.append((rid, cid, mine))
            span_ids = list(range(next_id["span"], next_id["span"] + len(spans)))
            next_id["span"] += len(spans)
            for sp, sid in zip(spans, span_ids, strict=True):
                sp["id"] = sid
            _insert(conn, span_t, spans)
            id_of: dict[tuple[int, int, str], int] = {
                (s["report_id"], s["coder_id"], s["key"]): sid
                for s, sid in zip(spans, span_ids, strict=True)}
            claims: list[dict[str, Any]] = []
            claim_slots: list[list[tuple[str, int | None]]] = []
            for rid, cid, mine in plans:
                by_type: dict[str, list[str]] = {}
                for key, t in mine:
                    by_type.setdefault(t, []).append(key)
                for c in range(2):
                    fills: list[tuple[str, int | None]] = []
                    for slot, t, pick in (("perpetrator", "actor", c), ("target", "actor", c + 1),
                                          ("location", "location", c), ("date", "date", c),
                                          ("casualties", "casualty_count", c)):
                        keys = by_type.get(t, [])
                        if rnd.random() < 0.05:
                            pick += 1  # another span as the evidence
                        if keys:
                            fills.append((slot, id_of[(rid, cid, keys[pick % len(keys)])]))
                        else:
                            fills.append((slot, None))  # not reported
                    claims.append({"report_id": rid, "coder_id": cid, "key": f"c{c + 1}",
                                   "type": "attack", "codebook_id": cb_id,
                                   "attributes": {"event_type": EVENT_TYPES[(rid + c) % 3]
                                                  if rnd.random() < 0.9
                                                  else rnd.choice(EVENT_TYPES),
                                                  "stance": rnd.choice(STANCES[:2])},
                                   "created_at": now, "updated_at": now})
                    claim_slots.append(fills)
            claim_ids = list(range(next_id["claim"], next_id["claim"] + len(claims)))
            next_id["claim"] += len(claims)
            for cl, clid in zip(claims, claim_ids, strict=True):
                cl["id"] = clid
            _insert(conn, claim_t, claims)
            fill_rows = [{"claim_id": clid, "slot": slot, "position": 0, "span_id": sid,
                          "not_reported": sid is None}
                         for clid, fills in zip(claim_ids, claim_slots, strict=True)
                         for slot, sid in fills]
            _insert(conn, slot_fill_t, fill_rows)
            _insert(conn, assignment_t, assigns)
        counts["reports"] += n
        counts["spans"] += len(spans)
        counts["claims"] += len(claims)
        counts["slot_fills"] += len(fill_rows)
        counts["assignments"] += len(assigns)
        if first // CHUNK % 10 == 0:
            print(f"   built {first + n:,} reports, {counts['spans']:,} spans "
                  f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("report", "span", "claim"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    project.close()
    return counts
