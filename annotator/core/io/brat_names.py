"""The names brat writes for a codebook's ids, and the sidecar's file name and format (shared by
brat_read and brat_write; brat_format.py says what maps to what)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from annotator.core.codebook import Codebook

SIDECAR = "annotator.json"
SIDECAR_FORMAT = "annotator-brat-sidecar"


class BratNames:
    """The names brat writes for a codebook's ids, and its kinds of claim."""

    def __init__(self, codebook: Codebook | None) -> None:
        raw = codebook.raw if codebook is not None else {}
        b = raw.get("brat") if isinstance(raw, Mapping) else None
        self.codebook = codebook
        self.native = codebook is not None and not isinstance(b, Mapping)
        b = b if isinstance(b, Mapping) else {}
        self.conf_text: str | None = b.get("conf") if isinstance(b.get("conf"), str) else None
        self.span_name: dict[str, str] = dict(b.get("span_types") or {})
        self.triggers: set[str] = set(b.get("triggers") or [])
        self.claims: dict[str, dict[str, Any]] = dict(b.get("claim_types") or {})
        self.slot_role: dict[str, dict[str, str]] = {k: dict(v) for k, v in (b.get("slots") or {}).items()}
        self.attr_name: dict[str, str] = dict(b.get("attributes") or {})
        self.span_by_name = {v: k for k, v in self.span_name.items()}
        self.event_by_name = {v["name"]: k for k, v in self.claims.items() if v.get("kind") == "event"}
        self.relation_by_name = {v["name"]: k for k, v in self.claims.items() if v.get("kind") == "relation"}
        self.attr_by_name = {v: k for k, v in self.attr_name.items()}

    def span_type(self, name: str) -> str | None:
        if self.codebook is None:
            return name
        sid = self.span_by_name.get(name, name)
        return sid if self.codebook.span_type(sid) is not None else None

    def claim_type(self, name: str, kind: str) -> str | None:
        if self.codebook is None:
            return name
        by = self.event_by_name if kind == "event" else self.relation_by_name
        cid = by.get(name, name)
        return cid if self.codebook.claim_type(cid) is not None else None

    def kind(self, claim_type: str) -> dict[str, Any]:
        return self.claims.get(claim_type) or {"name": claim_type, "kind": "event"}

    def slot(self, claim_type: str, role: str) -> str | None:
        """The slot of ``role`` ("Theme2" is the second span of "Theme" unless a slot is called
        so); None if the claim type has no such slot."""
        roles = {v: k for k, v in self.slot_role.get(claim_type, {}).items()}
        if self.codebook is None:
            return roles.get(role) or (role if role in ("Arg1", "Arg2") else
                                       re.sub(r"(?<=\D)\d+$", "", role))
        ct = self.codebook.claim_type(claim_type)
        for name in (role, re.sub(r"(?<=\D)\d+$", "", role)):
            sid = roles.get(name, name)
            if ct is not None and ct.slot(sid) is not None:
                return sid
        return None

    def attr(self, name: str) -> str:
        return self.attr_by_name.get(name, name)
