"""Demo members for Ratanakiri: authorities, CSOs, providers, people, memberships.

Organisation and person names are invented for the demo; places are the real units of the
shipped geography. Deterministic and idempotent: records are matched by their stable keys.
"""

import random
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from plased.members.geography import unit_id
from plased.members.models import (
    AdminUnit,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Organisation,
    Person,
    Representative,
)
from plased.platforms.models import Platform
from plased.text import name_key

CSO_NAMES: dict[str, list[str]] = {
    "agriculture": [
        "Cashew Growers Association",
        "Rice Seed Producers Group",
        "Smallholder Coffee Network",
        "Cassava Farmers Cooperative",
        "Highland Vegetable Growers",
        "Pepper Farmers Union",
        "Agricultural Cooperative Alliance",
        "Fisheries Community Network",
    ],
    "environment": [
        "Community Forestry Network",
        "Sesan River Protection Group",
        "Green Highlands Initiative",
        "Wildlife and Forest Watch",
        "Clean Water Committee Network",
        "Virachey Buffer Zone Forum",
        "Community Protected Area Alliance",
        "Yeak Laom Lake Friends",
    ],
    "indigenous": [
        "Indigenous Youth Network",
        "Indigenous Women Weavers",
        "Highlanders Association",
        "Indigenous Land Rights Forum",
        "Tampuan Culture Association",
        "Jarai Community Network",
        "Kreung Elders Council",
        "Brao Community Association",
    ],
    "social_development": [
        "Women's Development Centre",
        "Youth Skills Association",
        "Disability Action Group",
        "Community Health Volunteers",
        "Children's Education Fund",
        "Literacy for All",
        "Migrant Families Support",
        "Savings Groups Federation",
    ],
    "cbo": [
        "Village Savings Group",
        "Community Fisheries",
        "Water Users Committee",
        "Women's Self-Help Group",
        "Community Rice Bank",
        "Youth Volunteers Club",
        "Farmer Field School",
        "Eco-tourism Community",
    ],
}
PROVIDERS = [
    ("Ratanakiri Rural Credit", "Microfinance provider"),
    ("Provincial Department of Agriculture Extension", "Agricultural extension"),
    ("Highland Vocational Training Centre", "Vocational training"),
    ("Banlung Referral Hospital Outreach", "Health"),
    ("Legal Aid Ratanakiri", "Legal aid"),
    ("Provincial Social Affairs Office", "Social protection"),
    ("Women's Counselling Service", "Psycho-social support"),
    ("Job Centre Banlung", "Job placement"),
    ("Financial Literacy Programme", "Financial literacy"),
    ("Small Business Development Service", "Business development"),
]
FEMALE = [
    "Sophea",
    "Chanthy",
    "Sreymom",
    "Bopha",
    "Sokha",
    "Phalla",
    "Srey Pov",
    "Leakhena",
    "Channary",
    "Kolab",
    "H'Bian",
    "Nay Ly",
    "Romam Ka",
    "Sev Nhoeun",
]
MALE = [
    "Dara",
    "Vuthy",
    "Rathana",
    "Kimheng",
    "Sovann",
    "Piseth",
    "Bunthoeun",
    "Chenda",
    "Ksor Hlung",
    "Rmam Thy",
    "Siu Blang",
    "Kpa Dong",
    "Sal Kheng",
    "Bun Lay",
]
FAMILY = ["Sok", "Chan", "Phan", "Heng", "Keo", "Nhem", "Lim", "Srun", "Mao", "Seng"]
INDIGENOUS = ["Tampuan", "Jarai", "Kreung", "Brao", "Kavet", "Kachok", "Lun"]


def _org(session: Session, root: Platform, **values: object) -> Organisation:
    key = name_key(str(values["name"]))
    existing = session.exec(
        select(Organisation).where(
            Organisation.platform_id == root.id, Organisation.name_key == key
        )
    ).first()
    if existing:
        return existing
    organisation = Organisation(platform_id=root.id, name_key=key, **values)  # type: ignore[arg-type]
    session.add(organisation)
    session.flush()
    return organisation


def _person(session: Session, root: Platform, rng: random.Random, n: int) -> Person:
    # About half women, among primary representatives and alternates alike.
    female = n % 4 in (0, 1)
    indigenous = n % 3 == 0
    # Draw every value first: the sequence must not depend on what already exists.
    given = rng.choice(FEMALE if female else MALE)
    family = rng.choice(FAMILY)
    group = rng.choice(INDIGENOUS)
    full_name = given if indigenous else f"{family} {given}"
    birth_year = datetime.now(UTC).year - (19 + (n * 7) % 45)  # some youth, most adults
    key = name_key(full_name)
    existing = session.exec(
        select(Person).where(
            Person.platform_id == root.id, Person.name_key == key, Person.birth_year == birth_year
        )
    ).first()
    if existing:
        return existing
    person = Person(
        platform_id=root.id,
        full_name=full_name,
        name_key=key,
        gender="female" if female else "male",
        birth_year=birth_year,
        indigenous_group=group if indigenous else None,
        phone=f"+855 97 {100 + n:03d} {1000 + n * 37 % 9000:04d}",
        consent_to_be_listed=n % 4 != 0,
    )
    session.add(person)
    session.flush()
    return person


