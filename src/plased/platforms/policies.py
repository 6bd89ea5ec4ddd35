"""Who may do what to a platform's records."""

import uuid

from sqlmodel import Session

from plased.auth.deps import platform_roles
from plased.auth.models import PlatformRoleName, User
from plased.errors import Forbidden, NotFound
from plased.platforms.models import Platform


def _platform_and_roles(
    session: Session, actor: User, platform_id: uuid.UUID
) -> tuple[Platform, set[str]]:
    platform = session.get(Platform, platform_id)
    if platform is None:
        raise NotFound
    roles = platform_roles(session, actor, platform_id)
    if not actor.is_admin and not roles:
        raise NotFound  # do not reveal records of platforms the caller has no part in
    return platform, roles


def member_platform(session: Session, actor: User, platform_id: uuid.UUID) -> Platform:
    """The platform, if the actor holds any role in it (admins: any platform); else 404."""
    return _platform_and_roles(session, actor, platform_id)[0]


def managed_platform(session: Session, actor: User, platform_id: uuid.UUID) -> Platform:
    """The platform, if the actor is its secretariat (or an admin). Other roles: 403."""
    platform, roles = _platform_and_roles(session, actor, platform_id)
    if not actor.is_admin and PlatformRoleName.secretariat not in roles:
        raise Forbidden("Only the platform's secretariat may do this.")
    return platform
