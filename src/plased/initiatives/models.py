"""Strategic initiatives, their milestones and the history of their status."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class InitiativeKind(StrEnum):
    producer_association = "producer_association"
    advocacy = "advocacy"
    production_support = "production_support"
    commercialisation = "commercialisation"
    other = "other"


class InitiativeStatus(StrEnum):
    proposed = "proposed"
    approved = "approved"
    in_progress = "in_progress"
    completed = "completed"
    abandoned = "abandoned"


class Initiative(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A strategic initiative of a platform, led by a member organisation with partners,
    possibly carrying a value chain's strategy action."""

    __tablename__ = "initiative"
    __table_args__ = (
        Index("ix_initiative_platform_id_status", "platform_id", "status"),
        Index("ix_initiative_platform_id_updated_at", "platform_id", "updated_at"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    title: str = Field(max_length=200)
    title_key: str = Field(max_length=200, description="casefolded title, for search and sort")
    title_km: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    description_km: str | None = Field(default=None, max_length=4000)
    kind: str = Field(max_length=24)
    lead_organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    partner_organisation_ids: list[Any] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    value_chain_id: uuid.UUID | None = Field(default=None, foreign_key="value_chain.id", index=True)
    strategy_action_id: uuid.UUID | None = Field(default=None, foreign_key="vc_action.id")
    budget_usd: int | None = None
    funder: str | None = Field(default=None, max_length=200)
    status: str = Field(default=InitiativeStatus.proposed, max_length=12)
    approval_motion_id: uuid.UUID | None = Field(default=None, foreign_key="motion.id")
    approved_at: datetime | None = timestamp_field(default=None, nullable=True)
    started_at: datetime | None = timestamp_field(default=None, nullable=True)
    ended_at: datetime | None = timestamp_field(default=None, nullable=True)
    end_reason: str | None = Field(default=None, max_length=1000)


class InitiativeEvent(IdMixin, SQLModel, table=True):
    """One row per change of an initiative's status, its proposal included."""

    __tablename__ = "initiative_event"

    initiative_id: uuid.UUID = Field(foreign_key="initiative.id", index=True)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    motion_id: uuid.UUID | None = Field(default=None, foreign_key="motion.id")
    reason: str | None = Field(default=None, max_length=1000)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class Milestone(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A step of an initiative with its due date; done when ``done_on`` is set."""

    __tablename__ = "initiative_milestone"

    initiative_id: uuid.UUID = Field(foreign_key="initiative.id", index=True)
    title: str = Field(max_length=300)
    title_km: str | None = Field(default=None, max_length=300)
    due_on: date
    done_on: date | None = None
