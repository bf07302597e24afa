"""Codebooks: the span types, claim types and attributes a project codes.

A codebook is a JSON file written by hand (format: ``schemas/codebook.schema.json``). Loading one
checks it twice: first against the JSON Schema (shape and types), then for the things a schema
cannot say (unique identifiers and hotkeys, slots accepting declared span types, min <= max, an
ordinal attribute having ordered values). Every problem is reported with its JSON path.

A codebook stored in a project is checked the same way, once per content on each machine: the
hashes of contents that passed are kept in the user cache folder, so opening a project does not
load the JSON Schema validator again (a tenth of the window's start).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import values
from annotator.core.resources import cache_dir, schemas_dir

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "ATTRIBUTE_TYPES",
    "LEVELS",
    "NOT_REPORTED",
    "AttributeDef",
    "ClaimTypeDef",
    "Codebook",
    "CodebookError",
    "CodebookIssue",
    "SlotDef",
    "SpanTypeDef",
    "check_codebook",
    "load_codebook",
    "load_default_codebook",
    "parse_codebook",
    "parse_stored_codebook",
]

ATTRIBUTE_TYPES = tuple(values.value_types())  # annotator/core/values.py owns them
LEVELS = ("nominal", "ordinal", "interval", "ratio")
NOT_REPORTED = "not_reported"
DEFAULT_CODEBOOK = "conflict-events.json"



@dataclass(frozen=True)
class CodebookIssue:
    path: str  # JSON path, e.g. "$.span_types[0].hotkey"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CodebookError(Exception):
    """A codebook that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, source: str, issues: Sequence[CodebookIssue]) -> None:
        self.source = source
        self.issues = list(issues)
        lines = "\n".join(f"  {i}" for i in self.issues)
        super().__init__(f"{source}: {len(self.issues)} problem(s) in the codebook\n{lines}")


@dataclass(frozen=True)
class AttributeDef:
    id: str
    label: str
    type: str
    level: str
    values: tuple[str, ...] | None = None
    pattern: str | None = None
    required: bool = False
    definition: str | None = None
    value_labels: Mapping[str, str] = field(default_factory=dict)
    examples: tuple[str, ...] = ()

    def check(self, value: Any) -> str | None:
        """Return why ``value`` is not a valid value of this attribute, or None (the rule of
        its value type in annotator/core/values.py: the same at import and in the form)."""
        return values.check(self, value)


@dataclass(frozen=True)
class SpanTypeDef:
    id: str
    label: str
    color: str
    hotkey: str | None
    attributes: tuple[AttributeDef, ...] = ()
    definition: str | None = None
    examples: tuple[str, ...] = ()

    def attribute(self, attribute_id: str) -> AttributeDef | None:
        return next((a for a in self.attributes if a.id == attribute_id), None)


@dataclass(frozen=True)
class SlotDef:
    id: str
    label: str
    accepts: tuple[str, ...]
    min: int = 0
    max: int | None = None
    hotkey: str | None = None
    definition: str | None = None


@dataclass(frozen=True)
class ClaimTypeDef:
    id: str
    label: str
    hotkey: str | None
    slots: tuple[SlotDef, ...] = ()
    attributes: tuple[AttributeDef, ...] = ()
    definition: str | None = None
    examples: tuple[str, ...] = ()

    def slot(self, slot_id: str) -> SlotDef | None:
        return next((s for s in self.slots if s.id == slot_id), None)

    def attribute(self, attribute_id: str) -> AttributeDef | None:
        return next((a for a in self.attributes if a.id == attribute_id), None)


