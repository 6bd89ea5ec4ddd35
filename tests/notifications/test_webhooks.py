"""Webhooks: subscriptions, the outbox written with its change, signed deliveries to a real
receiver on 127.0.0.1, retries on a controlled clock, dead letters, and two workers."""

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from plased.audit.models import OutboxEvent
from plased.errors import Unprocessable
from plased.members.models import Membership
from plased.members.transitions import MACHINE as MEMBERSHIPS
from plased.notifications.urls import check_url
from plased.notifications.worker import Schedule, Worker
from plased.transitions import apply
from tests.helpers import assert_problem, database_state
from tests.worlds import Board, World, prepared

HOOKS = "/api/v1/webhooks"


@dataclass
class Receiver:
    url: str
    status: int = 200
    location: str | None = None
    answer: bytes = b"ok"
    delay: float = 0.0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 and a free port, answering as told."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.status)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", str(len(state.answer)))
            self.end_headers()
            if state.delay:
                time.sleep(state.delay)  # a receiver slower than the worker's timeout
            with contextlib.suppress(OSError):  # the worker stopped reading
                self.wfile.write(state.answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (docs/webhooks.md), written apart from the server's code."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, sig.split(",", 1)[1])
        for sig in headers["webhook-signature"].split()
    )


def membership(client: TestClient, w: World) -> str:
    answer = client.post(
        f"/api/v1/platforms/{w.plased.id}/memberships",
        json={"organisation_id": str(w.org.id)},
        headers=w.h(w.secretariat),
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def subscribe(client: TestClient, w: World, url: str, **body: Any) -> dict[str, Any]:
    body = {
        "url": url,
        "event_types": ["membership.active"],
        "platform_id": str(w.plased.id),
        **body,
    }
    answer = client.post(HOOKS, json=body, headers=w.h(w.secretariat))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_who_may_subscribe_and_what_is_refused(
    client: TestClient, world: World, engine: Engine
) -> None:
    w = world
    body = {
        "url": "https://hooks.example.org/x",
        "event_types": ["membership.active"],
        "platform_id": str(w.plased.id),
    }
    assert_problem(client.post(HOOKS, json=body), 401, "not_authenticated")
    assert_problem(client.post(HOOKS, json=body, headers=w.h(w.observer)), 403, "forbidden")
    assert_problem(client.post(HOOKS, json=body, headers=w.h(w.stranger)), 404, "not_found")
    before = database_state(engine)
    for changes, code in (
        ({"event_types": ["membership.nonsense"]}, "unknown_event_type"),
        ({"url": "ftp://hooks.example.org/x"}, "string_pattern_mismatch"),
        ({"organisation_id": str(w.org.id)}, "scope_required"),
        ({"secret": "not-a-secret"}, "invalid_secret"),
        ({"event_types": []}, "too_short"),
    ):
        answer = client.post(HOOKS, json={**body, **changes}, headers=w.h(w.secretariat))
        assert_problem(answer, 422, "validation_failed")
        assert answer.json()["errors"][0]["code"] == code, answer.text
        assert "not-a-secret" not in answer.text
    assert database_state(engine) == before
    created = subscribe(client, w, "https://hooks.example.org/x")
    assert created["secret"].startswith("whsec_")
    read = client.get(f"{HOOKS}/{created['id']}", headers=w.h(w.secretariat))
    assert read.status_code == 200 and "secret" not in read.json()
    assert_problem(
        client.get(f"{HOOKS}/{created['id']}", headers=w.h(w.stranger)), 404, "not_found"
    )
    assert_problem(client.get(f"{HOOKS}/{created['id']}", headers=w.h(w.staff)), 404, "not_found")
    # An organisation's staff subscribe for their own organisation only.
    own = client.post(
        HOOKS,
        json={**body, "platform_id": None, "organisation_id": str(w.org.id)},
        headers=w.h(w.staff),
    )
    assert own.status_code == 201, own.text
    other = client.post(
        HOOKS,
        json={**body, "platform_id": None, "organisation_id": str(w.plased.id)},
        headers=w.h(w.staff),
    )
    assert_problem(other, 404, "not_found")
    listed = client.get(HOOKS, headers=w.h(w.staff)).json()
    assert [s["id"] for s in listed["items"]] == [own.json()["id"]]
    gone = client.delete(f"{HOOKS}/{created['id']}", headers=w.h(w.secretariat))
    assert gone.status_code == 204
    assert (
        client.get(f"{HOOKS}/{created['id']}", headers=w.h(w.secretariat)).json()["is_active"]
        is False
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/x",  # not https
        "https://127.0.0.1/x",
        "https://localhost/x",  # a name: its resolved address is checked
        "https://10.1.2.3/x",
        "https://192.168.1.1/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x",
        "https://[fe80::1]/x",
        "https://0.0.0.0/x",
        "https://240.0.0.1/x",
        "https://user:pass@93.184.216.34/x",
    ],
)
def test_production_refuses_unsafe_urls(url: str) -> None:
    with pytest.raises(Unprocessable) as refused:
        check_url(url, environment="production")
    assert "pass" not in str(refused.value.detail or "")


