"""The service directory: providers publish services; anyone reads the published ones."""

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Exists, and_, delete, exists, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased import transitions as engine
from plased.access import Access, platform_in_reach
from plased.audit import outbox
from plased.auth.models import PlatformRoleName, User
from plased.concurrency import check_if_match
from plased.coss import taxonomy
from plased.coss.models import (
    Language,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
    ServiceStatus,
    ServiceTargetGroup,
    TargetGroup,
)
from plased.coss.schemas import ServiceCreate, ServicePublic, ServiceUpdate
from plased.coss.transitions import MACHINE
from plased.db import bump
from plased.errors import Forbidden, InvalidTransition, NotFound, Unprocessable, field_error
from plased.members import geography
from plased.members.models import AdminUnit, Membership, MembershipStatus, Organisation
from plased.pagination import PageParams, like_escape, paginate, text_contains
from plased.text import name_key

SERVICE_SORTS = {"name": col(Service.name), "updated_at": col(Service.updated_at)}


def ancestor_ids(unit: AdminUnit) -> list[uuid.UUID]:
    """The unit and every unit above it: official codes nest by 2, 4, 6 and 8 digits."""
    return [geography.unit_id(unit.code[:n]) for n in (2, 4, 6, 8) if n <= len(unit.code)]


def provider_is_member() -> Exists:
    """The service's provider is an active member of the service's platform (SQL)."""
    return exists(
        select(Membership.id)
        .where(Membership.organisation_id == Service.provider_id)
        .where(Membership.platform_id == Service.platform_id)
        .where(Membership.status == MembershipStatus.active)
    )


def provider_has_staff() -> Exists:
    """Someone can receive a referral to the service: its provider has an active account."""
    return exists(
        select(User.id)
        .where(User.organisation_id == Service.provider_id)
        .where(col(User.is_active).is_(True))
    )


def in_directory() -> ColumnElement[bool]:
    """What the public directory lists: published services of active member providers."""
    return and_(col(Service.status) == ServiceStatus.published, provider_is_member())


def readable(access: Access | None) -> SelectOfScalar[Service]:
    """The directory for everyone; any service for the platform's secretariat and for the
    provider's own staff."""
    statement = select(Service)
    if access is None:
        return statement.where(in_directory())
    if access.is_admin:
        return statement
    managed = [pid for pid, roles in access.roles.items() if PlatformRoleName.secretariat in roles]
    conditions: list[Any] = [in_directory()]
    if managed:
        conditions.append(col(Service.platform_id).in_(managed))
    if access.user.organisation_id is not None:
        conditions.append(Service.provider_id == access.user.organisation_id)
    return statement.where(or_(*conditions))


def present(session: Session, services: list[Service]) -> list[ServicePublic]:
    """Public form of services with their areas, groups, languages: four queries in all."""
    if not services:
        return []
    ids = [s.id for s in services]
    areas: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for service_id, unit in session.exec(
        select(ServiceArea.service_id, ServiceArea.unit_id).where(
            col(ServiceArea.service_id).in_(ids)
        )
    ):
        areas[service_id].append(unit)
    groups: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, group in session.exec(
        select(ServiceTargetGroup.service_id, ServiceTargetGroup.target_group).where(
            col(ServiceTargetGroup.service_id).in_(ids)
        )
    ):
        groups[service_id].append(group)
    languages: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, language in session.exec(
        select(ServiceLanguage.service_id, ServiceLanguage.language).where(
            col(ServiceLanguage.service_id).in_(ids)
        )
    ):
        languages[service_id].append(language)
    names = dict(
        session.exec(
            select(Organisation.id, Organisation.name).where(
                col(Organisation.id).in_({s.provider_id for s in services})
            )
        ).all()
    )
    receiving = set(
        session.exec(
            select(Service.id)
            .where(col(Service.id).in_(ids))
            .where(in_directory())
            .where(provider_has_staff())
        ).all()
    )
    codes = dict(
        session.exec(
            select(ServiceCategory.id, ServiceCategory.code).where(
                col(ServiceCategory.id).in_({s.category_id for s in services})
            )
        ).all()
    )
    return [
        ServicePublic.model_validate(
            {
                **s.model_dump(),
                "provider_name": names[s.provider_id],
                "category_code": codes[s.category_id],
                "coverage_unit_ids": sorted(areas[s.id], key=str),
                "target_groups": sorted(groups[s.id]),
                "languages": sorted(languages[s.id]),
                "accepts_referrals": s.id in receiving,
            }
        )
        for s in services
    ]


