"""Audit events (never changed once written) and outbox events (domain events waiting to be
delivered to webhooks and turned into notifications)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, timestamp_field, utcnow

ACTION_LENGTH = 40
RESOURCE_LENGTH = 60
EVENT_TYPE_LENGTH = 80


class AuditEvent(IdMixin, SQLModel, table=True):
    """Who did what to which record, from where, and which fields changed (old and new
    values, personal data redacted). A database trigger refuses UPDATE and DELETE."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_occurred_at_id", "occurred_at", "id"),
        Index("ix_audit_event_platform_id_occurred_at", "platform_id", "occurred_at"),
        Index("ix_audit_event_resource", "resource_type", "resource_id"),
    )

    occurred_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    actor_organisation_id: uuid.UUID | None = None
    platform_id: uuid.UUID | None = None
    action: str = Field(max_length=ACTION_LENGTH, index=True)
    resource_type: str = Field(max_length=RESOURCE_LENGTH)
    resource_id: str | None = Field(default=None, max_length=100)
    request_id: str | None = Field(default=None, max_length=128)
    client_ip: str | None = Field(default=None, max_length=45)
    changes: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class OutboxEvent(IdMixin, SQLModel, table=True):
    """A domain event, written with the change; ``dispatched_at`` is set once the worker has
    fanned it out to webhook deliveries and notifications. Carries ids and statuses only."""

    __tablename__ = "outbox_event"
    __table_args__ = (
        Index("ix_outbox_event_dispatched_at_occurred_at", "dispatched_at", "occurred_at"),
    )

    event_type: str = Field(max_length=EVENT_TYPE_LENGTH, index=True)
    platform_id: uuid.UUID | None = None
    resource_type: str = Field(max_length=RESOURCE_LENGTH)
    resource_id: uuid.UUID
    actor_id: uuid.UUID | None = None
    organisation_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    occurred_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
    dispatched_at: datetime | None = timestamp_field(default=None, nullable=True)
