"""One way to change a status: a machine (its actions: from which statuses, to which, who may),
one atomic ``apply``, and one helper that registers an action's endpoint.

``apply`` is a single conditional ``UPDATE … WHERE id = :id AND status IN (:sources)``: of two
concurrent requests exactly one finds the old status and wins; the other answers 409
``invalid_transition`` with the status it found. The winner's event row and the machine's
hooks (notifications, invitations, …) are written in the same transaction.
"""

import inspect
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import APIRouter, Body
from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Session, SQLModel, col

from plased.audit import outbox, trail
from plased.db import rows_changed, utcnow
from plased.errors import InvalidTransition
from plased.idempotency import Replay, idempotent


class Stateful(Protocol):
    id: uuid.UUID
    status: str
    version: int


R = TypeVar("R", bound=Stateful)


@dataclass(frozen=True)
class Action:
    """``sources`` → ``target``; ``who`` says who may take it (documentation; the machine's
    ``authorise`` enforces it)."""

    name: str
    sources: frozenset[str]
    target: str
    who: str


@dataclass(frozen=True)
class Change(Generic[R]):
    """What ``apply`` did: hooks and event factories receive it."""

    record: R
    action: Action
    before: str
    actor_id: uuid.UUID | None
    note: str | None
    # The organisation the actor acted for (events say "who, for which organisation").
    actor_organisation_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Machine(Generic[R]):
    model: type[R]
    actions: Mapping[str, Action]
    # An event row for every change (None: the machine keeps no history).
    event: Callable[[Change[R]], SQLModel] | None = None
    # Called after every change, in the same transaction (notifications, invitations, …).
    hooks: Sequence[Callable[[Session, Change[R]], None]] = field(default_factory=tuple)
    # Whether each change emits ``<resource>.<status>`` to the outbox (webhooks, notifications).
    publish: bool = True

    def __post_init__(self) -> None:
        if self.publish:
            outbox.register(*(self.event_type(a.target) for a in self.actions.values()))

    def event_type(self, status: str) -> str:
        return f"{self.resource}.{status}"

    @property
    def resource(self) -> str:
        return str(getattr(self.model, "__tablename__", self.model.__name__))

    def table(self) -> dict[str, frozenset[str]]:
        """The status table ``{from: {to, …}}`` the actions make up (docs and tests)."""
        table: dict[str, set[str]] = {}
        for action in self.actions.values():
            for source in action.sources:
                table.setdefault(source, set()).add(action.target)
        return {status: frozenset(targets) for status, targets in table.items()}

    def allows(self, record: R, action: str) -> bool:
        return record.status in self.actions[action].sources

    def action_to(self, current: str, target: str) -> str | None:
        """The action that takes ``current`` to ``target`` (for a status set by PATCH)."""
        for action in self.actions.values():
            if action.target == target and current in action.sources:
                return action.name
        return None


def actions(*items: tuple[str, Iterable[str], str, str]) -> dict[str, Action]:
    """``(name, sources, target, who)`` tuples as a machine's actions table."""
    return {
        name: Action(name=name, sources=frozenset(sources), target=target, who=who)
        for name, sources, target, who in items
    }


