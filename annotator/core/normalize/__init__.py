"""Normalization and suggestion core: dates, counts, places and actors found in report text.

Everything here is pure Python (no Qt). Offsets are Unicode code points, attribute values have
the shapes of docs/contracts.md. See docs/normalization.md for the rules.
"""

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
