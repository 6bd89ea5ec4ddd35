"""Request and answer bodies of community mapping (docs/community-mapping.md)."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from plased.initiatives.mapping_models import CboFocus, PlanStatus
from plased.instants import Day
from plased.members.schemas import Name, Reason
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel, Warning

Members = Annotated[int, Field(ge=1, le=100_000)]
Women = Annotated[int, Field(ge=0, le=100_000, description="Not more than `members_count`")]
Founded = Annotated[int, Field(ge=1900, le=2999, description="Not after this year")]
Focus = Annotated[
    list[CboFocus], Field(max_length=len(CboFocus), description="What the CBO works on")
]
Issue = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
Notes = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]
Villages = Annotated[
    list[uuid.UUID],
    Field(max_length=300, description="Geographic units of level `village`; repeats are dropped"),
]
Cbos = Annotated[
    list[uuid.UUID],
    Field(
        max_length=300,
        description="Organisations of the platform: CSOs of sector `cbo`; repeats are dropped",
    ),
]


class HealthChecklist(RequestModel):
    """The organisational-health checklist: an item left out is `false`."""

    has_statutes: bool = Field(default=False, description="Written statutes or by-laws")
    elected_leaders: bool = Field(default=False, description="Leaders chosen by the members")
    meets_regularly: bool = Field(default=False, description="Members meet at least quarterly")
    keeps_accounts: bool = Field(default=False, description="Written accounts of its money")
    has_bank_account: bool = Field(default=False, description="A bank or MFI account")
    has_plan: bool = Field(default=False, description="A written work plan for this year")


class CboProfileUpdate(RequestModel):
    """The whole profile (`PUT`): it replaces what was recorded before."""

    village_id: uuid.UUID = Field(description="A geographic unit of level `village`")
    members_count: Members
    women_members: Women
    focus: Focus = Field(default_factory=list)
    year_founded: Founded | None = None
    health: HealthChecklist = Field(default_factory=HealthChecklist)


class HealthPublic(ResponseModel):
    has_statutes: bool
    elected_leaders: bool
    meets_regularly: bool
    keeps_accounts: bool
    has_bank_account: bool
    has_plan: bool


class CboProfilePublic(ResponseModel):
    organisation_id: uuid.UUID
    platform_id: uuid.UUID = Field(description="The organisation's (root) platform")
    name: str = Field(description="The organisation's name")
    name_km: str | None
    village_id: uuid.UUID
    village_name: str
    district_code: str = Field(description="The official code of the village's district")
    district_name: str
    members_count: int
    women_members: int
    focus: list[CboFocus]
    year_founded: int | None
    health: HealthPublic
    health_score: int = Field(
        description="Checklist items true ÷ items × 100, rounded down (0 to 100)"
    )
    plans: int = Field(description="Advocacy plans of the CBO, in any status")
    created_at: datetime
    updated_at: datetime
    version: int


class CampaignCreate(RequestModel):
    name: Name
    name_km: Name | None = None
    starts_on: Day
    ends_on: Day | None = Field(default=None, description="Not before `starts_on`")
    village_ids: Villages = Field(default_factory=list)
    cbo_ids: Cbos = Field(default_factory=list)
    notes: Notes | None = None


class CampaignUpdate(PatchModel):
    name: Omittable[Name] = None
    name_km: Name | None = None
    starts_on: Omittable[Day] = None
    ends_on: Day | None = Field(default=None, description="Not before `starts_on`")
    village_ids: Omittable[Villages] = None
    cbo_ids: Omittable[Cbos] = None
    notes: Notes | None = None


class CampaignPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    name: str
    name_km: str | None
    starts_on: date
    ends_on: date | None
    village_ids: list[uuid.UUID]
    cbo_ids: list[uuid.UUID]
    villages_visited: int
    cbos_found: int
    cbos_profiled: int = Field(description="CBOs found that have a profile")
    notes: str | None
    warnings: list[Warning] = Field(
        description="`cbos_without_profile`; `cbo_outside_visited_villages` (a CBO found whose "
        "profile names a village not visited)"
    )
    created_at: datetime
    updated_at: datetime
    version: int


class AdvocacyPlanCreate(RequestModel):
    """Exactly one target: a local authority of the platform, or a national body by name."""

    issue: Issue
    issue_km: Issue | None = None
    target_organisation_id: uuid.UUID | None = Field(
        default=None, description="A local authority of the platform"
    )
    target_body: Name | None = Field(
        default=None, description="A national body by name (a ministry, the National Assembly)"
    )


class AdvocacyPlanUpdate(PatchModel):
    """While the plan is drafted. A target is changed by naming the new one and clearing
    the other (`null`)."""

    issue: Omittable[Issue] = None
    issue_km: Issue | None = None
    target_organisation_id: uuid.UUID | None = None
    target_body: Name | None = None


class AdvocacyOutcome(RequestModel):
    note: Reason | None = Field(default=None, description="What the authority said or did")


class AdvocacyTurnDown(RequestModel):
    note: Reason = Field(description="Why the authority did not take the plan up")


class AdvocacyPlanPublic(ResponseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID = Field(description="The CBO")
    platform_id: uuid.UUID
    issue: str
    issue_km: str | None
    display_issue: str = Field(
        description="`issue_km` when the request asks for Khmer and it is set, else `issue`"
    )
    target_organisation_id: uuid.UUID | None
    target_body: str | None
    status: PlanStatus
    submitted_at: datetime | None
    decided_at: datetime | None
    outcome_note: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class AdvocacyPlanEventPublic(ResponseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    from_status: PlanStatus | None = Field(description="null: the drafting")
    to_status: PlanStatus
    actor_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class DistrictMapping(ResponseModel):
    district_code: str
    district_name: str
    district_name_km: str | None
    mapped: int = Field(description="CBOs with a profile in a village of the district")
    with_plans: int = Field(description="Of those, CBOs with at least one advocacy plan")
    advocated: int = Field(description="Of those, CBOs with at least one plan taken up")


class MappingSummary(ResponseModel):
    """Counts of organisations, not of people: nothing is suppressed."""

    platform_id: uuid.UUID
    districts: list[DistrictMapping] = Field(description="By district code")
    mapped: int
    with_plans: int
    advocated: int
