"""User accounts (administrators): list, create, deactivate, re-activate. Roles per platform
are granted in plased.platforms.roles."""

import uuid

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased.auth.models import User
from plased.auth.passwords import hash_password
from plased.auth.schemas import UserCreate
from plased.auth.service import invalidate_sessions
from plased.db import bump
from plased.errors import Conflict, Forbidden, NotFound
from plased.pagination import PageParams, like_escape, paginate

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
