"""Reports across domains: needs against supply, with unserved referrals; who a platform
brings together."""

import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from plased.access import AccessDep
from plased.coss.schemas import GapReport
from plased.db import SessionDep
from plased.members.schemas import Composition
from plased.reporting import composition, gaps
from plased.reporting.gaps import Level

router = APIRouter()


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
