import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class ReferralStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"
    expired = "expired"
    in_progress = "in_progress"
    completed = "completed"
    closed = "closed"


FINAL = frozenset(
    {
        ReferralStatus.declined,
        ReferralStatus.withdrawn,
        ReferralStatus.expired,
        ReferralStatus.completed,
        ReferralStatus.closed,
    }
)


class Vulnerability(StrEnum):
    women = "women"
    youth = "youth"
    indigenous = "indigenous"
    disability = "disability"
    idpoor = "idpoor"
    gbv_survivor = "gbv_survivor"
    child = "child"
    other = "other"


class DeclineReason(StrEnum):
    no_capacity = "no_capacity"
    not_eligible = "not_eligible"
    out_of_area = "out_of_area"
    client_unreachable = "client_unreachable"
    duplicate = "duplicate"
    other = "other"


class ConsentGiver(StrEnum):
    self = "self"
    guardian = "guardian"


class Client(IdMixin, TimestampMixin, table=True):
    """The person referred: personal data, kept apart so it can be erased."""

    __tablename__ = "referral_client"

    full_name: str = Field(max_length=200)
    name_km: str | None = Field(default=None, max_length=200)
    gender: str = Field(max_length=12)
    birth_year: int | None = None
    phone: str | None = Field(default=None, max_length=40)
    village_id: uuid.UUID | None = Field(default=None, foreign_key="admin_unit.id")
    vulnerabilities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    preferred_language: str | None = Field(default=None, max_length=20)


class Referral(IdMixin, TimestampMixin, VersionMixin, table=True):
    """The referral's facts. The client's identity is in ``referral_client``; the anonymous
    facts below (gender, age band, district, vulnerabilities) outlive its erasure."""

    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_from_organisation_id_created_at", "from_organisation_id", "created_at"),
        Index("ix_referral_provider_id_created_at", "provider_id", "created_at"),
        Index("ix_referral_status_respond_by", "status", "respond_by"),
        Index("ix_referral_platform_id_status", "platform_id", "status"),
        Index("ix_referral_platform_id_submitted_at", "platform_id", "submitted_at"),
        Index("ix_referral_updated_at", "updated_at"),
        # ``sort=updated_at`` within what one organisation reads (sent, received).
        Index("ix_referral_from_organisation_id_updated_at", "from_organisation_id", "updated_at"),
        Index("ix_referral_provider_id_updated_at", "provider_id", "updated_at"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id")
    from_organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    created_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True)
    provider_id: uuid.UUID = Field(foreign_key="organisation.id")
    category_id: uuid.UUID = Field(foreign_key="service_category.id", index=True)
    client_id: uuid.UUID | None = Field(
        default=None, foreign_key="referral_client.id", unique=True, ondelete="SET NULL"
    )
    urgency: str = Field(max_length=10)
    reason: str | None = Field(default=None, max_length=2000)
    needs: str | None = Field(default=None, max_length=2000)
    referrer_contact: str | None = Field(default=None, max_length=200)
    status: str = Field(default=ReferralStatus.draft, max_length=12)
    decline_reason: str | None = Field(default=None, max_length=20)
    decline_note: str | None = Field(default=None, max_length=1000)
    suggested_service_id: uuid.UUID | None = Field(default=None, foreign_key="service.id")
    outcome: str | None = Field(default=None, max_length=2000)
    services_delivered: str | None = Field(default=None, max_length=1000)
    close_reason: str | None = Field(default=None, max_length=1000)
    submitted_at: datetime | None = timestamp_field(default=None, nullable=True)
    respond_by: datetime | None = timestamp_field(default=None, nullable=True)
    responded_at: datetime | None = timestamp_field(default=None, nullable=True)
    completed_at: datetime | None = timestamp_field(default=None, nullable=True)
    ended_at: datetime | None = timestamp_field(default=None, nullable=True, index=True)
    # Anonymous facts, kept for reporting after the client's data is erased.
    client_gender: str = Field(max_length=12)
    client_age_band: str | None = Field(default=None, max_length=10)
    district_id: uuid.UUID | None = Field(default=None, foreign_key="admin_unit.id")
    vulnerabilities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    client_erased_at: datetime | None = timestamp_field(default=None, nullable=True)


class Consent(IdMixin, TimestampMixin, table=True):
    __tablename__ = "referral_consent"

    referral_id: uuid.UUID = Field(foreign_key="referral.id", unique=True)
    given_by: str = Field(max_length=10)
    given_on: date
    share_with_provider: bool
    follow_up_contact: bool
    reporting: bool
    withdrawn_at: datetime | None = timestamp_field(default=None, nullable=True)


class ReferralEvent(IdMixin, SQLModel, table=True):
    """Every transition: who, for which organisation, when, from, to, note. No client data."""

    __tablename__ = "referral_event"

    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    actor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class ClientDataAccess(IdMixin, SQLModel, table=True):
    """Every read of a client's personal data: who, when, which referral (for the audit trail)."""

    __tablename__ = "client_data_access"
    __table_args__ = (Index("ix_client_data_access_referral_id_at", "referral_id", "accessed_at"),)

    referral_id: uuid.UUID = Field(foreign_key="referral.id")
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    via: str = Field(max_length=20)
    accessed_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


def age_band(birth_year: int | None, year: int) -> str | None:
    if birth_year is None:
        return None
    age = year - birth_year
    for upper, band in ((14, "0-14"), (17, "15-17"), (24, "18-24"), (30, "25-30"), (59, "31-59")):
        if age <= upper:
            return band
    return "60+"
