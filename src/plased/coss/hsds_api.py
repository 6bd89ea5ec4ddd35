"""The HSDS 3.0 API profile of a COSS platform's directory: the answers of
``/platforms/{id}/hsds/…`` as the HSDS OpenAPI document describes them (docs/hsds.md)."""

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.coss import hsds, services
from plased.coss.models import Service, ServiceCategory
from plased.errors import NotFound, field_error
from plased.members.models import Organisation
from plased.pagination import like_escape, text_contains
from plased.platforms.models import Platform

PROFILE = "https://github.com/openreferral/specification/tree/3.0"
OPENAPI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int


@dataclass(frozen=True)
class ServiceFilters:
    """The filters HSDS names for services and services at locations."""

    search: str | None = None
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime | None = None


def _envelope(total: int, size: int, paging: Paging) -> dict[str, Any]:
    """HSDS's paging fields: ``page_number`` and ``size`` as the 3.0 document names them (the
    page, and how many records it holds), ``page`` and ``per_page`` as clients send them."""
    pages = math.ceil(total / paging.per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": size,
        "page": paging.page,
        "per_page": paging.per_page,
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": size == 0,
    }


def _page(
    session: Session, statement: SelectOfScalar[Any], order: list[Any], paging: Paging
) -> tuple[list[Any], dict[str, Any]]:
    """One page, read in the database."""
    total = hsds.count(session, statement)
    rows = list(
        session.exec(
            statement.order_by(*order)
            .offset((paging.page - 1) * paging.per_page)
            .limit(paging.per_page)
        ).all()
    )
    return rows, _envelope(total, len(rows), paging)


def index(session: Session, *, platform_id: uuid.UUID) -> dict[str, Any]:
    hsds.coss_platform(session, platform_id)
    return {"version": hsds.HSDS_VERSION, "profile": PROFILE, "openapi_url": OPENAPI}


def _search(q: str) -> ColumnElement[bool]:
    pattern = f"%{like_escape(q.strip())}%"
    return or_(
        text_contains(Service.name_key, q),
        text_contains(Service.name_km, q),
        col(Service.description).ilike(pattern, escape="\\"),
    )


def _service_filters(
    session: Session, platform: Platform, filters: ServiceFilters
) -> SelectOfScalar[Service]:
    """The directory narrowed by HSDS's filters; a value naming nothing in it answers 422."""
    search, taxonomy_term_id = filters.search, filters.taxonomy_term_id
    taxonomy_id, organization_id = filters.taxonomy_id, filters.organization_id
    modified_after = filters.modified_after
    statement = hsds.directory(platform.id)
    if search:
        statement = statement.where(_search(search))
    if taxonomy_term_id is not None:
        _term(session, platform, taxonomy_term_id, pointer="/query/taxonomy_term_id")
        # A top category finds its subcategories' services too.
        children = select(ServiceCategory.id).where(ServiceCategory.parent_id == taxonomy_term_id)
        statement = statement.where(
            or_(
                col(Service.category_id) == taxonomy_term_id,
                col(Service.category_id).in_(children),
            )
        )
    if taxonomy_id is not None and str(taxonomy_id) != hsds.taxonomy_id(platform):
        raise field_error(
            "/query/taxonomy_id", "unknown_taxonomy", "This directory has no such taxonomy."
        )
    if organization_id is not None:
        listed = session.exec(
            hsds.directory(platform.id).where(Service.provider_id == organization_id)
        ).first()
        if listed is None:
            raise field_error(
                "/query/organization_id",
                "unknown_organisation",
                "No organisation of this directory has this id.",
            )
        statement = statement.where(Service.provider_id == organization_id)
    if modified_after is not None:
        statement = statement.where(col(Service.updated_at) >= modified_after)
    return statement


def _term(
    session: Session, platform: Platform, term_id: uuid.UUID, *, pointer: str
) -> ServiceCategory:
    term = session.exec(
        select(ServiceCategory)
        .where(ServiceCategory.id == term_id)
        .where(ServiceCategory.platform_id == platform.id)
        .where(hsds.used_categories(platform.id))
    ).first()
    if term is None:
        raise field_error(pointer, "unknown_category", "This directory has no such term.")
    return term


def list_services(
    session: Session,
    *,
    platform_id: uuid.UUID,
    paging: Paging,
    filters: ServiceFilters,
    full: bool = False,
) -> dict[str, Any]:
    platform = hsds.coss_platform(session, platform_id)
    statement = _service_filters(session, platform, filters)
    rows, envelope = _page(session, statement, hsds.SERVICE_ORDER, paging)
    found = hsds.load(session, platform, rows)
    contents = []
    for s in rows:
        record = hsds.service(found, s, full=full)
        if not full:
            record["organization"] = hsds.organization(found, found.providers[s.provider_id])
        contents.append(record)
    return {**envelope, "contents": contents}


def get_service(
    session: Session, *, platform_id: uuid.UUID, service_id: uuid.UUID
) -> dict[str, Any]:
    platform = hsds.coss_platform(session, platform_id)
    service = session.exec(hsds.directory(platform.id).where(Service.id == service_id)).first()
    if service is None:
        raise NotFound
    return hsds.service(hsds.load(session, platform, [service]), service, full=True)


