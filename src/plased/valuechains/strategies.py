"""Participatory value-chain strategies: versions of a chain's strategy drafted with its
focus group (steps held in the group's meetings, objectives, actions owned by member
organisations), validated by a passed motion and published.

Reads: anyone with a role in the platform. Drafts, steps, objectives and actions: the
secretariat or the focus group's facilitators, while the version is drafting. Validation and
publication: the secretariat. The staff of an action's owner organisation report its status
and progress, nothing else.
"""

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from plased import documents, i18n
from plased import transitions as engine
from plased.access import Access, managed_platform, platform_in_reach
from plased.concurrency import check_if_match
from plased.config import Settings
from plased.db import bump
from plased.downloads import StoredFile
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.governance import bodies, motions
from plased.governance.models import Attendance, AttendanceStatus, Body, Meeting
from plased.members.models import Gender, Person
from plased.platforms.models import Regulations
from plased.platforms.service import current_regulations
from plased.schemas import Warning
from plased.storage import Storage
from plased.transitions import Change, Machine, actions
from plased.valuechains.chains import get_chain
from plased.valuechains.models import (
    Objective,
    Strategy,
    StrategyAction,
    StrategyDocument,
    StrategyEvent,
    StrategyStatus,
    StrategyStep,
    StrategyStepMeeting,
    ValueChain,
)
from plased.valuechains.models import StrategyStatus as S
from plased.valuechains.strategy_schemas import (
    ObjectiveCreate,
    ObjectivePublic,
    Participation,
    StrategyActionCreate,
    StrategyActionPublic,
    StrategyActionUpdate,
    StrategyCreate,
    StrategyPublic,
    StrategyStepCreate,
    StrategyStepPublic,
    StrategyUpdate,
    StrategyValidate,
)
from plased.vocabulary import BodyKind

SECRETARIAT = "secretariat"


def _event(change: Change[Strategy]) -> SQLModel:
    return StrategyEvent(
        strategy_id=change.record.id,
        from_status=change.before,
        to_status=change.action.target,
        actor_id=change.actor_id,
        motion_id=change.record.validation_motion_id if change.action.name == "validate" else None,
    )


MACHINE: Machine[Strategy] = Machine(
    model=Strategy,
    actions=actions(
        ("validate", {S.drafting}, S.validated, SECRETARIAT),
        ("publish", {S.validated}, S.published, SECRETARIAT),
    ),
    event=_event,
)
# Fields of an action its owner organisation's staff may report.
PROGRESS_FIELDS = {"status", "progress"}


# -- access --------------------------------------------------------------------------------


def _chain_of(session: Session, strategy: Strategy) -> ValueChain:
    chain = session.get(ValueChain, strategy.value_chain_id)
    assert chain is not None
    return chain


def get_strategy(session: Session, access: Access, strategy_id: uuid.UUID) -> Strategy:
    """The strategy, when the caller reaches its chain's platform (404 otherwise)."""
    strategy = session.get(Strategy, strategy_id)
    if strategy is None:
        raise NotFound
    get_chain(session, access, strategy.value_chain_id)
    return strategy


def _may_edit(session: Session, access: Access, chain: ValueChain) -> bool:
    if access.manages(chain.platform_id):
        return True
    body = session.get(Body, chain.focus_group_id) if chain.focus_group_id else None
    return body is not None and bodies.facilitates(session, access, body)


def _require_editor(session: Session, access: Access, chain: ValueChain) -> None:
    """The secretariat or the focus group's facilitators, on a writable platform."""
    platform_in_reach(session, access, chain.platform_id)
    if not _may_edit(session, access, chain):
        raise Forbidden("Only the secretariat or the focus group's facilitators may do this.")
    access.require_writable(chain.platform_id)


def _require_drafting(strategy: Strategy) -> None:
    if strategy.status != StrategyStatus.drafting:
        raise Conflict(
            "Only a strategy being drafted can be changed; start a new version.",
            code="strategy_not_drafting",
            extra={"current_status": strategy.status},
        )


def _editable(
    session: Session, access: Access, strategy_id: uuid.UUID
) -> tuple[Strategy, ValueChain]:
    strategy = get_strategy(session, access, strategy_id)
    chain = _chain_of(session, strategy)
    _require_editor(session, access, chain)
    _require_drafting(strategy)
    return strategy, chain


# -- strategies ----------------------------------------------------------------------------


def list_strategies(
    session: Session, *, access: Access, value_chain_id: uuid.UUID
) -> list[Strategy]:
    chain = get_chain(session, access, value_chain_id)
    return list(
        session.exec(
            select(Strategy)
            .where(Strategy.value_chain_id == chain.id)
            .order_by(col(Strategy.version_number))
        ).all()
    )


