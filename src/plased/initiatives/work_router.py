"""Endpoints of an initiative's work: coaching sessions and their follow-ups, the advocacy
record and its outcome, and the commitments authorities make."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status
from sqlmodel import Session

from plased import i18n
from plased.access import Access, AccessDep, action_parameters
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.initiatives import advocacy, coaching
from plased.initiatives.advocacy_schemas import (
    AdvocacyPublic,
    AdvocacyWrite,
    CommitmentCreate,
    CommitmentPublic,
    CommitmentUpdate,
    OutcomeEvidence,
)
from plased.initiatives.coaching_schemas import (
    CoachingSessionCreate,
    CoachingSessionPublic,
    CoachingSessionUpdate,
    FollowUpCreate,
    FollowUpPublic,
    FollowUpUpdate,
)
from plased.initiatives.models import CommitmentStatus
from plased.pagination import Page, PageDep, page_list, page_with, sort_keys
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes, parameter

router = DomainRouter(tags=["initiatives"])


# -- coaching ------------------------------------------------------------------------------


@router.get(
    "/initiatives/{initiative_id}/coaching-sessions",
    operation_id="coaching-sessions-list",
    response_model=Page[CoachingSessionPublic],
    openapi_extra=sort_keys("held_on", "updated_at"),
)
def list_coaching_sessions(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    initiative_id: uuid.UUID,
    page: PageDep,
) -> Page[CoachingSessionPublic]:
    """The initiative's coaching sessions, the latest first, with their follow-ups."""
    found = coaching.list_sessions(session, access=access, initiative_id=initiative_id)
    shown = coaching.present(session, found, khmer=i18n.prefers_khmer(request))
    return page_list(request, response, page, shown, CoachingSessionPublic)


