"""Strategic initiatives on the transition engine (proposed → approved → in_progress →
completed, or abandoned on the way) with their milestones.

Reads: anyone with a role in the platform. Proposals, edits and status changes: the
secretariat. Milestones: the secretariat and the lead organisation's staff, until the
initiative is completed or abandoned. Dates are the platform's local days (its time zone).
"""

import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast
from sqlmodel import Session, SQLModel, col, or_, select

from plased import i18n
from plased import transitions as engine
from plased.access import Access, managed_platform, platform_in_reach
from plased.concurrency import check_if_match
from plased.db import bump, utcnow
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.governance import bodies, motions
from plased.initiatives.models import Initiative, InitiativeEvent, InitiativeStatus, Milestone
from plased.initiatives.models import InitiativeStatus as S
from plased.initiatives.schemas import (
    InitiativeApprove,
    InitiativeCreate,
    InitiativeEnd,
    InitiativePublic,
    InitiativeUpdate,
    MilestoneCreate,
    MilestonePublic,
    MilestoneUpdate,
)
from plased.pagination import PageParams, paginate, text_contains
from plased.platforms.models import Platform
from plased.schemas import Warning
from plased.text import name_key
from plased.transitions import Change, Machine, actions
from plased.valuechains.models import Objective, Strategy, StrategyAction, ValueChain
from plased.vocabulary import BodyKind

SECRETARIAT = "secretariat"
CLOSED = {S.completed, S.abandoned}
# The bodies whose passed motion approves an initiative.
DECIDING_BODIES: set[str] = {BodyKind.executive_board, BodyKind.general_assembly}


def _event(change: Change[Initiative]) -> SQLModel:
    return InitiativeEvent(
        initiative_id=change.record.id,
        from_status=change.before,
        to_status=change.action.target,
        actor_id=change.actor_id,
        motion_id=change.record.approval_motion_id if change.action.name == "approve" else None,
        reason=change.note,
    )


MACHINE: Machine[Initiative] = Machine(
    model=Initiative,
    actions=actions(
        ("approve", {S.proposed}, S.approved, SECRETARIAT),
        ("start", {S.approved}, S.in_progress, SECRETARIAT),
        ("complete", {S.in_progress}, S.completed, SECRETARIAT),
        ("abandon", {S.proposed, S.approved, S.in_progress}, S.abandoned, SECRETARIAT),
    ),
    event=_event,
)


# -- access --------------------------------------------------------------------------------


def get_initiative(session: Session, access: Access, initiative_id: uuid.UUID) -> Initiative:
    """The initiative, when the caller has a role in its platform (404 otherwise)."""
    initiative = session.get(Initiative, initiative_id)
    if initiative is None or not access.has_role_in(initiative.platform_id):
        raise NotFound
    return initiative


def _require_open(initiative: Initiative) -> None:
    if initiative.status in CLOSED:
        raise Conflict(
            "A completed or abandoned initiative no longer changes.",
            code="initiative_closed",
            extra={"current_status": initiative.status},
        )


def platform(session: Session, platform_id: uuid.UUID) -> Platform:
    platform = session.get(Platform, platform_id)
    assert platform is not None
    return platform


def local_today(session: Session, platform_id: uuid.UUID) -> date:
    """Today in the platform's time zone."""
    return datetime.now(ZoneInfo(platform(session, platform_id).time_zone)).date()


# -- checks ---------------------------------------------------------------------------------


def check_members(
    session: Session, platform_id: uuid.UUID, organisation_ids: list[uuid.UUID], pointer: str
) -> list[uuid.UUID]:
    """Each organisation must be an active member of the platform (422
    ``organisation_not_member`` at ``pointer/<i>``); answers them without duplicates."""
    members = bodies.member_organisations(session, platform_id, set(organisation_ids))
    for index, organisation_id in enumerate(organisation_ids):
        if organisation_id not in members:
            raise field_error(
                f"{pointer}/{index}",
                "organisation_not_member",
                "Each organisation must be an active member organisation of the platform.",
            )
    return list(dict.fromkeys(organisation_ids))


