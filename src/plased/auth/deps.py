"""The current user and role gates, as ``Annotated`` dependency aliases."""

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session, select

from plased.audit import context as audit_context
from plased.auth.models import PlatformRole, User
from plased.auth.tokens import decode_access_token
from plased.config import Settings
from plased.db import SessionDep
from plased.errors import Forbidden, InvalidToken, NotAuthenticated

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def user_from_token(request: Request, session: Session, settings: Settings, token: str) -> User:
    """The token's user, by primary key: active, and the token of their current version."""
    claims = decode_access_token(settings, token)
    user = session.get(User, claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.token_version:
        raise InvalidToken
    audit_context.set_actor(user.id, user.organisation_id)
    request.state.user_id = user.id  # whose Idempotency-Key it is (plased.idempotency)
    return user


async def get_optional_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User | None:
    """Anonymous callers get None, without a trip to a thread; a token that is present must
    be valid."""
    if token is None:
        return None
    return await run_in_threadpool(user_from_token, request, session, settings, token)


async def get_current_user(user: Annotated[User | None, Depends(get_optional_user)]) -> User:
    if user is None:
        raise NotAuthenticated
    return user


async def require_admin(user: Annotated[User, Depends(get_current_user)]) -> User:
    if not user.is_admin:
        raise Forbidden("Only an administrator may do this.")
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]
RequireAdmin = Annotated[User, Depends(require_admin)]


def platform_roles(session: Session, user: User, platform_id: uuid.UUID) -> set[str]:
    return set(
        session.exec(
            select(PlatformRole.role)
            .where(PlatformRole.user_id == user.id)
            .where(PlatformRole.platform_id == platform_id)
        ).all()
    )
