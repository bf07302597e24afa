"""All tables of a project database (SQLAlchemy Core: ``Table`` objects on one ``metadata``).

Offsets (``span.start``/``span.end``) are Unicode code points into ``report.text``, end exclusive,
and ``report.text[start:end] == span.text`` always holds. JSON columns hold plain dicts.

Plain Core tables, no ORM classes: nothing in the project reads rows as objects, and building
mapped classes at import cost the window a large part of its start (issue 19).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

__all__ = [
    "STATUSES",
    "ROLES",
    "GOLD_CODER",
    "metadata",
    "inserted_id",
    "utcnow",
    "meta_t",
    "codebook_t",
    "report_t",
    "coder_t",
    "assignment_t",
    "span_t",
    "claim_t",
    "slot_fill_t",
    "provenance_t",
    "actor_t",
    "place_t",
    "rejected_t",
    "decision_t",
    "change_log_t",
    "change_counter_t",
    "mark_t",
    "history_t",
    "merge_log_t",
]

STATUSES = ("todo", "in_progress", "done")
ROLES = ("coder", "reviewer", "gold")
GOLD_CODER = "gold"


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])


def utcnow() -> datetime:
    """The current time in UTC, without microseconds (they are noise in exports)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp with its zone: only aware datetimes are stored, and every one read back is
    aware and in UTC (SQLite keeps no zone: what it returns is UTC)."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a timestamp without a time zone cannot be stored (use utcnow())")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData()


def _id() -> Column[Any]:
    return Column("id", Integer, primary_key=True)


def _text(name: str, *, null: bool = False, **kw: Any) -> Column[Any]:
    return Column(name, String, nullable=null, **kw)


def _int(name: str, *, null: bool = False, **kw: Any) -> Column[Any]:
    return Column(name, Integer, nullable=null, **kw)


def _ref(name: str, target: str, *, null: bool = False, cascade: bool = True, **kw: Any) -> Column[Any]:
    fk = ForeignKey(target, ondelete="CASCADE") if cascade else ForeignKey(target)
    return Column(name, Integer, fk, nullable=null, **kw)


def _json(name: str) -> Column[Any]:
    return Column(name, JSON, nullable=False)


def _at(name: str, *, null: bool = False) -> Column[Any]:
    return Column(name, UTCDateTime(), nullable=null, default=None if null else utcnow)


def _version() -> Column[Any]:
    # bumped by every change of the row: edits made from an older version are refused
    return Column("version", Integer, nullable=False, default=1, server_default="1")


# Key/value settings of the project: schema version, active codebook, preferences.
meta_t = Table("meta", metadata, Column("key", String, primary_key=True), _text("value"))

# A codebook version stored in the project; annotation rows point at the one they used.
codebook_t = Table(
    "codebook", metadata,
    _id(), _text("name"), _int("version"),
    _text("content"),  # the codebook JSON, canonical (sorted keys)
    _at("added_at"),
    UniqueConstraint("name", "version"),
)

report_t = Table(
    "report", metadata,
    _id(),
    _text("external_id", index=True, unique=True),
    _text("title", default=""),
    _text("source", null=True), _text("url", null=True),
    _text("published", null=True),  # ISO 8601 date, YYYY-MM-DD
    _text("language", null=True),
    _text("text"),  # immutable after import; newlines normalized to "\n"
    _text("sha256"),
    _at("imported_at"),
    _json("meta"),
    # the date relative dates resolve against when it is not ``published`` (set by a coder)
    _text("reference_date", null=True),
    Index("ix_report_sha256", "sha256", unique=True),
)

coder_t = Table(
    "coder", metadata,
    _id(), _text("name", index=True, unique=True), _text("role", default="coder"),
)

assignment_t = Table(
    "assignment", metadata,
    _id(),
    _ref("report_id", "report.id"),
    _ref("coder_id", "coder.id", index=True),
    _text("status", default="todo"),
    _at("created_at"), _at("updated_at"), _version(),
    UniqueConstraint("report_id", "coder_id"),
)

span_t = Table(
    "span", metadata,
    _id(),
    _ref("report_id", "report.id"), _ref("coder_id", "coder.id"),
    _text("key"),  # the coder's own identifier within the report ("s1"), kept through interchange
    _text("type"),
    _int("start"),  # code points, inclusive
    _int("end"),  # code points, exclusive
    _text("text"),
    _json("attributes"),
    _ref("codebook_id", "codebook.id", null=True, cascade=False),
    _at("created_at"), _at("updated_at"), _version(),
    Index("ix_span_report_coder", "report_id", "coder_id", "start"),
    UniqueConstraint("report_id", "coder_id", "key"),
    # undo re-inserts deleted rows under their old ids, so ids must never be reused
    sqlite_autoincrement=True,
)

claim_t = Table(
    "claim", metadata,
    _id(),
    _ref("report_id", "report.id"), _ref("coder_id", "coder.id"),
    _text("key"), _text("type"), _json("attributes"),
    _ref("codebook_id", "codebook.id", null=True, cascade=False),
    _at("created_at"), _at("updated_at"), _version(),
    Index("ix_claim_report_coder", "report_id", "coder_id"),
    UniqueConstraint("report_id", "coder_id", "key"),
    sqlite_autoincrement=True,
)

