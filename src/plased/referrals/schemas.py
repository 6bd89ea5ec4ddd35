import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from plased.coss.models import Language
from plased.instants import Day
from plased.members.models import Gender
from plased.members.schemas import Phone
from plased.referrals.models import ConsentGiver, DeclineReason, ReferralStatus, Vulnerability
from plased.schemas import RequestModel, ResponseModel, Warning
from plased.vocabulary import Urgency

Note = Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=2000)]


class ClientCreate(RequestModel):
    full_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name_km: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    gender: Gender
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    phone: Phone | None = None
    village_id: uuid.UUID | None = Field(default=None, description="A village or commune")
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, max_length=8)
    preferred_language: Language | None = None


class ClientPublic(ResponseModel):
    full_name: str
    name_km: str | None
    gender: Gender
    birth_year: int | None
    phone: str | None
    village_id: uuid.UUID | None
    vulnerabilities: list[Vulnerability]
    preferred_language: Language | None


class ConsentCreate(RequestModel):
    given_by: ConsentGiver
    given_on: Day
    share_with_provider: bool
    follow_up_contact: bool = False
    reporting: bool = False


class ConsentPublic(ResponseModel):
    given_by: ConsentGiver
    given_on: date
    share_with_provider: bool
    follow_up_contact: bool
    reporting: bool
    withdrawn_at: datetime | None


class ReferralCreate(RequestModel):
    service_id: uuid.UUID
    urgency: Urgency = Urgency.routine
    reason: LongText | None = None
    needs: LongText | None = None
    referrer_contact: Annotated[str, StringConstraints(max_length=200)] | None = None
    client: ClientCreate
    consent: ConsentCreate | None = None


class ReferralDecline(RequestModel):
    reason: DeclineReason
    note: Note | None = None
    suggested_service_id: uuid.UUID | None = None


class ReferralComplete(RequestModel):
    outcome: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    services_delivered: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    note: Note | None = None


class ReferralClose(RequestModel):
    reason: Note


class NoteCreate(RequestModel):
    note: Note | None = None


class ReferralPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    from_organisation_id: uuid.UUID
    service_id: uuid.UUID
    provider_id: uuid.UUID
    category_id: uuid.UUID
    urgency: Urgency
    reason: str | None
    needs: str | None
    referrer_contact: str | None
    status: ReferralStatus
    decline_reason: DeclineReason | None
    decline_note: str | None
    suggested_service_id: uuid.UUID | None
    outcome: str | None
    services_delivered: str | None
    close_reason: str | None
    submitted_at: datetime | None
    respond_by: datetime | None
    responded_at: datetime | None
    completed_at: datetime | None
    client_gender: Gender
    client_age_band: str | None
    district_id: uuid.UUID | None
    vulnerabilities: list[Vulnerability]
    client_erased_at: datetime | None
    client_visible: bool = Field(description="Whether this caller may see the client's identity")
    client: ClientPublic | None = None
    consent: ConsentPublic | None = None
    warnings: list[Warning] = Field(
        default_factory=list, description="On create and submit: e.g. outside_coverage"
    )
    created_at: datetime
    updated_at: datetime
    version: int


class ReferralEventPublic(ResponseModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    from_status: ReferralStatus | None
    to_status: ReferralStatus
    note: str | None
    created_at: datetime


class StatsCell(ResponseModel):
    key: str
    count: int | None = Field(description="Null when suppressed")
    suppressed: bool = Field(
        description="Hidden: a count from 1 to 4, or a cell hidden with it so that it cannot "
        "be recovered by subtraction"
    )


class ReferralStats(ResponseModel):
    platform_id: uuid.UUID
    period_from: date | None
    period_to: date | None
    total: int | None = Field(description="Null when fewer than 5")
    by_status: list[StatsCell]
    by_category: list[StatsCell]
    by_district: list[StatsCell]
    by_urgency: list[StatsCell]
    by_gender: list[StatsCell]
    by_age_band: list[StatsCell]
    by_vulnerability: list[StatsCell]
    acceptance_rate: float | None
    median_hours_to_respond: float | None
    median_hours_to_complete: float | None
    suppression_threshold: int = 5
