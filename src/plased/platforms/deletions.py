"""``GET /api/v1/deletions``: the tombstones a syncing client may see (plased.tombstones)."""

import uuid
from datetime import datetime

from fastapi import Request, Response
from sqlmodel import col, select

from plased.access import AccessDep
from plased.db import SessionDep
from plased.pagination import Page, PageDep, page_of, paginate, sort_keys
from plased.routing import DomainRouter
from plased.schemas import ResponseModel
from plased.tombstones import DeletedKind, Tombstone

router = DomainRouter(tags=["platforms"])


class DeletionPublic(ResponseModel):
    kind: DeletedKind
    record_id: uuid.UUID
    parent_id: uuid.UUID | None
    platform_id: uuid.UUID | None
    deleted_at: datetime


@router.get(
    "/deletions",
    operation_id="deletions-list",
    response_model=Page[DeletionPublic],
    openapi_extra=sort_keys("deleted_at"),
)
def list_deletions(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    page: PageDep,
    kind: DeletedKind | None = None,
) -> Page[DeletionPublic]:
    """Records removed outright, oldest first: with ``updated_since`` (compared with
    ``deleted_at``) a client learns what to drop from its copy. Everything else is never
    deleted, only changed (archived, withdrawn, ended, revoked, erased), and so shows up in
    its own list's ``updated_since``. Each caller sees the deletions of the platforms they
    hold a role in; role grants, administrators only."""
    statement = select(Tombstone)
    if not access.is_admin:
        statement = statement.where(col(Tombstone.platform_id).in_(list(access.roles)))
    if kind is not None:
        statement = statement.where(Tombstone.kind == kind)
    rows = paginate(
        session,
        statement,
        page,
        allowed_sorts={"deleted_at": col(Tombstone.deleted_at)},
        default_sort=["deleted_at"],
        tiebreak=col(Tombstone.id),
        updated_column=col(Tombstone.deleted_at),
    )
    return page_of(request, response, page, rows, DeletionPublic)
