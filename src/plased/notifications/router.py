import uuid

from fastapi import Request, Response

from plased.auth.deps import CurrentUser
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.notifications import service
from plased.notifications.schemas import UnreadCount
from plased.notifications.service import NotificationPublic
from plased.pagination import Page, PageDep, page_of, sort_keys
from plased.routing import DomainRouter
from plased.schemas import ResponseModel

router = DomainRouter(prefix="/me/notifications", tags=["notifications"])


class MarkedRead(ResponseModel):
    marked: int


@router.get(
    "",
    operation_id="notifications-list",
    openapi_extra=sort_keys("created_at"),
    response_model=Page[NotificationPublic],
)
def list_notifications(
    request: Request,
    response: Response,
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    unread: bool | None = None,
) -> Page[NotificationPublic]:
    rows = service.list_for(session, user=user, params=page, unread=unread)
    return page_of(request, response, page, rows, NotificationPublic)


@router.get("/unread-count", operation_id="notifications-unread-count", response_model=UnreadCount)
def unread_count(session: SessionDep, user: CurrentUser) -> UnreadCount:
    return UnreadCount(unread=service.unread_count(session, user=user))


@router.post(
    "/{notification_id}/read", operation_id="notifications-read", response_model=NotificationPublic
)
@idempotent()
def read(session: SessionDep, user: CurrentUser, notification_id: uuid.UUID) -> NotificationPublic:
    return NotificationPublic.model_validate(
        service.mark_read(session, user=user, notification_id=notification_id)
    )


@router.post("/read-all", operation_id="notifications-read-all", response_model=MarkedRead)
@idempotent()
def read_all(session: SessionDep, user: CurrentUser) -> MarkedRead:
    return MarkedRead(marked=service.mark_all_read(session, user=user))
