"""Platforms, regulations (versioned) and inclusion targets."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased.access import Access, managed_platform, platform_in_reach, public_platform
from plased.auth.models import User
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import Conflict, NotFound, field_error
from plased.pagination import PageParams, like_escape, paginate, text_contains
from plased.platforms.defaults import DEFAULT_REGULATIONS, targets_for
from plased.platforms.models import (
    InclusionTarget,
    InclusionTargetChange,
    Platform,
    PlatformKind,
    PlatformStatus,
    Regulations,
)
from plased.platforms.schemas import PlatformCreate, PlatformUpdate, RegulationsUpdate

PLATFORM_SORTS = {
    "code": col(Platform.code),
    "name": col(Platform.name),
}


def list_platforms(
    session: Session,
    *,
    access: Access | None,
    params: PageParams,
    q: str | None,
    kind: PlatformKind | None,
    status: PlatformStatus | None,
) -> tuple[list[Platform], int]:
    """Active platforms are public (a directory needs them); archived ones only for admins."""
    statement = select(Platform)
    if access is None or not access.is_admin:
        statement = statement.where(Platform.status == PlatformStatus.active)
    if status is not None:
        statement = statement.where(Platform.status == status)
    if kind is not None:
        statement = statement.where(Platform.kind == kind)
    if q:
        pattern = f"%{like_escape(q.lower())}%"
        statement = statement.where(
            or_(
                text_contains(Platform.name, q, lower=True),
                text_contains(Platform.name_km, q),
                col(Platform.code).like(pattern, escape="\\"),
            )
        )
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=PLATFORM_SORTS,
        default_sort=["code"],
        tiebreak=col(Platform.id),
        updated_column=col(Platform.updated_at),
    )


def get_platform(session: Session, *, access: Access | None, platform_id: uuid.UUID) -> Platform:
    return public_platform(session, platform_id, access)


def create_platform(session: Session, *, actor: User | None, data: PlatformCreate) -> Platform:
    """The platform with its first regulations and the programme's targets. What other
    domains give a new platform (a taxonomy, a general assembly) is plased.provisioning's."""
    _check_parent(session, data.kind, data.parent_id)
    if session.exec(select(Platform.id).where(Platform.code == data.code)).first():
        raise Conflict("A platform with this code exists.", code="platform_code_taken")
    platform = Platform(**data.model_dump())
    session.add(platform)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict("A platform with this code exists.", code="platform_code_taken") from exc
    session.add(
        Regulations(
            platform_id=platform.id,
            version=1,
            created_by_id=actor.id if actor else None,
            **DEFAULT_REGULATIONS,
        )
    )
    targets = [
        InclusionTarget(
            platform_id=platform.id,
            indicator_code=code,
            description=description,
            description_km=description_km,
            target_value=value,
        )
        for code, (description, description_km, value) in targets_for(platform.kind).items()
    ]
    session.add_all(targets)
    session.flush()
    session.add_all(record_target(target, actor.id if actor else None) for target in targets)
    session.flush()
    return platform


def record_target(target: InclusionTarget, actor_id: uuid.UUID | None) -> InclusionTargetChange:
    """The target as it now stands, for its history."""
    return InclusionTargetChange(
        target_id=target.id,
        version=target.version,
        baseline=target.baseline,
        target_value=target.target_value,
        period_start=target.period_start,
        period_end=target.period_end,
        changed_by_id=actor_id,
    )


def _check_parent(session: Session, kind: PlatformKind, parent_id: uuid.UUID | None) -> None:
    if kind == PlatformKind.plased:
        if parent_id is not None:
            raise field_error(
                "/body/parent_id", "parent_not_allowed", "A PLASED platform has no parent."
            )
        return
    if parent_id is None:
        raise field_error(
            "/body/parent_id", "parent_required", "A COSS belongs to a PLASED platform."
        )
    parent = session.get(Platform, parent_id)
    if parent is None or parent.kind != PlatformKind.plased:
        raise field_error(
            "/body/parent_id", "invalid_parent", "The parent must be an existing PLASED platform."
        )


def update_platform(
    session: Session, *, platform_id: uuid.UUID, data: PlatformUpdate, if_match: str | None
) -> Platform:
    platform = session.get(Platform, platform_id)
    if platform is None:
        raise NotFound
    check_if_match(if_match, platform.version)
    changes = data.changes()
    if changes:
        platform.sqlmodel_update(changes)
        bump(platform)
        session.add(platform)
    return platform


def archive_platform(session: Session, *, platform_id: uuid.UUID, if_match: str | None) -> None:
    """Platforms are archived, never deleted: their history stays for reporting."""
    platform = session.get(Platform, platform_id)
    if platform is None:
        raise NotFound
    check_if_match(if_match, platform.version)
    if platform.status != PlatformStatus.archived:
        platform.status = PlatformStatus.archived
        bump(platform)
        session.add(platform)


def current_regulations(session: Session, platform_id: uuid.UUID) -> Regulations:
    regulations = session.exec(
        select(Regulations)
        .where(Regulations.platform_id == platform_id)
        .order_by(col(Regulations.version).desc())
        .limit(1)
    ).first()
    if regulations is None:  # every platform is created with version 1
        raise NotFound
    return regulations


def is_youth(rules: Regulations, birth_year: int | None, *, year: int | None = None) -> bool | None:
    """Youth is derived from the regulations' age range, this year or in ``year`` (the age
    one turns that year); unknown without a birth year."""
    if birth_year is None:
        return None
    age = (year or datetime.now(UTC).year) - birth_year
    return rules.youth_min_age <= age <= rules.youth_max_age


def read_regulations(session: Session, *, access: Access, platform_id: uuid.UUID) -> Regulations:
    platform_in_reach(session, access, platform_id)
    return current_regulations(session, platform_id)


def regulations_history(
    session: Session, *, access: Access, platform_id: uuid.UUID, params: PageParams
) -> tuple[list[Regulations], int]:
    platform_in_reach(session, access, platform_id)
    statement = select(Regulations).where(Regulations.platform_id == platform_id)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={"version": col(Regulations.version)},
        default_sort=["-version"],
        tiebreak=col(Regulations.id),
        # A version never changes once adopted.
        updated_column=col(Regulations.created_at),
    )


def update_regulations(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    data: RegulationsUpdate,
    if_match: str | None,
) -> Regulations:
    managed_platform(session, access, platform_id)
    current = current_regulations(session, platform_id)
    check_if_match(if_match, current.version)
    values: dict[str, Any] = data.model_dump()
    new = Regulations(
        platform_id=platform_id, version=current.version + 1, created_by_id=access.user.id, **values
    )
    try:
        with session.begin_nested():
            session.add(new)
            session.flush()
    except IntegrityError as exc:  # a concurrent update took this version number
        raise Conflict(
            "The regulations were changed at the same moment; fetch them and retry.",
            code="concurrent_update",
        ) from exc
    return new