def check_not_after(day: date | None, today: date, pointer: str, code: str) -> None:
    """A day that has happened: not after ``today`` (422 ``code``)."""
    if day is not None and day > today:
        raise field_error(pointer, code, "The day has not come yet.")


def _check_organisations(
    session: Session, platform_id: uuid.UUID, lead: uuid.UUID, partners: list[uuid.UUID]
) -> list[uuid.UUID]:
    """The lead and the partners must be active member organisations of the platform."""
    if lead not in bodies.member_organisations(session, platform_id, {lead}):
        raise field_error(
            "/body/lead_organisation_id",
            "organisation_not_member",
            "The lead must be an active member organisation of the platform.",
        )
    wanted = check_members(session, platform_id, partners, "/body/partner_organisation_ids")
    return [o for o in wanted if o != lead]


def _check_links(
    session: Session,
    platform_id: uuid.UUID,
    value_chain_id: uuid.UUID | None,
    strategy_action_id: uuid.UUID | None,
) -> uuid.UUID | None:
    """The value chain must be the platform's; the strategy action one of a strategy of that
    chain (given alone, it names the chain). Answers the value chain's id."""
    if value_chain_id is not None:
        chain = session.get(ValueChain, value_chain_id)
        if chain is None or chain.platform_id != platform_id:
            raise field_error("/body/value_chain_id", "unknown_value_chain", "No such value chain.")
    if strategy_action_id is None:
        return value_chain_id
    found = session.exec(
        select(ValueChain.id)
        .join(Strategy, col(Strategy.value_chain_id) == ValueChain.id)
        .join(Objective, col(Objective.strategy_id) == Strategy.id)
        .join(StrategyAction, col(StrategyAction.objective_id) == Objective.id)
        .where(StrategyAction.id == strategy_action_id)
        .where(ValueChain.platform_id == platform_id)
    ).first()
    if found is None or (value_chain_id is not None and found != value_chain_id):
        raise field_error(
            "/body/strategy_action_id",
            "unknown_strategy_action",
            "No such action in a strategy of this value chain.",
        )
    return found


# -- initiatives ---------------------------------------------------------------------------


def create(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: InitiativeCreate
) -> Initiative:
    managed_platform(session, access, platform_id)
    values = data.model_dump()
    values["partner_organisation_ids"] = [
        str(o)
        for o in _check_organisations(
            session, platform_id, data.lead_organisation_id, data.partner_organisation_ids
        )
    ]
    values["value_chain_id"] = _check_links(
        session, platform_id, data.value_chain_id, data.strategy_action_id
    )
    initiative = Initiative(platform_id=platform_id, title_key=name_key(data.title), **values)
    session.add(initiative)
    session.flush()
    session.add(
        InitiativeEvent(
            initiative_id=initiative.id, to_status=initiative.status, actor_id=access.user.id
        )
    )
    session.flush()
    return initiative


def update(
    session: Session,
    *,
    access: Access,
    initiative_id: uuid.UUID,
    data: InitiativeUpdate,
    if_match: str | None,
) -> Initiative:
    initiative = get_initiative(session, access, initiative_id)
    managed_platform(session, access, initiative.platform_id)
    check_if_match(if_match, initiative.version)
    _require_open(initiative)
    changes = data.changes()
    lead = changes.get("lead_organisation_id", initiative.lead_organisation_id)
    if "lead_organisation_id" in changes or "partner_organisation_ids" in changes:
        partners = changes.get(
            "partner_organisation_ids",
            [uuid.UUID(o) for o in initiative.partner_organisation_ids],
        )
        changes["partner_organisation_ids"] = [
            str(o) for o in _check_organisations(session, initiative.platform_id, lead, partners)
        ]
    if "value_chain_id" in changes or "strategy_action_id" in changes:
        changes["value_chain_id"] = _check_links(
            session,
            initiative.platform_id,
            changes.get("value_chain_id", initiative.value_chain_id),
            changes.get("strategy_action_id", initiative.strategy_action_id),
        )
    for name, value in changes.items():
        setattr(initiative, name, value)
    if "title" in changes:
        initiative.title_key = name_key(initiative.title)
    bump(initiative)
    session.add(initiative)
    session.flush()
    return initiative


