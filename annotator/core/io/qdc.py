"""REFI-QDA codebooks as a project's codebook: a ``.qdc`` file, or the CodeBook of a ``.qdpx``.

What maps to what (docs/formats.md has the table):

- every codable ``Code`` becomes a span type. Its id comes from its name (characters other than
  letters, digits, ``_`` and ``-`` become ``_``; a name not starting with a letter gets
  ``code_`` before it); a nested code's id is its parent's id, ``__`` and its own, so codes of
  the same name under different parents stay apart. Its label is the path of names joined by
  `` › `` ("Violence › Armed clash"), its colour the code's colour, its definition the code's
  ``Description``. The GUID and the path are kept in the span type under ``refi_qda`` (a key
  the codebook schema allows and ignores), so a ``.qdc`` export writes the same GUIDs back.
- a child code named ``attribute=value`` (as our export writes enum values) is a value of the
  enum attribute ``attribute`` of its parent's span type, not a span type of its own.
- a code with ``isCodable="false"`` (a folder of codes) is no span type; its name stays in its
  children's ids and labels.
- ``Sets`` (groups of codes) cannot be represented: they are kept under ``refi_qda_sets`` in the
  codebook file and have no effect. A REFI-QDA codebook has no claim types and no hotkeys.

The file is checked against the REFI-QDA codebook schema's rules (element names and order,
required attributes, GUID and colour patterns, unique GUIDs, set members naming codes); every
problem is named with its line and element, and a bad file gives no codebook at all.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.codebook import CodebookError, CodebookIssue

__all__ = [
    "NS_CODEBOOK",
    "NS_PROJECT",
    "Code",
    "code_targets",
    "codebook_from_codes",
    "parse_xml",
    "read_codes",
    "read_qdc_codebook",
]

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
GUID = re.compile(r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                  r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$")
_COLOR = re.compile(r"^#(?:[A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}
_VALUE_CODE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]{0,63})=(.+)$")
_MAX_ID = 64
_MAX_PROBLEMS = 20
PATH_SEPARATOR = " › "


@dataclass
class Code:
    """One ``Code`` element: ``path`` holds the names from the top code down to this one."""

    guid: str
    name: str
    codable: bool
    color: str | None
    description: str | None
    line: int | None
    path: list[str]
    children: list[Code] = field(default_factory=list)


class Problems:
    def __init__(self) -> None:
        self._found: list[tuple[int, CodebookIssue]] = []

    def add(self, el: Any, reason: str) -> None:
        line = getattr(el, "sourceline", None) or 0
        self._found.append((line, CodebookIssue(_place(el), reason)))

    @property
    def issues(self) -> list[CodebookIssue]:
        """In the file's order."""
        return [issue for _, issue in sorted(self._found, key=lambda f: f[0])]


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _place(el: Any) -> str:
    line = getattr(el, "sourceline", None)
    name = el.get("name") if el is not None else None
    what = f"<{_local(el.tag)}{f' name={name!r}' if name else ''}>" if el is not None else "file"
    return f"line {line}, {what}" if line else what


