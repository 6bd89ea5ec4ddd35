"""``Idempotency-Key`` on every POST: a retry gets the first answer and changes nothing, the
same key with another request answers 422, and no stored answer holds personal data."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import auth, make_user
from tests.helpers import database_state
from tests.sweeps import (
    comparable,
    operations,
    records,
    request_body,
    resolve,
    url_of,
    valid_bodies,
)
from tests.worlds import Board, Setup

# POSTs that take no key, and why (docs/conventions.md says the same).
WITHOUT_KEY = {
    "auth-token": "signs in: the answer holds tokens, which are never stored",
    "auth-refresh": "a retried refresh has its own grace window (docs/security.md)",
    "auth-logout": "ending a session twice is harmless",
    "me-change-password": "the request holds passwords",
    "staff-invitations-create": "the answer holds the invitation's one-time secret",
    "webhooks-create": "the answer holds the subscription's signing secret, shown once",
    "staff-invitations-accept": "the request holds the secret and a password; the answer tokens",
}
# Fields that say an answer is about a person: such answers are rebuilt, never stored.
PERSONAL = {"full_name", "person_name", "birth_year", "client", "date_of_birth"}


def _state(engine: Engine) -> dict[str, Any]:
    """The database, without the log of who read client data and its audit rows (a rebuilt
    replay is a read)."""
    state = database_state(engine)
    state.pop("client_data_access", None)
    state.pop("audit_event", None)
    return state


def _fields(
    spec: dict[str, Any], schema: dict[str, Any], seen: frozenset[str] = frozenset()
) -> set[str]:
    ref = schema.get("$ref", "")
    if ref in seen:
        return set()
    schema = resolve(spec, schema)
    found: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found |= _fields(spec, option, seen | {ref})
    if "items" in schema:
        found |= _fields(spec, schema["items"], seen | {ref})
    for name, sub in schema.get("properties", {}).items():
        found |= {name} | _fields(spec, sub, seen | {ref})
    return found


def _posts(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[str]]]:
    return [(path, op, params) for method, path, op, params in operations(spec) if method == "POST"]


def _takes_key(operation: dict[str, Any]) -> bool:
    return any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))


def test_every_post_takes_a_key_and_no_stored_answer_names_a_person(app: FastAPI) -> None:
    spec = app.openapi()
    posts = _posts(spec)
    assert len(posts) > 50
    without = {op["operationId"] for _, op, _ in posts if not _takes_key(op)}
    assert without == set(WITHOUT_KEY)
    for _, operation, _ in posts:
        if not _takes_key(operation):
            continue
        assert operation["x-idempotency"] in ("stored", "rebuilt")
        answers = [
            answer["content"]["application/json"]["schema"]
            for status, answer in operation["responses"].items()
            if status.startswith("2") and "application/json" in answer.get("content", {})
        ]
        personal = set().union(*(_fields(spec, schema) for schema in answers)) & PERSONAL
        if personal:
            assert operation["x-idempotency"] == "rebuilt", (operation["operationId"], personal)
        assert "Idempotent-Replayed" in operation["responses"][min(operation["responses"])].get(
            "headers", {}
        ), operation["operationId"]


def test_a_retry_gets_the_first_answer_on_every_post(
    app: FastAPI, client: TestClient, db: Session, engine: Engine, board: Board, s: Setup
) -> None:
    w = board.w
    found = records(client, db, board, s)
    found["user_id"] = str(s.referrer.id)
    staff_admin = make_user(db, organisation_id=w.org.id, is_org_admin=True)
    callers = [
        auth(w.settings, user)
        for user in (
            w.admin,
            w.secretariat,
            board.facilitator,
            staff_admin,
            s.referrer,
            s.provider_staff,
            board.voters[0][0],
        )
    ]
    spec = app.openapi()
    bodies = valid_bodies(client, found, s)
    replayed: set[str] = set()
    for path, operation, params in _posts(spec):
        if not _takes_key(operation):
            continue
        name = operation["operationId"]
        url = url_of(path, params, found)
        extra = {"json": bodies[path]} if path in bodies else request_body(spec, operation)
        for number, headers in enumerate(callers):
            key = {"Idempotency-Key": f"sweep-{name}-{number}"}
            first = client.post(url, headers={**headers, **key}, **extra)
            assert first.status_code < 500, (name, first.text)
            if first.status_code >= 300:
                print(
                    "MISS",
                    name,
                    number,
                    first.status_code,
                    first.json().get("code"),
                    first.json().get("detail"),
                )
                # A failed request leaves no record: the same key may be used again.
                again = client.post(url, headers={**headers, **key}, **extra)
                assert "idempotent-replayed" not in again.headers, name
                continue
            state = _state(engine)
            retry = client.post(url, headers={**headers, **key}, **extra)
            assert retry.headers.get("idempotent-replayed") == "true", (name, retry.text)
            assert comparable(retry) == comparable(first), name
            assert retry.headers.get("location") == first.headers.get("location"), name
            other = client.post(url, params={"sweep": "other"}, headers={**headers, **key}, **extra)
            assert other.status_code == 422, (name, other.text)
            assert other.json()["code"] == "idempotency_key_reused"
            assert _state(engine) == state, name
            replayed.add(name)
            break
    # Each POST the sweep's world lets succeed; tests/observed.py retries every POST kind
    # the whole suite sends, in the state each test puts it in.
    assert {"people-create", "organisations-create", "services-create", "referrals-create"} <= (
        replayed
    )
    assert len(replayed) >= 15, sorted(replayed)