def create_strategy(
    session: Session, *, access: Access, value_chain_id: uuid.UUID, data: StrategyCreate
) -> Strategy:
    """A new draft version, copied from the last published one. One draft per chain: a second
    answers 409 ``draft_exists``, also when two requests race (the partial unique index)."""
    chain = get_chain(session, access, value_chain_id)
    _require_editor(session, access, chain)
    if chain.focus_group_id is None:
        raise Conflict(
            "The value chain has no focus group yet.",
            code="no_focus_group",
            extra={"current_status": chain.status},
        )
    existing = list_strategies(session, access=access, value_chain_id=chain.id)
    if any(s.status == StrategyStatus.drafting for s in existing):
        raise _draft_exists()
    published = [s for s in existing if s.status == StrategyStatus.published]
    base = published[-1] if published else None
    given = data.model_dump(exclude_unset=True)
    strategy = Strategy(
        value_chain_id=chain.id,
        version_number=(existing[-1].version_number + 1) if existing else 1,
        based_on_id=base.id if base else None,
        title=given.get("title") or (base.title if base else f"Strategy: {chain.name}"[:200]),
        title_km=given.get("title_km", base.title_km if base else None),
        summary=given.get("summary", base.summary if base else None),
        summary_km=given.get("summary_km", base.summary_km if base else None),
    )
    try:
        with session.begin_nested():
            session.add(strategy)
            session.flush()
    except IntegrityError as exc:
        raise _draft_exists() from exc
    session.add(
        StrategyEvent(strategy_id=strategy.id, to_status=strategy.status, actor_id=access.user.id)
    )
    if base is not None:
        _copy_plan(session, base, strategy)
    session.flush()
    return strategy


def history(session: Session, *, access: Access, strategy_id: uuid.UUID) -> list[StrategyEvent]:
    """The strategy's creation and status changes, oldest first."""
    strategy = get_strategy(session, access, strategy_id)
    return list(
        session.exec(
            select(StrategyEvent)
            .where(StrategyEvent.strategy_id == strategy.id)
            .order_by(col(StrategyEvent.created_at), col(StrategyEvent.id))
        ).all()
    )


def _draft_exists() -> Conflict:
    return Conflict(
        "The value chain already has a strategy being drafted.",
        code="draft_exists",
        extra={"current_status": StrategyStatus.drafting},
    )


def _copy_plan(session: Session, base: Strategy, strategy: Strategy) -> None:
    objectives = list(session.exec(select(Objective).where(Objective.strategy_id == base.id)).all())
    copies = {}
    for objective in objectives:
        copy = Objective(
            strategy_id=strategy.id, title=objective.title, title_km=objective.title_km
        )
        session.add(copy)
        copies[objective.id] = copy
    session.flush()
    if not copies:
        return
    for action in session.exec(
        select(StrategyAction).where(col(StrategyAction.objective_id).in_(set(copies)))
    ).all():
        session.add(
            StrategyAction(
                objective_id=copies[action.objective_id].id,
                title=action.title,
                title_km=action.title_km,
                owner_organisation_id=action.owner_organisation_id,
                due_date=action.due_date,
                status=action.status,
                progress=action.progress,
            )
        )
    session.flush()


def update_strategy(
    session: Session,
    *,
    access: Access,
    strategy_id: uuid.UUID,
    data: StrategyUpdate,
    if_match: str | None,
) -> Strategy:
    strategy, _ = _editable(session, access, strategy_id)
    check_if_match(if_match, strategy.version)
    for name, value in data.changes().items():
        setattr(strategy, name, value)
    bump(strategy)
    session.add(strategy)
    session.flush()
    return strategy


def _deciding_bodies(session: Session, chain: ValueChain) -> set[uuid.UUID]:
    """The chain's focus group and the platform's executive board."""
    boards = session.exec(
        select(Body.id)
        .where(Body.platform_id == chain.platform_id)
        .where(Body.kind == BodyKind.executive_board)
    ).all()
    return {*boards, *([chain.focus_group_id] if chain.focus_group_id else [])}