def test_production_takes_public_https_and_development_loopback() -> None:
    check_url("https://93.184.216.34/hook", environment="production")
    check_url("http://127.0.0.1:8080/hook", environment="development")


def test_outbox_rows_appear_exactly_when_their_change_commits(
    client: TestClient, world: World, engine: Engine
) -> None:
    w = world
    mid = membership(client, w)
    assert (
        client.post(
            f"/api/v1/memberships/{mid}/approve", json={}, headers=w.h(w.secretariat)
        ).status_code
        == 200
    )
    refused = client.post(f"/api/v1/memberships/{mid}/approve", json={}, headers=w.h(w.secretariat))
    assert refused.status_code == 409
    with Session(engine) as session:
        events = session.exec(select(OutboxEvent)).all()
        assert [(e.event_type, e.data["previous_status"]) for e in events] == [
            ("membership.active", "applied")
        ]
        assert events[0].organisation_ids == [str(w.org.id)]
        record = session.get(Membership, events[0].resource_id)
        assert record is not None
        apply(session, MEMBERSHIPS, record, "suspend", actor_id=None)
        assert len(session.exec(select(OutboxEvent)).all()) == 2  # in the transaction
        session.rollback()
    with Session(engine) as session:
        assert len(session.exec(select(OutboxEvent)).all()) == 1


def test_a_real_receiver_gets_signed_deliveries_and_staff_a_notification(
    client: TestClient, world: World, engine: Engine, receiver: Receiver
) -> None:
    w = world
    sub = subscribe(client, w, receiver.url)
    mid = membership(client, w)
    assert (
        client.post(
            f"/api/v1/memberships/{mid}/approve", json={}, headers=w.h(w.secretariat)
        ).status_code
        == 200
    )
    worker = Worker(engine)
    try:
        assert worker.run_once() == 2  # one event dispatched, one delivery sent
    finally:
        worker.close()
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify(sub["secret"], headers, body)
    assert not verify(subscribe(client, w, receiver.url)["secret"], headers, body)
    payload = json.loads(body)
    assert payload["type"] == "membership.active"
    assert payload["data"]["id"] == mid and payload["data"]["status"] == "active"
    assert "Highlanders" not in body.decode()
    deliveries = client.get(f"{HOOKS}/{sub['id']}/deliveries", headers=w.h(w.secretariat)).json()
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in deliveries["items"]] == [
        ("delivered", 1, 200)
    ]
    assert_problem(client.get(f"{HOOKS}/{sub['id']}/deliveries"), 401, "not_authenticated")
    assert_problem(
        client.get(f"{HOOKS}/{sub['id']}/deliveries", headers=w.h(w.stranger)), 404, "not_found"
    )
    # The organisation's staff are told; the secretariat, who acted, is not.
    count = client.get("/api/v1/me/notifications/unread-count", headers=w.h(w.staff)).json()
    assert count == {"unread": 1}
    notes = client.get("/api/v1/me/notifications", headers=w.h(w.staff)).json()["items"]
    assert notes[0]["kind"] == "membership.active" and notes[0]["resource_id"] == mid
    read = client.post(f"/api/v1/me/notifications/{notes[0]['id']}/read", headers=w.h(w.staff))
    assert read.status_code == 200
    assert client.get("/api/v1/me/notifications/unread-count", headers=w.h(w.staff)).json() == {
        "unread": 0
    }
    assert client.get(
        "/api/v1/me/notifications/unread-count", headers=w.h(w.secretariat)
    ).json() == {"unread": 0}


def test_failures_follow_the_schedule_then_dead_letter_and_retry(
    client: TestClient, world: World, engine: Engine, receiver: Receiver
) -> None:
    w = world
    receiver.status = 500
    sub = subscribe(client, w, receiver.url)
    mid = membership(client, w)
    client.post(f"/api/v1/memberships/{mid}/approve", json={}, headers=w.h(w.secretariat))
    clock = Clock()
    schedule = Schedule(base_seconds=30, factor=2, jitter=0.2, max_attempts=3)
    worker = Worker(engine, schedule=schedule, clock=clock, random=lambda: 0.5)
    deliveries = f"{HOOKS}/{sub['id']}/deliveries"

    def state() -> dict[str, Any]:
        return dict(client.get(deliveries, headers=w.h(w.secretariat)).json()["items"][0])

    try:
        worker.run_once()
        first = state()
        assert (first["status"], first["attempts"], first["last_error"]) == (
            "pending",
            1,
            "answered 500",
        )
        due = datetime.fromisoformat(first["next_attempt_at"])
        assert due == clock.now + timedelta(seconds=30 * 1.1)
        clock.now = due - timedelta(seconds=1)
        assert worker.run_once() == 0 and len(receiver.received) == 1
        clock.now = due
        assert worker.run_once() == 1
        assert datetime.fromisoformat(state()["next_attempt_at"]) == due + timedelta(
            seconds=60 * 1.1
        )
        # A redirect is a failure, and is not followed.
        receiver.status, receiver.location = 302, "http://127.0.0.1:9/elsewhere"
        clock.now += timedelta(hours=1)
        assert worker.run_once() == 1
        dead = state()
        assert (dead["status"], dead["attempts"], dead["last_error"]) == (
            "dead",
            3,
            "redirect refused",
        )
        assert dead["next_attempt_at"] is None and len(receiver.received) == 3
        clock.now += timedelta(days=1)
        assert worker.run_once() == 0
        # A manual retry starts a fresh schedule; a pending delivery cannot be retried.
        retry = f"{deliveries}/{dead['id']}/retry"
        assert_problem(client.post(retry, headers=w.h(w.observer)), 404, "not_found")
        again = client.post(retry, headers=w.h(w.secretariat))
        assert again.status_code == 200 and again.json()["status"] == "pending"
        assert_problem(client.post(retry, headers=w.h(w.secretariat)), 409, "invalid_transition")
        receiver.status, receiver.location = 204, None
        clock.now = datetime.now(UTC) + timedelta(seconds=5)
        assert worker.run_once() == 1
        assert state()["status"] == "delivered"
    finally:
        worker.close()


