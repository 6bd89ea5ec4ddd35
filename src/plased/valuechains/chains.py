"""Value chains and their prioritisation: the chains of a platform, the weighted criteria, the
scores stakeholders give, the ranking, and the decision to prioritise or drop a chain.

Reads: anyone with a role in the platform (its members' staff included). Writes: the
platform's secretariat. Another platform's chain answers 404, as a missing one.
"""

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import String, cast, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from plased import transitions as engine
from plased.access import Access, managed_platform, platform_in_reach, root_of
from plased.concurrency import check_if_match
from plased.db import bump, rows_changed
from plased.errors import Conflict, NotFound, field_error
from plased.governance import motions
from plased.members import organisations
from plased.members.models import AdminUnit, UnitLevel
from plased.pagination import PageParams, paginate, text_contains
from plased.platforms.models import Platform
from plased.platforms.service import current_regulations
from plased.schemas import Warning
from plased.text import name_key
from plased.valuechains.models import (
    Criterion,
    Score,
    ValueChain,
    ValueChainEvent,
    ValueChainStatus,
)
from plased.valuechains.schemas import (
    CriterionContribution,
    CriterionCreate,
    CriterionUpdate,
    RankedValueChain,
    Ranking,
    ScoreSheet,
    ValueChainCreate,
    ValueChainDecision,
    ValueChainUpdate,
)
from plased.valuechains.transitions import MACHINE
from plased.vocabulary import BodyKind

SECRETARIAT_KEY = "secretariat"
# The bodies whose passed motion decides which chains are prioritised.
DECIDING_BODIES: set[str] = {BodyKind.executive_board, BodyKind.general_assembly}


# -- value chains --------------------------------------------------------------------------


def get_chain(
    session: Session, access: Access, value_chain_id: uuid.UUID, *, manage: bool = False
) -> ValueChain:
    """The chain, when the caller reaches its platform (404 otherwise); ``manage``: the caller
    is about to change it (the secretariat, on a platform that is not archived)."""
    chain = session.get(ValueChain, value_chain_id)
    if chain is None or not access.has_role_in(chain.platform_id):
        raise NotFound
    if manage:
        managed_platform(session, access, chain.platform_id)
    return chain


def _check_districts(session: Session, codes: list[str], pointer: str) -> list[str]:
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return wanted
    known = set(
        session.exec(
            select(AdminUnit.code)
            .where(col(AdminUnit.code).in_(wanted))
            .where(AdminUnit.level == UnitLevel.district)
        ).all()
    )
    for index, code in enumerate(wanted):
        if code not in known:
            raise field_error(f"{pointer}/{index}", "unknown_district", "No such district.")
    return wanted


def _saved(session: Session, chain: ValueChain) -> ValueChain:
    """Flush, answering 409 ``value_chain_exists`` when the platform has a chain of that name."""
    try:
        with session.begin_nested():
            session.add(chain)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "The platform already has a value chain of this name.", code="value_chain_exists"
        ) from exc
    return chain


def create_chain(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: ValueChainCreate
) -> ValueChain:
    managed_platform(session, access, platform_id)
    values = data.model_dump()
    values["district_codes"] = _check_districts(
        session, data.district_codes, "/body/district_codes"
    )
    return _saved(
        session, ValueChain(platform_id=platform_id, name_key=name_key(data.name), **values)
    )


def update_chain(
    session: Session,
    *,
    access: Access,
    value_chain_id: uuid.UUID,
    data: ValueChainUpdate,
    if_match: str | None,
) -> ValueChain:
    chain = get_chain(session, access, value_chain_id, manage=True)
    check_if_match(if_match, chain.version)
    changes = data.changes()
    if "district_codes" in changes:
        changes["district_codes"] = _check_districts(
            session, changes["district_codes"], "/body/district_codes"
        )
    for name, value in changes.items():
        setattr(chain, name, value)
    if "name" in changes:
        chain.name_key = name_key(chain.name)
    bump(chain)
    return _saved(session, chain)


