"""brat's annotation.conf, read as brat reads it, and the codebook made from it.

The reading follows brat's own rules (server/src/projectconfig.py): sections ``[entities]`` (or
``[spans]``), ``[relations]``, ``[events]``, ``[attributes]``; ``#`` starts a comment line only
at the start of a line; a line of hyphens is a separator; ``<NAME>=value`` defines a macro for
the rest of its section; indentation makes a hierarchy whose ``!`` types cannot be annotated
and whose ``<INHERIT>`` copies the parent's arguments; ``Type|alias|...`` stores the first name
(made of ``[A-Za-z0-9_-]``, other characters become ``_``) and shows the others; a role takes
``?`` (0-1), ``*`` (0-n), ``+`` (1-n), ``{n}`` (exactly n) or ``{n-m}``; ``<REL-TYPE>:symmetric-
transitive`` (or a relation called ``Equiv``) makes an equivalence. ``ENTITY-NESTING`` and
``<OVERLAP>`` only say which spans may overlap and are no annotation types.

The codebook: each entity type is a span type; each event type is a span type for its trigger
and a claim type whose slot ``trigger`` holds it, beside one slot per role; each relation type
is a claim type with its roles (``Arg1``, ``Arg2`` as the conf names them); attributes become
enum (with ``Value:``) or boolean attributes of the span or claim types they name. Every type
also gets the text attributes that keep the rest of a brat file: ``note`` (AnnotatorNotes),
``brat_notes`` (notes of other kinds), ``brat_norm`` (N lines), and claims ``brat_event_args``
(which event an argument names when two events share a trigger). The conf itself is kept in
the codebook and written back unchanged on export.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.naming import first_free

__all__ = [
    "BOOKKEEPING",
    "BratConf",
    "ConfError",
    "TypeDef",
    "codebook_from_brat_conf",
    "codebook_from_conf",
    "find_conf",
    "parse_conf",
    "read_conf",
]

_RESERVED = {
    "ANY", "ENTITY", "RELATION", "EVENT", "NONE", "EMPTY", "REL-TYPE", "URL", "URLBASE",
    "GLYPH-POS", "DEFAULT", "NORM", "OVERLAP", "OVL-TYPE", "INHERIT",
}
_SPECIAL_RELATIONS = {"ENTITY-NESTING", "<OVERLAP>"}
_SECTIONS = {"entities", "relations", "events", "attributes"}
# attributes every brat-made type carries, so nothing of a brat file is dropped
BOOKKEEPING = ("note", "brat_notes", "brat_norm", "brat_event_args")
TRIGGER_SLOT = "trigger"


class ConfError(ValueError):
    """An annotation.conf brat itself would not load: the file, the line and the reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}{f':{line}' if line else ''}: {reason}")


@dataclass
class ArgDef:
    role: str
    min: int
    max: int | None  # None: any number
    types: list[str]


@dataclass
class TypeDef:
    name: str  # the storage form, as .ann files write it
    aliases: list[str]
    section: str
    line: int
    unused: bool = False
    args: list[ArgDef] = field(default_factory=list)
    special: dict[str, list[str]] = field(default_factory=dict)
    children: list[TypeDef] = field(default_factory=list)

    @property
    def symmetric(self) -> bool:
        rel = self.special.get("<REL-TYPE>")
        return "symmetric" in rel if rel is not None else self.name == "Equiv"


@dataclass
class BratConf:
    text: str
    entities: list[TypeDef]
    relations: list[TypeDef]
    events: list[TypeDef]
    attributes: list[TypeDef]


def _storage_form(term: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "_", term.replace(" ", "_"))


def _parse_arg(text: str, where: tuple[str, int], section: str) -> tuple[str, ArgDef | None, list[str]]:
    m = re.match(r"^(\S*?):(\S*)$", text)
    if not m:
        raise ConfError(*where, f"cannot read the argument {text!r} (ROLE:TYPE expected)")
    key, types = m.groups()
    if key in {f"<{n}>" for n in _RESERVED}:
        return key, None, types.split("-") if key == "<REL-TYPE>" else [types]
    m = re.match(r"^(\S+?)(\{\S+\}|\?|\*|\+|)$", key)
    if not m:
        raise ConfError(*where, f"cannot read the role {key!r}")
    role, rep = m.groups()
    lo, hi = {"": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}.get(rep, (-1, -1))
    if lo < 0:
        r = re.fullmatch(r"\{(\d{1,6})(?:-(\d{1,6}))?\}", rep)
        if not r:
            raise ConfError(*where, f"cannot read the repetition {rep!r} of {role!r} "
                                    "(brat takes {N} or {MIN-MAX})")
        lo = int(r.group(1))
        hi = int(r.group(2)) if r.group(2) is not None else lo
        if hi == 0:
            raise ConfError(*where, f"{role}{rep}: a role cannot be repeated 0 times")
        if lo > hi:
            raise ConfError(*where, f"{role}{rep}: the range is reversed")
    if (hi is None or hi > 1) and role[-1].isdigit() and section != "attributes":
        raise ConfError(*where, f"{role}{rep}: a role ending in a digit cannot be repeated "
                                "(brat writes the second Theme as Theme2)")
    parts = types.split("|")
    if any(not p.strip() for p in parts):
        raise ConfError(*where, f"an empty type in {text!r}")
    return role, ArgDef(role, lo, hi, parts), []