@dataclass(frozen=True)
class Codebook:
    id: str
    version: int
    title: str
    span_types: tuple[SpanTypeDef, ...]
    claim_types: tuple[ClaimTypeDef, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ref(self) -> str:
        """``id@version``, the name interchange files and projects record."""
        return f"{self.id}@{self.version}"

    def span_type(self, type_id: str) -> SpanTypeDef | None:
        return next((t for t in self.span_types if t.id == type_id), None)

    def claim_type(self, type_id: str) -> ClaimTypeDef | None:
        return next((t for t in self.claim_types if t.id == type_id), None)

    def to_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False, indent=2)

    # -- validation of coded data ---------------------------------------------------------

    def check_span(self, type_id: str, attributes: Mapping[str, Any]) -> list[str]:
        st = self.span_type(type_id)
        if st is None:
            known = ", ".join(t.id for t in self.span_types)
            return [f"unknown span type '{type_id}' (the codebook {self.ref} has: {known})"]
        return _check_attributes(st.attributes, attributes, f"span type '{type_id}'")

    def check_claim(
        self,
        type_id: str,
        slots: Mapping[str, Any],
        attributes: Mapping[str, Any],
        span_types: Mapping[str, str],
    ) -> list[str]:
        """Check a claim; ``span_types`` maps the span ids its slots may name to their types.

        Minimum slot counts are not enforced here: a claim is built one slot at a time and an
        unfinished claim must be storable. :meth:`missing_slots` says what is still missing.
        """
        ct = self.claim_type(type_id)
        if ct is None:
            known = ", ".join(t.id for t in self.claim_types) or "none"
            return [f"unknown claim type '{type_id}' (the codebook {self.ref} has: {known})"]
        problems = _check_attributes(ct.attributes, attributes, f"claim type '{type_id}'")
        for slot_id, value in slots.items():
            sd = ct.slot(slot_id)
            if sd is None:
                problems.append(f"claim type '{type_id}' has no slot '{slot_id}'")
                continue
            if value == NOT_REPORTED:
                continue
            if not isinstance(value, list | tuple):
                problems.append(f"slot '{slot_id}' must be a list of span ids or 'not_reported'")
                continue
            if sd.max is not None and len(value) > sd.max:
                problems.append(
                    f"slot '{slot_id}' takes at most {sd.max} span(s), got {len(value)}"
                )
            for sid in value:
                st = span_types.get(sid)
                if st is not None and st not in sd.accepts:
                    problems.append(
                        f"slot '{slot_id}' accepts {', '.join(sd.accepts)}, not span {sid} ({st})"
                    )
        return problems

    def missing_slots(self, type_id: str, slots: Mapping[str, Any]) -> list[str]:
        """Slots that still need a span (below their minimum and not marked not reported)."""
        ct = self.claim_type(type_id)
        if ct is None:
            return []
        out = []
        for sd in ct.slots:
            value = slots.get(sd.id)
            if value == NOT_REPORTED:
                continue
            if len(value or ()) < sd.min:
                out.append(sd.id)
        return out


def _check_attributes(
    defs: Sequence[AttributeDef], attributes: Mapping[str, Any], where: str
) -> list[str]:
    problems = []
    by_id = {a.id: a for a in defs}
    for key, value in attributes.items():
        ad = by_id.get(key)
        if ad is None:
            problems.append(f"{where} has no attribute '{key}'")
            continue
        if value is None:
            continue
        why = ad.check(value)
        if why:
            problems.append(f"attribute '{key}': {why}")
    return problems


# ------------------------------------------------------------------ loading


@cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    schema = json.loads((schemas_dir() / "codebook.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _json_path(parts: Sequence[Any]) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def check_codebook(data: Any) -> list[CodebookIssue]:
    """Every problem in a codebook document, each with its JSON path (empty if it is usable)."""
    try:
        issues = [
            CodebookIssue(_json_path(e.absolute_path), e.message)
            for e in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
        ]
    except RecursionError:
        return [CodebookIssue("$", "the JSON nests too deeply")]
    if issues:
        return issues  # the semantic checks below assume the shape is right
    issues += _check_characters(data)
    if issues:
        return issues
    span_ids: dict[str, int] = {}
    keys: dict[str, str] = {}

    def hotkey(key: Any, path: str) -> None:
        if key is None:
            return
        if key in keys:
            issues.append(CodebookIssue(path, f"hotkey '{key}' is already used by {keys[key]}"))
        else:
            keys[key] = path

    for i, st in enumerate(data["span_types"]):
        path = f"$.span_types[{i}]"
        if st["id"] in span_ids:
            issues.append(CodebookIssue(f"{path}.id", f"span type id '{st['id']}' is used twice"))
        span_ids[st["id"]] = i
        hotkey(st.get("hotkey"), f"{path}.hotkey")
        issues += _check_attribute_defs(st.get("attributes", []), path)
    claim_ids: set[str] = set()
    for i, ct in enumerate(data.get("claim_types", [])):
        path = f"$.claim_types[{i}]"
        if ct["id"] in claim_ids:
            issues.append(CodebookIssue(f"{path}.id", f"claim type id '{ct['id']}' is used twice"))
        claim_ids.add(ct["id"])
        hotkey(ct.get("hotkey"), f"{path}.hotkey")
        slot_ids: set[str] = set()
        slot_keys: dict[str, str] = {}
        for j, sd in enumerate(ct.get("slots", [])):
            spath = f"{path}.slots[{j}]"
            if sd["id"] in slot_ids:
                issues.append(CodebookIssue(f"{spath}.id", f"slot id '{sd['id']}' is used twice"))
            slot_ids.add(sd["id"])
            for k, acc in enumerate(sd["accepts"]):
                if acc not in span_ids:
                    issues.append(
                        CodebookIssue(f"{spath}.accepts[{k}]", f"'{acc}' is not a span type id")
                    )
            mx = sd.get("max")
            if mx is not None and mx < sd.get("min", 0):
                issues.append(CodebookIssue(f"{spath}.max", f"max {mx} is below min {sd['min']}"))
            sk = sd.get("hotkey")
            if sk is not None:
                if sk in slot_keys:
                    issues.append(
                        CodebookIssue(f"{spath}.hotkey", f"slot hotkey '{sk}' is used twice")
                    )
                slot_keys[sk] = spath
        issues += _check_attribute_defs(ct.get("attributes", []), path)
    return issues


def _check_attribute_defs(attrs: Sequence[Mapping[str, Any]], parent: str) -> list[CodebookIssue]:
    issues = []
    seen: set[str] = set()
    for k, a in enumerate(attrs):
        path = f"{parent}.attributes[{k}]"
        if a["id"] in seen:
            issues.append(CodebookIssue(f"{path}.id", f"attribute id '{a['id']}' is used twice"))
        seen.add(a["id"])
        if a["type"] == "enum":
            values = a.get("values")
            if not values:
                issues.append(CodebookIssue(f"{path}.values", "an enum attribute needs values"))
            elif len(set(values)) != len(values):
                issues.append(CodebookIssue(f"{path}.values", "values must be unique"))
        elif "values" in a:
            issues.append(CodebookIssue(f"{path}.values", "only enum attributes take values"))
        level = a.get("level")
        if level in ("interval", "ratio") and a["type"] in (
            "enum",
            "text",
            "place",
            "actor",
            "boolean",
        ):
            issues.append(
                CodebookIssue(f"{path}.level", f"a {a['type']} attribute cannot be {level}")
            )
        pattern = a.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                issues.append(CodebookIssue(f"{path}.pattern", f"not a regular expression: {exc}"))
            except (OverflowError, RecursionError, MemoryError):  # a{99999999999}, deep nesting
                issues.append(CodebookIssue(f"{path}.pattern", "the regular expression is too large"))
    return issues


# names shown on one line (in the palette, menus, table headers); everything else is free text
_LINE_KEYS = frozenset({"id", "label", "title", "hotkey", "color", "accepts", "values", "type",
                        "level"})


def _check_characters(data: Any) -> list[CodebookIssue]:
    """The rule at the door (annotator.core.io.textrules) for every string of the codebook."""
    from annotator.core.io import textrules

    issues: list[CodebookIssue] = []
    stack: list[tuple[Any, str, str, int]] = [(data, "$", textrules.VALUE, 0)]
    while stack:
        item, path, kind, depth = stack.pop()
        if depth > textrules.MAX_DEPTH:
            issues.append(CodebookIssue(path, f"nested more than {textrules.MAX_DEPTH} levels"))
            continue
        if isinstance(item, str):
            why = textrules.problem(item, kind)
            if why:
                issues.append(CodebookIssue(path, why))
        elif isinstance(item, dict):
            for key, sub in item.items():
                why = textrules.problem(key, textrules.LINE)
                if why:
                    issues.append(CodebookIssue(f"{path} (key {key!r})", why))
                    continue
                sub_kind = textrules.LINE if key in _LINE_KEYS else kind
                stack.append((sub, f"{path}.{key}", sub_kind, depth + 1))
        elif isinstance(item, list):
            stack.extend((sub, f"{path}[{i}]", kind, depth + 1) for i, sub in enumerate(item))
    return sorted(issues, key=lambda i: i.path)


_DEFAULT_LEVEL = {
    "enum": "nominal",
    "text": "nominal",
    "integer": "ratio",
    "number": "interval",
    "boolean": "nominal",
    "count": "ratio",
    "date": "interval",
    "place": "nominal",
    "actor": "nominal",
}

_PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def _attribute(a: Mapping[str, Any]) -> AttributeDef:
    return AttributeDef(
        id=a["id"],
        label=a.get("label") or a["id"].replace("_", " "),
        type=a["type"],
        level=a.get("level") or _DEFAULT_LEVEL[a["type"]],
        values=tuple(a["values"]) if "values" in a else None,
        pattern=a.get("pattern"),
        required=bool(a.get("required", False)),
        definition=a.get("definition"),
        value_labels=dict(a.get("value_labels", {})),
        examples=tuple(a.get("examples", [])),
    )


def parse_codebook(data: Any, source: str) -> Codebook:
    """Build a Codebook from a parsed JSON document; raise CodebookError listing every problem."""
    issues = check_codebook(data)
    if issues:
        raise CodebookError(source, issues)
    return _build(data)


def _checked_key(content: str) -> str:
    """The hash of a codebook content together with the schema and the rules it passed."""
    h = hashlib.sha256()
    for part in ((schemas_dir() / "codebook.schema.json").read_bytes(),
                 Path(__file__).read_bytes(), content.encode("utf-8")):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _checked_file() -> Path:
    return cache_dir() / "checked-codebooks.txt"


def parse_stored_codebook(content: str, source: str) -> Codebook:
    """A codebook as a project stores it (JSON text). It is checked in full unless this very
    content passed the same checks on this machine before; a content that passes is remembered."""
    data = json.loads(content)
    try:
        key: str | None = _checked_key(content)
    except OSError:  # a bundle without the sources: always checked
        key = None
    try:
        seen = _checked_file().read_text(encoding="ascii").split() if key else []
    except (OSError, UnicodeDecodeError):
        seen = []
    if key is not None and key in seen:
        return _build(data)
    cb = parse_codebook(data, source)
    if key is not None:
        try:
            path = _checked_file()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="ascii") as f:
                f.write(key + "\n")
        except OSError:
            pass  # a read-only cache: the next open checks again
    return cb


def _build(data: Any) -> Codebook:
    span_types = tuple(
        SpanTypeDef(
            id=st["id"],
            label=st.get("label") or st["id"],
            color=st.get("color") or _PALETTE[i % len(_PALETTE)],
            hotkey=st.get("hotkey"),
            attributes=tuple(_attribute(a) for a in st.get("attributes", [])),
            definition=st.get("definition"),
            examples=tuple(st.get("examples", [])),
        )
        for i, st in enumerate(data["span_types"])
    )
    claim_types = tuple(
        ClaimTypeDef(
            id=ct["id"],
            label=ct.get("label") or ct["id"],
            hotkey=ct.get("hotkey"),
            slots=tuple(
                SlotDef(
                    id=sd["id"],
                    label=sd.get("label") or sd["id"].replace("_", " "),
                    accepts=tuple(sd["accepts"]),
                    min=sd.get("min", 0),
                    max=sd.get("max"),
                    hotkey=sd.get("hotkey"),
                    definition=sd.get("definition"),
                )
                for sd in ct.get("slots", [])
            ),
            attributes=tuple(_attribute(a) for a in ct.get("attributes", [])),
            definition=ct.get("definition"),
            examples=tuple(ct.get("examples", [])),
        )
        for ct in data.get("claim_types", [])
    )
    return Codebook(
        id=data["id"],
        version=data["version"],
        title=data.get("title") or data["id"],
        span_types=span_types,
        claim_types=claim_types,
        raw=data,
    )


def read_codebook_json(path: Path) -> Any:
    """Parse a codebook file; JSON syntax errors become a CodebookError naming line and column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CodebookError(
            str(path), [CodebookIssue("$", f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise CodebookError(str(path), [CodebookIssue("$", "the JSON nests too deeply")]) from None
    except UnicodeDecodeError as exc:
        raise CodebookError(
            str(path), [CodebookIssue("$", f"not UTF-8 text (byte {exc.start})")]
        ) from None
    except json.JSONDecodeError as exc:
        raise CodebookError(
            str(path),
            [
                CodebookIssue(
                    "$", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
                )
            ],
        ) from None


def load_codebook(path: str | Path) -> Codebook:
    """A codebook file: our JSON, or a REFI-QDA codebook (``.qdc``, or the CodeBook inside a
    ``.qdpx`` project) read by annotator/core/io/qdc.py."""
    p = Path(path)
    if p.suffix.lower() in (".qdc", ".qdpx"):
        from annotator.core.io.qdc import read_qdc_codebook

        return parse_codebook(read_qdc_codebook(p), str(p))
    return parse_codebook(read_codebook_json(p), str(p))


def load_default_codebook() -> Codebook:
    return load_codebook(schemas_dir() / DEFAULT_CODEBOOK)
