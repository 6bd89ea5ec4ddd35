"""Who may see and change member records.

Organisations and people belong to a *root* platform (a PLASED); its COSS branches share
them. A caller sees the records of every root in whose family (the root or a branch) they
hold a role, and of their own organisation's root. Outside that set a record answers 404.
"""

import uuid
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends
from sqlalchemy import or_
from sqlmodel import Session, col, select

from plased.auth.deps import CurrentUser, OptionalUser
from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.db import SessionDep
from plased.errors import Forbidden, NotFound
from plased.members.models import Organisation
from plased.platforms.models import Platform

SECRETARIAT = PlatformRoleName.secretariat
ORG_STAFF = "org_staff"  # implicit: a user linked to an organisation


def root_of(platform: Platform) -> uuid.UUID:
    return platform.parent_id or platform.id


@dataclass(frozen=True)
class MemberAccess:
    user: User
    by_platform: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    by_root: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    own_root: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    def visible_roots(self) -> set[uuid.UUID] | None:
        """None means every root (administrators)."""
        return None if self.is_admin else set(self.by_root)

    def sees_root(self, root_id: uuid.UUID) -> bool:
        roots = self.visible_roots()
        return roots is None or root_id in roots

    def manages_root(self, root_id: uuid.UUID) -> bool:
        return self.is_admin or SECRETARIAT in self.by_root.get(root_id, set())

    def manages_platform(self, platform_id: uuid.UUID) -> bool:
        return self.is_admin or SECRETARIAT in self.by_platform.get(platform_id, set())

    def has_role_in(self, platform_id: uuid.UUID) -> bool:
        return self.is_admin or bool(self.by_platform.get(platform_id))

    def is_staff_of(self, organisation_id: uuid.UUID) -> bool:
        return self.user.organisation_id == organisation_id

    def require_manage_root(self, root_id: uuid.UUID) -> None:
        if not self.manages_root(root_id):
            raise Forbidden("Only the platform's secretariat may do this.")


def platform_in_reach(session: Session, access: MemberAccess, platform_id: uuid.UUID) -> Platform:
    """The platform, if the caller holds a role in it (or is an administrator); else 404."""
    platform = session.get(Platform, platform_id)
    if platform is None or not access.has_role_in(platform_id):
        raise NotFound
    return platform


def platform_managed(session: Session, access: MemberAccess, platform_id: uuid.UUID) -> Platform:
    """The platform, if the caller is its secretariat; 404 without a role, 403 with another."""
    platform = platform_in_reach(session, access, platform_id)
    if not access.manages_platform(platform_id):
        raise Forbidden("Only the platform's secretariat may do this.")
    return platform


def load_access(session: Session, user: User) -> MemberAccess:
    """Every role of the caller in one query; the staff organisation's root in another."""
    rows = session.exec(
        select(PlatformRole.platform_id, PlatformRole.role, Platform.parent_id)
        .join(Platform, col(Platform.id) == PlatformRole.platform_id)
        .where(PlatformRole.user_id == user.id)
    ).all()
    by_platform: dict[uuid.UUID, set[str]] = {}
    by_root: dict[uuid.UUID, set[str]] = {}
    for platform_id, role, parent_id in rows:
        by_platform.setdefault(platform_id, set()).add(role)
        by_root.setdefault(parent_id or platform_id, set()).add(role)
    own_root = None
    if user.organisation_id is not None:
        own_root = session.exec(
            select(Organisation.platform_id).where(Organisation.id == user.organisation_id)
        ).first()
    if own_root is not None:
        # Organisation staff read as observers across their organisation's platform family.
        family = session.exec(
            select(Platform.id).where(
                or_(col(Platform.id) == own_root, col(Platform.parent_id) == own_root)
            )
        ).all()
        for platform_id in family:
            by_platform.setdefault(platform_id, set()).add(ORG_STAFF)
        by_root.setdefault(own_root, set()).add(ORG_STAFF)
    return MemberAccess(user=user, by_platform=by_platform, by_root=by_root, own_root=own_root)


def get_access(session: SessionDep, user: CurrentUser) -> MemberAccess:
    return load_access(session, user)


AccessDep = Annotated[MemberAccess, Depends(get_access)]


def get_optional_access(session: SessionDep, user: OptionalUser) -> MemberAccess | None:
    return load_access(session, user) if user is not None else None


OptionalAccessDep = Annotated[MemberAccess | None, Depends(get_optional_access)]