def apply(
    session: Session,
    machine: Machine[R],
    record: R,
    action: str,
    *,
    actor_id: uuid.UUID | None,
    actor_organisation_id: uuid.UUID | None = None,
    note: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> R:
    """Take ``action`` on ``record`` atomically (see the module's docstring). ``values`` are
    the other columns the action writes (timestamps, reasons, a frozen result)."""
    rule = machine.actions[action]
    before = record.status
    if before not in rule.sources:
        raise InvalidTransition(current=before, action=action)
    model: Any = machine.model
    result = session.execute(
        update(model)
        .where(col(model.id) == record.id)
        .where(col(model.status).in_(rule.sources))
        .values(
            status=rule.target,
            version=col(model.version) + 1,
            updated_at=utcnow(),
            **(values or {}),
        )
        .execution_options(**{trail.SKIP_OPTION: True})
    )
    session.refresh(record)
    if not rows_changed(result):
        raise InvalidTransition(current=record.status, action=action)
    change = Change(
        record=record,
        action=rule,
        before=before,
        actor_id=actor_id,
        note=note,
        actor_organisation_id=actor_organisation_id,
    )
    _record(session, machine, change, values)
    if machine.event is not None:
        session.add(machine.event(change))
    for hook in machine.hooks:
        hook(session, change)
    session.flush()
    return record


def _record(
    session: Session, machine: Machine[R], change: Change[R], values: Mapping[str, Any] | None
) -> None:
    """The change's audit row and, unless the machine keeps quiet, its outbox event."""
    record = change.record
    # A meeting, a motion or a strategy has no platform of its own: its parent's, so that the
    # platform's secretariat reads the row even when the change was made outside a request.
    platform_id = outbox.platform_of(session, record)
    changes: dict[str, Any] = {"status": [change.before, change.action.target]}
    changes.update({name: [None, value] for name, value in (values or {}).items()})
    trail.record(
        session,
        action="transition",
        resource_type=machine.resource,
        resource_id=record.id,
        changes=changes,
        platform_id=platform_id,
        actor_id=change.actor_id,
        actor_organisation_id=change.actor_organisation_id,
    )
    if machine.publish:
        outbox.emit(
            session,
            event_type=machine.event_type(change.action.target),
            record=record,
            data={"previous_status": change.before, "action": change.action.name},
            actor_id=change.actor_id,
            platform_id=platform_id,
        )


# -- action endpoints ----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRoute:
    """One ``POST {path}/{name}`` endpoint. ``body``: its request model (None: no body);
    required when it has required fields, else it may be left out."""

    name: str
    summary: str
    description: str
    body: type[BaseModel] | None = None


def parameter(name: str, annotation: object) -> inspect.Parameter:
    """An endpoint parameter for ``add_action_routes``: a dependency alias or a path id."""
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)


def add_action_routes(
    router: APIRouter,
    *,
    path: str,
    resource: str,
    routes: Sequence[ActionRoute],
    parameters: Sequence[inspect.Parameter],
    run: Callable[..., BaseModel],
    response_model: type[BaseModel],
    replay: Replay | None = None,
) -> None:
    """Register ``POST {path}/{name}`` for each route, with the operationId
    ``{resource}-{name}``. ``parameters`` are the endpoint's own (session, caller, the id in
    the path); ``run(action=name, body=…, **parameters)`` does the work. Each accepts
    ``Idempotency-Key``; ``replay`` rebuilds a replayed answer that holds personal data."""
    for route in routes:
        router.add_api_route(
            f"{path}/{route.name}",
            idempotent(replay=replay)(_Endpoint(route, parameters, run)),
            methods=["POST"],
            operation_id=f"{resource}-{route.name}",
            response_model=response_model,
            summary=route.summary,
            description=route.description,
        )


class _Endpoint:
    """A sync endpoint whose signature FastAPI reads from ``__signature__``: the parameters
    given, plus the action's body when it has one."""

    def __init__(
        self,
        route: ActionRoute,
        parameters: Sequence[inspect.Parameter],
        run: Callable[..., BaseModel],
    ) -> None:
        self.route = route
        self.run = run
        self.__name__ = route.name.replace("-", "_")
        self.__doc__ = route.description
        signature = list(parameters)
        body_model = route.body
        if body_model is not None:
            required = any(f.is_required() for f in body_model.model_fields.values())
            signature.append(
                inspect.Parameter(
                    "body",
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[body_model if required else body_model | None, Body()],
                    default=inspect.Parameter.empty if required else None,
                )
            )
        self.__signature__ = inspect.Signature(signature)

    def __call__(self, **kwargs: object) -> BaseModel:
        body = kwargs.pop("body", None)
        if body is None and self.route.body is not None:
            body = self.route.body()
        return self.run(action=self.route.name, body=body, **kwargs)
