"""Who is calling, and which platforms they reach: the rules about platforms and roles, in one
place. Every domain builds its ``readable(access)`` query on the ``Access`` loaded here once per
request; ``access`` is the caller's name everywhere.

Rules (docs/security.md, docs/decisions.md):

- Roles are per platform (``secretariat``, ``facilitator``, ``observer``); administrators reach
  every platform. Staff of an organisation read as observers across its platform family (the
  root PLASED and its COSS branches) — the implicit role ``org_staff``.
- A platform outside the caller's roles answers 404, exactly like a missing one; an action
  the caller's role can never take answers 403.
- An **archived** platform is read-only: whoever had a role in it still reads its records;
  every write answers 409 ``platform_archived``, except an administrator's. Anonymous callers
  do not see archived platforms at all.
"""

import inspect
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import bindparam, literal, null, or_, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import CompoundSelect
from sqlmodel import Session, col

from plased.audit import context as audit_context
from plased.auth.deps import SettingsDep, oauth2_scheme, user_from_token
from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.config import Settings
from plased.db import SessionDep
from plased.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from plased.members.models import Organisation
from plased.platforms.models import Platform, PlatformStatus
from plased.transitions import parameter

SECRETARIAT = PlatformRoleName.secretariat
FACILITATOR = PlatformRoleName.facilitator
ORG_STAFF = "org_staff"  # implicit: a user linked to an organisation


def root_of(platform: Platform) -> uuid.UUID:
    """The platform family's root: a COSS belongs to its PLASED."""
    return platform.parent_id or platform.id


class PlatformArchived(Conflict):
    code = "platform_archived"

    def __init__(self) -> None:
        super().__init__(
            "The platform is archived: its records can be read, not changed.",
            extra={"current_status": PlatformStatus.archived},
        )


