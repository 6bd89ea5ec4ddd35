"""Refresh tokens rotate; a rotated token used again revokes its whole family, unless it
comes back within the grace window (a lost answer, two tabs at once): then it gets the same
new refresh token."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from plased.auth.models import RefreshToken
from tests.factories import make_user
from tests.helpers import assert_problem, refresh
from tests.helpers import sign_in as login


@pytest.fixture
def pair(client: TestClient, db: Session) -> dict[str, str]:
    make_user(db, email="rotate@example.org")
    response = login(client, "rotate@example.org")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_refresh_rotates(client: TestClient, pair: dict[str, str]) -> None:
    response = refresh(client, pair["refresh_token"])
    assert response.status_code == 200
    new = response.json()
    assert new["refresh_token"] != pair["refresh_token"]
    headers = {"Authorization": f"Bearer {new['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert refresh(client, new["refresh_token"]).status_code == 200


def _age_used_tokens(db: Session, seconds: int) -> None:
    """Time passes: the tokens used so far were used ``seconds`` ago."""
    for token in db.exec(select(RefreshToken).where(col(RefreshToken.used_at).is_not(None))).all():
        assert token.used_at is not None
        token.used_at = token.used_at - timedelta(seconds=seconds)
        db.add(token)
    db.commit()


def test_reuse_revokes_whole_family(client: TestClient, db: Session, pair: dict[str, str]) -> None:
    second = refresh(client, pair["refresh_token"]).json()
    _age_used_tokens(db, 61)
    # The first token is replayed (stolen) after the grace window: 401, and the legitimate
    # successor dies too.
    assert_problem(refresh(client, pair["refresh_token"]), 401, "invalid_token")
    assert_problem(refresh(client, second["refresh_token"]), 401, "invalid_token")
    db.expire_all()
    assert all(t.revoked_at is not None for t in db.exec(select(RefreshToken)).all())


def test_other_families_survive_reuse(client: TestClient, db: Session) -> None:
    make_user(db, email="two-devices@example.org")
    phone = login(client, "two-devices@example.org").json()
    laptop = login(client, "two-devices@example.org").json()
    refresh(client, phone["refresh_token"])
    _age_used_tokens(db, 61)
    refresh(client, phone["refresh_token"])  # replay kills the phone's family only
    assert refresh(client, laptop["refresh_token"]).status_code == 200


def test_unknown_and_malformed_refresh_tokens(client: TestClient) -> None:
    assert_problem(refresh(client, "made-up"), 401, "invalid_token")
    assert_problem(client.post("/api/v1/auth/refresh", json={}), 422, "validation_failed")
    assert_problem(refresh(client, "x" * 201), 422, "validation_failed")
    assert_problem(refresh(client, "a\x00b"), 422, "validation_failed")


def test_logout_revokes_the_family(client: TestClient, pair: dict[str, str]) -> None:
    assert client.post("/api/v1/auth/logout", json=pair).status_code == 422  # extra fields
    response = client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert response.status_code == 204
    assert_problem(refresh(client, pair["refresh_token"]), 401, "invalid_token")
    # Unknown tokens are accepted silently: logout is idempotent.
    assert client.post("/api/v1/auth/logout", json={"refresh_token": "nope"}).status_code == 204


def test_refresh_for_deactivated_user_fails(
    client: TestClient, db: Session, pair: dict[str, str]
) -> None:
    user = db.exec(select(RefreshToken)).one()
    from plased.auth.models import User

    account = db.get(User, user.user_id)
    assert account is not None
    account.is_active = False
    db.add(account)
    db.commit()
    assert_problem(refresh(client, pair["refresh_token"]), 401, "invalid_token")


def test_concurrent_refresh_has_one_winner(
    client: TestClient, db: Session, pair: dict[str, str], is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: refresh(client, pair["refresh_token"]), range(8)))
    # Eight tabs refresh at once: one rotates, the others get the same new token; the
    # session survives.
    assert [a.status_code for a in answers] == [200] * 8
    assert len({a.json()["refresh_token"] for a in answers}) == 1
    db.expire_all()
    tokens = db.exec(select(RefreshToken)).all()
    assert len(tokens) == 2
    assert all(t.revoked_at is None for t in tokens)


def test_a_retried_refresh_gets_the_same_new_token(
    client: TestClient, db: Session, pair: dict[str, str]
) -> None:
    first = refresh(client, pair["refresh_token"]).json()
    retried = refresh(client, pair["refresh_token"])  # the first answer was lost on the way
    assert retried.status_code == 200
    assert retried.json()["refresh_token"] == first["refresh_token"]
    headers = {"Authorization": f"Bearer {retried.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    # The session goes on: the successor rotates as usual.
    third = refresh(client, first["refresh_token"])
    assert third.status_code == 200
    # Once the successor itself was used, the old token is stale even within the window.
    assert_problem(refresh(client, pair["refresh_token"]), 401, "invalid_token")
    assert_problem(refresh(client, third.json()["refresh_token"]), 401, "invalid_token")