@router.post(
    "/initiatives/{initiative_id}/coaching-sessions",
    operation_id="coaching-sessions-create",
    response_model=CoachingSessionPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_coaching_session(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    initiative_id: uuid.UUID,
    body: CoachingSessionCreate,
) -> CoachingSessionPublic:
    """A session held (the secretariat or the lead organisation's staff): the coach, the
    organisations and people coached, topics, notes and follow-up actions."""
    record = coaching.create_session(session, access=access, initiative_id=initiative_id, data=body)
    response.headers["Location"] = f"/api/v1/coaching-sessions/{record.id}"
    with_etag(response, record.version)
    return coaching.present(session, [record], khmer=i18n.prefers_khmer(request))[0]


@router.get(
    "/coaching-sessions/{session_id}",
    operation_id="coaching-sessions-get",
    response_model=CoachingSessionPublic,
)
def get_coaching_session(
    request: Request, session: SessionDep, access: AccessDep, session_id: uuid.UUID
) -> CoachingSessionPublic:
    """The session with its follow-ups (a weak ETag: `overdue` changes with the day)."""
    record, _ = coaching.get_session(session, access, session_id)
    return coaching.present(session, [record], khmer=i18n.prefers_khmer(request))[0]


@router.patch(
    "/coaching-sessions/{session_id}",
    operation_id="coaching-sessions-update",
    response_model=CoachingSessionPublic,
)
def update_coaching_session(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    session_id: uuid.UUID,
    body: CoachingSessionUpdate,
    if_match: IfMatch = None,
) -> CoachingSessionPublic:
    """Notes and the rest (If-Match: the session's `version`)."""
    record = coaching.update_session(
        session, access=access, session_id=session_id, data=body, if_match=if_match
    )
    with_etag(response, record.version)
    return coaching.present(session, [record], khmer=i18n.prefers_khmer(request))[0]


@router.post(
    "/coaching-sessions/{session_id}/follow-ups",
    operation_id="follow-ups-create",
    response_model=FollowUpPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_follow_up(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    session_id: uuid.UUID,
    body: FollowUpCreate,
) -> FollowUpPublic:
    follow_up = coaching.add_follow_up(session, access=access, session_id=session_id, data=body)
    response.headers["Location"] = f"/api/v1/follow-ups/{follow_up.id}"
    with_etag(response, follow_up.version)
    return coaching.present_one_follow_up(session, follow_up, khmer=i18n.prefers_khmer(request))


@router.get(
    "/follow-ups/{follow_up_id}",
    operation_id="follow-ups-get",
    response_model=FollowUpPublic,
)
def get_follow_up(
    request: Request, session: SessionDep, access: AccessDep, follow_up_id: uuid.UUID
) -> FollowUpPublic:
    follow_up, _ = coaching.get_follow_up(session, access, follow_up_id)
    return coaching.present_one_follow_up(session, follow_up, khmer=i18n.prefers_khmer(request))


@router.patch(
    "/follow-ups/{follow_up_id}",
    operation_id="follow-ups-update",
    response_model=FollowUpPublic,
)
def update_follow_up(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    follow_up_id: uuid.UUID,
    body: FollowUpUpdate,
    if_match: IfMatch = None,
) -> FollowUpPublic:
    """Its status (`open | done | dropped`) and the rest (If-Match: its `version`)."""
    follow_up = coaching.update_follow_up(
        session, access=access, follow_up_id=follow_up_id, data=body, if_match=if_match
    )
    with_etag(response, follow_up.version)
    return coaching.present_one_follow_up(session, follow_up, khmer=i18n.prefers_khmer(request))


# -- advocacy ------------------------------------------------------------------------------


@router.get(
    "/initiatives/{initiative_id}/advocacy",
    operation_id="advocacy-get",
    response_model=AdvocacyPublic,
)
def get_advocacy(
    request: Request, session: SessionDep, access: AccessDep, initiative_id: uuid.UUID
) -> AdvocacyPublic:
    """The target, issue, channel and the outcome step by step with its evidence."""
    record, _ = advocacy.get_advocacy(session, access, initiative_id)
    return advocacy.present_advocacy(session, record, khmer=i18n.prefers_khmer(request))


@router.put(
    "/initiatives/{initiative_id}/advocacy",
    operation_id="advocacy-write",
    response_model=AdvocacyPublic,
    responses={201: {"description": "Created: the issue is raised"}},
)
def write_advocacy(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    initiative_id: uuid.UUID,
    body: AdvocacyWrite,
    if_match: IfMatch = None,
) -> AdvocacyPublic:
    """Create (201, status `raised`) or replace (200, If-Match: its `version`) the advocacy
    record of an initiative of kind advocacy (409 `not_advocacy` otherwise)."""
    record, created = advocacy.write_advocacy(
        session, access=access, initiative_id=initiative_id, data=body, if_match=if_match
    )
    if created:
        response.status_code = status.HTTP_201_CREATED
    with_etag(response, record.version)
    return advocacy.present_advocacy(session, record, khmer=i18n.prefers_khmer(request))


def _outcome(
    *,
    session: Session,
    access: Access,
    request: Request,
    initiative_id: uuid.UUID,
    action: str,
    body: OutcomeEvidence,
) -> AdvocacyPublic:
    record = advocacy.outcome(
        session, access=access, initiative_id=initiative_id, action=action, data=body
    )
    return advocacy.present_advocacy(session, record, khmer=i18n.prefers_khmer(request))


_EVIDENCE = (
    " (the secretariat or the lead organisation's staff), with its evidence: the day, a note, "
    "and optionally the meeting. Illegal changes answer 409 with the current status."
)
add_action_routes(
    router,
    path="/initiatives/{initiative_id}/advocacy",
    resource="advocacy",
    parameters=[*action_parameters("initiative_id"), parameter("request", Request)],
    run=_outcome,
    response_model=AdvocacyPublic,
    routes=[
        ActionRoute(
            "acknowledge",
            "The authority acknowledged the issue",
            "raised → acknowledged" + _EVIDENCE,
            OutcomeEvidence,
        ),
        ActionRoute(
            "commit",
            "The authority made a commitment",
            "raised or acknowledged → commitment_made; `commitment_id` may name the "
            "commitment recorded" + _EVIDENCE,
            OutcomeEvidence,
        ),
        ActionRoute(
            "implement",
            "The commitment was implemented",
            "commitment_made → implemented" + _EVIDENCE,
            OutcomeEvidence,
        ),
        ActionRoute(
            "reject",
            "The authority rejected the request",
            "raised, acknowledged or commitment_made → rejected" + _EVIDENCE,
            OutcomeEvidence,
        ),
    ],
)


# -- commitments ---------------------------------------------------------------------------


@router.get(
    "/platforms/{platform_id}/commitments",
    operation_id="commitments-list",
    response_model=Page[CommitmentPublic],
    openapi_extra=sort_keys("made_on", "due_on", "status", "updated_at"),
)
def list_commitments(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    status: CommitmentStatus | None = None,
    owner_organisation_id: Annotated[
        uuid.UUID | None, Query(description="The authority that committed")
    ] = None,
    initiative_id: uuid.UUID | None = None,
) -> Page[CommitmentPublic]:
    """Commitments authorities made in the platform's dialogues, the latest first."""
    found, total = advocacy.list_commitments(
        session,
        access=access,
        platform_id=platform_id,
        params=page,
        status=status,
        owner_organisation_id=owner_organisation_id,
        initiative_id=initiative_id,
    )
    shown = advocacy.present_commitments(session, found, khmer=i18n.prefers_khmer(request))
    return page_with(request, response, page, shown, total)


@router.post(
    "/platforms/{platform_id}/commitments",
    operation_id="commitments-create",
    response_model=CommitmentPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_commitment(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: CommitmentCreate,
) -> CommitmentPublic:
    """A commitment an authority made (the secretariat): 422 `not_a_local_authority` when the
    owner is not a local authority."""
    record = advocacy.create_commitment(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = f"/api/v1/commitments/{record.id}"
    with_etag(response, record.version)
    return advocacy.present_commitments(session, [record], khmer=i18n.prefers_khmer(request))[0]


@router.get(
    "/commitments/{commitment_id}",
    operation_id="commitments-get",
    response_model=CommitmentPublic,
)
def get_commitment(
    request: Request, session: SessionDep, access: AccessDep, commitment_id: uuid.UUID
) -> CommitmentPublic:
    """One commitment (a weak ETag: `overdue` changes with the day)."""
    record = advocacy.get_commitment(session, access, commitment_id)
    return advocacy.present_commitments(session, [record], khmer=i18n.prefers_khmer(request))[0]


@router.patch(
    "/commitments/{commitment_id}",
    operation_id="commitments-update",
    response_model=CommitmentPublic,
)
def update_commitment(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    commitment_id: uuid.UUID,
    body: CommitmentUpdate,
    if_match: IfMatch = None,
) -> CommitmentPublic:
    """The secretariat; the status moves forward only: pending → in_progress → fulfilled or
    not_fulfilled (409 `invalid_transition` otherwise). If-Match: its `version`."""
    record = advocacy.update_commitment(
        session, access=access, commitment_id=commitment_id, data=body, if_match=if_match
    )
    with_etag(response, record.version)
    return advocacy.present_commitments(session, [record], khmer=i18n.prefers_khmer(request))[0]
