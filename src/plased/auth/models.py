import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class PlatformRoleName(StrEnum):
    secretariat = "secretariat"
    facilitator = "facilitator"
    observer = "observer"


class User(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "user_account"
    __table_args__ = (Index("ix_user_account_created_at", "created_at"),)

    email: str = Field(max_length=320, unique=True, index=True)
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True)
    is_admin: bool = Field(default=False)
    # Bumped by a password change or a deactivation: every older access token stops working.
    token_version: int = Field(default=1)
    last_login_at: datetime | None = timestamp_field(default=None, nullable=True)
    # Set for organisation staff: they act for this organisation (members issue).
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    # The organisation's staff administrator: invites and deactivates its staff.
    is_org_admin: bool = Field(default=False)
    # Client data of referrals older than this stays hidden from the account (null: none
    # hidden). Set when the secretariat invites a staff member, inherited by the accounts that
    # member invites: an account created from outside the organisation never opens its past.
    client_data_since: datetime | None = timestamp_field(default=None, nullable=True)


class PlatformRole(IdMixin, SQLModel, table=True):
    __tablename__ = "platform_role"
    __table_args__ = (UniqueConstraint("user_id", "platform_id", "role"),)

    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    granted_by_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class RefreshToken(IdMixin, SQLModel, table=True):
    """Opaque refresh tokens, stored as a SHA-256 hash; one family per login."""

    __tablename__ = "refresh_token"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    family_id: uuid.UUID = Field(index=True)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = timestamp_field(nullable=False)
    used_at: datetime | None = timestamp_field(default=None, nullable=True)
    revoked_at: datetime | None = timestamp_field(default=None, nullable=True)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class LoginThrottle(SQLModel, table=True):
    """Failed logins per email (hashed, so unknown emails are throttled alike)."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=64)
    failures: int = Field(default=0)
    locked_until: datetime | None = timestamp_field(default=None, nullable=True)
    updated_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
