"""Words several domains share, defined once: the platform's regulations speak of body kinds,
majority rules and urgencies that governance and referrals also use.

The lowest layer: imports nothing of the project.
"""

from enum import StrEnum


class BodyKind(StrEnum):
    general_assembly = "general_assembly"
    executive_board = "executive_board"
    working_group = "working_group"
    focus_group = "focus_group"
    committee = "committee"


class MajorityRule(StrEnum):
    simple = "simple"
    absolute = "absolute"
    two_thirds = "two_thirds"
    consensus = "consensus"


class Urgency(StrEnum):
    routine = "routine"
    urgent = "urgent"
    emergency = "emergency"


class StakeholderGroup(StrEnum):
    """Whom a member of a value-chain focus group speaks for (a seat's stakeholder group)."""

    farmer = "farmer"
    producer_group = "producer_group"
    local_authority = "local_authority"
    education = "education"
    cso = "cso"
    service_provider = "service_provider"
    private_sector = "private_sector"
    financial_institution = "financial_institution"
