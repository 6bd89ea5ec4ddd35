"""Memberships: apply, the secretariat's decisions, withdrawal, history.

A COSS membership needs an active membership of its PLASED. When the PLASED membership is
suspended, the organisation's active COSS memberships are suspended with it; when it is
withdrawn or expires, its COSS memberships are withdrawn (or, still applications, rejected).
Each of these is a transition with its own event, naming the cause. Reinstating the PLASED
membership does not reinstate the COSS ones: the secretariat decides each.
"""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased import transitions as engine
from plased.access import Access, platform_in_reach, root_of
from plased.db import utcnow
from plased.errors import Conflict, Forbidden, InvalidTransition, NotFound, field_error
from plased.members.models import Membership, MembershipEvent, MembershipStatus, Organisation
from plased.members.schemas import MembershipPublic
from plased.members.transitions import ACTIONS, MACHINE, ORGANISATION, REASON_REQUIRED
from plased.pagination import PageParams, paginate
from plased.platforms.models import Platform, PlatformKind
from plased.platforms.service import current_regulations

OPEN = (MembershipStatus.applied, MembershipStatus.active, MembershipStatus.suspended)
MEMBERSHIP_SORTS = {"status": col(Membership.status), "applied_at": col(Membership.applied_at)}


def present(membership: Membership, organisation_name: str) -> MembershipPublic:
    return MembershipPublic.model_validate(
        {**membership.model_dump(), "organisation_name": organisation_name}
    )


def _event(
    session: Session,
    membership: Membership,
    *,
    before: str | None,
    actor_id: uuid.UUID | None,
    reason: str | None,
) -> None:
    session.add(
        MembershipEvent(
            membership_id=membership.id,
            from_status=before,
            to_status=membership.status,
            actor_id=actor_id,
            reason=reason,
        )
    )


def _has_active_membership(
    session: Session, organisation_id: uuid.UUID, platform_id: uuid.UUID
) -> bool:
    return (
        session.exec(
            select(Membership.id)
            .where(Membership.organisation_id == organisation_id)
            .where(Membership.platform_id == platform_id)
            .where(Membership.status == MembershipStatus.active)
        ).first()
        is not None
    )


def _require_parent_membership(
    session: Session, platform: Platform, organisation_id: uuid.UUID
) -> None:
    """A COSS membership needs an active membership of the parent PLASED."""
    parent_id = platform.parent_id
    if platform.kind != PlatformKind.coss or parent_id is None:
        return
    if not _has_active_membership(session, organisation_id, parent_id):
        raise field_error(
            "/body/organisation_id",
            "parent_membership_required",
            "The organisation must first be an active member of the parent PLASED.",
        )


def apply(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    organisation_id: uuid.UUID,
    reason: str | None,
) -> MembershipPublic:
    platform = platform_in_reach(session, access, platform_id, write=True)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not access.sees_root(organisation.platform_id):
        raise field_error("/body/organisation_id", "unknown_organisation", "No such organisation.")
    if not (access.manages(platform.id) or access.is_staff_of(organisation.id)):
        raise Forbidden("Only the organisation's staff or the secretariat may apply.")
    if organisation.platform_id != root_of(platform):
        raise field_error(
            "/body/organisation_id",
            "other_platform_family",
            "The organisation is registered with another platform.",
        )
    _require_parent_membership(session, platform, organisation.id)
    membership = Membership(
        organisation_id=organisation.id,
        platform_id=platform.id,
        status=MembershipStatus.applied,
        reason=reason,
    )
    try:
        with session.begin_nested():
            session.add(membership)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "The organisation already has an open membership of this platform.",
            code="membership_exists",
        ) from exc
    _event(session, membership, before=None, actor_id=access.user.id, reason=reason)
    if not current_regulations(session, platform.id).membership_requires_approval:
        membership.status = MembershipStatus.active
        membership.decided_at = utcnow()
        session.add(membership)
        _event(
            session,
            membership,
            before=MembershipStatus.applied,
            actor_id=None,
            reason="Approval not required by the regulations",
        )
    session.flush()
    return present(membership, organisation.name)


def get_visible(
    session: Session, access: Access, membership_id: uuid.UUID
) -> tuple[Membership, Organisation]:
    row = session.exec(
        select(Membership, Organisation)
        .join(Organisation, col(Organisation.id) == Membership.organisation_id)
        .where(Membership.id == membership_id)
    ).first()
    if row is None or not access.has_role_in(row[0].platform_id):
        raise NotFound
    return row[0], row[1]


