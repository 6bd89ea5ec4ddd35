"""Request and answer bodies of the value-chain strategies (docs/value-chains.md,
"Strategies")."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from plased.governance.schemas import Title
from plased.instants import Day
from plased.members.schemas import Name
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel, Warning
from plased.valuechains.models import StrategyActionStatus, StrategyStatus, StrategyStepKind

Summary = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]
Progress = Annotated[int, Field(ge=0, le=100, description="Per cent done, 0–100")]
DISPLAY = (
    "`title_km` when the request asks for Khmer (`Accept-Language: km`) and it is set, else `title`"
)


class StrategyCreate(RequestModel):
    """A new draft. Left out, the title and summary are copied from the chain's last
    published version (its objectives and actions are always copied)."""

    title: Name | None = Field(
        default=None, description="Default: the last published version's, else 'Strategy: <chain>'"
    )
    title_km: Name | None = None
    summary: Summary | None = None
    summary_km: Summary | None = None


class StrategyUpdate(PatchModel):
    title: Omittable[Name] = None
    title_km: Name | None = None
    summary: Summary | None = None
    summary_km: Summary | None = None


class StrategyValidate(RequestModel):
    motion_id: uuid.UUID = Field(
        description="A passed motion of the chain's focus group or the executive board"
    )


class StrategyStepCreate(RequestModel):
    kind: StrategyStepKind
    notes: Summary | None = None
    notes_km: Summary | None = None
    meeting_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="Meetings of the chain's focus group"
    )


class StrategyStepMeetingsUpdate(RequestModel):
    """The whole set of meetings a step was held in (replaces the previous set)."""

    meeting_ids: list[uuid.UUID] = Field(max_length=50)


class ObjectiveCreate(RequestModel):
    title: Title
    title_km: Title | None = None


class StrategyActionCreate(RequestModel):
    title: Title
    title_km: Title | None = None
    owner_organisation_id: uuid.UUID = Field(
        description="An active member organisation of the platform"
    )
    due_date: Day | None = None
    status: StrategyActionStatus = StrategyActionStatus.planned
    progress: Progress = 0


class StrategyActionUpdate(PatchModel):
    """The owner organisation's staff may change `status` and `progress` only."""

    title: Omittable[Title] = None
    title_km: Title | None = None
    owner_organisation_id: Omittable[uuid.UUID] = None
    due_date: Day | None = None
    status: Omittable[StrategyActionStatus] = None
    progress: Omittable[Progress] = None


class StrategyActionPublic(ResponseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    owner_organisation_id: uuid.UUID
    due_date: date | None
    status: StrategyActionStatus
    progress: int
    updated_at: datetime
    version: int


class ObjectivePublic(ResponseModel):
    id: uuid.UUID
    strategy_id: uuid.UUID
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    actions: list[StrategyActionPublic]
    updated_at: datetime
    version: int


class StrategyStepPublic(ResponseModel):
    id: uuid.UUID
    strategy_id: uuid.UUID
    kind: StrategyStepKind
    notes: str | None
    notes_km: str | None
    meeting_ids: list[uuid.UUID] = Field(description="Meetings of the focus group it was held in")
    updated_at: datetime
    version: int


class Participation(ResponseModel):
    """Who took part in the meetings linked to the strategy's steps (counts only)."""

    meetings: int = Field(description="Distinct meetings linked to the steps")
    participants: int = Field(description="Distinct people marked present at those meetings")
    target_participants: int
    women: int
    women_share: float | None = Field(description="women ÷ participants; null without any")
    min_women_share: float = Field(description="The regulations' min_women_share")
    warnings: list[Warning]


class StrategyPublic(ResponseModel):
    id: uuid.UUID
    value_chain_id: uuid.UUID
    version_number: int
    based_on_id: uuid.UUID | None = Field(description="The published version it was copied from")
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    summary: str | None
    summary_km: str | None
    status: StrategyStatus
    validation_motion_id: uuid.UUID | None
    validated_at: datetime | None
    published_at: datetime | None
    steps: list[StrategyStepPublic]
    objectives: list[ObjectivePublic]
    participation: Participation
    created_at: datetime
    updated_at: datetime
    version: int


class StrategyEventPublic(ResponseModel):
    id: uuid.UUID
    strategy_id: uuid.UUID
    from_status: StrategyStatus | None = Field(description="null: the draft was created")
    to_status: StrategyStatus
    actor_id: uuid.UUID | None
    motion_id: uuid.UUID | None = Field(description="The motion that validated it")
    created_at: datetime


class StrategyDocumentPublic(ResponseModel):
    id: uuid.UUID
    strategy_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
