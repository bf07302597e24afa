"""All tables of a project database (sqlmodel).

Offsets (``Span.start``/``Span.end``) are Unicode code points into ``Report.text``, end exclusive,
and ``report.text[start:end] == span.text`` always holds. JSON columns hold plain dicts.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "Assignment",
    "Claim",
    "CodebookRow",
    "Coder",
    "Meta",
    "Provenance",
    "Report",
    "SlotFill",
    "Span",
    "STATUSES",
    "ROLES",
    "GOLD_CODER",
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
    "Actor",
    "Place",
    "RejectedSuggestion",
    "actor_t",
    "place_t",
    "rejected_t",
    "Decision",
    "decision_t",
    "ChangeLog",
    "ChangeCounter",
    "change_log_t",
    "change_counter_t",
    "CodebookMark",
    "mark_t",
    "AnnotationHistory",
    "MergeLog",
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


class Meta(SQLModel, table=True):
    """Key/value settings of the project: schema version, active codebook, preferences."""

    key: str = Field(primary_key=True)
    value: str


class CodebookRow(SQLModel, table=True):
    """A codebook version stored in the project; annotation rows point at the one they used."""

    __tablename__ = "codebook"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    version: int
    content: str  # the codebook JSON, canonical (sorted keys)
    added_at: datetime = Field(default_factory=utcnow)


class Report(SQLModel, table=True):
    __table_args__ = (Index("ix_report_sha256", "sha256", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(index=True, unique=True)
    title: str = ""
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date, YYYY-MM-DD
    language: str | None = None
    text: str  # immutable after import; newlines normalized to "\n"
    sha256: str
    imported_at: datetime = Field(default_factory=utcnow)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # the date relative dates resolve against when it is not ``published`` (set by a coder)
    reference_date: str | None = None


class Coder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    role: str = "coder"


class Assignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("report_id", "coder_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coder.id", ondelete="CASCADE", index=True)
    status: str = "todo"
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # bumped by every change of the row: edits made from an older version are refused
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class Span(SQLModel, table=True):
    __table_args__ = (
        Index("ix_span_report_coder", "report_id", "coder_id", "start"),
        UniqueConstraint("report_id", "coder_id", "key"),
        # undo re-inserts deleted rows under their old ids, so ids must never be reused
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coder.id", ondelete="CASCADE")
    key: str  # the coder's own identifier within the report ("s1"), kept through interchange
    type: str
    start: int  # code points, inclusive
    end: int  # code points, exclusive
    text: str
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    codebook_id: int | None = Field(default=None, foreign_key="codebook.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # bumped by every change of the row: edits made from an older version are refused
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class Claim(SQLModel, table=True):
    __table_args__ = (
        Index("ix_claim_report_coder", "report_id", "coder_id"),
        UniqueConstraint("report_id", "coder_id", "key"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coder.id", ondelete="CASCADE")
    key: str
    type: str
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    codebook_id: int | None = Field(default=None, foreign_key="codebook.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # bumped by every change of the row: edits made from an older version are refused
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class SlotFill(SQLModel, table=True):
    """One entry of a claim slot: a span, or (span_id NULL, not_reported) the explicit "not reported"."""

    __tablename__ = "slot_fill"
    __table_args__ = (
        Index("ix_slot_fill_claim", "claim_id", "slot", "position"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", ondelete="CASCADE")
    slot: str
    position: int = 0
    span_id: int | None = Field(default=None, foreign_key="span.id", ondelete="CASCADE", index=True)
    not_reported: bool = False


class Provenance(SQLModel, table=True):
    """Where a gold item came from: which coder's item was taken, by whom, when and why."""

    id: int | None = Field(default=None, primary_key=True)
    # exactly one of the two is set; the row goes with its item
    span_id: int | None = Field(
        default=None, foreign_key="span.id", ondelete="CASCADE", unique=True
    )
    claim_id: int | None = Field(
        default=None, foreign_key="claim.id", ondelete="CASCADE", unique=True
    )
    from_coder: str | None = None
    from_key: str | None = None
    action: str = "accepted"  # accepted, accepted_both, edited, created
    decided_by: str | None = None
    decided_at: datetime | None = None
    rationale: str | None = None


