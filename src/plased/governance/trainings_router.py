"""Capacity-building endpoints: the reach of a platform's trainings."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query

from plased.access import AccessDep
from plased.db import SessionDep
from plased.governance import trainings
from plased.governance.schemas import TrainingReach
from plased.instants import Day
from plased.routing import DomainRouter

router = DomainRouter(tags=["governance"])


@router.get(
    "/platforms/{platform_id}/trainings/reach",
    operation_id="trainings-reach",
    response_model=TrainingReach,
)
def training_reach(
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    from_: Annotated[
        Day | None, Query(alias="from", description="First day of the period (included)")
    ] = None,
    to: Annotated[Day | None, Query(description="Last day of the period (included)")] = None,
) -> TrainingReach:
    """Distinct people present at the platform's trainings whose start lies in the period,
    by gender, youth, indigenous, stakeholder kind, district and audience, against the
    programme's target (small cells suppressed for everyone but the secretariat)."""
    start: date | None = from_
    return trainings.reach(session, access=access, platform_id=platform_id, start=start, end=to)
