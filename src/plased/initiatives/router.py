"""Strategic initiative endpoints: initiatives, their status changes, history and
milestones."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status
from sqlmodel import Session

from plased import i18n
from plased.access import Access, AccessDep, action_parameters
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.initiatives import service
from plased.initiatives.models import InitiativeKind, InitiativeStatus
from plased.initiatives.schemas import (
    InitiativeApprove,
    InitiativeCreate,
    InitiativeEnd,
    InitiativeEventPublic,
    InitiativePublic,
    InitiativeUpdate,
    MilestoneCreate,
    MilestonePublic,
    MilestoneUpdate,
)
from plased.pagination import Page, PageDep, page_list, page_of, sort_keys
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes, parameter

router = DomainRouter(tags=["initiatives"])


@router.get(
    "/platforms/{platform_id}/initiatives",
    operation_id="initiatives-list",
    response_model=Page[InitiativePublic],
    openapi_extra=sort_keys("title", "status", "created_at", "updated_at"),
)
def list_initiatives(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    status: InitiativeStatus | None = None,
    kind: InitiativeKind | None = None,
    value_chain_id: uuid.UUID | None = None,
    organisation_id: Annotated[
        uuid.UUID | None, Query(description="Initiatives it leads or partners in")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="Title, English or Khmer")] = None,
) -> Page[InitiativePublic]:
    """The platform's initiatives, newest first, with their milestones and progress."""
    found, total = service.list_initiatives(
        session,
        access=access,
        platform_id=platform_id,
        params=page,
        status=status,
        kind=kind,
        value_chain_id=value_chain_id,
        organisation_id=organisation_id,
        q=q,
    )
    shown = service.present_all(session, found, khmer=i18n.prefers_khmer(request))
    return page_of(request, response, page, (shown, total), InitiativePublic)


@router.post(
    "/platforms/{platform_id}/initiatives",
    operation_id="initiatives-create",
    response_model=InitiativePublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_initiative(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: InitiativeCreate,
) -> InitiativePublic:
    """A proposed initiative (the secretariat), led by an active member organisation."""
    initiative = service.create(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = f"/api/v1/initiatives/{initiative.id}"
    with_etag(response, initiative.version)
    return service.present(session, initiative, khmer=i18n.prefers_khmer(request))


@router.get(
    "/initiatives/{initiative_id}",
    operation_id="initiatives-get",
    response_model=InitiativePublic,
)
def get_initiative(
    request: Request, session: SessionDep, access: AccessDep, initiative_id: uuid.UUID
) -> InitiativePublic:
    """The initiative with its milestones. Its ETag is weak: `overdue` changes with the day
    as well as with the record."""
    initiative = service.get_initiative(session, access, initiative_id)
    return service.present(session, initiative, khmer=i18n.prefers_khmer(request))


@router.patch(
    "/initiatives/{initiative_id}",
    operation_id="initiatives-update",
    response_model=InitiativePublic,
)
def update_initiative(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    initiative_id: uuid.UUID,
    body: InitiativeUpdate,
    if_match: IfMatch = None,
) -> InitiativePublic:
    """The secretariat, until the initiative is completed or abandoned (409
    `initiative_closed`). If-Match: the initiative's `version`."""
    initiative = service.update(
        session, access=access, initiative_id=initiative_id, data=body, if_match=if_match
    )
    with_etag(response, initiative.version)
    return service.present(session, initiative, khmer=i18n.prefers_khmer(request))


def _transition(
    *,
    session: Session,
    access: Access,
    request: Request,
    initiative_id: uuid.UUID,
    action: str,
    body: InitiativeApprove | InitiativeEnd | None = None,
) -> InitiativePublic:
    initiative = service.transition(
        session, access=access, initiative_id=initiative_id, action=action, data=body
    )
    return service.present(session, initiative, khmer=i18n.prefers_khmer(request))


_ILLEGAL = " Illegal changes answer 409 with the current status."
add_action_routes(
    router,
    path="/initiatives/{initiative_id}",
    resource="initiatives",
    parameters=[*action_parameters("initiative_id"), parameter("request", Request)],
    run=_transition,
    response_model=InitiativePublic,
    routes=[
        ActionRoute(
            "approve",
            "Approve an initiative",
            "proposed → approved (the secretariat), on `motion_id`: a closed, passed motion of "
            "the executive board or the general assembly." + _ILLEGAL,
            InitiativeApprove,
        ),
        ActionRoute(
            "start", "Start an initiative", "approved → in_progress (the secretariat)." + _ILLEGAL
        ),
        ActionRoute(
            "complete",
            "Complete an initiative",
            "in_progress → completed (the secretariat)." + _ILLEGAL,
        ),
        ActionRoute(
            "abandon",
            "Abandon an initiative",
            "proposed, approved or in_progress → abandoned (the secretariat), with a "
            "`reason`." + _ILLEGAL,
            InitiativeEnd,
        ),
    ],
)


@router.get(
    "/initiatives/{initiative_id}/history",
    operation_id="initiatives-history",
    response_model=Page[InitiativeEventPublic],
    openapi_extra=sort_keys("created_at"),
)
def initiative_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    initiative_id: uuid.UUID,
    page: PageDep,
) -> Page[InitiativeEventPublic]:
    """The proposal and every change of status: who, when, on which motion, why."""
    found = service.history(session, access=access, initiative_id=initiative_id)
    return page_list(request, response, page, found, InitiativeEventPublic)


@router.post(
    "/initiatives/{initiative_id}/milestones",
    operation_id="milestones-create",
    response_model=MilestonePublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_milestone(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    initiative_id: uuid.UUID,
    body: MilestoneCreate,
) -> MilestonePublic:
    """A milestone (the secretariat or the lead organisation's staff) of an open
    initiative."""
    milestone = service.add_milestone(
        session, access=access, initiative_id=initiative_id, data=body
    )
    response.headers["Location"] = f"/api/v1/milestones/{milestone.id}"
    with_etag(response, milestone.version)
    return service.present_one_milestone(session, milestone, khmer=i18n.prefers_khmer(request))


@router.get(
    "/milestones/{milestone_id}",
    operation_id="milestones-get",
    response_model=MilestonePublic,
)
def get_milestone(
    request: Request, session: SessionDep, access: AccessDep, milestone_id: uuid.UUID
) -> MilestonePublic:
    """One milestone. Its ETag is weak: `overdue` changes with the day."""
    milestone, _ = service.get_milestone(session, access, milestone_id)
    return service.present_one_milestone(session, milestone, khmer=i18n.prefers_khmer(request))


@router.patch(
    "/milestones/{milestone_id}",
    operation_id="milestones-update",
    response_model=MilestonePublic,
)
def update_milestone(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    milestone_id: uuid.UUID,
    body: MilestoneUpdate,
    if_match: IfMatch = None,
) -> MilestonePublic:
    """Mark it done (`done_on`) or change it (the secretariat or the lead organisation's
    staff). If-Match: the milestone's `version`."""
    milestone = service.update_milestone(
        session, access=access, milestone_id=milestone_id, data=body, if_match=if_match
    )
    with_etag(response, milestone.version)
    return service.present_one_milestone(session, milestone, khmer=i18n.prefers_khmer(request))
