"""Advocacy plans of mapped CBOs on the transition engine: drafted → submitted → taken_up or
not_taken_up (docs/community-mapping.md).

Reads: whoever reads the CBO's profile. Drafting, edits (while drafted) and every status
change: the secretariat of a platform of the family.
"""

import uuid
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from plased import i18n
from plased import transitions as engine
from plased.access import Access
from plased.concurrency import check_if_match
from plased.db import bump, utcnow
from plased.errors import Conflict, NotFound
from plased.initiatives import authorities, mapping
from plased.initiatives.mapping_models import AdvocacyPlan, AdvocacyPlanEvent
from plased.initiatives.mapping_models import PlanStatus as S
from plased.initiatives.mapping_schemas import (
    AdvocacyOutcome,
    AdvocacyPlanCreate,
    AdvocacyPlanPublic,
    AdvocacyPlanUpdate,
    AdvocacyTurnDown,
)
from plased.transitions import Change, Machine, actions

SECRETARIAT = "secretariat"


def _event(change: Change[AdvocacyPlan]) -> SQLModel:
    return AdvocacyPlanEvent(
        plan_id=change.record.id,
        from_status=change.before,
        to_status=change.action.target,
        actor_id=change.actor_id,
        note=change.note,
    )


MACHINE: Machine[AdvocacyPlan] = Machine(
    model=AdvocacyPlan,
    actions=actions(
        ("submit", {S.drafted}, S.submitted, SECRETARIAT),
        ("take-up", {S.submitted}, S.taken_up, SECRETARIAT),
        ("turn-down", {S.submitted}, S.not_taken_up, SECRETARIAT),
    ),
    event=_event,
)


def _require_manager(access: Access, root: uuid.UUID) -> None:
    access.require_manage_root(root)
    access.require_writable(root)


def get_plan(session: Session, access: Access, plan_id: uuid.UUID) -> AdvocacyPlan:
    plan = session.get(AdvocacyPlan, plan_id)
    if plan is None or not access.sees_root(plan.platform_id):
        raise NotFound
    return plan


def create_plan(
    session: Session, *, access: Access, organisation_id: uuid.UUID, data: AdvocacyPlanCreate
) -> AdvocacyPlan:
    profile = mapping.get_profile(session, access, organisation_id)
    _require_manager(access, profile.platform_id)
    authorities.check_target(
        session, profile.platform_id, data.target_organisation_id, data.target_body
    )
    plan = AdvocacyPlan(
        organisation_id=profile.organisation_id,
        platform_id=profile.platform_id,
        **data.model_dump(),
    )
    session.add(plan)
    session.flush()
    session.add(AdvocacyPlanEvent(plan_id=plan.id, to_status=plan.status, actor_id=access.user.id))
    session.flush()
    return plan


def update_plan(
    session: Session,
    *,
    access: Access,
    plan_id: uuid.UUID,
    data: AdvocacyPlanUpdate,
    if_match: str | None,
) -> AdvocacyPlan:
    plan = get_plan(session, access, plan_id)
    _require_manager(access, plan.platform_id)
    check_if_match(if_match, plan.version)
    if plan.status != S.drafted:
        raise Conflict(
            "A plan is edited while drafted; once submitted it stays as submitted.",
            code="plan_not_draft",
            extra={"current_status": plan.status},
        )
    changes = data.changes()
    if "target_organisation_id" in changes or "target_body" in changes:
        authorities.check_target(
            session,
            plan.platform_id,
            changes.get("target_organisation_id", plan.target_organisation_id),
            changes.get("target_body", plan.target_body),
        )
    for name, value in changes.items():
        setattr(plan, name, value)
    bump(plan)
    session.add(plan)
    session.flush()
    return plan


def transition(
    session: Session,
    *,
    access: Access,
    plan_id: uuid.UUID,
    action: str,
    data: AdvocacyOutcome | AdvocacyTurnDown | None,
) -> AdvocacyPlan:
    """submit; take-up and turn-down record the authority's answer (with a note)."""
    plan = get_plan(session, access, plan_id)
    _require_manager(access, plan.platform_id)
    if not MACHINE.allows(plan, action):
        raise engine.InvalidTransition(current=plan.status, action=action)
    now = utcnow()
    note = data.note if data is not None else None
    values: dict[str, Any] = (
        {"submitted_at": now} if action == "submit" else {"decided_at": now, "outcome_note": note}
    )
    return engine.apply(
        session,
        MACHINE,
        plan,
        action,
        actor_id=access.user.id,
        actor_organisation_id=access.organisation_id,
        note=note,
        values=values,
    )


def list_plans(
    session: Session, *, access: Access, organisation_id: uuid.UUID
) -> list[AdvocacyPlan]:
    """The CBO's plans, oldest first (a CBO has a handful)."""
    profile = mapping.get_profile(session, access, organisation_id)
    return list(
        session.exec(
            select(AdvocacyPlan)
            .where(AdvocacyPlan.organisation_id == profile.organisation_id)
            .order_by(col(AdvocacyPlan.created_at), col(AdvocacyPlan.id))
        ).all()
    )


def history(session: Session, *, access: Access, plan_id: uuid.UUID) -> list[AdvocacyPlanEvent]:
    plan = get_plan(session, access, plan_id)
    return list(
        session.exec(
            select(AdvocacyPlanEvent)
            .where(AdvocacyPlanEvent.plan_id == plan.id)
            .order_by(col(AdvocacyPlanEvent.created_at), col(AdvocacyPlanEvent.id))
        ).all()
    )


def present(plan: AdvocacyPlan, *, khmer: bool = False) -> AdvocacyPlanPublic:
    return AdvocacyPlanPublic.model_validate(
        {
            **plan.model_dump(),
            "display_issue": i18n.display(plan.issue, plan.issue_km, khmer),
        }
    )
