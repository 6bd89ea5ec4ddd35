import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class PlatformKind(StrEnum):
    plased = "plased"
    coss = "coss"


class PlatformStatus(StrEnum):
    active = "active"
    archived = "archived"


class Platform(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "platform"

    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200, index=True)
    name_km: str | None = Field(default=None, max_length=200)
    kind: str = Field(max_length=10)
    parent_id: uuid.UUID | None = Field(
        default=None, foreign_key="platform.id", index=True, ondelete="RESTRICT"
    )
    province: str = Field(max_length=100)
    time_zone: str = Field(default="Asia/Phnom_Penh", max_length=64)
    status: str = Field(default=PlatformStatus.active, max_length=10, index=True)


class Regulations(IdMixin, SQLModel, table=True):
    """One row per version; the highest ``version`` of a platform is the current set."""

    __tablename__ = "regulations"
    __table_args__ = (UniqueConstraint("platform_id", "version"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    version: int = Field(default=1)
    quorum: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    majority_rules: list[str] = Field(sa_column=Column(JSON, nullable=False))
    board_term_months: int
    min_women_share: float
    membership_requires_approval: bool
    referral_response_hours: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    data_retention_days: int
    youth_min_age: int
    youth_max_age: int
    # Value chains: the focus group's target size, and how many chains to prioritise.
    focus_group_size: int = Field(default=15)
    min_prioritised_value_chains: int = Field(default=4)
    # Strategies: distinct people the programme wants in the meetings that draft one.
    strategy_participants: int = Field(default=15)
    note: str | None = Field(default=None, max_length=500)
    created_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class InclusionTarget(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "inclusion_target"
    __table_args__ = (UniqueConstraint("platform_id", "indicator_code"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    indicator_code: str = Field(max_length=60)
    description: str = Field(max_length=300)
    description_km: str | None = Field(default=None, max_length=300)
    baseline: float | None = None
    target_value: float
    period_start: date | None = None
    period_end: date | None = None


class InclusionTargetChange(IdMixin, SQLModel, table=True):
    """A target as it was set, one row per change (the first: as seeded): the history."""

    __tablename__ = "inclusion_target_change"
    __table_args__ = (
        Index("ix_inclusion_target_change_target_id_version", "target_id", "version"),
    )

    target_id: uuid.UUID = Field(foreign_key="inclusion_target.id", ondelete="CASCADE")
    version: int
    baseline: float | None = None
    target_value: float
    period_start: date | None = None
    period_end: date | None = None
    changed_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    changed_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
