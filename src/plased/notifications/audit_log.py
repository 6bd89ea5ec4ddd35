"""Reading the audit trail: administrators read every row; the secretariat reads its
platforms' rows, without client addresses."""

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from plased.access import Access
from plased.audit.models import AuditEvent
from plased.errors import Forbidden, field_error
from plased.notifications.schemas import AuditEventPublic
from plased.pagination import PageParams, paginate


def search(
    session: Session,
    *,
    access: Access,
    params: PageParams,
    actor_id: uuid.UUID | None,
    resource_type: str | None,
    resource_id: str | None,
    action: str | None,
    platform_id: uuid.UUID | None,
    since: datetime | None,
    until: datetime | None,
) -> tuple[list[AuditEvent], int]:
    if not access.is_admin and not access.managed_platforms():
        raise Forbidden("Only administrators and the secretariat read the audit trail.")
    if params.updated_since is not None:
        # Audit rows never change: ``since`` is the filter on their time.
        raise field_error(
            "/query/updated_since", "unsupported", "This list has no update times; use since."
        )
    if since is not None and until is not None and since > until:
        raise field_error("/query/since", "invalid_range", "since must not be after until.")
    statement = select(AuditEvent)
    if not access.is_admin:
        statement = statement.where(col(AuditEvent.platform_id).in_(access.managed_platforms()))
    if platform_id is not None:
        statement = statement.where(AuditEvent.platform_id == platform_id)
    if actor_id is not None:
        statement = statement.where(AuditEvent.actor_id == actor_id)
    if resource_type is not None:
        statement = statement.where(AuditEvent.resource_type == resource_type)
    if resource_id is not None:
        statement = statement.where(AuditEvent.resource_id == resource_id)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    if since is not None:
        statement = statement.where(col(AuditEvent.occurred_at) >= since)
    if until is not None:
        statement = statement.where(col(AuditEvent.occurred_at) < until)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={"occurred_at": col(AuditEvent.occurred_at)},
        default_sort=["-occurred_at"],
        tiebreak=col(AuditEvent.id),
    )


def present(access: Access, event: AuditEvent) -> AuditEventPublic:
    public = AuditEventPublic.model_validate(event)
    if not access.is_admin:
        public.client_ip = None
    return public
