"""The project's actor list: canonical names, types, countries and aliases; fuzzy matching.

Matching a span to the list:
1. a canonical name or alias equal to the span after folding (case, accents, punctuation,
   spacing: "Al Naba" = "al-Naba'") scores 100 and ranks first;
2. otherwise rapidfuzz's ``WRatio`` (weighted mix of plain, token-sort, token-set and partial
   ratios) on the folded strings; a candidate must reach :data:`FUZZY_THRESHOLD` (88) and its
   score is capped at 99 so it never ties with an exact match. Spans of fewer than four
   letters ("IS") are matched exactly only: partial ratios of short strings are noise.

The CSV format (UTF-8, a BOM is accepted and written so spreadsheets show accents): a header
with ``canonical_name`` (required), ``actor_type``, ``country`` (ISO 3166-1 alpha-2) and
``aliases`` (several separated by ``|``); other columns are ignored.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from annotator.core.io import textrules

from ._common import Found, fold

__all__ = [
    "FUZZY_THRESHOLD",
    "ActorCsvError",
    "ActorEntry",
    "ActorList",
    "read_actors_csv",
    "write_actors_csv",
]

#: Lowest WRatio (0-100) for a fuzzy candidate. Chosen on spelling variants of group names
#: ("Jama'at Nusrat al-Islam wal-Muslimin" / "Jamaat Nusrat al Islam wa al Muslimin" = 96,
#: "Wagnr Group" / "Wagner Group" = 96, "Islamic State" / "Islamic State Sahel Province" = 90)
#: against different names ("Jamaat Nusrat al Islam wa al Muslimin" / "Al-Naba'" = 85.5 through
#: a partial match, "Malian Armed Forces" / "Burkinabe Armed Forces" = 74). "Malian army" /
#: "Malian Armed Forces" (86) falls below: such descriptions belong in the aliases.
FUZZY_THRESHOLD = 88.0

COLUMNS = ("canonical_name", "actor_type", "country", "aliases")


@dataclass(frozen=True)
class ActorEntry:
    canonical: str
    type: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)

    def attributes(self) -> dict[str, Any]:
        """Attributes of an ``actor`` span as the codebook stores them."""
        out: dict[str, Any] = {"canonical_name": self.canonical}
        if self.type:
            out["actor_type"] = self.type
        if self.country:
            out["country"] = self.country
        return out


def _key(name: str) -> str:
    """Matching key: folded, punctuation turned to spaces, trimmed."""
    return str(default_process(fold(name)))


def _is_acronym(name: str) -> bool:
    """Short all-capital names ("IS", "JNIM", "FAMa" is not) match only in capitals."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters)


# what fold() changes the length of, or turns into another character: whitespace runs and
# whitespace other than a plain space, anything outside ASCII, backquote and underscore
_IRREGULAR = re.compile(r"\s{2,}|[^\S ]|[^\x00-\x7f]|[`_]")


class _FoldMap:
    """Folded index -> original index, stored as segments (most of a report maps one to one)."""

    def __init__(self) -> None:
        self.fstart: list[int] = []
        self.ostart: list[int] = []
        self.linear: list[bool] = []

    def add(self, fpos: int, opos: int, linear: bool) -> None:
        self.fstart.append(fpos)
        self.ostart.append(opos)
        self.linear.append(linear)

    def __getitem__(self, i: int) -> int:
        k = bisect_right(self.fstart, i) - 1
        return self.ostart[k] + (i - self.fstart[k]) if self.linear[k] else self.ostart[k]


def fold_with_map(text: str) -> tuple[str, _FoldMap]:
    """``fold(text)`` one character at a time, with a map from each folded index to the
    original index of its character.

    Whitespace runs become one space (kept at the first whitespace character's index). ASCII
    stretches (nearly all of an English report) are lowered in one piece; only the characters
    ``_IRREGULAR`` finds are folded one by one.
    """
    out: list[str] = []
    index = _FoldMap()
    flen = 0
    prev = 0
    for m in _IRREGULAR.finditer(text):
        if m.start() > prev:
            out.append(text[prev:m.start()].lower())
            index.add(flen, prev, True)
            flen += m.start() - prev
        chunk = m.group()
        piece = " " if chunk[0].isspace() else fold(chunk)
        if piece:
            out.append(piece)
            index.add(flen, m.start(), False)
            flen += len(piece)
        prev = m.end()
    if prev < len(text):
        out.append(text[prev:].lower())
        index.add(flen, prev, True)
    return "".join(out), index


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, longest first, built as a trie so that
    the engine follows one path per position instead of trying every word in turn."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class ActorList:
    """Actors a project knows, searchable by exact alias and by fuzzy similarity."""

    def __init__(self, entries: Iterable[ActorEntry] = ()) -> None:
        self.entries: list[ActorEntry] = list(entries)
        self._by_key: dict[str, list[int]] = {}
        self._choices: list[str] = []
        self._owners: list[int] = []
        for i, entry in enumerate(self.entries):
            for name in entry.names():
                key = _key(name)
                if not key:
                    continue
                self._by_key.setdefault(key, [])
                if i not in self._by_key[key]:
                    self._by_key[key].append(i)
                self._choices.append(key)
                self._owners.append(i)
        self._finder: re.Pattern[str] | None = None
        # the finder works on folded text with punctuation kept ("al-Naba'" as written)
        self._by_fold: dict[str, int] = {}
        for i, entry in enumerate(self.entries):
            for name in entry.names():
                if fold(name):
                    self._by_fold.setdefault(fold(name), i)
        self._acronyms = {fold(n) for e in self.entries for n in e.names() if _is_acronym(n)}

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, span_text: str, limit: int = 5) -> list[tuple[ActorEntry, float]]:
        """Entries for a span, best first, with a score 0-100 (100 = exact name or alias)."""
        key = _key(span_text)
        if not key or limit <= 0:
            return []
        scores: dict[int, float] = {}
        for i in self._by_key.get(key, []):
            scores[i] = 100.0
        if len(scores) < limit and self._choices and len(key.replace(" ", "")) >= 4:
            hits = process.extract(
                key,
                self._choices,
                scorer=fuzz.WRatio,
                limit=limit * 4,
                score_cutoff=FUZZY_THRESHOLD,
            )
            for _choice, score, pos in hits:
                owner = self._owners[pos]
                if owner not in scores or scores[owner] < 100.0:
                    scores[owner] = max(scores.get(owner, 0.0), min(float(score), 99.0))
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.entries[kv[0]].canonical))
        return [(self.entries[i], round(s, 1)) for i, s in ranked[:limit]]

    def find(self, text: str) -> list[Found]:
        """Occurrences of known names and aliases in ``text`` (whole words, longest first).

        Offsets are code points; matching ignores case and accents, except for acronyms
        ("IS" matches "IS", not "is"). Overlapping names keep the longest.
        """
        if not self._by_fold:
            return []
        if self._finder is None:
            self._finder = re.compile(rf"(?<!\w)(?:{_trie_pattern(self._by_fold)})(?!\w)")
        folded, index = fold_with_map(text)
        out: list[Found] = []
        for m in self._finder.finditer(folded):
            key = m.group(0)
            start = index[m.start()]
            end = index[m.end() - 1] + 1
            original = text[start:end]
            if key in self._acronyms and not any(
                original == n for e in self.entries for n in e.names() if fold(n) == key
            ):  # fmt: skip
                continue
            if key in self._acronyms and len(key) <= 3 and _in_capitals(text, start, end):
                continue  # "IS" in a headline or a text set in capitals is the verb
            owner = self._by_fold.get(key)
            if owner is None:
                continue
            entry = self.entries[owner]
            out.append(Found(start, end, original, entry.attributes()))
        return out


