"""Value chains: the chains of a platform, the prioritisation criteria and scores, each
chain's status history; a seat's stakeholder group; two numbers of the regulations.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vc_criterion",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_km", sa.String(length=120), nullable=True),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_vc_criterion_platform_id_platform")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vc_criterion")),
        sa.UniqueConstraint("platform_id", "code", name=op.f("uq_vc_criterion_platform_id_code")),
    )
    with op.batch_alter_table("vc_criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vc_criterion_platform_id"), ["platform_id"], unique=False
        )

    op.create_table(
        "value_chain",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_km", sa.String(length=120), nullable=True),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("description_km", sa.String(length=2000), nullable=True),
        sa.Column("district_codes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decision_motion_id", sa.Uuid(), nullable=True),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("focus_group_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_motion_id"],
            ["motion.id"],
            name=op.f("fk_value_chain_decision_motion_id_motion"),
        ),
        sa.ForeignKeyConstraint(
            ["focus_group_id"], ["body.id"], name=op.f("fk_value_chain_focus_group_id_body")
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_value_chain_platform_id_platform")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_chain")),
        sa.UniqueConstraint("focus_group_id", name=op.f("uq_value_chain_focus_group_id")),
        sa.UniqueConstraint(
            "platform_id", "name_key", name=op.f("uq_value_chain_platform_id_name_key")
        ),
    )
    with op.batch_alter_table("value_chain", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_chain_platform_id"), ["platform_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_value_chain_status"), ["status"], unique=False)

    op.create_table(
        "value_chain_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("value_chain_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=False),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("motion_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_value_chain_event_actor_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motion.id"], name=op.f("fk_value_chain_event_motion_id_motion")
        ),
        sa.ForeignKeyConstraint(
            ["value_chain_id"],
            ["value_chain.id"],
            name=op.f("fk_value_chain_event_value_chain_id_value_chain"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_chain_event")),
    )
    with op.batch_alter_table("value_chain_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_chain_event_value_chain_id"), ["value_chain_id"], unique=False
        )

    op.create_table(
        "vc_score",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("value_chain_id", sa.Uuid(), nullable=False),
        sa.Column("criterion_id", sa.Uuid(), nullable=False),
        sa.Column("scorer_key", sa.String(length=40), nullable=False),
        sa.Column("scorer_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["vc_criterion.id"],
            name=op.f("fk_vc_score_criterion_id_vc_criterion"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_vc_score_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["scorer_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_vc_score_scorer_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["value_chain_id"],
            ["value_chain.id"],
            name=op.f("fk_vc_score_value_chain_id_value_chain"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vc_score")),
        sa.UniqueConstraint(
            "value_chain_id",
            "criterion_id",
            "scorer_key",
            name=op.f("uq_vc_score_value_chain_id_criterion_id_scorer_key"),
        ),
    )
    with op.batch_alter_table("vc_score", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vc_score_criterion_id"), ["criterion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vc_score_value_chain_id"), ["value_chain_id"], unique=False
        )

    with op.batch_alter_table("regulations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("focus_group_size", sa.Integer(), nullable=False, server_default="15")
        )
        batch_op.add_column(
            sa.Column(
                "min_prioritised_value_chains", sa.Integer(), nullable=False, server_default="4"
            )
        )

    # Existing regulations take the programme's numbers; new rows get them from the service.
    with op.batch_alter_table("regulations", schema=None) as batch_op:
        batch_op.alter_column("focus_group_size", server_default=None)
        batch_op.alter_column("min_prioritised_value_chains", server_default=None)

    with op.batch_alter_table("seat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stakeholder_group", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seat", schema=None) as batch_op:
        batch_op.drop_column("stakeholder_group")

    with op.batch_alter_table("regulations", schema=None) as batch_op:
        batch_op.drop_column("min_prioritised_value_chains")
        batch_op.drop_column("focus_group_size")

    with op.batch_alter_table("vc_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vc_score_value_chain_id"))
        batch_op.drop_index(batch_op.f("ix_vc_score_criterion_id"))

    op.drop_table("vc_score")
    with op.batch_alter_table("value_chain_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_chain_event_value_chain_id"))

    op.drop_table("value_chain_event")
    with op.batch_alter_table("value_chain", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_chain_status"))
        batch_op.drop_index(batch_op.f("ix_value_chain_platform_id"))

    op.drop_table("value_chain")
    with op.batch_alter_table("vc_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vc_criterion_platform_id"))

    op.drop_table("vc_criterion")
