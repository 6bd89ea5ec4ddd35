"""User administration: admin only; nobody grants themselves a role."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.config import Settings
from tests.factories import auth, grant, make_platform, make_user
from tests.helpers import assert_problem
from tests.helpers import sign_in as login


@pytest.fixture
def admin(db: Session) -> User:
    return make_user(db, email="root@example.org", is_admin=True)


def test_anonymous_and_non_admins_are_refused(
    client: TestClient, db: Session, settings: Settings
) -> None:
    platform = make_platform(db)
    secretariat = make_user(db)
    grant(db, secretariat, platform, PlatformRoleName.secretariat)
    target = make_user(db)
    calls = [
        ("GET", "/api/v1/users", None),
        (
            "POST",
            "/api/v1/users",
            {"email": "x@example.org", "full_name": "X", "password": "p" * 12},
        ),
        ("GET", f"/api/v1/users/{target.id}", None),
        ("POST", f"/api/v1/users/{target.id}/deactivate", None),
        ("POST", f"/api/v1/users/{target.id}/activate", None),
        (
            "POST",
            f"/api/v1/users/{target.id}/roles",
            {"platform_id": str(platform.id), "role": "observer"},
        ),
        ("DELETE", f"/api/v1/users/{target.id}/roles/{uuid.uuid4()}", None),
    ]
    for method, url, body in calls:
        assert_problem(client.request(method, url, json=body), 401, "not_authenticated")
        response = client.request(method, url, json=body, headers=auth(settings, secretariat))
        assert_problem(response, 403, "forbidden")


def test_create_list_and_get(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    headers = auth(settings, admin)
    response = client.post(
        "/api/v1/users",
        json={"email": " Sreymom@Example.ORG ", "full_name": "ស្រីមុំ Sreymom", "password": "x" * 12},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["email"] == "sreymom@example.org"
    assert created["full_name"] == "ស្រីមុំ Sreymom"
    assert "password" not in response.text and "password_hash" not in created
    assert response.headers["location"] == f"/api/v1/users/{created['id']}"
    assert login(client, "sreymom@example.org", "x" * 12).status_code == 200

    listing = client.get("/api/v1/users?sort=email&limit=1", headers=headers)
    assert listing.status_code == 200
    page = listing.json()
    assert page["total"] == 2 and page["limit"] == 1 and len(page["items"]) == 1
    assert 'rel="next"' in listing.headers["link"]
    assert client.get("/api/v1/users?q=sreymom", headers=headers).json()["total"] == 1
    got = client.get(f"/api/v1/users/{created['id']}", headers=headers)
    assert got.json()["roles"] == []
    assert_problem(client.get(f"/api/v1/users/{uuid.uuid4()}", headers=headers), 404, "not_found")


def test_create_rejects_bad_input(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    headers = auth(settings, admin)
    base = {"email": "new@example.org", "full_name": "New", "password": "x" * 12}
    bad_bodies = [
        {**base, "email": "not-an-email"},
        {**base, "password": "short"},
        {**base, "password": "x" * 257},
        {**base, "full_name": "n" * 201},
        {**base, "full_name": "nul\x00"},
        {**base, "token_version": 9},
        {**base, "id": str(uuid.uuid4())},
        {k: v for k, v in base.items() if k != "email"},
    ]
    for body in bad_bodies:
        assert_problem(
            client.post("/api/v1/users", json=body, headers=headers), 422, "validation_failed"
        )
    assert client.post("/api/v1/users", json=base, headers=headers).status_code == 201
    duplicate = client.post(
        "/api/v1/users", json={**base, "email": "NEW@example.org"}, headers=headers
    )
    assert_problem(duplicate, 409, "email_taken")
    db.expire_all()
    assert len(db.exec(select(User)).all()) == 2


def test_deactivate_signs_out_and_blocks_login(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    target = make_user(db, email="leaver@example.org")
    tokens = login(client, "leaver@example.org").json()
    headers = auth(settings, admin)
    response = client.post(f"/api/v1/users/{target.id}/deactivate", headers=headers)
    assert response.status_code == 200 and response.json()["is_active"] is False
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert_problem(client.get("/api/v1/me", headers=bearer), 401, "invalid_token")
    assert login(client, "leaver@example.org").status_code == 401
    assert (
        client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 401
    )
    assert client.post(f"/api/v1/users/{target.id}/activate", headers=headers).json()["is_active"]
    assert login(client, "leaver@example.org").status_code == 200


def test_admin_cannot_deactivate_self(client: TestClient, settings: Settings, admin: User) -> None:
    response = client.post(f"/api/v1/users/{admin.id}/deactivate", headers=auth(settings, admin))
    assert_problem(response, 403, "self_deactivation")


def test_grant_and_revoke_roles(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    platform = make_platform(db)
    target = make_user(db)
    headers = auth(settings, admin)
    url = f"/api/v1/users/{target.id}/roles"
    body = {"platform_id": str(platform.id), "role": "secretariat"}
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    grant_id = response.json()["id"]
    assert response.json()["platform_code"] == platform.code
    assert_problem(client.post(url, json=body, headers=headers), 409, "role_exists")
    me = client.get("/api/v1/me", headers=auth(settings, target)).json()
    assert [(r["platform_id"], r["role"]) for r in me["roles"]] == [
        (str(platform.id), "secretariat")
    ]
    # Bad input
    for bad in (
        {"platform_id": str(platform.id), "role": "king"},
        {"platform_id": "nope", "role": "observer"},
        {"platform_id": str(uuid.uuid4()), "role": "observer"},
    ):
        assert_problem(client.post(url, json=bad, headers=headers), 422, "validation_failed")
    assert_problem(
        client.post(f"/api/v1/users/{uuid.uuid4()}/roles", json=body, headers=headers),
        404,
        "not_found",
    )
    assert client.delete(f"{url}/{grant_id}", headers=headers).status_code == 204
    assert_problem(client.delete(f"{url}/{grant_id}", headers=headers), 404, "not_found")
    db.expire_all()
    assert db.exec(select(PlatformRole)).all() == []


def test_nobody_grants_themselves_a_role(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    platform = make_platform(db)
    response = client.post(
        f"/api/v1/users/{admin.id}/roles",
        json={"platform_id": str(platform.id), "role": "secretariat"},
        headers=auth(settings, admin),
    )
    assert_problem(response, 403, "self_grant")
    db.expire_all()
    assert db.exec(select(PlatformRole)).all() == []


def test_list_bad_paging_and_sort(client: TestClient, settings: Settings, admin: User) -> None:
    headers = auth(settings, admin)
    for query in (
        "limit=0",
        "limit=201",
        "limit=-1",
        "offset=-5",
        "offset=99999999999",
        "limit=abc",
        "sort=password_hash",
        "sort=-",
        "updated_since=2026-01-01T00:00:00",
    ):
        response = client.get(f"/api/v1/users?{query}", headers=headers)
        assert_problem(response, 422, "validation_failed")
    body = client.get("/api/v1/users?sort=password_hash", headers=headers).json()
    assert body["errors"][0]["pointer"] == "/query/sort"
