"""Small builders for interchange records used by several core tests (texts written here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def span(sid: str, type_: str, text: str, needle: str, nth: int = 1, **attributes: Any) -> dict[str, Any]:
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return {
        "id": sid,
        "type": type_,
        "start": pos,
        "end": pos + len(needle),
        "text": needle,
        "attributes": attributes,
    }


def record(rid: str, text: str, annotations: list[dict[str, Any]] | None = None, **report: Any) -> dict[str, Any]:
    rep = {"id": rid, "title": report.pop("title", rid), "text": text, **report}
    return {"report": rep, "annotations": annotations or []}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