def transition(
    session: Session,
    *,
    access: Access,
    strategy_id: uuid.UUID,
    action: str,
    data: StrategyValidate | None,
) -> Strategy:
    """validate (drafting → validated, on a passed motion of the focus group or the executive
    board) and publish (validated → published): the secretariat."""
    strategy = get_strategy(session, access, strategy_id)
    chain = _chain_of(session, strategy)
    managed_platform(session, access, chain.platform_id)
    if not MACHINE.allows(strategy, action):
        raise engine.InvalidTransition(current=strategy.status, action=action)
    now = datetime.now(UTC)
    values: dict[str, object] = {"published_at": now}
    if action == "validate":
        assert data is not None
        motions.passed_motion(
            session,
            data.motion_id,
            platform_id=chain.platform_id,
            body_ids=_deciding_bodies(session, chain),
        )
        values = {"validation_motion_id": data.motion_id, "validated_at": now}
    return engine.apply(
        session,
        MACHINE,
        strategy,
        action,
        actor_id=access.user.id,
        actor_organisation_id=access.organisation_id,
        values=values,
    )


# -- steps ---------------------------------------------------------------------------------


def _check_meetings(
    session: Session, chain: ValueChain, meeting_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(meeting_ids))
    found = {
        m.id: m for m in session.exec(select(Meeting).where(col(Meeting.id).in_(wanted))).all()
    }
    for index, meeting_id in enumerate(meeting_ids):
        meeting = found.get(meeting_id)
        if meeting is None or meeting.body_id != chain.focus_group_id:
            raise field_error(
                f"/body/meeting_ids/{index}",
                "meeting_not_of_focus_group",
                "Link meetings of the value chain's focus group only.",
            )
    return wanted


def _set_meetings(session: Session, step: StrategyStep, meeting_ids: list[uuid.UUID]) -> None:
    session.execute(delete(StrategyStepMeeting).where(col(StrategyStepMeeting.step_id) == step.id))
    for meeting_id in meeting_ids:
        session.add(StrategyStepMeeting(step_id=step.id, meeting_id=meeting_id))
    session.flush()


def get_step(session: Session, access: Access, step_id: uuid.UUID) -> StrategyStep:
    """The step, when the caller reaches its strategy (404 otherwise)."""
    step = session.get(StrategyStep, step_id)
    if step is None:
        raise NotFound
    get_strategy(session, access, step.strategy_id)
    return step


def add_step(
    session: Session, *, access: Access, strategy_id: uuid.UUID, data: StrategyStepCreate
) -> StrategyStep:
    strategy, chain = _editable(session, access, strategy_id)
    meeting_ids = _check_meetings(session, chain, data.meeting_ids)
    step = StrategyStep(
        strategy_id=strategy.id, kind=data.kind, notes=data.notes, notes_km=data.notes_km
    )
    try:
        with session.begin_nested():
            session.add(step)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("The strategy already has this step.", code="step_exists") from exc
    _set_meetings(session, step, meeting_ids)
    return step


def set_step_meetings(
    session: Session,
    *,
    access: Access,
    step_id: uuid.UUID,
    meeting_ids: list[uuid.UUID],
    if_match: str | None,
) -> StrategyStep:
    step = get_step(session, access, step_id)
    _, chain = _editable(session, access, step.strategy_id)
    check_if_match(if_match, step.version)
    _set_meetings(session, step, _check_meetings(session, chain, meeting_ids))
    bump(step)
    session.add(step)
    session.flush()
    return step


# -- objectives and actions ----------------------------------------------------------------


def get_objective(session: Session, access: Access, objective_id: uuid.UUID) -> Objective:
    """The objective, when the caller reaches its strategy (404 otherwise)."""
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFound
    get_strategy(session, access, objective.strategy_id)
    return objective


def get_action(
    session: Session, access: Access, action_id: uuid.UUID
) -> tuple[StrategyAction, Strategy]:
    """The action and its strategy, when the caller reaches it (404 otherwise)."""
    action = session.get(StrategyAction, action_id)
    if action is None:
        raise NotFound
    objective = session.get(Objective, action.objective_id)
    assert objective is not None
    return action, get_strategy(session, access, objective.strategy_id)


def objective_actions(session: Session, objective: Objective) -> list[StrategyAction]:
    return list(
        session.exec(
            select(StrategyAction)
            .where(StrategyAction.objective_id == objective.id)
            .order_by(col(StrategyAction.created_at), col(StrategyAction.id))
        ).all()
    )


def add_objective(
    session: Session, *, access: Access, strategy_id: uuid.UUID, data: ObjectiveCreate
) -> Objective:
    strategy, _ = _editable(session, access, strategy_id)
    objective = Objective(strategy_id=strategy.id, **data.model_dump())
    session.add(objective)
    session.flush()
    return objective


def _check_owner(session: Session, chain: ValueChain, organisation_id: uuid.UUID) -> None:
    if organisation_id not in bodies.member_organisations(
        session, chain.platform_id, {organisation_id}
    ):
        raise field_error(
            "/body/owner_organisation_id",
            "owner_not_member",
            "The owner must be an active member organisation of the platform.",
        )


