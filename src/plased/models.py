"""Imports every table module so the metadata is complete (Alembic, tests)."""

from plased.auth.models import LoginThrottle, PlatformRole, RefreshToken, User
from plased.coss.models import (
    Need,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
    ServiceTargetGroup,
)
from plased.idempotency import IdempotencyRecord
from plased.members.models import (
    AdminUnit,
    Membership,
    MembershipEvent,
    Organisation,
    Person,
    Representative,
)
from plased.platforms.models import InclusionTarget, Platform, Regulations

__all__ = [
    "AdminUnit",
    "IdempotencyRecord",
    "InclusionTarget",
    "LoginThrottle",
    "Membership",
    "MembershipEvent",
    "Need",
    "Organisation",
    "Person",
    "Platform",
    "PlatformRole",
    "RefreshToken",
    "Regulations",
    "Representative",
    "Service",
    "ServiceArea",
    "ServiceCategory",
    "ServiceLanguage",
    "ServiceTargetGroup",
    "User",
]
