from typing import Annotated

from fastapi import Form, status

from plased.auth import service
from plased.auth.deps import CurrentUser, SettingsDep
from plased.auth.passwords import MAX_PASSWORD_LENGTH
from plased.auth.schemas import (
    PasswordChange,
    RefreshRequest,
    TokenPair,
)
from plased.db import SessionDep
from plased.errors import field_error
from plased.routing import DomainRouter

router = DomainRouter(tags=["auth"])


@router.post(
    "/auth/token",
    operation_id="auth-token",
    response_model=TokenPair,
    responses={401: {"description": "Wrong email or password (invalid_credentials)"}},
)
def token(
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(min_length=1, max_length=320, description="Email")],
    password: Annotated[str, Form(min_length=1, max_length=MAX_PASSWORD_LENGTH)],
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> TokenPair:
    """OAuth2 password flow. Failures answer alike for unknown emails and wrong passwords."""
    if "\x00" in username or "\x00" in password:
        raise field_error("/body/username", "nul_character", "NUL characters are not allowed.")
    return service.login(session, settings, email=username, password=password)


@router.post(
    "/auth/refresh",
    operation_id="auth-refresh",
    response_model=TokenPair,
    responses={401: {"description": "Unknown, expired, revoked or reused token"}},
)
def refresh(session: SessionDep, settings: SettingsDep, body: RefreshRequest) -> TokenPair:
    """Rotates the refresh token; re-using a rotated one revokes its whole family."""
    return service.refresh(session, settings, refresh_token=body.refresh_token)


@router.post("/auth/logout", operation_id="auth-logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(session: SessionDep, body: RefreshRequest) -> None:
    service.logout(session, refresh_token=body.refresh_token)


@router.post("/me/password", operation_id="me-change-password", response_model=TokenPair)
def change_password(
    session: SessionDep, settings: SettingsDep, user: CurrentUser, body: PasswordChange
) -> TokenPair:
    """Every token issued before stops working; the answer holds a fresh pair."""
    return service.change_password(
        session, settings, actor=user, current=body.current_password, new=body.new_password
    )
