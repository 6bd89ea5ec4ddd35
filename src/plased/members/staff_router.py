"""Organisation staff: invitations, redeeming one, the staff list, deactivation."""

import uuid

from fastapi import Request, Response, status

from plased.access import AccessDep
from plased.auth.deps import CurrentUser, SettingsDep
from plased.auth.models import User
from plased.auth.schemas import TokenPair
from plased.auth.service import issue_tokens
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.members import people, staff
from plased.members.schemas import (
    InvitationAccept,
    MeDetail,
    MePerson,
    StaffInvitationCreate,
    StaffInvitationCreated,
    StaffInvitationPublic,
    StaffUserPublic,
)
from plased.pagination import Page, PageDep, page_of, sort_keys
from plased.platforms import roles
from plased.routing import DomainRouter

router = DomainRouter(tags=["staff"])


@router.get("/me", operation_id="me-get", response_model=MeDetail, tags=["auth"])
def me(session: SessionDep, user: CurrentUser) -> MeDetail:
    """The caller's account, roles, organisation and the person they act as."""
    detail = roles.user_detail(session, user)
    persons = [
        MePerson(person_id=p.id, platform_id=p.platform_id, full_name=p.full_name)
        for p in people.people_of_user(session, user)
    ]
    return MeDetail(**detail.model_dump(), people=persons)


@router.post(
    "/organisations/{organisation_id}/staff-invitations",
    operation_id="staff-invitations-create",
    response_model=StaffInvitationCreated,
    status_code=status.HTTP_201_CREATED,
)
def invite(
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
    body: StaffInvitationCreate,
) -> StaffInvitationCreated:
    """The staff administrator invites a colleague; the secretariat invites only the first
    staff member of an organisation that has none. The token is shown once."""
    invitation, token = staff.invite(
        session, access=access, organisation_id=organisation_id, data=body
    )
    public = StaffInvitationPublic.model_validate(invitation)
    return StaffInvitationCreated(**public.model_dump(), token=token)


@router.get(
    "/organisations/{organisation_id}/staff-invitations",
    operation_id="staff-invitations-list",
    openapi_extra=sort_keys("created_at"),
    response_model=Page[StaffInvitationPublic],
)
def list_invitations(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
    page: PageDep,
) -> Page[StaffInvitationPublic]:
    """Invitations not yet used or revoked (never their tokens)."""
    rows = staff.pending_invitations(
        session, access=access, organisation_id=organisation_id, params=page
    )
    return page_of(request, response, page, rows, StaffInvitationPublic)


@router.delete(
    "/organisations/{organisation_id}/staff-invitations/{invitation_id}",
    operation_id="staff-invitations-revoke",
    status_code=status.HTTP_204_NO_CONTENT,
)
def revoke_invitation(
    session: SessionDep, access: AccessDep, organisation_id: uuid.UUID, invitation_id: uuid.UUID
) -> None:
    staff.revoke(
        session, access=access, organisation_id=organisation_id, invitation_id=invitation_id
    )


@router.post(
    "/staff-invitations/accept",
    operation_id="staff-invitations-accept",
    response_model=TokenPair,
    responses={401: {"description": "Unknown, used, revoked or expired invitation"}},
    status_code=status.HTTP_201_CREATED,
)
def accept_invitation(
    session: SessionDep, settings: SettingsDep, body: InvitationAccept
) -> TokenPair:
    """The invitee chooses a password; the answer signs the new account in."""
    user = staff.accept(session, token=body.token, password=body.password)
    return issue_tokens(session, settings, user)


@router.get(
    "/organisations/{organisation_id}/staff",
    operation_id="staff-list",
    openapi_extra=sort_keys("created_at", "email"),
    response_model=Page[StaffUserPublic],
)
def list_staff(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
    page: PageDep,
) -> Page[StaffUserPublic]:
    rows = staff.list_staff(session, access=access, organisation_id=organisation_id, params=page)
    return page_of(request, response, page, rows, StaffUserPublic)


@router.post(
    "/organisations/{organisation_id}/staff/{user_id}/deactivate",
    operation_id="staff-deactivate",
    response_model=StaffUserPublic,
)
@idempotent(
    replay=lambda arguments, _id: StaffUserPublic.model_validate(
        arguments["session"].get_one(User, arguments["user_id"])
    )
)
def deactivate_staff(
    session: SessionDep, access: AccessDep, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> StaffUserPublic:
    """The staff administrator ends a colleague's account; every token stops working."""
    user = staff.deactivate(
        session, access=access, organisation_id=organisation_id, user_id=user_id
    )
    return StaffUserPublic.model_validate(user)
