"""Priority action plan endpoints: the plan in order, its summary, items and the reorder."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status

from plased import i18n
from plased.access import AccessDep
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.initiatives import action_plan as service
from plased.initiatives.action_plan_models import PlanItemStatus
from plased.initiatives.action_plan_schemas import (
    ActionPlanPublic,
    PlanItemCreate,
    PlanItemPublic,
    PlanItemUpdate,
    PlanOrderUpdate,
)
from plased.pagination import Page, PageDep, page_list, sort_keys
from plased.routing import DomainRouter

router = DomainRouter(tags=["action plan"])


@router.get(
    "/platforms/{platform_id}/action-plan",
    operation_id="action-plan-list",
    response_model=Page[PlanItemPublic],
    openapi_extra=sort_keys("priority", "due_on", "status", "updated_at"),
)
def list_plan(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    status: PlanItemStatus | None = None,
    owner_organisation_id: uuid.UUID | None = None,
    overdue: Annotated[
        bool | None, Query(description="Only overdue items (true) or only the others (false)")
    ] = None,
) -> Page[PlanItemPublic]:
    """The platform's priority action plan, first priority first, each item flagged
    `overdue` when neither done nor dropped and due before today in the platform's time
    zone. The count of overdue items and the plan's version: `…/action-plan/summary`."""
    found = service.list_items(
        session,
        access=access,
        platform_id=platform_id,
        status=status,
        owner_organisation_id=owner_organisation_id,
        overdue=overdue,
        khmer=i18n.prefers_khmer(request),
    )
    return page_list(request, response, page, found, PlanItemPublic)


@router.get(
    "/platforms/{platform_id}/action-plan/summary",
    operation_id="action-plan-summary",
    response_model=ActionPlanPublic,
)
def plan_summary(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID
) -> ActionPlanPublic:
    """The plan as a whole: its `version` (send it as `If-Match` to reorder), how many items
    it holds and how many are overdue, with a warning while any is."""
    return service.summary(session, access=access, platform_id=platform_id)


@router.post(
    "/platforms/{platform_id}/action-plan",
    operation_id="action-plan-create",
    response_model=PlanItemPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "Archived platform, or the plan is full (`action_plan_full`)"}},
)
@idempotent()
def create_item(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: PlanItemCreate,
) -> PlanItemPublic:
    """An item at the end of the plan (the secretariat). The plan's version moves."""
    item = service.create(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = f"/api/v1/action-plan-items/{item.id}"
    with_etag(response, item.version)
    return service.present(session, item, khmer=i18n.prefers_khmer(request))


@router.put(
    "/platforms/{platform_id}/action-plan/order",
    operation_id="action-plan-reorder",
    response_model=ActionPlanPublic,
)
def reorder_plan(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: PlanOrderUpdate,
    if_match: IfMatch = None,
) -> ActionPlanPublic:
    """Reorder the whole plan at once (the secretariat): `item_ids` lists every item exactly
    once (else 422 `not_a_permutation`). If-Match: the plan's `version` (from the summary);
    a reorder made from an older version answers 412. Answers the summary, with the new
    version as its ETag."""
    plan = service.reorder(
        session, access=access, platform_id=platform_id, item_ids=body.item_ids, if_match=if_match
    )
    with_etag(response, plan.version)
    return service.summary(session, access=access, platform_id=platform_id)


@router.get(
    "/action-plan-items/{plan_item_id}",
    operation_id="action-plan-items-get",
    response_model=PlanItemPublic,
)
def get_item(
    request: Request, session: SessionDep, access: AccessDep, plan_item_id: uuid.UUID
) -> PlanItemPublic:
    """One item. Its ETag is weak: `overdue` changes with the day as well as with the
    record."""
    item = service.get_item(session, access, plan_item_id)
    return service.present(session, item, khmer=i18n.prefers_khmer(request))


@router.patch(
    "/action-plan-items/{plan_item_id}",
    operation_id="action-plan-items-update",
    response_model=PlanItemPublic,
)
def update_item(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    plan_item_id: uuid.UUID,
    body: PlanItemUpdate,
    if_match: IfMatch = None,
) -> PlanItemPublic:
    """The secretariat changes anything; the owner organisation's staff report `status` and
    `progress`. Status moves forward only (409 `invalid_transition` otherwise); the
    secretariat alone reopens a done or dropped item. If-Match: the item's `version`."""
    item = service.update(
        session, access=access, item_id=plan_item_id, data=body, if_match=if_match
    )
    with_etag(response, item.version)
    return service.present(session, item, khmer=i18n.prefers_khmer(request))


@router.delete(
    "/action-plan-items/{plan_item_id}",
    operation_id="action-plan-items-delete",
    status_code=status.HTTP_204_NO_CONTENT,
)
def delete_item(
    session: SessionDep, access: AccessDep, plan_item_id: uuid.UUID, if_match: IfMatch = None
) -> None:
    """Remove an item recorded by mistake (the secretariat): the items after it move up and
    the plan's version moves; `GET /api/v1/deletions` lists it. An action given up is
    `dropped` instead. If-Match: the item's `version`."""
    service.delete(session, access=access, item_id=plan_item_id, if_match=if_match)
