"""Two replicas are one system: two real ``plased serve`` processes on loopback ports share one
PostgreSQL database and nothing else. Races spread over both have exactly one winner; a login
lockout and a revoked access token reached through one hold on the other
(docs/deployment.md, "Several replicas")."""

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.config import Settings
from tests.factories import PASSWORD, auth, make_user
from tests.helpers import PLASED, bearer, sign_in
from tests.worlds import Board, Setup, make_referral, prepared, vote

STARTUP_SECONDS = 40
RACERS = 16


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def replicas(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[httpx.Client]]:
    """Two ``plased serve`` processes with the suite's settings on the test database, for
    the module's tests; both are killed whatever happens."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("replicas share a PostgreSQL database; SQLite is one process's file")
    tmp_path = tmp_path_factory.mktemp("replicas")
    env = {
        **os.environ,
        "PLASED_DATABASE_URL": settings.database_url,
        "PLASED_SECRET_KEY": settings.secret_key,
        "PLASED_ENVIRONMENT": "development",
        "PLASED_LOGIN_MAX_FAILURES": str(settings.login_max_failures),
        "PLASED_LOGIN_LOCK_MINUTES": str(settings.login_lock_minutes),
        "PLASED_ATTACHMENTS_DIR": str(tmp_path),
        "PLASED_LOG_LEVEL": "WARNING",
        "PLASED_RATE_LIMIT_PER_ADDRESS": "100000/minute",
        "PLASED_RATE_LIMIT_LOGIN_PER_ADDRESS": "100000/minute",
        "PLASED_RATE_LIMIT_WRITES_PER_USER": "100000/minute",
        "PLASED_RATE_LIMIT_REFERRALS_PER_USER": "100000/minute",
    }
    env.pop("PLASED_REDIS_URL", None)  # nothing shared but the database
    processes: list[subprocess.Popen[bytes]] = []
    clients: list[httpx.Client] = []
    try:
        for _ in range(2):
            port = _port()
            processes.append(
                subprocess.Popen(
                    [PLASED, "serve", "--port", str(port)],
                    cwd=tmp_path,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            clients.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30))
        deadline = time.monotonic() + STARTUP_SECONDS
        for process, client in zip(processes, clients, strict=True):
            while True:
                assert process.poll() is None, "a replica exited at start"
                try:
                    if client.get("/health/ready").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("a replica did not start")
                time.sleep(0.2)
        yield clients
    finally:
        for client in clients:
            client.close()
        for process in processes:
            process.kill()
        for process in processes:
            process.wait(timeout=30)


def _spread(clients: list[httpx.Client], send: object) -> list[int]:
    """``send(client)`` RACERS times at once, alternating between the replicas."""
    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        answers = pool.map(
            lambda n: send(clients[n % 2]).status_code,  # type: ignore[operator]
            range(RACERS),
        )
        return list(answers)


def test_concurrent_accepts_over_two_replicas_have_one_winner(
    client: TestClient, s: Setup, replicas: list[httpx.Client]
) -> None:
    referral = make_referral(client, s)
    headers = s.h(s.provider_staff)
    statuses = _spread(
        replicas, lambda r: r.post(f"/api/v1/referrals/{referral['id']}/accept", headers=headers)
    )
    assert statuses.count(200) == 1 and statuses.count(409) == RACERS - 1, statuses
    events = client.get(f"/api/v1/referrals/{referral['id']}/events", headers=headers).json()
    assert [e["to_status"] for e in events["items"]].count("accepted") == 1


def test_concurrent_ballots_of_one_voter_over_two_replicas_have_one_winner(
    client: TestClient, board: Board, replicas: list[httpx.Client]
) -> None:
    h = board.h(board.facilitator)
    mid, motion = prepared(client, board)
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=h).status_code == 200
    assert client.post(f"/api/v1/motions/{motion}/open", headers=h).status_code == 200
    statuses = _spread(replicas, lambda r: vote(r, board, motion, 0, "yes"))  # type: ignore[arg-type]
    assert statuses.count(201) == 1 and statuses.count(409) == RACERS - 1, statuses


def test_a_lockout_reached_through_one_replica_holds_on_the_other(
    db: Session, settings: Settings, replicas: list[httpx.Client]
) -> None:
    make_user(db, email="locked@example.org")
    one, other = replicas
    for _ in range(settings.login_max_failures):
        assert sign_in(one, "locked@example.org", "wrong password!").status_code == 401  # type: ignore[arg-type]
    locked = sign_in(other, "locked@example.org")  # type: ignore[arg-type]
    assert locked.status_code == 429 and locked.json()["code"] == "rate_limited"


def test_a_token_revoked_through_one_replica_is_refused_by_the_other(
    db: Session, settings: Settings, replicas: list[httpx.Client]
) -> None:
    one, other = replicas
    user = make_user(db, email="moving@example.org")
    signed_in = sign_in(one, "moving@example.org")  # type: ignore[arg-type]
    old = bearer(signed_in.json())
    assert other.get("/api/v1/me", headers=old).status_code == 200
    changed = one.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "another long passphrase 42"},
        headers=old,
    )
    assert changed.status_code == 200, changed.text
    assert other.get("/api/v1/me", headers=old).status_code == 401
    assert other.get("/api/v1/me", headers=bearer(changed.json())).status_code == 200

    admin = make_user(db, email="admin@example.org", is_admin=True)
    db.refresh(user)  # the token version after the change
    fresh = auth(settings, user)
    assert other.get("/api/v1/me", headers=fresh).status_code == 200
    gone = one.post(f"/api/v1/users/{user.id}/deactivate", headers=auth(settings, admin))
    assert gone.status_code == 200, gone.text
    assert other.get("/api/v1/me", headers=fresh).status_code == 401
