"""The service taxonomy: two levels, bilingual, seeded for every platform."""

import uuid

from sqlmodel import Session, col, select

from plased.access import Access, public_platform
from plased.concurrency import check_if_match
from plased.coss.models import ServiceCategory
from plased.db import bump
from plased.errors import Conflict, NotFound, field_error

# code -> (English, Khmer, [(child code, English, Khmer)])
TAXONOMY: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "agriculture_extension",
        "Agriculture extension",
        "ផ្សព្វផ្សាយកសិកម្ម",
        [
            ("crop_production", "Crop production", "ផលិតកម្មដំណាំ"),
            ("livestock", "Livestock", "ចិញ្ចឹមសត្វ"),
            ("fisheries", "Fisheries", "នេសាទ"),
        ],
    ),
    (
        "microfinance",
        "Microfinance",
        "មីក្រូហិរញ្ញវត្ថុ",
        [
            ("credit", "Credit", "ឥណទាន"),
            ("savings", "Savings", "សន្សំ"),
        ],
    ),
    ("financial_literacy", "Financial literacy", "ចំណេះដឹងហិរញ្ញវត្ថុ", []),
    (
        "vocational_training",
        "Vocational training",
        "បណ្តុះបណ្តាលវិជ្ជាជីវៈ",
        [
            ("technical_skills", "Technical skills", "ជំនាញបច្ចេកទេស"),
            ("soft_skills", "Soft skills", "ជំនាញទន់"),
        ],
    ),
    ("job_placement", "Job placement", "ការងារ", []),
    (
        "health",
        "Health",
        "សុខភាព",
        [
            ("primary_care", "Primary care", "សេវាសុខភាពបឋម"),
            ("maternal_child_health", "Maternal and child health", "សុខភាពមាតានិងទារក"),
        ],
    ),
    (
        "psycho_social_support",
        "Psycho-social support",
        "ការគាំទ្រផ្លូវចិត្តសង្គម",
        [
            ("counselling", "Counselling", "ការប្រឹក្សា"),
            ("gbv_response", "Gender-based violence response", "ការឆ្លើយតបអំពើហិង្សាផ្អែកលើយេនឌ័រ"),
        ],
    ),
    (
        "legal_aid",
        "Legal aid",
        "ជំនួយផ្លូវច្បាប់",
        [
            ("legal_counselling", "Legal counselling", "ប្រឹក្សាផ្លូវច្បាប់"),
            ("legal_representation", "Legal representation", "តំណាងផ្លូវច្បាប់"),
        ],
    ),
    (
        "social_protection",
        "Social protection",
        "គាំពារសង្គម",
        [
            ("idpoor_registration", "IDPoor registration", "ការចុះឈ្មោះប័ណ្ណក្រីក្រ"),
            ("cash_transfers", "Cash transfers", "ការផ្ទេរសាច់ប្រាក់"),
        ],
    ),
    (
        "education",
        "Education",
        "អប់រំ",
        [
            ("literacy", "Literacy", "អក្ខរកម្ម"),
            ("scholarships", "Scholarships", "អាហារូបករណ៍"),
        ],
    ),
    (
        "business_development",
        "Business development",
        "អភិវឌ្ឍន៍អាជីវកម្ម",
        [
            ("market_access", "Market access", "ការចូលទីផ្សារ"),
            ("enterprise_coaching", "Enterprise coaching", "ការណែនាំសហគ្រាស"),
        ],
    ),
]


def seed_taxonomy(session: Session, platform_id: uuid.UUID) -> None:
    existing = set(
        session.exec(select(ServiceCategory.code).where(ServiceCategory.platform_id == platform_id))
    )
    for code, name, name_km, children in TAXONOMY:
        parent = None
        if code not in existing:
            parent = ServiceCategory(platform_id=platform_id, code=code, name=name, name_km=name_km)
            session.add(parent)
            session.flush()
        else:
            parent = session.exec(
                select(ServiceCategory).where(
                    ServiceCategory.platform_id == platform_id, ServiceCategory.code == code
                )
            ).one()
        for child_code, child_name, child_km in children:
            if child_code not in existing:
                session.add(
                    ServiceCategory(
                        platform_id=platform_id,
                        code=child_code,
                        parent_id=parent.id,
                        name=child_name,
                        name_km=child_km,
                    )
                )
    session.flush()


def categories(session: Session, platform_id: uuid.UUID) -> list[ServiceCategory]:
    return list(
        session.exec(
            select(ServiceCategory)
            .where(ServiceCategory.platform_id == platform_id)
            .order_by(col(ServiceCategory.code))
        ).all()
    )


def public_categories(
    session: Session, platform_id: uuid.UUID, access: Access | None
) -> list[ServiceCategory]:
    """A public feed: an archived platform publishes nothing (administrators still read it)."""
    public_platform(session, platform_id, access)
    return categories(session, platform_id)


def get_category(
    session: Session, platform_id: uuid.UUID, category_id: uuid.UUID, *, pointer: str
) -> ServiceCategory:
    category = session.get(ServiceCategory, category_id)
    if category is None or category.platform_id != platform_id:
        raise field_error(pointer, "unknown_category", "No such category in this platform.")
    return category


def top_level(by_id: dict[uuid.UUID, ServiceCategory], category_id: uuid.UUID) -> ServiceCategory:
    category = by_id[category_id]
    return by_id[category.parent_id] if category.parent_id else category


def create_category(
    session: Session,
    *,
    platform_id: uuid.UUID,
    code: str,
    name: str,
    name_km: str | None,
    parent_id: uuid.UUID | None,
) -> ServiceCategory:
    if parent_id is not None:
        parent = get_category(session, platform_id, parent_id, pointer="/body/parent_id")
        if parent.parent_id is not None:
            raise field_error(
                "/body/parent_id", "too_deep", "The taxonomy has two levels; pick a top category."
            )
    if session.exec(
        select(ServiceCategory.id).where(
            ServiceCategory.platform_id == platform_id, ServiceCategory.code == code
        )
    ).first():
        raise Conflict("A category with this code exists.", code="category_exists")
    category = ServiceCategory(
        platform_id=platform_id, code=code, name=name, name_km=name_km, parent_id=parent_id
    )
    session.add(category)
    session.flush()
    return category


def update_category(
    session: Session, *, category: ServiceCategory, changes: dict[str, object], if_match: str | None
) -> ServiceCategory:
    check_if_match(if_match, category.version)
    if changes:
        category.sqlmodel_update(changes)
        bump(category)
        session.add(category)
    return category


def find(session: Session, category_id: uuid.UUID) -> ServiceCategory:
    category = session.get(ServiceCategory, category_id)
    if category is None:
        raise NotFound
    return category
