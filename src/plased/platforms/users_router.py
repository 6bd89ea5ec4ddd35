"""User administration (administrators): accounts and their roles per platform."""

import uuid
from typing import Annotated, Any

from fastapi import Query, Request, Response, status
from sqlmodel import Session

from plased.auth import users
from plased.auth.deps import RequireAdmin
from plased.auth.schemas import UserCreate, UserPublic
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.pagination import Page, PageDep, page_of, sort_keys
from plased.platforms import roles
from plased.platforms.schemas import RoleGrantCreate, RoleGrantPublic, UserDetail
from plased.routing import DomainRouter

router = DomainRouter(prefix="/users", tags=["users"])


def _user_again(arguments: dict[str, Any], user_id: str) -> UserDetail:
    """A replayed account answer, rebuilt (it holds the user's name and email)."""
    session: Session = arguments["session"]
    return roles.user_detail(session, users.get_user(session, uuid.UUID(user_id)))


@router.get(
    "",
    operation_id="users-list",
    openapi_extra=sort_keys("created_at", "email"),
    response_model=Page[UserPublic],
)
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


@router.post(
    "",
    operation_id="users-create",
    response_model=UserDetail,
    status_code=status.HTTP_201_CREATED,
)
@idempotent(replay=_user_again)
def create_user(
    response: Response, session: SessionDep, _admin: RequireAdmin, body: UserCreate
) -> UserDetail:
    user = users.create_user(session, data=body)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return roles.user_detail(session, user)


@router.get("/{user_id}", operation_id="users-get", response_model=UserDetail)
def get_user(session: SessionDep, _admin: RequireAdmin, user_id: uuid.UUID) -> UserDetail:
    return roles.user_detail(session, users.get_user(session, user_id))


@router.post("/{user_id}/deactivate", operation_id="users-deactivate", response_model=UserDetail)
@idempotent(replay=_user_again)
def deactivate_user(session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID) -> UserDetail:
    """Signs the user out everywhere: every token issued before stops working."""
    user = users.set_active(session, actor=admin, user_id=user_id, active=False)
    return roles.user_detail(session, user)


@router.post("/{user_id}/activate", operation_id="users-activate", response_model=UserDetail)
@idempotent(replay=_user_again)
def activate_user(session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID) -> UserDetail:
    user = users.set_active(session, actor=admin, user_id=user_id, active=True)
    return roles.user_detail(session, user)


@router.post(
    "/{user_id}/roles",
    operation_id="users-grant-role",
    response_model=RoleGrantPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def grant_role(
    session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID, body: RoleGrantCreate
) -> RoleGrantPublic:
    grant = roles.grant_role(session, actor=admin, user_id=user_id, data=body)
    detail = roles.user_detail(session, users.get_user(session, user_id))
    return next(r for r in detail.roles if r.id == grant.id)


@router.delete(
    "/{user_id}/roles/{grant_id}",
    operation_id="users-revoke-role",
    status_code=status.HTTP_204_NO_CONTENT,
)
def revoke_role(
    session: SessionDep, admin: RequireAdmin, user_id: uuid.UUID, grant_id: uuid.UUID
) -> None:
    roles.revoke_role(session, actor=admin, user_id=user_id, grant_id=grant_id)
