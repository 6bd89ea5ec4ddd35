"""COSS catalogue: service taxonomy (seeded for every platform), services with their
areas, target groups and languages, and needs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:37:16.065137
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlmodel import Session

import plased.db
from plased.coss.taxonomy import seed_taxonomy

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_category",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name_km", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["service_category.id"],
            name=op.f("fk_service_category_parent_id_service_category"),
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
            name=op.f("fk_service_category_platform_id_platform"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_category")),
        sa.UniqueConstraint(
            "platform_id", "code", name=op.f("uq_service_category_platform_id_code")
        ),
    )
    with op.batch_alter_table("service_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_category_platform_id"), ["platform_id"], unique=False
        )

    op.create_table(
        "service",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_km", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("description_km", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("is_free", sa.Boolean(), nullable=False),
        sa.Column("fees", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("capacity_per_month", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_category.id"],
            name=op.f("fk_service_category_id_service_category"),
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_service_platform_id_platform")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["organisation.id"], name=op.f("fk_service_provider_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service")),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_category_id"), ["category_id"], unique=False)
        batch_op.create_index("ix_service_name", ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_platform_id"), ["platform_id"], unique=False)
        batch_op.create_index(
            "ix_service_platform_id_status_name", ["platform_id", "status", "name"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_service_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index("ix_service_updated_at", ["updated_at"], unique=False)

    op.create_table(
        "need",
        sa.Column("created_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("target_group", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("people_count", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("need_date", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", plased.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_category.id"],
            name=op.f("fk_need_category_id_service_category"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_need_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platform.id"], name=op.f("fk_need_platform_id_platform")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_unit.id"], name=op.f("fk_need_unit_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_need_platform_id"), ["platform_id"], unique=False)
        batch_op.create_index(
            "ix_need_platform_id_need_date", ["platform_id", "need_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "service_area",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_area_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_unit.id"], name=op.f("fk_service_area_unit_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("service_id", "unit_id", name=op.f("pk_service_area")),
    )
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_area_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "service_language",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_language_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "language", name=op.f("pk_service_language")),
    )
    with op.batch_alter_table("service_language", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_language_language"), ["language"], unique=False
        )

    op.create_table(
        "service_target_group",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("target_group", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_target_group_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "target_group", name=op.f("pk_service_target_group")),
    )
    with op.batch_alter_table("service_target_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_target_group_target_group"), ["target_group"], unique=False
        )

    # Every existing platform gets the programme's service taxonomy.
    bind = op.get_bind()
    session = Session(bind=bind)
    for (platform_id,) in bind.execute(sa.text("SELECT id FROM platform")).all():
        seed_taxonomy(session, uuid.UUID(str(platform_id)))
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table("service_target_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_target_group_target_group"))

    op.drop_table("service_target_group")
    with op.batch_alter_table("service_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_language_language"))

    op.drop_table("service_language")
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_area_unit_id"))

    op.drop_table("service_area")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_unit_id"))
        batch_op.drop_index("ix_need_platform_id_need_date")
        batch_op.drop_index(batch_op.f("ix_need_platform_id"))
        batch_op.drop_index(batch_op.f("ix_need_category_id"))

    op.drop_table("need")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index("ix_service_updated_at")
        batch_op.drop_index(batch_op.f("ix_service_provider_id"))
        batch_op.drop_index("ix_service_platform_id_status_name")
        batch_op.drop_index(batch_op.f("ix_service_platform_id"))
        batch_op.drop_index("ix_service_name")
        batch_op.drop_index(batch_op.f("ix_service_category_id"))

    op.drop_table("service")
    with op.batch_alter_table("service_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_category_platform_id"))

    op.drop_table("service_category")
