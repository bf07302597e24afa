"""The interchange format (JSON Lines, schemas/interchange.schema.json): parse, store, stream out.

One line per report with the annotations of zero or more coders. Offsets are code points into
``report.text``, end exclusive, and ``text[start:end] == span.text`` for every span. Reading
(:mod:`.parse`), storing (:mod:`.store`) and writing (:mod:`.export`) live in their own modules.
"""

from __future__ import annotations

from annotator.core.io.interchange.export import export_jsonl, iter_export
from annotator.core.io.interchange.parse import (
    ParsedRecord,
    iter_records,
    parse_data,
    parse_record,
)
from annotator.core.io.interchange.store import Precheck, StoreResult, store_record

__all__ = [
    "ParsedRecord",
    "Precheck",
    "StoreResult",
    "export_jsonl",
    "iter_export",
    "iter_records",
    "parse_data",
    "parse_record",
    "store_record",
]
