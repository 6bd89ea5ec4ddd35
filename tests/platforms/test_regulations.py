"""Regulations: versioned, read by the platform's roles, changed by its secretariat."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.auth.models import PlatformRoleName, User
from plased.config import Settings
from plased.platforms.defaults import DEFAULT_REGULATIONS
from plased.platforms.models import Platform, Regulations
from tests.factories import auth, grant, make_platform, make_user
from tests.helpers import assert_problem


@pytest.fixture
def platform(db: Session) -> Platform:
    return make_platform(db)


@pytest.fixture
def secretariat(db: Session, platform: Platform) -> User:
    user = make_user(db)
    grant(db, user, platform, PlatformRoleName.secretariat)
    return user


def new_rules(**changes: Any) -> dict[str, Any]:
    return {**DEFAULT_REGULATIONS, **changes}


def test_read_by_any_role_of_the_platform(
    client: TestClient, db: Session, settings: Settings, platform: Platform
) -> None:
    url = f"/api/v1/platforms/{platform.id}/regulations"
    for role in PlatformRoleName:
        user = make_user(db)
        grant(db, user, platform, role)
        response = client.get(url, headers=auth(settings, user))
        assert response.status_code == 200
        assert response.json()["version"] == 1 and response.headers["etag"] == '"1"'
    assert (
        client.get(url, headers={**auth(settings, user), "If-None-Match": '"1"'}).status_code == 304
    )
    assert_problem(client.get(url), 401, "not_authenticated")


def test_other_platforms_regulations_are_404(
    client: TestClient, db: Session, settings: Settings, platform: Platform, secretariat: User
) -> None:
    other = make_platform(db)
    headers = auth(settings, secretariat)
    for method, url, body in (
        ("GET", f"/api/v1/platforms/{other.id}/regulations", None),
        ("GET", f"/api/v1/platforms/{other.id}/regulations/history", None),
        ("PUT", f"/api/v1/platforms/{other.id}/regulations", new_rules()),
        ("GET", f"/api/v1/platforms/{uuid.uuid4()}/regulations", None),
    ):
        assert_problem(client.request(method, url, json=body, headers=headers), 404, "not_found")


def test_secretariat_adopts_a_new_version(
    client: TestClient, db: Session, settings: Settings, platform: Platform, secretariat: User
) -> None:
    url = f"/api/v1/platforms/{platform.id}/regulations"
    headers = auth(settings, secretariat)
    body = new_rules(min_women_share=0.5, note="Adopted by the general assembly")
    stale = client.put(url, json=body, headers={**headers, "If-Match": '"3"'})
    assert_problem(stale, 412, "precondition_failed")
    response = client.put(url, json=body, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2 and response.json()["min_women_share"] == 0.5
    assert response.json()["created_by_id"] == str(secretariat.id)
    assert client.get(url, headers=headers).json()["version"] == 2
    history = client.get(f"{url}/history", headers=headers).json()
    assert [r["version"] for r in history["items"]] == [2, 1]
    assert history["items"][1]["min_women_share"] == 0.4  # the old version is kept intact


def test_other_roles_cannot_change(
    client: TestClient, db: Session, settings: Settings, platform: Platform
) -> None:
    url = f"/api/v1/platforms/{platform.id}/regulations"
    for role in (PlatformRoleName.observer, PlatformRoleName.facilitator):
        user = make_user(db)
        grant(db, user, platform, role)
        assert_problem(
            client.put(url, json=new_rules(), headers=auth(settings, user)), 403, "forbidden"
        )
    assert_problem(client.put(url, json=new_rules()), 401, "not_authenticated")


@pytest.mark.parametrize(
    "changes",
    [
        {"min_women_share": 1.5},
        {"quorum": {"general_assembly": 0.5}},
        {"quorum": {**DEFAULT_REGULATIONS["quorum"], "executive_board": 0}},
        {"majority_rules": ["dictator"]},
        {"majority_rules": []},
        {"referral_response_hours": {"routine": 24, "urgent": 72, "emergency": 24}},
        {"referral_response_hours": {"routine": 336, "urgent": 72, "emergency": -1}},
        {"youth_min_age": 31, "youth_max_age": 30},
        {"data_retention_days": 1},
        {"version": 7},
        {"note": "a\x00b"},
    ],
)
def test_bad_regulations_change_nothing(
    client: TestClient,
    db: Session,
    settings: Settings,
    platform: Platform,
    secretariat: User,
    changes: dict[str, Any],
) -> None:
    url = f"/api/v1/platforms/{platform.id}/regulations"
    response = client.put(url, json=new_rules(**changes), headers=auth(settings, secretariat))
    assert_problem(response, 422, "validation_failed")
    db.expire_all()
    assert len(db.exec(select(Regulations)).all()) == 1


def test_admin_may_change_any_platform(
    client: TestClient, db: Session, settings: Settings, platform: Platform
) -> None:
    admin = make_user(db, is_admin=True)
    url = f"/api/v1/platforms/{platform.id}/regulations"
    assert client.put(url, json=new_rules(), headers=auth(settings, admin)).json()["version"] == 2
