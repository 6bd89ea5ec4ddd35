"""The priority action plan: the platform's actions in order of priority (docs/action-plan.md).

Reads: anyone with a role in the platform. Adding, editing, reordering and removing items:
the secretariat. The owner organisation's staff report `status` and `progress` of their
items. The plan's version (one ``ActionPlan`` row per platform) moves with every added,
removed or reordered item; a reorder locks that row, so of two reorders made from the same
version one wins and the other answers 412.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from plased import i18n
from plased.access import Access, managed_platform, platform_in_reach
from plased.concurrency import check_if_match
from plased.db import bump, utcnow
from plased.errors import Conflict, Forbidden, InvalidTransition, NotFound, field_error
from plased.governance import bodies
from plased.initiatives import service
from plased.initiatives.action_plan_models import ActionPlan, ActionPlanItem, PlanItemStatus
from plased.initiatives.action_plan_models import PlanItemStatus as S
from plased.initiatives.action_plan_schemas import (
    MAX_ITEMS,
    ActionPlanPublic,
    PlanItemCreate,
    PlanItemPublic,
    PlanItemUpdate,
)
from plased.initiatives.models import Commitment, Initiative
from plased.schemas import Warning
from plased.tombstones import DeletedKind, record_deletion
from plased.valuechains.models import Objective, Strategy, StrategyAction, ValueChain

CLOSED = {S.done, S.dropped}
# Status changes anyone who may report on the item makes: forward only.
FORWARD: dict[str, frozenset[str]] = {
    S.planned: frozenset({S.in_progress, S.done, S.dropped}),
    S.in_progress: frozenset({S.done, S.dropped}),
    S.done: frozenset(),
    S.dropped: frozenset(),
}
# The secretariat alone takes a done or dropped item up again.
REOPEN: dict[str, frozenset[str]] = {
    S.done: frozenset({S.in_progress}),
    S.dropped: frozenset({S.in_progress}),
}
REPORTED = {"status", "progress"}


# -- the plan and its items -----------------------------------------------------------------


def _locked_plan(session: Session, platform_id: uuid.UUID) -> ActionPlan:
    """The platform's plan row, created on first use, locked until the transaction ends
    (``FOR UPDATE``; SQLite serialises writers anyway). Two first uses at once both find
    the one row: the insert yields to an existing one."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    session.execute(
        insert(ActionPlan)
        .values(id=uuid.uuid4(), platform_id=platform_id, version=1, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["platform_id"])
    )
    return session.exec(
        select(ActionPlan)
        .where(ActionPlan.platform_id == platform_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _plan_version(session: Session, platform_id: uuid.UUID) -> int:
    """A platform without a plan row has the version a new row starts with."""
    version = session.exec(
        select(ActionPlan.version).where(ActionPlan.platform_id == platform_id)
    ).first()
    return version if version is not None else 1


def _items(session: Session, platform_id: uuid.UUID) -> list[ActionPlanItem]:
    return list(
        session.exec(
            select(ActionPlanItem)
            .where(ActionPlanItem.platform_id == platform_id)
            .order_by(col(ActionPlanItem.position), col(ActionPlanItem.id))
        ).all()
    )


def _renumber(session: Session, items: list[ActionPlanItem]) -> None:
    """Positions 1..n in the given order; only items that move change (and their version)."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            bump(item)
            session.add(item)
    session.flush()


def get_item(session: Session, access: Access, item_id: uuid.UUID) -> ActionPlanItem:
    """The item, when the caller has a role in its platform (404 otherwise)."""
    item = session.get(ActionPlanItem, item_id)
    if item is None or not access.has_role_in(item.platform_id):
        raise NotFound
    return item


# -- checks ---------------------------------------------------------------------------------


def _check_owner(session: Session, platform_id: uuid.UUID, organisation_id: uuid.UUID) -> None:
    if organisation_id not in bodies.member_organisations(session, platform_id, {organisation_id}):
        raise field_error(
            "/body/owner_organisation_id",
            "organisation_not_member",
            "The owner must be an active member organisation of the platform.",
        )


def _check_links(
    session: Session,
    platform_id: uuid.UUID,
    initiative_id: uuid.UUID | None,
    strategy_action_id: uuid.UUID | None,
    commitment_id: uuid.UUID | None,
) -> None:
    """At most one link: an initiative of the platform, an action of a strategy of one of
    its value chains, or a commitment an authority made to it."""
    links = {"initiative_id": initiative_id, "strategy_action_id": strategy_action_id}
    links["commitment_id"] = commitment_id
    named = [name for name, value in links.items() if value is not None]
    if len(named) > 1:
        raise field_error(
            f"/body/{named[1]}",
            "one_link_only",
            "An item links one initiative, strategy action or commitment, not several.",
        )
    if commitment_id is not None:
        commitment = session.get(Commitment, commitment_id)
        if commitment is None or commitment.platform_id != platform_id:
            raise field_error("/body/commitment_id", "unknown_commitment", "No such commitment.")
    if initiative_id is not None:
        initiative = session.get(Initiative, initiative_id)
        if initiative is None or initiative.platform_id != platform_id:
            raise field_error("/body/initiative_id", "unknown_initiative", "No such initiative.")
    if strategy_action_id is not None:
        found = session.exec(
            select(StrategyAction.id)
            .join(Objective, col(Objective.id) == StrategyAction.objective_id)
            .join(Strategy, col(Strategy.id) == Objective.strategy_id)
            .join(ValueChain, col(ValueChain.id) == Strategy.value_chain_id)
            .where(StrategyAction.id == strategy_action_id)
            .where(ValueChain.platform_id == platform_id)
        ).first()
        if found is None:
            raise field_error(
                "/body/strategy_action_id",
                "unknown_strategy_action",
                "No such action in a strategy of the platform's value chains.",
            )


def _check_status(access: Access, item: ActionPlanItem, target: str) -> None:
    current = item.status
    if target == current or target in FORWARD[current]:
        return
    if target in REOPEN.get(current, frozenset()):
        if not access.manages(item.platform_id):
            raise Forbidden("Only the secretariat takes up a done or dropped item again.")
        return
    raise InvalidTransition(current=current, action=f"change the status to '{target}'")


# -- writes ---------------------------------------------------------------------------------


def create(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: PlanItemCreate
) -> ActionPlanItem:
    """A new item at the end of the plan (the secretariat); the plan's version moves."""
    managed_platform(session, access, platform_id)
    _check_owner(session, platform_id, data.owner_organisation_id)
    _check_links(
        session, platform_id, data.initiative_id, data.strategy_action_id, data.commitment_id
    )
    plan = _locked_plan(session, platform_id)
    count = len(_items(session, platform_id))
    if count >= MAX_ITEMS:
        raise Conflict(
            f"A plan holds at most {MAX_ITEMS} items; drop or remove some first.",
            code="action_plan_full",
        )
    item = ActionPlanItem(platform_id=platform_id, position=count + 1, **data.model_dump())
    session.add(item)
    bump(plan)
    session.add(plan)
    session.flush()
    return item


def update(
    session: Session,
    *,
    access: Access,
    item_id: uuid.UUID,
    data: PlanItemUpdate,
    if_match: str | None,
) -> ActionPlanItem:
    """The secretariat changes anything; the owner organisation's staff the status and
    progress only (403 for anything else). If-Match: the item's version. The item's row is
    locked, so concurrent changes are checked one after the other."""
    get_item(session, access, item_id)
    item = session.exec(
        select(ActionPlanItem)
        .where(ActionPlanItem.id == item_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    changes = data.changes()
    if not access.manages(item.platform_id) and (
        not access.is_staff_of(item.owner_organisation_id) or set(changes) - REPORTED
    ):
        raise Forbidden(
            "Only the secretariat, or the owner organisation's staff (status and progress), "
            "may change this item."
        )
    access.require_writable(item.platform_id)
    check_if_match(if_match, item.version)
    _check_changes(session, access, item, changes)
    if changes.get("status", item.status) == S.done:
        changes["progress"] = 100
    for name, value in changes.items():
        setattr(item, name, value)
    bump(item)
    session.add(item)
    session.flush()
    return item


def _check_changes(
    session: Session, access: Access, item: ActionPlanItem, changes: dict[str, Any]
) -> None:
    if "owner_organisation_id" in changes:
        _check_owner(session, item.platform_id, changes["owner_organisation_id"])
    if {"initiative_id", "strategy_action_id", "commitment_id"} & set(changes):
        _check_links(
            session,
            item.platform_id,
            changes.get("initiative_id", item.initiative_id),
            changes.get("strategy_action_id", item.strategy_action_id),
            changes.get("commitment_id", item.commitment_id),
        )
    target = changes.get("status", item.status)
    _check_status(access, item, target)
    if "progress" in changes and item.status in CLOSED and target in CLOSED:
        raise Conflict(
            "A done or dropped item keeps its progress.",
            code="plan_item_closed",
            extra={"current_status": item.status},
        )


def reorder(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    item_ids: list[uuid.UUID],
    if_match: str | None,
) -> ActionPlan:
    """The whole plan in a new order (the secretariat), from the version named by If-Match."""
    managed_platform(session, access, platform_id)
    plan = _locked_plan(session, platform_id)
    check_if_match(if_match, plan.version)
    items = {item.id: item for item in _items(session, platform_id)}
    if set(item_ids) != set(items) or len(item_ids) != len(items):
        raise field_error(
            "/body/item_ids", "not_a_permutation", "List every item of the plan exactly once."
        )
    _renumber(session, [items[i] for i in item_ids])
    bump(plan)
    session.add(plan)
    session.flush()
    return plan


def delete(session: Session, *, access: Access, item_id: uuid.UUID, if_match: str | None) -> None:
    """Remove an item recorded by mistake (the secretariat); the items after it move up, the
    plan's version moves and a tombstone tells syncing clients. An action given up is
    ``dropped``, not removed."""
    item = get_item(session, access, item_id)
    platform_id = item.platform_id
    managed_platform(session, access, platform_id)
    plan = _locked_plan(session, platform_id)
    check_if_match(if_match, item.version)
    record_deletion(
        session,
        kind=DeletedKind.action_plan_item,
        record_id=item.id,
        parent_id=platform_id,
        platform_id=platform_id,
    )
    session.delete(item)
    session.flush()
    _renumber(session, _items(session, platform_id))
    bump(plan)
    session.add(plan)
    session.flush()


# -- reads ----------------------------------------------------------------------------------


def list_items(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    status: PlanItemStatus | None,
    owner_organisation_id: uuid.UUID | None,
    overdue: bool | None,
    khmer: bool,
) -> list[PlanItemPublic]:
    """The plan in priority order, filtered; a plan is bounded (``MAX_ITEMS``), so it is read
    whole and paged by the router."""
    platform_in_reach(session, access, platform_id)
    shown = present_all(session, _items(session, platform_id), platform_id, khmer=khmer)
    return [
        item
        for item in shown
        if (status is None or item.status == status)
        and (owner_organisation_id is None or item.owner_organisation_id == owner_organisation_id)
        and (overdue is None or item.overdue == overdue)
    ]


def summary(session: Session, *, access: Access, platform_id: uuid.UUID) -> ActionPlanPublic:
    platform_in_reach(session, access, platform_id)
    today = service.local_today(session, platform_id)
    items = _items(session, platform_id)
    overdue = sum(1 for item in items if _overdue(item, today))
    warnings = []
    if overdue:
        warnings.append(
            Warning(code="action_plan_overdue", message=f"{overdue} item(s) of the plan overdue.")
        )
    return ActionPlanPublic(
        platform_id=platform_id,
        version=_plan_version(session, platform_id),
        items=len(items),
        overdue=overdue,
        today=today,
        warnings=warnings,
    )


# -- answers --------------------------------------------------------------------------------


def _overdue(item: ActionPlanItem, today: date) -> bool:
    return item.status not in CLOSED and item.due_on < today


def present_all(
    session: Session, items: list[ActionPlanItem], platform_id: uuid.UUID, *, khmer: bool
) -> list[PlanItemPublic]:
    today = service.local_today(session, platform_id)
    return [
        PlanItemPublic.model_validate(
            {
                **item.model_dump(),
                "priority": item.position,
                "display_title": i18n.display(item.title, item.title_km, khmer),
                "overdue": _overdue(item, today),
            }
        )
        for item in items
    ]


def present(session: Session, item: ActionPlanItem, *, khmer: bool = False) -> PlanItemPublic:
    return present_all(session, [item], item.platform_id, khmer=khmer)[0]
