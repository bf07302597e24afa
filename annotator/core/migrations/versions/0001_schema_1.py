"""Schema 1: the first layout (reports, coders, assignments, spans, claims, slots, provenance).

Projects made before Alembic carry ``meta.schema_version`` 1, 2 or 3 and no alembic_version
table; annotator.core.db stamps them with the matching revision before upgrading.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "codebook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("added_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "version"),
    )
    op.create_table(
        "coder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coder_name", "coder", ["name"], unique=True)
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("imported_at", _TS, nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_external_id", "report", ["external_id"], unique=True)
    op.create_index("ix_report_sha256", "report", ["sha256"], unique=True)
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "coder_id"),
    )
    op.create_index("ix_assignment_coder_id", "assignment", ["coder_id"], unique=False)
    for name in ("claim", "span"):
        columns: list[sa.Column[Any]] = [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("report_id", sa.Integer(), nullable=False),
            sa.Column("coder_id", sa.Integer(), nullable=False),
            sa.Column("key", sa.String(), nullable=False),
            sa.Column("type", sa.String(), nullable=False),
        ]
        if name == "span":
            columns += [
                sa.Column("start", sa.Integer(), nullable=False),
                sa.Column("end", sa.Integer(), nullable=False),
                sa.Column("text", sa.String(), nullable=False),
            ]
        op.create_table(
            name,
            *columns,
            sa.Column("attributes", sa.JSON(), nullable=False),
            sa.Column("codebook_id", sa.Integer(), nullable=True),
            sa.Column("created_at", _TS, nullable=False),
            sa.Column("updated_at", _TS, nullable=False),
            sa.ForeignKeyConstraint(["codebook_id"], ["codebook.id"]),
            sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["report_id"], ["report.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("report_id", "coder_id", "key"),
            sqlite_autoincrement=True,
        )
    op.create_index("ix_claim_report_coder", "claim", ["report_id", "coder_id"], unique=False)
    op.create_index(
        "ix_span_report_coder", "span", ["report_id", "coder_id", "start"], unique=False
    )
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("span_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("from_coder", sa.String(), nullable=True),
        sa.Column("from_key", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", _TS, nullable=True),
        sa.Column("rationale", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["span_id"], ["span.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id"),
        sa.UniqueConstraint("span_id"),
    )
    op.create_table(
        "slot_fill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("span_id", sa.Integer(), nullable=True),
        sa.Column("not_reported", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["span_id"], ["span.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_slot_fill_claim", "slot_fill", ["claim_id", "slot", "position"], unique=False
    )
    op.create_index("ix_slot_fill_span_id", "slot_fill", ["span_id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("projects are never migrated down")
