"""Webhook subscriptions: who may register one, which records they reach, and their
deliveries (attempts, answers, a manual retry). Delivery itself is ``worker.py``'s."""

import uuid

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.access import Access, platform_in_reach
from plased.audit import outbox
from plased.concurrency import check_if_match
from plased.config import Settings
from plased.db import bump, utcnow
from plased.errors import Forbidden, NotFound, field_error
from plased.notifications import signing, urls
from plased.notifications.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from plased.notifications.schemas import WebhookSubscriptionCreate
from plased.pagination import PageParams, paginate
from plased.transitions import Machine, actions, apply

# A delivery's life: the worker moves it from pending to delivered or dead; whoever manages
# the subscription may send a dead or delivered one again. Deliveries publish no events.
DELIVERY: Machine[WebhookDelivery] = Machine(
    model=WebhookDelivery,
    actions=actions(
        (
            "retry",
            {DeliveryStatus.dead, DeliveryStatus.delivered},
            DeliveryStatus.pending,
            "who manages the subscription",
        ),
    ),
    publish=False,
)


def readable(access: Access) -> SelectOfScalar[WebhookSubscription]:
    """Administrators: every subscription; the secretariat: its platforms'; organisation
    staff: their organisation's."""
    statement = select(WebhookSubscription)
    if access.is_admin:
        return statement
    conditions: list[ColumnElement[bool]] = []
    managed = access.managed_platforms()
    if managed:
        conditions.append(col(WebhookSubscription.platform_id).in_(managed))
    if access.organisation_id is not None:
        conditions.append(col(WebhookSubscription.organisation_id) == access.organisation_id)
    if not conditions:
        return statement.where(col(WebhookSubscription.id).is_(None))
    return statement.where(or_(*conditions))


def require_writable(access: Access, subscription: WebhookSubscription) -> None:
    """A subscription of an archived platform (or of an organisation of one) is read-only."""
    platform_id = subscription.platform_id or access.own_root
    if platform_id is not None:
        access.require_writable(platform_id)


def may_subscribe(access: Access) -> None:
    if not (access.is_admin or access.managed_platforms() or access.organisation_id):
        raise Forbidden("Only the secretariat or an organisation's staff may manage webhooks.")


def create(
    session: Session, *, access: Access, settings: Settings, data: WebhookSubscriptionCreate
) -> tuple[WebhookSubscription, str]:
    """The subscription and its secret (shown once)."""
    may_subscribe(access)
    if (data.platform_id is None) == (data.organisation_id is None):
        raise field_error(
            "/body/platform_id",
            "scope_required",
            "Give exactly one of platform_id (the platform's) or organisation_id (yours).",
        )
    if data.platform_id is not None:
        platform_in_reach(session, access, data.platform_id)
        if not access.manages(data.platform_id):
            raise Forbidden("Only the platform's secretariat may subscribe for the platform.")
        access.require_writable(data.platform_id)
    elif data.organisation_id is not None:
        # An organisation's subscription is its own staff's (another's answers 404).
        if not access.is_staff_of(data.organisation_id):
            raise NotFound
        if access.own_root is not None:
            access.require_writable(access.own_root)
    unknown = [t for t in data.event_types if t not in outbox.EVENT_TYPES]
    if unknown:
        raise field_error(
            "/body/event_types", "unknown_event_type", "Unknown event type; see docs/webhooks.md."
        )
    if data.secret is not None and signing.secret_bytes(data.secret) is None:
        raise field_error(
            "/body/secret",
            "invalid_secret",
            "The secret must be whsec_ and the base64 of 24 to 64 bytes.",
        )
    urls.check_url(data.url, environment=settings.environment)
    secret = data.secret or signing.generate_secret()
    subscription = WebhookSubscription(
        platform_id=data.platform_id,
        organisation_id=data.organisation_id,
        url=data.url,
        event_types=sorted(set(data.event_types)),
        secret=secret,
        description=data.description,
        created_by_id=access.user.id,
    )
    session.add(subscription)
    session.flush()
    return subscription, secret


def get(session: Session, *, access: Access, subscription_id: uuid.UUID) -> WebhookSubscription:
    subscription = session.exec(
        readable(access).where(col(WebhookSubscription.id) == subscription_id)
    ).first()
    if subscription is None:
        raise NotFound
    return subscription


def list_for(
    session: Session, *, access: Access, params: PageParams
) -> tuple[list[WebhookSubscription], int]:
    may_subscribe(access)
    return paginate(
        session,
        readable(access),
        params,
        allowed_sorts={"created_at": col(WebhookSubscription.created_at)},
        default_sort=["created_at"],
        tiebreak=col(WebhookSubscription.id),
        updated_column=col(WebhookSubscription.updated_at),
    )


def deactivate(
    session: Session, *, access: Access, subscription_id: uuid.UUID, if_match: str | None
) -> None:
    """Stops deliveries (pending ones become dead at their next attempt); kept with its
    deliveries for inspection. Idempotent."""
    subscription = get(session, access=access, subscription_id=subscription_id)
    require_writable(access, subscription)
    check_if_match(if_match, subscription.version)
    if subscription.is_active:
        subscription.is_active = False
        bump(subscription)
        session.add(subscription)


def deliveries(
    session: Session,
    *,
    access: Access,
    subscription_id: uuid.UUID,
    params: PageParams,
    status: DeliveryStatus | None,
) -> tuple[list[WebhookDelivery], int]:
    get(session, access=access, subscription_id=subscription_id)
    statement = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={"created_at": col(WebhookDelivery.created_at)},
        default_sort=["-created_at"],
        tiebreak=col(WebhookDelivery.id),
        updated_column=col(WebhookDelivery.updated_at),
    )


def retry(
    session: Session, *, access: Access, subscription_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """A dead (or delivered) delivery is sent again at the worker's next round, with a fresh
    schedule of attempts."""
    subscription = get(session, access=access, subscription_id=subscription_id)
    require_writable(access, subscription)
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise NotFound
    return apply(
        session,
        DELIVERY,
        delivery,
        "retry",
        actor_id=access.user.id,
        actor_organisation_id=access.organisation_id,
        values={"attempts": 0, "next_attempt_at": utcnow()},
    )