def _read_section(lines: list[tuple[int, str]], section: str, source: str) -> list[TypeDef]:
    roots: list[TypeDef] = []
    last_at: dict[int, TypeDef] = {}
    macros: dict[str, str] = {}
    reserved = {f"<{n}>" for n in _RESERVED}
    for number, raw in lines:
        where = (source, number)
        if not raw.strip() or re.match(r"^\s*#", raw) or re.match(r"^\s*-+\s*$", raw):
            continue
        m = re.match(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$", raw)
        if m:
            if m.group(1) in _RESERVED:
                raise ConfError(*where, f"<{m.group(1)}> is reserved by brat and cannot be defined")
            macros[f"<{m.group(1)}>"] = m.group(2)
            continue
        line = raw
        for name, value in macros.items():
            line = line.replace(name, value)
        for found in re.findall(r"<.*?>", line):
            if found not in reserved:
                raise ConfError(*where, f"undefined macro {found} (macros belong to their section)")
        m = re.match(r"^(\s*)(\S+)(?:\s+(.*))?$", line)
        if not m:
            raise ConfError(*where, f"cannot read {raw!r}")
        indent, terms_text, args_text = m.groups()
        terms = [t.strip() for t in terms_text.split("|") if t.strip()]
        if not terms:
            raise ConfError(*where, f"no type name in {raw!r}")
        unused = any(t.startswith("!") for t in terms)
        terms = [t[1:] if t.startswith("!") else t for t in terms]
        if not terms[0]:
            raise ConfError(*where, f"no type name in {raw!r}")
        args = [a.strip() for a in (args_text or "").split(",") if a.strip()]
        depth = len(indent)
        if "<INHERIT>" in args:
            parent = last_at.get(depth - 1)
            if parent is None:
                raise ConfError(*where, "<INHERIT> without a parent type")
            expanded: list[str] = []
            for a in args:
                expanded += [f"{d.role}:{'|'.join(d.types)}" for d in parent.args] if a == "<INHERIT>" else [a]
            args = expanded
        name = terms[0] if terms[0] in _SPECIAL_RELATIONS else _storage_form(terms[0])
        node = TypeDef(name, terms[1:], section, number, unused)
        for a in args:
            key, arg, special = _parse_arg(a, where, section)
            if arg is None:
                node.special[key] = special
            elif any(d.role == arg.role for d in node.args):
                raise ConfError(*where, f"the role {arg.role!r} appears twice")
            else:
                node.args.append(arg)
        if depth == 0:
            roots.append(node)
        else:
            parent = last_at.get(depth - 1)
            if parent is None:
                raise ConfError(*where, f"{terms[0]!r} is indented but has no parent type above it")
            parent.children.append(node)
        last_at[depth] = node
        for d in [d for d in last_at if d > depth]:
            del last_at[d]
    out: list[TypeDef] = []

    def walk(nodes: list[TypeDef]) -> None:
        for n in nodes:
            out.append(n)
            walk(n.children)

    walk(roots)
    return out


def parse_conf(text: str, source: str = "annotation.conf") -> BratConf:
    """Read a conf's text; raise :class:`ConfError` with the line where brat would fail."""
    sections: dict[str, list[tuple[int, str]]] = {}
    current = "general"
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        m = re.match(r"^\s*\[(.*)\]\s*$", line)
        if m:
            current = {"spans": "entities"}.get(m.group(1), m.group(1))
            sections.setdefault(current, [])
        elif current in _SECTIONS:
            sections.setdefault(current, []).append((number, line))
    parsed = {s: _read_section(sections.get(s, []), s, source) for s in _SECTIONS}
    return BratConf(text, parsed["entities"], parsed["relations"], parsed["events"],
                    parsed["attributes"])


def read_conf(path: Path) -> BratConf:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfError(str(path), line, f"not UTF-8 (byte {exc.start})") from None
    if "\x00" in text:
        raise ConfError(str(path), text[: text.index("\x00")].count("\n") + 1, "a NUL character")
    return parse_conf(text, str(path))


def find_conf(folder: Path, top: Path | None = None) -> Path | None:
    """The annotation.conf brat would use for ``folder``: its own, else the nearest parent's
    (not above ``top``)."""
    here = folder.resolve()
    stop = top.resolve() if top is not None else None
    while True:
        conf = here / "annotation.conf"
        if conf.is_file():
            return conf
        if here == stop or here.parent == here:
            return None
        here = here.parent


# ------------------------------------------------------------------ codebook


def _ident(name: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    if not base or not ("a" <= base[0].lower() <= "z"):
        base = "x" + base
    base = base[:60]
    candidate = first_free(base, used, sep="_")
    used.add(candidate)
    return candidate


def _text_attr(aid: str, label: str) -> dict[str, Any]:
    return {"id": aid, "type": "text", "label": label}


def codebook_from_conf(conf: BratConf, name: str = "brat") -> dict[str, Any]:
    """A codebook document (a dict, for :func:`parse_codebook`) holding everything the conf
    allows; ``raw["brat"]`` keeps the names brat writes and the conf's text."""
    return _FromConf(conf).document(name)


def _first(types: list[TypeDef]) -> list[TypeDef]:
    """The types in use, a type declared twice counting once (the first declaration)."""
    seen: dict[str, TypeDef] = {}
    for t in types:
        if not t.unused:
            seen.setdefault(t.name, t)
    return list(seen.values())


def _merged_relations(conf: BratConf) -> dict[str, TypeDef]:
    """The relation types in use; "Equiv" declared once per argument type is merged, as brat
    does."""
    relations: dict[str, TypeDef] = {}
    for t in conf.relations:
        if t.unused or t.name in _SPECIAL_RELATIONS:
            continue
        if t.name in relations:
            old = relations[t.name]
            for arg in t.args:
                mine = next((a for a in old.args if a.role == arg.role), None)
                if mine is None:
                    old.args.append(arg)
                else:
                    mine.types += [x for x in arg.types if x not in mine.types]
            old.special.update(t.special)
        else:
            relations[t.name] = TypeDef(t.name, list(t.aliases), t.section, t.line, False,
                                        [ArgDef(a.role, a.min, a.max, list(a.types)) for a in t.args],
                                        dict(t.special))
    return relations


_PALETTE = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
_HOTKEYS = [str(i) for i in range(1, 10)] + list("bcdefhijklmnoqsuvwxyz")


class _FromConf:
    """The steps of making a codebook from a conf: the types in use and their ids, then the
    span types, the claim types (events, relations) and the names brat writes."""

    def __init__(self, conf: BratConf) -> None:
        self.conf = conf
        self.entities = _first(conf.entities)
        self.events = [t for t in _first(conf.events)
                       if t.name not in {e.name for e in self.entities}]
        self.relations = _merged_relations(conf)
        if not self.entities and not self.events:
            raise ConfError("annotation.conf", None, "no entity or event types to annotate")
        span_used: set[str] = set()
        self.span_id: dict[str, str] = {}
        for t in self.entities + self.events:
            if t.name not in self.span_id:
                self.span_id[t.name] = _ident(t.name, span_used)
        claim_used: set[str] = set()
        self.event_id = {t.name: _ident(t.name, claim_used) for t in self.events}
        self.relation_id = {n: _ident(n, claim_used) for n in self.relations}
        attr_used = set(BOOKKEEPING)
        self.attributes = _first(conf.attributes)
        self.attr_id = {t.name: _ident(t.name, attr_used) for t in self.attributes}
        self.slot_names: dict[str, dict[str, str]] = {}

    def _accepts(self, types: list[str]) -> list[str]:
        entity_names = [t.name for t in self.entities]
        event_names = [t.name for t in self.events]
        out: list[str] = []
        for x in types:
            names = {"<ENTITY>": entity_names, "<EVENT>": event_names,
                     "<ANY>": entity_names + event_names}.get(x, [x])
            out += [self.span_id[n] for n in names
                    if n in self.span_id and self.span_id[n] not in out]
        return out or list(dict.fromkeys(self.span_id.values()))  # a role naming no known type

    def _attrs_for(self, kind: str, type_name: str) -> list[dict[str, Any]]:
        out = []
        for a in self.attributes:
            targets = [x for d in a.args if d.role == "Arg" for x in d.types]
            everyone = {"entity": "<ENTITY>", "event": "<EVENT>", "relation": "<RELATION>"}[kind]
            if type_name in targets or everyone in targets or "<ANY>" in targets:
                values = [x for d in a.args if d.role == "Value" for x in d.types]
                ad: dict[str, Any] = {"id": self.attr_id[a.name], "label": a.name}
                ad.update({"type": "enum", "values": list(dict.fromkeys(values))} if values
                          else {"type": "boolean"})
                out.append(ad)
        return out

    def span_types(self) -> list[dict[str, Any]]:
        """Entities, then event triggers; colours in turn, hotkeys while they last."""
        span_types: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, t in enumerate(self.entities + self.events):
            if t.name in seen:
                continue
            seen.add(t.name)
            is_event = t in self.events
            st: dict[str, Any] = {
                "id": self.span_id[t.name], "label": t.name + (" (trigger)" if is_event else ""),
                "color": _PALETTE[i % len(_PALETTE)],
                "attributes": [_text_attr("brat_norm", "brat normalizations"),
                               _text_attr("note", "note"),
                               _text_attr("brat_notes", "other brat notes")]
                + ([] if is_event else self._attrs_for("entity", t.name)),
            }
            if len(span_types) < len(_HOTKEYS):
                st["hotkey"] = _HOTKEYS[len(span_types)]
            span_types.append(st)
        return span_types

    def _claim_type(self, cid: str, label: str, kind: str, slots: list[dict[str, Any]],
                    args: list[ArgDef], symmetric: bool = False) -> dict[str, Any]:
        """A claim type with ``slots`` and one slot per argument (the last one of a symmetric
        relation unbounded); remembers the role brat writes for each slot."""
        used = {s["id"] for s in slots}
        names = {}
        for k, arg in enumerate(args):
            sid = _ident(arg.role, used)
            names[sid] = arg.role
            hi = None if (symmetric and k == len(args) - 1) else arg.max
            slots.append({"id": sid, "label": arg.role, "accepts": self._accepts(arg.types),
                          "min": arg.min, "max": hi})
        self.slot_names[cid] = names
        bookkeeping = [_text_attr(a, a.replace("_", " ")) for a in BOOKKEEPING]
        return {"id": cid, "label": label, "slots": slots,
                "attributes": bookkeeping + self._attrs_for(kind, label)}

    def claim_types(self) -> list[dict[str, Any]]:
        """Events (a trigger slot, then their roles), then relations."""
        out = []
        for t in self.events:
            trigger = {"id": TRIGGER_SLOT, "accepts": [self.span_id[t.name]], "min": 1, "max": 1}
            out.append(self._claim_type(self.event_id[t.name], t.name, "event", [trigger],
                                        t.args))
        for rname, t in self.relations.items():
            args = t.args or [ArgDef("Arg1", 1, 1, ["<ANY>"]), ArgDef("Arg2", 1, 1, ["<ANY>"])]
            out.append(self._claim_type(self.relation_id[rname], rname, "relation", [], args,
                                        t.symmetric))
        return out

    def document(self, name: str) -> dict[str, Any]:
        ident = re.sub(r"[^A-Za-z0-9_-]", "-", name) or "brat"
        if not ident[0].isalpha() or not ident.isascii():
            ident = "brat-" + ident
        span_types, claim_types = self.span_types(), self.claim_types()
        span_id, event_id, relation_id = self.span_id, self.event_id, self.relation_id
        return {
            "id": ident[:64], "version": 1, "title": f"From brat's annotation.conf ({name})",
            "span_types": span_types, "claim_types": claim_types,
            "brat": {
                "conf": self.conf.text,
                "span_types": {span_id[n]: n for n in span_id},
                "triggers": [span_id[t.name] for t in self.events],
                "claim_types": {**{event_id[n]: {"name": n, "kind": "event"} for n in event_id},
                                **{relation_id[n]: {"name": n, "kind": "relation",
                                                    "symmetric": self.relations[n].symmetric}
                                   for n in relation_id}},
                "slots": self.slot_names,
                "attributes": {v: k for k, v in self.attr_id.items()},
            },
        }


def codebook_from_brat_conf(path: Path) -> dict[str, Any]:
    """A codebook (dict) from a brat annotation.conf file; :class:`ConfError` if unreadable."""
    conf = read_conf(path)
    name = path.resolve().parent.name or "brat"
    sidecar = path.with_name("annotator.json")  # our own export: keep the codebook's id
    if sidecar.is_file():
        try:
            ref = json.loads(sidecar.read_text("utf-8")).get("codebook")
            if isinstance(ref, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,63}@\d+", ref):
                name = ref.split("@", 1)[0]
        except (OSError, ValueError, AttributeError, RecursionError):
            pass  # the import names a broken sidecar; the codebook does not depend on it
    try:
        return codebook_from_conf(conf, name)
    except ConfError as exc:
        raise ConfError(str(path), exc.line, exc.reason) from None
