"""Demo referrals: a few hundred over the last year, across services, states and districts.

Each client's situation comes first (a survivor of violence, a young job seeker, a poor
household, a woman farmer…); the service is then one whose category answers it, whose
eligibility the client meets and whose area covers the client's village. Clients are invented.
Deterministic; skipped when the platform already has referrals.
"""

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources

from sqlmodel import Session, col, select

from plased.coss.models import (
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceStatus,
    ServiceTargetGroup,
)
from plased.members.demo import (
    CLANS,
    FAMILY,
    FEMALE,
    INDIGENOUS_FEMALE,
    INDIGENOUS_MALE,
    MALE,
)
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
from plased.referrals.transitions import reference

COUNT = 300


@dataclass(frozen=True)
class Profile:
    """A client's situation: who they are and which kinds of service answer it."""

    weight: int  # how common the situation is among referrals
    female: float  # the share of women
    ages: tuple[int, int]
    vulnerabilities: tuple[str, ...]
    wants: dict[str, int]  # category code -> weight
    urgency: tuple[int, int, int]  # weights of routine, urgent, emergency
    reason: str


_DATA = json.loads(
    resources.files("plased.referrals").joinpath("demo_data.json").read_text("utf-8")
)
PROFILES = [
    Profile(
        **{
            **raw,
            "ages": tuple(raw["ages"]),
            "vulnerabilities": tuple(raw["vulnerabilities"]),
            "urgency": tuple(raw["urgency"]),
        }
    )
    for raw in _DATA["profiles"]
]
# Old referrals have mostly ended; recent ones are still open.
RECENT_PATHS = [tuple(ReferralStatus(s) for s in path) for path in _DATA["recent_paths"]]
OLD_PATHS = [tuple(ReferralStatus(s) for s in path) for path in _DATA["old_paths"]]
HOURS = {"routine": 336, "urgent": 72, "emergency": 24}
# Who moves a referral into each state: the sender, the provider, or nobody (the deadline).
BY_SENDER = {ReferralStatus.draft, ReferralStatus.submitted, ReferralStatus.withdrawn}
INDIGENOUS_LANGUAGES = ["tampuan", "jarai", "kreung", "brao", "kavet"]


@dataclass(frozen=True)
class Catalogue:
    services: list[Service]
    categories: dict[uuid.UUID, str]  # category id -> code
    groups: dict[uuid.UUID, set[str]]  # service id -> target groups
    villages: dict[uuid.UUID, list[AdminUnit]]  # service id -> villages it covers


def _catalogue(session: Session, coss: Platform) -> Catalogue:
    """Published services of providers that are active members of COSS."""
    active = select(Membership.organisation_id).where(
        Membership.platform_id == coss.id, Membership.status == MembershipStatus.active
    )
    # Sorted here, not by the database: collations differ, the demo must not.
    services = sorted(
        session.exec(
            select(Service)
            .where(Service.platform_id == coss.id, Service.status == ServiceStatus.published)
            .where(col(Service.provider_id).in_(active))
        ).all(),
        key=lambda s: s.name,
    )
    categories = {
        c.id: c.code
        for c in session.exec(select(ServiceCategory).where(ServiceCategory.platform_id == coss.id))
    }
    groups: dict[uuid.UUID, set[str]] = {s.id: set() for s in services}
    areas: dict[uuid.UUID, list[str]] = {s.id: [] for s in services}
    codes = {u.id: u.code for u in session.exec(select(AdminUnit)).all()}
    for area in session.exec(select(ServiceArea)).all():
        if area.service_id in areas:
            areas[area.service_id].append(codes[area.unit_id])
    villages = session.exec(
        select(AdminUnit).where(AdminUnit.level == "village").order_by(col(AdminUnit.code))
    ).all()
    for row in session.exec(select(ServiceTargetGroup)).all():
        if row.service_id in groups:
            groups[row.service_id].add(row.target_group)
    return Catalogue(
        services=services,
        categories=categories,
        groups=groups,
        villages={
            s.id: [v for v in villages if any(v.code.startswith(a) for a in areas[s.id])]
            for s in services
        },
    )


def _eligible(service: Service, female: bool, age: int) -> bool:
    if service.gender != "any" and service.gender != ("female" if female else "male"):
        return False
    if service.age_min is not None and age < service.age_min:
        return False
    return service.age_max is None or age <= service.age_max


