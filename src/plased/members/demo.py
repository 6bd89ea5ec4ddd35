"""Demo members of PLASED Ratanakiri: the programme's 40 CSOs, 60 local authorities and 10
service providers, other stakeholders, their people and memberships.

Organisation and person names are invented for the demo; places are the real units of the
shipped geography, and an organisation named after a place is located there. Deterministic and
idempotent: records are matched by their stable keys.
"""

import random
import uuid
from dataclasses import dataclass
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

# The demo CSO user's organisation and the demo provider user's organisation.
DEMO_CSO = "Bar Kaev Cashew Growers Association"
DEMO_PROVIDER = "Ratanakiri Rural Credit"

# sector -> [(name, Khmer name, unit code, address)]: the programme's 15/3/5/12/5 CSOs.
CSOS: dict[str, list[tuple[str, str, str, str]]] = {
    "agriculture": [
        (DEMO_CSO, "សមាគមអ្នកដាំស្វាយចន្ទីបរកែវ", "1603", "Sala village, Kak commune, Bar Kaev"),
        (
            "Lumphat Rice Seed Producers Group",
            "ក្រុមអ្នកផលិតគ្រាប់ពូជស្រូវលំផាត់",
            "1605",
            "Lumphat village, Chey Otdam commune, Lumphat",
        ),
        (
            "Smallholder Coffee Network",
            "បណ្ដាញកសិករដាំកាហ្វេខ្នាតតូច",
            "1607",
            "Pak Thum village, Pak Nhai commune, Ou Ya Dav",
        ),
        (
            "Koun Mom Cassava Farmers Cooperative",
            "សហករណ៍កសិករដាំដំឡូងមីកូនមុំ",
            "1604",
            "Srae Pok Thum village, Serei Mangkul commune, Koun Mom",
        ),
        (
            "Labansiek Vegetable Growers Group",
            "ក្រុមអ្នកដាំបន្លែឡាបានសៀក",
            "160202",
            "Thmei village, Sangkat Labansiek, Ban Lung",
        ),
        (
            "Ou Chum Pepper Farmers Union",
            "សហភាពកសិករដាំម្រេចអូរជុំ",
            "1606",
            "Ou Chum village, Ou Chum commune, Ou Chum",
        ),
        (
            "Ratanakiri Agricultural Cooperative Alliance",
            "សម្ព័ន្ធសហករណ៍កសិកម្មរតនគិរី",
            "1602",
            "Street 13, Sangkat Labansiek, Ban Lung",
        ),
        (
            "Sesan Fisheries Community Network",
            "បណ្ដាញសហគមន៍នេសាទសេសាន",
            "1609",
            "Veun Sai village, Veun Sai commune, Veun Sai",
        ),
        (
            "Malik Livestock Raisers Association",
            "សមាគមអ្នកចិញ្ចឹមសត្វម៉ាលិក",
            "160101",
            "Katae village, Malik commune, Andoung Meas",
        ),
        (
            "Andoung Meas Rubber Smallholders Group",
            "ក្រុមកសិករដាំកៅស៊ូខ្នាតតូចអណ្ដូងមាស",
            "1601",
            "Ta Lav village, Ta Lav commune, Andoung Meas",
        ),
        (
            "Ta Veaeng Upland Rice Farmers Group",
            "ក្រុមកសិករដាំស្រូវចម្ការតាវែង",
            "1608",
            "Ta Veaeng village, Ta Veaeng Leu commune, Ta Veaeng",
        ),
        (
            "Veun Sai Cashew Processing Cooperative",
            "សហករណ៍កែច្នៃគ្រាប់ស្វាយចន្ទីវើនសៃ",
            "1609",
            "Bak Kae village, Veun Sai commune, Veun Sai",
        ),
        (
            "Srepok Fish Farmers Group",
            "ក្រុមអ្នកចិញ្ចឹមត្រីស្រែពក",
            "1605",
            "Ba Tang village, Ba Tang commune, Lumphat",
        ),
        (
            "Ou Chum Beekeepers Association",
            "សមាគមអ្នកចិញ្ចឹមឃ្មុំអូរជុំ",
            "1606",
            "Kalai Muoy village, Kalai commune, Ou Chum",
        ),
        (
            "Trapeang Chres Soybean Growers Group",
            "ក្រុមអ្នកដាំសណ្ដែកសៀងត្រពាំងច្រេស",
            "160405",
            "Phum Muoy village, Trapeang Chres commune, Koun Mom",
        ),
    ],
    "environment": [
        (
            "Yeak Laom Lake Friends",
            "ក្រុមមិត្តបឹងយក្ខឡោម",
            "160203",
            "Chri village, Sangkat Yeak Laom, Ban Lung",
        ),
        (
            "Sesan River Protection Group",
            "ក្រុមការពារទន្លេសេសាន",
            "1608",
            "Kaoh Pong village, Ta Veaeng Kraom commune, Ta Veaeng",
        ),
        (
            "Virachey Buffer Zone Forum",
            "វេទិកាតំបន់ទ្រនាប់ឧទ្យានជាតិវីរៈជ័យ",
            "160907",
            "La Lai village, Kok Lak commune, Veun Sai",
        ),
    ],
    "indigenous": [
        (
            "Tampuan Culture Association",
            "សមាគមវប្បធម៌ទំពួន",
            "1606",
            "L'eun Chong village, Ou Chum commune, Ou Chum",
        ),
        (
            "Jarai Community Network",
            "បណ្ដាញសហគមន៍ចារ៉ាយ",
            "1607",
            "Ten Ngal village, Ya Tung commune, Ou Ya Dav",
        ),
        (
            "Kreung Elders Council",
            "ក្រុមប្រឹក្សាចាស់ទុំគ្រឹង",
            "1604",
            "Teun village, Teun commune, Koun Mom",
        ),
        (
            "Brao Community Association",
            "សមាគមសហគមន៍ព្រៅ",
            "1608",
            "Tun village, Ta Veaeng Kraom commune, Ta Veaeng",
        ),
        (
            "Indigenous Land Rights Forum",
            "វេទិកាសិទ្ធិដីធ្លីជនជាតិដើមភាគតិច",
            "1602",
            "Street 9, Sangkat Labansiek, Ban Lung",
        ),
    ],
    "social_development": [
        (
            "Ban Lung Women's Development Centre",
            "មជ្ឈមណ្ឌលអភិវឌ្ឍន៍ស្ត្រីបានលុង",
            "1602",
            "Street 82, Sangkat Boeng Kansaeng, Ban Lung",
        ),
        (
            "Youth Skills Association",
            "សមាគមជំនាញយុវជន",
            "160202",
            "Street 11, Sangkat Labansiek, Ban Lung",
        ),
        (
            "Disability Action Group",
            "ក្រុមសកម្មភាពជនមានពិការភាព",
            "1602",
            "Street 5, Sangkat Kachanh, Ban Lung",
        ),
        (
            "Ou Chum Community Health Volunteers",
            "ក្រុមអ្នកស្ម័គ្រចិត្តសុខភាពសហគមន៍អូរជុំ",
            "1606",
            "Cha Ung Ket village, Cha Ung commune, Ou Chum",
        ),
        (
            "Children's Education Fund",
            "មូលនិធិអប់រំកុមារ",
            "1604",
            "Phum Pir village, Srae Angkrong commune, Koun Mom",
        ),
        (
            "Veun Sai Literacy for All",
            "អក្ខរកម្មសម្រាប់ទាំងអស់គ្នាវើនសៃ",
            "1609",
            "Hat Pak village, Hat Pak commune, Veun Sai",
        ),
        (
            "Andoung Meas Migrant Families Support",
            "ជំនួយគ្រួសារពលករចំណាកស្រុកអណ្ដូងមាស",
            "1601",
            "Ka Chut village, Nhang commune, Andoung Meas",
        ),
        (
            "Lumphat Savings Groups Federation",
            "សហព័ន្ធក្រុមសន្សំប្រាក់លំផាត់",
            "1605",
            "Ka Laeng village, Ka Laeng commune, Lumphat",
        ),
        (
            "Bar Kaev Women's Rights Network",
            "បណ្ដាញសិទ្ធិស្ត្រីបរកែវ",
            "1603",
            "Lung Khung village, Lung Khung commune, Bar Kaev",
        ),
        (
            "Ta Veaeng Youth for Change",
            "យុវជនដើម្បីការផ្លាស់ប្ដូរតាវែង",
            "1608",
            "Pangkit village, Ta Veaeng Leu commune, Ta Veaeng",
        ),
        (
            "Ou Ya Dav Mother and Child Health Group",
            "ក្រុមសុខភាពមាតានិងកុមារអូរយ៉ាដាវ",
            "1607",
            "Plang village, Pa Te commune, Ou Ya Dav",
        ),
        (
            "Banlung Child Protection Network",
            "បណ្ដាញការពារកុមារបានលុង",
            "1602",
            "Tes Anlung village, Sangkat Boeng Kansaeng, Ban Lung",
        ),
    ],
    "cbo": [
        (
            "Kaoh Peak Village Savings Group",
            "ក្រុមសន្សំប្រាក់ភូមិកោះពាក្យ",
            "160906",
            "Kaoh Peak village, Kaoh Peak commune, Veun Sai",
        ),
        (
            "Seda Community Fisheries",
            "សហគមន៍នេសាទសេដា",
            "160506",
            "Kaeng San village, Seda commune, Lumphat",
        ),
        (
            "Kak Water Users Committee",
            "គណៈកម្មការអ្នកប្រើប្រាស់ទឹកកក់",
            "160301",
            "Kak village, Kak commune, Bar Kaev",
        ),
        (
            "Ka Laeng Women's Self-Help Group",
            "ក្រុមជួយខ្លួនឯងរបស់ស្ត្រីកាឡែង",
            "160502",
            "Sayas village, Ka Laeng commune, Lumphat",
        ),
        (
            "Kachanh Waterfall Eco-tourism Community",
            "សហគមន៍ទេសចរណ៍ធម្មជាតិទឹកធ្លាក់កាចាញ",
            "160201",
            "Phum Bei village, Sangkat Kachanh, Ban Lung",
        ),
    ],
}
# CSOs of these sectors work with vulnerable people: all are COSS members, with the demo CSO.
COSS_SECTORS = {"indigenous", "social_development", "cbo"}
# Applied to COSS, not yet admitted.
COSS_APPLICANTS = {"Ratanakiri Agricultural Cooperative Alliance", "Smallholder Coffee Network"}
# (name, Khmer name, acronym, unit code, address); mostly in Ban Lung, the provincial town.
PROVIDERS: list[tuple[str, str, str | None, str, str]] = [
    (
        DEMO_PROVIDER,
        "ឥណទានជនបទរតនគិរី",
        "RRC",
        "160202",
        "Street 78, Sangkat Labansiek, Ban Lung",
    ),
    (
        "Provincial Department of Agriculture Extension",
        "មន្ទីរផ្សព្វផ្សាយកសិកម្មខេត្តរតនគិរី",
        None,
        "160202",
        "Street 76, Sangkat Labansiek, Ban Lung",
    ),
    (
        "Highland Vocational Training Centre",
        "មជ្ឈមណ្ឌលបណ្ដុះបណ្ដាលវិជ្ជាជីវៈតំបន់ខ្ពង់រាប",
        "HVTC",
        "160204",
        "National Road 78, Sangkat Boeng Kansaeng, Ban Lung",
    ),
    (
        "Banlung Referral Hospital Outreach",
        "កម្មវិធីចុះមូលដ្ឋានរបស់មន្ទីរពេទ្យបង្អែកបានលុង",
        None,
        "160202",
        "Street 74, Sangkat Labansiek, Ban Lung",
    ),
    (
        "Legal Aid Ratanakiri",
        "ជំនួយផ្លូវច្បាប់រតនគិរី",
        "LAR",
        "160201",
        "Street 13, Sangkat Kachanh, Ban Lung",
    ),
    (
        "Provincial Social Affairs Office",
        "មន្ទីរសង្គមកិច្ចខេត្តរតនគិរី",
        None,
        "160202",
        "Provincial Hall compound, Sangkat Labansiek, Ban Lung",
    ),
    (
        "Women's Counselling Service",
        "សេវាប្រឹក្សាយោបល់សម្រាប់ស្ត្រី",
        "WCS",
        "160204",
        "Street 80, Sangkat Boeng Kansaeng, Ban Lung",
    ),
    (
        "Job Centre Banlung",
        "មជ្ឈមណ្ឌលការងារបានលុង",
        None,
        "160202",
        "Market Street, Sangkat Labansiek, Ban Lung",
    ),
    (
        "Financial Literacy Programme",
        "កម្មវិធីអប់រំចំណេះដឹងហិរញ្ញវត្ថុ",
        None,
        "1605",
        "Thmei village, Chey Otdam commune, Lumphat",
    ),
    (
        "Small Business Development Service",
        "សេវាអភិវឌ្ឍន៍អាជីវកម្មខ្នាតតូច",
        "SBDS",
        "160203",
        "Street 5, Sangkat Yeak Laom, Ban Lung",
    ),
]
# Other stakeholders: (name, Khmer name, kind, unit code, address, PLASED status, also active
# in COSS).
# They carry the membership states other than active, so every CSO, authority and provider
# counts in the programme's numbers.
OTHERS: list[tuple[str, str, str, str, str, str, bool]] = [
    (
        "Provincial Department of Education, Youth and Sport",
        "មន្ទីរអប់រំ យុវជន និងកីឡាខេត្តរតនគិរី",
        "education",
        "16",
        "Street 75, Sangkat Labansiek, Ban Lung",
        "active",
        True,
    ),
    (
        "Ratanakiri Chamber of Commerce",
        "សភាពាណិជ្ជកម្មខេត្តរតនគិរី",
        "private_sector",
        "1602",
        "Street 2, Sangkat Kachanh, Ban Lung",
        "active",
        False,
    ),
    (
        "Highlands Inclusion Programme",
        "កម្មវិធីបរិយាបន្នសង្គមតំបន់ខ្ពង់រាប",
        "development_partner",
        "16",
        "Street 15, Sangkat Labansiek, Ban Lung",
        "active",
        False,
    ),
    (
        "Highland Cashew Export Company",
        "ក្រុមហ៊ុននាំចេញគ្រាប់ស្វាយចន្ទីខ្ពង់រាប",
        "private_sector",
        "1603",
        "National Road 78, Kak commune, Bar Kaev",
        "applied",
        False,
    ),
    (
        "Mekong Rural Development Partnership",
        "ភាពជាដៃគូអភិវឌ្ឍន៍ជនបទមេគង្គ",
        "development_partner",
        "16",
        "Street 84, Sangkat Boeng Kansaeng, Ban Lung",
        "withdrawn",
        False,
    ),
    (
        "Ban Lung Market Vendors Group",
        "ក្រុមអាជីវករផ្សារបានលុង",
        "other",
        "160202",
        "Central Market, Sangkat Labansiek, Ban Lung",
        "suspended",
        False,
    ),
    (
        "Ban Lung Private English School",
        "សាលាភាសាអង់គ្លេសឯកជនបានលុង",
        "education",
        "160204",
        "Street 5, Sangkat Boeng Kansaeng, Ban Lung",
        "rejected",
        False,
    ),
]
# (English, Khmer) names; a Khmer name is written family name first.
FEMALE = [
    ("Sophea", "សុភា"),
    ("Chanthy", "ចន្ធី"),
    ("Sreymom", "ស្រីមុំ"),
    ("Bopha", "បុប្ផា"),
    ("Sokha", "សុខា"),
    ("Phalla", "ផល្លា"),
    ("Sreypov", "ស្រីពៅ"),
    ("Leakhena", "លក្ខិណា"),
    ("Channary", "ចន្ទនារី"),
    ("Kolab", "កុលាប"),
    ("Malis", "ម្លិះ"),
    ("Rachana", "រចនា"),
    ("Vanna", "វណ្ណា"),
    ("Sokunthea", "សុគន្ធា"),
    ("Thida", "ធីតា"),
    ("Dalin", "ដាលីន"),
]
MALE = [
    ("Dara", "តារា"),
    ("Vuthy", "វុទ្ធី"),
    ("Rathana", "រតនា"),
    ("Kimheng", "គីមហេង"),
    ("Sovann", "សុវណ្ណ"),
    ("Piseth", "ពិសិដ្ឋ"),
    ("Bunthoeun", "ប៊ុនធឿន"),
    ("Sambath", "សម្បត្តិ"),
    ("Visal", "វិសាល"),
    ("Chanrith", "ចាន់រិទ្ធ"),
    ("Virak", "វីរៈ"),
    ("Samnang", "សំណាង"),
    ("Makara", "មករា"),
    ("Sophal", "សុផល"),
]
FAMILY = [
    ("Sok", "សុខ"),
    ("Chan", "ចាន់"),
    ("Phan", "ផាន"),
    ("Heng", "ហេង"),
    ("Keo", "កែវ"),
    ("Nhem", "ញឹម"),
    ("Lim", "លីម"),
    ("Srun", "ស្រ៊ុន"),
    ("Mao", "ម៉ៅ"),
    ("Seng", "សេង"),
    ("Chea", "ជា"),
    ("Ouk", "អ៊ុក"),
    ("Touch", "ទូច"),
    ("Pen", "ប៉ែន"),
]
# Indigenous names, transliterated: the Jarai and Tampuan keep their clan names.
INDIGENOUS_FEMALE = [("Nhoeun", "ញឿន"), ("Bian", "បៀន"), ("Ka", "កា"), ("Mlai", "ម្លៃ")]
INDIGENOUS_MALE = [("Hlung", "ហ្លុង"), ("Blang", "ប្លាង"), ("Thon", "ថន"), ("Dong", "ដុង")]
CLANS: dict[str, list[tuple[str, str]]] = {
    "Jarai": [("Ksor", "ក្សរ"), ("Rmah", "រ៉ម៉ះ"), ("Siu", "ស៊ីវ"), ("Kpa", "ក្ប៉ា")],
    "Tampuan": [("Romam", "រ៉ូម៉ាំ"), ("Lav", "ឡាវ")],
}
INDIGENOUS = ["Tampuan", "Jarai", "Kreung", "Brao", "Kavet", "Kachok", "Lun"]
# Birth years count back from a fixed year, so a later run finds the same people.
DEMO_YEAR = 2026


