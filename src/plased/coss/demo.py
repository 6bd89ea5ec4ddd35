"""Demo catalogue: about 30 services from the demo providers, and needs that leave clear gaps
in some districts (Ta Veaeng, Veun Sai, Andoung Meas) while Ban Lung is well served."""

from datetime import date

from sqlmodel import Session, select

from plased.coss.models import (
    Need,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
    ServiceTargetGroup,
)
from plased.members.geography import unit_id
from plased.members.models import Organisation
from plased.platforms.models import Platform
from plased.text import name_key

# provider name -> [(service name, category code, area codes, capacity, groups, languages)]
SERVICES: dict[str, list[tuple[str, str, list[str], int, list[str], list[str]]]] = {
    "Ratanakiri Rural Credit": [
        (
            "Group loans for women farmers",
            "credit",
            ["1602", "1605", "1606"],
            60,
            ["women"],
            ["khmer"],
        ),
        ("Village savings accounts", "savings", ["1602", "1604"], 80, [], ["khmer", "jarai"]),
        ("Small business loans", "credit", ["1602"], 30, ["youth"], ["khmer"]),
    ],
    "Provincial Department of Agriculture Extension": [
        ("Cashew orchard coaching", "crop_production", ["16"], 50, [], ["khmer"]),
        ("Rice seed improvement", "crop_production", ["1605", "1607"], 40, [], ["khmer", "jarai"]),
        ("Livestock vaccination days", "livestock", ["1602", "1604", "1605"], 120, [], ["khmer"]),
        (
            "Community fisheries support",
            "fisheries",
            ["1609"],
            15,
            ["indigenous"],
            ["khmer", "brao"],
        ),
    ],
    "Highland Vocational Training Centre": [
        ("Motorbike repair course", "technical_skills", ["1602"], 20, ["youth"], ["khmer"]),
        (
            "Tailoring course",
            "technical_skills",
            ["1602", "1603"],
            25,
            ["women", "youth"],
            ["khmer"],
        ),
        (
            "Life skills for young people",
            "soft_skills",
            ["1602"],
            30,
            ["youth"],
            ["khmer", "tampuan"],
        ),
    ],
    "Banlung Referral Hospital Outreach": [
        (
            "Mobile health clinic",
            "primary_care",
            ["1601", "1606", "1607"],
            200,
            [],
            ["khmer", "jarai"],
        ),
        (
            "Maternal health visits",
            "maternal_child_health",
            ["1602", "1605"],
            60,
            ["women"],
            ["khmer", "tampuan"],
        ),
        (
            "Disability rehabilitation referral",
            "primary_care",
            ["16"],
            20,
            ["disability"],
            ["khmer"],
        ),
    ],
    "Legal Aid Ratanakiri": [
        (
            "Land rights legal advice",
            "legal_counselling",
            ["1602", "1605", "1609"],
            25,
            ["indigenous"],
            ["khmer", "tampuan", "jarai"],
        ),
        ("Court representation", "legal_representation", ["16"], 8, ["women", "idpoor"], ["khmer"]),
        (
            "Village legal literacy sessions",
            "legal_counselling",
            ["1601", "1607"],
            30,
            [],
            ["khmer", "jarai"],
        ),
    ],
    "Provincial Social Affairs Office": [
        ("IDPoor registration help", "idpoor_registration", ["16"], 150, ["idpoor"], ["khmer"]),
        (
            "Cash transfer enrolment",
            "cash_transfers",
            ["1602", "1603", "1604"],
            100,
            ["idpoor", "women"],
            ["khmer"],
        ),
        ("Disability allowance enrolment", "cash_transfers", ["16"], 40, ["disability"], ["khmer"]),
    ],
    "Women's Counselling Service": [
        (
            "Counselling for survivors of violence",
            "gbv_response",
            ["1602"],
            12,
            ["women"],
            ["khmer", "tampuan"],
        ),
        ("Family counselling", "counselling", ["1602", "1604"], 20, [], ["khmer"]),
        ("Counselling by telephone", "counselling", ["16"], 40, [], ["khmer", "tampuan"]),
    ],
    "Job Centre Banlung": [
        ("Job matching", "job_placement", ["1602"], 40, ["youth"], ["khmer", "english"]),
        ("Seasonal work registration", "job_placement", ["1602", "1603"], 60, [], ["khmer"]),
        ("Apprenticeship placement", "job_placement", ["1602", "1605"], 15, ["youth"], ["khmer"]),
    ],
    "Financial Literacy Programme": [
        (
            "Household budgeting classes",
            "financial_literacy",
            ["1602", "1605", "1606"],
            45,
            ["women"],
            ["khmer", "jarai"],
        ),
        ("Savings for youth", "financial_literacy", ["1602"], 30, ["youth"], ["khmer"]),
    ],
    "Small Business Development Service": [
        ("Market access for cashew groups", "market_access", ["1605", "1603"], 15, [], ["khmer"]),
        ("Enterprise coaching", "enterprise_coaching", ["1602"], 20, ["women", "youth"], ["khmer"]),
        (
            "Eco-tourism business coaching",
            "enterprise_coaching",
            ["1602", "1606"],
            10,
            ["indigenous"],
            ["khmer", "kreung"],
        ),
    ],
}
# (unit code, category code, people, source, target group)
NEEDS: list[tuple[str, str, int, str, str | None]] = [
    ("1608", "primary_care", 180, "survey", None),
    ("1608", "idpoor_registration", 60, "survey", "idpoor"),
    ("1608", "legal_counselling", 45, "focus_group", "indigenous"),
    ("1609", "gbv_response", 30, "focus_group", "women"),
    ("1609", "technical_skills", 70, "survey", "youth"),
    ("1609", "credit", 90, "focus_group", "women"),
    ("1601", "credit", 55, "survey", None),
    ("1601", "literacy", 120, "survey", None),
    ("1605", "market_access", 60, "strategy", None),
    ("1605", "legal_counselling", 40, "focus_group", "indigenous"),
    ("1602", "job_placement", 50, "survey", "youth"),
    ("1602", "gbv_response", 10, "survey", "women"),
    ("1606", "primary_care", 90, "survey", None),
]


