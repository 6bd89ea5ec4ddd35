"""Referrals: create, read, list; consent; the client data each caller may see."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, insert, not_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.access import Access
from plased.audit import trail
from plased.coss import services as coss_services
from plased.coss.models import Service
from plased.db import bump, utcnow
from plased.errors import Forbidden, NotFound, Unprocessable, field_error
from plased.members import geography
from plased.members.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from plased.pagination import PageParams, paginate
from plased.platforms.models import Platform
from plased.referrals import policies
from plased.referrals.models import (
    Client,
    ClientDataAccess,
    Consent,
    Referral,
    ReferralEvent,
    ReferralStatus,
    age_band,
)
from plased.referrals.schemas import (
    ClientPublic,
    ConsentCreate,
    ConsentPublic,
    ReferralCreate,
    ReferralPublic,
)
from plased.schemas import Warning
from plased.vocabulary import Urgency

REFERRAL_SORTS = {"created_at": col(Referral.created_at), "updated_at": col(Referral.updated_at)}


def get_visible(session: Session, access: Access, referral_id: uuid.UUID) -> Referral:
    referral = session.exec(policies.readable(access).where(Referral.id == referral_id)).first()
    if referral is None:
        raise NotFound
    return referral


def present(
    session: Session,
    access: Access,
    referrals: list[Referral],
    *,
    via: str,
    warnings: list[Warning] | None = None,
) -> list[ReferralPublic]:
    """Public form; client data only where the caller may see it, and every such read logged."""
    if not referrals:
        return []
    ids = [r.id for r in referrals]
    consents = {
        c.referral_id: c
        for c in session.exec(select(Consent).where(col(Consent.referral_id).in_(ids)))
    }
    shown = [r for r in referrals if policies.client_visible(access, r, consents.get(r.id))]
    shown_ids = {r.id for r in shown}
    clients = {
        c.id: c
        for c in session.exec(
            select(Client).where(col(Client.id).in_([r.client_id for r in shown]))
        )
    }
    if shown:
        # Every read of client data is kept twice (who read which referral, and the audit
        # trail): two INSERTs for the page, not two rows per referral through the ORM.
        now = utcnow()
        session.execute(
            insert(ClientDataAccess),
            [
                {
                    "id": uuid.uuid4(),
                    "referral_id": r.id,
                    "user_id": access.user.id,
                    "via": via,
                    "accessed_at": now,
                }
                for r in shown
            ],
        )
        trail.record_reads(
            session, resource_type="referral", reads=[(r.id, r.platform_id) for r in shown]
        )
    result = []
    for referral in referrals:
        consent = consents.get(referral.id)
        client = None
        if referral.id in shown_ids and referral.client_id is not None:
            client = clients.get(referral.client_id)
        values: dict[str, Any] = referral.model_dump()
        values.update(
            client_visible=client is not None,
            client=ClientPublic.model_validate(client) if client else None,
            consent=ConsentPublic.model_validate(consent) if consent else None,
            warnings=warnings or [],
        )
        result.append(ReferralPublic.model_validate(values))
    return result


def _district_of(session: Session, unit_id: uuid.UUID | None) -> uuid.UUID | None:
    if unit_id is None:
        return None
    unit = geography.get_unit(session, unit_id, pointer="/body/client/village_id")
    if len(unit.code) < 4:
        raise field_error(
            "/body/client/village_id", "unit_too_large", "Give a village, commune or district."
        )
    return geography.unit_id(unit.code[:4])


def _check_sender(session: Session, organisation: Organisation, platform: Platform) -> None:
    family = [platform.id] + ([platform.parent_id] if platform.parent_id else [])
    active = session.exec(
        select(Membership.id)
        .where(Membership.organisation_id == organisation.id)
        .where(col(Membership.platform_id).in_(family))
        .where(Membership.status == MembershipStatus.active)
    ).first()
    if active is None:
        raise Forbidden(
            "Your organisation is not an active member of this platform.",
            code="not_an_active_member",
        )


def create(session: Session, *, access: Access, data: ReferralCreate) -> Referral:
    organisation_id = policies.require_staff(access)
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    if organisation.kind == OrganisationKind.service_provider:
        raise Forbidden(
            "Service providers receive referrals; CSOs, authorities and others send them.",
            code="providers_do_not_refer",
        )
    service = coss_services.check_referrable(session, data.service_id, pointer="/body/service_id")
    if service.provider_id == organisation_id:
        raise field_error(
            "/body/service_id", "own_service", "An organisation cannot refer to itself."
        )
    platform = session.get(Platform, service.platform_id)
    assert platform is not None
    access.require_writable(platform.id)
    _check_sender(session, organisation, platform)
    district = _district_of(session, data.client.village_id)
    client = Client(**data.client.model_dump())
    session.add(client)
    session.flush()
    referral = Referral(
        platform_id=platform.id,
        from_organisation_id=organisation_id,
        created_by_id=access.user.id,
        service_id=service.id,
        provider_id=service.provider_id,
        category_id=service.category_id,
        client_id=client.id,
        urgency=data.urgency,
        reason=data.reason,
        needs=data.needs,
        referrer_contact=data.referrer_contact,
        client_gender=data.client.gender,
        client_age_band=age_band(data.client.birth_year, datetime.now(UTC).year),
        district_id=district,
        vulnerabilities=sorted(set(data.client.vulnerabilities)),
    )
    session.add(referral)
    session.flush()
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            actor_id=access.user.id,
            organisation_id=organisation_id,
            to_status=ReferralStatus.draft,
        )
    )
    if data.consent is not None:
        session.add(Consent(referral_id=referral.id, **data.consent.model_dump()))
    session.flush()
    return referral


def record_consent(
    session: Session, *, access: Access, referral_id: uuid.UUID, data: ConsentCreate
) -> Referral:
    """The referrer records or corrects consent while the referral is a draft."""
    referral = get_visible(session, access, referral_id)
    if policies.side_of(access, referral) != "referrer":
        raise Forbidden("Only the referring organisation records consent.")
    access.require_writable(referral.platform_id)
    if referral.status != ReferralStatus.draft:
        raise Unprocessable(
            "Consent is recorded before submission; withdraw it instead.", code="consent_locked"
        )
    consent = session.exec(select(Consent).where(Consent.referral_id == referral.id)).first()
    if consent is None:
        consent = Consent(referral_id=referral.id, **data.model_dump())
    else:
        consent.sqlmodel_update(data.model_dump())
    session.add(consent)
    bump(referral)
    session.add(referral)
    session.flush()
    return referral


def list_referrals(
    session: Session,
    *,
    access: Access,
    params: PageParams,
    status: ReferralStatus | None = None,
    direction: str | None = None,
    service_id: uuid.UUID | None = None,
    category_id: uuid.UUID | None = None,
    urgency: Urgency | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    overdue: bool | None = None,
) -> tuple[list[Referral], int]:
    """Filters narrow what the caller may see; they never widen it."""
    policies.require_staff(access)
    statement: SelectOfScalar[Referral] = policies.readable(access)
    organisation_id = access.organisation_id
    if direction == "sent":
        statement = statement.where(Referral.from_organisation_id == organisation_id)
    elif direction == "received":
        statement = statement.where(Referral.provider_id == organisation_id)
    if status is not None:
        statement = statement.where(Referral.status == status)
    if service_id is not None:
        statement = statement.where(Referral.service_id == service_id)
    if category_id is not None:
        statement = statement.where(Referral.category_id == category_id)
    if urgency is not None:
        statement = statement.where(Referral.urgency == urgency)
    if created_from is not None:
        statement = statement.where(col(Referral.created_at) >= created_from)
    if created_to is not None:
        statement = statement.where(col(Referral.created_at) < created_to)
    if overdue is not None:
        late = and_(
            col(Referral.status) == ReferralStatus.submitted, col(Referral.respond_by) < utcnow()
        )
        statement = statement.where(late if overdue else not_(late))
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=REFERRAL_SORTS,
        default_sort=["-created_at"],
        tiebreak=col(Referral.id),
        updated_column=col(Referral.updated_at),
    )


def events(session: Session, *, access: Access, referral_id: uuid.UUID) -> list[ReferralEvent]:
    get_visible(session, access, referral_id)
    return list(
        session.exec(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(col(ReferralEvent.created_at), col(ReferralEvent.id))
        ).all()
    )


def coverage_warnings(session: Session, referral: Referral) -> list[Warning]:
    """A client living outside the service's coverage is referred anyway, with a warning."""
    client = session.get(Client, referral.client_id) if referral.client_id else None
    service = session.get(Service, referral.service_id)
    if client is None or client.village_id is None or service is None:
        return []
    if coss_services.covers(session, service, client.village_id):
        return []
    return [
        Warning(
            code="outside_coverage",
            message="The client's village is outside the service's coverage; check with the "
            "provider that they can serve them.",
        )
    ]


def create_public(session: Session, *, access: Access, data: ReferralCreate) -> ReferralPublic:
    referral = create(session, access=access, data=data)
    warnings = coverage_warnings(session, referral)
    return present(session, access, [referral], via="create", warnings=warnings)[0]


def present_created(session: Session, access: Access, referral_id: uuid.UUID) -> ReferralPublic:
    """The answer to a creation, rebuilt for an Idempotency-Key replay: the referral as the
    caller may see it now, with the coverage warnings it was created with."""
    referral = get_visible(session, access, referral_id)
    warnings = coverage_warnings(session, referral)
    return present(session, access, [referral], via="replay", warnings=warnings)[0]
