"""Reports across domains: needs against supply, with unserved referrals; who a platform
brings together; the programme's indicators, their targets, exports and snapshots."""

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response
from fastapi.responses import JSONResponse

from plased.access import AccessDep
from plased.concurrency import IfMatch, with_etag
from plased.coss.schemas import GapReport
from plased.db import SessionDep
from plased.errors import field_error
from plased.idempotency import idempotent
from plased.instants import Day
from plased.members.schemas import Composition
from plased.pagination import Page, PageDep, page_list, page_of, page_with, sort_keys
from plased.platforms.schemas import TargetChangePublic, TargetPublic, TargetUpdate
from plased.reporting import catalogue, composition, exports, gaps, indicators, snapshots, targets
from plased.reporting.gaps import Level
from plased.reporting.schemas import (
    IndicatorDefinition,
    IndicatorReport,
    SnapshotComparison,
    SnapshotCreate,
    SnapshotPublic,
    SnapshotSummary,
)
from plased.routing import DomainRouter

router = DomainRouter()

IndicatorCode = Annotated[str, Path(max_length=60, pattern=r"^[a-z0-9_]+$")]
From = Annotated[Day | None, Query(alias="from", description="First day of the period")]
To = Annotated[Day | None, Query(alias="to", description="Last day of the period (included)")]
Codes = Annotated[
    list[Annotated[str, Query(max_length=60)]] | None,
    Query(alias="indicator", description="Only these indicators (repeat the parameter)"),
]
_PERIOD_PARAMETERS = frozenset({"from", "to", "indicator"})
_LIST_PARAMETERS = frozenset({"limit", "offset", "sort", "updated_since"})


def _only(request: Request, allowed: frozenset[str]) -> None:
    """Every query parameter is honoured or refused: an unknown one is a 422."""
    for name in request.query_params:
        if name not in allowed:
            raise field_error(
                f"/query/{name}", "unknown_parameter", "This parameter is not taken here."
            )


@router.get(
    "/platforms/{platform_id}/service-gaps",
    operation_id="service-gaps-get",
    tags=["coss"],
    response_model=GapReport,
    responses={
        200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with Accept: text/csv"}
    },
)
def service_gaps(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    level: Level = "district",
    category_id: uuid.UUID | None = None,
) -> Response:
    """Needs versus supply per unit and category, largest gap first. ``Accept: text/csv``
    downloads the table (UTF-8 with BOM; formula-like cells quoted)."""
    report = gaps.gap_report(
        session, access=access, platform_id=platform_id, level=level, category_id=category_id
    )
    if "text/csv" in request.headers.get("accept", ""):
        return Response(
            gaps.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="service-gaps-{level}.csv"'},
        )
    return JSONResponse(report.model_dump(mode="json"))


@router.get(
    "/platforms/{platform_id}/composition",
    operation_id="platforms-composition",
    response_model=Composition,
    tags=["members"],
)
def platform_composition(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID
) -> Composition:
    """Active member organisations by kind, sector and level; people engaged (current
    representatives of active members and people trained, each once) by gender, youth and
    indigenous; the inclusion targets they are compared with."""
    return composition.composition(session, access=access, platform_id=platform_id)


# -- indicators ----------------------------------------------------------------------------


@router.get(
    "/indicators",
    operation_id="indicators-catalogue",
    openapi_extra=sort_keys("code"),
    response_model=Page[IndicatorDefinition],
    tags=["reporting"],
)
def indicator_catalogue(
    request: Request, response: Response, access: AccessDep, page: PageDep
) -> Page[IndicatorDefinition]:
    """Every indicator the API computes: code, titles, definition, unit, direction, the
    breakdowns it has and the kinds of platform it applies to (docs/indicators.md)."""
    _only(request, _LIST_PARAMETERS)
    return page_list(request, response, page, catalogue.definitions(), IndicatorDefinition)


def _read(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    start: Day | None,
    end: Day | None,
    codes: list[str] | None,
) -> indicators.Read:
    _only(request, _PERIOD_PARAMETERS)
    return indicators.read(
        session, access=access, platform_id=platform_id, start=start, end=end, codes=codes
    )


@router.get(
    "/platforms/{platform_id}/indicators",
    operation_id="indicators-get",
    response_model=IndicatorReport,
    tags=["reporting"],
)
def platform_indicators(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    start: From = None,
    end: To = None,
    codes: Codes = None,
) -> IndicatorReport:
    """Each indicator over the period (both days included, the platform's time zone): its
    value, target, whether it is met, and its breakdowns; small cells suppressed. Member
    organisations' staff get no breakdown below district level."""
    return _read(request, session, access, platform_id, start, end, codes).report


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/platforms/{platform_id}/indicators.csv",
    operation_id="indicators-csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The indicators as CSV"}},
    tags=["reporting"],
)
def indicators_csv(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    start: From = None,
    end: To = None,
    codes: Codes = None,
) -> Response:
    """One row per indicator and per breakdown cell; UTF-8 with BOM; formula-like text
    quoted."""
    report = _read(request, session, access, platform_id, start, end, codes).report
    return _download(
        exports.to_csv(report), "text/csv; charset=utf-8", exports.filename(report, "csv")
    )


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/platforms/{platform_id}/indicators.xlsx",
    operation_id="indicators-xlsx",
    response_class=Response,
    responses={200: {"content": {_XLSX: {}}, "description": "The indicators as a workbook"}},
    tags=["reporting"],
)
def indicators_xlsx(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    start: From = None,
    end: To = None,
    codes: Codes = None,
) -> Response:
    """A sheet ``indicators`` and a sheet per breakdown."""
    read = _read(request, session, access, platform_id, start, end, codes)
    dimensions = indicators.dimensions(read.platform, fine=read.fine)
    return _download(
        exports.to_xlsx(read.report, dimensions), _XLSX, exports.filename(read.report, "xlsx")
    )


