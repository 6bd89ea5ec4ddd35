"""The priority action plan: a platform's ordered actions and the plan's own version."""

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field

from plased.db import IdMixin, TimestampMixin, VersionMixin


class PlanItemStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class ActionPlan(IdMixin, TimestampMixin, VersionMixin, table=True):
    """One row per platform with a plan: its ``version`` moves whenever an item is added,
    removed or the items are reordered, so a reorder can name the order it was made from."""

    __tablename__ = "action_plan"

    platform_id: uuid.UUID = Field(foreign_key="platform.id", unique=True)


class ActionPlanItem(IdMixin, TimestampMixin, VersionMixin, table=True):
    """An action of the plan; its priority is its ``position`` (1 = first)."""

    __tablename__ = "action_plan_item"
    __table_args__ = (Index("ix_action_plan_item_platform_id_position", "platform_id", "position"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id")
    position: int
    title: str = Field(max_length=300)
    title_km: str | None = Field(default=None, max_length=300)
    owner_organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    due_on: date
    status: str = Field(default=PlanItemStatus.planned, max_length=12)
    progress: int = Field(default=0)
    initiative_id: uuid.UUID | None = Field(default=None, foreign_key="initiative.id", index=True)
    strategy_action_id: uuid.UUID | None = Field(
        default=None, foreign_key="vc_action.id", index=True
    )
    commitment_id: uuid.UUID | None = Field(default=None, foreign_key="commitment.id", index=True)
