import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, timestamp_field, utcnow

TITLE_LENGTH = 200


class Notification(IdMixin, SQLModel, table=True):
    """Names the record it is about, never a person's identity."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_id_created_at", "user_id", "created_at"),)

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=TITLE_LENGTH)
    referral_id: uuid.UUID | None = Field(default=None, foreign_key="referral.id", index=True)
    read_at: datetime | None = timestamp_field(default=None, nullable=True)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