def transition(
    session: Session,
    *,
    access: Access,
    initiative_id: uuid.UUID,
    action: str,
    data: InitiativeApprove | InitiativeEnd | None,
) -> Initiative:
    """approve (on a passed motion of the executive board or the general assembly), start,
    complete, abandon (with a reason): the secretariat."""
    initiative = get_initiative(session, access, initiative_id)
    managed_platform(session, access, initiative.platform_id)
    if not MACHINE.allows(initiative, action):
        raise engine.InvalidTransition(current=initiative.status, action=action)
    now = utcnow()
    values: dict[str, Any] = {}
    note = None
    if isinstance(data, InitiativeApprove):
        motions.passed_motion(
            session, data.motion_id, platform_id=initiative.platform_id, body_kinds=DECIDING_BODIES
        )
        values = {"approval_motion_id": data.motion_id, "approved_at": now}
    elif action == "start":
        values = {"started_at": now}
    elif action == "complete":
        values = {"ended_at": now}
    elif isinstance(data, InitiativeEnd):
        note = data.reason
        values = {"ended_at": now, "end_reason": data.reason}
    return engine.apply(
        session,
        MACHINE,
        initiative,
        action,
        actor_id=access.user.id,
        actor_organisation_id=access.organisation_id,
        note=note,
        values=values,
    )


def list_initiatives(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    params: PageParams,
    status: InitiativeStatus | None,
    kind: str | None,
    value_chain_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None,
    q: str | None,
) -> tuple[list[Initiative], int]:
    platform_in_reach(session, access, platform_id)
    statement = select(Initiative).where(Initiative.platform_id == platform_id)
    if status is not None:
        statement = statement.where(Initiative.status == status)
    if kind is not None:
        statement = statement.where(Initiative.kind == kind)
    if value_chain_id is not None:
        statement = statement.where(Initiative.value_chain_id == value_chain_id)
    if organisation_id is not None:
        # The lead, or a partner: the JSON list's text holds the quoted id exactly when the
        # list does, on SQLite and PostgreSQL alike.
        statement = statement.where(
            or_(
                Initiative.lead_organisation_id == organisation_id,
                cast(Initiative.partner_organisation_ids, String).like(f'%"{organisation_id}"%'),
            )
        )
    if q:
        statement = statement.where(
            or_(text_contains(Initiative.title_key, q), text_contains(Initiative.title_km, q))
        )
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={
            "title": Initiative.title_key,
            "status": Initiative.status,
            "created_at": Initiative.created_at,
            "updated_at": Initiative.updated_at,
        },
        default_sort=["-created_at"],
        tiebreak=Initiative.id,
        updated_column=Initiative.updated_at,
    )


def history(session: Session, *, access: Access, initiative_id: uuid.UUID) -> list[InitiativeEvent]:
    initiative = get_initiative(session, access, initiative_id)
    return list(
        session.exec(
            select(InitiativeEvent)
            .where(InitiativeEvent.initiative_id == initiative.id)
            .order_by(col(InitiativeEvent.created_at), col(InitiativeEvent.id))
        ).all()
    )


# -- milestones ----------------------------------------------------------------------------


def require_keeper(session: Session, access: Access, initiative: Initiative) -> None:
    """The secretariat or the lead organisation's staff, while the initiative is open: they
    keep its milestones, coaching sessions and advocacy outcome."""
    platform_in_reach(session, access, initiative.platform_id)
    if not (
        access.manages(initiative.platform_id)
        or access.is_staff_of(initiative.lead_organisation_id)
    ):
        raise Forbidden("Only the secretariat or the lead organisation's staff may do this.")
    access.require_writable(initiative.platform_id)
    _require_open(initiative)


def _check_done(done_on: date | None, recorded: date, today: date) -> None:
    if done_on is None:
        return
    check_not_after(done_on, today, "/body/done_on", "done_in_future")
    if done_on < recorded:
        raise field_error(
            "/body/done_on",
            "done_before_created",
            "A milestone is not done before it was recorded.",
        )


