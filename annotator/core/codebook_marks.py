"""What codebook upgrades left behind, read back: the marked items (``annotator codebook
marks``) and the items made under versions the current codebook cannot compare with
(``version_mix``, which agreement checks). codebook_upgrade.py makes them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from annotator.core.codebook import Codebook, parse_codebook
from annotator.core.models import (
    claim_t,
    codebook_t,
    coder_t,
    mark_t,
    report_t,
    slot_fill_t,
    span_t,
)

__all__ = ["Mark", "VersionMix", "list_marks", "version_mix"]


@dataclass(frozen=True)
class Mark:
    kind: str  # span, claim, slot_fill
    item_id: int
    report: str  # the report's external id
    coder: str
    type: str
    text: str  # the span's text, a claim's type
    reason: str
    kept: Mapping[str, Any]  # the values that left the item's attributes


def list_marks(conn: Connection) -> list[Mark]:
    """Every item an upgrade could not carry over whole, with what was kept aside."""
    out = []
    for kind, item_id, reason, kept in conn.execute(
        select(mark_t.c.kind, mark_t.c.item_id, mark_t.c.reason, mark_t.c.kept).order_by(mark_t.c.id)
    ):
        if kind == "span":
            row = conn.execute(select(report_t.c.external_id, coder_t.c.name, span_t.c.type, span_t.c.text)
                               .select_from(span_t.join(report_t).join(coder_t))
                               .where(span_t.c.id == item_id)).first()
        elif kind == "claim":
            row = conn.execute(select(report_t.c.external_id, coder_t.c.name, claim_t.c.type, claim_t.c.key)
                               .select_from(claim_t.join(report_t).join(coder_t))
                               .where(claim_t.c.id == item_id)).first()
        else:
            row = conn.execute(select(report_t.c.external_id, coder_t.c.name, claim_t.c.type, slot_fill_t.c.slot)
                               .select_from(slot_fill_t.join(claim_t).join(report_t).join(coder_t))
                               .where(slot_fill_t.c.id == item_id)).first()
        if row is None:
            continue  # the item was deleted since
        out.append(Mark(str(kind), int(item_id), str(row[0]), str(row[1]), str(row[2]), str(row[3]),
                        str(reason), dict(kept or {})))
    return out


@dataclass(frozen=True)
class VersionMix:
    current: str
    others: dict[str, int]  # codebook ref -> items made under it that the current one cannot read

    @property
    def incompatible(self) -> bool:
        return bool(self.others)

    def message(self) -> str:
        parts = ", ".join(f"{n} item(s) under {ref}" for ref, n in sorted(self.others.items()))
        return (f"the coded items were made under codebook versions that cannot be compared: "
                f"{parts}, the rest under {self.current}. Run `annotator codebook upgrade` to "
                "migrate them, or pass --across-versions to compare only what the current "
                "codebook defines")


def version_mix(conn: Connection, current: Codebook, current_id: int) -> VersionMix:
    """Items made under another codebook version that is not compatible with the current one.

    A version is compatible when going from it to the current one only adds things (no removed
    or renamed types or values, no changed levels).
    """
    stored = {int(i): (str(n), int(v), str(c)) for i, n, v, c in conn.execute(
        select(codebook_t.c.id, codebook_t.c.name, codebook_t.c.version, codebook_t.c.content))}
    others: dict[str, int] = {}
    for table in (span_t, claim_t):
        for cb, n in conn.execute(select(table.c.codebook_id, func.count())
                                  .where(table.c.codebook_id != current_id)
                                  .group_by(table.c.codebook_id)):
            if cb is None or int(cb) not in stored:
                continue
            name, version, content = stored[int(cb)]
            old = parse_codebook(json.loads(content), f"stored codebook {name}@{version}")
            if _compatible(old, current):
                continue
            ref = f"{name}@{version}"
            others[ref] = others.get(ref, 0) + int(n)
    return VersionMix(current.ref, others)


def _compatible(old: Codebook, new: Codebook) -> bool:
    for kind_old, kind_new in ((old.span_types, new.span_types), (old.claim_types, new.claim_types)):
        new_by = {t.id: t for t in kind_new}
        for ot in kind_old:
            nt = new_by.get(ot.id)
            if nt is None:
                return False
            for oa in ot.attributes:
                na = nt.attribute(oa.id)
                if na is None or na.type != oa.type or na.level != oa.level:
                    return False
                if oa.type == "enum" and tuple((na.values or ())[: len(oa.values or ())]) != tuple(oa.values or ()):
                    if not set(oa.values or ()) <= set(na.values or ()) or oa.level == "ordinal":
                        return False
    return True