def list_chains(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    params: PageParams,
    status: ValueChainStatus | None,
    q: str | None,
    district_code: str | None,
) -> tuple[list[ValueChain], int]:
    platform_in_reach(session, access, platform_id)
    statement = select(ValueChain).where(ValueChain.platform_id == platform_id)
    if status is not None:
        statement = statement.where(ValueChain.status == status)
    if q:
        statement = statement.where(
            or_(text_contains(ValueChain.name_key, q), text_contains(ValueChain.name_km, q))
        )
    if district_code is not None:
        # The codes are digits (the input's pattern): the JSON list's text holds the quoted
        # code exactly when the list does, on SQLite and PostgreSQL alike.
        statement = statement.where(
            cast(ValueChain.district_codes, String).like(f'%"{district_code}"%')
        )
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={
            "name": ValueChain.name_key,
            "status": ValueChain.status,
            "updated_at": ValueChain.updated_at,
        },
        default_sort=["name"],
        tiebreak=ValueChain.id,
        updated_column=ValueChain.updated_at,
    )


def history(
    session: Session, *, access: Access, value_chain_id: uuid.UUID
) -> list[ValueChainEvent]:
    chain = get_chain(session, access, value_chain_id)
    return list(
        session.exec(
            select(ValueChainEvent)
            .where(ValueChainEvent.value_chain_id == chain.id)
            .order_by(col(ValueChainEvent.created_at), col(ValueChainEvent.id))
        ).all()
    )


def decide(
    session: Session,
    *,
    access: Access,
    value_chain_id: uuid.UUID,
    action: str,
    data: ValueChainDecision,
) -> ValueChain:
    """Prioritise or drop a candidate: on a passed motion of the board or the general
    assembly, or on the secretariat's reason. A chain nobody scored cannot be prioritised."""
    chain = get_chain(session, access, value_chain_id, manage=True)
    if not MACHINE.allows(chain, action):
        raise engine.InvalidTransition(current=chain.status, action=action)
    if data.motion_id is None and data.reason is None:
        raise field_error(
            "/body", "decision_required", "Give the motion that decided it, or a reason."
        )
    if data.motion_id is not None:
        motions.passed_motion(
            session, data.motion_id, platform_id=chain.platform_id, body_kinds=DECIDING_BODIES
        )
    if (
        action == "prioritise"
        and not session.exec(
            select(Score.id).where(Score.value_chain_id == chain.id).limit(1)
        ).first()
    ):
        raise Conflict(
            "Score the value chain before prioritising it.",
            code="value_chain_not_scored",
            extra={"current_status": chain.status},
        )
    return engine.apply(
        session,
        MACHINE,
        chain,
        action,
        actor_id=access.user.id,
        actor_organisation_id=access.organisation_id,
        note=data.reason,
        values={
            "decision_motion_id": data.motion_id,
            "decision_reason": data.reason,
            "decided_at": datetime.now(UTC),
        },
    )


# -- criteria ------------------------------------------------------------------------------


def _check_weights(session: Session, platform_id: uuid.UUID, changed: Criterion) -> None:
    others = session.exec(
        select(func.coalesce(func.sum(Criterion.weight), 0.0))
        .where(Criterion.platform_id == platform_id)
        .where(Criterion.id != changed.id)
    ).one()
    if float(others) + changed.weight <= 0:
        raise field_error(
            "/body/weight",
            "weights_not_positive",
            "The criteria's weights must add up to more than zero.",
        )


def get_criterion(
    session: Session, access: Access, criterion_id: uuid.UUID, *, manage: bool = False
) -> Criterion:
    criterion = session.get(Criterion, criterion_id)
    if criterion is None or not access.has_role_in(criterion.platform_id):
        raise NotFound
    if manage:
        managed_platform(session, access, criterion.platform_id)
    return criterion


def create_criterion(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: CriterionCreate
) -> Criterion:
    managed_platform(session, access, platform_id)
    criterion = Criterion(platform_id=platform_id, **data.model_dump())
    _check_weights(session, platform_id, criterion)
    try:
        with session.begin_nested():
            session.add(criterion)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "The platform already has a criterion with this code.", code="criterion_exists"
        ) from exc
    return criterion


def update_criterion(
    session: Session,
    *,
    access: Access,
    criterion_id: uuid.UUID,
    data: CriterionUpdate,
    if_match: str | None,
) -> Criterion:
    criterion = get_criterion(session, access, criterion_id, manage=True)
    check_if_match(if_match, criterion.version)
    for name, value in data.changes().items():
        setattr(criterion, name, value)
    _check_weights(session, criterion.platform_id, criterion)
    bump(criterion)
    session.add(criterion)
    session.flush()
    return criterion


