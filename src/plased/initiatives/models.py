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


# -- coaching ------------------------------------------------------------------------------


class CoachingSession(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A coaching session of an initiative: who coached whom, on what, and what follows."""

    __tablename__ = "coaching_session"
    __table_args__ = (
        Index("ix_coaching_session_initiative_id_held_on", "initiative_id", "held_on"),
    )

    initiative_id: uuid.UUID = Field(foreign_key="initiative.id")
    held_on: date
    coach_person_id: uuid.UUID = Field(foreign_key="person.id")
    organisation_ids: list[Any] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    person_ids: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topics: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    notes: str | None = Field(default=None, max_length=4000)
    notes_km: str | None = Field(default=None, max_length=4000)


class FollowUpStatus(StrEnum):
    open = "open"
    done = "done"
    dropped = "dropped"


class FollowUp(IdMixin, TimestampMixin, VersionMixin, table=True):
    """An action agreed in a coaching session, owned by an organisation."""

    __tablename__ = "coaching_follow_up"

    session_id: uuid.UUID = Field(foreign_key="coaching_session.id", index=True)
    title: str = Field(max_length=300)
    title_km: str | None = Field(default=None, max_length=300)
    owner_organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    due_on: date
    status: str = Field(default=FollowUpStatus.open, max_length=8)


# -- advocacy ------------------------------------------------------------------------------


class AdvocacyChannel(StrEnum):
    dialogue_meeting = "dialogue_meeting"
    budget_forum = "budget_forum"
    letter = "letter"
    petition = "petition"
    media = "media"
    other = "other"


class OutcomeStatus(StrEnum):
    raised = "raised"
    acknowledged = "acknowledged"
    commitment_made = "commitment_made"
    implemented = "implemented"
    rejected = "rejected"


class Advocacy(IdMixin, TimestampMixin, VersionMixin, table=True):
    """What an advocacy initiative asks of whom, and how far the authority has gone."""

    __tablename__ = "advocacy"

    initiative_id: uuid.UUID = Field(foreign_key="initiative.id", unique=True)
    # The authority: a local authority organisation, or a national body by name.
    target_organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")
    target_body: str | None = Field(default=None, max_length=200)
    issue: str = Field(max_length=2000)
    issue_km: str | None = Field(default=None, max_length=2000)
    channel: str = Field(max_length=20)
    status: str = Field(default=OutcomeStatus.raised, max_length=16)


class AdvocacyEvent(IdMixin, SQLModel, table=True):
    """One step of the outcome with its dated evidence (the first: the issue raised)."""

    __tablename__ = "advocacy_event"

    advocacy_id: uuid.UUID = Field(foreign_key="advocacy.id", index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    evidence_on: date | None = None
    evidence: str | None = Field(default=None, max_length=2000)
    meeting_id: uuid.UUID | None = Field(default=None, foreign_key="meeting.id")
    commitment_id: uuid.UUID | None = Field(default=None, foreign_key="commitment.id")
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class CommitmentStatus(StrEnum):
    pending = "pending"
    in_progress = "in_progress"
    fulfilled = "fulfilled"
    not_fulfilled = "not_fulfilled"


class Commitment(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A commitment an authority made in a platform dialogue, tracked to its end."""

    __tablename__ = "commitment"
    __table_args__ = (Index("ix_commitment_platform_id_status", "platform_id", "status"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    text: str = Field(max_length=2000)
    text_km: str | None = Field(default=None, max_length=2000)
    owner_organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    made_on: date
    meeting_id: uuid.UUID | None = Field(default=None, foreign_key="meeting.id")
    initiative_id: uuid.UUID | None = Field(default=None, foreign_key="initiative.id", index=True)
    due_on: date | None = None
    status: str = Field(default=CommitmentStatus.pending, max_length=16)
