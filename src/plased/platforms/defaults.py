"""The programme's numbers (DESIGN §1) and default regulations for a new platform."""

from typing import Any

from plased.platforms.models import PlatformKind
from plased.vocabulary import BodyKind, MajorityRule, Urgency

BODY_KINDS = tuple(BodyKind)
MAJORITY_RULES = tuple(MajorityRule)
URGENCIES = tuple(Urgency)

DEFAULT_REGULATIONS: dict[str, Any] = {
    "quorum": {
        "general_assembly": 0.5,
        "executive_board": 0.5,
        "working_group": 0.5,
        "focus_group": 0.5,
        "committee": 0.5,
    },
    "majority_rules": list(MAJORITY_RULES),
    "board_term_months": 24,
    "min_women_share": 0.40,
    "membership_requires_approval": True,
    "referral_response_hours": {"emergency": 24, "urgent": 72, "routine": 336},
    "data_retention_days": 730,
    "youth_min_age": 15,
    "youth_max_age": 30,
    "focus_group_size": 15,
    "min_prioritised_value_chains": 4,
    "strategy_participants": 15,
}

# indicator code -> (description, description_km, target value)
PLASED_TARGETS: dict[str, tuple[str, str, float]] = {
    "people_engaged": (
        "People engaged in the platform",
        "ចំនួនមនុស្សចូលរួមក្នុងវេទិកា",
        110,
    ),
    "women_share": ("Share of women among people engaged", "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកចូលរួម", 0.40),
    "value_chain_strategies": (
        "Value-chain strategies elaborated",
        "យុទ្ធសាស្ត្រខ្សែសង្វាក់តម្លៃដែលបានរៀបចំ",
        4,
    ),
    "strategy_participants_min": (
        "Participants in each value-chain strategy",
        "អ្នកចូលរួមក្នុងយុទ្ធសាស្ត្រខ្សែសង្វាក់តម្លៃនីមួយៗ",
        15,
    ),
    "strategic_initiatives": (
        "Strategic initiatives coached to implementation",
        "គំនិតផ្តួចផ្តើមយុទ្ធសាស្ត្រ",
        4,
    ),
    "people_trained": ("People trained", "ចំនួនមនុស្សដែលបានទទួលការបណ្តុះបណ្តាល", 110),
    "trained_women_share": (
        "Share of women among people trained",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកទទួលការបណ្តុះបណ្តាល",
        0.40,
    ),
    "strategy_women_share": (
        "Share of women among strategy participants",
        "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកចូលរួមយុទ្ធសាស្ត្រ",
        0.40,
    ),
    "board_women_share": (
        "Share of women on the executive board",
        "សមាមាត្រស្ត្រីក្នុងក្រុមប្រឹក្សាប្រតិបត្តិ",
        0.40,
    ),
    # The province's member organisations the programme counts on (DESIGN §1).
    "member_csos_agriculture": ("Member CSOs: agriculture", "អង្គការសង្គមស៊ីវិលសមាជិក៖ កសិកម្ម", 15),
    "member_csos_environment": ("Member CSOs: environment", "អង្គការសង្គមស៊ីវិលសមាជិក៖ បរិស្ថាន", 3),
    "member_csos_indigenous": (
        "Member CSOs: indigenous peoples",
        "អង្គការសង្គមស៊ីវិលសមាជិក៖ ជនជាតិដើមភាគតិច",
        5,
    ),
    "member_csos_social_development": (
        "Member CSOs: social development",
        "អង្គការសង្គមស៊ីវិលសមាជិក៖ អភិវឌ្ឍន៍សង្គម",
        12,
    ),
    "member_csos_cbo": ("Member CSOs: CBOs", "អង្គការសង្គមស៊ីវិលសមាជិក៖ សហគមន៍មូលដ្ឋាន", 5),
    "member_las_provincial": ("Member LAs: provincial", "អាជ្ញាធរមូលដ្ឋានសមាជិក៖ ខេត្ត", 1),
    "member_las_district": ("Member LAs: districts", "អាជ្ញាធរមូលដ្ឋានសមាជិក៖ ស្រុក", 9),
    "member_las_commune": ("Member LAs: communes", "អាជ្ញាធរមូលដ្ឋានសមាជិក៖ ឃុំ", 50),
}

COSS_TARGETS: dict[str, tuple[str, str, float]] = {
    "coss_member_csos": ("Civil society organisations in the COSS", "អង្គការសង្គមស៊ីវិលក្នុង COSS", 20),
    "coss_member_sesps": ("Service providers in the COSS", "អ្នកផ្តល់សេវាក្នុង COSS", 10),
    "coss_member_las": ("Local authorities in the COSS", "អាជ្ញាធរមូលដ្ឋានក្នុង COSS", 10),
    "women_share": ("Share of women among people engaged", "សមាមាត្រស្ត្រីក្នុងចំណោមអ្នកចូលរួម", 0.40),
}


def targets_for(kind: str) -> dict[str, tuple[str, str, float]]:
    return COSS_TARGETS if kind == PlatformKind.coss else PLASED_TARGETS