def add_action(
    session: Session, *, access: Access, objective_id: uuid.UUID, data: StrategyActionCreate
) -> StrategyAction:
    objective = get_objective(session, access, objective_id)
    _, chain = _editable(session, access, objective.strategy_id)
    _check_owner(session, chain, data.owner_organisation_id)
    action = StrategyAction(objective_id=objective.id, **data.model_dump())
    session.add(action)
    session.flush()
    return action


def update_action(
    session: Session,
    *,
    access: Access,
    action_id: uuid.UUID,
    data: StrategyActionUpdate,
    if_match: str | None,
) -> StrategyAction:
    """The secretariat and the facilitators change anything while the strategy is drafted,
    and the status and progress at any time; the owner organisation's staff report the status
    and progress only (403 for anything else)."""
    action, strategy = get_action(session, access, action_id)
    chain = _chain_of(session, strategy)
    changes = data.changes()
    if _may_edit(session, access, chain):
        if set(changes) - PROGRESS_FIELDS:
            _require_drafting(strategy)
    elif not access.is_staff_of(action.owner_organisation_id) or set(changes) - PROGRESS_FIELDS:
        raise Forbidden(
            "Only the secretariat, the focus group's facilitators, or the owner "
            "organisation's staff (status and progress) may change this action."
        )
    access.require_writable(chain.platform_id)
    check_if_match(if_match, action.version)
    if "owner_organisation_id" in changes:
        _check_owner(session, chain, changes["owner_organisation_id"])
    for name, value in changes.items():
        setattr(action, name, value)
    bump(action)
    session.add(action)
    session.flush()
    return action


# -- documents -----------------------------------------------------------------------------


def add_document(
    session: Session,
    settings: Settings,
    *,
    storage: Storage,
    access: Access,
    strategy_id: uuid.UUID,
    filename: str,
    data: bytes,
) -> StrategyDocument:
    """The secretariat or the facilitators attach the strategy's document until it is
    published, as minutes' attachments (``plased.documents``)."""
    strategy = get_strategy(session, access, strategy_id)
    _require_editor(session, access, _chain_of(session, strategy))
    if strategy.status == StrategyStatus.published:
        raise engine.InvalidTransition(current=strategy.status, action="attach documents")
    document = documents.accept(settings, filename=filename, data=data, default_name="strategy")
    row = StrategyDocument(strategy_id=strategy.id, **vars(document))
    documents.store(session, storage, row, str(row.id), data)
    return row


def list_documents(
    session: Session, *, access: Access, strategy_id: uuid.UUID
) -> list[StrategyDocument]:
    strategy = get_strategy(session, access, strategy_id)
    return list(
        session.exec(
            select(StrategyDocument)
            .where(StrategyDocument.strategy_id == strategy.id)
            .order_by(col(StrategyDocument.created_at), col(StrategyDocument.id))
        ).all()
    )


def document_file(session: Session, *, access: Access, document_id: uuid.UUID) -> StoredFile:
    """The file, for whoever reads the strategy (404 otherwise)."""
    row = session.get(StrategyDocument, document_id)
    if row is None:
        raise NotFound
    get_strategy(session, access, row.strategy_id)
    return documents.stored_file(row)


# -- answers -------------------------------------------------------------------------------


def present_action(action: StrategyAction, khmer: bool) -> StrategyActionPublic:
    return StrategyActionPublic.model_validate(
        {**action.model_dump(), "display_title": i18n.display(action.title, action.title_km, khmer)}
    )


def present_objective(
    objective: Objective, found: list[StrategyAction], khmer: bool
) -> ObjectivePublic:
    return ObjectivePublic.model_validate(
        {
            **objective.model_dump(),
            "display_title": i18n.display(objective.title, objective.title_km, khmer),
            "actions": [present_action(a, khmer) for a in found],
        }
    )


def present_step(step: StrategyStep, meeting_ids: list[uuid.UUID]) -> StrategyStepPublic:
    return StrategyStepPublic.model_validate({**step.model_dump(), "meeting_ids": meeting_ids})


