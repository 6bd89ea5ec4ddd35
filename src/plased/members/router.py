"""Geography, organisations, people and representatives."""

import uuid
from typing import Annotated, Any

from fastapi import Query, Request, Response, status

from plased.access import AccessDep
from plased.auth.deps import RequireAdmin
from plased.concurrency import IfMatch, cached, with_etag
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.members import geography, geography_import, organisations, people, representatives
from plased.members.models import (
    CsoSector,
    Gender,
    LaLevel,
    MembershipStatus,
    OrganisationKind,
    UnitLevel,
)
from plased.members.platform_router import CSV_BODY
from plased.members.schemas import (
    AdminUnitPublic,
    ImportReport,
    OrganisationCreate,
    OrganisationPublic,
    OrganisationUpdate,
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    PersonUserLink,
    RepresentativeCreate,
    RepresentativeEnd,
    RepresentativePublic,
)
from plased.pagination import Page, PageDep, page_list, page_of, page_with, sort_keys
from plased.routing import DomainRouter

router = DomainRouter(tags=["members"])
Search = Annotated[str | None, Query(max_length=100, description="Latin or Khmer substring")]


@router.get(
    "/geography",
    operation_id="geography-list",
    openapi_extra=sort_keys("code", "name"),
    response_model=Page[AdminUnitPublic],
)
def list_units(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    level: UnitLevel | None = None,
    parent: Annotated[uuid.UUID | None, Query(description="Parent unit id")] = None,
    q: Search = None,
) -> Page[AdminUnitPublic]:
    """Cambodia's provinces and Ratanakiri's districts, communes and villages (public)."""
    rows = geography.list_units(session, params=page, level=level, parent_id=parent, q=q)
    return page_of(request, response, page, rows, AdminUnitPublic)


@router.post(
    "/geography/imports",
    operation_id="geography-import",
    response_model=ImportReport,
)
@idempotent()
def import_units(
    session: SessionDep,
    _admin: RequireAdmin,
    body: Annotated[bytes, CSV_BODY],
    dry_run: bool = False,
) -> ImportReport:
    """Administrative units from CSV (``level,code,parent_code,name,name_km``), e.g. another
    province's districts, communes and villages. All or nothing; ``dry_run=true`` only
    reports. Administrators only: the units are shared by every platform."""
    return geography_import.import_units(session, body=body, dry_run=dry_run)


@router.get(
    "/organisations",
    operation_id="organisations-list",
    openapi_extra=sort_keys("kind", "name"),
    response_model=Page[OrganisationPublic],
)
def list_organisations(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    page: PageDep,
    q: Search = None,
    kind: OrganisationKind | None = None,
    sector: CsoSector | None = None,
    la_level: LaLevel | None = None,
    unit_id: Annotated[uuid.UUID | None, Query(description="This unit or any below it")] = None,
    platform_id: Annotated[uuid.UUID | None, Query(description="Has a membership here")] = None,
    membership_status: MembershipStatus | None = None,
) -> Page[OrganisationPublic]:
    rows = organisations.list_organisations(
        session,
        access=access,
        params=page,
        q=q,
        kind=kind,
        sector=sector,
        la_level=la_level,
        unit_id=unit_id,
        platform_id=platform_id,
        membership_status=membership_status,
    )
    return page_of(request, response, page, rows, OrganisationPublic)


