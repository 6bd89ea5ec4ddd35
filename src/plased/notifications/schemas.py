"""Request and response models of notifications, webhooks and the audit trail."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from plased.schemas import RequestModel, ResponseModel

EventType = Annotated[str, StringConstraints(min_length=3, max_length=80)]


class WebhookSubscriptionCreate(RequestModel):
    """A platform's subscription (``platform_id``: its secretariat) or an organisation's
    (``organisation_id``: its staff) — exactly one of the two."""

    url: str = Field(max_length=300, pattern=r"^https?://\S{3,290}$")
    event_types: list[EventType] = Field(min_length=1, max_length=60)
    platform_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    secret: str | None = Field(
        default=None,
        max_length=100,
        description="`whsec_` and the base64 of 24–64 random bytes; generated when left out. "
        "Returned in this answer only.",
    )
    description: str | None = Field(default=None, max_length=200)


class WebhookSubscriptionPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    url: str
    event_types: list[str]
    description: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class WebhookSubscriptionCreated(WebhookSubscriptionPublic):
    secret: str = Field(description="The signing secret: shown in this answer only.")


class WebhookDeliveryPublic(ResponseModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    last_response: str | None
    delivered_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class AuditEventPublic(ResponseModel):
    id: uuid.UUID
    occurred_at: datetime
    actor_id: uuid.UUID | None
    actor_organisation_id: uuid.UUID | None
    platform_id: uuid.UUID | None
    action: str
    resource_type: str
    resource_id: str | None
    request_id: str | None
    client_ip: str | None = Field(description="Administrators only; null for the secretariat.")
    changes: dict[str, Any] | None = Field(
        description="Changed fields as `[old, new]`; personal data reads `[redacted]`."
    )


class UnreadCount(ResponseModel):
    unread: int
