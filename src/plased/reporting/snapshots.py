"""Snapshots: the indicators of a period frozen for a report (a donor's, a board's).

A snapshot stores the report as it was published then (suppressed as every report is) and is
never changed: there is no update and no delete. Comparing it with the live values computes
the same period again now.
"""

import uuid

from sqlmodel import Session, col, select

from plased.access import Access, managed_platform
from plased.errors import NotFound
from plased.pagination import PageParams, paginate
from plased.reporting import catalogue, indicators
from plased.reporting.models import IndicatorSnapshot
from plased.reporting.schemas import (
    ComparisonRow,
    IndicatorReport,
    SnapshotComparison,
    SnapshotCreate,
    SnapshotPublic,
    SnapshotSummary,
)

SORTS = {"created_at": col(IndicatorSnapshot.created_at)}


def create(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: SnapshotCreate
) -> IndicatorSnapshot:
    platform = managed_platform(session, access, platform_id)
    indicators.check_period(data.period_from, data.period_to, pointer="/body/period_to")
    report = indicators.compute_report(
        session,
        platform,
        data.period_from,
        data.period_to,
        catalogue.for_kind(platform.kind),
        fine=True,
    )
    snapshot = IndicatorSnapshot(
        platform_id=platform_id,
        period_from=data.period_from,
        period_to=data.period_to,
        title=data.title,
        title_km=data.title_km,
        report=report.model_dump(mode="json"),
        created_by_id=access.user.id,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def listed(
    session: Session, *, access: Access, platform_id: uuid.UUID, params: PageParams
) -> tuple[list[IndicatorSnapshot], int]:
    indicators.readable_platform(session, access, platform_id)
    return paginate(
        session,
        select(IndicatorSnapshot).where(IndicatorSnapshot.platform_id == platform_id),
        params,
        allowed_sorts=SORTS,
        default_sort=["-created_at"],
        tiebreak=col(IndicatorSnapshot.id),
        updated_column=col(IndicatorSnapshot.created_at),  # frozen when taken
    )


def read(
    session: Session, *, access: Access, platform_id: uuid.UUID, snapshot_id: uuid.UUID
) -> SnapshotPublic:
    """The snapshot as the caller may read it (no breakdown below district for staff)."""
    _, fine = indicators.readable_platform(session, access, platform_id)
    return present(_of_platform(session, platform_id, snapshot_id), fine=fine)


def _of_platform(
    session: Session, platform_id: uuid.UUID, snapshot_id: uuid.UUID
) -> IndicatorSnapshot:
    """The platform's snapshot (the caller's reach is checked by whoever calls this)."""
    snapshot = session.get(IndicatorSnapshot, snapshot_id)
    if snapshot is None or snapshot.platform_id != platform_id:
        raise NotFound
    return snapshot


def present(snapshot: IndicatorSnapshot, *, fine: bool = True) -> SnapshotPublic:
    report = IndicatorReport.model_validate(snapshot.report)
    if not fine:
        for row in report.indicators:
            row.breakdowns = [
                b for b in row.breakdowns if b.dimension not in catalogue.BELOW_DISTRICT
            ]
    return SnapshotPublic(**summary(snapshot).model_dump(), report=report)


def summary(snapshot: IndicatorSnapshot) -> SnapshotSummary:
    return SnapshotSummary.model_validate(snapshot, from_attributes=True)


def compare(
    session: Session, *, access: Access, platform_id: uuid.UUID, snapshot_id: uuid.UUID
) -> SnapshotComparison:
    platform, fine = indicators.readable_platform(session, access, platform_id)
    snapshot = _of_platform(session, platform_id, snapshot_id)
    frozen = IndicatorReport.model_validate(snapshot.report)
    codes = [row.code for row in frozen.indicators if row.code in catalogue.BY_CODE]
    live = indicators.compute_report(
        session,
        platform,
        snapshot.period_from,
        snapshot.period_to,
        tuple(catalogue.BY_CODE[code] for code in codes),
        fine=fine,
    )
    now = {row.code: row for row in live.indicators}
    rows = []
    for row in frozen.indicators:
        current = now.get(row.code)
        live_value = current.value if current else None
        rows.append(
            ComparisonRow(
                code=row.code,
                title=row.title,
                title_km=row.title_km,
                unit=row.unit,
                frozen=row.value,
                live=live_value,
                difference=(
                    round(live_value - row.value, 4)
                    if live_value is not None and row.value is not None
                    else None
                ),
                frozen_met=row.met,
                live_met=current.met if current else None,
            )
        )
    return SnapshotComparison(
        snapshot_id=snapshot.id,
        period_from=snapshot.period_from,
        period_to=snapshot.period_to,
        frozen_at=snapshot.created_at,
        rows=rows,
    )