def seed_catalogue(session: Session, coss: Platform) -> None:
    categories = {
        c.code: c
        for c in session.exec(select(ServiceCategory).where(ServiceCategory.platform_id == coss.id))
    }
    root = coss.parent_id or coss.id
    for provider_name, offers in SERVICES.items():
        provider = session.exec(
            select(Organisation).where(
                Organisation.platform_id == root, Organisation.name_key == name_key(provider_name)
            )
        ).first()
        if provider is None:
            continue
        for name, category, areas, capacity, groups, languages in offers:
            exists = session.exec(
                select(Service.id).where(
                    Service.platform_id == coss.id, Service.name_key == name_key(name)
                )
            ).first()
            if exists:
                continue
            service = Service(
                platform_id=coss.id,
                provider_id=provider.id,
                category_id=categories[category].id,
                name=name,
                name_key=name_key(name),
                description=f"{name}, offered by {provider_name}.",
                capacity_per_month=capacity,
                is_free=category not in ("credit", "savings"),
                status="published",
                phone=provider.phone,
                email=provider.email,
            )
            session.add(service)
            session.flush()
            session.add_all(ServiceArea(service_id=service.id, unit_id=unit_id(c)) for c in areas)
            session.add_all(
                ServiceTargetGroup(service_id=service.id, target_group=g) for g in groups
            )
            session.add_all(
                ServiceLanguage(service_id=service.id, language=lang) for lang in languages
            )
    if session.exec(select(Need.id).where(Need.platform_id == coss.id)).first():
        return
    for code, category, people, source, group in NEEDS:
        session.add(
            Need(
                platform_id=coss.id,
                category_id=categories[category].id,
                unit_id=unit_id(code),
                people_count=people,
                source=source,
                target_group=group,
                reference="Demo assessment 2026",
                need_date=date(2026, 9, 15),
            )
        )
    session.flush()
