"""The members world plus a provider that is an active COSS member, with its staff user."""

from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from plased.auth.models import PlatformRoleName, User
from plased.coss.models import ServiceCategory
from plased.members.models import Organisation
from tests.factories import grant, make_membership, make_organisation, make_user
from tests.members.conftest import World, world  # noqa: F401 - the shared fixture


@dataclass
class Catalogue:
    w: World
    provider: Organisation
    provider_staff: User
    other_provider: Organisation
    other_staff: User
    categories: dict[str, ServiceCategory]


@pytest.fixture
def cat(db: Session, world: World) -> Catalogue:  # noqa: F811
    provider = make_organisation(
        db, world.plased, name="Legal Aid Ratanakiri", kind="service_provider"
    )
    other = make_organisation(db, world.plased, name="Rural Credit", kind="service_provider")
    for org in (provider, other):
        make_membership(db, org, world.plased, "active")
        make_membership(db, org, world.coss, "active")
    grant(db, world.observer, world.coss, PlatformRoleName.observer)
    categories = {
        c.code: c
        for c in db.exec(
            select(ServiceCategory).where(ServiceCategory.platform_id == world.coss.id)
        )
    }
    return Catalogue(
        w=world,
        provider=provider,
        provider_staff=make_user(db, organisation_id=provider.id),
        other_provider=other,
        other_staff=make_user(db, organisation_id=other.id),
        categories=categories,
    )
