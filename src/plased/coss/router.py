"""The service taxonomy, the service directory, needs and gaps."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status
from sqlmodel import Session

from plased.access import Access, AccessDep, OptionalAccessDep, managed_platform
from plased.concurrency import IfMatch, cached, with_etag
from plased.coss import needs, services, taxonomy
from plased.coss.models import (
    Language,
    Need,
    NeedSource,
    ServiceCategory,
    ServiceStatus,
    TargetGroup,
)
from plased.coss.schemas import (
    CategoryCreate,
    CategoryPublic,
    CategoryUpdate,
    NeedCreate,
    NeedPublic,
    ServiceCreate,
    ServicePublic,
    ServiceUpdate,
)
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.pagination import Page, PageDep, page_list, page_of, page_with, sort_keys
from plased.routing import DomainRouter

router = DomainRouter(tags=["coss"])


@router.get(
    "/platforms/{platform_id}/service-categories",
    operation_id="service-categories-list",
    response_model=Page[CategoryPublic],
    openapi_extra=sort_keys("code", "name"),
)
def list_categories(
    request: Request,
    response: Response,
    session: SessionDep,
    access: OptionalAccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[CategoryPublic]:
    """The two-level, bilingual taxonomy of the platform (public); ``limit=200`` takes the
    whole of it in one request."""
    found = taxonomy.public_categories(session, platform_id, access)
    return page_list(request, response, page, found, CategoryPublic)


@router.post(
    "/platforms/{platform_id}/service-categories",
    operation_id="service-categories-create",
    response_model=CategoryPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_category(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID, body: CategoryCreate
) -> ServiceCategory:
    _require_secretariat(session, access, platform_id)
    return taxonomy.create_category(
        session,
        platform_id=platform_id,
        code=body.code,
        name=body.name,
        name_km=body.name_km,
        parent_id=body.parent_id,
    )


@router.patch(
    "/service-categories/{category_id}",
    operation_id="service-categories-update",
    response_model=CategoryPublic,
)
def update_category(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    category_id: uuid.UUID,
    body: CategoryUpdate,
    if_match: IfMatch = None,
) -> ServiceCategory:
    category = taxonomy.find(session, category_id)
    _require_secretariat(session, access, category.platform_id)
    category = taxonomy.update_category(
        session, category=category, changes=body.changes(), if_match=if_match
    )
    with_etag(response, category.version)
    return category


def _require_secretariat(session: Session, access: Access, platform_id: uuid.UUID) -> None:
    managed_platform(session, access, platform_id)


@router.get(
    "/services",
    operation_id="services-list",
    openapi_extra=sort_keys("name", "updated_at"),
    response_model=Page[ServicePublic],
)
def list_services(
    request: Request,
    response: Response,
    session: SessionDep,
    access: OptionalAccessDep,
    page: PageDep,
    platform_id: uuid.UUID | None = None,
    category_id: Annotated[uuid.UUID | None, Query(description="Includes subcategories")] = None,
    unit_id: Annotated[
        uuid.UUID | None, Query(description="Services covering this unit or a unit above it")
    ] = None,
    target_group: TargetGroup | None = None,
    language: Language | None = None,
    provider_id: uuid.UUID | None = None,
    status: Annotated[
        ServiceStatus | None, Query(description="Only the secretariat and the provider see others")
    ] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[ServicePublic]:
    """The public directory: published services for everyone."""
    items, total = services.list_services(
        session,
        access=access,
        params=page,
        platform_id=platform_id,
        category_id=category_id,
        unit_id=unit_id,
        target_group=target_group,
        language=language,
        provider_id=provider_id,
        status=status,
        q=q,
    )
    return page_with(request, response, page, services.present(session, items), total)


@router.post(
    "/services",
    operation_id="services-create",
    response_model=ServicePublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_service(
    response: Response, session: SessionDep, access: AccessDep, body: ServiceCreate
) -> ServicePublic:
    service = services.create(session, access=access, data=body)
    response.headers["Location"] = f"/api/v1/services/{service.id}"
    with_etag(response, service.version)
    return services.present(session, [service])[0]


@router.get(
    "/services/{service_id}",
    operation_id="services-get",
    response_model=ServicePublic,
    responses={304: {"description": "Not modified"}},
)
def get_service(
    request: Request,
    response: Response,
    session: SessionDep,
    access: OptionalAccessDep,
    service_id: uuid.UUID,
) -> ServicePublic | Response:
    service = services.get_readable(session, access, service_id)
    return cached(request, response, service.version) or services.present(session, [service])[0]


@router.patch(
    "/services/{service_id}", operation_id="services-update", response_model=ServicePublic
)
def update_service(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    service_id: uuid.UUID,
    body: ServiceUpdate,
    if_match: IfMatch = None,
) -> ServicePublic:
    service = services.update(
        session, access=access, service_id=service_id, data=body, if_match=if_match
    )
    with_etag(response, service.version)
    return services.present(session, [service])[0]


@router.post(
    "/platforms/{platform_id}/needs",
    operation_id="needs-create",
    response_model=NeedPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_need(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID, body: NeedCreate
) -> Need:
    return needs.create(session, access=access, platform_id=platform_id, data=body)


@router.get(
    "/platforms/{platform_id}/needs",
    operation_id="needs-list",
    openapi_extra=sort_keys("need_date"),
    response_model=Page[NeedPublic],
)
def list_needs(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    category_id: uuid.UUID | None = None,
    source: NeedSource | None = None,
) -> Page[NeedPublic]:
    rows = needs.list_needs(
        session,
        access=access,
        platform_id=platform_id,
        params=page,
        category_id=category_id,
        source=source,
    )
    return page_of(request, response, page, rows, NeedPublic)
