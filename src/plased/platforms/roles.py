"""Roles per platform: granted and revoked by administrators, shown with a user's account."""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased.auth.models import PlatformRole, User
from plased.auth.users import get_user
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.platforms.models import Platform
from plased.platforms.schemas import RoleGrantCreate, RoleGrantPublic, UserDetail
from plased.tombstones import DeletedKind, record_deletion


def user_detail(session: Session, user: User) -> UserDetail:
    rows = session.exec(
        select(PlatformRole, Platform)
        .join(Platform, col(Platform.id) == PlatformRole.platform_id)
        .where(PlatformRole.user_id == user.id)
        .order_by(col(Platform.code), col(PlatformRole.role))
    ).all()
    roles = [
        RoleGrantPublic(
            id=grant.id,
            platform_id=platform.id,
            platform_code=platform.code,
            platform_name=platform.name,
            role=grant.role,  # type: ignore[arg-type]
            created_at=grant.created_at,
        )
        for grant, platform in rows
    ]
    return UserDetail.model_validate({**user.model_dump(), "roles": roles})


def grant_role(
    session: Session, *, actor: User, user_id: uuid.UUID, data: RoleGrantCreate
) -> PlatformRole:
    if user_id == actor.id:
        raise Forbidden("Nobody can grant a role to themselves.", code="self_grant")
    get_user(session, user_id)
    if session.get(Platform, data.platform_id) is None:
        raise field_error("/body/platform_id", "unknown_platform", "No such platform.")
    grant = PlatformRole(
        user_id=user_id, platform_id=data.platform_id, role=data.role, granted_by_id=actor.id
    )
    try:
        with session.begin_nested():
            session.add(grant)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("The user already holds this role.", code="role_exists") from exc
    return grant


def revoke_role(session: Session, *, actor: User, user_id: uuid.UUID, grant_id: uuid.UUID) -> None:
    grant = session.get(PlatformRole, grant_id)
    if grant is None or grant.user_id != user_id:
        raise NotFound
    if user_id == actor.id:
        raise Forbidden("Nobody can change their own roles.", code="self_grant")
    record_deletion(
        session,
        kind=DeletedKind.role_grant,
        record_id=grant.id,
        parent_id=user_id,
        platform_id=None,
    )
    session.delete(grant)
