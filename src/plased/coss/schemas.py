import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, model_validator

from plased.coss.models import Language, NeedSource, ServiceGender, ServiceStatus, TargetGroup
from plased.instants import Day
from plased.members.schemas import Name, Phone
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,59}$")]
Text = Annotated[str, StringConstraints(max_length=4000)]
CategoryName = Annotated[
    str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)
]
Age = Annotated[int, Field(ge=0, le=120)]


class CategoryCreate(RequestModel):
    code: Code
    name: CategoryName
    name_km: CategoryName | None = None
    parent_id: uuid.UUID | None = None


class CategoryUpdate(PatchModel):
    name: Omittable[CategoryName] = None
    name_km: CategoryName | None = None


class CategoryPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    code: str
    parent_id: uuid.UUID | None
    name: str
    name_km: str | None
    version: int


class ServiceFields(RequestModel):
    name_km: Name | None = None
    description: Text | None = None
    description_km: Text | None = None
    target_groups: list[TargetGroup] | None = Field(default=None, max_length=10)
    age_min: Age | None = None
    age_max: Age | None = None
    gender: ServiceGender | None = None
    coverage_unit_ids: list[uuid.UUID] | None = Field(default=None, max_length=400)
    languages: list[Language] | None = Field(default=None, max_length=10)
    is_free: bool | None = None
    fees: Annotated[str, StringConstraints(max_length=500)] | None = None
    email: EmailStr | None = Field(default=None, max_length=320)
    phone: Phone | None = None
    capacity_per_month: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    status: ServiceStatus | None = None

    @model_validator(mode="after")
    def _age_range(self) -> "ServiceFields":
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min must not exceed age_max.")
        return self


class ServiceCreate(ServiceFields):
    platform_id: uuid.UUID
    provider_id: uuid.UUID
    category_id: uuid.UUID
    name: Name


class ServiceUpdate(PatchModel, ServiceFields):
    name: Omittable[Name] = None
    category_id: Omittable[uuid.UUID] = None
    gender: Omittable[ServiceGender] = None
    is_free: Omittable[bool] = None
    status: Omittable[ServiceStatus] = None


class ServicePublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    category_id: uuid.UUID
    category_code: str
    name: str
    name_km: str | None
    description: str | None
    description_km: str | None
    target_groups: list[TargetGroup]
    age_min: int | None
    age_max: int | None
    gender: ServiceGender
    coverage_unit_ids: list[uuid.UUID]
    languages: list[Language]
    is_free: bool
    fees: str | None
    email: str | None
    phone: str | None
    capacity_per_month: int | None
    status: ServiceStatus
    accepts_referrals: bool = Field(
        description="Listed in the directory and the provider has staff to receive referrals"
    )
    created_at: datetime
    updated_at: datetime
    version: int


class NeedCreate(RequestModel):
    category_id: uuid.UUID
    unit_id: uuid.UUID
    target_group: TargetGroup | None = None
    people_count: Annotated[int, Field(ge=1, le=1_000_000)]
    source: NeedSource
    reference: Annotated[str, StringConstraints(max_length=300)] | None = None
    need_date: Day


class NeedPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    category_id: uuid.UUID
    unit_id: uuid.UUID
    target_group: TargetGroup | None
    people_count: int
    source: NeedSource
    reference: str | None
    need_date: date
    recorded_at: datetime


class GapRow(ResponseModel):
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    unit_name_km: str | None
    category_code: str
    category_name: str
    people_in_need: int
    services: int
    monthly_capacity: int
    partial_services: int = Field(description="Services covering only part of the unit")
    gap: int = Field(description="people_in_need minus monthly_capacity")
    unserved_referrals: int | None = Field(
        default=None,
        description="Referrals declined for want of capacity or eligibility (district level; "
        "null when suppressed or at commune level)",
    )
    unserved_suppressed: bool = False


class MissingCompetence(ResponseModel):
    category_code: str
    category_name: str
    people_in_need: int


class GapReport(ResponseModel):
    platform_id: uuid.UUID
    level: str
    rows: list[GapRow]
    competences_to_build: list[MissingCompetence]
