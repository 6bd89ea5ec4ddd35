"""Organisation staff accounts: invited, never created with a password by someone else.

- The secretariat (or an administrator) may invite an organisation's *first* staff member,
  and only while the organisation has no active staff account. The invitee becomes the
  organisation's staff administrator.
- The staff administrator invites and deactivates further staff.
- An invitation is a one-time token; only its hash is stored. Whoever redeems it chooses the
  password, so the inviter never knows it.
- An account invited from outside the organisation sees client data only of referrals from
  its own creation on (``User.client_data_since``); accounts it invites inherit that horizon.
  Nobody outside an organisation can therefore come to read the clients it already holds.
- Every invitation and every account created is notified to the organisation's staff.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from plased.access import Access
from plased.auth.models import User
from plased.auth.passwords import hash_password
from plased.auth.service import invalidate_sessions, normalise_email
from plased.db import rows_changed, utcnow
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.members import organisations
from plased.members.models import Organisation, StaffInvitation
from plased.members.schemas import StaffInvitationCreate
from plased.notifications.service import notify_organisation
from plased.pagination import PageParams, paginate

INVITATION_DAYS = 7


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _active_staff(session: Session, organisation_id: uuid.UUID) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(User.organisation_id == organisation_id)
            .where(col(User.is_active).is_(True))
            .order_by(col(User.email))
        ).all()
    )


def _staff_admin_of(access: Access, organisation_id: uuid.UUID) -> bool:
    return access.is_staff_of(organisation_id) and access.user.is_org_admin


def _manage_staff(
    session: Session, access: Access, organisation_id: uuid.UUID, *, write: bool = True
) -> tuple[Organisation, bool]:
    """The organisation and whether the caller acts from outside it (secretariat, admin).
    Staff who are not its administrator: 403; callers who cannot see it: 404."""
    organisation = organisations.get_visible(session, access, organisation_id)
    outside = not _staff_admin_of(access, organisation.id)
    if outside and not access.manages_root(organisation.platform_id):
        raise Forbidden(
            "Only the organisation's staff administrator manages its staff; the secretariat "
            "invites the first staff member.",
            code="staff_admin_only",
        )
    if write:
        access.require_writable(organisation.platform_id)
    return organisation, outside


def invite(
    session: Session,
    *,
    access: Access,
    organisation_id: uuid.UUID,
    data: StaffInvitationCreate,
) -> tuple[StaffInvitation, str]:
    """A new invitation and its token (shown once, to be passed on to the invitee)."""
    organisation, outside = _manage_staff(session, access, organisation_id)
    now = utcnow()
    if outside:
        if _active_staff(session, organisation.id):
            raise Conflict(
                "The organisation has staff: its staff administrator invites colleagues.",
                code="organisation_has_staff",
            )
        pending = session.exec(
            select(StaffInvitation.id)
            .where(StaffInvitation.organisation_id == organisation.id)
            .where(col(StaffInvitation.accepted_at).is_(None))
            .where(col(StaffInvitation.revoked_at).is_(None))
            .where(col(StaffInvitation.expires_at) > now)
        ).first()
        if pending:
            raise Conflict(
                "An invitation is pending; revoke it before inviting someone else.",
                code="invitation_pending",
            )
    email = normalise_email(data.email)
    if session.exec(select(User.id).where(User.email == email)).first():
        raise Conflict("A user with this email exists.", code="email_taken")
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation(
        organisation_id=organisation.id,
        email=email,
        full_name=data.full_name,
        # The first staff member invited from outside administers the organisation's staff.
        is_org_admin=True if outside else data.is_org_admin,
        token_hash=_sha256(token),
        invited_by_id=access.user.id,
        from_outside=outside,
        client_data_since=None if outside else access.user.client_data_since,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    who = "the secretariat" if outside else access.user.full_name
    notify_organisation(
        session,
        organisation_id=organisation.id,
        kind="staff_invited",
        title=f"A staff account was offered to {email} by {who}"[:200],
        referral_id=None,
    )
    return invitation, token


def pending_invitations(
    session: Session, *, access: Access, organisation_id: uuid.UUID, params: PageParams
) -> tuple[list[StaffInvitation], int]:
    organisation, _ = _manage_staff(session, access, organisation_id, write=False)
    return paginate(
        session,
        select(StaffInvitation)
        .where(StaffInvitation.organisation_id == organisation.id)
        .where(col(StaffInvitation.accepted_at).is_(None))
        .where(col(StaffInvitation.revoked_at).is_(None)),
        params,
        allowed_sorts={"created_at": col(StaffInvitation.created_at)},
        default_sort=["created_at"],
        tiebreak=col(StaffInvitation.id),
    )


def revoke(
    session: Session, *, access: Access, organisation_id: uuid.UUID, invitation_id: uuid.UUID
) -> None:
    organisation, _ = _manage_staff(session, access, organisation_id)
    invitation = session.get(StaffInvitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id:
        raise NotFound
    result = session.execute(
        update(StaffInvitation)
        .where(col(StaffInvitation.id) == invitation.id)
        .where(col(StaffInvitation.accepted_at).is_(None))
        .where(col(StaffInvitation.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    if not rows_changed(result):
        raise Conflict("The invitation was already used or revoked.", code="invitation_closed")


def accept(session: Session, *, token: str, password: str) -> User:
    """Redeem an invitation: the account is created with the invitee's own password."""
    invitation = session.exec(
        select(StaffInvitation).where(StaffInvitation.token_hash == _sha256(token))
    ).first()
    now = utcnow()
    unusable = (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= now
    )
    if unusable or invitation is None:
        raise field_error(
            "/body/token",
            "invalid_invitation",
            "This invitation is unknown, used, revoked or expired; ask for a new one.",
        )
    # Claim the invitation atomically: of two redemptions, one creates the account.
    claimed = session.execute(
        update(StaffInvitation)
        .where(col(StaffInvitation.id) == invitation.id)
        .where(col(StaffInvitation.accepted_at).is_(None))
        .where(col(StaffInvitation.revoked_at).is_(None))
        .values(accepted_at=now)
    )
    if not rows_changed(claimed):
        raise field_error("/body/token", "invalid_invitation", "This invitation was just used.")
    if session.exec(select(User.id).where(User.email == invitation.email)).first():
        raise Conflict("A user with this email exists.", code="email_taken")
    user = User(
        email=invitation.email,
        full_name=invitation.full_name,
        password_hash=hash_password(password),
        organisation_id=invitation.organisation_id,
        is_org_admin=invitation.is_org_admin,
        client_data_since=now if invitation.from_outside else invitation.client_data_since,
    )
    session.add(user)
    session.flush()
    invitation.user_id = user.id
    session.add(invitation)
    notify_organisation(
        session,
        organisation_id=invitation.organisation_id,
        kind="staff_account_created",
        title=f"A staff account was created for {invitation.email}"[:200],
        referral_id=None,
    )
    return user


