"""Organisations: register, read, edit; the public directory of active members."""

import uuid
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.access import Access, public_platform, root_of
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.members import geography
from plased.members.models import (
    LA_UNIT_LEVEL,
    AdminUnit,
    CsoSector,
    LaLevel,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from plased.members.schemas import OrganisationCreate, OrganisationUpdate
from plased.pagination import PageParams, paginate, text_contains
from plased.platforms.models import Platform
from plased.text import name_key

ORGANISATION_SORTS = {"name": col(Organisation.name), "kind": col(Organisation.kind)}


def visible(access: Access) -> SelectOfScalar[Organisation]:
    """Every organisation read or list starts here."""
    statement = select(Organisation)
    roots = access.visible_roots()
    if roots is not None:
        statement = statement.where(col(Organisation.platform_id).in_(roots))
    return statement


def get_visible(session: Session, access: Access, organisation_id: uuid.UUID) -> Organisation:
    organisation = session.exec(visible(access).where(Organisation.id == organisation_id)).first()
    if organisation is None:
        raise NotFound
    return organisation


def named_in(
    session: Session, organisation_id: uuid.UUID, root_id: uuid.UUID, *, pointer: str
) -> Organisation:
    """An organisation a request names (a seat's or an attendee's), when it is one of the
    platform's (``root_id``); otherwise 422 ``unknown_organisation`` at ``pointer``."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.platform_id != root_id:
        raise field_error(pointer, "unknown_organisation", "No such organisation.")
    return organisation


def check_shape(
    session: Session,
    *,
    kind: str,
    sector: str | None,
    la_level: str | None,
    unit_id: uuid.UUID | None,
) -> None:
    """Sector only for CSOs; LA level only for local authorities, matching the unit's level."""
    if kind == OrganisationKind.cso and sector is None:
        raise field_error("/body/sector", "sector_required", "A CSO needs a sector.")
    if kind != OrganisationKind.cso and sector is not None:
        raise field_error("/body/sector", "sector_not_allowed", "Only CSOs have a sector.")
    if kind == OrganisationKind.local_authority:
        if la_level is None:
            raise field_error(
                "/body/la_level", "la_level_required", "A local authority needs a level."
            )
        if unit_id is None:
            raise field_error(
                "/body/unit_id", "unit_required", "A local authority needs the unit it governs."
            )
    elif la_level is not None:
        raise field_error(
            "/body/la_level", "la_level_not_allowed", "Only local authorities have a level."
        )
    if unit_id is not None:
        unit = geography.get_unit(session, unit_id, pointer="/body/unit_id")
        if la_level is not None and unit.level != LA_UNIT_LEVEL[LaLevel(la_level)]:
            raise field_error(
                "/body/la_level",
                "la_level_mismatch",
                f"A {la_level} authority governs a {LA_UNIT_LEVEL[LaLevel(la_level)]}, "
                f"not a {unit.level}.",
            )


def _check_unique_name(
    session: Session, root_id: uuid.UUID, key: str, exclude: uuid.UUID | None = None
) -> None:
    statement = select(Organisation.id).where(
        Organisation.platform_id == root_id, Organisation.name_key == key
    )
    if exclude is not None:
        statement = statement.where(Organisation.id != exclude)
    if session.exec(statement).first():
        raise Conflict("An organisation with this name is registered.", code="organisation_exists")


def create(session: Session, *, access: Access, data: OrganisationCreate) -> Organisation:
    platform = session.get(Platform, data.platform_id)
    if platform is None or not access.sees_root(root_of(platform)):
        raise NotFound
    root_id = root_of(platform)
    access.require_manage_root(root_id)
    access.require_writable(root_id)
    check_shape(
        session, kind=data.kind, sector=data.sector, la_level=data.la_level, unit_id=data.unit_id
    )
    key = name_key(data.name)
    _check_unique_name(session, root_id, key)
    values = data.model_dump(exclude={"platform_id"})
    organisation = Organisation(platform_id=root_id, name_key=key, **values)
    session.add(organisation)
    session.flush()
    return organisation


def update(
    session: Session,
    *,
    access: Access,
    organisation_id: uuid.UUID,
    data: OrganisationUpdate,
    if_match: str | None,
) -> Organisation:
    organisation = get_visible(session, access, organisation_id)
    secretariat = access.manages_root(organisation.platform_id)
    if not (secretariat or access.is_staff_of(organisation.id)):
        raise Forbidden("Only the secretariat or the organisation's own staff may edit it.")
    access.require_writable(organisation.platform_id)
    check_if_match(if_match, organisation.version)
    changes = data.changes()
    if not secretariat:
        _refuse_reserved(organisation, changes)
    merged = {**organisation.model_dump(), **changes}
    check_shape(
        session,
        kind=merged["kind"],
        sector=merged["sector"],
        la_level=merged["la_level"],
        unit_id=merged["unit_id"],
    )
    if "name" in changes:
        changes["name_key"] = name_key(changes["name"])
        _check_unique_name(session, organisation.platform_id, changes["name_key"], organisation.id)
    if changes:
        organisation.sqlmodel_update(changes)
        bump(organisation)
        session.add(organisation)
    return organisation


def _reserved_fields(organisation: Organisation) -> tuple[str, ...]:
    """Fields that decide an organisation's rights: who may send referrals (kind), which
    seats and counts it fills (sector, level), which unit an authority governs."""
    if organisation.kind == OrganisationKind.local_authority:
        return (*RESERVED, "unit_id")
    return RESERVED


RESERVED = ("kind", "sector", "la_level")


def _refuse_reserved(organisation: Organisation, changes: dict[str, Any]) -> None:
    changed = [
        field
        for field in _reserved_fields(organisation)
        if field in changes and changes[field] != getattr(organisation, field)
    ]
    if changed:
        raise Forbidden(
            "Only the secretariat changes an organisation's kind, sector, level or, for an "
            "authority, the unit it governs.",
            code="field_reserved_to_secretariat",
            extra={
                "errors": [
                    {
                        "pointer": f"/body/{field}",
                        "code": "field_reserved_to_secretariat",
                        "message": "Only the secretariat may change this field.",
                    }
                    for field in changed
                ]
            },
        )


def list_organisations(
    session: Session,
    *,
    access: Access,
    params: PageParams,
    q: str | None = None,
    kind: OrganisationKind | None = None,
    sector: CsoSector | None = None,
    la_level: LaLevel | None = None,
    unit_id: uuid.UUID | None = None,
    platform_id: uuid.UUID | None = None,
    membership_status: MembershipStatus | None = None,
) -> tuple[list[Organisation], int]:
    statement = visible(access)
    if q:
        statement = statement.where(
            or_(
                text_contains(Organisation.name_key, q),
                text_contains(Organisation.name_km, q),
                text_contains(Organisation.acronym, q, lower=True),
            )
        )
    if kind is not None:
        statement = statement.where(Organisation.kind == kind)
    if sector is not None:
        statement = statement.where(Organisation.sector == sector)
    if la_level is not None:
        statement = statement.where(Organisation.la_level == la_level)
    if unit_id is not None:
        unit = geography.get_unit(session, unit_id, pointer="/query/unit_id")
        statement = statement.join(AdminUnit, col(AdminUnit.id) == Organisation.unit_id).where(
            col(AdminUnit.code).like(geography.codes_within(unit))
        )
    if membership_status is not None and platform_id is None:
        raise field_error(
            "/query/membership_status", "platform_required", "Filter by platform_id as well."
        )
    if platform_id is not None:
        member = select(Membership.organisation_id).where(Membership.platform_id == platform_id)
        if membership_status is not None:
            member = member.where(Membership.status == membership_status)
        statement = statement.where(col(Organisation.id).in_(member))
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=ORGANISATION_SORTS,
        default_sort=["name"],
        tiebreak=col(Organisation.id),
        updated_column=col(Organisation.updated_at),
    )


def directory(
    session: Session, *, platform_id: uuid.UUID, params: PageParams, q: str | None
) -> tuple[list[Any], int]:
    """Active members of a platform, for anyone: no people, no contacts."""
    public_platform(session, platform_id, None)
    statement = (
        select(Organisation, Membership.decided_at)
        .join(Membership, col(Membership.organisation_id) == Organisation.id)
        .where(Membership.platform_id == platform_id)
        .where(Membership.status == MembershipStatus.active)
    )
    if q:
        statement = statement.where(
            or_(text_contains(Organisation.name_key, q), text_contains(Organisation.name_km, q))
        )
    rows, total = paginate(
        session,
        statement,
        params,
        allowed_sorts=ORGANISATION_SORTS,
        default_sort=["name"],
        tiebreak=col(Organisation.id),
        updated_column=col(Organisation.updated_at),
    )
    entries = [
        {**organisation.model_dump(), "member_since": decided_at}
        for organisation, decided_at in rows
    ]
    return entries, total
