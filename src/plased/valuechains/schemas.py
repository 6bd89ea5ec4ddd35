import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from plased.members.schemas import Name, Reason
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel, Warning
from plased.valuechains.models import ValueChainStatus
from plased.vocabulary import StakeholderGroup

ChainName = Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]
Description = Annotated[
    str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)
]
DistrictCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,12}$")]
CriterionCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


class ValueChainCreate(RequestModel):
    name: ChainName
    name_km: ChainName | None = None
    description: Description | None = None
    description_km: Description | None = None
    district_codes: list[DistrictCode] = Field(
        default_factory=list,
        max_length=40,
        description="Codes of the districts concerned (GET /api/v1/geography)",
    )


class ValueChainUpdate(PatchModel):
    name: Omittable[ChainName] = None
    name_km: ChainName | None = None
    description: Description | None = None
    description_km: Description | None = None
    district_codes: Omittable[list[DistrictCode]] = Field(default=None, max_length=40)


class ValueChainPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    name: str
    name_km: str | None
    description: str | None
    description_km: str | None
    district_codes: list[str]
    status: ValueChainStatus
    decision_motion_id: uuid.UUID | None = Field(
        description="The passed motion that decided the last status change, if any"
    )
    decision_reason: str | None = Field(description="The secretariat's reason, if any")
    decided_at: datetime | None
    focus_group_id: uuid.UUID | None = Field(description="The value-chain focus group (a body)")
    created_at: datetime
    updated_at: datetime
    version: int


class ValueChainDecision(RequestModel):
    """A decision on a chain: a passed motion of the board or the general assembly, or the
    secretariat's own decision with a reason (at least one of the two)."""

    motion_id: uuid.UUID | None = None
    reason: Reason | None = None


class ValueChainEventPublic(ResponseModel):
    id: uuid.UUID
    value_chain_id: uuid.UUID
    from_status: ValueChainStatus
    to_status: ValueChainStatus
    actor_id: uuid.UUID | None
    motion_id: uuid.UUID | None
    reason: str | None
    created_at: datetime


# -- prioritisation ------------------------------------------------------------------------


class CriterionCreate(RequestModel):
    code: CriterionCode
    name: ChainName
    name_km: ChainName | None = None
    description: (
        Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
        | None
    ) = None
    weight: float = Field(ge=0, le=1000, description="Relative weight; the weights must sum > 0")
    scale_min: int = Field(default=1, ge=0, le=100)
    scale_max: int = Field(default=5, ge=1, le=100)
    higher_is_better: bool = Field(
        default=True, description="False where a high score is bad (an environmental risk)"
    )

    @model_validator(mode="after")
    def _scale(self) -> "CriterionCreate":
        if self.scale_min >= self.scale_max:
            raise ValueError("scale_min must be below scale_max.")
        return self


class CriterionUpdate(PatchModel):
    """The scale cannot change once set: scores were given on it."""

    name: Omittable[ChainName] = None
    name_km: ChainName | None = None
    description: (
        Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
        | None
    ) = None
    weight: Omittable[float] = Field(default=None, ge=0, le=1000)
    higher_is_better: Omittable[bool] = None


class CriterionPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    code: str
    name: str
    name_km: str | None
    description: str | None
    weight: float
    scale_min: int
    scale_max: int
    higher_is_better: bool
    updated_at: datetime
    version: int


class ScoreEntry(RequestModel):
    criterion_id: uuid.UUID
    score: float = Field(ge=-1000, le=1000, description="Within the criterion's scale")


class ScoreSheet(RequestModel):
    """One scorer's scores of a chain: each criterion named is set (replacing that scorer's
    earlier score), the others are kept."""

    scorer_organisation_id: uuid.UUID | None = Field(
        default=None,
        description="The stakeholder organisation scoring; null: the secretariat itself",
    )
    scores: list[ScoreEntry] = Field(min_length=1, max_length=50)


class ScorePublic(ResponseModel):
    id: uuid.UUID
    value_chain_id: uuid.UUID
    criterion_id: uuid.UUID
    scorer_organisation_id: uuid.UUID | None
    score: float
    updated_at: datetime


class CriterionContribution(ResponseModel):
    criterion_id: uuid.UUID
    code: str
    weight: float
    scorers: int = Field(description="How many scorers scored this criterion")
    mean: float | None = Field(description="The mean score on the criterion's own scale")
    normalised: float | None = Field(
        description="The mean placed on 0–1 (reversed where a high score is bad)"
    )
    contribution: float = Field(
        description="Points out of 100: normalised × weight ÷ the sum of weights × 100"
    )


class RankedValueChain(ResponseModel):
    rank: int | None = Field(description="1 is first; equal scores share a rank; null: unscored")
    value_chain_id: uuid.UUID
    name: str
    name_km: str | None
    status: ValueChainStatus
    score: float | None = Field(description="Weighted score out of 100; null when unscored")
    scorers: int = Field(description="Distinct scorers of this chain")
    missing_criteria: list[str] = Field(description="Codes of criteria nobody scored")
    criteria: list[CriterionContribution]


class Ranking(ResponseModel):
    platform_id: uuid.UUID
    total_weight: float
    prioritised: int
    min_prioritised: int = Field(description="How many chains the programme asks to prioritise")
    chains: list[RankedValueChain]
    warnings: list[Warning]


# -- focus groups --------------------------------------------------------------------------


class FocusGroupCreate(RequestModel):
    name: Name | None = Field(default=None, description="Default: 'Focus group: <chain>'")
    name_km: Name | None = None
    facilitator_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class FocusGroupComposition(ResponseModel):
    value_chain_id: uuid.UUID
    body_id: uuid.UUID
    members: int = Field(description="Distinct people holding a current seat")
    target_size: int
    women: int
    women_share: float | None
    min_women_share: float
    youth: int
    indigenous: int
    stakeholder_groups: dict[StakeholderGroup, int]
    missing_stakeholder_groups: list[StakeholderGroup]
    without_stakeholder_group: int = Field(description="Members whose group is not recorded")
    warnings: list[Warning]
