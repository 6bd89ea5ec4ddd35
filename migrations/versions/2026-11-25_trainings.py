"""Trainings: a meeting of kind ``training`` has a topic (English and Khmer), a trainer (a
person of the platform) and an audience.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("topic", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("topic_km", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("trainer_person_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("audience", sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_meeting_trainer_person_id_person"),
            "person",
            ["trainer_person_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_meeting_trainer_person_id_person"), type_="foreignkey"
        )
        batch_op.drop_column("audience")
        batch_op.drop_column("trainer_person_id")
        batch_op.drop_column("topic_km")
        batch_op.drop_column("topic")