def _represent(session: Session, organisation: Organisation, person: Person, role: str) -> None:
    exists = session.exec(
        select(Representative.id).where(
            Representative.organisation_id == organisation.id,
            col(Representative.end_date).is_(None),
            Representative.role == role,
        )
    ).first()
    if not exists:
        session.add(
            Representative(
                organisation_id=organisation.id,
                person_id=person.id,
                role=role,
                start_date=date(2024, 3, 1),
            )
        )


def _membership(
    session: Session, organisation: Organisation, platform: Platform, status: str
) -> None:
    exists = session.exec(
        select(Membership.id).where(
            Membership.organisation_id == organisation.id, Membership.platform_id == platform.id
        )
    ).first()
    if exists:
        return
    applied = datetime(2024, 2, 1, 3, 0, tzinfo=UTC) + timedelta(days=len(organisation.name))
    membership = Membership(
        organisation_id=organisation.id,
        platform_id=platform.id,
        status=status,
        applied_at=applied,
        decided_at=None if status == MembershipStatus.applied else applied + timedelta(days=14),
        reason="Demo: not yet meeting the criteria"
        if status == MembershipStatus.rejected
        else None,
    )
    session.add(membership)
    session.flush()
    session.add(
        MembershipEvent(membership_id=membership.id, to_status="applied", created_at=applied)
    )
    if status != MembershipStatus.applied:
        first = (
            MembershipStatus.rejected
            if status == MembershipStatus.rejected
            else MembershipStatus.active
        )
        session.add(
            MembershipEvent(
                membership_id=membership.id,
                from_status="applied",
                to_status=first,
                created_at=applied + timedelta(days=14),
            )
        )
        if status == MembershipStatus.suspended:
            session.add(
                MembershipEvent(
                    membership_id=membership.id,
                    from_status="active",
                    to_status="suspended",
                    reason="Demo: reports overdue",
                    created_at=applied + timedelta(days=200),
                )
            )


def seed_members(session: Session, plased: Platform, coss: Platform) -> dict[str, Organisation]:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, not security
    districts = session.exec(
        select(AdminUnit).where(AdminUnit.level == "district").order_by(col(AdminUnit.code))
    ).all()
    communes = session.exec(
        select(AdminUnit).where(AdminUnit.level == "commune").order_by(col(AdminUnit.code))
    ).all()
    authorities = [
        _org(
            session,
            plased,
            name="Ratanakiri Provincial Administration",
            name_km="រដ្ឋបាលខេត្តរតនគិរី",
            kind="local_authority",
            la_level="provincial",
            unit_id=unit_id("16"),
        )
    ]
    for district in districts:
        kind = "Municipal" if district.code == "1602" else "District"
        authorities.append(
            _org(
                session,
                plased,
                name=f"{district.name} {kind} Administration",
                name_km=f"រដ្ឋបាល{district.name_km}",
                kind="local_authority",
                la_level="district",
                unit_id=district.id,
            )
        )
    for commune in communes[::2]:  # a good share: every other commune council
        authorities.append(
            _org(
                session,
                plased,
                name=f"{commune.name} Commune Council",
                name_km=f"ក្រុមប្រឹក្សាឃុំ{commune.name_km}",
                kind="local_authority",
                la_level="commune",
                unit_id=commune.id,
            )
        )
    csos: list[Organisation] = []
    for sector, names in CSO_NAMES.items():
        for i, base in enumerate(names):
            place = districts[(i + len(sector)) % len(districts)]
            csos.append(
                _org(
                    session,
                    plased,
                    name=f"{place.name} {base}",
                    kind="cso",
                    sector=sector,
                    unit_id=place.id,
                    email=f"contact{len(csos) + 1}@cso.example.org",
                )
            )
    providers = [
        _org(
            session,
            plased,
            name=name,
            kind="service_provider",
            address=description,
            unit_id=unit_id("1602"),
            email=f"info{i}@provider.example.org",
            phone="+855 75 974 000",
        )
        for i, (name, description) in enumerate(PROVIDERS, start=1)
    ]
    others = [
        _org(
            session,
            plased,
            name="Provincial Department of Education",
            kind="education",
            unit_id=unit_id("16"),
        ),
        _org(
            session,
            plased,
            name="Ratanakiri Chamber of Commerce",
            kind="private_sector",
            unit_id=unit_id("1602"),
        ),
    ]
    everyone = authorities + csos + providers + others
    n = 0
    for organisation in everyone:
        for role in ("primary", "alternate"):
            n += 1
            _represent(session, organisation, _person(session, plased, rng, n), role)
    statuses = ["active"] * 8 + ["applied", "suspended", "rejected", "withdrawn"]
    for i, organisation in enumerate(everyone):
        # The authorities above communes and every provider are active members of both.
        core = organisation in authorities[:10] or organisation in providers
        core = core or organisation is csos[0]  # the demo CSO user's organisation
        status = "active" if core else statuses[i % len(statuses)]
        _membership(session, organisation, plased, status)
        in_coss = organisation.kind in ("service_provider", "local_authority") or i % 2 == 0
        if status == "active" and in_coss:
            _membership(
                session, organisation, coss, "applied" if i % 7 == 0 and not core else "active"
            )
    session.flush()
    return {"cso": csos[0], "provider": providers[0]}
