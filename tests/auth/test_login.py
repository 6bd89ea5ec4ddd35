"""Login: same answer for unknown email and wrong password; lockout held in the database."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.auth.models import LoginThrottle, RefreshToken
from plased.config import Settings
from plased.main import create_app
from tests.factories import PASSWORD, make_user
from tests.helpers import assert_problem
from tests.helpers import sign_in as login


def test_login_returns_token_pair(client: TestClient, db: Session) -> None:
    user = make_user(db, email="chenda@example.org")
    response = login(client, "  Chenda@Example.org ")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["refresh_token"] and body["access_token"]
    assert response.headers["cache-control"] == "no-store"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == str(user.id)
    db.expire_all()
    stored = db.exec(select(RefreshToken)).one()
    assert stored.token_hash != body["refresh_token"]  # only the hash is kept


def test_unknown_email_and_wrong_password_answer_alike(client: TestClient, db: Session) -> None:
    make_user(db, email="known@example.org")
    unknown = login(client, "nobody@example.org")
    wrong = login(client, "known@example.org", "wrong password 123")
    for response in (unknown, wrong):
        assert_problem(response, 401, "invalid_credentials")
    strip = lambda r: {k: v for k, v in r.json().items() if k != "request_id"}  # noqa: E731
    assert strip(unknown) == strip(wrong)


def test_inactive_user_cannot_log_in(client: TestClient, db: Session) -> None:
    make_user(db, email="gone@example.org", is_active=False)
    assert_problem(login(client, "gone@example.org"), 401, "invalid_credentials")


def test_lockout_holds_across_two_server_processes(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """Failures counted by one app instance lock the account for another one."""
    make_user(db, email="target@example.org")
    for _ in range(settings.login_max_failures):
        assert login(client, "target@example.org", "wrong password!").status_code == 401
    with TestClient(create_app(settings), raise_server_exceptions=False) as other:
        locked = login(other, "target@example.org")  # even the right password
        body = assert_problem(locked, 429, "rate_limited")
        assert 0 < int(locked.headers["retry-after"]) <= settings.login_lock_minutes * 60 + 1
        assert "target@example.org" not in locked.text
        assert body["detail"]


def test_unknown_emails_are_throttled_too(client: TestClient, settings: Settings) -> None:
    for _ in range(settings.login_max_failures):
        login(client, "ghost@example.org", "whatever password")
    assert login(client, "ghost@example.org").status_code == 429


def test_success_clears_failures(client: TestClient, db: Session, settings: Settings) -> None:
    make_user(db, email="forgetful@example.org")
    for _ in range(settings.login_max_failures - 1):
        login(client, "forgetful@example.org", "wrong password!")
    assert login(client, "forgetful@example.org").status_code == 200
    db.expire_all()
    assert db.exec(select(LoginThrottle)).all() == []
    # The count starts again from zero.
    login(client, "forgetful@example.org", "wrong password!")
    assert login(client, "forgetful@example.org").status_code == 200


def test_throttle_does_not_store_the_email(client: TestClient, db: Session) -> None:
    login(client, "privacy@example.org", "wrong password!")
    row = db.exec(select(LoginThrottle)).one()
    assert "privacy" not in row.key and len(row.key) == 64


def test_overlong_password_is_422_before_hashing(client: TestClient) -> None:
    response = login(client, "someone@example.org", "x" * 257)
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["pointer"] == "/body/password"
    assert "xxxx" not in response.text


def test_missing_fields_and_nul_bytes(client: TestClient) -> None:
    assert_problem(client.post("/api/v1/auth/token", data={}), 422, "validation_failed")
    assert_problem(login(client, "a\x00b@example.org"), 422, "validation_failed")


def test_wrong_grant_type(client: TestClient, db: Session) -> None:
    make_user(db, email="grant@example.org")
    response = client.post(
        "/api/v1/auth/token",
        data={"username": "grant@example.org", "password": PASSWORD, "grant_type": "client"},
    )
    assert_problem(response, 422, "validation_failed")
