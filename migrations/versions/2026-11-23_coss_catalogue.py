"""COSS catalogue: service taxonomy (seeded for every platform), services with their
areas, target groups and languages, and needs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:37:16.065137
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# The programme's taxonomy when this revision was written (frozen: the application's own
# copy, in plased.coss.taxonomy, may change).
TAXONOMY: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "agriculture_extension",
        "Agriculture extension",
        "ផ្សព្វផ្សាយកសិកម្ម",
        [
            ("crop_production", "Crop production", "ផលិតកម្មដំណាំ"),
            ("livestock", "Livestock", "ចិញ្ចឹមសត្វ"),
            ("fisheries", "Fisheries", "នេសាទ"),
        ],
    ),
    (
        "microfinance",
        "Microfinance",
        "មីក្រូហិរញ្ញវត្ថុ",
        [
            ("credit", "Credit", "ឥណទាន"),
            ("savings", "Savings", "សន្សំ"),
        ],
    ),
    ("financial_literacy", "Financial literacy", "ចំណេះដឹងហិរញ្ញវត្ថុ", []),
    (
        "vocational_training",
        "Vocational training",
        "បណ្តុះបណ្តាលវិជ្ជាជីវៈ",
        [
            ("technical_skills", "Technical skills", "ជំនាញបច្ចេកទេស"),
            ("soft_skills", "Soft skills", "ជំនាញទន់"),
        ],
    ),
    ("job_placement", "Job placement", "ការងារ", []),
    (
        "health",
        "Health",
        "សុខភាព",
        [
            ("primary_care", "Primary care", "សេវាសុខភាពបឋម"),
            ("maternal_child_health", "Maternal and child health", "សុខភាពមាតានិងទារក"),
        ],
    ),
    (
        "psycho_social_support",
        "Psycho-social support",
        "ការគាំទ្រផ្លូវចិត្តសង្គម",
        [
            ("counselling", "Counselling", "ការប្រឹក្សា"),
            ("gbv_response", "Gender-based violence response", "ការឆ្លើយតបអំពើហិង្សាផ្អែកលើយេនឌ័រ"),
        ],
    ),
    (
        "legal_aid",
        "Legal aid",
        "ជំនួយផ្លូវច្បាប់",
        [
            ("legal_counselling", "Legal counselling", "ប្រឹក្សាផ្លូវច្បាប់"),
            ("legal_representation", "Legal representation", "តំណាងផ្លូវច្បាប់"),
        ],
    ),
    (
        "social_protection",
        "Social protection",
        "គាំពារសង្គម",
        [
            ("idpoor_registration", "IDPoor registration", "ការចុះឈ្មោះប័ណ្ណក្រីក្រ"),
            ("cash_transfers", "Cash transfers", "ការផ្ទេរសាច់ប្រាក់"),
        ],
    ),
    (
        "education",
        "Education",
        "អប់រំ",
        [
            ("literacy", "Literacy", "អក្ខរកម្ម"),
            ("scholarships", "Scholarships", "អាហារូបករណ៍"),
        ],
    ),
    (
        "business_development",
        "Business development",
        "អភិវឌ្ឍន៍អាជីវកម្ម",
        [
            ("market_access", "Market access", "ការចូលទីផ្សារ"),
            ("enterprise_coaching", "Enterprise coaching", "ការណែនាំសហគ្រាស"),
        ],
    ),
]

CATEGORY = sa.table(
    "service_category",
    sa.column("id", sa.Uuid()),
    sa.column("platform_id", sa.Uuid()),
    sa.column("code", sa.String()),
    sa.column("parent_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("name_km", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _seed_taxonomy(bind: sa.Connection, platform_id: uuid.UUID) -> None:
    now = datetime.now(UTC)
    for code, name, name_km, children in TAXONOMY:
        parent = uuid.uuid4()
        rows = [(parent, code, None, name, name_km)]
        rows += [(uuid.uuid4(), c, parent, n, km) for c, n, km in children]
        for row_id, row_code, parent_id, row_name, row_km in rows:
            bind.execute(
                sa.insert(CATEGORY).values(
                    id=row_id,
                    platform_id=platform_id,
                    code=row_code,
                    parent_id=parent_id,
                    name=row_name,
                    name_km=row_km,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )


revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_category",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_km", sa.String(length=120), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("name_km", sa.String(length=200), nullable=True),
        sa.Column("description", sa.String(length=4000), nullable=True),
        sa.Column("description_km", sa.String(length=4000), nullable=True),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=False),
        sa.Column("is_free", sa.Boolean(), nullable=False),
        sa.Column("fees", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("capacity_per_month", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("target_group", sa.String(length=20), nullable=True),
        sa.Column("people_count", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=True),
        sa.Column("need_date", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.Column("language", sa.String(length=20), nullable=False),
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
        sa.Column("target_group", sa.String(length=20), nullable=False),
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

    # Every existing platform gets the programme's service taxonomy (as it stood then).
    bind = op.get_bind()
    platform = sa.table("platform", sa.column("id", sa.Uuid()))
    for (platform_id,) in bind.execute(sa.select(platform.c.id)).all():
        _seed_taxonomy(bind, platform_id)


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