@dataclass(frozen=True)
class DemoMembers:
    cso: Organisation  # the demo CSO user's organisation
    providers: list[Organisation]  # in PROVIDERS order; the demo provider first


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


def _name(rng: random.Random, female: bool, group: str | None) -> tuple[str, str]:
    """An (English, Khmer) full name, family name first."""
    if group is None:
        given, given_km = rng.choice(FEMALE if female else MALE)
        family, family_km = rng.choice(FAMILY)
    else:
        given, given_km = rng.choice(INDIGENOUS_FEMALE if female else INDIGENOUS_MALE)
        family, family_km = rng.choice(CLANS.get(group, FAMILY))
    return f"{family} {given}", f"{family_km} {given_km}"


def _person(
    session: Session, root: Platform, rng: random.Random, n: int, taken: set[tuple[str, int]]
) -> Person:
    # About half women, among primary representatives and alternates alike.
    female = n % 4 in (0, 1)
    # Two in five: Ratanakiri's population is largely indigenous.
    group = INDIGENOUS[n % len(INDIGENOUS)] if n % 5 in (0, 3) else None
    # Draw every value first: the sequence must not depend on what already exists.
    full_name, name_km = _name(rng, female, group)
    birth_year = DEMO_YEAR - (19 + (n * 7) % 45)  # some youth, most adults
    # Name and birth year find a person again: keep them unique among the demo people.
    while (name_key(full_name), birth_year) in taken:
        birth_year -= 1
    key = name_key(full_name)
    taken.add((key, birth_year))
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
        name_km=name_km,
        gender="female" if female else "male",
        birth_year=birth_year,
        indigenous_group=group,
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
    decided = applied + timedelta(days=14)
    membership = Membership(
        organisation_id=organisation.id,
        platform_id=platform.id,
        status=status,
        applied_at=applied,
        decided_at=None if status == MembershipStatus.applied else decided,
        reason="Demo: not yet meeting the criteria"
        if status == MembershipStatus.rejected
        else None,
    )
    session.add(membership)
    session.flush()
    # The history a secretariat would have recorded: applied, decided, and what came later.
    steps: list[tuple[str | None, str, str | None, datetime]] = [
        (None, MembershipStatus.applied, None, applied)
    ]
    if status == MembershipStatus.rejected:
        steps.append((MembershipStatus.applied, status, membership.reason, decided))
    elif status != MembershipStatus.applied:
        steps.append((MembershipStatus.applied, MembershipStatus.active, None, decided))
    if status == MembershipStatus.suspended:
        steps.append(
            (
                MembershipStatus.active,
                status,
                "Demo: reports overdue",
                applied + timedelta(days=200),
            )
        )
    if status == MembershipStatus.withdrawn:
        steps.append(
            (
                MembershipStatus.active,
                status,
                "Demo: the programme closed its Ratanakiri office",
                applied + timedelta(days=300),
            )
        )
    session.add_all(
        MembershipEvent(
            membership_id=membership.id,
            from_status=before,
            to_status=after,
            reason=reason,
            created_at=moment,
        )
        for before, after, reason, moment in steps
    )


