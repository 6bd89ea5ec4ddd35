"""Changing the password needs the current one and ends every earlier session."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.config import Settings
from tests.factories import PASSWORD, auth, make_user
from tests.helpers import assert_problem, refresh
from tests.helpers import sign_in as login

NEW_PASSWORD = "a much better passphrase"


def change(client: TestClient, headers: dict[str, str], **body: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/me/password", json=body, headers=headers)


def test_password_change_invalidates_old_tokens(
    client: TestClient, db: Session, settings: Settings
) -> None:
    make_user(db, email="change@example.org")
    first = login(client, "change@example.org").json()
    old_headers = {"Authorization": f"Bearer {first['access_token']}"}
    response = change(client, old_headers, current_password=PASSWORD, new_password=NEW_PASSWORD)
    assert response.status_code == 200, response.text
    fresh = response.json()
    # Every token issued before, access and refresh, stops working.
    assert_problem(client.get("/api/v1/me", headers=old_headers), 401, "invalid_token")
    assert_problem(refresh(client, first["refresh_token"]), 401, "invalid_token")
    # The fresh pair works, and so do the new credentials; the old password does not.
    assert (
        client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {fresh['access_token']}"}
        ).status_code
        == 200
    )
    assert refresh(client, fresh["refresh_token"]).status_code == 200
    assert login(client, "change@example.org", NEW_PASSWORD).status_code == 200
    assert login(client, "change@example.org").status_code == 401


def test_wrong_current_password(client: TestClient, db: Session, settings: Settings) -> None:
    user = make_user(db)
    response = change(
        client, auth(settings, user), current_password="not my password", new_password=NEW_PASSWORD
    )
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["pointer"] == "/body/current_password"
    assert login(client, user.email).status_code == 200  # unchanged


def test_password_rules(client: TestClient, db: Session, settings: Settings) -> None:
    user = make_user(db)
    headers = auth(settings, user)
    for bad in ("abc123xyz", "y" * 257):
        response = change(client, headers, current_password=PASSWORD, new_password=bad)
        body = assert_problem(response, 422, "validation_failed")
        assert body["errors"][0]["pointer"] == "/body/new_password"
        assert bad not in response.text
    assert_problem(
        change(client, headers, current_password=PASSWORD, new_password="pass\x00word-long"),
        422,
        "validation_failed",
    )
    assert login(client, user.email).status_code == 200


def test_khmer_password_is_accepted(client: TestClient, db: Session, settings: Settings) -> None:
    user = make_user(db)
    khmer = "ពាក្យសម្ងាត់ថ្មីរបស់ខ្ញុំ"
    response = change(client, auth(settings, user), current_password=PASSWORD, new_password=khmer)
    assert response.status_code == 200
    assert login(client, user.email, khmer).status_code == 200


def test_anonymous_cannot_change_password(client: TestClient) -> None:
    assert_problem(
        change(client, {}, current_password=PASSWORD, new_password=NEW_PASSWORD),
        401,
        "not_authenticated",
    )
