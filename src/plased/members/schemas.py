import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from plased.auth.schemas import FullName, Password
from plased.instants import Day
from plased.members.models import (
    CsoSector,
    Gender,
    LaLevel,
    MembershipStatus,
    OrganisationKind,
    RepresentativeRole,
    UnitLevel,
)
from plased.platforms.schemas import UserDetail
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel

Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=30, strip_whitespace=True)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{6,30}$")]
Website = Annotated[str, StringConstraints(pattern=r"^https?://\S{3,290}$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
BirthYear = Annotated[int, Field(ge=1900, le=2100)]


class AdminUnitPublic(ResponseModel):
    id: uuid.UUID
    code: str
    level: UnitLevel
    name: str
    name_km: str | None
    parent_id: uuid.UUID | None


class OrganisationFields(RequestModel):
    name_km: Name | None = None
    acronym: Short | None = None
    sector: CsoSector | None = None
    la_level: LaLevel | None = None
    unit_id: uuid.UUID | None = None
    email: EmailStr | None = Field(default=None, max_length=320)
    phone: Phone | None = None
    website: Website | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None


class OrganisationCreate(OrganisationFields):
    platform_id: uuid.UUID = Field(description="The platform whose secretariat registers it")
    name: Name
    kind: OrganisationKind


class OrganisationUpdate(PatchModel, OrganisationFields):
    name: Omittable[Name] = None
    kind: Omittable[OrganisationKind] = None


class OrganisationPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    name: str
    name_km: str | None
    acronym: str | None
    kind: OrganisationKind
    sector: CsoSector | None
    la_level: LaLevel | None
    unit_id: uuid.UUID | None
    email: str | None
    phone: str | None
    website: str | None
    address: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class DirectoryEntry(ResponseModel):
    """The public directory: no people, no contacts."""

    id: uuid.UUID
    name: str
    name_km: str | None
    acronym: str | None
    kind: OrganisationKind
    sector: CsoSector | None
    la_level: LaLevel | None
    unit_id: uuid.UUID | None
    member_since: datetime | None


class PersonFields(RequestModel):
    name_km: Name | None = None
    birth_year: BirthYear | None = None
    indigenous_group: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    has_disability: bool | None = None
    phone: Phone | None = None
    email: EmailStr | None = Field(default=None, max_length=320)
    consent_to_be_listed: bool | None = None


class PersonCreate(PersonFields):
    platform_id: uuid.UUID
    full_name: Name
    gender: Gender


class PersonUpdate(PatchModel, PersonFields):
    full_name: Omittable[Name] = None
    gender: Omittable[Gender] = None
    consent_to_be_listed: Omittable[bool] = None


class PersonPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    full_name: str
    name_km: str | None
    gender: Gender
    birth_year: int | None = None
    is_youth: bool | None = Field(
        default=None, description="From the platform's regulations; null if unknown or hidden"
    )
    indigenous_group: str | None = None
    has_disability: bool | None = None
    consent_to_be_listed: bool
    # Personal details: only for the secretariat, the person's organisations' staff and the
    # person; null for everyone else (contacts_visible says which).
    phone: str | None = None
    email: str | None = None
    user_id: uuid.UUID | None = Field(default=None, description="The account acting as them")
    contacts_visible: bool = Field(
        description="Whether this caller sees the person's details (contacts, birth year, "
        "indigenous group, disability, account)"
    )
    created_at: datetime
    updated_at: datetime
    version: int


class RepresentativeCreate(RequestModel):
    person_id: uuid.UUID
    role: RepresentativeRole
    start_date: Day | None = None


class RepresentativeEnd(RequestModel):
    end_date: Day | None = None


class PersonUserLink(RequestModel):
    user_id: uuid.UUID


class RepresentativePublic(ResponseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    person_id: uuid.UUID
    person_name: str | None = Field(description="Null when the person is not listed to you")
    role: RepresentativeRole
    start_date: date
    end_date: date | None
    version: int


class MembershipApply(RequestModel):
    organisation_id: uuid.UUID
    reason: Reason | None = None


class MembershipDecision(RequestModel):
    reason: Reason | None = None


class MembershipPublic(ResponseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    platform_id: uuid.UUID
    status: MembershipStatus
    applied_at: datetime
    decided_at: datetime | None
    reason: str | None
    updated_at: datetime
    version: int


class MembershipEventPublic(ResponseModel):
    id: uuid.UUID
    from_status: MembershipStatus | None
    to_status: MembershipStatus
    actor_id: uuid.UUID | None
    reason: str | None
    created_at: datetime


class StaffInvitationCreate(RequestModel):
    email: EmailStr = Field(max_length=320)
    full_name: FullName
    is_org_admin: bool = Field(
        default=False,
        description="May invite and deactivate colleagues (the first staff member always may)",
    )


class StaffInvitationPublic(ResponseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    email: str
    full_name: str
    is_org_admin: bool
    expires_at: datetime
    created_at: datetime


class StaffInvitationCreated(StaffInvitationPublic):
    token: str = Field(
        description="Shown once: give it to the invitee, who chooses a password with it"
    )


class InvitationAccept(RequestModel):
    token: str = Field(min_length=1, max_length=200)
    password: Password


class StaffUserPublic(ResponseModel):
    id: uuid.UUID
    email: str
    full_name: str
    is_active: bool
    is_org_admin: bool
    last_login_at: datetime | None
    created_at: datetime


class CountTarget(ResponseModel):
    indicator_code: str
    target: float
    actual: float
    met: bool


class Composition(ResponseModel):
    platform_id: uuid.UUID
    organisations: int
    organisations_by_kind: dict[str, int]
    csos_by_sector: dict[str, int]
    local_authorities_by_level: dict[str, int]
    people: int
    people_by_gender: dict[str, int | None] = Field(
        description="Null where suppressed (counts 1–4 and their complements; not for the "
        "secretariat)"
    )
    youth: int | None
    indigenous: int | None
    women_share: float | None
    targets: list[CountTarget]


class ImportRowReport(ResponseModel):
    row: int
    action: str = Field(description="create | update | unchanged | error")
    errors: list[str] = Field(default_factory=list)


class ImportReport(ResponseModel):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rows: list[ImportRowReport]


class MePerson(ResponseModel):
    person_id: uuid.UUID
    platform_id: uuid.UUID = Field(description="The platform family (its PLASED)")
    full_name: str


class MeDetail(UserDetail):
    people: list[MePerson] = Field(
        description="The person this account acts as in each platform family (to vote)"
    )
