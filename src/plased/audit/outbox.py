"""Domain events into the outbox, in the transaction of the change. ``plased worker`` turns
each into webhook deliveries and in-app notifications once it has committed, so an event is
never announced for a change that rolled back, nor lost for one that committed.

Every status change through ``plased.transitions.apply`` emits ``<resource>.<new status>``
(``referral.accepted``, ``meeting.convened``); a few changes that are not transitions (a
service created already published) emit theirs with ``emit``. Events carry ids and statuses,
never personal data.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from plased.audit import context
from plased.audit.models import OutboxEvent

# Every event type that can be emitted: filled by the state machines as they are defined
# (``plased.transitions.Machine``) and by ``register`` for the others.
EVENT_TYPES: set[str] = set()


def register(*event_types: str) -> None:
    EVENT_TYPES.update(event_types)


def organisations_of(record: object) -> list[str]:
    """The organisations an event concerns: the record's ``organisation_id``,
    ``*_organisation_id`` and ``provider_id`` columns (the staff who care about it)."""
    found: list[str] = []
    columns = getattr(getattr(record, "__table__", None), "columns", ())
    for column in columns:
        name = column.key
        if name == "organisation_id" or name.endswith("_organisation_id") or name == "provider_id":
            value = getattr(record, name, None)
            if isinstance(value, uuid.UUID) and str(value) not in found:
                found.append(str(value))
    return found


def emit(
    session: Session,
    *,
    event_type: str,
    record: object,
    data: Mapping[str, Any] | None = None,
    actor_id: uuid.UUID | None = None,
) -> OutboxEvent:
    ctx = context.current()
    platform_id = getattr(record, "platform_id", None)
    if not isinstance(platform_id, uuid.UUID):
        platform_id = ctx.platform_id if ctx else None
    resource_type = str(getattr(record, "__tablename__", ""))
    record_id = getattr(record, "id")  # noqa: B009
    event = OutboxEvent(
        event_type=event_type,
        platform_id=platform_id,
        resource_type=resource_type,
        resource_id=record_id,
        actor_id=actor_id or (ctx.actor_id if ctx else None),
        organisation_ids=organisations_of(record),
        data={
            "id": str(record_id),
            "resource": resource_type,
            "status": getattr(record, "status", None),
            "platform_id": None if platform_id is None else str(platform_id),
            **(data or {}),
        },
    )
    session.add(event)
    return event