_WORD = re.compile(r"[^\W\d_]{3,}")


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the words (of three letters or more) right before and after
    ``text[start:end]`` are in capitals too."""
    before = _WORD.findall(text[max(0, start - 40):start])[-1:]
    after = _WORD.findall(text[end:end + 40])[:1]
    near = before + after
    return bool(near) and all(w.isupper() for w in near)


class ActorCsvError(ValueError):
    """A malformed actor CSV; the message names the file, the line and the reason."""


_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _cell(value: str) -> str:
    """A cell as written by write_actors_csv: the apostrophe before a formula-like name
    removed."""
    if value.startswith("'") and textrules.formula_like(value[1:]):
        return value[1:]
    return value


def read_actors_csv(path: str | Path) -> list[ActorEntry]:
    """Read an actor list (see the module docstring for the columns).

    Raises :class:`ActorCsvError` ("FILE:LINE: reason") for a missing header or
    ``canonical_name`` column, an empty name, a country that is not two capital letters, or a
    canonical name given twice.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ActorCsvError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    entries: list[ActorEntry] = []
    seen: dict[str, int] = {}
    with handle:
        try:
            reader = csv.DictReader(handle)
            fields = [f.strip() for f in (reader.fieldnames or [])]
            if not fields:
                raise ActorCsvError(f"{path}:1: empty file, expected a header row")
            if "canonical_name" not in fields:
                raise ActorCsvError(
                    f"{path}:1: no 'canonical_name' column (header: {', '.join(fields)})"
                )
            reader.fieldnames = fields
            for row in reader:
                line = reader.line_num
                if None in row:
                    raise ActorCsvError(f"{path}:{line}: more fields than the header has")
                name = (row.get("canonical_name") or "").strip()
                if not name:
                    if not any((v or "").strip() for v in row.values()):
                        continue  # blank line
                    raise ActorCsvError(f"{path}:{line}: empty canonical_name")
                country = (row.get("country") or "").strip() or None
                if country is not None and not _COUNTRY.match(country):
                    raise ActorCsvError(
                        f"{path}:{line}: country {country!r} is not an ISO 3166-1 alpha-2 code"
                        " (two capital letters, e.g. ML)"
                    )
                key = fold(name)
                if key in seen:
                    raise ActorCsvError(
                        f"{path}:{line}: canonical_name {name!r} already given on line "
                        f"{seen[key]}"
                    )
                seen[key] = line
                aliases = tuple(
                    _cell(a.strip()) for a in (row.get("aliases") or "").split("|") if a.strip()
                )
                actor_type = (row.get("actor_type") or "").strip() or None
                name = _cell(name)
                for value in (name, actor_type, *aliases):
                    why = textrules.problem(value or "", textrules.LINE)
                    if why:
                        raise ActorCsvError(f"{path}:{line}: {value!r}: {why}")
                entries.append(ActorEntry(name, actor_type, country, aliases))
        except csv.Error as exc:
            raise ActorCsvError(f"{path}:{reader.line_num}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ActorCsvError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return entries


def write_actors_csv(path: str | Path, entries: Sequence[ActorEntry]) -> None:
    """Write ``entries`` in the format :func:`read_actors_csv` reads."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for e in entries:
            if any("|" in a for a in e.aliases):
                raise ValueError(f"alias of {e.canonical!r} contains '|', the alias separator")
            # a name a spreadsheet would run as a formula gets an apostrophe, which reading the
            # file back removes (the list round-trips)
            writer.writerow([textrules.cell_text(str(v)) for v in (
                textrules.inert_cell(e.canonical), textrules.inert_cell(e.type or ""),
                e.country or "", "|".join(textrules.inert_cell(a) for a in e.aliases))])