def parse_xml(data: bytes, source: str) -> Any:
    """The root element (lxml, with line numbers); entities are not expanded, nothing is
    fetched. A file that is not well-formed XML is a CodebookError naming line and column."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, exc.offset)
        msg = re.sub(r",? line \d+, column \d+$", "", str(exc.msg))  # said once, in front
        raise CodebookError(source, [CodebookIssue(f"line {line}, column {col}",
                                                   f"not well-formed XML: {msg}")]) from None


def _children(el: Any, ns: str, allowed: list[str], problems: Problems) -> list[Any]:
    """The element children of ``el``, refusing unknown ones and a wrong order (xs:sequence)."""
    kids = [c for c in el if isinstance(c.tag, str)]
    rank = -1
    for child in kids:
        local = _local(child.tag)
        if not child.tag.startswith(f"{{{ns}}}") or local not in allowed:
            problems.add(child, f"element <{local}> is not allowed in <{_local(el.tag)}> "
                                f"(allowed: {', '.join(allowed)})")
            continue
        here = allowed.index(local)
        if here < rank:
            problems.add(child, f"<{local}> must come before <{allowed[rank]}> in "
                                f"<{_local(el.tag)}>")
        rank = max(rank, here)
    return kids


def _attributes(el: Any, required: list[str], optional: list[str], problems: Problems) -> None:
    for name in required:
        if el.get(name) is None:
            problems.add(el, f"the attribute {name} is required")
    for name in el.attrib:
        if str(name).startswith(f"{{{_XSI}}}"):
            continue
        if name not in required and name not in optional:
            problems.add(el, f"the attribute {name} is not allowed on <{_local(el.tag)}>")


def read_codes(book: Any, ns: str, problems: Problems, seen: dict[str, Any]) -> list[Code]:
    """The code tree of a CodeBook element, checked as the schema requires."""
    kids = _children(book, ns, ["Codes", "Sets"], problems)
    codes_el = [c for c in kids if _local(c.tag) == "Codes"]
    if len(codes_el) != 1:
        problems.add(book, "a <CodeBook> holds exactly one <Codes>")
        return []

    def code(el: Any, parents: list[str]) -> Code | None:
        _attributes(el, ["guid", "name", "isCodable"], ["color"], problems)
        guid, name = el.get("guid") or "", el.get("name")
        if guid and not GUID.match(guid):
            problems.add(el, f"guid {guid!r} is not a GUID")
        elif guid in seen:
            problems.add(el, f"guid {guid} is used twice (also on line "
                             f"{getattr(seen[guid], 'sourceline', '?')})")
        seen.setdefault(guid, el)
        codable = el.get("isCodable")
        if codable is not None and codable.strip() not in _BOOLEAN:
            problems.add(el, f"isCodable {codable!r} is not true or false")
        color = el.get("color")
        if color is not None and not _COLOR.match(color):
            problems.add(el, f"color {color!r} is not #RRGGBB or #RGB")
        if name is not None and not name.strip():
            problems.add(el, "the name is empty")
        kids = _children(el, ns, ["Description", "NoteRef", "Code"] if ns == NS_PROJECT
                         else ["Description", "Code"], problems)
        descriptions = [k for k in kids if _local(k.tag) == "Description"]
        if len(descriptions) > 1:
            problems.add(descriptions[1], "a <Code> has at most one <Description>")
        path = [*parents, (name or "").strip()]
        node = Code(guid=guid, name=(name or "").strip(),
                    codable=_BOOLEAN.get((codable or "").strip(), False), color=color,
                    description=(descriptions[0].text or "").strip() or None if descriptions
                    else None, line=getattr(el, "sourceline", None), path=path)
        for child in kids:
            if _local(child.tag) == "Code":
                sub = code(child, path)
                if sub is not None:
                    node.children.append(sub)
        return node

    top = [c for c in _children(codes_el[0], ns, ["Code"], problems) if _local(c.tag) == "Code"]
    if not top:
        problems.add(codes_el[0], "<Codes> holds no <Code> (the schema requires at least one)")
    return [c for c in (code(el, []) for el in top) if c is not None]


def _sets(book: Any, ns: str, problems: Problems, codes: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for sets_el in (c for c in book if _local(c.tag) == "Sets"):
        members = [c for c in _children(sets_el, ns, ["Set"], problems) if _local(c.tag) == "Set"]
        if not members:
            problems.add(sets_el, "<Sets> holds no <Set> (the schema requires at least one)")
        for set_el in members:
            _attributes(set_el, ["guid", "name"], [], problems)
            guid = set_el.get("guid") or ""
            if guid and not GUID.match(guid):
                problems.add(set_el, f"guid {guid!r} is not a GUID")
            allowed = ["Description", "MemberCode", "MemberSource"] if ns == NS_PROJECT \
                else ["Description", "MemberCode"]
            refs = []
            for member in _children(set_el, ns, allowed, problems):
                if _local(member.tag) != "MemberCode":
                    continue
                _attributes(member, ["targetGUID"] if ns == NS_PROJECT else ["guid"], [],
                            problems)
                ref = member.get("targetGUID") if ns == NS_PROJECT else member.get("guid")
                if ref and ref not in codes:
                    problems.add(member, f"member {ref} is no code of this codebook")
                refs.append(ref)
            out.append({"name": set_el.get("name"), "guid": guid, "codes": refs})
    return out


def _slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_")
    if not s or not s[0].isalpha() or not s[0].isascii():
        s = f"code_{s}" if s else "code"
    return s


def _ids(codes: list[Code]) -> dict[str, str]:
    """guid -> span type id, for every code (value codes included: their parents need them)."""
    out: dict[str, str] = {}
    taken: set[str] = set()

    def walk(nodes: list[Code], parent: str | None) -> None:
        for c in nodes:
            base = _slug(c.name) if parent is None else f"{parent}__{_slug(c.name)}"
            if len(base) > _MAX_ID:
                base = base[: _MAX_ID - 9].rstrip("_-") + "-" + re.sub(r"\W", "", c.guid)[:8]
            cid, n = base, 1
            while cid.casefold() in taken:
                n += 1
                cid = f"{base[: _MAX_ID - len(str(n)) - 1]}-{n}"
            taken.add(cid.casefold())
            out[c.guid] = cid
            walk(c.children, cid)

    walk(codes, None)
    return out


def _is_value(c: Code, parent: Code | None) -> bool:
    return parent is not None and parent.codable and not c.children \
        and _VALUE_CODE.match(c.name) is not None


def code_targets(codes: list[Code]) -> dict[str, tuple[str, str | None, str | None, list[str]]]:
    """guid -> (span type id, attribute, value, names up the tree) for every code: what a
    coding with that code means. ``attribute`` and ``value`` are set for an ``attribute=value``
    code (its span type is its parent's)."""
    ids = _ids(codes)
    out: dict[str, tuple[str, str | None, str | None, list[str]]] = {}

    def walk(nodes: list[Code], parent: Code | None) -> None:
        for c in nodes:
            names = list(reversed(c.path))
            if _is_value(c, parent):
                assert parent is not None
                m = _VALUE_CODE.match(c.name)
                assert m is not None
                out[c.guid] = (ids[parent.guid], m.group(1), m.group(2), names)
            else:
                out[c.guid] = (ids[c.guid], None, None, names)
            walk(c.children, c)

    walk(codes, None)
    return out


def _color(c: Code) -> str | None:
    if c.color is None:
        return None
    if len(c.color) == 4:
        return "#" + "".join(ch * 2 for ch in c.color[1:]).upper()
    return c.color.upper()


def codebook_from_codes(codes: list[Code], codebook_id: str, title: str,
                        sets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A codebook (the JSON the codebook schema describes) from a REFI-QDA code tree."""
    ids = _ids(codes)
    span_types: list[dict[str, Any]] = []

    def walk(nodes: list[Code], parent: Code | None) -> None:
        for c in nodes:
            if _is_value(c, parent):
                continue
            if c.codable:
                st: dict[str, Any] = {"id": ids[c.guid], "label": PATH_SEPARATOR.join(c.path),
                                      "refi_qda": {"guid": c.guid, "path": c.path}}
                if _color(c):
                    st["color"] = _color(c)
                if c.description:
                    st["definition"] = c.description
                values: dict[str, list[str]] = {}
                for v in c.children:
                    m = _VALUE_CODE.match(v.name) if _is_value(v, c) else None
                    if m and m.group(2) not in values.setdefault(m.group(1), []):
                        values[m.group(1)].append(m.group(2))
                if values:
                    st["attributes"] = [{"id": a, "type": "enum", "values": vs}
                                        for a, vs in values.items()]
                span_types.append(st)
            walk(c.children, c)

    walk(codes, None)
    book: dict[str, Any] = {"id": _slug(codebook_id)[:_MAX_ID], "version": 1, "title": title,
                            "description": "from a REFI-QDA codebook", "span_types": span_types}
    if sets:
        book["refi_qda_sets"] = [{**s, "codes": [ids.get(g or "", g) for g in s["codes"]]}
                                 for s in sets]
    return book


def _book_of(path: Path) -> tuple[Any, str]:
    """The CodeBook element of a .qdc file or of a .qdpx archive's project.qde, and its
    namespace."""
    source = str(path)
    try:
        if path.suffix.lower() == ".qdpx":
            try:
                with zipfile.ZipFile(path) as zf:
                    data = zf.read("project.qde")
            except KeyError:
                raise CodebookError(source, [CodebookIssue("archive", "no project.qde in it")]) \
                    from None
            except zipfile.BadZipFile as exc:
                raise CodebookError(source, [CodebookIssue("file", f"not a .qdpx archive: "
                                                                   f"{exc}")]) from None
            root = parse_xml(data, f"{source}: project.qde")
            if root.tag != f"{{{NS_PROJECT}}}Project":
                raise CodebookError(source, [CodebookIssue(
                    _place(root), f"project.qde's root is {root.tag}, not a REFI-QDA Project "
                                  f"(namespace {NS_PROJECT})")])
            book = root.find(f"{{{NS_PROJECT}}}CodeBook")
            if book is None:
                raise CodebookError(source, [CodebookIssue(_place(root),
                                                           "the project has no <CodeBook>")])
            return book, NS_PROJECT
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookError(source, [CodebookIssue("file", f"cannot read the file: "
                                                           f"{exc.strerror}")]) from None
    root = parse_xml(data, source)
    if root.tag != f"{{{NS_CODEBOOK}}}CodeBook":
        raise CodebookError(source, [CodebookIssue(
            _place(root), f"the root element is {root.tag}, not a REFI-QDA <CodeBook> "
                          f"(namespace {NS_CODEBOOK})")])
    return root, NS_CODEBOOK


def read_qdc_codebook(path: Path) -> dict[str, Any]:
    """The codebook a ``.qdc`` (or a ``.qdpx``'s CodeBook) describes, as codebook JSON; a
    CodebookError lists every problem with its line and element, and nothing is made of a bad
    file."""
    book, ns = _book_of(path)
    problems = Problems()
    if ns == NS_CODEBOOK:
        _attributes(book, [], ["origin"], problems)
    seen: dict[str, Any] = {}
    codes = read_codes(book, ns, problems, seen)
    sets = _sets(book, ns, problems, seen)
    if not problems.issues:
        raw = codebook_from_codes(codes, path.stem, path.stem, sets)
        if not raw["span_types"]:
            problems.add(book, "no codable code (isCodable=\"true\"): a codebook needs at least "
                               "one span type")
    if problems.issues:
        shown = problems.issues[:_MAX_PROBLEMS]
        if len(problems.issues) > len(shown):
            shown.append(CodebookIssue("file", f"and {len(problems.issues) - len(shown)} more"))
        raise CodebookError(str(path), shown)
    return raw
