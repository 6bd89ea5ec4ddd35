"""Demo referrals: a few hundred over the last year, across services, states and districts.

Clients are invented. Deterministic; skipped when the platform already has referrals.
"""

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from plased.coss.models import Service, ServiceStatus
from plased.members.geography import unit_id
from plased.members.models import (
    AdminUnit,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from plased.notifications.service import notify_organisation
from plased.platforms.models import Platform
from plased.referrals.models import (
    Client,
    Consent,
    Referral,
    ReferralEvent,
    ReferralStatus,
    age_band,
)
from plased.referrals.workflow import reference

COUNT = 300
GIVEN = [
    "Sreypov",
    "Chanthou",
    "Nary",
    "Ly",
    "Kanha",
    "Thida",
    "Sokhom",
    "Vanny",
    "H'Lin",
    "Nay Chan",
    "Bunna",
    "Rithy",
    "Samnang",
    "Ksor Lin",
    "Rmam Phan",
    "Siu Thon",
]
FAMILY = ["Sok", "Chea", "Phan", "Heng", "Keo", "Nhem", "Srun", "Mao", "Seng", "Ouk"]
PATHS: list[tuple[ReferralStatus, ...]] = [
    (ReferralStatus.submitted,),
    (ReferralStatus.submitted, ReferralStatus.accepted),
    (ReferralStatus.submitted, ReferralStatus.accepted, ReferralStatus.in_progress),
    (
        ReferralStatus.submitted,
        ReferralStatus.accepted,
        ReferralStatus.in_progress,
        ReferralStatus.completed,
    ),
    (
        ReferralStatus.submitted,
        ReferralStatus.accepted,
        ReferralStatus.in_progress,
        ReferralStatus.completed,
    ),
    (
        ReferralStatus.submitted,
        ReferralStatus.accepted,
        ReferralStatus.in_progress,
        ReferralStatus.closed,
    ),
    (ReferralStatus.submitted, ReferralStatus.declined),
    (ReferralStatus.submitted, ReferralStatus.withdrawn),
    (ReferralStatus.submitted, ReferralStatus.expired),
]
HOURS = {"routine": 336, "urgent": 72, "emergency": 24}


def seed_referrals(
    session: Session, coss: Platform, *, sender: Organisation, provider: Organisation
) -> None:
    if session.exec(select(Referral.id).where(Referral.platform_id == coss.id)).first():
        return
    rng = random.Random(7)  # noqa: S311 - reproducible demo data, not security
    services = session.exec(
        select(Service)
        .where(Service.platform_id == coss.id, Service.status == ServiceStatus.published)
        .order_by(col(Service.name))
    ).all()
    own = [s for s in services if s.provider_id == provider.id] or list(services)
    family = [coss.id] + ([coss.parent_id] if coss.parent_id else [])
    members = session.exec(
        select(Organisation)
        .join(Membership, col(Membership.organisation_id) == Organisation.id)
        .where(col(Membership.platform_id).in_(family))
        .where(Membership.status == MembershipStatus.active)
        .where(Organisation.kind != OrganisationKind.service_provider)
        .order_by(col(Organisation.name))
        .distinct()
    ).all()
    senders = [sender, *members]
    villages = session.exec(
        select(AdminUnit).where(AdminUnit.level == "village").order_by(col(AdminUnit.code))
    ).all()
    now = datetime.now(UTC)
    for n in range(COUNT):
        # A third come from the demo CSO, a third go to the demo provider's services.
        origin = sender if n % 3 == 0 else rng.choice(senders)
        service = rng.choice(own if n % 3 == 1 else services)
        if service.provider_id == origin.id:
            continue
        village = rng.choice(villages)
        female = rng.random() < 0.62
        birth_year = now.year - rng.randint(8, 70)
        vulnerabilities = sorted(
            {
                v
                for v in ("women", "youth", "indigenous", "idpoor", "disability", "gbv_survivor")
                if rng.random() < 0.3
            }
            | ({"women"} if female else set())
            | ({"child"} if now.year - birth_year < 15 else set())
        )
        urgency = rng.choices(["routine", "urgent", "emergency"], weights=[6, 3, 1])[0]
        path = rng.choice(PATHS)
        created = now - timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 23))
        if n % 25 == 0:  # some overdue: submitted long ago, never answered
            path, created = (ReferralStatus.submitted,), now - timedelta(days=20)
        client = Client(
            full_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
            gender="female" if female else "male",
            birth_year=birth_year,
            phone=f"+855 1{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            village_id=village.id,
            vulnerabilities=vulnerabilities,
            preferred_language=rng.choice(["khmer", "khmer", "tampuan", "jarai", "kreung"]),
        )
        session.add(client)
        session.flush()
        submitted = created + timedelta(hours=2)
        referral = Referral(
            platform_id=coss.id,
            from_organisation_id=origin.id,
            service_id=service.id,
            provider_id=service.provider_id,
            category_id=service.category_id,
            client_id=client.id,
            urgency=urgency,
            reason="Demo referral",
            status=path[-1],
            submitted_at=submitted,
            respond_by=submitted + timedelta(hours=HOURS[urgency]),
            client_gender=client.gender,
            client_age_band=age_band(birth_year, now.year),
            district_id=unit_id(village.code[:4]),
            vulnerabilities=vulnerabilities,
            created_at=created,
            updated_at=created,
        )
        moments = [
            submitted + timedelta(hours=rng.randint(3, 60) * (i + 1)) for i in range(len(path))
        ]
        moments = [min(m, now) for m in moments]
        if ReferralStatus.accepted in path or ReferralStatus.declined in path:
            referral.responded_at = moments[1]
        if path[-1] == ReferralStatus.declined:
            referral.decline_reason = rng.choice(["no_capacity", "not_eligible", "out_of_area"])
        if path[-1] == ReferralStatus.completed:
            referral.completed_at = moments[-1]
            referral.outcome = "Service delivered"
            referral.services_delivered = service.name
        if path[-1] == ReferralStatus.closed:
            referral.close_reason = "Client could not attend"
        if path[-1] in (
            ReferralStatus.declined,
            ReferralStatus.withdrawn,
            ReferralStatus.expired,
            ReferralStatus.completed,
            ReferralStatus.closed,
        ):
            referral.ended_at = moments[-1]
        session.add(referral)
        session.flush()
        session.add(
            Consent(
                referral_id=referral.id,
                given_by="guardian" if now.year - birth_year < 18 else "self",
                given_on=created.date(),
                share_with_provider=True,
                follow_up_contact=rng.random() < 0.7,
                reporting=rng.random() < 0.9,
            )
        )
        before: ReferralStatus | None = None
        for status, moment in zip((ReferralStatus.draft, *path), (created, *moments), strict=True):
            session.add(
                ReferralEvent(
                    referral_id=referral.id, from_status=before, to_status=status, created_at=moment
                )
            )
            before = status
        if path[-1] == ReferralStatus.submitted and service.provider_id != origin.id:
            notify_organisation(
                session,
                organisation_id=service.provider_id,
                kind="referral_submitted",
                title=f"New referral {reference(referral)} received",
                referral_id=referral.id,
            )
    session.flush()
