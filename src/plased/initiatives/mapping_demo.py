"""Demo community mapping of PLASED Ratanakiri: one campaign through Veun Sai, Lumphat and
Bar Kaev that found twelve CBOs (four in each district: four of the platform's member CBOs
and eight found on the way, registered but not members), their profiles, and seven advocacy
plans in every status.

Hand count (``tests/cli/test_cli.py`` checks it): Bar Kaev 4 mapped, 2 with plans, 0 taken
up; Lumphat 4, 3, 2; Veun Sai 4, 2, 1; in all 12, 7, 3. Names are invented; places are
real units of the shipped geography. Idempotent: nothing is added once the campaign exists.
"""

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from plased import transitions as engine
from plased.initiatives.mapping_models import (
    HEALTH_ITEMS,
    AdvocacyPlan,
    AdvocacyPlanEvent,
    CboProfile,
    MappingCampaign,
)
from plased.initiatives.mapping_plans import MACHINE
from plased.members.geography import unit_id
from plased.members.models import AdminUnit, Organisation
from plased.platforms.models import Platform
from plased.text import name_key

CAMPAIGN = "Community mapping 2026: Veun Sai, Lumphat and Bar Kaev"
# (name, Khmer name or None for a member CBO already registered, village code,
#  members, women, focus, year founded, checklist items true (a prefix of HEALTH_ITEMS))
CBOS: list[tuple[str, str | None, str, int, int, list[str], int, int]] = [
    ("Kaoh Peak Village Savings Group", None, "16090601", 32, 21, ["savings_credit"], 2012, 6),
    ("Phak Nam Rice Bank", "ធនាគារស្រូវភូមិផាក់ណាម", "16090602", 45, 20, ["agriculture"], 2016, 3),
    ("Kok Lak Community Forest", "សហគមន៍ព្រៃឈើកុកឡាក់", "16090701", 80, 31,
     ["forestry", "land_rights"], 2009, 4),
    ("Veun Sai Youth Volunteers", "ក្រុមយុវជនស្ម័គ្រចិត្តវើនសៃ", "16091001", 18, 9, ["youth"],
     2021, 1),
    ("Seda Community Fisheries", None, "16050603", 64, 22, ["fisheries"], 2007, 5),
    ("Ka Laeng Women's Self-Help Group", None, "16050201", 27, 27, ["women", "health"], 2014, 5),
    ("Ba Tang Cashew Producers Group", "ក្រុមអ្នកផលិតស្វាយចន្ទីបាតាង", "16050503", 38, 17,
     ["agriculture"], 2018, 4),
    ("Chey Otdam Water Users Group", "ក្រុមអ្នកប្រើប្រាស់ទឹកជ័យឧត្ដម", "16050102", 22, 8,
     ["water"], 2020, 2),
    ("Kak Water Users Committee", None, "16030104", 41, 16, ["water", "agriculture"], 2011, 4),
    ("Keh Chong Indigenous Land Committee", "គណៈកម្មាធិការដីធ្លីជនជាតិដើមភាគតិចកិះចុង",
     "16030203", 55, 24, ["land_rights", "culture"], 2010, 3),
    ("Seung Women's Weaving Group", "ក្រុមត្បាញរបស់ស្ត្រីស៊ើង", "16030502", 16, 16,
     ["women", "culture"], 2019, 2),
    ("Ting Chak Community Health Volunteers", "ក្រុមស្ម័គ្រចិត្តសុខភាពសហគមន៍ទីងចាក់",
     "16030601", 12, 7, ["health"], 2022, 0),
]  # fmt: skip
# Villages visited where no CBO was found.
EMPTY_VILLAGES = ["16090603", "16050202", "16030101"]
# (CBO, issue, Khmer issue, target: a local authority's unit code or a national body's name,
#  actions taken)
PLANS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("Kaoh Peak Village Savings Group", "Recognition of the savings group by the commune",
     "ការទទួលស្គាល់ក្រុមសន្សំប្រាក់ដោយឃុំ", "160906", ("submit", "take-up")),
    ("Kok Lak Community Forest", "Demarcation of the community forest",
     "ការបោះបង្គោលព្រំព្រៃសហគមន៍", "1609", ()),
    ("Seda Community Fisheries", "Patrols against illegal fishing on the Srepok",
     "ការល្បាតប្រឆាំងការនេសាទខុសច្បាប់លើទន្លេស្រែពក",
     "Fisheries Administration, Ministry of Agriculture, Forestry and Fisheries", ("submit",)),
    ("Ka Laeng Women's Self-Help Group", "A maternity waiting room at the health centre",
     "បន្ទប់រង់ចាំសម្រាលកូននៅមណ្ឌលសុខភាព", "1605", ("submit", "take-up")),
    ("Ba Tang Cashew Producers Group", "A cashew collection point on the commune road",
     "ចំណុចប្រមូលស្វាយចន្ទីលើផ្លូវឃុំ", "160505", ("submit", "take-up")),
    ("Kak Water Users Committee", "Repair of the Kak irrigation weir",
     "ការជួសជុលទំនប់ស្រោចស្រពកក់", "160301", ("submit", "turn-down")),
    ("Keh Chong Indigenous Land Committee", "A communal land title for Krieng village",
     "ប័ណ្ណកម្មសិទ្ធិដីសមូហភាពសម្រាប់ភូមិគ្រៀង",
     "Ministry of Land Management, Urban Planning and Construction", ("submit",)),
]  # fmt: skip
OUTCOMES = {
    "take-up": "Written into the commune investment plan.",
    "turn-down": "No budget this year; to be raised again at the district integration workshop.",
}


