"""Small factories: each builds one record with sensible defaults and commits it."""

import itertools
from functools import lru_cache
from typing import Any

from sqlmodel import Session

from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.auth.passwords import hash_password
from plased.auth.tokens import create_access_token
from plased.config import Settings
from plased.platforms import service as platforms
from plased.platforms.models import Platform, PlatformKind
from plased.platforms.schemas import PlatformCreate

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Argon2id costs ~0.1 s: hash the shared test password once per run.
    return hash_password(PASSWORD)


def make_user(session: Session, **overrides: Any) -> User:
    n = next(_counter)
    values: dict[str, Any] = {
        "email": f"user{n}@example.org",
        "full_name": f"Test User {n}",
        "password_hash": password_hash(),
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.commit()
    return user


def make_platform(session: Session, **overrides: Any) -> Platform:
    n = next(_counter)
    values: dict[str, Any] = {
        "code": f"platform-{n}",
        "name": f"Platform {n}",
        "kind": PlatformKind.plased,
        "province": "Ratanakiri",
    }
    values.update(overrides)
    platform = platforms.create_platform(session, actor=None, data=PlatformCreate(**values))
    session.commit()
    return platform


def grant(session: Session, user: User, platform: Platform, role: PlatformRoleName) -> None:
    session.add(PlatformRole(user_id=user.id, platform_id=platform.id, role=role))
    session.commit()


def auth(settings: Settings, user: User) -> dict[str, str]:
    token = create_access_token(settings, user_id=user.id, token_version=user.token_version)
    return {"Authorization": f"Bearer {token}"}
