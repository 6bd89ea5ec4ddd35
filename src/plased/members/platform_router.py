"""Member resources under a platform and membership decisions."""

import uuid
from typing import Annotated

from fastapi import Body, Query, Request, Response, status
from sqlmodel import Session

from plased.access import Access, AccessDep, action_parameters
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.members import imports, memberships, organisations
from plased.members.models import MembershipStatus
from plased.members.schemas import (
    DirectoryEntry,
    ImportReport,
    MembershipApply,
    MembershipDecision,
    MembershipEventPublic,
    MembershipPublic,
)
from plased.pagination import Page, PageDep, page_of, page_with, sort_keys
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes

router = DomainRouter(tags=["members"])

CSV_BODY = Body(
    media_type="text/csv",
    description="UTF-8 CSV with a header row (see docs/members.md for the columns)",
)


@router.get(
    "/platforms/{platform_id}/directory",
    operation_id="directory-list",
    openapi_extra=sort_keys("kind", "name"),
    response_model=Page[DirectoryEntry],
)
def directory(
    request: Request,
    response: Response,
    session: SessionDep,
    platform_id: uuid.UUID,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[DirectoryEntry]:
    """The public directory of active member organisations (no people, no contacts)."""
    rows = organisations.directory(session, platform_id=platform_id, params=page, q=q)
    return page_of(request, response, page, rows, DirectoryEntry)


@router.post(
    "/platforms/{platform_id}/memberships",
    operation_id="memberships-apply",
    response_model=MembershipPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def apply(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: MembershipApply,
) -> MembershipPublic:
    """An organisation applies to the platform."""
    membership = memberships.apply(
        session,
        access=access,
        platform_id=platform_id,
        organisation_id=body.organisation_id,
        reason=body.reason,
    )
    response.headers["Location"] = f"/api/v1/memberships/{membership.id}"
    return membership


@router.get(
    "/platforms/{platform_id}/memberships",
    operation_id="memberships-list",
    openapi_extra=sort_keys("applied_at", "status"),
    response_model=Page[MembershipPublic],
)
def list_memberships(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    status: MembershipStatus | None = None,
) -> Page[MembershipPublic]:
    items, total = memberships.list_memberships(
        session, access=access, platform_id=platform_id, params=page, status=status
    )
    return page_with(request, response, page, items, total)


@router.get(
    "/memberships/{membership_id}", operation_id="memberships-get", response_model=MembershipPublic
)
def get_membership(
    response: Response, session: SessionDep, access: AccessDep, membership_id: uuid.UUID
) -> MembershipPublic:
    membership = memberships.read(session, access=access, membership_id=membership_id)
    response.headers["ETag"] = f'"{membership.version}"'
    return membership


def _decide(
    *,
    session: Session,
    access: Access,
    membership_id: uuid.UUID,
    action: str,
    body: MembershipDecision,
) -> MembershipPublic:
    return memberships.transition(
        session, access=access, membership_id=membership_id, action=action, reason=body.reason
    )


_WHO = "The secretariat decides; illegal changes answer 409 with the current status."
add_action_routes(
    router,
    path="/memberships/{membership_id}",
    resource="memberships",
    parameters=action_parameters("membership_id"),
    run=_decide,
    response_model=MembershipPublic,
    routes=[
        ActionRoute(
            "approve", "Approve an application", f"applied → active. {_WHO}", MembershipDecision
        ),
        ActionRoute(
            "reject",
            "Reject an application",
            f"applied → rejected, with a reason. {_WHO}",
            MembershipDecision,
        ),
        ActionRoute(
            "suspend",
            "Suspend a membership",
            "active → suspended, with a reason; COSS memberships follow a PLASED one. " + _WHO,
            MembershipDecision,
        ),
        ActionRoute(
            "reinstate", "Reinstate a membership", f"suspended → active. {_WHO}", MembershipDecision
        ),
        ActionRoute(
            "withdraw",
            "Withdraw a membership",
            "active or suspended → withdrawn, by the secretariat or the organisation; "
            "COSS memberships follow a PLASED one.",
            MembershipDecision,
        ),
        ActionRoute(
            "expire",
            "Expire a membership",
            "active → expired; COSS memberships follow a PLASED one. " + _WHO,
            MembershipDecision,
        ),
    ],
)


@router.get(
    "/memberships/{membership_id}/history",
    operation_id="memberships-history",
    openapi_extra=sort_keys("created_at"),
    response_model=Page[MembershipEventPublic],
)
def membership_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    membership_id: uuid.UUID,
    page: PageDep,
) -> Page[MembershipEventPublic]:
    rows = memberships.history(session, access=access, membership_id=membership_id, params=page)
    return page_of(request, response, page, rows, MembershipEventPublic)


@router.post(
    "/platforms/{platform_id}/imports/organisations",
    operation_id="imports-organisations",
    response_model=ImportReport,
)
@idempotent()
def import_organisations(
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: Annotated[bytes, CSV_BODY],
    dry_run: bool = False,
) -> ImportReport:
    """All or nothing; ``dry_run=true`` reports per row without writing."""
    return imports.import_organisations(
        session, access=access, platform_id=platform_id, body=body, dry_run=dry_run
    )


@router.post(
    "/platforms/{platform_id}/imports/people",
    operation_id="imports-people",
    response_model=ImportReport,
)
@idempotent()
def import_people(
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: Annotated[bytes, CSV_BODY],
    dry_run: bool = False,
) -> ImportReport:
    """All or nothing; ``dry_run=true`` reports per row without writing."""
    return imports.import_people(
        session, access=access, platform_id=platform_id, body=body, dry_run=dry_run
    )
