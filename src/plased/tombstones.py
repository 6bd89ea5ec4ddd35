"""Tombstones: what a client syncing with ``updated_since`` needs to learn of a deletion.

Records in the API's lists are not deleted: they change state (archived, withdrawn, ended,
revoked, erased), which moves their ``updated_at``, so an ``updated_since`` query finds
them. The few rows that are removed outright (an agenda item, a role grant, an item of a
priority action plan) leave a tombstone here, read through ``GET /api/v1/deletions``
(plased.platforms.deletions).
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, Session, SQLModel

from plased.db import timestamp_field, utcnow


class DeletedKind(StrEnum):
    agenda_item = "agenda_item"
    role_grant = "role_grant"
    action_plan_item = "action_plan_item"


class Tombstone(SQLModel, table=True):
    __tablename__ = "tombstone"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=40)
    record_id: uuid.UUID = Field(index=True)
    # The record that held it (the meeting of an agenda item, the user of a role grant).
    parent_id: uuid.UUID | None = Field(default=None)
    # Who may learn of it: those with a role in this platform; None: administrators only.
    platform_id: uuid.UUID | None = Field(default=None, index=True)
    deleted_at: datetime = timestamp_field(default_factory=utcnow, nullable=False, index=True)


def record_deletion(
    session: Session,
    *,
    kind: DeletedKind,
    record_id: uuid.UUID,
    parent_id: uuid.UUID | None,
    platform_id: uuid.UUID | None,
) -> None:
    """Call beside every ``session.delete`` of a row a client may have synced."""
    session.add(
        Tombstone(kind=kind, record_id=record_id, parent_id=parent_id, platform_id=platform_id)
    )