def _units(session: Session, level: str) -> list[AdminUnit]:
    return list(
        session.exec(
            select(AdminUnit).where(AdminUnit.level == level).order_by(col(AdminUnit.code))
        ).all()
    )


def _authorities(session: Session, plased: Platform) -> list[Organisation]:
    """The provincial administration, the 9 district and municipal administrations and all
    50 commune and sangkat councils (Ban Lung, 1602, is a municipality of sangkats)."""
    districts = {d.code: d for d in _units(session, "district")}
    authorities = [
        _org(
            session,
            plased,
            name="Ratanakiri Provincial Administration",
            name_km="រដ្ឋបាលខេត្តរតនគិរី",
            kind="local_authority",
            la_level="provincial",
            unit_id=unit_id("16"),
            address="Provincial Hall, Sangkat Labansiek, Ban Lung",
        )
    ]
    for code, district in districts.items():
        town = code == "1602"
        authorities.append(
            _org(
                session,
                plased,
                name=f"{district.name} {'Municipal' if town else 'District'} Administration",
                name_km=f"{'រដ្ឋបាលក្រុង' if town else 'រដ្ឋបាលស្រុក'}{district.name_km}",
                kind="local_authority",
                la_level="district",
                unit_id=district.id,
                address="Municipal Hall, Sangkat Labansiek, Ban Lung"
                if town
                else f"District Hall, {district.name}",
            )
        )
    for commune in _units(session, "commune"):
        district = districts[commune.code[:4]]
        sangkat = district.code == "1602"
        authorities.append(
            _org(
                session,
                plased,
                name=f"{commune.name} {'Sangkat' if sangkat else 'Commune'} Council",
                name_km=f"{'ក្រុមប្រឹក្សាសង្កាត់' if sangkat else 'ក្រុមប្រឹក្សាឃុំ'}{commune.name_km}",
                kind="local_authority",
                la_level="commune",
                unit_id=commune.id,
                address=f"Sangkat {commune.name} office, Ban Lung"
                if sangkat
                else f"{commune.name} commune office, {district.name}",
            )
        )
    return authorities


