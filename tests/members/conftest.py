"""A small world: PLASED X with a COSS branch, an unrelated platform, and people in roles."""

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from plased.auth.models import PlatformRoleName, User
from plased.config import Settings
from plased.members.models import Organisation
from plased.platforms.models import Platform
from tests.factories import auth, grant, make_organisation, make_platform, make_user


@dataclass
class World:
    plased: Platform
    coss: Platform
    other: Platform
    admin: User
    secretariat: User
    observer: User
    facilitator: User
    stranger: User  # a role in the other platform only
    org: Organisation
    staff: User  # staff of org
    settings: Settings

    def h(self, user: User) -> dict[str, str]:
        return auth(self.settings, user)


@pytest.fixture
def world(db: Session, settings: Settings) -> World:
    plased = make_platform(db, code="plased-x", name="PLASED X")
    coss = make_platform(db, code="coss-x", name="COSS X", kind="coss", parent_id=plased.id)
    other = make_platform(db, code="plased-y", name="PLASED Y")
    secretariat, observer, facilitator, stranger = (make_user(db) for _ in range(4))
    grant(db, secretariat, plased, PlatformRoleName.secretariat)
    grant(db, secretariat, coss, PlatformRoleName.secretariat)
    grant(db, observer, plased, PlatformRoleName.observer)
    grant(db, facilitator, plased, PlatformRoleName.facilitator)
    grant(db, stranger, other, PlatformRoleName.secretariat)
    org = make_organisation(db, plased, name="Highlanders Association")
    staff = make_user(db, organisation_id=org.id)
    return World(
        plased=plased,
        coss=coss,
        other=other,
        admin=make_user(db, is_admin=True),
        secretariat=secretariat,
        observer=observer,
        facilitator=facilitator,
        stranger=stranger,
        org=org,
        staff=staff,
        settings=settings,
    )
