import uuid
from typing import Annotated

from fastapi import Query, Request, Response

from plased.access import AccessDep
from plased.db import SessionDep
from plased.instants import Instant
from plased.notifications import audit_log
from plased.notifications.schemas import AuditEventPublic
from plased.pagination import Page, PageDep, page_with, sort_keys
from plased.routing import DomainRouter

router = DomainRouter(prefix="/audit-events", tags=["audit"])


@router.get(
    "",
    operation_id="audit-events-list",
    openapi_extra=sort_keys("occurred_at"),
    response_model=Page[AuditEventPublic],
)
def list_audit_events(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    page: PageDep,
    actor_id: uuid.UUID | None = None,
    resource_type: Annotated[str | None, Query(max_length=60)] = None,
    resource_id: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    platform_id: uuid.UUID | None = None,
    since: Annotated[Instant | None, Query(description="At or after (RFC 3339)")] = None,
    until: Annotated[Instant | None, Query(description="Before (RFC 3339)")] = None,
) -> Page[AuditEventPublic]:
    """Who changed what, newest first: administrators read everything; the secretariat reads
    its platforms' events without client addresses. `since` after `until` answers 422."""
    rows, total = audit_log.search(
        session,
        access=access,
        params=page,
        actor_id=actor_id,
        resource_type=resource_type,
        resource_id=resource_id,
        action=action,
        platform_id=platform_id,
        since=since,
        until=until,
    )
    items = [audit_log.present(access, row) for row in rows]
    return page_with(request, response, page, items, total)
