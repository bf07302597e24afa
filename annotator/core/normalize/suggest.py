"""Span suggestions for a whole report, and attribute prefills for a span a coder tagged.

Offsets are code points into the report text (``text[start:end] == suggestion.text``).
Suggestions of one type never overlap; suggestions are sorted by start (then type).

Locations are proposed conservatively: a run of capitalised words that the project's places
or the gazetteer know, and only when it follows a place preposition ("in", "near", "at",
"from", "outside", "village of" ...), carries a type word ("Ménaka region"), continues a list
of places ("in Gao and Kidal"), is a project place, or is a country or admin1 name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..gcpause import without_gc
from ._common import IntervalSet, fold
from .actors import ActorList
from .counts import find_counts, normalize_count
from .dates import find_dates, normalize_date
from .places import Gazetteer, PlaceCandidate, ProjectPlaces, place_dict, suggest_places

__all__ = [
    "SPAN_TYPES",
    "Suggestion",
    "actor_name_core",
    "boilerplate_start",
    "guess_actor_type",
    "suggest_attributes",
    "suggest_spans",
    "unknown_place",
]

SPAN_TYPES = ("actor", "location", "date", "casualty_count")


@dataclass(frozen=True)
class Suggestion:
    type: str
    start: int
    end: int
    text: str
    attributes: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Locations in running text

_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# lower-case words that may sit inside a place name ("Tillabéri", "Bordj Badji Mokhtar",
# "Dar es Salaam", "Cercle de Ménaka")
_NAME_GLUE = {"de", "du", "des", "la", "le", "el", "al", "es", "ad", "ag", "d'", "di", "of"}
_PREPOSITIONS = {
    "in", "near", "at", "from", "outside", "around", "towards", "toward", "into", "across",
    "between", "inside", "to", "of", "nearby", "throughout", "within",
}  # fmt: skip
_NEAR = {"near", "outside", "around", "towards", "toward", "nearby"}
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:village|town|city|commune|district|locality|area|region|province|outskirts|"
    r"vicinity|camp|localities|villages|towns)\s+of\s+$|\bclose\s+to\s+$|\bnot\s+far\s+from\s+$"
    r"|\bthe\s+road\s+(?:to|from|between)\s+$|\b(?:north|south|east|west|northeast|northwest|"
    r"southeast|southwest)\s+of\s+$",
    re.IGNORECASE,
)
_TYPE_AFTER = re.compile(
    r"^\s+(region|province|state|district|cercle|commune|department|governorate|prefecture"
    r"|county|municipality)\b",
    re.IGNORECASE,
)
_LIST_GLUE = re.compile(r"^\s*(?:,|and|or|,\s*and|,\s*or)\s*$", re.IGNORECASE)
# capitalised at a sentence start, never part of a place name
_STOP = {
    "the", "a", "an", "this", "that", "these", "those", "on", "in", "at", "and", "or", "but",
    "it", "he", "she", "they", "we", "i", "you", "his", "her", "its", "their", "our", "there",
    "here", "when", "while", "as", "if", "also", "however", "meanwhile", "according", "after",
    "before", "during", "since", "for", "with", "by", "no", "not", "all", "some", "one", "two",
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "sgt", "president", "minister",
}  # fmt: skip
# a word alone that is no place in running text, though some country has a unit of that name
_NOT_ALONE = {
    "north", "south", "east", "west", "centre", "center", "central", "northern", "southern",
    "eastern", "western", "middle", "upper", "lower", "plateau", "coast", "islands", "capital",
    "sud", "nord", "est", "ouest", "africa", "asia", "europe", "america",
}  # fmt: skip
# words before a place inside one capitalised run: "Northern Mali", "Central Mali"
_DIRECTIONAL = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeastern", "northwestern", "southeastern", "southwestern", "northeast", "northwest",
    "southeast", "southwest",
}  # fmt: skip


@dataclass
class _Phrase:
    start: int
    end: int
    words: list[tuple[int, int]]


def _name_phrases(text: str) -> Iterator[_Phrase]:
    """Runs of capitalised words, with glue words inside ("Bordj Badji Mokhtar")."""
    words = [(m.start(), m.end()) for m in _NAME_WORD.finditer(text)]
    i = 0
    while i < len(words):
        s, e = words[i]
        w = text[s:e]
        if not w[0].isupper() or w.lower() in _PREPOSITIONS or w.lower() in _STOP:
            i += 1
            continue
        run = [(s, e)]
        j = i + 1
        while j < len(words):
            ns, ne = words[j]
            gap = text[run[-1][1]:ns]
            if gap.strip(" ") or "\n" in gap or len(gap) > 1:
                break
            nw = text[ns:ne]
            if nw[0].isupper() and nw.lower() not in _PREPOSITIONS and nw.lower() not in _STOP:
                run.append((ns, ne))
                j += 1
                continue
            if nw.lower() in _NAME_GLUE and j + 1 < len(words):
                ns2, ne2 = words[j + 1]
                if text[ns2].isupper() and text[ne:ns2] == " ":
                    run.extend([(ns, ne), (ns2, ne2)])
                    j += 2
                    continue
            break
        # a trailing apostrophe-s or hyphen is not part of the name ("Mali's", "Gao-based")
        yield _Phrase(run[0][0], run[-1][1], run)
        i = j


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = re.search(r"(?:['\u2019]s|['\u2019]|-[a-z][a-z-]*)$", text[start:end])
    if m and m.start() > 0:
        end = start + m.start()
    return start, end


# what names a settlement too small for the gazetteer: "the village of X", "villages of X, Y"
_SETTLEMENT_BEFORE = re.compile(
    r"\b(?:village|villages|hamlet|hamlets|locality|localities|town|towns|settlement|"
    r"settlements|camp|site|commune|well|wells)\s+of\s+$|\bvillages?\s+(?:called|named)\s+$",
    re.IGNORECASE,
)


def _unknown_from(
    name: str, at: int, known: list[tuple[int, int, PlaceCandidate]], country: str | None
) -> dict[str, Any]:
    """:func:`unknown_place` on places already looked up (the scan has them)."""
    place = place_dict(name, country)
    pool = [k for k in known if country is None or k[2].place.get("country") == country]
    if pool:
        best = min(pool, key=lambda k: min(abs(k[0] - at), abs(k[1] - at)))[2]
        place["country"] = country or best.place.get("country")
        if best.precision in ("place", "site", "near_place", "admin2", "admin3"):
            place["admin1"], place["admin2"] = best.place.get("admin1"), best.place.get("admin2")
        elif best.precision == "admin1":
            place["admin1"] = best.place.get("admin1") or best.place.get("name")
    return {"place": place, "precision": "place", "relation": "in"}


# "near the border with Niger", "the Malian-Nigerien border": next to the place, not in it
_BORDER_BEFORE = re.compile(
    r"\b(?:borders?|frontiers?|boundary)\s+(?:with|of|between)\s+(?:\w+\s+and\s+)?$",
    re.IGNORECASE,
)


def _relation(text: str, start: int, prev: str) -> str:
    """The spatial relation a place has to the event, from the words before it."""
    before = text[max(0, start - 40):start]
    if prev in _NEAR or "close to" in before[-12:].lower() or _BORDER_BEFORE.search(before):
        return "near"
    return "between" if prev == "between" else "in"


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([^\W\d_]+)[\s,]*$", text[max(0, start - 40):start])
    return m.group(1).lower() if m else ""


def _lookup(
    name: str,
    gazetteer: Gazetteer | None,
    project_places: ProjectPlaces | None,
    hint: str | None,
) -> list[PlaceCandidate]:
    return suggest_places(name, gazetteer, project_places, hint, limit=3)


def _find_locations(
    text: str,
    gazetteer: Gazetteer | None,
    project_places: ProjectPlaces | None,
    blocked: list[tuple[int, int]],
    unknown: bool = True,
) -> list[Suggestion]:
    """Location suggestions (see the module docstring); ``unknown``: also names the gazetteer
    lacks after "the village of", "the towns of" ..., with the values :func:`unknown_place`
    gives."""
    if gazetteer is None and project_places is None:
        return []
    blocked_set = IntervalSet(blocked)
    accepted: list[tuple[int, int, str, list[PlaceCandidate]]] = []
    last_end = -1
    last_prev = ""
    last_unknown = False
    for ph in _name_phrases(text):
        found: tuple[int, int, list[PlaceCandidate], bool] | None = None
        # longest sub-run first: "Bordj Badji Mokhtar" before "Bordj"
        n = len(ph.words)
        for k in range(n, 0, -1):
            for a in range(0, n - k + 1):
                # inside a longer name only a prefix counts ("Islamic State Sahel Province"
                # is no place), or what follows directions ("Northern Mali")
                lead = [text[ws:we].lower() for ws, we in ph.words[:a]]
                if any(w not in _DIRECTIONAL for w in lead):
                    continue
                s, e = ph.words[a][0], ph.words[a + k - 1][1]
                s, e = _trim(text, s, e)
                if k == 1 and text[s:e].lower() in _NOT_ALONE:
                    continue
                if text[e - 1:e] in ("-", "'"):
                    continue
                type_m = _TYPE_AFTER.match(text[e:e + 20])
                name_end = e + type_m.end() if type_m else e
                if blocked_set.overlaps(s, name_end):
                    continue
                cands = _lookup(text[s:name_end], gazetteer, project_places, None)
                if not cands and type_m:
                    name_end = e
                    cands = _lookup(text[s:e], gazetteer, project_places, None)
                written = text[s:name_end]
                cands = [c for c in cands if not c.matched.isupper() or written.isupper()]
                if cands:
                    found = (s, name_end, cands, name_end != e)
                    break
            if found:
                break
        if found is None:
            s, e = _trim(text, ph.start, ph.end)
            before = text[max(0, s - 40):s]
            settlement = _SETTLEMENT_BEFORE.search(before) is not None or (
                last_unknown and _LIST_GLUE.match(text[last_end:s]) is not None)
            if (unknown and settlement and not blocked_set.overlaps(s, e) and len(ph.words) <= 3
                    and text[s:e].lower() not in _NOT_ALONE):
                accepted.append((s, e, "in", []))
                last_end, last_prev, last_unknown = e, "in", True
            continue
        last_unknown = False
        s, e, cands, has_type = found
        before = text[max(0, s - 40):s]
        prev = _prev_word(text, s)
        trusted = cands[0].source == "project" or cands[0].precision == "country"
        ok = (
            prev in _PREPOSITIONS
            or _PLACE_NOUN_BEFORE.search(before) is not None
            or has_type
            or (last_end >= 0 and _LIST_GLUE.match(text[last_end:s]) is not None)
            or trusted
        )
        if prev == "of" and not trusted and _PLACE_NOUN_BEFORE.search(before) is None:
            ok = False  # "the leader of Ansar Dine": "of" alone is too weak for towns
        if not ok:
            continue
        if prev not in _PREPOSITIONS and last_end >= 0 and _LIST_GLUE.match(text[last_end:s]):
            prev = last_prev  # "near Gao and Ansongo": both near
        accepted.append((s, e, prev, cands))
        last_end, last_prev = e, prev
    if not accepted:
        return []
    # the report's country: the most common country among the first candidates
    votes = Counter(c[3][0].place.get("country") for c in accepted
                    if c[3] and c[3][0].place.get("country"))
    hint = votes.most_common(1)[0][0] if votes else None
    known = [(s, e, cands[0]) for s, e, _, cands in accepted if cands
             and cands[0].precision not in ("country", "region")]
    out = []
    for s, e, prev, cands in accepted:
        if not cands:  # a village nobody knows: its name, the country, nearby admin areas
            lo = max(0, s - 600)
            near = [(a - lo, b - lo, c) for a, b, c in known if abs(a - s) < 600]
            guessed = _unknown_from(text[s:e], s - lo, near, hint)
            out.append(Suggestion("location", s, e, text[s:e], guessed))
            continue
        if hint is not None:
            cands = _lookup(text[s:e], gazetteer, project_places, hint) or cands
        best = cands[0]
        relation = _relation(text, s, prev)
        attrs = best.attributes(relation)
        if relation == "near" and best.precision == "place":
            attrs["precision"] = "near_place"
        out.append(Suggestion("location", s, e, text[s:e], attrs))
    return out


# ---------------------------------------------------------------------------------------------
# Whole text


@without_gc
def suggest_spans(
    text: str,
    published: dt.date | None,
    actors: ActorList | None = None,
    gazetteer: Gazetteer | None = None,
    project_places: ProjectPlaces | None = None,
    day_first: bool = False,
    vague_table: Mapping[str, int] | None = None,
) -> list[Suggestion]:
    """Suggested date, casualty_count, actor and location spans in a report.

    ``published`` resolves relative dates. Without ``actors`` no actor is proposed; without
    ``gazetteer`` and ``project_places`` no location (pass ``Gazetteer.default()`` for the
    installed data). Offsets are code points.
    """
    out: list[Suggestion] = []
    dates = find_dates(text, published, day_first)
    out.extend(Suggestion("date", f.start, f.end, f.text, f.attributes) for f in dates)
    date_spans = [(f.start, f.end) for f in dates]
    if published is None:
        # dates without a year or relative ones are not proposed without a reference date, but
        # their numbers must not turn into counts ("3 December" is no casualty figure)
        date_spans += [(f.start, f.end) for f in find_dates(text, dt.date.today(), day_first)]
    counts = find_counts(text, vague_table, exclude=date_spans)
    out.extend(Suggestion("casualty_count", f.start, f.end, f.text, f.attributes) for f in counts)
    actor_spans: list[tuple[int, int]] = []
    if actors is not None:
        for f in actors.find(text):
            out.append(Suggestion("actor", f.start, f.end, f.text, f.attributes))
            actor_spans.append((f.start, f.end))
    blocked = date_spans + actor_spans + [(f.start, f.end) for f in counts]
    out.extend(_find_locations(text, gazetteer, project_places, blocked))
    trailer = boilerplate_start(text)
    out = [s for s in out if s.start < trailer]
    out.sort(key=lambda s: (s.start, SPAN_TYPES.index(s.type), s.end))
    return out


# lines that end an article and start the publisher's own text: paywall notes, "read more",
# copyright and about-us lines (checked after the first third of a report only)
_TRAILER_LINE = re.compile(
    r"^[ \t]*(?:©|\(c\)\s|copyright\b|all\s+rights\s+reserved|the\s+full\s+text\s+of\s+this"
    r"|(?:please\s+)?(?:log\s*in|sign\s+in|register|subscribe)\b.{0,80}(?:subscri|access|read)"
    r"|read\s+more\s*$|click\s+here\s+to\s+(?:subscribe|read|register)|related\s+(?:articles|posts"
    r"|stories)\s*$|share\s+this\s*(?:article|post)?\s*:?\s*$|about\s+(?:us|the\s+author)\s*$"
    r"|terms\s+of\s+(?:use|service)|privacy\s+policy)",
    re.IGNORECASE | re.MULTILINE,
)


def boilerplate_start(text: str) -> int:
    """Where the publisher's boilerplate after the article begins (``len(text)`` if there is
    none): the first line after the first third of the text that is a paywall note ("The full text
    of this post is available to subscribers"), a "Read more", copyright, "About us", terms or
    privacy line. Nothing from there on is a place, actor, date or count of the report."""
    for m in _TRAILER_LINE.finditer(text, len(text) // 3):
        return m.start()
    return len(text)


# ---------------------------------------------------------------------------------------------
# One tagged span


def suggest_attributes(
    type: str,
    span_text: str,
    context: str = "",
    published: dt.date | None = None,
    actors: ActorList | None = None,
    gazetteer: Gazetteer | None = None,
    project_places: ProjectPlaces | None = None,
    day_first: bool = False,
    vague_table: Mapping[str, int] | None = None,
    *,
    at: int | None = None,
) -> list[dict[str, Any]]:
    """Attribute prefills for a span a coder just tagged: best first, alternatives after.

    ``context`` is the text around the span (the report text or a sentence), ``at`` where the
    span starts in it (code points; by default its first occurrence). Each dict holds the
    attributes of the span type as the codebook stores them. An unknown type gives [].
    """
    if at is None and context:
        found_at = context.find(span_text)
        at = found_at if found_at >= 0 else None
    if type == "date":
        other = None
        if context and at is not None:
            before = [f for f in find_dates(context[:at], published, day_first)
                      if f.attributes["granularity"] == "day"]  # fmt: skip
            if before:
                other = dt.date.fromisoformat(before[-1].attributes["value"].rstrip("~?%"))
        values = normalize_date(span_text, published, day_first, other_date=other)
        return [v.attributes() for v in values]
    if type == "casualty_count":
        value = normalize_count(span_text, context, vague_table, at=at)
        return [value.attributes()] if value.quantity_kind else []
    if type == "actor":
        return _actor_prefill(span_text, actors)
    if type == "location":
        hint = _context_country(context, gazetteer)
        prev = _prev_word(context, at) if context and at is not None else ""
        relation = _relation(context, at, prev) if context and at is not None else "in"
        cands = suggest_places(span_text, gazetteer, project_places, hint, limit=5)
        result = []
        for c in cands:
            attrs = c.attributes(relation)
            if relation == "near" and c.precision == "place":
                attrs["precision"] = "near_place"
            result.append(attrs)
        if not result:
            unknown = unknown_place(span_text, context, at, gazetteer, project_places, hint)
            if unknown is not None:
                unknown["relation"] = relation
                if relation == "near":
                    unknown["precision"] = "near_place"
                result.append(unknown)
        return result
    return []


def unknown_place(
    name: str,
    context: str,
    at: int | None,
    gazetteer: Gazetteer | None,
    project_places: ProjectPlaces | None,
    country: str | None = None,
) -> dict[str, Any] | None:
    """Attributes for a place nobody knows (a village the gazetteer lacks): the name as
    written, the report's country (``country``, else that of the nearest known place) and the
    admin areas of the known place named nearest to it in ``context`` (its admin1 and admin2:
    "the village of Labbezenga, southwest of the town of Ansongo" takes Ansongo's), precision
    "place", no coordinates. None for a name without letters."""
    clean = " ".join(name.split()).strip(" .,;:'\"()")
    if not any(ch.isalpha() for ch in clean):
        return None
    known = _known_places(context, gazetteer, project_places, exclude=clean)
    # the country of the places named around it outvotes a country merely named nearby
    # ("villages of the Ménaka region ... near the border with Niger")
    votes = Counter(k[2].place.get("country") for k in known if k[2].place.get("country"))
    if votes:
        country = votes.most_common(1)[0][0]
        known = [k for k in known if k[2].place.get("country") == country]
    if at is not None and known:
        known.sort(key=lambda k: min(abs(k[0] - at), abs(k[1] - at)))
    place = place_dict(clean, country)
    if known:
        best = known[0][2]
        value = best.place
        place["country"] = country or value.get("country")
        if place["country"] == value.get("country"):
            if best.precision in ("place", "site", "near_place", "admin2", "admin3"):
                place["admin1"], place["admin2"] = value.get("admin1"), value.get("admin2")
            elif best.precision == "admin1":
                place["admin1"] = value.get("admin1") or value.get("name")
    return {"place": place, "precision": "place"}


def _known_places(
    context: str,
    gazetteer: Gazetteer | None,
    project_places: ProjectPlaces | None,
    exclude: str = "",
) -> list[tuple[int, int, PlaceCandidate]]:
    """Known places and admin units the scan finds in ``context`` (not countries or regions),
    with their offsets."""
    if not context or (gazetteer is None and project_places is None):
        return []
    skip = fold(exclude)
    out = []
    for sg in _find_locations(context, gazetteer, project_places, [], unknown=False):
        precision = str(sg.attributes.get("precision"))
        if precision in ("country", "region") or fold(sg.text) == skip:
            continue
        place = dict(sg.attributes["place"])
        out.append((sg.start, sg.end, PlaceCandidate(place, precision, 100.0)))
    return out


# words around a name that say who is meant but are not the name: "ISIS operatives", "three
# Wagner Group personnel", "members of the Islamic State"
_ACTOR_LEAD = re.compile(
    r"^(?:(?:the|a|an|some|several|many|dozens\s+of|hundreds\s+of|scores\s+of|\d+|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|other|suspected|alleged|armed|local)\s+)*"
    r"(?:(?:members?|fighters?|militants?|operatives?|elements?|units?|soldiers?|troops|"
    r"commanders?|leaders?|personnel|followers|supporters|cells?)\s+(?:of|from)\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_MEMBER_NOUNS = (
    r"operatives?|personnel|fighters?|militants?|members?|elements?|gunmen|jihadists?|"
    r"insurgents?|rebels?|mercenaries|contractors|units?|cells?|affiliates?|loyalists|"
    r"commanders?|troops|soldiers?|forces|men"
)
_ACTOR_TAIL = re.compile(rf"(?:[\s-]+(?:{_MEMBER_NOUNS}))+$", re.IGNORECASE)
# what a description says of an actor nobody listed: the last matching word decides
_TYPE_WORDS_ACTOR = (
    ("police", re.compile(r"\b(?:police(?:men|man)?|gendarmes?|gendarmerie)\b", re.I)),
    ("state_forces", re.compile(
        r"\b(?:army|armed\s+forces|military|soldiers?|troops|security\s+forces|"
        r"national\s+guard|air\s+force|navy)\b", re.I)),
    ("private_military_company", re.compile(
        r"\b(?:mercenar(?:y|ies)|private\s+military|pmc|contractors)\b", re.I)),
    ("rebel_or_jihadist_group", re.compile(
        r"\b(?:jihadists?|insurgents?|rebels?|militants?|terrorists?|islamists?|"
        r"mujahideen|caliphate)\b", re.I)),
    ("militia", re.compile(r"\b(?:militias?|militiamen|self-defen[cs]e\s+groups?|vigilantes?)\b",
                           re.I)),
    ("civilians", re.compile(
        r"\b(?:civilians?|villagers?|nomads?|residents?|herders?|farmers?|worshippers?|"
        r"passengers?|students?|women|children)\b", re.I)),
    ("government_official", re.compile(
        r"\b(?:officials?|governor|minister|mayor|spokesm[ae]n|spokesperson|chief)\b", re.I)),
    ("unidentified_armed_group", re.compile(
        r"\b(?:gunmen|unidentified|unknown\s+(?:armed|attackers|assailants)|assailants|"
        r"attackers|armed\s+men|bandits)\b", re.I)),
)


def actor_name_core(span_text: str) -> str:
    """The name inside an actor mention: ``"ISIS operatives"`` -> ``"ISIS"``, ``"three
    members of the Wagner Group"`` -> ``"Wagner Group"``; the mention itself when nothing is
    left after taking off quantities, determiners and member nouns."""
    name = " ".join(span_text.split())
    core = _ACTOR_TAIL.sub("", _strip_actor_lead(name)).strip(" -,")
    return core or name


def _strip_actor_lead(name: str) -> str:
    return _ACTOR_LEAD.sub("", name, count=1) or name


def guess_actor_type(span_text: str) -> str | None:
    """The actor type a description implies ("Nigerien soldiers" -> state_forces, "gunmen" ->
    unidentified_armed_group), or None. Only for names the actor list does not know."""
    best: tuple[int, str] | None = None
    for actor_type, pattern in _TYPE_WORDS_ACTOR:
        for m in pattern.finditer(span_text):
            if best is None or m.start() > best[0]:
                best = (m.start(), actor_type)
    return best[1] if best else None


def _actor_prefill(span_text: str, actors: ActorList | None) -> list[dict[str, Any]]:
    """Actor-list entries for a mention, best first: an exact name or alias of the whole
    mention, then of its name core ("ISIS" of "ISIS operatives"), then fuzzy matches; a new
    name as written comes last, with the actor type its words imply."""
    name = " ".join(span_text.split())
    ranked: list[tuple[float, int, Any]] = []
    if actors is not None and len(actors):
        core = actor_name_core(name)
        seen: set[str] = set()
        variants = (name, _strip_actor_lead(name), core)
        for k, variant in enumerate(dict.fromkeys(variants)):
            for entry, score in actors.match(variant):
                if entry.canonical in seen or (k and score < 100.0):
                    continue
                seen.add(entry.canonical)
                ranked.append((-score, k, entry))
        ranked.sort(key=lambda r: (r[0], r[1]))
    out = [entry.attributes() for _, _, entry in ranked]
    if name and all(o["canonical_name"] != name for o in out):
        new: dict[str, Any] = {"canonical_name": name}  # a new name, as written
        guessed = guess_actor_type(name)
        if guessed:
            new["actor_type"] = guessed
        out.append(new)
    return out


def _context_country(context: str, gazetteer: Gazetteer | None) -> str | None:
    """The country named most often in the context (capitalised words only)."""
    if not context or gazetteer is None:
        return None
    votes: Counter[str] = Counter()
    for ph in _name_phrases(context):
        s, e = _trim(context, ph.start, ph.end)
        written = context[s:e]
        if len(written) <= 3 and not written.isupper():
            continue  # "Per", "Can": words, not the codes PER or CAN
        code = gazetteer.country_code(written)
        if code:
            votes[code] += 1
    return votes.most_common(1)[0][0] if votes else None
