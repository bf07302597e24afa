"""The fuzzing harness shared by tests/core/test_fuzz.py (bounded, seeded) and
benchmarks/bench_fuzz.py (longer): import one hostile file into a project that already holds
coded work, and judge the outcome.

An attempt is fine when the import ends in a clean refusal (a one-line message, nothing of the
file stored) or a success; nothing already stored changed; and every export of what is stored
(JSONL, CSV, xlsx) succeeds. Anything else (an exception out of the import or an export, a
refused file that left rows behind, a changed earlier report) is a finding.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from annotator.core.models import assignment_t, claim_t, coder_t, report_t, span_t
from annotator.core.project import Project
from tests.core.helpers import minimal_pdf, record, span

BASE_TEXT = "Gunmen attacked the market in Gao on Sunday, killing 12 people.\n"
EXTENSIONS = {
    "txt": ".txt", "md": ".md", "html": ".html", "pdf": ".pdf", "docx": ".docx", "csv": ".csv",
    "tsv": ".tsv", "xlsx": ".xlsx", "jsonl": ".jsonl",
}  # fmt: skip


def _docx(paragraphs: list[str], title: str = "") -> bytes:
    import docx

    doc = docx.Document()
    doc.core_properties.title = title
    for p in paragraphs:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def seeds() -> dict[str, bytes]:
    """A valid file of every format, the start of every mutation."""
    jsonl = json.dumps(record("seed-1", BASE_TEXT.replace("Gao", "Tessit"), [
        {"coder": "amina", "status": "done", "codebook": "conflict-events@1",
         "spans": [span("s1", "actor", BASE_TEXT, "Gunmen"),
                   span("s2", "location", BASE_TEXT.replace("Gao", "Tessit"), "Tessit")],
         "claims": [{"id": "c1", "type": "attack", "slots": {"perpetrator": ["s1"]},
                     "attributes": {}}]}], metadata={"source_file": "x", "n": 3}))
    return {
        "txt": b"Attack near Menaka\n\nGunmen killed 4 soldiers near Menaka on 3 December.\n",
        "md": "# Attaque à Ménaka\n\nDes hommes armés ont tué 4 soldats.\n".encode(),
        "html": b"<html><head><title>Attack</title></head><body><nav>menu</nav><article>"
                b"<h1>Attack in Gao</h1><p>Gunmen killed 3 people.</p></article></body></html>",
        "pdf": minimal_pdf(["Attack in Kidal", "Gunmen killed 5 soldiers."]),
        "docx": _docx(["Attack in Ansongo", "Gunmen killed 6 civilians."], "Ansongo"),
        "csv": b"id,title,text,published\nc1,Attack,Gunmen killed 7 people.,2023-12-03\n"
               b"c2,Other,\"Two\nlines\",2023-12-04\n",
        "tsv": b"id\ttitle\ttext\nt1\tAttack\tGunmen killed 8 people.\n",
        "xlsx": _xlsx([["id", "title", "text", "published", "extra"],
                       ["x1", "Attack", "Gunmen killed 9 people.", "2023-12-05", 3.5]]),
        "jsonl": (jsonl + "\n").encode(),
    }


def mutate(data: bytes, rnd: random.Random, n: int) -> bytes:
    """``n`` random byte-level mutations: flips, cuts, insertions, repeats, splices of
    interesting bytes (NUL, ESC, CR, high bytes, UTF-8 of surrogates, quotes, brackets)."""
    out = bytearray(data)
    interesting = [b"\x00", b"\x1b", b"\r", b"\x0c", b"\xed\xa0\x80", b"\xff\xfe", b'"', b"{",
                   b"[", b"\\ud800", b"\n", b",", b"\t", b"=", b"\xc3", b"9" * 30]
    for _ in range(n):
        if not out:
            out += rnd.choice(interesting)
            continue
        op = rnd.randrange(6)
        i = rnd.randrange(len(out))
        if op == 0:
            out[i] ^= 1 << rnd.randrange(8)
        elif op == 1:
            del out[i : i + rnd.randint(1, 64)]
        elif op == 2:
            out[i:i] = rnd.choice(interesting)
        elif op == 3:
            j = rnd.randrange(len(out))
            out[i:i] = out[min(i, j) : max(i, j)][:4096]
        elif op == 4:
            out[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        else:
            del out[i:]
    return bytes(out)


@dataclass
class Outcome:
    kind: str  # "stored", "refused", or a finding: "traceback", "violation"
    seconds: float
    detail: str = ""


class Harness:
    """A project holding a coded report, into which hostile files are imported one by one."""

    def __init__(self, folder: Path, exports: bool = True) -> None:
        self.folder = folder
        self.exports = exports
        self.project = Project.open(folder / "fuzz.db", with_example=False)
        base = folder / "base.jsonl"
        base.write_text(json.dumps(record("base", BASE_TEXT, [
            {"coder": "lukas", "status": "done", "codebook": "conflict-events@1",
             "spans": [span("s1", "actor", BASE_TEXT, "Gunmen"),
                       span("s2", "location", BASE_TEXT, "Gao"),
                       span("s3", "casualty_count", BASE_TEXT, "killing 12 people",
                            count={"low": 12, "best": 12, "high": 12})],
             "claims": [{"id": "c1", "type": "attack",
                         "slots": {"perpetrator": ["s1"], "location": ["s2"],
                                   "casualties": ["s3"]}, "attributes": {}}]}])) + "\n", "utf-8")
        summary = self.project.import_paths([base])
        assert not summary.failed, summary.files[0].message
        self.base_id = self.project.reports()[0].id
        self.base = self._base_export()

    def close(self) -> None:
        self.project.close()

    def _base_export(self) -> str:
        return json.dumps(list(self.project.iter_export(report_ids=[self.base_id])))

    def _counts(self) -> tuple[int, ...]:
        with self.project._engine.connect() as conn:
            return tuple(
                int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (report_t, span_t, claim_t, coder_t, assignment_t)
            )

    def attempt(self, kind: str, data: bytes) -> Outcome:
        path = self.folder / f"input{EXTENSIONS[kind]}"
        path.write_bytes(data)
        before = self._counts()
        t0 = time.perf_counter()
        try:
            summary = self.project.import_paths([path])
        except Exception:  # noqa: BLE001 - the finding itself
            return Outcome("traceback", time.perf_counter() - t0, traceback.format_exc())
        seconds = time.perf_counter() - t0
        messages = [f.message for f in summary.files]
        # a message names the file on every line (a table lists each bad row on its own line)
        if any("Traceback" in m or "please report" in m for m in messages):
            return Outcome("violation", seconds, f"not a clean message: {messages!r}")
        refused = bool(summary.failed)
        if refused and self._counts() != before:
            return Outcome("violation", seconds, f"a refused file left rows: {messages!r}")
        if self._base_export() != self.base:
            return Outcome("violation", seconds, "the report stored before changed")
        if self.exports:
            problem = self.export_all()
            if problem:
                return Outcome("traceback", seconds, problem)
        return Outcome("refused" if refused else "stored", seconds, "; ".join(messages))

    def export_all(self) -> str | None:
        """Every export of what is stored; the traceback of the first that fails, else None."""
        from annotator.core.io.spreadsheet import write_csv, write_xlsx

        try:
            out = io.StringIO()
            self.project.export_jsonl(out)
            out.getvalue().encode("utf-8")
            write_csv(self.project.iter_export(), self.project.codebook, self.folder / "csv")
            write_xlsx(self.project.iter_export(), self.project.codebook, self.folder / "out.xlsx")
        except Exception:  # noqa: BLE001 - the finding itself
            return traceback.format_exc()
        return None


def codebook_attempt(data: bytes, folder: Path) -> Outcome:
    """Load a hostile codebook file: a Codebook or a CodebookError, nothing else; a codebook that
    loads also makes its manual and the xlsx codebook sheet."""
    from annotator.core.codebook import CodebookError, load_codebook
    from annotator.core.io.codebook_manual import codebook_manual
    from annotator.core.io.spreadsheet import write_xlsx

    path = folder / "codebook.json"
    path.write_bytes(data)
    t0 = time.perf_counter()
    try:
        cb = load_codebook(path)
    except CodebookError as exc:
        return Outcome("refused", time.perf_counter() - t0, str(exc).split("\n", 1)[0])
    except Exception:  # noqa: BLE001 - the finding itself
        return Outcome("traceback", time.perf_counter() - t0, traceback.format_exc())
    try:
        codebook_manual(cb, "md")
        codebook_manual(cb, "html")
        write_xlsx([], cb, folder / "cb.xlsx")
    except Exception:  # noqa: BLE001 - the finding itself
        return Outcome("traceback", time.perf_counter() - t0, traceback.format_exc())
    return Outcome("stored", time.perf_counter() - t0)


def codebook_seed() -> bytes:
    from annotator.core.codebook import load_default_codebook

    return load_default_codebook().to_json().encode("utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


Attempt = Callable[[str, bytes], Outcome]