@router.post(
    "/organisations",
    operation_id="organisations-create",
    response_model=OrganisationPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_organisation(
    response: Response, session: SessionDep, access: AccessDep, body: OrganisationCreate
) -> OrganisationPublic:
    organisation = organisations.create(session, access=access, data=body)
    response.headers["Location"] = f"/api/v1/organisations/{organisation.id}"
    with_etag(response, organisation.version)
    return OrganisationPublic.model_validate(organisation)


@router.get(
    "/organisations/{organisation_id}",
    operation_id="organisations-get",
    response_model=OrganisationPublic,
    responses={304: {"description": "Not modified"}},
)
def get_organisation(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
) -> OrganisationPublic | Response:
    organisation = organisations.get_visible(session, access, organisation_id)
    return cached(request, response, organisation.version) or OrganisationPublic.model_validate(
        organisation
    )


@router.patch(
    "/organisations/{organisation_id}",
    operation_id="organisations-update",
    response_model=OrganisationPublic,
)
def update_organisation(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
    body: OrganisationUpdate,
    if_match: IfMatch = None,
) -> OrganisationPublic:
    organisation = organisations.update(
        session, access=access, organisation_id=organisation_id, data=body, if_match=if_match
    )
    with_etag(response, organisation.version)
    return OrganisationPublic.model_validate(organisation)


@router.get(
    "/organisations/{organisation_id}/representatives",
    operation_id="representatives-list",
    response_model=Page[RepresentativePublic],
    openapi_extra=sort_keys("start_date", "person_name", "role"),
)
def list_representatives(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
    page: PageDep,
    current: Annotated[bool, Query(description="Only current representations")] = False,
) -> Page[RepresentativePublic]:
    found = representatives.representatives(
        session, access=access, organisation_id=organisation_id, current_only=current
    )
    return page_list(request, response, page, found, RepresentativePublic)


def _representative(
    arguments: dict[str, Any], representative_id: uuid.UUID
) -> RepresentativePublic:
    """A replayed representative answer, rebuilt (it names the person)."""
    found = representatives.representatives(
        arguments["session"],
        access=arguments["access"],
        organisation_id=arguments["organisation_id"],
        current_only=False,
    )
    return next(r for r in found if r.id == representative_id)


@router.post(
    "/organisations/{organisation_id}/representatives",
    operation_id="representatives-create",
    response_model=RepresentativePublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent(replay=lambda arguments, rid: _representative(arguments, uuid.UUID(rid)))
def add_representative(
    session: SessionDep, access: AccessDep, organisation_id: uuid.UUID, body: RepresentativeCreate
) -> RepresentativePublic:
    return representatives.add_representative(
        session, access=access, organisation_id=organisation_id, data=body
    )


@router.post(
    "/organisations/{organisation_id}/representatives/{representative_id}/end",
    operation_id="representatives-end",
    response_model=RepresentativePublic,
)
@idempotent(replay=lambda arguments, rid: _representative(arguments, uuid.UUID(rid)))
def end_representative(
    session: SessionDep,
    access: AccessDep,
    organisation_id: uuid.UUID,
    representative_id: uuid.UUID,
    body: RepresentativeEnd,
) -> RepresentativePublic:
    """Ends a representation on ``end_date`` (default today); the history is kept."""
    return representatives.end_representative(
        session,
        access=access,
        organisation_id=organisation_id,
        representative_id=representative_id,
        end_date=body.end_date,
    )


@router.get(
    "/people",
    operation_id="people-list",
    openapi_extra=sort_keys("full_name", "gender"),
    response_model=Page[PersonPublic],
)
def list_people(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    page: PageDep,
    q: Search = None,
    gender: Gender | None = None,
    organisation_id: Annotated[
        uuid.UUID | None, Query(description="Current representatives")
    ] = None,
    platform_id: uuid.UUID | None = None,
) -> Page[PersonPublic]:
    items, total = people.list_people(
        session,
        access=access,
        params=page,
        q=q,
        gender=gender,
        organisation_id=organisation_id,
        platform_id=platform_id,
    )
    return page_with(request, response, page, people.present(session, access, items), total)


@router.post(
    "/people",
    operation_id="people-create",
    response_model=PersonPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent(
    replay=lambda arguments, person_id: people.present(
        arguments["session"],
        arguments["access"],
        [people.get_visible(arguments["session"], arguments["access"], uuid.UUID(person_id))],
    )[0]
)
def create_person(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    body: PersonCreate,
    allow_duplicate: Annotated[
        bool, Query(description="Register a namesake of someone with the same birth year")
    ] = False,
) -> PersonPublic:
    """A person with the same name (ignoring case, width, invisible characters and spacing)
    and birth year in the platform family answers 409 ``possible_duplicate``."""
    person = people.create(session, access=access, data=body, allow_duplicate=allow_duplicate)
    response.headers["Location"] = f"/api/v1/people/{person.id}"
    with_etag(response, person.version)
    return people.present(session, access, [person])[0]


@router.get(
    "/people/{person_id}",
    operation_id="people-get",
    response_model=PersonPublic,
    responses={304: {"description": "Not modified"}},
)
def get_person(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    person_id: uuid.UUID,
) -> PersonPublic | Response:
    person = people.get_visible(session, access, person_id)
    return cached(request, response, person.version) or people.present(session, access, [person])[0]


@router.patch("/people/{person_id}", operation_id="people-update", response_model=PersonPublic)
def update_person(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    person_id: uuid.UUID,
    body: PersonUpdate,
    if_match: IfMatch = None,
) -> PersonPublic:
    person = people.update(
        session, access=access, person_id=person_id, data=body, if_match=if_match
    )
    with_etag(response, person.version)
    return people.present(session, access, [person])[0]


@router.put(
    "/people/{person_id}/user", operation_id="people-link-user", response_model=PersonPublic
)
def link_user(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    person_id: uuid.UUID,
    body: PersonUserLink,
) -> PersonPublic:
    """The secretariat names the account that acts as this person (to vote, for one). One
    person per account and platform; nobody links their own account."""
    person = people.link_user(session, access=access, person_id=person_id, user_id=body.user_id)
    with_etag(response, person.version)
    return people.present(session, access, [person])[0]


@router.delete(
    "/people/{person_id}/user", operation_id="people-unlink-user", response_model=PersonPublic
)
def unlink_user(
    response: Response, session: SessionDep, access: AccessDep, person_id: uuid.UUID
) -> PersonPublic:
    person = people.unlink_user(session, access=access, person_id=person_id)
    with_etag(response, person.version)
    return people.present(session, access, [person])[0]