def _registered(
    session: Session, plased: Platform, name: str, name_km: str | None, code: str
) -> Organisation:
    """The CBO: a member registered by the members' demo, or one the campaign found."""
    key = name_key(name)
    found = session.exec(
        select(Organisation).where(
            Organisation.platform_id == plased.id, Organisation.name_key == key
        )
    ).first()
    if found is not None:
        return found
    village = session.get(AdminUnit, unit_id(code))
    commune = session.get(AdminUnit, unit_id(code[:6]))
    district = session.get(AdminUnit, unit_id(code[:4]))
    assert village is not None and commune is not None and district is not None
    organisation = Organisation(
        platform_id=plased.id,
        name=name,
        name_key=key,
        name_km=name_km,
        kind="cso",
        sector="cbo",
        unit_id=commune.id,
        address=f"{village.name} village, {commune.name} commune, {district.name}",
    )
    session.add(organisation)
    return organisation


def _authority(session: Session, plased: Platform, code: str) -> Organisation:
    found = session.exec(
        select(Organisation).where(
            Organisation.platform_id == plased.id,
            Organisation.kind == "local_authority",
            Organisation.unit_id == unit_id(code),
        )
    ).first()
    assert found is not None, code
    return found


def seed_mapping(session: Session, plased: Platform) -> None:
    if session.exec(
        select(MappingCampaign.id).where(MappingCampaign.platform_id == plased.id)
    ).first():
        return
    cbos: dict[str, Organisation] = {}
    for name, name_km, code, members, women, focus, founded, healthy in CBOS:
        organisation = _registered(session, plased, name, name_km, code)
        session.flush()
        cbos[name] = organisation
        profile = CboProfile(
            organisation_id=organisation.id,
            platform_id=plased.id,
            village_id=unit_id(code),
            members_count=members,
            women_members=women,
            focus=focus,
            year_founded=founded,
        )
        for n, item in enumerate(HEALTH_ITEMS):
            setattr(profile, item, n < healthy)
        session.add(profile)
    session.add(
        MappingCampaign(
            platform_id=plased.id,
            name=CAMPAIGN,
            name_km="ការធ្វើផែនទីសហគមន៍ ២០២៦៖ វើនសៃ លំផាត់ និងបរកែវ",
            starts_on=date(2026, 2, 2),
            ends_on=date(2026, 3, 13),
            village_ids=[str(unit_id(c)) for c in [row[2] for row in CBOS] + EMPTY_VILLAGES],
            cbo_ids=[str(o.id) for o in cbos.values()],
            notes="Two facilitators per district; village chiefs named the groups they knew.",
        )
    )
    session.flush()
    now = datetime.now(UTC)
    for name, issue, issue_km, target, steps in PLANS:
        by_unit = target.isdigit()
        plan = AdvocacyPlan(
            organisation_id=cbos[name].id,
            platform_id=plased.id,
            issue=issue,
            issue_km=issue_km,
            target_organisation_id=_authority(session, plased, target).id if by_unit else None,
            target_body=None if by_unit else target,
        )
        session.add(plan)
        session.flush()
        session.add(AdvocacyPlanEvent(plan_id=plan.id, to_status=plan.status))
        for action in steps:
            values = (
                {"submitted_at": now}
                if action == "submit"
                else {"decided_at": now, "outcome_note": OUTCOMES[action]}
            )
            engine.apply(
                session,
                MACHINE,
                plan,
                action,
                actor_id=None,
                note=OUTCOMES.get(action),
                values=values,
            )
    session.flush()
