"""The HSDS 3.0 API profile and Data Package of a COSS platform's directory (public,
read-only; docs/hsds.md). Answers follow Open Referral's schemas, not this API's envelope."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Response

from plased.coss import hsds_api, hsds_package
from plased.coss.hsds_api import Paging, ServiceFilters
from plased.db import SessionDep
from plased.instants import Instant
from plased.routing import DomainRouter

router = DomainRouter(prefix="/platforms/{platform_id}/hsds", tags=["hsds"])

SCHEMAS = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _answer(schema: str, *, paged: bool = False) -> dict[int | str, dict[str, Any]]:
    """The 200 answer, named by the official HSDS 3.0 schema it follows."""
    what = f"a Page whose contents are {SCHEMAS}{schema}" if paged else f"{SCHEMAS}{schema}"
    return {200: {"description": f"HSDS 3.0: {what}"}}


def paging(
    page: Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1")] = 1,
    per_page: Annotated[int, Query(ge=1, le=200, description="Records per page")] = 50,
    response_format: Annotated[
        Literal["json"], Query(alias="format", description="Only `json` is offered")
    ] = "json",
) -> Paging:
    return Paging(page=page, per_page=per_page)


PagingDep = Annotated[Paging, Depends(paging)]
Search = Annotated[str | None, Query(max_length=200, description="Text in names, descriptions")]


def service_filters(
    search: Search = None,
    taxonomy_term_id: Annotated[
        uuid.UUID | None, Query(description="A term; a top term includes its subterms")
    ] = None,
    taxonomy_id: Annotated[uuid.UUID | None, Query(description="The directory's taxonomy")] = None,
    organization_id: Annotated[uuid.UUID | None, Query(description="The provider")] = None,
    modified_after: Annotated[
        Instant | None, Query(description="Changed at or after (RFC 3339 with an offset)")
    ] = None,
) -> ServiceFilters:
    return ServiceFilters(
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )


FiltersDep = Annotated[ServiceFilters, Depends(service_filters)]


@router.get("/", operation_id="hsds-index", response_model=dict[str, Any])
def index(session: SessionDep, platform_id: uuid.UUID) -> dict[str, Any]:
    """HSDS version and profile of this directory's API (public)."""
    return hsds_api.index(session, platform_id=platform_id)


@router.get(
    "/services",
    operation_id="hsds-services-list",
    response_model=dict[str, Any],
    responses=_answer("compiled/service_list.json", paged=True),
)
def list_services(
    session: SessionDep,
    platform_id: uuid.UUID,
    page: PagingDep,
    filters: FiltersDep,
    full: Annotated[bool, Query(description="Fully nested services")] = False,
) -> dict[str, Any]:
    """The directory's services, a page at a time (public)."""
    return hsds_api.list_services(
        session, platform_id=platform_id, paging=page, filters=filters, full=full
    )


@router.get(
    "/services/{service_id}",
    operation_id="hsds-services-get",
    response_model=dict[str, Any],
    responses=_answer("service.json (fully nested)"),
)
def get_service(
    session: SessionDep, platform_id: uuid.UUID, service_id: uuid.UUID
) -> dict[str, Any]:
    """One service with its organization, locations, phones, languages, areas and terms."""
    return hsds_api.get_service(session, platform_id=platform_id, service_id=service_id)


@router.get(
    "/organizations",
    operation_id="hsds-organizations-list",
    response_model=dict[str, Any],
    responses=_answer("compiled/organization_list.json", paged=True),
)
def list_organizations(
    session: SessionDep,
    platform_id: uuid.UUID,
    page: PagingDep,
    search: Search = None,
    full: Annotated[bool, Query(description="With phones and locations")] = False,
) -> dict[str, Any]:
    """The providers of the directory's services (public)."""
    return hsds_api.list_organizations(
        session, platform_id=platform_id, paging=page, search=search, full=full
    )


@router.get(
    "/organizations/{organization_id}",
    operation_id="hsds-organizations-get",
    response_model=dict[str, Any],
    responses=_answer("organization.json (with its services)"),
)
def get_organization(
    session: SessionDep, platform_id: uuid.UUID, organization_id: uuid.UUID
) -> dict[str, Any]:
    """One provider with its phones, location and services (public)."""
    return hsds_api.get_organization(
        session, platform_id=platform_id, organization_id=organization_id
    )


@router.get(
    "/taxonomies",
    operation_id="hsds-taxonomies-list",
    response_model=dict[str, Any],
    responses=_answer("taxonomy.json", paged=True),
)
def list_taxonomies(
    session: SessionDep, platform_id: uuid.UUID, page: PagingDep, search: Search = None
) -> dict[str, Any]:
    """The directory's one taxonomy: its service categories (public)."""
    return hsds_api.list_taxonomies(session, platform_id=platform_id, paging=page, search=search)


@router.get(
    "/taxonomies/{taxonomy_id}",
    operation_id="hsds-taxonomies-get",
    response_model=dict[str, Any],
    responses=_answer("taxonomy.json"),
)
def get_taxonomy(
    session: SessionDep, platform_id: uuid.UUID, taxonomy_id: uuid.UUID
) -> dict[str, Any]:
    return hsds_api.get_taxonomy(session, platform_id=platform_id, taxonomy_id=taxonomy_id)


@router.get(
    "/taxonomy_terms",
    operation_id="hsds-taxonomy-terms-list",
    response_model=dict[str, Any],
    responses=_answer("taxonomy_term.json", paged=True),
)
def list_terms(
    session: SessionDep,
    platform_id: uuid.UUID,
    page: PagingDep,
    search: Search = None,
    taxonomy_id: Annotated[uuid.UUID | None, Query(description="The directory's taxonomy")] = None,
    top_only: Annotated[bool, Query(description="Top terms only")] = False,
    parent_id: Annotated[uuid.UUID | None, Query(description="Subterms of this term")] = None,
) -> dict[str, Any]:
    """The categories the directory's services use, with their parents (public)."""
    return hsds_api.list_terms(
        session,
        platform_id=platform_id,
        paging=page,
        search=search,
        taxonomy_id=taxonomy_id,
        top_only=top_only,
        parent_id=parent_id,
    )


@router.get(
    "/taxonomy_terms/{term_id}",
    operation_id="hsds-taxonomy-terms-get",
    response_model=dict[str, Any],
    responses=_answer("taxonomy_term.json"),
)
def get_term(session: SessionDep, platform_id: uuid.UUID, term_id: uuid.UUID) -> dict[str, Any]:
    return hsds_api.get_term(session, platform_id=platform_id, term_id=term_id)


@router.get(
    "/service_at_locations",
    operation_id="hsds-service-at-locations-list",
    response_model=dict[str, Any],
    responses=_answer("compiled/service_at_location_list.json", paged=True),
)
def list_service_at_locations(
    session: SessionDep, platform_id: uuid.UUID, page: PagingDep, filters: FiltersDep
) -> dict[str, Any]:
    """Each service at the place it is delivered, its provider's office (public)."""
    return hsds_api.list_service_at_locations(
        session, platform_id=platform_id, paging=page, filters=filters
    )


@router.get(
    "/datapackage.zip",
    operation_id="hsds-datapackage",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
def datapackage(session: SessionDep, platform_id: uuid.UUID) -> Response:
    """The whole directory as HSDS's tabular Data Package: datapackage.json and one CSV per
    table, zipped (public)."""
    return Response(
        hsds_package.datapackage(session, platform_id=platform_id),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="hsds-datapackage.zip"'},
    )
