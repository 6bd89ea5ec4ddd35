"""Referrals: clients (kept apart for erasure), consent, referrals with their anonymous
facts, events, reads of client data, and in-app notifications.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:44:27.058203
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referral_client",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_km", sa.String(length=200), nullable=True),
        sa.Column("gender", sa.String(length=12), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("village_id", sa.Uuid(), nullable=True),
        sa.Column("vulnerabilities", sa.JSON(), nullable=False),
        sa.Column("preferred_language", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["village_id"], ["admin_unit.id"], name=op.f("fk_referral_client_village_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_client")),
    )
    op.create_table(
        "referral",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("from_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("needs", sa.String(length=2000), nullable=True),
        sa.Column("referrer_contact", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decline_reason", sa.String(length=20), nullable=True),
        sa.Column("decline_note", sa.String(length=1000), nullable=True),
        sa.Column("suggested_service_id", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.String(length=2000), nullable=True),
        sa.Column("services_delivered", sa.String(length=1000), nullable=True),
        sa.Column("close_reason", sa.String(length=1000), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_gender", sa.String(length=12), nullable=False),
        sa.Column("client_age_band", sa.String(length=10), nullable=True),
        sa.Column("district_id", sa.Uuid(), nullable=True),
        sa.Column("vulnerabilities", sa.JSON(), nullable=False),
        sa.Column("client_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_category.id"],
            name=op.f("fk_referral_category_id_service_category"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["referral_client.id"],
            name=op.f("fk_referral_client_id_referral_client"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_referral_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["admin_unit.id"], name=op.f("fk_referral_district_id_admin_unit")
        ),
        sa.ForeignKeyConstraint(
            ["from_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_referral_from_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_referral_platform_id_platform")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["organisation.id"], name=op.f("fk_referral_provider_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_referral_service_id_service")
        ),
        sa.ForeignKeyConstraint(
            ["suggested_service_id"],
            ["service.id"],
            name=op.f("fk_referral_suggested_service_id_service"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint("client_id", name=op.f("uq_referral_client_id")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_ended_at"), ["ended_at"], unique=False)
        batch_op.create_index(
            "ix_referral_from_organisation_id_created_at",
            ["from_organisation_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_referral_platform_id_status", ["platform_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_referral_provider_id_created_at", ["provider_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_service_id"), ["service_id"], unique=False)
        batch_op.create_index(
            "ix_referral_status_respond_by", ["status", "respond_by"], unique=False
        )
        batch_op.create_index("ix_referral_updated_at", ["updated_at"], unique=False)

    op.create_table(
        "client_data_access",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_client_data_access_referral_id_referral"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_client_data_access_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_data_access")),
    )
    with op.batch_alter_table("client_data_access", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_data_access_referral_id_at", ["referral_id", "accessed_at"], unique=False
        )

    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_notification_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_index(
            "ix_notification_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "referral_consent",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("given_by", sa.String(length=10), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("share_with_provider", sa.Boolean(), nullable=False),
        sa.Column("follow_up_contact", sa.Boolean(), nullable=False),
        sa.Column("reporting", sa.Boolean(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_consent_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_consent")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_referral_consent_referral_id")),
    )
    op.create_table(
        "referral_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_referral_event_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_referral_event_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_event_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_event")),
    )
    with op.batch_alter_table("referral_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_event_referral_id"), ["referral_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("referral_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_event_referral_id"))

    op.drop_table("referral_event")
    op.drop_table("referral_consent")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_notification_referral_id"))

    op.drop_table("notification")
    with op.batch_alter_table("client_data_access", schema=None) as batch_op:
        batch_op.drop_index("ix_client_data_access_referral_id_at")

    op.drop_table("client_data_access")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_updated_at")
        batch_op.drop_index("ix_referral_status_respond_by")
        batch_op.drop_index(batch_op.f("ix_referral_service_id"))
        batch_op.drop_index("ix_referral_provider_id_created_at")
        batch_op.drop_index("ix_referral_platform_id_status")
        batch_op.drop_index("ix_referral_from_organisation_id_created_at")
        batch_op.drop_index(batch_op.f("ix_referral_ended_at"))
        batch_op.drop_index(batch_op.f("ix_referral_category_id"))

    op.drop_table("referral")
    op.drop_table("referral_client")
