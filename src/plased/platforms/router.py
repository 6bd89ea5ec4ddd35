import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status

from plased.access import AccessDep, OptionalAccessDep
from plased.auth.deps import RequireAdmin
from plased.concurrency import IfMatch, cached, with_etag
from plased.db import SessionDep
from plased.pagination import Page, PageDep, page_of, sort_keys
from plased.platforms import service
from plased.platforms.models import PlatformKind, PlatformStatus
from plased.platforms.schemas import (
    PlatformPublic,
    PlatformUpdate,
    RegulationsPublic,
    RegulationsUpdate,
)
from plased.routing import DomainRouter

router = DomainRouter(prefix="/platforms", tags=["platforms"])


@router.get(
    "",
    operation_id="platforms-list",
    openapi_extra=sort_keys("code", "name"),
    response_model=Page[PlatformPublic],
)
def list_platforms(
    request: Request,
    response: Response,
    session: SessionDep,
    access: OptionalAccessDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    kind: PlatformKind | None = None,
    status: PlatformStatus | None = None,
) -> Page[PlatformPublic]:
    rows = service.list_platforms(
        session, access=access, params=page, q=q, kind=kind, status=status
    )
    return page_of(request, response, page, rows, PlatformPublic)


@router.get(
    "/{platform_id}",
    operation_id="platforms-get",
    response_model=PlatformPublic,
    responses={304: {"description": "Not modified"}},
)
def get_platform(
    request: Request,
    response: Response,
    session: SessionDep,
    access: OptionalAccessDep,
    platform_id: uuid.UUID,
) -> PlatformPublic | Response:
    platform = service.get_platform(session, access=access, platform_id=platform_id)
    return cached(request, response, platform.version) or PlatformPublic.model_validate(platform)


@router.patch("/{platform_id}", operation_id="platforms-update", response_model=PlatformPublic)
def update_platform(
    response: Response,
    session: SessionDep,
    _admin: RequireAdmin,
    platform_id: uuid.UUID,
    body: PlatformUpdate,
    if_match: IfMatch = None,
) -> PlatformPublic:
    platform = service.update_platform(
        session, platform_id=platform_id, data=body, if_match=if_match
    )
    with_etag(response, platform.version)
    return PlatformPublic.model_validate(platform)


@router.delete(
    "/{platform_id}", operation_id="platforms-archive", status_code=status.HTTP_204_NO_CONTENT
)
def archive_platform(
    session: SessionDep, _admin: RequireAdmin, platform_id: uuid.UUID, if_match: IfMatch = None
) -> None:
    """Archives the platform (it is never deleted; its history stays)."""
    service.archive_platform(session, platform_id=platform_id, if_match=if_match)


@router.get(
    "/{platform_id}/regulations",
    operation_id="regulations-get",
    response_model=RegulationsPublic,
    responses={304: {"description": "Not modified"}},
)
def get_regulations(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
) -> RegulationsPublic | Response:
    regulations = service.read_regulations(session, access=access, platform_id=platform_id)
    return cached(request, response, regulations.version) or RegulationsPublic.model_validate(
        regulations
    )


@router.put(
    "/{platform_id}/regulations",
    operation_id="regulations-update",
    response_model=RegulationsPublic,
)
def update_regulations(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: RegulationsUpdate,
    if_match: IfMatch = None,
) -> RegulationsPublic:
    """Adopts a new version of the regulations; earlier versions stay in the history."""
    regulations = service.update_regulations(
        session, access=access, platform_id=platform_id, data=body, if_match=if_match
    )
    with_etag(response, regulations.version)
    return RegulationsPublic.model_validate(regulations)


@router.get(
    "/{platform_id}/regulations/history",
    operation_id="regulations-history",
    openapi_extra=sort_keys("version"),
    response_model=Page[RegulationsPublic],
)
def regulations_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[RegulationsPublic]:
    rows = service.regulations_history(session, access=access, platform_id=platform_id, params=page)
    return page_of(request, response, page, rows, RegulationsPublic)
