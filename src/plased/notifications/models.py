"""In-app notifications, webhook subscriptions and their deliveries."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow

TITLE_LENGTH = 200
URL_LENGTH = 500


class Notification(IdMixin, SQLModel, table=True):
    """Names the record it is about, never a person's identity."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_id_created_at", "user_id", "created_at"),)

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(max_length=80)
    title: str = Field(max_length=TITLE_LENGTH)
    referral_id: uuid.UUID | None = Field(default=None, foreign_key="referral.id", index=True)
    # The record an event of the outbox is about (kind is then the event type).
    resource_type: str | None = Field(default=None, max_length=60)
    resource_id: uuid.UUID | None = None
    read_at: datetime | None = timestamp_field(default=None, nullable=True)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class WebhookSubscription(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A receiver of events: a platform's (its secretariat registers it) or an organisation's
    (its staff register it). The secret signs every delivery; it is shown once."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (Index("ix_webhook_subscription_created_at_id", "created_at", "id"),)

    platform_id: uuid.UUID | None = Field(
        default=None, foreign_key="platform.id", index=True, ondelete="CASCADE"
    )
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    url: str = Field(max_length=URL_LENGTH)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    secret: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=200)
    is_active: bool = Field(default=True)
    created_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting for its next attempt
    delivered = "delivered"
    dead = "dead"  # every attempt failed: kept for inspection and a manual retry


class WebhookDelivery(IdMixin, TimestampMixin, VersionMixin, table=True):
    """One event for one subscription: its attempts, the last answer, and its fate."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_subscription_id_created_at", "subscription_id", "created_at"),
    )

    subscription_id: uuid.UUID = Field(foreign_key="webhook_subscription.id", ondelete="CASCADE")
    event_id: uuid.UUID = Field(foreign_key="outbox_event.id", index=True, ondelete="CASCADE")
    event_type: str = Field(max_length=80)
    status: str = Field(default=DeliveryStatus.pending, max_length=12)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = timestamp_field(default=None, nullable=True)
    last_attempt_at: datetime | None = timestamp_field(default=None, nullable=True)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=200)
    last_response: str | None = Field(default=None, max_length=1000)
    delivered_at: datetime | None = timestamp_field(default=None, nullable=True)
