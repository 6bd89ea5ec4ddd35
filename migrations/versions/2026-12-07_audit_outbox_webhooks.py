"""The audit trail (rows a trigger keeps from being changed or deleted), the outbox of domain
events, webhook subscriptions and deliveries, and notifications about any record.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)

POSTGRES_IMMUTABLE = """
CREATE FUNCTION audit_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are never changed or deleted';
END;
$$;
CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();
"""
SQLITE_IMMUTABLE = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events are never changed or deleted'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events are never changed or deleted'); END",
)


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("platform_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("resource_type", sa.String(length=60), nullable=False),
        sa.Column("resource_id", sa.String(length=100), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("client_ip", sa.String(length=45), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_occurred_at_id", "audit_event", ["occurred_at", "id"])
    op.create_index(
        "ix_audit_event_platform_id_occurred_at", "audit_event", ["platform_id", "occurred_at"]
    )
    op.create_index("ix_audit_event_resource", "audit_event", ["resource_type", "resource_id"])
    op.create_index(op.f("ix_audit_event_actor_id"), "audit_event", ["actor_id"])
    op.create_index(op.f("ix_audit_event_action"), "audit_event", ["action"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_IMMUTABLE)
    else:
        for statement in SQLITE_IMMUTABLE:
            op.execute(statement)

    op.create_table(
        "outbox_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=True),
        sa.Column("resource_type", sa.String(length=60), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_ids", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("dispatched_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_event")),
    )
    op.create_index(
        "ix_outbox_event_dispatched_at_occurred_at",
        "outbox_event",
        ["dispatched_at", "occurred_at"],
    )
    op.create_index(op.f("ix_outbox_event_event_type"), "outbox_event", ["event_type"])

    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
            name=op.f("fk_webhook_subscription_platform_id_platform"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_webhook_subscription_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_webhook_subscription_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscription")),
    )
    op.create_index(
        "ix_webhook_subscription_created_at_id", "webhook_subscription", ["created_at", "id"]
    )
    op.create_index(
        op.f("ix_webhook_subscription_platform_id"), "webhook_subscription", ["platform_id"]
    )
    op.create_index(
        op.f("ix_webhook_subscription_organisation_id"),
        "webhook_subscription",
        ["organisation_id"],
    )

    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=True),
        sa.Column("last_attempt_at", TZ, nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("last_response", sa.String(length=1000), nullable=True),
        sa.Column("delivered_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscription.id"],
            name=op.f("fk_webhook_delivery_subscription_id_webhook_subscription"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["outbox_event.id"],
            name=op.f("fk_webhook_delivery_event_id_outbox_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    op.create_index(
        "ix_webhook_delivery_status_next_attempt_at",
        "webhook_delivery",
        ["status", "next_attempt_at"],
    )
    op.create_index(
        "ix_webhook_delivery_subscription_id_created_at",
        "webhook_delivery",
        ["subscription_id", "created_at"],
    )
    op.create_index(op.f("ix_webhook_delivery_event_id"), "webhook_delivery", ["event_id"])

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=40),
            type_=sa.String(length=80),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("resource_type", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("resource_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("resource_id")
        batch_op.drop_column("resource_type")
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=80),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
    op.drop_table("webhook_delivery")
    op.drop_table("webhook_subscription")
    op.drop_table("outbox_event")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_immutable ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_immutable()")
    op.drop_table("audit_event")
