""".ann files: the standoff lines brat writes, read into plain data, and their meaning.

Lines are split at ``\\n`` only (a span's text may hold U+2028, a form feed or other characters
that ``str.splitlines`` would break at); a trailing ``\\r`` of a CRLF file is dropped. Every
problem raises :class:`BratError` with the file, the line and the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Ann", "BratError", "brat_meaning", "decode", "parse_ann"]


class BratError(ValueError):
    def __init__(self, path: Any, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}{f':{line}' if line else ''}: {reason}")


@dataclass
class TextBound:
    id: str
    type: str
    frags: list[tuple[int, int]]
    text: str | None  # the third column, None when absent
    line: int


@dataclass
class Ann:
    texts: dict[str, TextBound] = field(default_factory=dict)
    # id -> (type, trigger id, [(role, target id)], line)
    events: dict[str, tuple[str, str, list[tuple[str, str]], int]] = field(default_factory=dict)
    relations: dict[str, tuple[str, list[tuple[str, str]], int]] = field(default_factory=dict)
    equivs: list[tuple[str, list[str], int]] = field(default_factory=list)
    # (name, target, value or None for a binary attribute, line)
    attributes: list[tuple[str, str, str | None, int]] = field(default_factory=list)
    # (type, target, reference id, text, line)
    norms: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    # (type, target, body, line)
    notes: list[tuple[str, str, str, int]] = field(default_factory=list)


def decode(path: Any, data: bytes) -> str:
    """UTF-8 (an optional BOM dropped), or BratError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BratError(path, line, f"not UTF-8 text (byte {exc.start}: {exc.reason})") from None


_ID = re.compile(r"[TERAMN#*]\S*")


def _pair(text: str, path: Any, number: int) -> tuple[str, str]:
    role, sep, target = text.partition(":")
    if not sep or not role or not target:
        raise BratError(path, number, f"{text!r} is not ROLE:ID")
    return role, target


def parse_ann(path: Any, content: str) -> Ann:
    ann = Ann()
    ids: set[str] = set()
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if not _ID.fullmatch(ident):
            raise BratError(path, number, f"unknown brat line {ident[:40]!r} (T, E, R, A, M, N, # or *)")
        if len(fields) < 2 or not fields[1].strip():
            raise BratError(path, number, f"{ident}: the line has no tab-separated content")
        kind = ident[0]
        if kind not in "#*":
            if ident in ids:
                raise BratError(path, number, f"the id {ident} is used twice")
            ids.add(ident)
        head = fields[1]
        if kind == "T":
            type_, _, offs = head.partition(" ")
            frags = []
            for part in offs.split(";"):
                nums = part.split()
                if len(nums) != 2 or not all(n.isdigit() and n.isascii() for n in nums):
                    raise BratError(path, number, f"{ident}: offsets {offs!r} are not 'START END' numbers")
                a, b = int(nums[0]), int(nums[1])
                if a >= b:
                    raise BratError(path, number, f"{ident}: offsets {a}-{b} are empty or reversed")
                frags.append((a, b))
            if not type_:
                raise BratError(path, number, f"{ident}: no type")
            text = "\t".join(fields[2:]) if len(fields) > 2 else None
            ann.texts[ident] = TextBound(ident, type_, frags, text, number)
        elif kind == "E":
            parts = head.split()
            type_, sep, trigger = parts[0].partition(":")
            if not sep or not type_ or not trigger:
                raise BratError(path, number, f"{ident}: an event starts with TYPE:TRIGGER")
            ann.events[ident] = (type_, trigger, [_pair(p, path, number) for p in parts[1:]], number)
        elif kind == "R":
            parts = head.split()
            if len(parts) < 3:
                raise BratError(path, number, f"{ident}: a relation is TYPE Arg1:ID Arg2:ID")
            ann.relations[ident] = (parts[0], [_pair(p, path, number) for p in parts[1:]], number)
        elif kind == "*":
            parts = head.split()
            if len(parts) < 3:
                raise BratError(path, number, "an equivalence is TYPE ID ID ...")
            ann.equivs.append((parts[0], parts[1:], number))
        elif kind in "AM":
            parts = head.split()
            if not 2 <= len(parts) <= 3:
                raise BratError(path, number, f"{ident}: an attribute is NAME ID [VALUE]")
            ann.attributes.append((parts[0], parts[1], parts[2] if len(parts) == 3 else None, number))
        elif kind == "N":
            parts = head.split()
            if len(parts) != 3:
                raise BratError(path, number, f"{ident}: a normalization is TYPE ID REFERENCE")
            ann.norms.append((parts[0], parts[1], parts[2], "\t".join(fields[2:]), number))
        else:  # "#"
            parts = head.split()
            if len(parts) != 2:
                raise BratError(path, number, "a note is TYPE ID, a tab, and the note")
            ann.notes.append((parts[0], parts[1], "\t".join(fields[2:]), number))
    return ann


def brat_meaning(content: str) -> Counter[Any]:
    """What an .ann file says, without its ids: the measure of a lossless round trip.

    Each annotation becomes a value that names what it points at by meaning (a span by its type
    and offsets, an event by its type, trigger and arguments, recursively), so renumbered ids
    compare equal; ``M`` lines count as ``A`` lines (brat treats them alike)."""
    ann = parse_ann("-", content)
    memo: dict[str, Any] = {}

    def of(ident: str, depth: int = 0) -> Any:
        if ident in memo:
            return memo[ident]
        if depth > 50:
            return ("cycle", ident)
        if ident in ann.texts:
            t = ann.texts[ident]
            value: Any = ("T", t.type, tuple(t.frags))
        elif ident in ann.events:
            type_, trig, args, _ = ann.events[ident]
            value = ("E", type_, of(trig, depth + 1),
                     tuple(sorted((r, repr(of(x, depth + 1))) for r, x in args)))
        elif ident in ann.relations:
            type_, args, _ = ann.relations[ident]
            value = ("R", type_, tuple(sorted((r, repr(of(x, depth + 1))) for r, x in args)))
        else:
            value = ("missing", ident)
        memo[ident] = value
        return value

    out: Counter[Any] = Counter()
    for ident in list(ann.texts) + list(ann.events) + list(ann.relations):
        out[repr(of(ident))] += 1
    for type_, members, _ in ann.equivs:
        out[repr(("*", type_, tuple(sorted(repr(of(m)) for m in members))))] += 1
    for name, target, value, _ in ann.attributes:
        out[repr(("A", name, repr(of(target)), value))] += 1
    for type_, target, ref, text, _ in ann.norms:
        out[repr(("N", type_, repr(of(target)), ref, text))] += 1
    for type_, target, body, _ in ann.notes:
        out[repr(("#", type_, repr(of(target)), body))] += 1
    return out
