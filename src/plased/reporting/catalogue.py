"""The programme's indicators: what each counts, in which unit, which way is better, and the
breakdowns it has. docs/indicators.md defines each in words; the values are computed in
``plased.reporting.values``."""

from dataclasses import dataclass
from enum import StrEnum

from plased.platforms.models import PlatformKind


class Unit(StrEnum):
    people = "people"  # distinct persons: suppressed below 5
    organisations = "organisations"
    number = "number"  # records counted (strategies, initiatives, plans, services)
    referrals = "referrals"  # referrals stand for people: suppressed below 5
    share = "share"  # a fraction from 0 to 1
    hours = "hours"


class Direction(StrEnum):
    up = "up"  # more is better: met when value >= target
    down = "down"  # less is better: met when value <= target


PERSON_BREAKDOWNS = ("gender", "youth", "indigenous", "disability")
ORGANISATION_BREAKDOWNS = ("stakeholder_kind", "district", "commune")
REFERRAL_BREAKDOWNS = ("gender", "district", "stakeholder_kind")
# Breakdowns finer than a district: not shown to organisation staff.
BELOW_DISTRICT = frozenset({"commune"})

BOTH = (PlatformKind.plased, PlatformKind.coss)
PLASED = (PlatformKind.plased,)
COSS = (PlatformKind.coss,)


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    title_km: str
    definition: str
    unit: Unit
    direction: Direction = Direction.up
    breakdowns: tuple[str, ...] = ()
    kinds: tuple[str, ...] = BOTH

    @property
    def of_people(self) -> bool:
        """Counts of people (or of referrals, each a person): small cells are suppressed."""
        return self.unit in (Unit.people, Unit.referrals)