def list_criteria(session: Session, *, access: Access, platform_id: uuid.UUID) -> list[Criterion]:
    platform_in_reach(session, access, platform_id)
    return list(
        session.exec(
            select(Criterion)
            .where(Criterion.platform_id == platform_id)
            .order_by(col(Criterion.code))
        ).all()
    )


# -- scores --------------------------------------------------------------------------------


def record_scores(
    session: Session, *, access: Access, value_chain_id: uuid.UUID, data: ScoreSheet
) -> list[Score]:
    """Set one scorer's scores of a chain (each criterion named replaces that scorer's earlier
    score); every score is checked before any is written."""
    chain = get_chain(session, access, value_chain_id, manage=True)
    if chain.status == ValueChainStatus.dropped:
        raise Conflict(
            "A dropped value chain is not scored.",
            code="value_chain_dropped",
            extra={"current_status": chain.status},
        )
    scorer = SECRETARIAT_KEY
    if data.scorer_organisation_id is not None:
        platform = session.get(Platform, chain.platform_id)
        assert platform is not None
        organisation = organisations.named_in(
            session,
            data.scorer_organisation_id,
            root_of(platform),
            pointer="/body/scorer_organisation_id",
        )
        scorer = str(organisation.id)
    wanted = [entry.criterion_id for entry in data.scores]
    criteria = {
        c.id: c
        for c in session.exec(
            select(Criterion)
            .where(col(Criterion.id).in_(wanted))
            .where(Criterion.platform_id == chain.platform_id)
        ).all()
    }
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(data.scores):
        pointer = f"/body/scores/{index}"
        criterion = criteria.get(entry.criterion_id)
        if criterion is None:
            raise field_error(f"{pointer}/criterion_id", "unknown_criterion", "No such criterion.")
        if entry.criterion_id in seen:
            raise field_error(
                f"{pointer}/criterion_id", "duplicate_criterion", "Each criterion once."
            )
        seen.add(entry.criterion_id)
        if not criterion.scale_min <= entry.score <= criterion.scale_max:
            raise field_error(
                f"{pointer}/score",
                "score_out_of_scale",
                f"Score from {criterion.scale_min} to {criterion.scale_max}.",
            )
    existing = {
        s.criterion_id: s
        for s in session.exec(
            select(Score)
            .where(Score.value_chain_id == chain.id)
            .where(Score.scorer_key == scorer)
            .where(col(Score.criterion_id).in_(wanted))
        ).all()
    }
    saved = []
    for entry in data.scores:
        score = existing.get(entry.criterion_id) or Score(
            value_chain_id=chain.id,
            criterion_id=entry.criterion_id,
            scorer_key=scorer,
            scorer_organisation_id=data.scorer_organisation_id,
            score=entry.score,
        )
        score.score = entry.score
        score.recorded_by_id = access.user.id
        session.add(score)
        saved.append(score)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:  # the same scorer, at the same moment
        raise Conflict(
            "These scores were being recorded at the same time; retry.", code="concurrent_update"
        ) from exc
    # Scores change the chain's ranking: its version moves so cached reads are refreshed.
    session.execute(
        update(ValueChain)
        .where(col(ValueChain.id) == chain.id)
        .values(version=col(ValueChain.version) + 1)
    )
    return saved


def list_scores(session: Session, *, access: Access, value_chain_id: uuid.UUID) -> list[Score]:
    chain = get_chain(session, access, value_chain_id)
    return list(
        session.exec(
            select(Score)
            .where(Score.value_chain_id == chain.id)
            .order_by(col(Score.criterion_id), col(Score.scorer_key))
        ).all()
    )


# -- ranking -------------------------------------------------------------------------------