def test_two_workers_on_postgresql_deliver_each_event_once(
    client: TestClient, world: World, engine: Engine, receiver: Receiver, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite runs one worker; row locks are PostgreSQL's")
    w = world
    subscribe(
        client,
        w,
        receiver.url,
        event_types=["membership.active", "membership.suspended", "membership.withdrawn"],
    )
    for _ in range(6):
        mid = membership(client, w)
        client.post(f"/api/v1/memberships/{mid}/approve", json={}, headers=w.h(w.secretariat))
        client.post(
            f"/api/v1/memberships/{mid}/suspend",
            json={"reason": "Dues"},
            headers=w.h(w.secretariat),
        )
        client.post(
            f"/api/v1/memberships/{mid}/withdraw",
            json={"reason": "Gone"},
            headers=w.h(w.secretariat),
        )
    workers = [Worker(engine, batch=3), Worker(engine, batch=3)]
    barrier = threading.Barrier(2)

    def run(worker: Worker) -> None:
        barrier.wait()
        while worker.run_once():
            pass

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for worker in workers:
        worker.close()
    ids = [headers["webhook-id"] for headers, _ in receiver.received]
    assert len(ids) == len(set(ids)) == 18


def test_meeting_and_motion_events_belong_to_their_platform_and_notify_it(
    client: TestClient, board: Board, engine: Engine
) -> None:
    w = board.w
    mid, motion = prepared(client, board)
    started = client.post(f"/api/v1/meetings/{mid}/start", headers=board.h(board.facilitator))
    assert started.status_code == 200, started.text
    opened = client.post(f"/api/v1/motions/{motion}/open", headers=board.h(board.facilitator))
    assert opened.status_code == 200, opened.text
    with Session(engine) as session:
        events = {e.event_type: e for e in session.exec(select(OutboxEvent)).all()}
    assert {"meeting.convened", "motion.open"} <= set(events)
    assert events["meeting.convened"].platform_id == w.plased.id
    assert events["motion.open"].platform_id == w.plased.id
    worker = Worker(engine)
    try:
        worker.dispatch()
    finally:
        worker.close()
    # The facilitator acted; the secretariat is told.
    kinds = [
        n["kind"]
        for n in client.get("/api/v1/me/notifications", headers=w.h(w.secretariat)).json()["items"]
    ]
    assert "meeting.convened" in kinds and "motion.open" in kinds
    mine = client.get("/api/v1/me/notifications", headers=w.h(board.facilitator)).json()
    assert mine["total"] == 0


def test_slow_and_huge_answers_are_recorded_and_retried(
    client: TestClient, world: World, engine: Engine, receiver: Receiver
) -> None:
    w = world
    sub = subscribe(client, w, receiver.url)
    client.post(
        f"/api/v1/memberships/{membership(client, w)}/approve", json={}, headers=w.h(w.secretariat)
    )
    clock = Clock()
    worker = Worker(engine, clock=clock, random=lambda: 0.0, timeout_seconds=0.3)
    deliveries = f"{HOOKS}/{sub['id']}/deliveries"
    try:
        receiver.status, receiver.answer = 500, b"x" * (2 * 1024 * 1024)
        worker.run_once()
        huge = client.get(deliveries, headers=w.h(w.secretariat)).json()["items"][0]
        assert (huge["status"], huge["last_status_code"], huge["attempts"]) == ("pending", 500, 1)
        assert len(huge["last_response"]) == 1000
        receiver.status, receiver.answer, receiver.delay = 200, b"late", 1.0
        clock.now += timedelta(seconds=30)
        assert worker.run_once() == 1
        slow = client.get(deliveries, headers=w.h(w.secretariat)).json()["items"][0]
        assert (slow["status"], slow["last_error"], slow["attempts"]) == ("pending", "timed out", 2)
        assert datetime.fromisoformat(slow["next_attempt_at"]) == clock.now + timedelta(seconds=60)
    finally:
        worker.close()
    # The API answers as ever.
    assert client.get(HOOKS, headers=w.h(w.secretariat)).status_code == 200
