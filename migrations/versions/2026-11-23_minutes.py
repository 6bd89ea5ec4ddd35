"""Minutes of meetings and their attachments (files stored on disk).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 20:03:37.388524
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minutes",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.String(length=100000), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_minutes_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    op.create_table(
        "minutes_attachment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("minutes_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_attachment_minutes_id_minutes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_attachment")),
    )
    with op.batch_alter_table("minutes_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_attachment_minutes_id"), ["minutes_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("minutes_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_attachment_minutes_id"))

    op.drop_table("minutes_attachment")
    op.drop_table("minutes")