def ranking(session: Session, *, access: Access, platform_id: uuid.UUID) -> Ranking:
    """Every chain of the platform with its weighted score out of 100 (docs/value-chains.md):
    per criterion, the mean of its scorers' scores, placed on 0–1 by the criterion's scale
    (reversed where a high score is bad), times the criterion's share of the total weight.
    A criterion nobody scored adds nothing and is named in ``missing_criteria``."""
    platform_in_reach(session, access, platform_id)
    criteria = list(
        session.exec(
            select(Criterion)
            .where(Criterion.platform_id == platform_id)
            .order_by(col(Criterion.code))
        ).all()
    )
    chains = list(
        session.exec(
            select(ValueChain)
            .where(ValueChain.platform_id == platform_id)
            .order_by(col(ValueChain.name_key), col(ValueChain.id))
        ).all()
    )
    scores: dict[tuple[uuid.UUID, uuid.UUID], list[float]] = defaultdict(list)
    scorers: dict[uuid.UUID, set[str]] = defaultdict(set)
    for chain_id, criterion_id, scorer, value in session.exec(
        select(Score.value_chain_id, Score.criterion_id, Score.scorer_key, Score.score)
        .join(ValueChain, col(ValueChain.id) == Score.value_chain_id)
        .where(ValueChain.platform_id == platform_id)
    ).all():
        scores[(chain_id, criterion_id)].append(value)
        scorers[chain_id].add(scorer)
    total_weight = sum(c.weight for c in criteria)
    ranked = [
        _rank_chain(chain, criteria, scores, len(scorers[chain.id]), total_weight)
        for chain in chains
    ]
    scored = sorted(
        (r for r in ranked if r.score is not None), key=lambda r: (-(r.score or 0), r.name)
    )
    for position, row in enumerate(scored, start=1):
        previous = scored[position - 2] if position > 1 else None
        row.rank = previous.rank if previous and previous.score == row.score else position
    unscored = [r for r in ranked if r.score is None]
    rules = current_regulations(session, platform_id)
    prioritised = sum(1 for c in chains if c.status == ValueChainStatus.prioritised)
    warnings = []
    if not criteria:
        warnings.append(
            Warning(code="no_criteria", message="No prioritisation criteria are defined yet.")
        )
    if prioritised < rules.min_prioritised_value_chains:
        warnings.append(
            Warning(
                code="prioritised_below_target",
                message=f"{prioritised} value chain(s) prioritised; the programme asks for "
                f"at least {rules.min_prioritised_value_chains}.",
            )
        )
    return Ranking(
        platform_id=platform_id,
        total_weight=total_weight,
        prioritised=prioritised,
        min_prioritised=rules.min_prioritised_value_chains,
        chains=scored + unscored,
        warnings=warnings,
    )


def _rank_chain(
    chain: ValueChain,
    criteria: list[Criterion],
    scores: dict[tuple[uuid.UUID, uuid.UUID], list[float]],
    scorers: int,
    total_weight: float,
) -> RankedValueChain:
    contributions = []
    missing = []
    points = 0.0
    for criterion in criteria:
        given = scores.get((chain.id, criterion.id), [])
        if not given:
            missing.append(criterion.code)
            contributions.append(
                CriterionContribution(
                    criterion_id=criterion.id,
                    code=criterion.code,
                    weight=criterion.weight,
                    scorers=0,
                    mean=None,
                    normalised=None,
                    contribution=0.0,
                )
            )
            continue
        mean = sum(given) / len(given)
        normalised = (mean - criterion.scale_min) / (criterion.scale_max - criterion.scale_min)
        if not criterion.higher_is_better:
            normalised = 1 - normalised
        contribution = normalised * criterion.weight / total_weight * 100 if total_weight else 0
        points += contribution
        contributions.append(
            CriterionContribution(
                criterion_id=criterion.id,
                code=criterion.code,
                weight=criterion.weight,
                scorers=len(given),
                mean=round(mean, 4),
                normalised=round(normalised, 4),
                contribution=round(contribution, 2),
            )
        )
    any_scored = len(missing) < len(criteria)
    score = round(points, 2) if any_scored else None
    return RankedValueChain(
        rank=None,
        value_chain_id=chain.id,
        name=chain.name,
        name_km=chain.name_km,
        status=ValueChainStatus(chain.status),
        score=score,
        scorers=scorers,
        missing_criteria=missing,
        criteria=contributions,
    )


def link_focus_group(session: Session, chain: ValueChain, body_id: uuid.UUID) -> None:
    """Bind the focus group to the chain, once: of two concurrent requests one wins, the
    other answers 409 ``focus_group_exists`` (and its body rolls back with it)."""
    result = session.execute(
        update(ValueChain)
        .where(col(ValueChain.id) == chain.id)
        .where(col(ValueChain.focus_group_id).is_(None))
        .values(focus_group_id=body_id, version=col(ValueChain.version) + 1)
    )
    if not rows_changed(result):
        raise Conflict("The value chain already has its focus group.", code="focus_group_exists")
    session.refresh(chain)