_SECTORS = {
    "agriculture": ("agriculture, forestry, farmers and fishery", "កសិកម្ម ព្រៃឈើ កសិករ និងនេសាទ"),
    "environment": ("environmental protection", "ការពារបរិស្ថាន"),
    "indigenous": ("indigenous peoples", "ជនជាតិដើមភាគតិច"),
    "social_development": ("social development", "អភិវឌ្ឍន៍សង្គម"),
    "cbo": ("community-based organisations", "អង្គការសហគមន៍មូលដ្ឋាន"),
}
_LEVELS = {
    "provincial": ("provincial government", "រដ្ឋបាលខេត្ត"),
    "district": ("district and municipal administrations", "រដ្ឋបាលស្រុក ក្រុង"),
    "commune": ("commune and sangkat councils", "ក្រុមប្រឹក្សាឃុំ សង្កាត់"),
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "people_engaged",
        "People engaged in the platform",
        "ចំនួនមនុស្សចូលរួមក្នុងវេទិកា",
        "Distinct persons present at any meeting, training or consultation of the platform's "
        "bodies in the period, or representing an active member organisation during it.",
        Unit.people,
        breakdowns=PERSON_BREAKDOWNS,
    ),
    Indicator(
        "women_share",
        "Share of women among people engaged",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកចូលរួម",
        "Women among the people engaged.",
        Unit.share,
    ),
    Indicator(
        "people_trained",
        "People trained",
        "ចំនួនមនុស្សដែលបានទទួលការបណ្តុះបណ្តាល",
        "Distinct persons present at a training of the platform's bodies in the period.",
        Unit.people,
        breakdowns=PERSON_BREAKDOWNS,
    ),
    Indicator(
        "trained_women_share",
        "Share of women among people trained",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកទទួលការបណ្តុះបណ្តាល",
        "Women among the people trained.",
        Unit.share,
    ),
    Indicator(
        "board_women_share",
        "Share of women on the executive board",
        "សមាមាត្រស្ត្រីក្នុងក្រុមប្រឹក្សាប្រតិបត្តិ",
        "Women among the distinct persons holding a seat of an executive board during the period.",
        Unit.share,
    ),
    Indicator(
        "member_organisations",
        "Active member organisations",
        "អង្គការសមាជិកសកម្ម",
        "Organisations whose membership is active and was approved by the end of the period.",
        Unit.organisations,
        breakdowns=ORGANISATION_BREAKDOWNS,
    ),
    *(
        Indicator(
            f"member_csos_{sector}",
            f"Member CSOs: {title}",
            f"អង្គការសង្គមស៊ីវិលសមាជិក៖ {title_km}",
            f"Active member civil society organisations of the sector {sector}.",
            Unit.organisations,
            kinds=PLASED,
        )
        for sector, (title, title_km) in _SECTORS.items()
    ),
    *(
        Indicator(
            f"member_las_{level}",
            f"Member local authorities: {title}",
            f"អាជ្ញាធរមូលដ្ឋានសមាជិក៖ {title_km}",
            f"Active member local authorities of the level {level}.",
            Unit.organisations,
            kinds=PLASED,
        )
        for level, (title, title_km) in _LEVELS.items()
    ),
    Indicator(
        "coss_member_csos",
        "Civil society organisations in the COSS",
        "អង្គការសង្គមស៊ីវិលក្នុង COSS",
        "Active member organisations of kind cso.",
        Unit.organisations,
        kinds=COSS,
    ),
    Indicator(
        "coss_member_sesps",
        "Service providers in the COSS",
        "អ្នកផ្តល់សេវាក្នុង COSS",
        "Active member organisations of kind service_provider.",
        Unit.organisations,
        kinds=COSS,
    ),
    Indicator(
        "coss_member_las",
        "Local authorities in the COSS",
        "អាជ្ញាធរមូលដ្ឋានក្នុង COSS",
        "Active member organisations of kind local_authority.",
        Unit.organisations,
        kinds=COSS,
    ),
    Indicator(
        "value_chain_strategies",
        "Value-chain strategies validated or published",
        "យុទ្ធសាស្ត្រខ្សែសង្វាក់តម្លៃដែលបានផ្តល់សុពលភាព ឬផ្សព្វផ្សាយ",
        "Value chains with a strategy validated in the period (validated or published now).",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "strategy_participants_min",
        "Participants in each value-chain strategy (the smallest)",
        "អ្នកចូលរួមក្នុងយុទ្ធសាស្ត្រខ្សែសង្វាក់តម្លៃនីមួយៗ",
        "For each strategy counted above, the distinct persons present at the meetings of its "
        "participatory steps; the value is the smallest of them.",
        Unit.people,
        breakdowns=("strategy",),
        kinds=PLASED,
    ),
    Indicator(
        "strategy_women_share",
        "Share of women among strategy participants",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកចូលរួមយុទ្ធសាស្ត្រ",
        "Women among the distinct persons who took part in any strategy counted above.",
        Unit.share,
        kinds=PLASED,
    ),
    Indicator(
        "strategic_initiatives",
        "Strategic initiatives supported",
        "គំនិតផ្តួចផ្តើមយុទ្ធសាស្ត្រដែលបានគាំទ្រ",
        "Initiatives approved by the end of the period and not abandoned (approved, in "
        "progress or completed).",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "initiatives_approved",
        "Initiatives approved",
        "គំនិតផ្តួចផ្តើមដែលបានអនុម័ត",
        "Initiatives approved in the period.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "initiatives_in_progress",
        "Initiatives in progress",
        "គំនិតផ្តួចផ្តើមកំពុងអនុវត្ត",
        "Initiatives started by the end of the period and in progress now.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "initiatives_completed",
        "Initiatives completed",
        "គំនិតផ្តួចផ្តើមដែលបានបញ្ចប់",
        "Initiatives completed in the period.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "cbos_mapped",
        "CBOs mapped",
        "អង្គការសហគមន៍មូលដ្ឋានដែលបានគូសផែនទី",
        "Community-based organisations whose profile was recorded in the period.",
        Unit.organisations,
        kinds=PLASED,
    ),
    Indicator(
        "advocacy_plans",
        "CBOs' advocacy plans",
        "ផែនការតស៊ូមតិរបស់អង្គការសហគមន៍",
        "Advocacy plans drafted in the period.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "advocacy_plans_taken_up",
        "Advocacy plans taken up",
        "ផែនការតស៊ូមតិដែលត្រូវបានទទួលយក",
        "Advocacy plans an authority took up, decided in the period.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "commitments_made",
        "Authorities' commitments made",
        "ការប្តេជ្ញាចិត្តរបស់អាជ្ញាធរ",
        "Commitments an authority made in the period.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "commitments_implemented",
        "Authorities' commitments implemented",
        "ការប្តេជ្ញាចិត្តដែលបានអនុវត្ត",
        "Commitments made in the period and fulfilled now.",
        Unit.number,
        kinds=PLASED,
    ),
    Indicator(
        "services_published",
        "Services published",
        "សេវាដែលបានផ្សព្វផ្សាយ",
        "Services published now and created by the end of the period.",
        Unit.number,
        kinds=COSS,
    ),
    Indicator(
        "referrals_made",
        "Referrals made",
        "ការបញ្ជូនដែលបានធ្វើ",
        "Referrals submitted in the period whose client consented to anonymous reporting.",
        Unit.referrals,
        breakdowns=REFERRAL_BREAKDOWNS,
        kinds=COSS,
    ),
    Indicator(
        "referrals_accepted",
        "Referrals accepted",
        "ការបញ្ជូនដែលបានទទួលយក",
        "Referrals made in the period that the provider accepted (accepted, in progress, "
        "completed or closed).",
        Unit.referrals,
        kinds=COSS,
    ),
    Indicator(
        "referrals_completed",
        "Referrals completed",
        "ការបញ្ជូនដែលបានបញ្ចប់",
        "Referrals made in the period whose service was delivered (completed).",
        Unit.referrals,
        kinds=COSS,
    ),
    Indicator(
        "referral_acceptance_rate",
        "Referral acceptance rate",
        "អត្រាទទួលយកការបញ្ជូន",
        "Accepted among the referrals made in the period that were answered (accepted or "
        "declined); none from fewer than 5 answered.",
        Unit.share,
        kinds=COSS,
    ),
    Indicator(
        "referral_median_response_hours",
        "Median time to answer a referral",
        "រយៈពេលមធ្យមក្នុងការឆ្លើយតបការបញ្ជូន",
        "Median hours from submission to the provider's answer, over the referrals made in "
        "the period that were answered; none from fewer than 5.",
        Unit.hours,
        Direction.down,
        kinds=COSS,
    ),
    Indicator(
        "referrals_overdue",
        "Referrals answered late or overdue",
        "ការបញ្ជូនហួសកំណត់",
        "Referrals made in the period answered after their deadline, or still waiting past it.",
        Unit.referrals,
        Direction.down,
        kinds=COSS,
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


def for_kind(kind: str) -> tuple[Indicator, ...]:
    return tuple(indicator for indicator in INDICATORS if kind in indicator.kinds)


def unit_fits(indicator: Indicator, value: float) -> bool:
    """A target or baseline in the indicator's unit: a share from 0 to 1, a count whole."""
    if indicator.unit is Unit.share:
        return 0 <= value <= 1
    if indicator.unit is Unit.hours:
        return value >= 0
    return value >= 0 and float(value).is_integer()


def definitions() -> list[dict[str, object]]:
    """The catalogue as the API lists it, in catalogue order."""
    return [
        {
            "code": i.code,
            "title": i.title,
            "title_km": i.title_km,
            "definition": i.definition,
            "unit": i.unit.value,
            "direction": i.direction.value,
            "breakdowns": list(i.breakdowns),
            "platform_kinds": [str(kind) for kind in i.kinds],
        }
        for i in INDICATORS
    ]
