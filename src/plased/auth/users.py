"""User administration (admin only): list, create, deactivate, grant and revoke roles."""

import uuid

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased.auth.models import PlatformRole, User
from plased.auth.passwords import hash_password
from plased.auth.schemas import RoleGrantCreate, RoleGrantPublic, UserCreate, UserDetail
from plased.auth.service import invalidate_sessions
from plased.db import bump
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.pagination import PageParams, like_escape, paginate
from plased.platforms.models import Platform

USER_SORTS = {
    "email": col(User.email),
    "created_at": col(User.created_at),
}


def list_users(
    session: Session, *, params: PageParams, q: str | None, is_active: bool | None
) -> tuple[list[User], int]:
    statement = select(User)
    if q:
        pattern = f"%{like_escape(q.lower())}%"
        statement = statement.where(
            or_(
                col(User.email).like(pattern, escape="\\"),
                func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    if is_active is not None:
        statement = statement.where(User.is_active == is_active)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=USER_SORTS,
        default_sort=["email"],
        tiebreak=col(User.id),
        updated_column=col(User.updated_at),
    )


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound
    return user


def create_user(session: Session, *, data: UserCreate) -> User:
    if session.exec(select(User.id).where(User.email == data.email)).first():
        raise Conflict("A user with this email exists.", code="email_taken")
    user = User(
        email=data.email,
        full_name=data.full_name,
        password_hash=hash_password(data.password),
        is_admin=data.is_admin,
    )
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict("A user with this email exists.", code="email_taken") from exc
    return user


def set_active(session: Session, *, actor: User, user_id: uuid.UUID, active: bool) -> User:
    user = get_user(session, user_id)
    if user.id == actor.id and not active:
        raise Forbidden("You cannot deactivate your own account.", code="self_deactivation")
    if user.is_active != active:
        user.is_active = active
        if active:
            bump(user)
        else:
            invalidate_sessions(session, user)
        session.add(user)
    return user


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
    session.delete(grant)