# One entry of a claim slot: a span, or (span_id NULL, not_reported) the explicit "not reported".
slot_fill_t = Table(
    "slot_fill", metadata,
    _id(),
    _ref("claim_id", "claim.id"),
    _text("slot"),
    _int("position", default=0),
    _ref("span_id", "span.id", null=True, index=True),
    Column("not_reported", Boolean, nullable=False, default=False),
    Index("ix_slot_fill_claim", "claim_id", "slot", "position"),
    sqlite_autoincrement=True,
)

# Where a gold item came from: which coder's item was taken, by whom, when and why. Exactly one
# of span_id and claim_id is set; the row goes with its item.
provenance_t = Table(
    "provenance", metadata,
    _id(),
    _ref("span_id", "span.id", null=True, unique=True),
    _ref("claim_id", "claim.id", null=True, unique=True),
    _text("from_coder", null=True), _text("from_key", null=True),
    _text("action", default="accepted"),  # accepted, accepted_both, edited, created
    _text("decided_by", null=True), _at("decided_at", null=True), _text("rationale", null=True),
)

# The project's actor list: canonical names the ``actor`` spans normalize to.
actor_t = Table(
    "actor", metadata,
    _id(), _text("canonical", index=True, unique=True),
    _text("type", null=True), _text("country", null=True), _json("aliases"),
)

# The project's own places, searched before the gazetteer; coders add them from the form.
place_t = Table(
    "place", metadata,
    _id(), _text("name", index=True),
    _text("country", null=True), _text("admin1", null=True), _text("admin2", null=True),
    _text("admin3", null=True),
    Column("lat", Float, nullable=True), Column("lon", Float, nullable=True),
    _int("geonameid", null=True),
    _text("precision", default="place"),
    _json("aliases"),
    UniqueConstraint("name", "country", "admin1", name="uq_place"),
)

# A suggested span a coder rejected: the scan never proposes it to that coder again.
rejected_t = Table(
    "rejected_suggestion", metadata,
    _id(), _ref("report_id", "report.id"), _ref("coder_id", "coder.id"),
    _text("type"), _int("start"), _int("end"),
    UniqueConstraint("report_id", "coder_id", "type", "start", "end", name="uq_rejected"),
)

# A reviewer's decision on one review item (an aligned span or claim group) of a report. The
# gold items it created carry their own provenance; a rejection creates none, so the decision is
# what marks the item resolved. ``item_key`` names the coders' items it covers.
decision_t = Table(
    "decision", metadata,
    _id(), _ref("report_id", "report.id", index=True),
    _text("item_key"),
    _text("kind"),  # span or claim
    _text("action"),  # accepted, accepted_both, rejected, edited, accepted_unanimous
    _text("coder", null=True),  # whose version was taken
    _text("decided_by"), _at("decided_at"), _text("rationale", null=True),
    UniqueConstraint("report_id", "item_key", name="uq_decision"),
)

# One entry per report (or structure change) of every committed command, numbered by the
# project-wide counter: windows poll it to pick up what other processes changed.
change_log_t = Table(
    "change_log", metadata,
    _id(),
    _int("seq", index=True),  # change_counter.seq of the command's transaction
    _text("origin"),  # the Project session that made it
    _int("report_id", null=True),  # no foreign key: the log outlives deleted reports
    _int("coder_id", null=True),
    _text("what"),  # annotations, status or structure
    _at("at"),
)

# A single row counting committed commands. Each command's transaction increments it last, so
# commits are numbered in the order they become visible.
change_counter_t = Table(
    "change_counter", metadata,
    Column("id", Integer, primary_key=True, default=1, autoincrement=False),
    _int("seq", default=0),
)

# An item a codebook upgrade could not carry over whole: its type, slot or a value is not in the
# new version. The item stays (a removed type keeps its old type and version); values that had
# to leave its attributes are kept here. Listed by ``annotator codebook marks``.
mark_t = Table(
    "codebook_mark", metadata,
    _id(),
    _text("kind"),  # span, claim, slot_fill
    _int("item_id", index=True),
    _ref("codebook_id", "codebook.id", cascade=False),  # the version the upgrade went to
    _text("reason"), _json("kept"), _at("created_at"),
)

# A version of one coder's work on one report that left the project or never entered it:
# replaced by a merge (``replaced``), the side a conflict's choice did not take (``not_taken``),
# or spans that could not follow a corrected text (``flagged``). ``content`` is the interchange
# annotation (status, spans, claims) with offsets into the text whose hash is ``text_sha256``.
# No foreign key: the history outlives what it describes.
history_t = Table(
    "annotation_history", metadata,
    _id(), _int("report_id", null=True, index=True),
    _text("report_external_id"), _text("coder"),
    _text("kind"),  # replaced, not_taken, flagged
    _text("reason"), _json("content"), _text("text_sha256"),
    _text("source", null=True),  # the file merged
    _at("created_at"),
)

# What a merge took from a package: the coder's version on a report as the package held it and
# as it was stored, so that merging the same package again after more work is told from a
# conflict.
merge_log_t = Table(
    "merge_log", metadata,
    _id(), _text("package_id", index=True), _int("report_id"), _text("coder"),
    _text("file_fingerprint"), _text("stored_fingerprint"), _text("source", null=True),
    _at("merged_at"),
)
