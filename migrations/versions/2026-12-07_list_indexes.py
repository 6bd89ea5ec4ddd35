"""Indexes for the filters and sorts of the big lists: organisations by platform and name, by
kind, sector and level; an organisation's sent and received referrals by update time; the
public directory's published services by name and by update time.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 21:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("ix_organisation_platform_id_name", "organisation", ["platform_id", "name"]),
    ("ix_organisation_platform_id_kind_name", "organisation", ["platform_id", "kind", "name"]),
    ("ix_organisation_sector", "organisation", ["sector"]),
    ("ix_organisation_la_level", "organisation", ["la_level"]),
    (
        "ix_referral_from_organisation_id_updated_at",
        "referral",
        ["from_organisation_id", "updated_at"],
    ),
    ("ix_referral_provider_id_updated_at", "referral", ["provider_id", "updated_at"]),
    ("ix_service_status_name", "service", ["status", "name"]),
    ("ix_service_status_updated_at", "service", ["status", "updated_at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
