import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class ServiceStatus(StrEnum):
    draft = "draft"
    published = "published"
    paused = "paused"
    withdrawn = "withdrawn"


class TargetGroup(StrEnum):
    women = "women"
    youth = "youth"
    indigenous = "indigenous"
    disability = "disability"
    idpoor = "idpoor"


class Language(StrEnum):
    khmer = "khmer"
    tampuan = "tampuan"
    jarai = "jarai"
    kreung = "kreung"
    brao = "brao"
    kavet = "kavet"
    lao = "lao"
    english = "english"


class ServiceGender(StrEnum):
    any = "any"
    female = "female"
    male = "male"


class NeedSource(StrEnum):
    focus_group = "focus_group"
    strategy = "strategy"
    survey = "survey"


class ServiceCategory(IdMixin, TimestampMixin, VersionMixin, table=True):
    """A two-level taxonomy per platform, seeded with the programme's categories."""

    __tablename__ = "service_category"
    __table_args__ = (UniqueConstraint("platform_id", "code"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=60)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="service_category.id")
    name: str = Field(max_length=120)
    name_km: str | None = Field(default=None, max_length=120)


class Service(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "service"
    __table_args__ = (
        Index("ix_service_platform_id_status_name", "platform_id", "status", "name"),
        Index("ix_service_updated_at", "updated_at"),
        Index("ix_service_name", "name"),
        # The public directory across platforms: published services by name or change.
        Index("ix_service_status_name", "status", "name"),
        Index("ix_service_status_updated_at", "status", "updated_at"),
    )

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    provider_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    category_id: uuid.UUID = Field(foreign_key="service_category.id", index=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    name_km: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    description_km: str | None = Field(default=None, max_length=4000)
    age_min: int | None = None
    age_max: int | None = None
    gender: str = Field(default=ServiceGender.any, max_length=10)
    is_free: bool = Field(default=True)
    fees: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    capacity_per_month: int | None = None
    status: str = Field(default=ServiceStatus.draft, max_length=10)


class ServiceArea(SQLModel, table=True):
    """The units a service covers; covering a unit covers everything below it."""

    __tablename__ = "service_area"

    service_id: uuid.UUID = Field(foreign_key="service.id", primary_key=True, ondelete="CASCADE")
    unit_id: uuid.UUID = Field(foreign_key="admin_unit.id", primary_key=True, index=True)


class ServiceTargetGroup(SQLModel, table=True):
    __tablename__ = "service_target_group"

    service_id: uuid.UUID = Field(foreign_key="service.id", primary_key=True, ondelete="CASCADE")
    target_group: str = Field(max_length=20, primary_key=True, index=True)


class ServiceLanguage(SQLModel, table=True):
    __tablename__ = "service_language"

    service_id: uuid.UUID = Field(foreign_key="service.id", primary_key=True, ondelete="CASCADE")
    language: str = Field(max_length=20, primary_key=True, index=True)


class Need(IdMixin, TimestampMixin, table=True):
    __tablename__ = "need"
    __table_args__ = (Index("ix_need_platform_id_need_date", "platform_id", "need_date"),)

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    category_id: uuid.UUID = Field(foreign_key="service_category.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="admin_unit.id", index=True)
    target_group: str | None = Field(default=None, max_length=20)
    people_count: int
    source: str = Field(max_length=20)
    reference: str | None = Field(default=None, max_length=300)
    need_date: date
    created_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    recorded_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
