"""Members: geography (with its seed data), organisations, people, representatives,
memberships and their events, idempotency records, and the staff link on users.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:24:51.486784
"""

import csv
import uuid
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# migrations/data/geography.csv (see SOURCE.md there). A unit's id is a UUIDv5 of its code,
# so every database names a unit alike.
GEOGRAPHY = Path(__file__).resolve().parents[1] / "data" / "geography.csv"
NAMESPACE = uuid.UUID("6f0f7b7e-4c43-4b8e-9a51-1f3bb3a8e0c1")


def _seed_geography(bind: sa.Connection) -> None:
    unit = sa.table(
        "admin_unit",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("level", sa.String()),
        sa.column("name", sa.String()),
        sa.column("name_km", sa.String()),
        sa.column("parent_id", sa.Uuid()),
    )
    existing = set(bind.execute(sa.select(unit.c.code)).scalars())
    with GEOGRAPHY.open(encoding="utf-8", newline="") as handle:
        rows = [
            {
                "id": uuid.uuid5(NAMESPACE, row["code"]),
                "code": row["code"],
                "level": row["level"],
                "name": row["name"],
                "name_km": row["name_km"] or None,
                "parent_id": uuid.uuid5(NAMESPACE, row["parent_code"])
                if row["parent_code"]
                else None,
            }
            for row in csv.DictReader(handle)
            if row["code"] not in existing
        ]
    if rows:
        bind.execute(sa.insert(unit), rows)


revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_unit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_km", sa.String(length=120), nullable=True),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["admin_unit.id"], name=op.f("fk_admin_unit_parent_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_unit")),
    )
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_unit_code"), ["code"], unique=True)
        batch_op.create_index(batch_op.f("ix_admin_unit_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_unit_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_unit_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("actor_key", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint(
            "actor_key",
            "idempotency_key",
            "path",
            name=op.f("uq_idempotency_record_actor_key_idempotency_key_path"),
        ),
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_record_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "organisation",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("name_km", sa.String(length=200), nullable=True),
        sa.Column("acronym", sa.String(length=30), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=True),
        sa.Column("la_level", sa.String(length=20), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
            name=op.f("fk_organisation_platform_id_platform"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_unit.id"], name=op.f("fk_organisation_unit_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organisation_platform_id"), ["platform_id"], unique=False
        )
        batch_op.create_index(
            "ix_organisation_platform_id_name_key", ["platform_id", "name_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisation_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "membership",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_membership_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_membership_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_membership_platform_id_platform")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_membership_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "ix_membership_platform_id_applied_at", ["platform_id", "applied_at"], unique=False
        )
        batch_op.create_index(
            "ix_membership_platform_id_status", ["platform_id", "status"], unique=False
        )
        batch_op.create_index(
            "uq_membership_open",
            ["organisation_id", "platform_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('applied', 'active', 'suspended')"),
            postgresql_where=sa.text("status IN ('applied', 'active', 'suspended')"),
        )

    op.create_table(
        "person",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("name_km", sa.String(length=200), nullable=True),
        sa.Column("gender", sa.String(length=12), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("indigenous_group", sa.String(length=60), nullable=True),
        sa.Column("has_disability", sa.Boolean(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("consent_to_be_listed", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
            name=op.f("fk_person_platform_id_platform"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_person_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("user_id", name=op.f("uq_person_user_id")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_full_name"), ["full_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_gender"), ["gender"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_platform_id"), ["platform_id"], unique=False)
        batch_op.create_index(
            "ix_person_platform_id_name_key", ["platform_id", "name_key"], unique=False
        )

    op.create_table(
        "membership_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_membership_event_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["membership.id"],
            name=op.f("fk_membership_event_membership_id_membership"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_event")),
    )
    with op.batch_alter_table("membership_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_membership_event_membership_id"), ["membership_id"], unique=False
        )

    op.create_table(
        "representative",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_representative_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_representative_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representative")),
    )
    with op.batch_alter_table("representative", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_representative_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_representative_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            "uq_representative_current_primary",
            ["organisation_id"],
            unique=True,
            sqlite_where=sa.text("role = 'primary' AND end_date IS NULL"),
            postgresql_where=sa.text("role = 'primary' AND end_date IS NULL"),
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_user_account_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_user_account_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # Reference data: Cambodia's provinces, Ratanakiri's districts, communes, villages.
    _seed_geography(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_user_account_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_user_account_organisation_id"))
        batch_op.drop_column("organisation_id")

    with op.batch_alter_table("representative", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_representative_current_primary",
            sqlite_where=sa.text("role = 'primary' AND end_date IS NULL"),
            postgresql_where=sa.text("role = 'primary' AND end_date IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_representative_person_id"))
        batch_op.drop_index(batch_op.f("ix_representative_organisation_id"))

    op.drop_table("representative")
    with op.batch_alter_table("membership_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_event_membership_id"))

    op.drop_table("membership_event")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_platform_id_name_key")
        batch_op.drop_index(batch_op.f("ix_person_platform_id"))
        batch_op.drop_index(batch_op.f("ix_person_gender"))
        batch_op.drop_index(batch_op.f("ix_person_full_name"))

    op.drop_table("person")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_membership_open",
            sqlite_where=sa.text("status IN ('applied', 'active', 'suspended')"),
            postgresql_where=sa.text("status IN ('applied', 'active', 'suspended')"),
        )
        batch_op.drop_index("ix_membership_platform_id_status")
        batch_op.drop_index("ix_membership_platform_id_applied_at")
        batch_op.drop_index(batch_op.f("ix_membership_organisation_id"))

    op.drop_table("membership")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_unit_id"))
        batch_op.drop_index("ix_organisation_platform_id_name_key")
        batch_op.drop_index(batch_op.f("ix_organisation_platform_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_name"))
        batch_op.drop_index(batch_op.f("ix_organisation_kind"))

    op.drop_table("organisation")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_created_at"))

    op.drop_table("idempotency_record")
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_unit_parent_id"))
        batch_op.drop_index(batch_op.f("ix_admin_unit_name"))
        batch_op.drop_index(batch_op.f("ix_admin_unit_level"))
        batch_op.drop_index(batch_op.f("ix_admin_unit_code"))

    op.drop_table("admin_unit")
