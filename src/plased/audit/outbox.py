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

from sqlalchemy import select
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


# Columns leading from a record without a platform to its parent (a meeting's body, a
# motion's meeting, a strategy's value chain, an advocacy's initiative).
PARENTS = ("body_id", "meeting_id", "initiative_id", "value_chain_id")


def platform_of(session: Session, record: object) -> uuid.UUID | None:
    """The platform a record belongs to: its own ``platform_id``, else its parent's."""
    value = getattr(record, "platform_id", None)
    if isinstance(value, uuid.UUID):
        return value
    table = getattr(record, "__table__", None)
    parent = next((name for name in PARENTS if table is not None and name in table.c), None)
    if table is None or parent is None:
        return None
    row_id = getattr(record, parent, None)
    for _ in range(3):  # a motion's meeting's body is as deep as it goes
        if row_id is None:
            return None
        referred = next(iter(table.c[parent].foreign_keys)).column.table
        if "platform_id" in referred.c:
            found = session.execute(
                select(referred.c.platform_id).where(referred.c.id == row_id)
            ).scalar()
            return found if isinstance(found, uuid.UUID) else None
        parent = next((name for name in PARENTS if name in referred.c), None)
        if parent is None:
            return None
        row_id = session.execute(select(referred.c[parent]).where(referred.c.id == row_id)).scalar()
        table = referred
    return None


def emit(
    session: Session,
    *,
    event_type: str,
    record: object,
    data: Mapping[str, Any] | None = None,
    actor_id: uuid.UUID | None = None,
    platform_id: uuid.UUID | None = None,
) -> OutboxEvent:
    """Add the event to the session; ``platform_id`` when the caller has found it already."""
    ctx = context.current()
    if platform_id is None:
        platform_id = platform_of(session, record)
    if platform_id is None and ctx is not None:
        platform_id = ctx.platform_id
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