@router.get(
    "/platforms/{platform_id}/indicators.html",
    operation_id="indicators-html",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "A printable page"}},
    tags=["reporting"],
)
def indicators_html(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    start: From = None,
    end: To = None,
    codes: Codes = None,
) -> Response:
    """A page to open in a browser and print: bilingual headings, each value against its
    target as a bar."""
    read = _read(request, session, access, platform_id, start, end, codes)
    report = read.report
    page = exports.to_html(report, read.platform.name, read.platform.name_km)
    return Response(
        page.encode("utf-8"),
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{exports.filename(report, "html")}"',
            "Content-Security-Policy": exports.HTML_POLICY,
        },
    )


# -- targets -------------------------------------------------------------------------------


@router.get(
    "/platforms/{platform_id}/targets",
    operation_id="targets-list",
    openapi_extra=sort_keys("indicator_code"),
    response_model=Page[TargetPublic],
    tags=["platforms"],
)
def list_targets(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[TargetPublic]:
    rows = targets.list_targets(session, access=access, platform_id=platform_id, params=page)
    return page_of(request, response, page, rows, TargetPublic)


@router.patch(
    "/platforms/{platform_id}/targets/{indicator_code}",
    operation_id="targets-update",
    response_model=TargetPublic,
    tags=["platforms"],
)
def update_target(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    indicator_code: IndicatorCode,
    body: TargetUpdate,
    if_match: IfMatch = None,
) -> TargetPublic:
    """Sets an indicator's baseline, target value and period (the secretariat); the earlier
    setting stays in the history. An indicator of the catalogue without a target gets one."""
    target = targets.update_target(
        session,
        access=access,
        platform_id=platform_id,
        indicator_code=indicator_code,
        data=body,
        if_match=if_match,
    )
    with_etag(response, target.version)
    return TargetPublic.model_validate(target)


@router.get(
    "/platforms/{platform_id}/targets/{indicator_code}/history",
    operation_id="targets-history",
    openapi_extra=sort_keys("version"),
    response_model=Page[TargetChangePublic],
    tags=["platforms"],
)
def target_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    indicator_code: IndicatorCode,
    page: PageDep,
) -> Page[TargetChangePublic]:
    """Every setting of the target, oldest first (the first: as seeded)."""
    rows = targets.history(
        session, access=access, platform_id=platform_id, indicator_code=indicator_code, params=page
    )
    return page_of(request, response, page, rows, TargetChangePublic)


# -- snapshots -----------------------------------------------------------------------------


@router.post(
    "/platforms/{platform_id}/indicator-snapshots",
    operation_id="indicator-snapshots-create",
    status_code=201,
    response_model=SnapshotPublic,
    tags=["reporting"],
)
@idempotent()
def create_snapshot(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: SnapshotCreate,
) -> SnapshotPublic:
    """Freezes the indicators of a period (the secretariat). A snapshot never changes."""
    snapshot = snapshots.create(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = (
        f"/api/v1/platforms/{platform_id}/indicator-snapshots/{snapshot.id}"
    )
    return snapshots.present(snapshot)


@router.get(
    "/platforms/{platform_id}/indicator-snapshots",
    operation_id="indicator-snapshots-list",
    openapi_extra=sort_keys("created_at"),
    response_model=Page[SnapshotSummary],
    tags=["reporting"],
)
def list_snapshots(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[SnapshotSummary]:
    """The platform's snapshots, newest first."""
    items, total = snapshots.listed(session, access=access, platform_id=platform_id, params=page)
    return page_with(request, response, page, [snapshots.summary(s) for s in items], total)


@router.get(
    "/platforms/{platform_id}/indicator-snapshots/{snapshot_id}",
    operation_id="indicator-snapshots-get",
    response_model=SnapshotPublic,
    tags=["reporting"],
)
def get_snapshot(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID, snapshot_id: uuid.UUID
) -> SnapshotPublic:
    """The snapshot with the report as it was frozen."""
    return snapshots.read(session, access=access, platform_id=platform_id, snapshot_id=snapshot_id)


@router.get(
    "/platforms/{platform_id}/indicator-snapshots/{snapshot_id}/comparison",
    operation_id="indicator-snapshots-compare",
    response_model=SnapshotComparison,
    tags=["reporting"],
)
def compare_snapshot(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID, snapshot_id: uuid.UUID
) -> SnapshotComparison:
    """Each indicator as frozen and as computed now for the same period."""
    return snapshots.compare(
        session, access=access, platform_id=platform_id, snapshot_id=snapshot_id
    )
