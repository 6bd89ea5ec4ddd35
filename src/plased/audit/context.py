"""Who is acting, for which organisation, in which platform, from where: set once per request
(the request id and address by the middleware, the actor when the token is read, the platform
when the caller's reach is checked) and read by the audit trail at flush time.

The context is a mutable object held in a ``ContextVar``: FastAPI runs each dependency and
the endpoint in its own worker thread with a *copy* of the context variables, so a value
set in one would be lost to the next; the shared object carries it across.
"""

import uuid
from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass
class AuditContext:
    request_id: str | None = None
    client_ip: str | None = None
    actor_id: uuid.UUID | None = None
    actor_organisation_id: uuid.UUID | None = None
    platform_id: uuid.UUID | None = None


_current: ContextVar[AuditContext | None] = ContextVar("plased_audit_context", default=None)


def current() -> AuditContext | None:
    """The request's context; None outside a request (CLI, demo data, the worker): such
    writes are not audited."""
    return _current.get()


def begin(context: AuditContext) -> Token[AuditContext | None]:
    return _current.set(context)


def end(token: Token[AuditContext | None]) -> None:
    _current.reset(token)


def set_actor(actor_id: uuid.UUID, organisation_id: uuid.UUID | None) -> None:
    context = _current.get()
    if context is not None:
        context.actor_id = actor_id
        context.actor_organisation_id = organisation_id


def set_platform(platform_id: uuid.UUID) -> None:
    """The platform the request acts in (the first one whose reach is checked); records
    without a platform of their own are audited under it."""
    context = _current.get()
    if context is not None and context.platform_id is None:
        context.platform_id = platform_id
