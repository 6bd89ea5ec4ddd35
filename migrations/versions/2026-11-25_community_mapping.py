"""Community mapping: the profile of each community-based organisation (its village,
members, focus and organisational-health checklist), mapping campaigns (villages visited,
CBOs found), and the CBOs' advocacy plans with the history of their status.

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-25 03:50:29.098617
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mapping_campaign",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_km", sa.String(length=200), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("village_ids", sa.JSON(), nullable=False),
        sa.Column("cbo_ids", sa.JSON(), nullable=False),
        sa.Column("notes", sa.String(length=4000), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_mapping_campaign_platform_id_platform")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mapping_campaign")),
    )
    with op.batch_alter_table("mapping_campaign", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mapping_campaign_platform_id"), ["platform_id"], unique=False
        )
        batch_op.create_index(
            "ix_mapping_campaign_platform_id_starts_on", ["platform_id", "starts_on"], unique=False
        )
        batch_op.create_index(
            "ix_mapping_campaign_platform_id_updated_at",
            ["platform_id", "updated_at"],
            unique=False,
        )

    op.create_table(
        "cbo_profile",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("village_id", sa.Uuid(), nullable=False),
        sa.Column("members_count", sa.Integer(), nullable=False),
        sa.Column("women_members", sa.Integer(), nullable=False),
        sa.Column("focus", sa.JSON(), nullable=False),
        sa.Column("year_founded", sa.Integer(), nullable=True),
        sa.Column("has_statutes", sa.Boolean(), nullable=False),
        sa.Column("elected_leaders", sa.Boolean(), nullable=False),
        sa.Column("meets_regularly", sa.Boolean(), nullable=False),
        sa.Column("keeps_accounts", sa.Boolean(), nullable=False),
        sa.Column("has_bank_account", sa.Boolean(), nullable=False),
        sa.Column("has_plan", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_cbo_profile_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_cbo_profile_platform_id_platform")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["admin_unit.id"], name=op.f("fk_cbo_profile_village_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_cbo_profile")),
    )
    with op.batch_alter_table("cbo_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cbo_profile_platform_id"), ["platform_id"], unique=False
        )
        batch_op.create_index(
            "ix_cbo_profile_platform_id_updated_at", ["platform_id", "updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cbo_profile_village_id"), ["village_id"], unique=False)

    op.create_table(
        "advocacy_plan",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("issue", sa.String(length=500), nullable=False),
        sa.Column("issue_km", sa.String(length=500), nullable=True),
        sa.Column("target_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("target_body", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["cbo_profile.organisation_id"],
            name=op.f("fk_advocacy_plan_organisation_id_cbo_profile"),
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_advocacy_plan_platform_id_platform")
        ),
        sa.ForeignKeyConstraint(
            ["target_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_advocacy_plan_target_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_plan")),
    )
    with op.batch_alter_table("advocacy_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advocacy_plan_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_advocacy_plan_platform_id"), ["platform_id"], unique=False
        )
        batch_op.create_index(
            "ix_advocacy_plan_platform_id_status", ["platform_id", "status"], unique=False
        )

    op.create_table(
        "advocacy_plan_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_advocacy_plan_event_actor_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["advocacy_plan.id"],
            name=op.f("fk_advocacy_plan_event_plan_id_advocacy_plan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_plan_event")),
    )
    with op.batch_alter_table("advocacy_plan_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advocacy_plan_event_plan_id"), ["plan_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("advocacy_plan_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advocacy_plan_event_plan_id"))

    op.drop_table("advocacy_plan_event")
    with op.batch_alter_table("advocacy_plan", schema=None) as batch_op:
        batch_op.drop_index("ix_advocacy_plan_platform_id_status")
        batch_op.drop_index(batch_op.f("ix_advocacy_plan_platform_id"))
        batch_op.drop_index(batch_op.f("ix_advocacy_plan_organisation_id"))

    op.drop_table("advocacy_plan")
    with op.batch_alter_table("cbo_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cbo_profile_village_id"))
        batch_op.drop_index("ix_cbo_profile_platform_id_updated_at")
        batch_op.drop_index(batch_op.f("ix_cbo_profile_platform_id"))

    op.drop_table("cbo_profile")
    with op.batch_alter_table("mapping_campaign", schema=None) as batch_op:
        batch_op.drop_index("ix_mapping_campaign_platform_id_updated_at")
        batch_op.drop_index("ix_mapping_campaign_platform_id_starts_on")
        batch_op.drop_index(batch_op.f("ix_mapping_campaign_platform_id"))

    op.drop_table("mapping_campaign")