def _service(
    rng: random.Random,
    catalogue: Catalogue,
    profile: Profile,
    offered: list[Service],
    client: tuple[bool, int, set[str]],
) -> Service:
    """A service answering the client's situation: a category the profile wants, then a service
    of that category the client is eligible for, preferably one aimed at people like them."""
    female, age, vulnerabilities = client
    fitting = [s for s in offered if _eligible(s, female, age)]
    wanted = {
        code: weight
        for code, weight in profile.wants.items()
        if any(catalogue.categories[s.category_id] == code for s in fitting)
    }
    if not wanted:
        return rng.choice(fitting or offered)
    code = rng.choices(list(wanted), weights=list(wanted.values()))[0]
    candidates = [s for s in fitting if catalogue.categories[s.category_id] == code]
    aimed = [s for s in candidates if catalogue.groups[s.id] & vulnerabilities]
    return rng.choice(aimed if aimed and rng.random() < 0.85 else candidates)


def _client_name(rng: random.Random, female: bool, language: str) -> tuple[str, str]:
    if language in ("jarai", "tampuan"):
        given, given_km = rng.choice(INDIGENOUS_FEMALE if female else INDIGENOUS_MALE)
        family, family_km = rng.choice(CLANS[language.capitalize()])
    else:
        given, given_km = rng.choice(FEMALE if female else MALE)
        family, family_km = rng.choice(FAMILY)
    return f"{family} {given}", f"{family_km} {given_km}"


