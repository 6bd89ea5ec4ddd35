"""Targets per indicator: one current target per indicator of a platform (baseline, target
value, the period it is for), set by the secretariat; every setting is kept as history.

The table is the platforms' inclusion targets, seeded with the programme's numbers when a
platform is created; a PATCH of an indicator of the catalogue without a target creates it.
"""

import uuid

from sqlmodel import Session, col, select

from plased.access import Access, managed_platform, platform_in_reach
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import NotFound, field_error
from plased.pagination import PageParams, paginate
from plased.platforms.models import InclusionTarget, InclusionTargetChange
from plased.platforms.schemas import TargetUpdate
from plased.platforms.service import record_target
from plased.reporting import catalogue

TARGET_SORTS = {"indicator_code": col(InclusionTarget.indicator_code)}


def list_targets(
    session: Session, *, access: Access, platform_id: uuid.UUID, params: PageParams
) -> tuple[list[InclusionTarget], int]:
    platform_in_reach(session, access, platform_id)
    statement = select(InclusionTarget).where(InclusionTarget.platform_id == platform_id)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=TARGET_SORTS,
        default_sort=["indicator_code"],
        tiebreak=col(InclusionTarget.id),
        updated_column=col(InclusionTarget.updated_at),
    )


def _target(session: Session, platform_id: uuid.UUID, code: str) -> InclusionTarget | None:
    return session.exec(
        select(InclusionTarget)
        .where(InclusionTarget.platform_id == platform_id)
        .where(InclusionTarget.indicator_code == code)
    ).first()


def update_target(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    indicator_code: str,
    data: TargetUpdate,
    if_match: str | None,
) -> InclusionTarget:
    platform = managed_platform(session, access, platform_id)
    indicator = catalogue.BY_CODE.get(indicator_code)
    target = _target(session, platform_id, indicator_code)
    if indicator is None or platform.kind not in indicator.kinds:
        raise NotFound
    changes = data.changes()
    new = target is None
    if target is None:
        if "target_value" not in changes:
            raise field_error(
                "/body/target_value", "required", "A first target needs a target value."
            )
        target = InclusionTarget(
            platform_id=platform_id,
            indicator_code=indicator_code,
            description=indicator.title,
            description_km=indicator.title_km,
            target_value=changes["target_value"],
        )
    else:
        check_if_match(if_match, target.version)
    for name in ("target_value", "baseline"):
        amount = changes.get(name)
        if amount is not None and not catalogue.unit_fits(indicator, amount):
            raise field_error(
                f"/body/{name}",
                "wrong_unit",
                f"The indicator is measured in {indicator.unit}: "
                + ("a share from 0 to 1." if indicator.unit == "share" else "a whole number."),
            )
    start = changes.get("period_start", target.period_start)
    end = changes.get("period_end", target.period_end)
    if start and end and end < start:
        raise field_error(
            "/body/period_end", "period_inverted", "The period ends before it starts."
        )
    if not changes:
        return target
    target.sqlmodel_update(changes)
    if not new:
        bump(target)
    session.add(target)
    session.flush()
    session.add(record_target(target, access.user.id))
    session.flush()
    return target


def history(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    indicator_code: str,
    params: PageParams,
) -> tuple[list[InclusionTargetChange], int]:
    platform_in_reach(session, access, platform_id)
    target = _target(session, platform_id, indicator_code)
    if target is None:
        raise NotFound
    return paginate(
        session,
        select(InclusionTargetChange).where(InclusionTargetChange.target_id == target.id),
        params,
        allowed_sorts={"version": col(InclusionTargetChange.version)},
        default_sort=["version"],
        tiebreak=col(InclusionTargetChange.id),
        updated_column=col(InclusionTargetChange.changed_at),  # a history never changes
    )
