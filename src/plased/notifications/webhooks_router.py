import uuid

from fastapi import Request, Response, status

from plased.access import AccessDep
from plased.auth.deps import SettingsDep
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.notifications import webhooks
from plased.notifications.models import DeliveryStatus
from plased.notifications.schemas import (
    WebhookDeliveryPublic,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionPublic,
)
from plased.pagination import Page, PageDep, page_of, sort_keys
from plased.routing import DomainRouter

router = DomainRouter(prefix="/webhooks", tags=["webhooks"])


@router.post(
    "",
    operation_id="webhooks-create",
    response_model=WebhookSubscriptionCreated,
    status_code=status.HTTP_201_CREATED,
)
def create(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    settings: SettingsDep,
    body: WebhookSubscriptionCreate,
) -> WebhookSubscriptionCreated:
    """Register a receiver of events (docs/webhooks.md). The answer holds the signing secret,
    shown this once; it takes no `Idempotency-Key` (a stored answer would keep it)."""
    subscription, secret = webhooks.create(session, access=access, settings=settings, data=body)
    response.headers["Location"] = f"/api/v1/webhooks/{subscription.id}"
    with_etag(response, subscription.version)
    public = WebhookSubscriptionPublic.model_validate(subscription)
    return WebhookSubscriptionCreated(**public.model_dump(), secret=secret)


@router.get(
    "",
    operation_id="webhooks-list",
    openapi_extra=sort_keys("created_at"),
    response_model=Page[WebhookSubscriptionPublic],
)
def list_subscriptions(
    request: Request, response: Response, session: SessionDep, access: AccessDep, page: PageDep
) -> Page[WebhookSubscriptionPublic]:
    rows = webhooks.list_for(session, access=access, params=page)
    return page_of(request, response, page, rows, WebhookSubscriptionPublic)


@router.get(
    "/{subscription_id}", operation_id="webhooks-get", response_model=WebhookSubscriptionPublic
)
def get(
    response: Response, session: SessionDep, access: AccessDep, subscription_id: uuid.UUID
) -> WebhookSubscriptionPublic:
    subscription = webhooks.get(session, access=access, subscription_id=subscription_id)
    with_etag(response, subscription.version)
    return WebhookSubscriptionPublic.model_validate(subscription)


@router.delete(
    "/{subscription_id}",
    operation_id="webhooks-deactivate",
    status_code=status.HTTP_204_NO_CONTENT,
)
def deactivate(
    session: SessionDep, access: AccessDep, subscription_id: uuid.UUID, if_match: IfMatch = None
) -> None:
    """Stop deliveries; the subscription and its deliveries stay readable."""
    webhooks.deactivate(session, access=access, subscription_id=subscription_id, if_match=if_match)


@router.get(
    "/{subscription_id}/deliveries",
    operation_id="webhook-deliveries-list",
    openapi_extra=sort_keys("created_at"),
    response_model=Page[WebhookDeliveryPublic],
)
def list_deliveries(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    subscription_id: uuid.UUID,
    page: PageDep,
    delivery_status: DeliveryStatus | None = None,
) -> Page[WebhookDeliveryPublic]:
    """Each event sent to the subscription: attempts, the last answer (its first 1,000
    characters), and the next attempt's time."""
    rows = webhooks.deliveries(
        session,
        access=access,
        subscription_id=subscription_id,
        params=page,
        status=delivery_status,
    )
    return page_of(request, response, page, rows, WebhookDeliveryPublic)


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/retry",
    operation_id="webhook-deliveries-retry",
    response_model=WebhookDeliveryPublic,
)
@idempotent()
def retry(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    subscription_id: uuid.UUID,
    delivery_id: uuid.UUID,
) -> WebhookDeliveryPublic:
    """Send a dead (or delivered) delivery again at the worker's next round; 409 while it is
    pending."""
    delivery = webhooks.retry(
        session, access=access, subscription_id=subscription_id, delivery_id=delivery_id
    )
    with_etag(response, delivery.version)
    return WebhookDeliveryPublic.model_validate(delivery)
