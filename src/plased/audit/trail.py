"""The audit trail, hooked into every session once: before each flush, every new, changed and
deleted record of an audited table gets an ``audit_event`` row in the same transaction, with
the request's context (``plased.audit.context``). A rolled-back change leaves no row; a
committed one always has its row. Status changes are UPDATE statements of
``plased.transitions.apply``, which records them with ``record``; logins and refresh re-use are
recorded by ``plased.auth``.

Personal data never reaches an audit row: each table declares the columns whose values are
replaced by ``[redacted]`` (``REDACTED``), and some column names are redacted in every table
(``ALWAYS_REDACTED``). The field name stays, so the trail still says *that* it changed.
"""

import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from plased.audit import context
from plased.audit.models import AuditEvent
from plased.db import utcnow
from plased.errors import Conflict

REDACTED_VALUE = "[redacted]"
ALL = frozenset({"*"})

# Columns whose values are personal data or secrets, per table; "*": every column.
REDACTED: Mapping[str, frozenset[str]] = {
    "referral_client": ALL,
    "person": frozenset(
        {
            "full_name",
            "name_key",
            "name_km",
            "birth_year",
            "indigenous_group",
            "has_disability",
            "phone",
            "email",
        }
    ),
    "user_account": frozenset({"email", "full_name", "password_hash"}),
    "staff_invitation": frozenset({"email", "full_name", "token_hash"}),
    "referral": frozenset(
        {
            "reason",
            "needs",
            "referrer_contact",
            "decline_note",
            "outcome",
            "services_delivered",
            "close_reason",
            "client_gender",
            "client_age_band",
            "vulnerabilities",
            "district_id",
        }
    ),
    "referral_consent": ALL,
    "webhook_subscription": frozenset({"secret"}),
}
# Redacted wherever they appear.
ALWAYS_REDACTED = frozenset(
    {"password", "password_hash", "token", "token_hash", "secret", "email", "phone"}
)
# Not audited: the trail itself, delivery bookkeeping, sign-in counters and tokens (logins
# are recorded as such), notifications, and the event rows that transitions write (the
# transition is recorded by ``apply``).
SKIPPED = frozenset(
    {
        "audit_event",
        "outbox_event",
        "idempotency_record",
        "login_throttle",
        "refresh_token",
        "notification",
        "webhook_delivery",
        "tombstone",
        "motion_tally",
    }
)
# Table and operation → the action recorded, where a plain create or delete says too little.
ALIASES: Mapping[tuple[str, str], str] = {
    ("platform_role", "create"): "role_grant",
    ("platform_role", "delete"): "role_revoke",
}
_IGNORED_FIELDS = frozenset({"updated_at", "created_at", "version", "last_login_at"})
_TEXT_LIMIT = 300


class AuditImmutable(Conflict):
    code = "audit_immutable"

    def __init__(self) -> None:
        super().__init__("Audit events are never changed or deleted.")


def audited(table: str) -> bool:
    return table not in SKIPPED and not table.endswith("_event")


def redact(table: str, field: str, value: object) -> object:
    declared = REDACTED.get(table, frozenset())
    if "*" in declared or field in declared or field in ALWAYS_REDACTED:
        return None if value is None else REDACTED_VALUE
    return plain(value)


def plain(value: object) -> object:
    """A value as JSON can hold it (long text cut)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= _TEXT_LIMIT else value[:_TEXT_LIMIT] + "…"
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return str(value)[:_TEXT_LIMIT]


def record(
    session: Session,
    *,
    action: str,
    resource_type: str,
    resource_id: object | None,
    changes: Mapping[str, Any] | None = None,
    platform_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    actor_organisation_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Add one audit row to the session (committed or rolled back with it). ``changes`` maps
    field names to ``[old, new]``; values are redacted here."""
    ctx = context.current() or context.AuditContext()
    row = AuditEvent(
        actor_id=actor_id or ctx.actor_id,
        actor_organisation_id=actor_organisation_id or ctx.actor_organisation_id,
        platform_id=platform_id or ctx.platform_id,
        action=action,
        resource_type=resource_type,
        resource_id=None if resource_id is None else str(resource_id),
        request_id=ctx.request_id,
        client_ip=ctx.client_ip,
        changes=(
            {
                k: [redact(resource_type, k, o), redact(resource_type, k, n)]
                for k, (o, n) in changes.items()
            }
            if changes
            else None
        ),
    )
    session.add(row)
    return row


