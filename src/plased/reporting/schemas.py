"""What the indicators, their exports and their snapshots answer."""

import uuid
from datetime import date, datetime

from pydantic import Field

from plased.instants import Day
from plased.schemas import RequestModel, ResponseModel


class IndicatorCell(ResponseModel):
    """One cell of a breakdown: ``count`` is null (and ``suppressed`` true) when it could
    point at a person, or help recover a cell that could."""

    key: str
    label: str | None
    label_km: str | None
    count: int | None
    suppressed: bool


class IndicatorBreakdown(ResponseModel):
    dimension: str
    cells: list[IndicatorCell]


class IndicatorValue(ResponseModel):
    code: str
    title: str
    title_km: str
    unit: str
    direction: str
    value: float | None = Field(description="null when suppressed or when nothing to measure")
    suppressed: bool
    baseline: float | None
    target: float | None
    target_period_start: date | None
    target_period_end: date | None
    met: bool | None = Field(description="null without a target or a published value")
    breakdowns: list[IndicatorBreakdown]


class IndicatorReport(ResponseModel):
    platform_id: uuid.UUID
    period_from: date | None
    period_to: date | None
    indicators: list[IndicatorValue]


class IndicatorDefinition(ResponseModel):
    code: str
    title: str
    title_km: str
    definition: str
    unit: str
    direction: str
    breakdowns: list[str]
    platform_kinds: list[str]


class SnapshotCreate(RequestModel):
    """Freezes the indicators of a period (either end may be open) under a title."""

    period_from: Day | None = None
    period_to: Day | None = None
    title: str = Field(min_length=1, max_length=200)
    title_km: str | None = Field(default=None, max_length=200)


class SnapshotSummary(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    period_from: date | None
    period_to: date | None
    title: str
    title_km: str | None
    created_by_id: uuid.UUID | None
    created_at: datetime


class SnapshotPublic(SnapshotSummary):
    report: IndicatorReport


class ComparisonRow(ResponseModel):
    code: str
    title: str
    title_km: str
    unit: str
    frozen: float | None
    live: float | None
    difference: float | None
    frozen_met: bool | None
    live_met: bool | None


class SnapshotComparison(ResponseModel):
    snapshot_id: uuid.UUID
    period_from: date | None
    period_to: date | None
    frozen_at: datetime
    rows: list[ComparisonRow]
