"""Imports every table module so the metadata is complete (Alembic, tests)."""

from plased.auth.models import LoginThrottle, PlatformRole, RefreshToken, User
from plased.platforms.models import InclusionTarget, Platform, Regulations

__all__ = [
    "InclusionTarget",
    "LoginThrottle",
    "Platform",
    "PlatformRole",
    "RefreshToken",
    "Regulations",
    "User",
]
