"""Tombstones: rows removed outright (agenda items, role grants) leave one, so a client
syncing with ``updated_since`` learns what to drop.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tombstone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("platform_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tombstone")),
    )
    with op.batch_alter_table("tombstone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tombstone_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tombstone_platform_id"), ["platform_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tombstone_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    op.drop_table("tombstone")