def seed_referrals(
    session: Session, coss: Platform, *, sender: Organisation, provider: Organisation
) -> None:
    if session.exec(select(Referral.id).where(Referral.platform_id == coss.id)).first():
        return
    rng = random.Random(7)  # noqa: S311 - reproducible demo data, not security
    catalogue = _catalogue(session, coss)
    own = [s for s in catalogue.services if s.provider_id == provider.id]
    own_categories = {catalogue.categories[s.category_id] for s in own}
    # The profiles whose needs the demo provider answers, as much as they want its services.
    for_provider = [
        p.weight * sum(w for c, w in p.wants.items() if c in own_categories) for p in PROFILES
    ]
    # Senders: active COSS members other than providers (providers receive, never send).
    senders = sorted(
        session.exec(
            select(Organisation)
            .join(Membership, col(Membership.organisation_id) == Organisation.id)
            .where(Membership.platform_id == coss.id)
            .where(Membership.status == MembershipStatus.active)
            .where(Organisation.kind != OrganisationKind.service_provider)
        ).all(),
        key=lambda o: o.name,
    )
    codes = {u.id: u.code for u in session.exec(select(AdminUnit)).all()}
    now = datetime.now(UTC)
    for n in range(COUNT):
        # A third come from the demo CSO, a third go to the demo provider's services.
        origin = sender if n % 3 == 0 else rng.choice(senders)
        to_provider = n % 3 == 1 and bool(own)
        weights = for_provider if to_provider else [p.weight for p in PROFILES]
        profile = rng.choices(PROFILES, weights=weights)[0]
        female = rng.random() < profile.female
        age = rng.randint(*profile.ages)
        birth_year = now.year - age
        indigenous = "indigenous" in profile.vulnerabilities or rng.random() < 0.45
        vulnerabilities = set(profile.vulnerabilities)
        vulnerabilities |= {"indigenous"} if indigenous else set()
        vulnerabilities |= {"idpoor"} if rng.random() < 0.15 else set()
        vulnerabilities |= {"women"} if female else set()
        vulnerabilities |= {"youth"} if 15 <= age <= 30 else set()
        vulnerabilities |= {"child"} if age < 15 else set()
        service = _service(
            rng,
            catalogue,
            profile,
            own if to_provider else catalogue.services,
            (female, age, vulnerabilities),
        )
        # The client lives where the service reaches, near the sender when it can.
        covered = catalogue.villages[service.id]
        home = codes.get(origin.unit_id, "")[:4] if origin.unit_id else ""
        nearby = [v for v in covered if len(home) == 4 and v.code.startswith(home)]
        village = rng.choice(nearby if nearby and rng.random() < 0.7 else covered)
        language = rng.choice(INDIGENOUS_LANGUAGES) if indigenous else "khmer"
        full_name, name_km = _client_name(rng, female, language)
        urgency = rng.choices(["routine", "urgent", "emergency"], weights=profile.urgency)[0]
        days_ago = int(365 * rng.random() ** 1.5)  # use of the system grows: more lately
        path = rng.choice(RECENT_PATHS if days_ago < 30 else OLD_PATHS)
        created = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
        if path == (ReferralStatus.submitted,):  # waiting, still within its deadline
            created = now - timedelta(hours=rng.randint(3, HOURS[urgency] - 4))
        if n % 25 == 0:  # some overdue: submitted long ago, never answered
            path, created = (ReferralStatus.submitted,), now - timedelta(days=20)
        client = Client(
            full_name=full_name,
            name_km=name_km,
            gender="female" if female else "male",
            birth_year=birth_year,
            phone=f"+855 1{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            village_id=village.id,
            vulnerabilities=sorted(vulnerabilities),
            preferred_language=language,
        )
        session.add(client)
        session.flush()
        submitted = created + timedelta(hours=2)
        respond_by = submitted + timedelta(hours=HOURS[urgency])
        referral = Referral(
            platform_id=coss.id,
            from_organisation_id=origin.id,
            service_id=service.id,
            provider_id=service.provider_id,
            category_id=service.category_id,
            client_id=client.id,
            urgency=urgency,
            reason=profile.reason,
            status=path[-1],
            submitted_at=submitted,
            respond_by=respond_by,
            client_gender=client.gender,
            client_age_band=age_band(birth_year, now.year),
            district_id=unit_id(village.code[:4]),
            vulnerabilities=sorted(vulnerabilities),
            created_at=created,
            updated_at=created,
        )
        # Answers come within the deadline; an expired referral ends at its deadline.
        window = max(1, (HOURS[urgency] - 2) // len(path))
        moments = [
            submitted + timedelta(hours=rng.randint(1, window) * (i + 1)) for i in range(len(path))
        ]
        if path[-1] == ReferralStatus.expired:
            moments[-1] = respond_by
        moments = [min(m, now) for m in moments]
        if ReferralStatus.accepted in path or ReferralStatus.declined in path:
            referral.responded_at = moments[1]
        if path[-1] == ReferralStatus.declined:
            small = (service.capacity_per_month or 0) <= 15
            referral.decline_reason = rng.choice(
                ["no_capacity", "no_capacity", "not_eligible"]
                if small
                else ["no_capacity", "not_eligible", "client_unreachable"]
            )
        if path[-1] == ReferralStatus.completed:
            referral.completed_at = moments[-1]
            referral.outcome = "Service delivered"
            referral.services_delivered = service.name
        if path[-1] == ReferralStatus.closed:
            referral.close_reason = rng.choice(
                ["Client could not attend", "Client moved away for seasonal work"]
            )
        if path[-1] in (
            ReferralStatus.declined,
            ReferralStatus.withdrawn,
            ReferralStatus.expired,
            ReferralStatus.completed,
            ReferralStatus.closed,
        ):
            referral.ended_at = moments[-1]
        referral.updated_at = moments[-1]
        session.add(referral)
        session.flush()
        session.add(
            Consent(
                referral_id=referral.id,
                given_by="guardian" if age < 18 else "self",
                given_on=created.date(),
                share_with_provider=True,
                follow_up_contact=rng.random() < 0.7,
                reporting=rng.random() < 0.9,
            )
        )
        before: ReferralStatus | None = None
        for status, moment in zip((ReferralStatus.draft, *path), (created, *moments), strict=True):
            acting = (
                origin.id
                if status in BY_SENDER
                else None
                if status == ReferralStatus.expired
                else service.provider_id
            )
            session.add(
                ReferralEvent(
                    referral_id=referral.id,
                    organisation_id=acting,
                    from_status=before,
                    to_status=status,
                    created_at=moment,
                )
            )
            before = status
        if path[-1] == ReferralStatus.submitted:
            notify_organisation(
                session,
                organisation_id=service.provider_id,
                kind="referral_submitted",
                title=f"New referral {reference(referral)} received",
                referral_id=referral.id,
            )
    session.flush()
