"""Results reporting: a baseline and a history for inclusion targets, the programme's further
targets for existing platforms, indicator snapshots, and an index for referrals by date.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:30:00.000000
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen on the day: the targets a PLASED gained with the indicator catalogue.
NEW_PLASED_TARGETS: dict[str, tuple[str, str, float]] = {
    "people_trained": ("People trained", "ចំនួនមនុស្សដែលបានទទួលការបណ្តុះបណ្តាល", 110),
    "trained_women_share": (
        "Share of women among people trained",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកទទួលការបណ្តុះបណ្តាល",
        0.40,
    ),
    "strategy_women_share": (
        "Share of women among strategy participants",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកចូលរួមយុទ្ធសាស្ត្រ",
        0.40,
    ),
    "board_women_share": (
        "Share of women on the executive board",
        "សមាមាត្រស្ត្រីក្នុងក្រុមប្រឹក្សាប្រតិបត្តិ",
        0.40,
    ),
    "member_csos_agriculture": ("Member CSOs: agriculture", "អង្គការសង្គមស៊ីវិលសមាជិក៖ កសិកម្ម", 15),
    "member_csos_environment": ("Member CSOs: environment", "អង្គការសង្គមស៊ីវិលសមាជិក៖ បរិស្ថាន", 3),
    "member_csos_indigenous": (
        "Member CSOs: indigenous peoples",
        "អង្គការសង្គមស៊ីវិលសមាជិក៖ ជនជាតិដើមភាគតិច",
        5,
    ),
    "member_csos_social_development": (
        "Member CSOs: social development",
        "អង្គការសង្គមស៊ីវិលសមាជិក៖ អភិវឌ្ឍន៍សង្គម",
        12,
    ),
    "member_csos_cbo": ("Member CSOs: CBOs", "អង្គការសង្គមស៊ីវិលសមាជិក៖ សហគមន៍មូលដ្ឋាន", 5),
    "member_las_provincial": ("Member LAs: provincial", "អាជ្ញាធរមូលដ្ឋានសមាជិក៖ ខេត្ត", 1),
    "member_las_district": ("Member LAs: districts", "អាជ្ញាធរមូលដ្ឋានសមាជិក៖ ស្រុក", 9),
    "member_las_commune": ("Member LAs: communes", "អាជ្ញាធរមូលដ្ឋានសមាជិក៖ ឃុំ", 50),
}

platform = sa.table("platform", sa.column("id", sa.Uuid()), sa.column("kind", sa.String()))
target = sa.table(
    "inclusion_target",
    sa.column("id", sa.Uuid()),
    sa.column("version", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("platform_id", sa.Uuid()),
    sa.column("indicator_code", sa.String()),
    sa.column("description", sa.String()),
    sa.column("description_km", sa.String()),
    sa.column("baseline", sa.Float()),
    sa.column("target_value", sa.Float()),
    sa.column("period_start", sa.Date()),
    sa.column("period_end", sa.Date()),
)
change = sa.table(
    "inclusion_target_change",
    sa.column("id", sa.Uuid()),
    sa.column("target_id", sa.Uuid()),
    sa.column("version", sa.Integer()),
    sa.column("baseline", sa.Float()),
    sa.column("target_value", sa.Float()),
    sa.column("period_start", sa.Date()),
    sa.column("period_end", sa.Date()),
    sa.column("changed_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("inclusion_target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("baseline", sa.Float(), nullable=True))
    op.create_table(
        "inclusion_target_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("changed_by_id", sa.Uuid(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_inclusion_target_change_changed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["inclusion_target.id"],
            name=op.f("fk_inclusion_target_change_target_id_inclusion_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inclusion_target_change")),
    )
    with op.batch_alter_table("inclusion_target_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inclusion_target_change_target_id_version", ["target_id", "version"], unique=False
        )
    op.create_table(
        "indicator_snapshot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_km", sa.String(length=200), nullable=True),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_indicator_snapshot_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platform.id"],
            name=op.f("fk_indicator_snapshot_platform_id_platform"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_snapshot")),
    )
    with op.batch_alter_table("indicator_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_indicator_snapshot_platform_id_created_at",
            ["platform_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_indicator_snapshot_platform_id"), ["platform_id"], unique=False
        )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            "ix_referral_platform_id_submitted_at", ["platform_id", "submitted_at"], unique=False
        )

    bind = op.get_bind()
    now = datetime.now(UTC)
    existing = {
        (row.platform_id, row.indicator_code)
        for row in bind.execute(sa.select(target.c.platform_id, target.c.indicator_code))
    }
    plaseds = [
        row.id for row in bind.execute(sa.select(platform.c.id).where(platform.c.kind == "plased"))
    ]
    rows = [
        {
            "id": uuid.uuid4(),
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "platform_id": platform_id,
            "indicator_code": code,
            "description": description,
            "description_km": description_km,
            "baseline": None,
            "target_value": value,
            "period_start": None,
            "period_end": None,
        }
        for platform_id in plaseds
        for code, (description, description_km, value) in NEW_PLASED_TARGETS.items()
        if (platform_id, code) not in existing
    ]
    if rows:
        op.bulk_insert(target, rows)
    # Every target's history starts with the target as it stands.
    history = [
        {
            "id": uuid.uuid4(),
            "target_id": row.id,
            "version": row.version,
            "baseline": row.baseline,
            "target_value": row.target_value,
            "period_start": row.period_start,
            "period_end": row.period_end,
            "changed_at": row.updated_at or now,
        }
        for row in bind.execute(
            sa.select(
                target.c.id,
                target.c.version,
                target.c.baseline,
                target.c.target_value,
                target.c.period_start,
                target.c.period_end,
                target.c.updated_at,
            )
        )
    ]
    if history:
        op.bulk_insert(change, history)


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_platform_id_submitted_at")
    with op.batch_alter_table("indicator_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_snapshot_platform_id"))
        batch_op.drop_index("ix_indicator_snapshot_platform_id_created_at")
    op.drop_table("indicator_snapshot")
    with op.batch_alter_table("inclusion_target_change", schema=None) as batch_op:
        batch_op.drop_index("ix_inclusion_target_change_target_id_version")
    op.drop_table("inclusion_target_change")
    op.execute(sa.delete(target).where(target.c.indicator_code.in_(list(NEW_PLASED_TARGETS))))
    with op.batch_alter_table("inclusion_target", schema=None) as batch_op:
        batch_op.drop_column("baseline")
