"""Referral endpoints. Every answer to a signed-in caller is Cache-Control: no-store."""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from plased.auth.deps import CurrentUser
from plased.db import SessionDep
from plased.idempotency import IdempotencyKey, idempotent
from plased.members.policies import AccessDep
from plased.pagination import Page, PageDep, page_with
from plased.referrals import service, stats, workflow
from plased.referrals.models import ReferralStatus, Urgency
from plased.referrals.schemas import (
    CloseIn,
    CompleteIn,
    ConsentIn,
    DeclineIn,
    NoteIn,
    ReferralCreate,
    ReferralEventPublic,
    ReferralPublic,
    ReferralStats,
)

router = APIRouter(tags=["referrals"])


def _one(session: Any, user: Any, referral: Any, via: str) -> ReferralPublic:
    return service.present(session, user, [referral], via=via)[0]


@router.post(
    "/referrals",
    operation_id="referrals-create",
    response_model=ReferralPublic,
    status_code=status.HTTP_201_CREATED,
)
def create_referral(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    body: ReferralCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """A draft referral from the caller's organisation (accepts ``Idempotency-Key``)."""
    return idempotent(
        session,
        key=idempotency_key,
        actor_key=str(user.id),
        path=request.url.path,
        payload=body.model_dump(mode="json"),
        create=lambda: service.create_public(session, user=user, data=body),
        replay=lambda referral_id: _one(
            session, user, service.get_visible(session, user, uuid.UUID(referral_id)), "replay"
        ),
        location=lambda referral_id: f"/api/v1/referrals/{referral_id}",
    )


@router.get("/referrals", operation_id="referrals-list", response_model=Page[ReferralPublic])
def list_referrals(
    request: Request,
    response: Response,
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    status: ReferralStatus | None = None,
    direction: Literal["sent", "received"] | None = None,
    service_id: uuid.UUID | None = None,
    category_id: uuid.UUID | None = None,
    urgency: Urgency | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    overdue: bool | None = None,
) -> Page[ReferralPublic]:
    """Referrals sent by or addressed to the caller's organisation; nothing else."""
    items, total = service.list_referrals(
        session,
        user=user,
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
    presented = service.present(session, user, items, via="list")
    return page_with(request, response, page, presented, total)


@router.get("/referrals/{referral_id}", operation_id="referrals-get", response_model=ReferralPublic)
def get_referral(
    response: Response, session: SessionDep, user: CurrentUser, referral_id: uuid.UUID
) -> ReferralPublic:
    referral = service.get_visible(session, user, referral_id)
    response.headers["ETag"] = f'"{referral.version}"'
    return _one(session, user, referral, "read")


@router.get(
    "/referrals/{referral_id}/events",
    operation_id="referrals-events",
    response_model=list[ReferralEventPublic],
)
def referral_events(session: SessionDep, user: CurrentUser, referral_id: uuid.UUID) -> list[Any]:
    return service.events(session, user=user, referral_id=referral_id)


@router.put(
    "/referrals/{referral_id}/consent",
    operation_id="referrals-consent",
    response_model=ReferralPublic,
)
def record_consent(
    session: SessionDep, user: CurrentUser, referral_id: uuid.UUID, body: ConsentIn
) -> ReferralPublic:
    """Record or correct the client's consent while the referral is a draft."""
    referral = service.record_consent(session, user=user, referral_id=referral_id, data=body)
    return _one(session, user, referral, "action")


@router.post(
    "/referrals/{referral_id}/consent/withdraw",
    operation_id="referrals-consent-withdraw",
    response_model=ReferralPublic,
)
def withdraw_consent(
    session: SessionDep, user: CurrentUser, referral_id: uuid.UUID
) -> ReferralPublic:
    """Ends any open referral and hides the client from the provider from now on."""
    referral = workflow.withdraw_consent(session, user=user, referral_id=referral_id)
    return _one(session, user, referral, "action")


def _action(name: str, body_type: type[BaseModel], doc: str) -> Callable[..., ReferralPublic]:
    """An endpoint per action. A body with required fields (decline, complete, close) is
    required; a note-only body may be left out."""
    required = any(field.is_required() for field in body_type.model_fields.values())

    def run(session: Any, user: Any, referral_id: uuid.UUID, body: BaseModel) -> ReferralPublic:
        referral = workflow.transition(
            session, user=user, referral_id=referral_id, action=name, body=body
        )
        return _one(session, user, referral, "action")

    if required:

        def with_body(
            session: SessionDep,
            user: CurrentUser,
            referral_id: uuid.UUID,
            body: Annotated[body_type, Body()],  # type: ignore[valid-type]
        ) -> ReferralPublic:
            return run(session, user, referral_id, body)

        with_body.__doc__ = doc
        return with_body

    def optional_body(
        session: SessionDep,
        user: CurrentUser,
        referral_id: uuid.UUID,
        body: Annotated[body_type | None, Body()] = None,  # type: ignore[valid-type]
    ) -> ReferralPublic:
        return run(session, user, referral_id, body or body_type())

    optional_body.__doc__ = doc
    return optional_body


_ACTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("submit", NoteIn, "The referrer submits; needs consent to share with the provider."),
    ("accept", NoteIn, "The receiving provider accepts."),
    (
        "decline",
        DeclineIn,
        "The provider declines with a reason code; no_capacity and "
        "not_eligible are counted (as suppressed aggregates) in the gap analysis.",
    ),
    ("start", NoteIn, "The provider starts delivering the service."),
    ("complete", CompleteIn, "The provider records the outcome and the services delivered."),
    ("close", CloseIn, "The provider ends it without delivering the service, with a reason."),
    ("withdraw", NoteIn, "The referrer withdraws a submitted or accepted referral."),
]
for _name, _body, _doc in _ACTIONS:
    router.add_api_route(
        f"/referrals/{{referral_id}}/{_name}",
        _action(_name, _body, _doc),
        methods=["POST"],
        operation_id=f"referrals-{_name}",
        response_model=ReferralPublic,
        summary=f"{_name.capitalize()} a referral",
    )


@router.get(
    "/platforms/{platform_id}/referral-stats",
    operation_id="referral-stats-get",
    response_model=ReferralStats,
)
def referral_stats(session: SessionDep, access: AccessDep, platform_id: uuid.UUID) -> ReferralStats:
    """Counts for the secretariat; cells below 5 show as "<5"; no client is identifiable."""
    return stats.referral_stats(session, access=access, platform_id=platform_id)
