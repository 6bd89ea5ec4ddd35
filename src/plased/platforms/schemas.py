import uuid
from datetime import date, datetime
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import Field, StringConstraints, field_validator, model_validator

from plased.auth.models import PlatformRoleName
from plased.auth.schemas import UserPublic
from plased.instants import Day
from plased.platforms.defaults import BODY_KINDS, MAJORITY_RULES, URGENCIES
from plased.platforms.models import PlatformKind, PlatformStatus
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Province = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
Fraction = Annotated[float, Field(gt=0, le=1)]


def _check_time_zone(value: str | None) -> str | None:
    if value is not None and value not in available_timezones():
        raise ValueError("Unknown time zone; use an IANA name such as Asia/Phnom_Penh.")
    return value


class PlatformCreate(RequestModel):
    code: Code
    name: Name
    name_km: Name | None = None
    kind: PlatformKind
    parent_id: uuid.UUID | None = None
    province: Province
    time_zone: str = Field(default="Asia/Phnom_Penh", max_length=64)

    _tz = field_validator("time_zone")(_check_time_zone)


class PlatformUpdate(PatchModel):
    name: Omittable[Name] = None
    name_km: Name | None = None
    province: Omittable[Province] = None
    time_zone: Omittable[str] = Field(default=None, max_length=64)

    _tz = field_validator("time_zone")(_check_time_zone)


class PlatformPublic(ResponseModel):
    id: uuid.UUID
    code: str
    name: str
    name_km: str | None
    kind: PlatformKind
    parent_id: uuid.UUID | None
    province: str
    time_zone: str
    status: PlatformStatus
    created_at: datetime
    updated_at: datetime
    version: int


class QuorumRules(RequestModel):
    general_assembly: Fraction
    executive_board: Fraction
    working_group: Fraction
    focus_group: Fraction
    committee: Fraction


class ResponseHours(RequestModel):
    routine: Annotated[int, Field(ge=1, le=24 * 90)]
    urgent: Annotated[int, Field(ge=1, le=24 * 90)]
    emergency: Annotated[int, Field(ge=1, le=24 * 90)]

    @model_validator(mode="after")
    def _ordered(self) -> "ResponseHours":
        if not self.emergency <= self.urgent <= self.routine:
            raise ValueError("Deadlines must not grow with urgency: emergency ≤ urgent ≤ routine.")
        return self


class RegulationsUpdate(RequestModel):
    """A new version of the whole set (PUT): the history keeps the old one."""

    quorum: QuorumRules
    majority_rules: list[str] = Field(min_length=1, max_length=len(MAJORITY_RULES))
    board_term_months: int = Field(ge=1, le=120)
    min_women_share: float = Field(ge=0, le=1)
    membership_requires_approval: bool
    referral_response_hours: ResponseHours
    data_retention_days: int = Field(ge=30, le=3650)
    youth_min_age: int = Field(ge=10, le=40)
    youth_max_age: int = Field(ge=10, le=40)
    focus_group_size: int = Field(
        default=15, ge=1, le=200, description="Target size of a value-chain focus group"
    )
    min_prioritised_value_chains: int = Field(
        default=4, ge=0, le=50, description="How many value chains the programme prioritises"
    )
    strategy_participants: int = Field(
        default=15,
        ge=1,
        le=500,
        description="Distinct people the programme wants to take part in drafting a strategy",
    )
    note: str | None = Field(default=None, max_length=500)

    @field_validator("majority_rules")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(MAJORITY_RULES))
        if unknown:
            raise ValueError(f"Unknown majority rule; use {', '.join(MAJORITY_RULES)}.")
        return sorted(set(value), key=MAJORITY_RULES.index)

    @model_validator(mode="after")
    def _youth_range(self) -> "RegulationsUpdate":
        if self.youth_min_age > self.youth_max_age:
            raise ValueError("youth_min_age must not exceed youth_max_age.")
        return self


class RegulationsPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    version: int
    quorum: dict[str, float]
    majority_rules: list[str]
    board_term_months: int
    min_women_share: float
    membership_requires_approval: bool
    referral_response_hours: dict[str, int]
    data_retention_days: int
    youth_min_age: int
    youth_max_age: int
    focus_group_size: int
    min_prioritised_value_chains: int
    strategy_participants: int
    note: str | None
    created_by_id: uuid.UUID | None
    created_at: datetime


class TargetUpdate(PatchModel):
    """A target of the indicator's unit: a share from 0 to 1, a count whole (422
    ``wrong_unit``). The first change of an indicator without a target needs
    ``target_value``."""

    baseline: float | None = Field(default=None, ge=0, le=1_000_000)
    target_value: Omittable[float] = Field(default=None, ge=0, le=1_000_000)
    description: Omittable[Name] = None
    description_km: Name | None = None
    period_start: Day | None = None
    period_end: Day | None = None


class TargetPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    indicator_code: str
    description: str
    description_km: str | None
    baseline: float | None
    target_value: float
    period_start: date | None
    period_end: date | None
    updated_at: datetime
    version: int


class TargetChangePublic(ResponseModel):
    """A target as it was set: its history, oldest first."""

    id: uuid.UUID
    target_id: uuid.UUID
    version: int
    baseline: float | None
    target_value: float
    period_start: date | None
    period_end: date | None
    changed_by_id: uuid.UUID | None
    changed_at: datetime


class RoleGrantCreate(RequestModel):
    platform_id: uuid.UUID
    role: PlatformRoleName


class RoleGrantPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    platform_code: str
    platform_name: str
    role: PlatformRoleName
    created_at: datetime


class UserDetail(UserPublic):
    roles: list[RoleGrantPublic]


assert set(QuorumRules.model_fields) == set(BODY_KINDS)
assert set(ResponseHours.model_fields) == set(URGENCIES)