class Actor(SQLModel, table=True):
    """The project's actor list: canonical names the ``actor`` spans normalize to."""

    id: int | None = Field(default=None, primary_key=True)
    canonical: str = Field(unique=True, index=True)
    type: str | None = None
    country: str | None = None
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Place(SQLModel, table=True):
    """The project's own places, searched before the gazetteer; coders add them from the form."""

    __table_args__ = (UniqueConstraint("name", "country", "admin1", name="uq_place"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str = "place"
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class RejectedSuggestion(SQLModel, table=True):
    """A suggested span a coder rejected: the scan never proposes it to that coder again."""

    __tablename__ = "rejected_suggestion"
    __table_args__ = (
        UniqueConstraint("report_id", "coder_id", "type", "start", "end", name="uq_rejected"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE")
    coder_id: int = Field(foreign_key="coder.id", ondelete="CASCADE")
    type: str
    start: int
    end: int


class Decision(SQLModel, table=True):
    """A reviewer's decision on one review item (an aligned span or claim group) of a report.

    The gold items it created carry their own provenance; a rejection creates none, so the
    decision is what marks the item resolved. ``item_key`` names the coders' items it covers.
    """

    __table_args__ = (UniqueConstraint("report_id", "item_key", name="uq_decision"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    item_key: str
    kind: str  # span or claim
    action: str  # accepted, accepted_both, rejected, edited, accepted_unanimous
    coder: str | None = None  # whose version was taken
    decided_by: str
    decided_at: datetime = Field(default_factory=utcnow)
    rationale: str | None = None


class ChangeLog(SQLModel, table=True):
    """One entry per report (or structure change) of every committed command, numbered by the
    project-wide counter: windows poll it to pick up what other processes changed."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True)  # change_counter.seq of the command's transaction
    origin: str  # the Project session that made it
    report_id: int | None = None  # no foreign key: the log outlives deleted reports
    coder_id: int | None = None
    what: str  # annotations, status or structure
    at: datetime = Field(default_factory=utcnow)


class ChangeCounter(SQLModel, table=True):
    """A single row counting committed commands. Each command's transaction increments it last,
    so commits are numbered in the order they become visible."""

    __tablename__ = "change_counter"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = 0


class CodebookMark(SQLModel, table=True):
    """An item a codebook upgrade could not carry over whole: its type, slot or a value is not in
    the new version. The item stays (a removed type keeps its old type and version); values that
    had to leave its attributes are kept here. Listed by ``annotator codebook marks``."""

    __tablename__ = "codebook_mark"

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # span, claim, slot_fill
    item_id: int = Field(index=True)
    codebook_id: int = Field(foreign_key="codebook.id")  # the version the upgrade went to
    reason: str
    kept: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class AnnotationHistory(SQLModel, table=True):
    """A version of one coder's work on one report that left the project or never entered it:
    replaced by a merge (``replaced``), the side a conflict's choice did not take
    (``not_taken``), or spans that could not follow a corrected text (``flagged``). ``content``
    is the interchange annotation (status, spans, claims) with offsets into the text whose hash
    is ``text_sha256``. No foreign key: the history outlives what it describes."""

    __tablename__ = "annotation_history"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(default=None, index=True)
    report_external_id: str
    coder: str
    kind: str  # replaced, not_taken, flagged
    reason: str
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    text_sha256: str
    source: str | None = None  # the file merged
    created_at: datetime = Field(default_factory=utcnow)


class MergeLog(SQLModel, table=True):
    """What a merge took from a package: the coder's version on a report as the package held it
    and as it was stored, so that merging the same package again after more work is told from
    a conflict."""

    __tablename__ = "merge_log"

    id: int | None = Field(default=None, primary_key=True)
    package_id: str = Field(index=True)
    report_id: int
    coder: str
    file_fingerprint: str
    stored_fingerprint: str
    source: str | None = None
    merged_at: datetime = Field(default_factory=utcnow)


# Core table objects for the bulk paths and commands (SQLAlchemy Core, no ORM objects per row).
meta_t = SQLModel.metadata.tables["meta"]
codebook_t = SQLModel.metadata.tables["codebook"]
report_t = SQLModel.metadata.tables["report"]
coder_t = SQLModel.metadata.tables["coder"]
assignment_t = SQLModel.metadata.tables["assignment"]
span_t = SQLModel.metadata.tables["span"]
claim_t = SQLModel.metadata.tables["claim"]
slot_fill_t = SQLModel.metadata.tables["slot_fill"]
provenance_t = SQLModel.metadata.tables["provenance"]
actor_t = SQLModel.metadata.tables["actor"]
place_t = SQLModel.metadata.tables["place"]
rejected_t = SQLModel.metadata.tables["rejected_suggestion"]
decision_t = SQLModel.metadata.tables["decision"]
change_log_t = SQLModel.metadata.tables["change_log"]
change_counter_t = SQLModel.metadata.tables["change_counter"]
mark_t = SQLModel.metadata.tables["codebook_mark"]
history_t = SQLModel.metadata.tables["annotation_history"]
merge_log_t = SQLModel.metadata.tables["merge_log"]
