"""Inclusion targets: seeded with the programme's numbers, changed by the secretariat."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.auth.models import PlatformRoleName, User
from plased.config import Settings
from plased.platforms.models import Platform
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


def test_list_targets(
    client: TestClient, db: Session, settings: Settings, platform: Platform
) -> None:
    observer = make_user(db)
    grant(db, observer, platform, PlatformRoleName.observer)
    response = client.get(
        f"/api/v1/platforms/{platform.id}/targets", headers=auth(settings, observer)
    )
    assert response.status_code == 200
    codes = [t["indicator_code"] for t in response.json()["items"]]
    assert codes == sorted(codes) and "people_engaged" in codes
    assert_problem(client.get(f"/api/v1/platforms/{platform.id}/targets"), 401, "not_authenticated")
    stranger = make_user(db)
    assert_problem(
        client.get(f"/api/v1/platforms/{platform.id}/targets", headers=auth(settings, stranger)),
        404,
        "not_found",
    )


def test_secretariat_changes_a_target(
    client: TestClient, db: Session, settings: Settings, platform: Platform, secretariat: User
) -> None:
    url = f"/api/v1/platforms/{platform.id}/targets/people_engaged"
    headers = auth(settings, secretariat)
    body = {"target_value": 150, "period_start": "2026-01-01", "period_end": "2027-12-31"}
    assert_problem(
        client.patch(url, json=body, headers={**headers, "If-Match": '"9"'}),
        412,
        "precondition_failed",
    )
    response = client.patch(url, json=body, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["target_value"] == 150 and response.headers["etag"] == '"2"'
    for bad in (
        {"target_value": -1},
        {"target_value": None},
        {"period_start": "2027-01-01", "period_end": "2026-01-01"},
        {"indicator_code": "other"},
        {"period_start": "not a date"},
    ):
        assert_problem(client.patch(url, json=bad, headers=headers), 422, "validation_failed")
    missing = f"/api/v1/platforms/{platform.id}/targets/no_such_indicator"
    assert_problem(client.patch(missing, json=body, headers=headers), 404, "not_found")
    assert_problem(
        client.patch(
            f"/api/v1/platforms/{platform.id}/targets/Bad-Code!", json=body, headers=headers
        ),
        422,
        "validation_failed",
    )


def test_only_secretariat_of_that_platform(
    client: TestClient, db: Session, settings: Settings, platform: Platform, secretariat: User
) -> None:
    other = make_platform(db)
    url = f"/api/v1/platforms/{other.id}/targets/people_engaged"
    assert_problem(
        client.patch(url, json={"target_value": 1}, headers=auth(settings, secretariat)),
        404,
        "not_found",
    )
    observer = make_user(db)
    grant(db, observer, platform, PlatformRoleName.observer)
    own = f"/api/v1/platforms/{platform.id}/targets/people_engaged"
    assert_problem(
        client.patch(own, json={"target_value": 1}, headers=auth(settings, observer)),
        403,
        "forbidden",
    )
    assert_problem(client.patch(own, json={"target_value": 1}), 401, "not_authenticated")
    assert_problem(
        client.patch(
            f"/api/v1/platforms/{uuid.uuid4()}/targets/people_engaged",
            json={"target_value": 1},
            headers=auth(settings, secretariat),
        ),
        404,
        "not_found",
    )
