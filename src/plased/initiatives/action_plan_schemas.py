"""Request and answer bodies of the priority action plan (docs/action-plan.md)."""

import uuid
from datetime import date, datetime

from pydantic import Field

from plased.governance.schemas import Title
from plased.initiatives.action_plan_models import PlanItemStatus
from plased.instants import Day
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel, Warning
from plased.valuechains.strategy_schemas import Progress

# The most items a plan holds: the whole plan is reordered in one request.
MAX_ITEMS = 200
DISPLAY = (
    "`title_km` when the request asks for Khmer (`Accept-Language: km`) and it is set, else `title`"
)
LINKS = "At most one of `initiative_id`, `strategy_action_id` and `commitment_id`"


class PlanItemCreate(RequestModel):
    """A new item goes to the end of the plan (the lowest priority)."""

    title: Title
    title_km: Title | None = None
    owner_organisation_id: uuid.UUID = Field(description="An active member organisation")
    due_on: Day
    initiative_id: uuid.UUID | None = Field(
        default=None, description=f"An initiative of the platform. {LINKS}."
    )
    strategy_action_id: uuid.UUID | None = Field(
        default=None,
        description=f"An action of a strategy of one of the platform's value chains. {LINKS}.",
    )
    commitment_id: uuid.UUID | None = Field(
        default=None, description=f"A commitment an authority made to the platform. {LINKS}."
    )


class PlanItemUpdate(PatchModel):
    """The secretariat changes anything; the owner organisation's staff `status` and
    `progress` only."""

    title: Omittable[Title] = None
    title_km: Title | None = None
    owner_organisation_id: Omittable[uuid.UUID] = None
    due_on: Omittable[Day] = None
    status: Omittable[PlanItemStatus] = Field(
        default=None,
        description="Forward only: planned → in_progress → done, or dropped on the way; "
        "the secretariat alone reopens a done or dropped item (→ in_progress)",
    )
    progress: Omittable[Progress] = None
    initiative_id: uuid.UUID | None = Field(default=None, description=LINKS)
    strategy_action_id: uuid.UUID | None = Field(default=None, description=LINKS)
    commitment_id: uuid.UUID | None = Field(default=None, description=LINKS)


class PlanOrderUpdate(RequestModel):
    """The whole plan in its new order, first priority first."""

    item_ids: list[uuid.UUID] = Field(
        max_length=MAX_ITEMS, description="Every item of the plan exactly once"
    )


class PlanItemPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    priority: int = Field(description="Position in the plan: 1 is the first priority")
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    owner_organisation_id: uuid.UUID
    due_on: date
    status: PlanItemStatus
    progress: int = Field(description="Per cent done, 0–100")
    overdue: bool = Field(
        description="Neither done nor dropped, and due before today in the platform's time zone"
    )
    initiative_id: uuid.UUID | None
    strategy_action_id: uuid.UUID | None
    commitment_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int


class ActionPlanPublic(ResponseModel):
    """The plan as a whole: its version (for `If-Match` on a reorder) and its overdue count."""

    platform_id: uuid.UUID
    version: int = Field(description='Send `If-Match: "<version>"` to reorder')
    items: int = Field(description="How many items the plan holds")
    overdue: int = Field(description="How many of them are overdue")
    today: date = Field(description="Today in the platform's time zone, the day `overdue` uses")
    warnings: list[Warning]