def list_staff(
    session: Session, *, access: Access, organisation_id: uuid.UUID, params: PageParams
) -> tuple[list[User], int]:
    """The organisation's accounts: for its staff and the secretariat."""
    organisation = organisations.get_visible(session, access, organisation_id)
    if not (access.is_staff_of(organisation.id) or access.manages_root(organisation.platform_id)):
        raise Forbidden("Only the organisation's staff and the secretariat see its accounts.")
    return paginate(
        session,
        select(User).where(User.organisation_id == organisation.id),
        params,
        allowed_sorts={"email": col(User.email), "created_at": col(User.created_at)},
        default_sort=["email"],
        tiebreak=col(User.id),
        updated_column=col(User.updated_at),
    )


def deactivate(
    session: Session, *, access: Access, organisation_id: uuid.UUID, user_id: uuid.UUID
) -> User:
    """The staff administrator ends a colleague's account (signed out everywhere)."""
    organisation = organisations.get_visible(session, access, organisation_id)
    if not _staff_admin_of(access, organisation.id):
        raise Forbidden(
            "Only the organisation's staff administrator deactivates its staff.",
            code="staff_admin_only",
        )
    user = session.get(User, user_id)
    if user is None or user.organisation_id != organisation.id:
        raise NotFound
    if user.id == access.user.id:
        raise Forbidden("You cannot deactivate your own account.", code="self_deactivation")
    access.require_writable(organisation.platform_id)
    if user.is_active:
        user.is_active = False
        invalidate_sessions(session, user)
        session.add(user)
    return user
