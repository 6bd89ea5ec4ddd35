import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from plased.auth.models import User
from plased.db import rows_changed, utcnow
from plased.errors import NotFound
from plased.notifications.models import TITLE_LENGTH, Notification
from plased.pagination import PageParams, paginate
from plased.schemas import ResponseModel


class NotificationPublic(ResponseModel):
    id: uuid.UUID
    kind: str
    title: str
    referral_id: uuid.UUID | None
    resource_type: str | None
    resource_id: uuid.UUID | None
    read_at: datetime | None
    created_at: datetime


def notify_organisation(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    kind: str,
    title: str,
    referral_id: uuid.UUID | None,
    exclude: Iterable[uuid.UUID] = (),
) -> int:
    """One notification per active staff user of the organisation."""
    skip = set(exclude)
    users = session.exec(
        select(User.id)
        .where(User.organisation_id == organisation_id)
        .where(col(User.is_active).is_(True))
    ).all()
    for user_id in users:
        if user_id not in skip:
            session.add(
                Notification(
                    user_id=user_id, kind=kind, title=title[:TITLE_LENGTH], referral_id=referral_id
                )
            )
    return len(users)


def list_for(
    session: Session, *, user: User, params: PageParams, unread: bool | None
) -> tuple[list[Notification], int]:
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread is True:
        statement = statement.where(col(Notification.read_at).is_(None))
    elif unread is False:
        statement = statement.where(col(Notification.read_at).is_not(None))
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={"created_at": col(Notification.created_at)},
        default_sort=["-created_at"],
        tiebreak=col(Notification.id),
    )


def unread_count(session: Session, *, user: User) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id)
        .where(col(Notification.read_at).is_(None))
    ).one()


def mark_read(session: Session, *, user: User, notification_id: uuid.UUID) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
    return notification


def mark_all_read(session: Session, *, user: User) -> int:
    result = session.execute(
        update(Notification)
        .where(col(Notification.user_id) == user.id)
        .where(col(Notification.read_at).is_(None))
        .values(read_at=utcnow())
    )
    return rows_changed(result)
