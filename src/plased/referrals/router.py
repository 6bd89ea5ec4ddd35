"""Referral endpoints. Every answer to a signed-in caller is Cache-Control: no-store."""

import uuid
from typing import Annotated, Literal

from fastapi import Query, Request, Response, status
from pydantic import BaseModel
from sqlmodel import Session

from plased.access import Access, AccessDep, action_parameters
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.instants import Day, Instant
from plased.pagination import Page, PageDep, page_list, page_with, sort_keys
from plased.referrals import service, stats, workflow
from plased.referrals.models import Referral, ReferralStatus
from plased.referrals.schemas import (
    ConsentCreate,
    NoteCreate,
    ReferralClose,
    ReferralComplete,
    ReferralCreate,
    ReferralDecline,
    ReferralEventPublic,
    ReferralPublic,
    ReferralStats,
)
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes
from plased.vocabulary import Urgency

router = DomainRouter(tags=["referrals"])


def _one(session: Session, access: Access, referral: Referral, via: str) -> ReferralPublic:
    return service.present(session, access, [referral], via=via)[0]


def _replay(arguments: dict[str, object], referral_id: str) -> ReferralPublic:
    """A replayed answer is the referral as the caller may see it now (never stored)."""
    session, access = arguments["session"], arguments["access"]
    assert isinstance(session, Session) and isinstance(access, Access)
    found = service.get_visible(session, access, uuid.UUID(referral_id))
    return _one(session, access, found, "replay")


@router.post(
    "/referrals",
    operation_id="referrals-create",
    response_model=ReferralPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent(
    replay=lambda arguments, referral_id: service.present_created(
        arguments["session"], arguments["access"], uuid.UUID(referral_id)
    )
)
def create_referral(
    response: Response, session: SessionDep, access: AccessDep, body: ReferralCreate
) -> ReferralPublic:
    """A draft referral from the caller's organisation."""
    created = service.create_public(session, access=access, data=body)
    response.headers["Location"] = f"/api/v1/referrals/{created.id}"
    return created


@router.get(
    "/referrals",
    operation_id="referrals-list",
    openapi_extra=sort_keys("created_at", "updated_at"),
    response_model=Page[ReferralPublic],
)
def list_referrals(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    page: PageDep,
    status: ReferralStatus | None = None,
    direction: Literal["sent", "received"] | None = None,
    service_id: uuid.UUID | None = None,
    category_id: uuid.UUID | None = None,
    urgency: Urgency | None = None,
    created_from: Instant | None = None,
    created_to: Instant | None = None,
    overdue: bool | None = None,
) -> Page[ReferralPublic]:
    """Referrals sent by or addressed to the caller's organisation; nothing else."""
    items, total = service.list_referrals(
        session,
        access=access,
        params=page,
        status=status,
        direction=direction,
        service_id=service_id,
        category_id=category_id,
        urgency=urgency,
        created_from=created_from,
        created_to=created_to,
        overdue=overdue,
    )
    presented = service.present(session, access, items, via="list")
    return page_with(request, response, page, presented, total)


@router.get("/referrals/{referral_id}", operation_id="referrals-get", response_model=ReferralPublic)
def get_referral(
    response: Response, session: SessionDep, access: AccessDep, referral_id: uuid.UUID
) -> ReferralPublic:
    referral = service.get_visible(session, access, referral_id)
    response.headers["ETag"] = f'"{referral.version}"'
    return _one(session, access, referral, "read")


@router.get(
    "/referrals/{referral_id}/events",
    operation_id="referrals-events",
    response_model=Page[ReferralEventPublic],
    openapi_extra=sort_keys("created_at"),
)
def referral_events(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    referral_id: uuid.UUID,
    page: PageDep,
) -> Page[ReferralEventPublic]:
    """Oldest first."""
    events = service.events(session, access=access, referral_id=referral_id)
    return page_list(request, response, page, events, ReferralEventPublic)


@router.put(
    "/referrals/{referral_id}/consent",
    operation_id="referrals-consent",
    response_model=ReferralPublic,
)
def record_consent(
    session: SessionDep, access: AccessDep, referral_id: uuid.UUID, body: ConsentCreate
) -> ReferralPublic:
    """Record or correct the client's consent while the referral is a draft."""
    referral = service.record_consent(session, access=access, referral_id=referral_id, data=body)
    return _one(session, access, referral, "action")


@router.post(
    "/referrals/{referral_id}/consent/withdraw",
    operation_id="referrals-consent-withdraw",
    response_model=ReferralPublic,
)
@idempotent(replay=_replay)
def withdraw_consent(
    session: SessionDep, access: AccessDep, referral_id: uuid.UUID
) -> ReferralPublic:
    """Ends any open referral and hides the client from the provider from now on."""
    referral = workflow.withdraw_consent(session, access=access, referral_id=referral_id)
    return _one(session, access, referral, "action")


def _act(
    *, session: Session, access: Access, referral_id: uuid.UUID, action: str, body: BaseModel
) -> ReferralPublic:
    referral = workflow.transition(
        session, access=access, referral_id=referral_id, action=action, body=body
    )
    return _one(session, access, referral, "action")


add_action_routes(
    router,
    path="/referrals/{referral_id}",
    resource="referrals",
    parameters=action_parameters("referral_id"),
    run=_act,
    response_model=ReferralPublic,
    replay=_replay,
    routes=[
        ActionRoute(
            "submit",
            "Submit a referral",
            "The referrer submits; needs consent to share with the provider.",
            NoteCreate,
        ),
        ActionRoute("accept", "Accept a referral", "The receiving provider accepts.", NoteCreate),
        ActionRoute(
            "decline",
            "Decline a referral",
            "The provider declines with a reason code; no_capacity and not_eligible are "
            "counted (as suppressed aggregates) in the gap analysis.",
            ReferralDecline,
        ),
        ActionRoute(
            "start", "Start a referral", "The provider starts delivering the service.", NoteCreate
        ),
        ActionRoute(
            "complete",
            "Complete a referral",
            "The provider records the outcome and the services delivered.",
            ReferralComplete,
        ),
        ActionRoute(
            "close",
            "Close a referral",
            "The provider ends it without delivering the service, with a reason.",
            ReferralClose,
        ),
        ActionRoute(
            "withdraw",
            "Withdraw a referral",
            "The referrer withdraws a submitted or accepted referral.",
            NoteCreate,
        ),
    ],
)


@router.get(
    "/platforms/{platform_id}/referral-stats",
    operation_id="referral-stats-get",
    response_model=ReferralStats,
)
def referral_stats(
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    start: Annotated[Day | None, Query(alias="from", description="First day submitted")] = None,
    end: Annotated[Day | None, Query(alias="to", description="Last day submitted")] = None,
) -> ReferralStats:
    """Counts for the secretariat of the referrals submitted in the period (both days
    included); small cells suppressed; no client is identifiable. The programme's referral
    indicators are in ``GET /platforms/{id}/indicators``."""
    return stats.referral_stats(
        session, access=access, platform_id=platform_id, start=start, end=end
    )
