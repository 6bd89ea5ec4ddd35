"""An archived platform is read-only, on every platform-scoped endpoint: those who had a role
in it read what they read before; no write by any of them succeeds (409 ``platform_archived``
where their role would otherwise allow it) and the database does not change; administrators
still write."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import auth, make_user
from tests.helpers import PUBLIC, database_state
from tests.sweeps import operations, records, request_body, url_of, valid_bodies
from tests.worlds import Board, Setup

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Not platform-scoped: accounts, sessions, the shared geography, platforms themselves.
UNSCOPED = ("/api/v1/auth/", "/api/v1/me", "/api/v1/users", "/api/v1/geography", "/health")
UNSCOPED_EXACT = {"/api/v1/platforms", "/api/v1/platforms/{platform_id}"}


def _scoped(path: str) -> bool:
    return not path.startswith(UNSCOPED) and path not in UNSCOPED_EXACT


def test_archived_platforms_are_read_only(
    app: FastAPI, client: TestClient, db: Session, engine: Engine, board: Board, s: Setup
) -> None:
    w = board.w
    found = records(client, db, board, s)
    found["user_id"] = str(s.referrer.id)  # a colleague the staff administrator may deactivate
    staff_admin = make_user(db, organisation_id=w.org.id, is_org_admin=True)
    spec = app.openapi()
    callers = {
        "secretariat": auth(w.settings, w.secretariat),
        "facilitator": auth(w.settings, board.facilitator),
        "observer": auth(w.settings, w.observer),
        "CSO staff": auth(w.settings, s.referrer),
        "CSO staff administrator": auth(w.settings, staff_admin),
        "provider staff": auth(w.settings, s.provider_staff),
        "voter": auth(w.settings, board.voters[0][0]),
    }
    # Public feeds (directory, services, calendars, HSDS) publish nothing of an archived
    # platform, to anyone: only what members read is compared.
    reads = [
        (path, url_of(path, params, found))
        for method, path, _, params in operations(spec)
        if method == "GET" and params and _scoped(path) and ("GET", path) not in PUBLIC
    ]
    before = {
        (name, path): client.get(url, headers=headers).status_code
        for path, url in reads
        for name, headers in callers.items()
    }
    for platform in (w.coss.id, w.plased.id):
        assert (
            client.delete(
                f"/api/v1/platforms/{platform}", headers=auth(w.settings, w.admin)
            ).status_code
            == 204
        )
    after = {
        (name, path): client.get(url, headers=headers).status_code
        for path, url in reads
        for name, headers in callers.items()
    }
    assert {k: (before[k], v) for k, v in after.items() if before[k] != v} == {}
    assert sum(1 for status in after.values() if status == 200) > 60
    # ... and its public feeds publish nothing, to anyone: 404 as for a platform never made.
    feeds = [
        url_of(path, params, found)
        for method, path, _, params in operations(spec)
        if method == "GET" and ("GET", path) in PUBLIC and "platform_id" in params
    ]
    assert len(feeds) > 10
    published = {
        (name, url): status
        for url in feeds
        for name, headers in [("anonymous", {}), *callers.items()]
        if (status := client.get(url, headers=headers).status_code) != 404
    }
    assert published == {}

    state = database_state(engine)
    bodies = valid_bodies(client, found, s)
    refused: dict[str, set[str]] = {}
    for method, path, operation, params in operations(spec):
        if method not in WRITES or not _scoped(path) or (not params and path not in bodies):
            continue
        url = url_of(path, params, found)
        extra = {"json": bodies[path]} if path in bodies else request_body(spec, operation)
        for name, headers in callers.items():
            answer = client.request(method, url, headers=headers, **extra)
            assert answer.status_code >= 400, (name, method, path, answer.text)
            assert answer.status_code < 500, (name, method, path, answer.text)
            if answer.status_code == 409 and answer.json()["code"] == "platform_archived":
                refused.setdefault(f"{method} {path}", set()).add(name)
    writes = {
        f"{method} {path}"
        for method, path, _, params in operations(spec)
        if method in WRITES and _scoped(path) and (params or path in bodies)
    }
    # Every write is refused as archived for at least one caller whose role would allow it.
    assert sorted(writes - set(refused)) == []
    assert database_state(engine) == state

    # Administrators still write.
    edited = client.patch(
        f"/api/v1/organisations/{found['organisation_id']}",
        json={"acronym": "ARC"},
        headers=auth(w.settings, w.admin),
    )
    assert edited.status_code == 200, edited.text