def add_milestone(
    session: Session, *, access: Access, initiative_id: uuid.UUID, data: MilestoneCreate
) -> Milestone:
    initiative = get_initiative(session, access, initiative_id)
    require_keeper(session, access, initiative)
    today = local_today(session, initiative.platform_id)
    _check_done(data.done_on, today, today)
    milestone = Milestone(initiative_id=initiative.id, **data.model_dump())
    session.add(milestone)
    bump(initiative)
    session.add(initiative)
    session.flush()
    return milestone


def get_milestone(
    session: Session, access: Access, milestone_id: uuid.UUID
) -> tuple[Milestone, Initiative]:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound
    return milestone, get_initiative(session, access, milestone.initiative_id)


def update_milestone(
    session: Session,
    *,
    access: Access,
    milestone_id: uuid.UUID,
    data: MilestoneUpdate,
    if_match: str | None,
) -> Milestone:
    milestone, initiative = get_milestone(session, access, milestone_id)
    require_keeper(session, access, initiative)
    check_if_match(if_match, milestone.version)
    changes = data.changes()
    if "done_on" in changes:
        zone = ZoneInfo(platform(session, initiative.platform_id).time_zone)
        recorded = milestone.created_at.astimezone(zone).date()
        _check_done(changes["done_on"], recorded, local_today(session, initiative.platform_id))
    for name, value in changes.items():
        setattr(milestone, name, value)
    bump(milestone)
    session.add(milestone)
    bump(initiative)
    session.add(initiative)
    session.flush()
    return milestone


# -- answers -------------------------------------------------------------------------------


def present_milestone(milestone: Milestone, today: date, khmer: bool) -> MilestonePublic:
    return MilestonePublic.model_validate(
        {
            **milestone.model_dump(),
            "display_title": i18n.display(milestone.title, milestone.title_km, khmer),
            "overdue": milestone.done_on is None and milestone.due_on < today,
        }
    )


def present_one_milestone(
    session: Session, milestone: Milestone, *, khmer: bool = False
) -> MilestonePublic:
    initiative = session.get(Initiative, milestone.initiative_id)
    assert initiative is not None
    return present_milestone(milestone, local_today(session, initiative.platform_id), khmer)


def present(session: Session, initiative: Initiative, *, khmer: bool = False) -> InitiativePublic:
    return present_all(session, [initiative], khmer=khmer)[0]


def present_all(
    session: Session, items: list[Initiative], *, khmer: bool = False
) -> list[InitiativePublic]:
    """Initiatives with their milestones, progress and overdue count, in two queries more
    whatever their number."""
    if not items:
        return []
    found: dict[uuid.UUID, list[Milestone]] = defaultdict(list)
    for milestone in session.exec(
        select(Milestone)
        .where(col(Milestone.initiative_id).in_({i.id for i in items}))
        .order_by(col(Milestone.due_on), col(Milestone.created_at), col(Milestone.id))
    ).all():
        found[milestone.initiative_id].append(milestone)
    zones = {
        p.id: ZoneInfo(p.time_zone)
        for p in session.exec(
            select(Platform).where(col(Platform.id).in_({i.platform_id for i in items}))
        ).all()
    }
    answers = []
    for initiative in items:
        today = datetime.now(zones[initiative.platform_id]).date()
        milestones = [present_milestone(m, today, khmer) for m in found[initiative.id]]
        done = sum(1 for m in milestones if m.done_on is not None)
        overdue = sum(1 for m in milestones if m.overdue)
        warnings = []
        if overdue and initiative.status not in CLOSED:
            warnings.append(
                Warning(code="milestones_overdue", message=f"{overdue} milestone(s) overdue.")
            )
        answers.append(
            InitiativePublic.model_validate(
                {
                    **initiative.model_dump(),
                    "display_title": i18n.display(initiative.title, initiative.title_km, khmer),
                    "milestones": milestones,
                    "progress": (done * 100) // len(milestones) if milestones else None,
                    "overdue_milestones": overdue,
                    "warnings": warnings,
                }
            )
        )
    return answers
