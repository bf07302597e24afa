"""Schema 6: the history of coders' work a merge replaced, did not take or could not map onto a
corrected text, and the log of what merges took from which package.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotation_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("report_external_id", sa.String(), nullable=False),
        sa.Column("coder", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("text_sha256", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_annotation_history_report_id", "annotation_history", ["report_id"],
                    unique=False)
    op.create_table(
        "merge_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("coder", sa.String(), nullable=False),
        sa.Column("file_fingerprint", sa.String(), nullable=False),
        sa.Column("stored_fingerprint", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_merge_log_package_id", "merge_log", ["package_id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("projects are never migrated down")