@dataclass(frozen=True)
class Access:
    """The caller: the user, their roles per platform and per platform family, the root of
    their organisation's family, and which of their platforms are archived."""

    user: User
    roles: Mapping[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    root_roles: Mapping[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    own_root: uuid.UUID | None = None
    archived: frozenset[uuid.UUID] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    @property
    def organisation_id(self) -> uuid.UUID | None:
        return self.user.organisation_id

    def visible_roots(self) -> set[uuid.UUID] | None:
        """The platform families the caller reaches; None means every one (administrators)."""
        return None if self.is_admin else set(self.root_roles)

    def sees_root(self, root_id: uuid.UUID) -> bool:
        roots = self.visible_roots()
        return roots is None or root_id in roots

    def has_role_in(self, platform_id: uuid.UUID) -> bool:
        return self.is_admin or bool(self.roles.get(platform_id))

    def manages(self, platform_id: uuid.UUID) -> bool:
        """The platform's secretariat (or an administrator)."""
        return self.is_admin or SECRETARIAT in self.roles.get(platform_id, frozenset())

    def manages_root(self, root_id: uuid.UUID) -> bool:
        """The secretariat of some platform of the family (or an administrator)."""
        return self.is_admin or SECRETARIAT in self.root_roles.get(root_id, frozenset())

    def managed_platforms(self) -> list[uuid.UUID]:
        return [pid for pid, roles in self.roles.items() if SECRETARIAT in roles]

    def is_staff_of(self, organisation_id: uuid.UUID) -> bool:
        return self.user.organisation_id == organisation_id

    def require_manage_root(self, root_id: uuid.UUID) -> None:
        if not self.manages_root(root_id):
            raise Forbidden("Only the platform's secretariat may do this.")

    def require_writable(self, platform_id: uuid.UUID) -> None:
        """Writes to an archived platform's records: 409, except for administrators."""
        if platform_id in self.archived and not self.is_admin:
            raise PlatformArchived


# The caller's roles, with the status of each platform and of its family root; then, for
# organisation staff, every platform of their organisation's family (role ``org_staff``, the
# root in ``root_id``). Built once: a statement made per request costs more than the query.
_PARENT = aliased(Platform, name="parent_platform")
_CALLER: CompoundSelect[Any] = union_all(
    sa_select(
        col(PlatformRole.platform_id).label("platform_id"),
        col(PlatformRole.role).label("role"),
        col(Platform.parent_id).label("root_id"),
        col(Platform.status).label("status"),
        col(_PARENT.status).label("root_status"),
        literal(False).label("staff"),
    )
    .join(Platform, col(Platform.id) == PlatformRole.platform_id)
    .outerjoin(_PARENT, col(_PARENT.id) == Platform.parent_id)
    .where(col(PlatformRole.user_id) == bindparam("user_id")),
    sa_select(
        col(Platform.id),
        literal(ORG_STAFF),
        col(Organisation.platform_id),
        col(Platform.status),
        null(),
        literal(True),
    )
    .join(
        Platform,
        or_(
            col(Platform.id) == Organisation.platform_id,
            col(Platform.parent_id) == Organisation.platform_id,
        ),
    )
    .where(col(Organisation.id) == bindparam("organisation_id")),
)


def load_access(session: Session, user: User) -> Access:
    """Every role of the caller and their organisation's platform family, with the status of
    each platform, in one query. Together with the user's primary-key lookup that is the whole
    cost of knowing the caller: two queries (tests/core/test_sql_counts.py holds it)."""
    rows = session.execute(
        _CALLER, {"user_id": user.id, "organisation_id": user.organisation_id}
    ).all()
    roles: dict[uuid.UUID, set[str]] = {}
    root_roles: dict[uuid.UUID, set[str]] = {}
    archived: set[uuid.UUID] = set()
    own_root = None
    for platform_id, role, root_id, status, root_status, staff in rows:
        roles.setdefault(platform_id, set()).add(role)
        if status == PlatformStatus.archived:
            archived.add(platform_id)
        if staff:
            own_root = root_id
            continue
        root_roles.setdefault(root_id or platform_id, set()).add(role)
        if root_id is not None and root_status == PlatformStatus.archived:
            archived.add(root_id)
    if own_root is not None:
        root_roles.setdefault(own_root, set()).add(ORG_STAFF)
    return Access(
        user=user,
        roles={pid: frozenset(r) for pid, r in roles.items()},
        root_roles={pid: frozenset(r) for pid, r in root_roles.items()},
        own_root=own_root,
        archived=frozenset(archived),
    )


async def get_optional_access(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Access | None:
    """The caller, from their token to their roles, in one trip to a thread; anonymous
    callers get None without one. A token that is present must be valid."""
    if token is None:
        return None
    return await run_in_threadpool(_caller, request, session, settings, token)


def _caller(request: Request, session: Session, settings: Settings, token: str) -> Access:
    return load_access(session, user_from_token(request, session, settings, token))


async def get_access(access: Annotated[Access | None, Depends(get_optional_access)]) -> Access:
    if access is None:
        raise NotAuthenticated
    return access


AccessDep = Annotated[Access, Depends(get_access)]
OptionalAccessDep = Annotated[Access | None, Depends(get_optional_access)]


# -- platforms ---------------------------------------------------------------------------


def public_platform(session: Session, platform_id: uuid.UUID, access: Access | None) -> Platform:
    """A platform as the public sees it: active ones; archived ones for administrators only."""
    platform = session.get(Platform, platform_id)
    if platform is None:
        raise NotFound
    if platform.status != PlatformStatus.active and not (access and access.is_admin):
        raise NotFound
    return platform


def platform_in_reach(
    session: Session, access: Access, platform_id: uuid.UUID, *, write: bool = False
) -> Platform:
    """The platform, if the caller holds a role in it (administrators: any); else 404.
    ``write``: the caller is about to change its records (an archived platform answers 409)."""
    platform = session.get(Platform, platform_id)
    if platform is None or not access.has_role_in(platform_id):
        raise NotFound
    audit_context.set_platform(platform_id)
    if write:
        access.require_writable(platform_id)
    return platform


def managed_platform(
    session: Session, access: Access, platform_id: uuid.UUID, *, write: bool = True
) -> Platform:
    """The platform, if the caller is its secretariat; 404 without a role, 403 with another
    role, 409 when it is archived and the caller is about to change it."""
    platform = platform_in_reach(session, access, platform_id)
    if not access.manages(platform_id):
        raise Forbidden("Only the platform's secretariat may do this.")
    if write:
        access.require_writable(platform_id)
    return platform


def require_writable_platform(session: Session, access: Access, platform_id: uuid.UUID) -> None:
    """As ``Access.require_writable``, for a caller who reaches the platform without a role
    in it (a voter acting as a person of the family): the status is read from the table."""
    platform = session.get(Platform, platform_id)
    if platform is not None and platform.status == PlatformStatus.archived and not access.is_admin:
        raise PlatformArchived


def action_parameters(record_id: str) -> list[inspect.Parameter]:
    """What every action route of a record takes (``add_action_routes``): the session, the
    caller and the record's id."""
    return [
        parameter("session", SessionDep),
        parameter("access", AccessDep),
        parameter(record_id, uuid.UUID),
    ]
