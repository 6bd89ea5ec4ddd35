import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class UnitLevel(StrEnum):
    province = "province"
    district = "district"
    commune = "commune"
    village = "village"


class OrganisationKind(StrEnum):
    cso = "cso"
    local_authority = "local_authority"
    service_provider = "service_provider"
    education = "education"
    private_sector = "private_sector"
    development_partner = "development_partner"
    other = "other"


class CsoSector(StrEnum):
    agriculture = "agriculture"
    environment = "environment"
    indigenous = "indigenous"
    social_development = "social_development"
    cbo = "cbo"


class LaLevel(StrEnum):
    provincial = "provincial"
    district = "district"
    commune = "commune"


# The administrative level a local authority of each level must cover.
LA_UNIT_LEVEL = {
    LaLevel.provincial: UnitLevel.province,
    LaLevel.district: UnitLevel.district,
    LaLevel.commune: UnitLevel.commune,
}


class Gender(StrEnum):
    female = "female"
    male = "male"
    other = "other"
    undisclosed = "undisclosed"


class RepresentativeRole(StrEnum):
    primary = "primary"
    alternate = "alternate"
    staff = "staff"


class MembershipStatus(StrEnum):
    applied = "applied"
    active = "active"
    rejected = "rejected"
    suspended = "suspended"
    withdrawn = "withdrawn"
    expired = "expired"


class AdminUnit(IdMixin, SQLModel, table=True):
    """Reference data shipped with the schema (see migrations/data/SOURCE.md)."""

    __tablename__ = "admin_unit"

    code: str = Field(max_length=12, unique=True, index=True)
    level: str = Field(max_length=10, index=True)
    name: str = Field(max_length=120, index=True)
    name_km: str | None = Field(default=None, max_length=120)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="admin_unit.id", index=True)


class Organisation(IdMixin, TimestampMixin, VersionMixin, table=True):
    """An organisation belongs to a root (PLASED) platform; its COSS branches share it."""

    __tablename__ = "organisation"
    __table_args__ = (
        Index("ix_organisation_platform_id_name_key", "platform_id", "name_key"),
        # The list's default sort and its kind filter within a platform family.
        Index("ix_organisation_platform_id_name", "platform_id", "name"),
        Index("ix_organisation_platform_id_kind_name", "platform_id", "kind", "name"),
        Index("ix_organisation_sector", "sector"),
        Index("ix_organisation_la_level", "la_level"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True, ondelete="RESTRICT")
    name: str = Field(max_length=200, index=True)
    # Case- and space-insensitive name: the stable key for duplicates and CSV re-imports.
    name_key: str = Field(max_length=200)
    name_km: str | None = Field(default=None, max_length=200)
    acronym: str | None = Field(default=None, max_length=30)
    kind: str = Field(max_length=30, index=True)
    sector: str | None = Field(default=None, max_length=30)
    la_level: str | None = Field(default=None, max_length=20)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="admin_unit.id", index=True)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    website: str | None = Field(default=None, max_length=300)
    address: str | None = Field(default=None, max_length=500)


class Person(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_platform_id_name_key", "platform_id", "name_key"),
        UniqueConstraint("platform_id", "user_id"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True, ondelete="RESTRICT")
    full_name: str = Field(max_length=200, index=True)
    name_key: str = Field(max_length=200)
    name_km: str | None = Field(default=None, max_length=200)
    gender: str = Field(max_length=12, index=True)
    birth_year: int | None = None
    indigenous_group: str | None = Field(default=None, max_length=60)
    has_disability: bool | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    consent_to_be_listed: bool = Field(default=False)
    # The account that acts as this person (to vote); one person per user and platform.
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL"
    )
    # The organisation whose staff registered the person (null: the secretariat did). Until
    # an organisation represents the person, only this one may link them.
    created_by_organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL"
    )


class Representative(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A person speaking for an organisation; ended, never deleted."""

    __tablename__ = "representative"
    __table_args__ = (
        # One current primary representative per organisation.
        Index(
            "uq_representative_current_primary",
            "organisation_id",
            unique=True,
            sqlite_where=text("role = 'primary' AND end_date IS NULL"),
            postgresql_where=text("role = 'primary' AND end_date IS NULL"),
        ),
    )

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=12)
    start_date: date
    end_date: date | None = None


class Membership(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "membership"
    __table_args__ = (
        # At most one open (applied, active or suspended) membership per organisation and platform.
        Index(
            "uq_membership_open",
            "organisation_id",
            "platform_id",
            unique=True,
            sqlite_where=text("status IN ('applied', 'active', 'suspended')"),
            postgresql_where=text("status IN ('applied', 'active', 'suspended')"),
        ),
        Index("ix_membership_platform_id_status", "platform_id", "status"),
        Index("ix_membership_platform_id_applied_at", "platform_id", "applied_at"),
    )

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    platform_id: uuid.UUID = Field(foreign_key="platform.id")
    status: str = Field(max_length=12)
    applied_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
    decided_at: datetime | None = timestamp_field(default=None, nullable=True)
    decided_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    reason: str | None = Field(default=None, max_length=1000)


class MembershipEvent(IdMixin, SQLModel, table=True):
    """Every transition of a membership: who, when, from, to, why."""

    __tablename__ = "membership_event"

    membership_id: uuid.UUID = Field(foreign_key="membership.id", index=True)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    actor_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    reason: str | None = Field(default=None, max_length=1000)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class StaffInvitation(IdMixin, SQLModel, table=True):
    """A one-time invitation to become staff of an organisation. Only a hash of the token is
    kept; whoever redeems it chooses the password, so the inviter never holds the account."""

    __tablename__ = "staff_invitation"

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    email: str = Field(max_length=320)
    full_name: str = Field(max_length=200)
    is_org_admin: bool = Field(default=False)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    # Whether the inviter is outside the organisation (secretariat, administrator): then the
    # new account sees client data only from its own creation on.
    from_outside: bool = Field(default=False)
    # The horizon a staff inviter passes on (null: none).
    client_data_since: datetime | None = timestamp_field(default=None, nullable=True)
    expires_at: datetime = timestamp_field(nullable=False)
    accepted_at: datetime | None = timestamp_field(default=None, nullable=True)
    revoked_at: datetime | None = timestamp_field(default=None, nullable=True)
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
