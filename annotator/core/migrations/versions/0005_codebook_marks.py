"""Schema 5: marks for the items a codebook upgrade kept but could not carry over whole.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "codebook_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("codebook_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["codebook_id"], ["codebook.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_codebook_mark_item_id", "codebook_mark", ["item_id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("projects are never migrated down")