def _csos(session: Session, plased: Platform) -> list[Organisation]:
    csos: list[Organisation] = []
    for sector, rows in CSOS.items():
        for name, name_km, code, address in rows:
            csos.append(
                _org(
                    session,
                    plased,
                    name=name,
                    name_km=name_km,
                    kind="cso",
                    sector=sector,
                    unit_id=unit_id(code),
                    address=address,
                    email=f"contact{len(csos) + 1}@cso.example.org",
                )
            )
    return csos


def _providers(session: Session, plased: Platform) -> list[Organisation]:
    return [
        _org(
            session,
            plased,
            name=name,
            name_km=name_km,
            acronym=acronym,
            kind="service_provider",
            unit_id=unit_id(code),
            address=address,
            email=f"info{i}@provider.example.org",
            phone=f"+855 75 974 {i:03d}",
        )
        for i, (name, name_km, acronym, code, address) in enumerate(PROVIDERS, start=1)
    ]


def seed_members(session: Session, plased: Platform, coss: Platform) -> DemoMembers:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, not security
    authorities = _authorities(session, plased)
    csos = _csos(session, plased)
    providers = _providers(session, plased)
    others = [
        _org(
            session,
            plased,
            name=name,
            name_km=name_km,
            kind=kind,
            unit_id=unit_id(code),
            address=address,
        )
        for name, name_km, kind, code, address, _, _ in OTHERS
    ]
    everyone = authorities + csos + providers + others
    n = 0
    taken: set[tuple[str, int]] = set()
    for organisation in everyone:
        for role in ("primary", "alternate"):
            n += 1
            _represent(session, organisation, _person(session, plased, rng, n, taken), role)
    # Every CSO, authority and provider is an active member of PLASED: the live counts are the
    # programme's. The other stakeholders show the remaining states.
    status = {o.id: "active" for o in authorities + csos + providers}
    status.update({o.id: row[5] for o, row in zip(others, OTHERS, strict=True)})
    for organisation in everyone:
        _membership(session, organisation, plased, status[organisation.id])
    # COSS: every provider; the province, the districts and one commune council per district;
    # the CSOs working with vulnerable people and the demo CSO; two CSOs that have applied.
    in_coss = {o.id: "active" for o in providers}
    districts_seen: set[uuid.UUID | None] = set()
    for authority in authorities:
        if authority.la_level != "commune":
            in_coss[authority.id] = "active"
        elif (district := _parent(session, authority)) not in districts_seen:
            districts_seen.add(district)
            in_coss[authority.id] = "active"
    for cso in csos:
        if cso.sector in COSS_SECTORS or cso.name == DEMO_CSO:
            in_coss[cso.id] = "active"
        elif cso.name in COSS_APPLICANTS:
            in_coss[cso.id] = "applied"
    in_coss.update({o.id: "active" for o, row in zip(others, OTHERS, strict=True) if row[6]})
    for organisation in everyone:
        # A COSS membership needs an active PLASED membership.
        if organisation.id in in_coss and status[organisation.id] == "active":
            _membership(session, organisation, coss, in_coss[organisation.id])
    session.flush()
    demo_cso = next(c for c in csos if c.name == DEMO_CSO)
    return DemoMembers(cso=demo_cso, providers=providers)


def _parent(session: Session, organisation: Organisation) -> uuid.UUID | None:
    unit = session.get(AdminUnit, organisation.unit_id) if organisation.unit_id else None
    return unit.parent_id if unit else None