def record_reads(
    session: Session,
    *,
    resource_type: str,
    reads: Sequence[tuple[uuid.UUID, uuid.UUID | None]],
    action: str = "read_client_data",
) -> None:
    """One audit row per record read, ``reads`` being (record id, its platform): one INSERT
    for a whole page, since a page of referrals is read far more often than anything is
    written. Outside a request (no context) nothing is recorded, as for every other row."""
    ctx = context.current()
    if ctx is None or not reads:
        return
    now = utcnow()
    session.execute(
        insert(AuditEvent),
        [
            {
                "id": uuid.uuid4(),
                "occurred_at": now,
                "actor_id": ctx.actor_id,
                "actor_organisation_id": ctx.actor_organisation_id,
                "platform_id": platform_id or ctx.platform_id,
                "action": action,
                "resource_type": resource_type,
                "resource_id": str(record_id),
                "request_id": ctx.request_id,
                "client_ip": ctx.client_ip,
            }
            for record_id, platform_id in reads
        ],
    )


def _identity(obj: object) -> str | None:
    mapper = inspect(obj).mapper
    key = mapper.primary_key_from_instance(obj)
    if any(part is None for part in key):
        return None
    return str(key[0]) if len(key) == 1 else ",".join(str(part) for part in key)[:100]


def _platform(table: str, obj: object) -> uuid.UUID | None:
    value = getattr(obj, "id" if table == "platform" else "platform_id", None)
    return value if isinstance(value, uuid.UUID) else None


def _row_for(obj: object, operation: str, ctx: context.AuditContext) -> AuditEvent | None:
    table = getattr(obj, "__tablename__", None)
    if not isinstance(table, str) or not audited(table):
        return None
    if table == "client_data_access":  # a read of a client's personal data
        return _row(
            ctx, "read_client_data", "referral", str(getattr(obj, "referral_id", None)), None, None
        )
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in _IGNORED_FIELDS:
            continue
        if operation == "create":
            value = getattr(obj, name, None)
            if value is not None and name != "id":
                changes[name] = [None, redact(table, name, value)]
        elif operation == "update":
            history = state.attrs[name].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    changes[name] = [redact(table, name, old), redact(table, name, new)]
    if operation == "update" and not changes:
        return None
    action = ALIASES.get((table, operation), operation)
    if table == "user_account" and "password_hash" in changes:
        action = "password_change"
    return _row(ctx, action, table, _identity(obj), changes or None, _platform(table, obj))


def _row(
    ctx: context.AuditContext,
    action: str,
    resource_type: str,
    resource_id: str | None,
    changes: dict[str, Any] | None,
    platform_id: uuid.UUID | None,
) -> AuditEvent:
    return AuditEvent(
        actor_id=ctx.actor_id,
        actor_organisation_id=ctx.actor_organisation_id,
        platform_id=platform_id or ctx.platform_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        request_id=ctx.request_id,
        client_ip=ctx.client_ip,
        changes=changes,
    )


def _refuse_audit_changes(session: Session) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditImmutable
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditImmutable


@event.listens_for(Session, "before_flush")
def _before_flush(
    session: Session, _flush: UOWTransaction, _instances: Iterable[Any] | None
) -> None:
    _refuse_audit_changes(session)
    ctx = context.current()
    if ctx is None:
        return
    rows: list[AuditEvent] = []
    for operation, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, AuditEvent):
                continue
            row = _row_for(obj, operation, ctx)
            if row is not None:
                rows.append(row)
    session.add_all(rows)


SKIP_OPTION = "plased_audited"  # a statement whose change is recorded by its caller


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements (not row by row): the audit table refuses them; on other
    audited tables one row names the table and the operation."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = getattr(mapper.class_, "__tablename__", None) if mapper is not None else None
    if table == "audit_event":
        raise AuditImmutable
    ctx = context.current()
    if ctx is None or not isinstance(table, str) or not audited(table):
        return
    if state.execution_options.get(SKIP_OPTION):
        return
    operation = "update" if state.is_update else "delete"
    state.session.add(
        _row(ctx, ALIASES.get((table, operation), operation), table, None, None, None)
    )
