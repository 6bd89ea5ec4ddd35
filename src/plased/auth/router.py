import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response, status

from plased.auth import service, users
from plased.auth.deps import CurrentUser, RequireAdmin, SettingsDep
from plased.auth.passwords import MAX_PASSWORD_LENGTH
from plased.auth.schemas import (
    PasswordChange,
    RefreshRequest,
    RoleGrantCreate,
    RoleGrantPublic,
    TokenPair,
    UserCreate,
    UserDetail,
    UserPublic,
)
from plased.db import SessionDep
from plased.errors import field_error
from plased.pagination import Page, PageDep, page_of

router = APIRouter(tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])


@router.post("/auth/token", operation_id="auth-token", response_model=TokenPair)
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


@router.post("/auth/refresh", operation_id="auth-refresh", response_model=TokenPair)
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


@users_router.get("", operation_id="users-list", response_model=Page[UserPublic])
def list_users(
    request: Request,
    response: Response,
    session: SessionDep,
    _admin: RequireAdmin,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    is_active: bool | None = None,
) -> Page[UserPublic]:
    rows = users.list_users(session, params=page, q=q, is_active=is_active)
    return page_of(request, response, page, rows, UserPublic)


@users_router.post(
    "",
    operation_id="users-create",
    response_model=UserDetail,
    status_code=status.HTTP_201_CREATED,
)
def create_user(
    response: Response, session: SessionDep, _admin: RequireAdmin, body: UserCreate
) -> UserDetail:
    user = users.create_user(session, data=body)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return users.user_detail(session, user)


@users_router.get("/{user_id}", operation_id="users-get", response_model=UserDetail)
def get_user(session: SessionDep, _admin: RequireAdmin, user_id: uuid.UUID) -> UserDetail:
    return users.user_detail(session, users.get_user(session, user_id))


@users_router.post(
    "/{user_id}/deactivate", operation_id="users-deactivate", response_model=UserDetail
)
def deactivate_user(session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID) -> UserDetail:
    """Signs the user out everywhere: every token issued before stops working."""
    user = users.set_active(session, actor=admin, user_id=user_id, active=False)
    return users.user_detail(session, user)


@users_router.post("/{user_id}/activate", operation_id="users-activate", response_model=UserDetail)
def activate_user(session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID) -> UserDetail:
    user = users.set_active(session, actor=admin, user_id=user_id, active=True)
    return users.user_detail(session, user)


@users_router.post(
    "/{user_id}/roles",
    operation_id="users-grant-role",
    response_model=RoleGrantPublic,
    status_code=status.HTTP_201_CREATED,
)
def grant_role(
    session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID, body: RoleGrantCreate
) -> RoleGrantPublic:
    grant = users.grant_role(session, actor=admin, user_id=user_id, data=body)
    detail = users.user_detail(session, users.get_user(session, user_id))
    return next(r for r in detail.roles if r.id == grant.id)


@users_router.delete(
    "/{user_id}/roles/{grant_id}",
    operation_id="users-revoke-role",
    status_code=status.HTTP_204_NO_CONTENT,
)
def revoke_role(
    session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID, grant_id: uuid.UUID
) -> None:
    users.revoke_role(session, actor=admin, user_id=user_id, grant_id=grant_id)