def _providers(platform_id: uuid.UUID) -> SelectOfScalar[Organisation]:
    providers = (
        select(Service.provider_id)
        .where(Service.platform_id == platform_id)
        .where(services.in_directory())
    )
    return select(Organisation).where(col(Organisation.id).in_(providers))


def list_organizations(
    session: Session,
    *,
    platform_id: uuid.UUID,
    paging: Paging,
    search: str | None = None,
    full: bool = False,
) -> dict[str, Any]:
    platform = hsds.coss_platform(session, platform_id)
    statement = _providers(platform.id)
    if search:
        statement = statement.where(
            or_(
                text_contains(Organisation.name_key, search),
                text_contains(Organisation.name_km, search),
            )
        )
    order = [col(Organisation.name), col(Organisation.id)]
    rows, envelope = _page(session, statement, order, paging)
    found = hsds.load(session, platform, [], rows)
    return {**envelope, "contents": [hsds.organization(found, o, full=full) for o in rows]}


def get_organization(
    session: Session, *, platform_id: uuid.UUID, organization_id: uuid.UUID
) -> dict[str, Any]:
    """A provider with its phones and location, and its services in the directory."""
    platform = hsds.coss_platform(session, platform_id)
    organisation = session.exec(
        _providers(platform.id).where(Organisation.id == organization_id)
    ).first()
    if organisation is None:
        raise NotFound
    offered = list(
        session.exec(
            hsds.directory(platform.id)
            .where(Service.provider_id == organisation.id)
            .order_by(*hsds.SERVICE_ORDER)
        ).all()
    )
    found = hsds.load(session, platform, offered, [organisation])
    record = hsds.organization(found, organisation, full=True)
    record["services"] = [hsds.service(found, s) for s in offered]
    return record


def list_taxonomies(
    session: Session, *, platform_id: uuid.UUID, paging: Paging, search: str | None = None
) -> dict[str, Any]:
    """One taxonomy per directory: the platform's categories."""
    platform = hsds.coss_platform(session, platform_id)
    record = hsds.taxonomy(platform)
    matches = [record] if not search or search.casefold() in record["name"].casefold() else []
    contents = matches if paging.page == 1 else []
    return {**_envelope(len(matches), len(contents), paging), "contents": contents}


def get_taxonomy(
    session: Session, *, platform_id: uuid.UUID, taxonomy_id: uuid.UUID
) -> dict[str, Any]:
    platform = hsds.coss_platform(session, platform_id)
    if str(taxonomy_id) != hsds.taxonomy_id(platform):
        raise NotFound
    return hsds.taxonomy(platform)


def list_terms(
    session: Session,
    *,
    platform_id: uuid.UUID,
    paging: Paging,
    search: str | None = None,
    taxonomy_id: uuid.UUID | None = None,
    top_only: bool = False,
    parent_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    platform = hsds.coss_platform(session, platform_id)
    if taxonomy_id is not None and str(taxonomy_id) != hsds.taxonomy_id(platform):
        raise field_error(
            "/query/taxonomy_id", "unknown_taxonomy", "This directory has no such taxonomy."
        )
    statement = (
        select(ServiceCategory)
        .where(ServiceCategory.platform_id == platform.id)
        .where(hsds.used_categories(platform.id))
    )
    if search:
        statement = statement.where(
            or_(
                text_contains(ServiceCategory.name, search, lower=True),
                text_contains(ServiceCategory.code, search, lower=True),
            )
        )
    if top_only:
        statement = statement.where(col(ServiceCategory.parent_id).is_(None))
    if parent_id is not None:
        _term(session, platform, parent_id, pointer="/query/parent_id")
        statement = statement.where(ServiceCategory.parent_id == parent_id)
    order = [col(ServiceCategory.code), col(ServiceCategory.id)]
    rows, envelope = _page(session, statement, order, paging)
    found = hsds.load(session, platform, [])
    return {**envelope, "contents": [hsds.taxonomy_term(found, c) for c in rows]}


def get_term(session: Session, *, platform_id: uuid.UUID, term_id: uuid.UUID) -> dict[str, Any]:
    platform = hsds.coss_platform(session, platform_id)
    term = session.exec(
        select(ServiceCategory)
        .where(ServiceCategory.id == term_id)
        .where(ServiceCategory.platform_id == platform.id)
        .where(hsds.used_categories(platform.id))
    ).first()
    if term is None:
        raise NotFound
    return hsds.taxonomy_term(hsds.load(session, platform, []), term)


def list_service_at_locations(
    session: Session, *, platform_id: uuid.UUID, paging: Paging, filters: ServiceFilters
) -> dict[str, Any]:
    """Each service at the office of its provider, with the location and the service."""
    platform = hsds.coss_platform(session, platform_id)
    statement = _service_filters(session, platform, filters).where(hsds.has_address())
    rows, envelope = _page(session, statement, hsds.SERVICE_ORDER, paging)
    found = hsds.load(session, platform, rows)
    contents = []
    for s in rows:
        provider = found.providers[s.provider_id]
        record = hsds.service_at_location(s, provider)
        assert record is not None  # has_address() chose it
        record["location"] = hsds.location(found, provider, full=True)
        record["service"] = hsds.service(found, s)
        contents.append(record)
    return {**envelope, "contents": contents}
