"""Snapshots: the indicators of a period as they were computed once, frozen for a report."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, timestamp_field, utcnow


class IndicatorSnapshot(IdMixin, SQLModel, table=True):
    """Written once, never updated: no version, no ``updated_at``."""

    __tablename__ = "indicator_snapshot"
    __table_args__ = (
        Index("ix_indicator_snapshot_platform_id_created_at", "platform_id", "created_at"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    period_from: date | None = None
    period_to: date | None = None
    title: str = Field(max_length=200)
    title_km: str | None = Field(default=None, max_length=200)
    # The published report (IndicatorReport as JSON): what a reader of the snapshot saw.
    report: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
