"""Value chains, the criteria that rank them, the scores stakeholders give, and the history
of each chain's status."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class ValueChainStatus(StrEnum):
    candidate = "candidate"
    prioritised = "prioritised"
    dropped = "dropped"


class ValueChain(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "value_chain"
    __table_args__ = (UniqueConstraint("platform_id", "name_key"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    name: str = Field(max_length=120)
    name_km: str | None = Field(default=None, max_length=120)
    # The name as compared for duplicates (``plased.text.name_key``).
    name_key: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    description_km: str | None = Field(default=None, max_length=2000)
    district_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=ValueChainStatus.candidate, max_length=12, index=True)
    # How the last status change was decided: a passed motion, or the secretariat's reason.
    decision_motion_id: uuid.UUID | None = Field(default=None, foreign_key="motion.id")
    decision_reason: str | None = Field(default=None, max_length=1000)
    decided_at: datetime | None = timestamp_field(default=None, nullable=True)
    # The value-chain focus group: a governance body of kind focus_group.
    focus_group_id: uuid.UUID | None = Field(default=None, foreign_key="body.id", unique=True)


class ValueChainEvent(IdMixin, SQLModel, table=True):
    """One row per status change of a value chain."""

    __tablename__ = "value_chain_event"

    value_chain_id: uuid.UUID = Field(foreign_key="value_chain.id", index=True)
    from_status: str = Field(max_length=12)
    to_status: str = Field(max_length=12)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    motion_id: uuid.UUID | None = Field(default=None, foreign_key="motion.id")
    reason: str | None = Field(default=None, max_length=1000)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class Criterion(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A weighted criterion of the prioritisation, scored on ``scale_min``–``scale_max``."""

    __tablename__ = "vc_criterion"
    __table_args__ = (UniqueConstraint("platform_id", "code"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=120)
    name_km: str | None = Field(default=None, max_length=120)
    description: str | None = Field(default=None, max_length=1000)
    weight: float
    scale_min: int = Field(default=1)
    scale_max: int = Field(default=5)
    # False for a criterion where a high score is bad (an environmental risk).
    higher_is_better: bool = Field(default=True)


class Score(IdMixin, TimestampMixin, table=True):
    """One scorer's score of one value chain on one criterion. ``scorer_key`` is the scoring
    organisation's id, or ``secretariat`` for the secretariat's own score."""

    __tablename__ = "vc_score"
    __table_args__ = (UniqueConstraint("value_chain_id", "criterion_id", "scorer_key"),)

    value_chain_id: uuid.UUID = Field(foreign_key="value_chain.id", index=True)
    criterion_id: uuid.UUID = Field(foreign_key="vc_criterion.id", index=True)
    scorer_key: str = Field(max_length=40)
    scorer_organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")
    score: float
    recorded_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")


# -- participatory strategies --------------------------------------------------------------


class StrategyStatus(StrEnum):
    drafting = "drafting"
    validated = "validated"
    published = "published"


class StrategyStepKind(StrEnum):
    diagnosis = "diagnosis"
    vision = "vision"
    objectives = "objectives"
    actions = "actions"
    validation = "validation"


class StrategyActionStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Strategy(IdMixin, TimestampMixin, VersionMixin, table=True):
    """One version of a value chain's participatory strategy. At most one version of a chain
    is being drafted at a time (the partial unique index)."""

    __tablename__ = "vc_strategy"
    __table_args__ = (
        UniqueConstraint("value_chain_id", "version_number"),
        Index(
            "uq_vc_strategy_drafting",
            "value_chain_id",
            unique=True,
            sqlite_where=text("status = 'drafting'"),
            postgresql_where=text("status = 'drafting'"),
        ),
    )

    value_chain_id: uuid.UUID = Field(foreign_key="value_chain.id", index=True)
    version_number: int
    # The published version this one was copied from, if any.
    based_on_id: uuid.UUID | None = Field(default=None, foreign_key="vc_strategy.id")
    title: str = Field(max_length=200)
    title_km: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, max_length=4000)
    summary_km: str | None = Field(default=None, max_length=4000)
    status: str = Field(default=StrategyStatus.drafting, max_length=12)
    validation_motion_id: uuid.UUID | None = Field(default=None, foreign_key="motion.id")
    validated_at: datetime | None = timestamp_field(default=None, nullable=True)
    published_at: datetime | None = timestamp_field(default=None, nullable=True)


class StrategyStep(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A step of the participatory process (one of each kind per strategy), held in meetings
    of the chain's focus group."""

    __tablename__ = "vc_strategy_step"
    __table_args__ = (UniqueConstraint("strategy_id", "kind"),)

    strategy_id: uuid.UUID = Field(foreign_key="vc_strategy.id", index=True)
    kind: str = Field(max_length=12)
    notes: str | None = Field(default=None, max_length=4000)
    notes_km: str | None = Field(default=None, max_length=4000)


class StrategyStepMeeting(SQLModel, table=True):
    """A meeting of the focus group in which a step was worked on."""

    __tablename__ = "vc_strategy_step_meeting"

    step_id: uuid.UUID = Field(foreign_key="vc_strategy_step.id", primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", primary_key=True, index=True)


class Objective(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "vc_objective"

    strategy_id: uuid.UUID = Field(foreign_key="vc_strategy.id", index=True)
    title: str = Field(max_length=300)
    title_km: str | None = Field(default=None, max_length=300)


class StrategyAction(IdMixin, TimestampMixin, VersionMixin, table=True):
    """An action towards an objective, owned by a member organisation that reports its
    progress."""

    __tablename__ = "vc_action"

    objective_id: uuid.UUID = Field(foreign_key="vc_objective.id", index=True)
    title: str = Field(max_length=300)
    title_km: str | None = Field(default=None, max_length=300)
    owner_organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    due_date: date | None = None
    status: str = Field(default=StrategyActionStatus.planned, max_length=12)
    progress: int = Field(default=0)


class StrategyEvent(IdMixin, SQLModel, table=True):
    """One row per change of a strategy's status, its creation as a draft included
    (``from_status`` null)."""

    __tablename__ = "vc_strategy_event"

    strategy_id: uuid.UUID = Field(foreign_key="vc_strategy.id", index=True)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    motion_id: uuid.UUID | None = Field(default=None, foreign_key="motion.id")
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class StrategyDocument(IdMixin, SQLModel, table=True):
    """The strategy's document (and its annexes), stored as minutes' attachments are
    (``plased.documents``)."""

    __tablename__ = "vc_strategy_document"

    strategy_id: uuid.UUID = Field(foreign_key="vc_strategy.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
