"""Request and answer bodies of the strategic initiatives (docs/initiatives.md)."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from plased.governance.schemas import Title
from plased.initiatives.models import InitiativeKind, InitiativeStatus
from plased.instants import Day
from plased.members.schemas import Name, Reason
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel, Warning

Description = Annotated[
    str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)
]
Budget = Annotated[int, Field(ge=0, le=1_000_000_000, description="In US dollars")]
Partners = Annotated[
    list[uuid.UUID],
    Field(max_length=30, description="Active member organisations of the platform"),
]
DISPLAY = (
    "`title_km` when the request asks for Khmer (`Accept-Language: km`) and it is set, else `title`"
)


class InitiativeCreate(RequestModel):
    title: Name
    title_km: Name | None = None
    description: Description | None = None
    description_km: Description | None = None
    kind: InitiativeKind
    lead_organisation_id: uuid.UUID = Field(description="An active member organisation")
    partner_organisation_ids: Partners = Field(default_factory=list)
    value_chain_id: uuid.UUID | None = Field(
        default=None, description="A value chain of the platform"
    )
    strategy_action_id: uuid.UUID | None = Field(
        default=None, description="An action of a strategy of that value chain"
    )
    budget_usd: Budget | None = None
    funder: Name | None = None


class InitiativeUpdate(PatchModel):
    """The secretariat changes anything until the initiative is completed or abandoned."""

    title: Omittable[Name] = None
    title_km: Name | None = None
    description: Description | None = None
    description_km: Description | None = None
    kind: Omittable[InitiativeKind] = None
    lead_organisation_id: Omittable[uuid.UUID] = None
    partner_organisation_ids: Omittable[Partners] = None
    value_chain_id: uuid.UUID | None = None
    strategy_action_id: uuid.UUID | None = None
    budget_usd: Budget | None = None
    funder: Name | None = None


class InitiativeApprove(RequestModel):
    motion_id: uuid.UUID = Field(
        description="A closed, passed motion of the executive board or the general assembly"
    )


class InitiativeEnd(RequestModel):
    reason: Reason


class MilestoneCreate(RequestModel):
    title: Title
    title_km: Title | None = None
    due_on: Day
    done_on: Day | None = Field(
        default=None, description="Not after today, nor before the milestone was recorded"
    )


class MilestoneUpdate(PatchModel):
    title: Omittable[Title] = None
    title_km: Title | None = None
    due_on: Omittable[Day] = None
    done_on: Day | None = Field(
        default=None, description="Not after today, nor before the milestone was recorded"
    )


class MilestonePublic(ResponseModel):
    id: uuid.UUID
    initiative_id: uuid.UUID
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    due_on: date
    done_on: date | None
    overdue: bool = Field(description="Not done and due before today (UTC)")
    created_at: datetime
    updated_at: datetime
    version: int


class InitiativePublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    description: str | None
    description_km: str | None
    kind: InitiativeKind
    lead_organisation_id: uuid.UUID
    partner_organisation_ids: list[uuid.UUID]
    value_chain_id: uuid.UUID | None
    strategy_action_id: uuid.UUID | None
    budget_usd: int | None
    funder: str | None
    status: InitiativeStatus
    approval_motion_id: uuid.UUID | None
    approved_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    milestones: list[MilestonePublic] = Field(description="By due date")
    progress: int | None = Field(
        description="Milestones done ÷ milestones × 100, rounded down; null without milestones"
    )
    overdue_milestones: int
    warnings: list[Warning]
    created_at: datetime
    updated_at: datetime
    version: int


class InitiativeEventPublic(ResponseModel):
    id: uuid.UUID
    initiative_id: uuid.UUID
    from_status: InitiativeStatus | None = Field(description="null: the proposal")
    to_status: InitiativeStatus
    actor_id: uuid.UUID | None
    motion_id: uuid.UUID | None
    reason: str | None
    created_at: datetime
