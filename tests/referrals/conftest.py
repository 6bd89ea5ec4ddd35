"""Two CSOs, two providers, a published service; helpers to make referrals."""

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.auth.models import User
from plased.members.models import Organisation
from tests.coss.conftest import Catalogue, cat  # noqa: F401 - shared fixtures
from tests.coss.test_services import URL as SERVICES
from tests.coss.test_services import service_body
from tests.factories import make_membership, make_organisation, make_user, unit
from tests.members.conftest import world  # noqa: F401

CLIENT_NAME = "Srey Nang Kreung"
CLIENT_PHONE = "+855 97 765 4321"


@dataclass
class Setup:
    c: Catalogue
    service_id: str
    other_service_id: str
    referrer: User  # staff of the referring CSO (world.org)
    other_cso: Organisation
    other_cso_staff: User
    village_id: str

    def h(self, user: User) -> dict[str, str]:
        return self.c.w.h(user)

    @property
    def provider_staff(self) -> User:
        return self.c.provider_staff

    @property
    def other_provider_staff(self) -> User:
        return self.c.other_staff


@pytest.fixture
def s(client: TestClient, db: Session, cat: Catalogue) -> Setup:  # noqa: F811
    w = cat.w
    make_membership(db, w.org, w.plased, "active")
    other_cso = make_organisation(db, w.plased, name="Women's Voice Network")
    make_membership(db, other_cso, w.plased, "active")
    sec = w.h(w.secretariat)
    published = client.post(SERVICES, json=service_body(cat, db, status="published"), headers=sec)
    other = client.post(
        SERVICES,
        json=service_body(
            cat,
            db,
            name="Loans",
            provider_id=str(cat.other_provider.id),
            category_id=str(cat.categories["credit"].id),
            status="published",
        ),
        headers=sec,
    )
    assert published.status_code == other.status_code == 201
    village = client.get(f"/api/v1/geography?parent={unit(db, '160501').id}&limit=1").json()
    return Setup(
        c=cat,
        service_id=published.json()["id"],
        other_service_id=other.json()["id"],
        referrer=w.staff,
        other_cso=other_cso,
        other_cso_staff=make_user(db, organisation_id=other_cso.id),
        village_id=village["items"][0]["id"],
    )


def referral_body(s: Setup, **changes: Any) -> dict[str, Any]:
    return {
        "service_id": s.service_id,
        "urgency": "urgent",
        "reason": "Land dispute with a company",
        "client": {
            "full_name": CLIENT_NAME,
            "name_km": "ស្រីនាង",
            "gender": "female",
            "birth_year": 2004,
            "phone": CLIENT_PHONE,
            "village_id": s.village_id,
            "vulnerabilities": ["women", "indigenous", "youth"],
            "preferred_language": "tampuan",
        },
        "consent": {
            "given_by": "self",
            "given_on": "2026-11-20",
            "share_with_provider": True,
            "follow_up_contact": True,
            "reporting": True,
        },
        **changes,
    }


def make_referral(
    client: TestClient, s: Setup, *, submit: bool = True, **changes: Any
) -> dict[str, Any]:
    created = client.post(
        "/api/v1/referrals", json=referral_body(s, **changes), headers=s.h(s.referrer)
    )
    assert created.status_code == 201, created.text
    referral = created.json()
    if submit:
        submitted = client.post(
            f"/api/v1/referrals/{referral['id']}/submit", headers=s.h(s.referrer)
        )
        assert submitted.status_code == 200, submitted.text
        referral = submitted.json()
    return referral


def act(client: TestClient, s: Setup, referral_id: str, action: str, user: User, body: Any = None):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/referrals/{referral_id}/{action}", json=body, headers=s.h(user))