def get_readable(session: Session, access: Access | None, service_id: uuid.UUID) -> Service:
    service = session.exec(readable(access).where(Service.id == service_id)).first()
    if service is None:
        raise NotFound
    return service


def _may_edit(access: Access, service_platform: uuid.UUID, provider_id: uuid.UUID) -> bool:
    return access.manages(service_platform) or access.is_staff_of(provider_id)


def _check_provider(
    session: Session, platform_id: uuid.UUID, provider_id: uuid.UUID
) -> Organisation:
    provider = session.get(Organisation, provider_id)
    active = session.exec(
        select(Membership.id)
        .where(Membership.organisation_id == provider_id)
        .where(Membership.platform_id == platform_id)
        .where(Membership.status == MembershipStatus.active)
    ).first()
    if provider is None or active is None:
        raise field_error(
            "/body/provider_id",
            "provider_not_member",
            "The provider must be an active member of this platform.",
        )
    return provider


def _set_links(session: Session, service: Service, data: dict[str, Any]) -> None:
    if data.get("coverage_unit_ids") is not None:
        unit_ids = set(data["coverage_unit_ids"])
        known = set(session.exec(select(AdminUnit.id).where(col(AdminUnit.id).in_(unit_ids))).all())
        if unit_ids - known:
            raise field_error(
                "/body/coverage_unit_ids", "unknown_unit", "A coverage unit does not exist."
            )
        session.execute(delete(ServiceArea).where(col(ServiceArea.service_id) == service.id))
        session.add_all(ServiceArea(service_id=service.id, unit_id=u) for u in unit_ids)
    if data.get("target_groups") is not None:
        session.execute(
            delete(ServiceTargetGroup).where(col(ServiceTargetGroup.service_id) == service.id)
        )
        session.add_all(
            ServiceTargetGroup(service_id=service.id, target_group=g)
            for g in set(data["target_groups"])
        )
    if data.get("languages") is not None:
        session.execute(
            delete(ServiceLanguage).where(col(ServiceLanguage.service_id) == service.id)
        )
        session.add_all(
            ServiceLanguage(service_id=service.id, language=lang) for lang in set(data["languages"])
        )


_LINKS = {"coverage_unit_ids", "target_groups", "languages"}


def create(session: Session, *, access: Access, data: ServiceCreate) -> Service:
    platform = platform_in_reach(session, access, data.platform_id)
    if not _may_edit(access, platform.id, data.provider_id):
        raise Forbidden("Only the provider's staff or the secretariat may add its services.")
    access.require_writable(platform.id)
    _check_provider(session, platform.id, data.provider_id)
    taxonomy.get_category(session, platform.id, data.category_id, pointer="/body/category_id")
    values = data.model_dump(exclude=_LINKS | {"platform_id"}, exclude_none=True)
    service = Service(platform_id=platform.id, name_key=name_key(data.name), **values)
    session.add(service)
    session.flush()
    _set_links(session, service, data.model_dump())
    session.flush()
    if service.status == ServiceStatus.published:
        # Published at creation, without a transition: announced all the same.
        outbox.emit(
            session,
            event_type=MACHINE.event_type(ServiceStatus.published),
            record=service,
            data={"previous_status": None, "action": "create"},
        )
    return service


def update(
    session: Session,
    *,
    access: Access,
    service_id: uuid.UUID,
    data: ServiceUpdate,
    if_match: str | None,
) -> Service:
    service = get_readable(session, access, service_id)
    if not _may_edit(access, service.platform_id, service.provider_id):
        raise Forbidden("Only the provider's staff or the secretariat may edit this service.")
    access.require_writable(service.platform_id)
    check_if_match(if_match, service.version)
    changes = data.changes()
    if changes.get("category_id"):
        taxonomy.get_category(
            session, service.platform_id, changes["category_id"], pointer="/body/category_id"
        )
    low = changes.get("age_min", service.age_min)
    high = changes.get("age_max", service.age_max)
    if low is not None and high is not None and low > high:
        raise field_error("/body/age_min", "age_range_inverted", "age_min must not exceed age_max.")
    target = changes.pop("status", None)
    action = None
    if target is not None and target != service.status:
        action = MACHINE.action_to(service.status, target)
        if action is None:
            raise InvalidTransition(current=service.status, action=f"make it {target}")
        if target == ServiceStatus.published:
            _check_provider(session, service.platform_id, service.provider_id)
    _set_links(session, service, changes)
    columns = {k: v for k, v in changes.items() if k not in _LINKS}
    if "name" in columns:
        columns["name_key"] = name_key(columns["name"])
    if action is not None:
        # The status and the other fields change in the engine's one conditional UPDATE.
        return engine.apply(
            session, MACHINE, service, action, actor_id=access.user.id, values=columns
        )
    if changes:
        service.sqlmodel_update(columns)
        bump(service)
        session.add(service)
    session.flush()
    return service