def _step_meetings(session: Session, step_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The meetings linked to each step, earliest first: one query for any number of steps."""
    linked: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if step_ids:
        for step_id, meeting_id in session.exec(
            select(StrategyStepMeeting.step_id, StrategyStepMeeting.meeting_id)
            .join(Meeting, col(Meeting.id) == StrategyStepMeeting.meeting_id)
            .where(col(StrategyStepMeeting.step_id).in_(step_ids))
            .order_by(col(Meeting.starts_at), col(Meeting.id))
        ).all():
            linked[step_id].append(meeting_id)
    return linked


def present_one_step(session: Session, step: StrategyStep) -> StrategyStepPublic:
    return present_step(step, _step_meetings(session, {step.id})[step.id])


def participation(
    meeting_ids: set[uuid.UUID],
    present: dict[uuid.UUID, set[tuple[uuid.UUID, str]]],
    rules: Regulations,
) -> Participation:
    """Distinct people marked present at the meetings linked to the strategy's steps, and the
    women among them, against the regulations' ``strategy_participants`` and
    ``min_women_share`` (docs/value-chains.md). ``present``: who was present at each meeting,
    with their gender."""
    target, min_women_share = rules.strategy_participants, rules.min_women_share
    people = {person for m in meeting_ids for person in present.get(m, set())}
    count = len(people)
    women = sum(1 for _, gender in people if gender == Gender.female)
    share = round(women / count, 4) if count else None
    warnings = []
    if count < target:
        warnings.append(
            Warning(
                code="participants_below_target",
                message=f"{count} participant(s); the regulations ask for {target}.",
            )
        )
    if share is not None and share < min_women_share:
        warnings.append(
            Warning(
                code="women_share_below_minimum",
                message=f"Women are {share:.0%} of participants; the regulations ask for "
                f"{min_women_share:.0%}.",
            )
        )
    return Participation(
        meetings=len(meeting_ids),
        participants=count,
        target_participants=target,
        women=women,
        women_share=share,
        min_women_share=min_women_share,
        warnings=warnings,
    )


def present(session: Session, strategy: Strategy, *, khmer: bool = False) -> StrategyPublic:
    return present_all(session, [strategy], khmer=khmer)[0]


def present_all(
    session: Session, items: list[Strategy], *, khmer: bool = False
) -> list[StrategyPublic]:
    """Strategies with their steps (and their meetings), objectives with their actions, and
    participation, in a fixed number of queries whatever their number. ``khmer``:
    ``display_title`` prefers the Khmer titles."""
    if not items:
        return []
    ids = {s.id for s in items}
    steps: dict[uuid.UUID, list[StrategyStep]] = defaultdict(list)
    for step in session.exec(
        select(StrategyStep)
        .where(col(StrategyStep.strategy_id).in_(ids))
        .order_by(col(StrategyStep.created_at), col(StrategyStep.id))
    ).all():
        steps[step.strategy_id].append(step)
    linked = _step_meetings(session, {step.id for found in steps.values() for step in found})
    objectives: dict[uuid.UUID, list[Objective]] = defaultdict(list)
    for objective in session.exec(
        select(Objective)
        .where(col(Objective.strategy_id).in_(ids))
        .order_by(col(Objective.created_at), col(Objective.id))
    ).all():
        objectives[objective.strategy_id].append(objective)
    by_objective: dict[uuid.UUID, list[StrategyAction]] = defaultdict(list)
    objective_ids = {o.id for found in objectives.values() for o in found}
    if objective_ids:
        for action in session.exec(
            select(StrategyAction)
            .where(col(StrategyAction.objective_id).in_(objective_ids))
            .order_by(col(StrategyAction.created_at), col(StrategyAction.id))
        ).all():
            by_objective[action.objective_id].append(action)
    meetings = {m for found in linked.values() for m in found}
    present: dict[uuid.UUID, set[tuple[uuid.UUID, str]]] = defaultdict(set)
    if meetings:
        for meeting_id, person_id, gender in session.exec(
            select(Attendance.meeting_id, Person.id, Person.gender)
            .join(Person, col(Person.id) == Attendance.person_id)
            .where(col(Attendance.meeting_id).in_(meetings))
            .where(Attendance.status == AttendanceStatus.present)
        ).all():
            present[meeting_id].add((person_id, gender))
    chains = {
        c.id: c
        for c in session.exec(
            select(ValueChain).where(col(ValueChain.id).in_({s.value_chain_id for s in items}))
        ).all()
    }
    rules = {
        platform_id: current_regulations(session, platform_id)
        for platform_id in {c.platform_id for c in chains.values()}
    }
    return [
        StrategyPublic.model_validate(
            {
                **strategy.model_dump(),
                "display_title": i18n.display(strategy.title, strategy.title_km, khmer),
                "steps": [present_step(s, linked[s.id]) for s in steps[strategy.id]],
                "objectives": [
                    present_objective(o, by_objective[o.id], khmer) for o in objectives[strategy.id]
                ],
                "participation": participation(
                    {m for s in steps[strategy.id] for m in linked[s.id]},
                    present,
                    rules[chains[strategy.value_chain_id].platform_id],
                ),
            }
        )
        for strategy in items
    ]
