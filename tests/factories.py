"""Small factories: each builds one record with sensible defaults and commits it."""

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from plased import provisioning
from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.auth.passwords import hash_password
from plased.auth.tokens import create_access_token
from plased.config import Settings
from plased.platforms.models import Platform, PlatformKind
from plased.platforms.schemas import PlatformCreate

if TYPE_CHECKING:
    from plased.members.models import AdminUnit, Membership, Organisation, Person, Representative

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
    platform = provisioning.create_platform(session, actor=None, data=PlatformCreate(**values))
    session.commit()
    return platform


def grant(session: Session, user: User, platform: Platform, role: PlatformRoleName) -> None:
    session.add(PlatformRole(user_id=user.id, platform_id=platform.id, role=role))
    session.commit()


def auth(settings: Settings, user: User) -> dict[str, str]:
    token = create_access_token(settings, user_id=user.id, token_version=user.token_version)
    return {"Authorization": f"Bearer {token}"}


def unit(session: Session, code: str) -> "AdminUnit":
    from sqlmodel import select

    from plased.members.models import AdminUnit

    return session.exec(select(AdminUnit).where(AdminUnit.code == code)).one()


def make_organisation(session: Session, platform: Platform, **overrides: Any) -> "Organisation":
    from plased.members.models import Organisation, OrganisationKind
    from plased.members.organisations import name_key

    n = next(_counter)
    values: dict[str, Any] = {
        "name": f"Organisation {n}",
        "kind": OrganisationKind.cso,
        "sector": "agriculture",
        "email": f"office{n}@org.example",
        "phone": "+855 12 345 678",
    }
    values.update(overrides)
    if values["kind"] != OrganisationKind.cso and "sector" not in overrides:
        values["sector"] = None
    organisation = Organisation(
        platform_id=platform.parent_id or platform.id, name_key=name_key(values["name"]), **values
    )
    session.add(organisation)
    session.commit()
    return organisation


def make_person(session: Session, platform: Platform, **overrides: Any) -> "Person":
    from plased.members.models import Person
    from plased.members.organisations import name_key

    n = next(_counter)
    values: dict[str, Any] = {
        "full_name": f"Person {n}",
        "gender": "female",
        "birth_year": 1990,
        "phone": f"+855 97 000 {n:04d}",
        "email": f"person{n}@example.org",
    }
    values.update(overrides)
    person = Person(
        platform_id=platform.parent_id or platform.id,
        name_key=name_key(values["full_name"]),
        **values,
    )
    session.add(person)
    session.commit()
    return person


def represent(
    session: Session, organisation: "Organisation", person: "Person", role: str = "primary"
) -> "Representative":
    from datetime import date

    from plased.members.models import Representative

    rep = Representative(
        organisation_id=organisation.id, person_id=person.id, role=role, start_date=date(2025, 1, 1)
    )
    session.add(rep)
    session.commit()
    return rep


def make_membership(
    session: Session, organisation: "Organisation", platform: Platform, status: str = "active"
) -> "Membership":
    from plased.members.models import Membership

    membership = Membership(organisation_id=organisation.id, platform_id=platform.id, status=status)
    session.add(membership)
    session.commit()
    return membership
