"""Normalization and suggestion core: dates, counts, places and actors found in report text.

Everything here is pure Python (no Qt). Offsets are Unicode code points, attribute values have
the shapes of docs/contracts.md. See docs/normalization.md for the rules.

The names load with their module when first used: importing one normalizer (or the package,
as the window's start does) does not load the others' rule tables and patterns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.lazy import lazy_names

if TYPE_CHECKING:  # the names, for type checkers; at run time each loads when first used
    from ._common import Found, fold
    from .actors import ActorCsvError, ActorEntry, ActorList, read_actors_csv, write_actors_csv
    from .counts import DEFAULT_VAGUE_TABLE, CountValue, find_counts, normalize_count
    from .dates import DateValue, find_dates, normalize_date
    from .places import (
        Gazetteer,
        GazetteerUnavailable,
        PlaceCandidate,
        PlaceRecord,
        ProjectPlaces,
        suggest_places,
    )
    from .suggest import Suggestion, suggest_attributes, suggest_spans

# name -> the module that defines it
_HOME = {
    'Found': '._common',
    'fold': '._common',
    'ActorCsvError': '.actors',
    'ActorEntry': '.actors',
    'ActorList': '.actors',
    'read_actors_csv': '.actors',
    'write_actors_csv': '.actors',
    'DEFAULT_VAGUE_TABLE': '.counts',
    'CountValue': '.counts',
    'find_counts': '.counts',
    'normalize_count': '.counts',
    'DateValue': '.dates',
    'find_dates': '.dates',
    'normalize_date': '.dates',
    'Gazetteer': '.places',
    'GazetteerUnavailable': '.places',
    'PlaceCandidate': '.places',
    'PlaceRecord': '.places',
    'ProjectPlaces': '.places',
    'suggest_places': '.places',
    'Suggestion': '.suggest',
    'suggest_attributes': '.suggest',
    'suggest_spans': '.suggest',
}


__getattr__, __dir__ = lazy_names(__name__, _HOME, globals())

__all__ = [
    "DEFAULT_VAGUE_TABLE",
    "ActorCsvError",
    "ActorEntry",
    "ActorList",
    "CountValue",
    "DateValue",
    "Found",
    "Gazetteer",
    "GazetteerUnavailable",
    "PlaceCandidate",
    "PlaceRecord",
    "ProjectPlaces",
    "Suggestion",
    "find_counts",
    "find_dates",
    "fold",
    "normalize_count",
    "normalize_date",
    "read_actors_csv",
    "suggest_attributes",
    "suggest_places",
    "suggest_spans",
    "write_actors_csv",
]
