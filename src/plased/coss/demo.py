"""Demo catalogue: about 30 services from the demo providers, and needs that leave clear gaps
in some districts (Ta Veaeng, Veun Sai, Andoung Meas) while Ban Lung is well served."""

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Offer:
    name: str
    name_km: str
    category: str  # a category code of the taxonomy
    description: str
    areas: list[str]  # unit codes covered ("16": the whole province)
    capacity: int  # people a month
    groups: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["khmer"])
    gender: str = "any"
    ages: tuple[int | None, int | None] = (None, None)
    fees: str | None = None  # None: free


SERVICES: dict[str, list[Offer]] = {
    "Ratanakiri Rural Credit": [
        Offer(
            "Group loans for women farmers",
            "ប្រាក់កម្ចីជាក្រុមសម្រាប់កសិករស្ត្រី",
            "credit",
            "Small loans to groups of five to ten women farmers who guarantee each other, for "
            "seed, fertiliser or a pump, repaid after the harvest.",
            ["1602", "1603", "1605", "1606"],
            60,
            ["women"],
            gender="female",
            ages=(18, None),
            fees="Interest 1.2 % a month on the declining balance",
        ),
        Offer(
            "Village savings accounts",
            "គណនីសន្សំប្រាក់នៅភូមិ",
            "savings",
            "A savings account opened and served in the village by a credit officer who comes "
            "every two weeks; deposits from 5,000 riel.",
            ["1602", "1604"],
            80,
            languages=["khmer", "jarai"],
            fees="No fee; interest paid on balances",
        ),
        Offer(
            "Small business loans",
            "ប្រាក់កម្ចីសម្រាប់អាជីវកម្មខ្នាតតូច",
            "credit",
            "Loans of up to 4 million riel for young people starting a shop, a repair stall or "
            "a food business, with a business plan prepared with the loan officer.",
            ["1602"],
            30,
            ["youth"],
            ages=(18, 30),
            fees="Interest 1.5 % a month on the declining balance",
        ),
    ],
    "Provincial Department of Agriculture Extension": [
        Offer(
            "Cashew orchard coaching",
            "ការណែនាំបច្ចេកទេសចម្ការស្វាយចន្ទី",
            "crop_production",
            "Extension workers visit cashew orchards to show pruning, grafting of better "
            "varieties and pest control, then follow up at flowering.",
            ["16"],
            50,
        ),
        Offer(
            "Rice seed improvement",
            "ការកែលម្អពូជស្រូវ",
            "crop_production",
            "Certified seed of upland and lowland rice varieties, with training in seed "
            "selection and storage so farmers can keep their own seed.",
            ["1605", "1607"],
            40,
            languages=["khmer", "jarai"],
        ),
        Offer(
            "Livestock vaccination days",
            "យុទ្ធនាការចាក់វ៉ាក់សាំងសត្វពាហនៈ",
            "livestock",
            "Vaccination of cattle, buffalo, pigs and chickens in the village on announced "
            "days, with advice on feeding and animal housing.",
            ["1602", "1604", "1605"],
            120,
        ),
        Offer(
            "Community fisheries support",
            "ការគាំទ្រសហគមន៍នេសាទ",
            "fisheries",
            "Help for fishing communities on the Sesan to register, map their fishing areas "
            "and draw up management rules with the Fisheries Administration.",
            ["1609"],
            15,
            ["indigenous"],
            ["khmer", "brao"],
        ),
    ],
    "Highland Vocational Training Centre": [
        Offer(
            "Motorbike repair course",
            "វគ្គជួសជុលម៉ូតូ",
            "technical_skills",
            "A three-month practical course in motorbike maintenance and repair, ending with a "
            "recognised certificate and a starter tool kit.",
            ["1602"],
            20,
            ["youth"],
            ages=(16, 30),
        ),
        Offer(
            "Tailoring course",
            "វគ្គកាត់ដេរ",
            "technical_skills",
            "Four months of cutting and sewing on the centre's machines, with lessons on "
            "pricing and finding customers; a meal allowance for trainees from far away.",
            ["1602", "1603"],
            25,
            ["women", "youth"],
            ages=(16, None),
        ),
        Offer(
            "Life skills for young people",
            "ជំនាញជីវិតសម្រាប់យុវជន",
            "soft_skills",
            "Weekly group sessions on communication, planning, job interviews and managing "
            "money, in Khmer and Tampuan.",
            ["1602"],
            30,
            ["youth"],
            ["khmer", "tampuan"],
            ages=(15, 30),
        ),
    ],
    "Banlung Referral Hospital Outreach": [
        Offer(
            "Mobile health clinic",
            "គ្លីនិកសុខភាពចល័ត",
            "primary_care",
            "A doctor and two nurses hold a clinic in remote villages once a month: "
            "consultations, medicines, vaccinations and referral to the hospital.",
            ["1601", "1606", "1607"],
            200,
            languages=["khmer", "jarai"],
        ),
        Offer(
            "Maternal health visits",
            "ការចុះពិនិត្យសុខភាពមាតា",
            "maternal_child_health",
            "Midwives visit pregnant women and new mothers at home for antenatal and postnatal "
            "check-ups and advice on breastfeeding and newborn care.",
            ["1602", "1605"],
            60,
            ["women"],
            ["khmer", "tampuan"],
            gender="female",
        ),
        Offer(
            "Disability rehabilitation referral",
            "ការបញ្ជូនទៅស្ដារនីតិសម្បទាជនមានពិការភាព",
            "primary_care",
            "Assessment at the hospital and referral to physiotherapy, mobility aids or "
            "prosthetics, with transport paid for the first visit.",
            ["16"],
            20,
            ["disability"],
        ),
    ],
    "Legal Aid Ratanakiri": [
        Offer(
            "Land rights legal advice",
            "ប្រឹក្សាផ្លូវច្បាប់អំពីសិទ្ធិដីធ្លី",
            "legal_counselling",
            "Lawyers advise families and indigenous communities on land titles, communal land "
            "registration and land disputes.",
            ["1602", "1605", "1609"],
            25,
            ["indigenous"],
            ["khmer", "tampuan", "jarai"],
        ),
        Offer(
            "Court representation",
            "ការតំណាងនៅតុលាការ",
            "legal_representation",
            "A lawyer represents poor clients free of charge before the provincial court in "
            "civil and criminal cases.",
            ["16"],
            8,
            ["women", "idpoor"],
        ),
        Offer(
            "Village legal literacy sessions",
            "វគ្គអប់រំច្បាប់នៅភូមិ",
            "legal_counselling",
            "Sessions in the village on family law, land law and where to complain, followed "
            "by individual advice.",
            ["1601", "1607"],
            30,
            languages=["khmer", "jarai"],
        ),
        Offer(
            "Legal support for survivors of violence",
            "ជំនួយផ្លូវច្បាប់សម្រាប់ជនរងគ្រោះពីអំពើហិង្សា",
            "legal_representation",
            "Help to file a complaint, obtain a protection order and be accompanied through "
            "the court case, in cooperation with the Women's Counselling Service.",
            ["16"],
            6,
            ["women"],
        ),
    ],
    "Provincial Social Affairs Office": [
        Offer(
            "IDPoor registration help",
            "ជំនួយក្នុងការចុះឈ្មោះប័ណ្ណក្រីក្រ",
            "idpoor_registration",
            "Help for households missed by the IDPoor survey to apply for on-demand "
            "identification and obtain their Equity Card.",
            ["16"],
            150,
            ["idpoor"],
        ),
        Offer(
            "Cash transfer enrolment",
            "ការចុះឈ្មោះទទួលប្រាក់ឧបត្ថម្ភ",
            "cash_transfers",
            "Enrolment of IDPoor households in the cash transfer programmes for pregnant women "
            "and young children and in the family package.",
            ["1602", "1603", "1604"],
            100,
            ["idpoor", "women"],
        ),
        Offer(
            "Disability allowance enrolment",
            "ការចុះឈ្មោះទទួលប្រាក់ឧបត្ថម្ភជនមានពិការភាព",
            "cash_transfers",
            "Assessment of disability and enrolment in the monthly disability allowance for "
            "people in IDPoor households.",
            ["16"],
            40,
            ["disability"],
        ),
    ],
    "Women's Counselling Service": [
        Offer(
            "Counselling for survivors of violence",
            "ការប្រឹក្សាសម្រាប់ជនរងគ្រោះពីអំពើហិង្សា",
            "gbv_response",
            "Confidential counselling for women who have suffered violence, a safety plan, "
            "and accompaniment to health, police and legal services when they choose.",
            ["1602"],
            12,
            ["women"],
            ["khmer", "tampuan"],
        ),
        Offer(
            "Family counselling",
            "ការប្រឹក្សាគ្រួសារ",
            "counselling",
            "Sessions for couples and families facing conflict, alcohol problems or stress, "
            "at the centre or at home.",
            ["1602", "1604"],
            20,
        ),
        Offer(
            "Counselling by telephone",
            "ការប្រឹក្សាតាមទូរស័ព្ទ",
            "counselling",
            "A counsellor answers by telephone every weekday and calls back clients who "
            "cannot travel to Ban Lung.",
            ["16"],
            40,
            languages=["khmer", "tampuan"],
        ),
    ],
    "Job Centre Banlung": [
        Offer(
            "Job matching",
            "ការផ្គូផ្គងការងារ",
            "job_placement",
            "Registration of job seekers and matching with vacancies from employers in the "
            "province, with help to prepare for the interview.",
            ["1602"],
            40,
            ["youth"],
            ["khmer", "english"],
            ages=(18, 35),
        ),
        Offer(
            "Seasonal work registration",
            "ការចុះឈ្មោះការងាររដូវកាល",
            "job_placement",
            "Registration for seasonal work in cashew and rubber harvests with employers who "
            "respect the minimum wage and safe transport.",
            ["1602", "1603"],
            60,
            ages=(18, None),
        ),
        Offer(
            "Apprenticeship placement",
            "ការដាក់ឱ្យធ្វើជាកូនជាង",
            "job_placement",
            "Placement of young people as paid apprentices with local workshops, garages and "
            "restaurants for six to twelve months.",
            ["1602", "1605"],
            15,
            ["youth"],
            ages=(16, 30),
        ),
    ],
    "Financial Literacy Programme": [
        Offer(
            "Household budgeting classes",
            "ថ្នាក់រៀនគ្រប់គ្រងថវិកាគ្រួសារ",
            "financial_literacy",
            "Five evening classes in the village on planning household spending, saving for "
            "the lean season and avoiding over-indebtedness.",
            ["1602", "1605", "1606"],
            45,
            ["women"],
            ["khmer", "jarai"],
        ),
        Offer(
            "Savings for youth",
            "ការសន្សំសម្រាប់យុវជន",
            "financial_literacy",
            "A course for young people on saving, mobile money and comparing loan offers, "
            "with a first savings goal set with a mentor.",
            ["1602"],
            30,
            ["youth"],
            ages=(15, 30),
        ),
    ],
    "Small Business Development Service": [
        Offer(
            "Market access for cashew groups",
            "ការចូលទីផ្សារសម្រាប់ក្រុមស្វាយចន្ទី",
            "market_access",
            "Help for producer groups to grade, store and sell raw cashew nuts together and to "
            "negotiate with buyers.",
            ["1605", "1603"],
            15,
        ),
        Offer(
            "Enterprise coaching",
            "ការណែនាំសហគ្រាស",
            "enterprise_coaching",
            "Monthly coaching for small businesses on bookkeeping, pricing and customers, "
            "for a year.",
            ["1602"],
            20,
            ["women", "youth"],
        ),
        Offer(
            "Eco-tourism business coaching",
            "ការណែនាំអាជីវកម្មទេសចរណ៍ធម្មជាតិ",
            "enterprise_coaching",
            "Coaching for community eco-tourism groups on guiding, homestays, prices and "
            "sharing income fairly.",
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
        for offer in offers:
            exists = session.exec(
                select(Service.id).where(
                    Service.platform_id == coss.id, Service.name_key == name_key(offer.name)
                )
            ).first()
            if exists:
                continue
            service = Service(
                platform_id=coss.id,
                provider_id=provider.id,
                category_id=categories[offer.category].id,
                name=offer.name,
                name_key=name_key(offer.name),
                name_km=offer.name_km,
                description=offer.description,
                age_min=offer.ages[0],
                age_max=offer.ages[1],
                gender=offer.gender,
                is_free=offer.fees is None,
                fees=offer.fees,
                capacity_per_month=offer.capacity,
                status="published",
                phone=provider.phone,
                email=provider.email,
            )
            session.add(service)
            session.flush()
            session.add_all(
                ServiceArea(service_id=service.id, unit_id=unit_id(c)) for c in offer.areas
            )
            session.add_all(
                ServiceTargetGroup(service_id=service.id, target_group=g) for g in offer.groups
            )
            session.add_all(
                ServiceLanguage(service_id=service.id, language=lang) for lang in offer.languages
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