def list_services(
    session: Session,
    *,
    access: Access | None,
    params: PageParams,
    platform_id: uuid.UUID | None = None,
    category_id: uuid.UUID | None = None,
    unit_id: uuid.UUID | None = None,
    target_group: TargetGroup | None = None,
    language: Language | None = None,
    provider_id: uuid.UUID | None = None,
    status: ServiceStatus | None = None,
    q: str | None = None,
) -> tuple[list[Service], int]:
    statement = readable(access)
    if platform_id is not None:
        statement = statement.where(Service.platform_id == platform_id)
    if category_id is not None:
        # A top category finds its subcategories' services too.
        children = select(ServiceCategory.id).where(ServiceCategory.parent_id == category_id)
        statement = statement.where(
            or_(col(Service.category_id) == category_id, col(Service.category_id).in_(children))
        )
    if unit_id is not None:
        unit = geography.get_unit(session, unit_id, pointer="/query/unit_id")
        covering = select(ServiceArea.service_id).where(
            col(ServiceArea.unit_id).in_(ancestor_ids(unit))
        )
        statement = statement.where(col(Service.id).in_(covering))
    if target_group is not None:
        statement = statement.where(
            col(Service.id).in_(
                select(ServiceTargetGroup.service_id).where(
                    ServiceTargetGroup.target_group == target_group
                )
            )
        )
    if language is not None:
        statement = statement.where(
            col(Service.id).in_(
                select(ServiceLanguage.service_id).where(ServiceLanguage.language == language)
            )
        )
    if provider_id is not None:
        statement = statement.where(Service.provider_id == provider_id)
    if status is not None:
        statement = statement.where(Service.status == status)
    if q:
        statement = statement.where(
            or_(
                text_contains(Service.name_key, q),
                text_contains(Service.name_km, q),
                col(Service.description).ilike(f"%{like_escape(q.strip())}%", escape="\\"),
                col(Service.description_km).like(f"%{like_escape(q.strip())}%", escape="\\"),
            )
        )
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=SERVICE_SORTS,
        default_sort=["name"],
        tiebreak=col(Service.id),
        updated_column=col(Service.updated_at),
    )


def check_referrable(session: Session, service_id: uuid.UUID | None, *, pointer: str) -> Service:
    """A service a referral may go to: in the directory, and its provider has someone to
    receive it (a referral nobody can read would expire unseen)."""
    service = session.get(Service, service_id) if service_id else None
    if service is None:
        raise _not_available(pointer)
    this = select(Service.id).where(Service.id == service.id)
    # Both rules in one query; which one failed is asked only when one did.
    if session.exec(this.where(in_directory()).where(provider_has_staff())).first():
        return service
    if not session.exec(this.where(in_directory())).first():
        raise _not_available(pointer)
    raise field_error(
        pointer,
        "provider_unreachable",
        "The provider has no active staff account to receive referrals; the secretariat "
        "can invite one.",
    )


def _not_available(pointer: str) -> Unprocessable:
    return field_error(
        pointer,
        "service_not_available",
        "Refer to a published service of an active member provider.",
    )


def covers(session: Session, service: Service, unit_id: uuid.UUID) -> bool:
    """Whether the service's coverage includes the unit (covering a unit covers below it)."""
    unit = session.get(AdminUnit, unit_id)
    if unit is None:
        return False
    return (
        session.exec(
            select(ServiceArea.unit_id)
            .where(ServiceArea.service_id == service.id)
            .where(col(ServiceArea.unit_id).in_(ancestor_ids(unit)))
        ).first()
        is not None
    )
