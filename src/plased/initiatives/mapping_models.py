"""Community mapping: the profile of each community-based organisation (CBO), the mapping
campaigns that found them, and their advocacy plans (docs/community-mapping.md)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class CboFocus(StrEnum):
    savings_credit = "savings_credit"
    agriculture = "agriculture"
    fisheries = "fisheries"
    forestry = "forestry"
    land_rights = "land_rights"
    water = "water"
    women = "women"
    youth = "youth"
    health = "health"
    education = "education"
    eco_tourism = "eco_tourism"
    culture = "culture"
    other = "other"


# The organisational-health checklist: each item is a yes/no question; the score is the
# share of yeses (docs/community-mapping.md).
HEALTH_ITEMS: tuple[str, ...] = (
    "has_statutes",
    "elected_leaders",
    "meets_regularly",
    "keeps_accounts",
    "has_bank_account",
    "has_plan",
)


class PlanStatus(StrEnum):
    drafted = "drafted"
    submitted = "submitted"
    taken_up = "taken_up"
    not_taken_up = "not_taken_up"


class CboProfile(TimestampMixin, VersionMixin, table=True):
    """What mapping learnt of one CBO: an organisation of the platform family, CSO of
    sector ``cbo``. Keyed by the organisation: one profile each."""

    __tablename__ = "cbo_profile"
    __table_args__ = (Index("ix_cbo_profile_platform_id_updated_at", "platform_id", "updated_at"),)

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", primary_key=True)
    # The family's root platform (the organisation's own), for lists and the summary.
    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    village_id: uuid.UUID = Field(foreign_key="admin_unit.id", index=True)
    members_count: int
    women_members: int
    focus: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    year_founded: int | None = None
    has_statutes: bool = False
    elected_leaders: bool = False
    meets_regularly: bool = False
    keeps_accounts: bool = False
    has_bank_account: bool = False
    has_plan: bool = False


class MappingCampaign(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A round of field visits: the villages visited and the CBOs found there."""

    __tablename__ = "mapping_campaign"
    __table_args__ = (
        Index("ix_mapping_campaign_platform_id_starts_on", "platform_id", "starts_on"),
        Index("ix_mapping_campaign_platform_id_updated_at", "platform_id", "updated_at"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    name: str = Field(max_length=200)
    name_km: str | None = Field(default=None, max_length=200)
    starts_on: date
    ends_on: date | None = None
    village_ids: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cbo_ids: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str | None = Field(default=None, max_length=4000)


class AdvocacyPlan(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A CBO's plan to raise an issue with an authority: a local authority of the platform
    family, or a national body named in text."""

    __tablename__ = "advocacy_plan"
    __table_args__ = (Index("ix_advocacy_plan_platform_id_status", "platform_id", "status"),)

    organisation_id: uuid.UUID = Field(foreign_key="cbo_profile.organisation_id", index=True)
    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    issue: str = Field(max_length=500)
    issue_km: str | None = Field(default=None, max_length=500)
    target_organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")
    target_body: str | None = Field(default=None, max_length=200)
    status: str = Field(default=PlanStatus.drafted, max_length=12)
    submitted_at: datetime | None = timestamp_field(default=None, nullable=True)
    decided_at: datetime | None = timestamp_field(default=None, nullable=True)
    outcome_note: str | None = Field(default=None, max_length=1000)


class AdvocacyPlanEvent(IdMixin, SQLModel, table=True):
    """One row per change of a plan's status, its drafting included."""

    __tablename__ = "advocacy_plan_event"

    plan_id: uuid.UUID = Field(foreign_key="advocacy_plan.id", index=True)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
