"""Rate limits per client address and per user: 429 problem+json with Retry-After, counted
in memory or, shared by every replica, in Redis."""

import socket
from collections.abc import Iterator

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.config import Settings
from plased.main import create_app
from plased.ratelimit import RateLimiter
from tests.factories import auth, make_user
from tests.helpers import assert_problem

REDIS_URL = "redis://127.0.0.1:6379/15"


def _app(settings: Settings, **limits: str) -> FastAPI:
    return create_app(settings.model_copy(update=limits))


@pytest.fixture
def strict(settings: Settings) -> Iterator[TestClient]:
    app = _app(
        settings,
        rate_limit_login_per_address="3/minute",
        rate_limit_writes_per_user="2/minute",
        rate_limit_referrals_per_user="1/minute",
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_login_spraying_from_one_address_is_stopped(strict: TestClient) -> None:
    for n in range(3):  # three different accounts: the per-account lock never triggers
        response = strict.post(
            "/api/v1/auth/token", data={"username": f"user{n}@spray.org", "password": "guess-guess"}
        )
        assert response.status_code == 401
    blocked = strict.post(
        "/api/v1/auth/token",
        data={"username": "user9@spray.org", "password": "guess-guess"},
        headers={"Origin": "https://app.example.org"},
    )
    problem = assert_problem(blocked, 429, "rate_limited")
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    assert "guess" not in blocked.text and "spray" not in blocked.text
    assert problem["instance"] == "/api/v1/auth/token"
    # A browser can read the answer: CORS headers wrap the limiter.
    assert blocked.headers["access-control-allow-origin"] == "https://app.example.org"
    # Reading is not a sign-in: other requests from the address still go through.
    assert strict.get("/api/v1/platforms").status_code == 200


def test_writes_are_limited_per_user(strict: TestClient, db: Session, settings: Settings) -> None:
    first, second = make_user(db), make_user(db)
    for _ in range(2):
        strict.post("/api/v1/me/notifications/read-all", headers=auth(settings, first))
    assert_problem(
        strict.post("/api/v1/me/notifications/read-all", headers=auth(settings, first)),
        429,
        "rate_limited",
    )
    assert strict.get("/api/v1/me", headers=auth(settings, first)).status_code == 200  # reads
    ok = strict.post("/api/v1/me/notifications/read-all", headers=auth(settings, second))
    assert ok.status_code == 200  # someone else's window
    # Bulk referral creation has its own, lower limit.
    third = make_user(db)
    strict.post("/api/v1/referrals", json={}, headers=auth(settings, third))
    assert_problem(
        strict.post("/api/v1/referrals", json={}, headers=auth(settings, third)),
        429,
        "rate_limited",
    )


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_replicas_share_their_windows_through_redis(settings: Settings) -> None:
    """Two app instances (two replicas) on one Redis count against the same window."""
    shared = settings.model_copy(
        update={"redis_url": REDIS_URL, "rate_limit_login_per_address": "2/minute"}
    )
    # A limiter of its own to clear the windows: a connection belongs to one event loop.
    anyio.run(RateLimiter(shared).reset)
    replicas = [create_app(shared) for _ in range(2)]
    try:
        with TestClient(replicas[0]) as one, TestClient(replicas[1]) as two:
            form = {"username": "nobody@replicas.org", "password": "wrong-password"}
            assert one.post("/api/v1/auth/token", data=form).status_code == 401
            assert two.post("/api/v1/auth/token", data=form).status_code == 401
            assert_problem(one.post("/api/v1/auth/token", data=form), 429, "rate_limited")
            assert_problem(two.post("/api/v1/auth/token", data=form), 429, "rate_limited")
    finally:
        anyio.run(RateLimiter(shared).reset)


def test_bad_limit_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="rate limit"):
        Settings(rate_limit_per_address="lots")