def read(session: Session, *, access: Access, membership_id: uuid.UUID) -> MembershipPublic:
    membership, organisation = get_visible(session, access, membership_id)
    return present(membership, organisation.name)


def transition(
    session: Session,
    *,
    access: Access,
    membership_id: uuid.UUID,
    action: str,
    reason: str | None,
) -> MembershipPublic:
    membership, organisation = get_visible(session, access, membership_id)
    rule = ACTIONS[action]
    may = access.manages(membership.platform_id) or (
        rule.who == ORGANISATION and access.is_staff_of(organisation.id)
    )
    if not may:
        raise Forbidden(f"Your role may not {action} this membership.")
    access.require_writable(membership.platform_id)
    if action in REASON_REQUIRED and not reason:
        raise field_error("/body/reason", "reason_required", f"Give a reason to {action}.")
    if not MACHINE.allows(membership, action):
        raise InvalidTransition(current=membership.status, action=action)
    platform = session.get(Platform, membership.platform_id)
    assert platform is not None
    if rule.target == MembershipStatus.active:
        _require_parent_membership(session, platform, organisation.id)
    _move(session, membership, action=action, actor_id=access.user.id, reason=reason)
    _cascade(session, platform, membership, actor_id=access.user.id)
    session.flush()
    return present(membership, organisation.name)


def _move(
    session: Session,
    membership: Membership,
    *,
    action: str,
    actor_id: uuid.UUID | None,
    reason: str | None,
) -> None:
    engine.apply(
        session,
        MACHINE,
        membership,
        action,
        actor_id=actor_id,
        note=reason,
        values={"decided_at": utcnow(), "decided_by_id": actor_id, "reason": reason},
    )


_ENDED = {MembershipStatus.withdrawn, MembershipStatus.expired}


def _cascade_action(parent_status: str, child_status: str) -> str | None:
    if parent_status == MembershipStatus.suspended and child_status == MembershipStatus.active:
        return "suspend"
    if parent_status in _ENDED:
        if child_status in (MembershipStatus.active, MembershipStatus.suspended):
            return "withdraw"
        if child_status == MembershipStatus.applied:
            return "reject"
    return None


def _cascade(
    session: Session, platform: Platform, parent: Membership, *, actor_id: uuid.UUID
) -> None:
    """The organisation's memberships of the platform's COSS branches follow its PLASED
    membership out of ``active`` (see the module's docstring)."""
    if platform.kind != PlatformKind.plased:
        return
    children = session.exec(
        select(Membership)
        .join(Platform, col(Platform.id) == Membership.platform_id)
        .where(Platform.parent_id == platform.id)
        .where(Membership.organisation_id == parent.organisation_id)
        .where(col(Membership.status).in_(OPEN))
    ).all()
    reason = f"The PLASED membership was {parent.status}; a COSS membership requires it."
    for child in children:
        action = _cascade_action(parent.status, child.status)
        if action is not None:
            _move(session, child, action=action, actor_id=actor_id, reason=reason)


def history(
    session: Session, *, access: Access, membership_id: uuid.UUID, params: PageParams
) -> tuple[list[MembershipEvent], int]:
    get_visible(session, access, membership_id)
    return paginate(
        session,
        select(MembershipEvent).where(MembershipEvent.membership_id == membership_id),
        params,
        allowed_sorts={"created_at": col(MembershipEvent.created_at)},
        default_sort=["created_at"],
        tiebreak=col(MembershipEvent.id),
        # Events never change: their creation is their last change.
        updated_column=col(MembershipEvent.created_at),
    )


def list_memberships(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    params: PageParams,
    status: MembershipStatus | None,
) -> tuple[list[MembershipPublic], int]:
    platform_in_reach(session, access, platform_id)
    statement = (
        select(Membership, Organisation.name)
        .join(Organisation, col(Organisation.id) == Membership.organisation_id)
        .where(Membership.platform_id == platform_id)
    )
    if status is not None:
        statement = statement.where(Membership.status == status)
    rows, total = paginate(
        session,
        statement,
        params,
        allowed_sorts=MEMBERSHIP_SORTS,
        default_sort=["-applied_at"],
        tiebreak=col(Membership.id),
        updated_column=col(Membership.updated_at),
    )
    return [present(m, name) for m, name in rows], total
