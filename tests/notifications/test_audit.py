"""The audit trail: a row for every kind of write, in the write's transaction, with the
request's context; personal data redacted; rows that cannot be changed."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, select

from plased.audit import context, trail
from plased.audit.models import AuditEvent
from plased.db import metadata
from plased.governance.meetings import MACHINE as MEETINGS
from plased.governance.models import Meeting
from plased.members.models import Person
from plased.transitions import apply
from tests.factories import PASSWORD
from tests.helpers import assert_problem
from tests.worlds import Board, World, meeting_body

AUDIT = "/api/v1/audit-events"


def events(client: TestClient, w: World, **query: Any) -> list[dict[str, Any]]:
    answer = client.get(AUDIT, params={"limit": 200, **query}, headers=w.h(w.admin))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def apply_for_membership(client: TestClient, w: World) -> str:
    answer = client.post(
        f"/api/v1/platforms/{w.plased.id}/memberships",
        json={"organisation_id": str(w.org.id)},
        headers=w.h(w.secretariat),
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_create_update_and_transition_are_recorded_with_their_context(
    client: TestClient, world: World
) -> None:
    w = world
    headers = {**w.h(w.secretariat), "X-Request-ID": "audit-req-1"}
    created = client.post(
        "/api/v1/people",
        json={
            "platform_id": str(w.plased.id),
            "full_name": "Sok Dara",
            "gender": "female",
            "phone": "+855 12 345 678",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/people/{person_id}",
        json={"full_name": "Sok Dara Chan"},
        headers=w.h(w.secretariat),
    )
    assert changed.status_code == 200, changed.text
    membership = apply_for_membership(client, w)
    approved = client.post(
        f"/api/v1/memberships/{membership}/approve", json={}, headers=w.h(w.secretariat)
    )
    assert approved.status_code == 200, approved.text

    rows = events(client, w, resource_id=person_id)
    by_action = {row["action"]: row for row in rows}
    create, update = by_action["create"], by_action["update"]
    assert create["actor_id"] == str(w.secretariat.id)
    assert create["platform_id"] == str(w.plased.id)
    assert create["request_id"] == "audit-req-1"
    assert create["client_ip"] == "testclient"
    assert create["changes"]["full_name"] == [None, "[redacted]"]
    assert create["changes"]["phone"] == [None, "[redacted]"]
    assert create["changes"]["gender"] == [None, "female"]
    assert update["changes"] == {
        "full_name": ["[redacted]", "[redacted]"],
        "name_key": ["[redacted]", "[redacted]"],
    }
    transition = events(client, w, resource_id=membership, action="transition")
    assert [t["changes"]["status"] for t in transition] == [["applied", "active"]]
    assert transition[0]["resource_type"] == "membership"


def test_logins_password_changes_and_role_grants_are_recorded(
    client: TestClient, world: World
) -> None:
    w = world
    bad = client.post(
        "/api/v1/auth/token", data={"username": w.observer.email, "password": "wrong one"}
    )
    assert bad.status_code == 401
    good = client.post(
        "/api/v1/auth/token", data={"username": w.observer.email, "password": PASSWORD}
    )
    assert good.status_code == 200
    token = {"Authorization": f"Bearer {good.json()['access_token']}"}
    new_password = "another long password 2026"
    changed = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=token,
    )
    assert changed.status_code == 200, changed.text
    refresh_token = changed.json()["refresh_token"]
    assert (
        client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token}).status_code
        == 200
    )
    # The same refresh token again, past its grace window or not: re-use is recorded when refused.
    granted = client.post(
        f"/api/v1/users/{w.observer.id}/roles",
        json={"platform_id": str(w.coss.id), "role": "observer"},
        headers=w.h(w.admin),
    )
    assert granted.status_code == 201, granted.text

    rows = events(client, w, resource_id=str(w.observer.id))
    actions = [row["action"] for row in rows]
    assert "login_failed" in actions and "login" in actions and "password_change" in actions
    change = next(r for r in rows if r["action"] == "password_change")
    assert change["changes"]["password_hash"] == ["[redacted]", "[redacted]"]
    assert next(r for r in rows if r["action"] == "login")["actor_id"] == str(w.observer.id)
    grants = events(client, w, action="role_grant")
    assert len(grants) == 1 and grants[0]["changes"]["role"] == [None, "observer"]
    assert grants[0]["actor_id"] == str(w.admin.id)


def test_a_refused_or_rolled_back_write_leaves_no_row(
    client: TestClient, world: World, engine: Engine
) -> None:
    w = world
    membership = apply_for_membership(client, w)
    before = len(events(client, w))
    # 409: suspending an application is not a transition; nothing is recorded.
    refused = client.post(
        f"/api/v1/memberships/{membership}/suspend",
        json={"reason": "Late dues"},
        headers=w.h(w.secretariat),
    )
    assert refused.status_code == 409
    assert len(events(client, w)) == before
    # A write flushed, then rolled back: its audit row goes with it.
    token = context.begin(context.AuditContext(request_id="rolled-back"))
    try:
        with Session(engine) as session:
            session.add(Person(platform_id=w.plased.id, full_name="X", name_key="x", gender="male"))
            session.flush()
            assert session.exec(
                select(AuditEvent).where(AuditEvent.request_id == "rolled-back")
            ).first()
            session.rollback()
    finally:
        context.end(token)
    with Session(engine) as session:
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.request_id == "rolled-back")).first()
            is None
        )


def test_audit_rows_cannot_be_changed_or_deleted(
    client: TestClient, world: World, engine: Engine
) -> None:
    apply_for_membership(client, world)
    with Session(engine) as session:
        row = session.exec(select(AuditEvent)).first()
        assert row is not None
        row.action = "nothing"
        session.add(row)
        with pytest.raises(trail.AuditImmutable):
            session.flush()
        session.rollback()
        row = session.exec(select(AuditEvent)).first()
        assert row is not None
        session.delete(row)
        with pytest.raises(trail.AuditImmutable):
            session.flush()
        session.rollback()
        with pytest.raises(trail.AuditImmutable):
            session.execute(update(AuditEvent).values(action="x"))
        with pytest.raises(trail.AuditImmutable):
            session.execute(delete(AuditEvent))
        session.rollback()
    # Below the ORM, the database refuses too (a trigger on PostgreSQL and SQLite).
    for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with engine.connect() as connection, pytest.raises(DatabaseError):
            connection.execute(text(statement))


def test_who_reads_the_audit_trail(client: TestClient, world: World) -> None:
    w = world
    apply_for_membership(client, w)
    client.post(f"/api/v1/platforms/{w.other.id}/memberships", json={}, headers=w.h(w.stranger))
    assert_problem(client.get(AUDIT), 401, "not_authenticated")
    assert_problem(client.get(AUDIT, headers=w.h(w.observer)), 403, "forbidden")
    assert_problem(client.get(AUDIT, headers=w.h(w.staff)), 403, "forbidden")
    mine = client.get(AUDIT, headers=w.h(w.secretariat)).json()["items"]
    assert mine and all(row["platform_id"] in (str(w.plased.id), str(w.coss.id)) for row in mine)
    assert all(row["client_ip"] is None for row in mine)
    assert client.get(AUDIT, headers=w.h(w.stranger)).json()["total"] == 0
    assert all(row["client_ip"] for row in events(client, w, resource_type="membership"))
    bad = client.get(
        AUDIT,
        params={"since": "2026-12-02T00:00:00Z", "until": "2026-12-01T00:00:00Z"},
        headers=w.h(w.admin),
    )
    assert_problem(bad, 422, "validation_failed")
    assert bad.json()["errors"][0]["code"] == "invalid_range"
    naive = client.get(AUDIT, params={"since": "2026-12-01T00:00:00"}, headers=w.h(w.admin))
    assert_problem(naive, 422, "validation_failed")
    window = client.get(
        AUDIT,
        params={"since": "2000-01-01T00:00:00Z", "until": "2001-01-01T00:00:00Z"},
        headers=w.h(w.admin),
    )
    assert window.json()["total"] == 0
    by_actor = events(client, w, actor_id=str(w.secretariat.id))
    assert by_actor and all(row["actor_id"] == str(w.secretariat.id) for row in by_actor)


def test_reads_of_client_data_are_recorded(client: TestClient, s: Any) -> None:
    from tests.worlds import make_referral

    referral = make_referral(client, s)["id"]
    read = client.get(f"/api/v1/referrals/{referral}", headers=s.h(s.referrer))
    assert read.status_code == 200
    rows = client.get(
        AUDIT,
        params={"action": "read_client_data", "resource_id": referral},
        headers=s.h(s.c.w.admin),
    ).json()["items"]
    assert rows and rows[0]["actor_id"] == str(s.referrer.id)
    # A page of the referrer's referrals: one row per referral shown with its client, each
    # naming the referral's platform and the request that read it.
    second = make_referral(client, s)["id"]
    page = client.get("/api/v1/referrals", params={"limit": 200}, headers=s.h(s.referrer))
    assert page.status_code == 200
    shown = {item["id"] for item in page.json()["items"] if item["client_visible"]}
    assert {referral, second} <= shown
    listed = client.get(
        AUDIT,
        params={"action": "read_client_data", "limit": 200},
        headers=s.h(s.c.w.admin),
    ).json()["items"]
    of_page = [row for row in listed if row["request_id"] == page.headers["x-request-id"]]
    assert sorted(row["resource_id"] for row in of_page) == sorted(shown)
    platforms = {
        item["id"]: item["platform_id"] for item in page.json()["items"] if item["id"] in shown
    }
    for row in of_page:
        assert row["resource_type"] == "referral" and row["changes"] is None
        assert row["platform_id"] == platforms[row["resource_id"]]
        assert row["actor_id"] == str(s.referrer.id)


PERSONAL = {
    "email",
    "phone",
    "password",
    "password_hash",
    "token_hash",
    "secret",
    "full_name",
    "birth_year",
    "referrer_contact",
}


@pytest.mark.parametrize("table", [t.name for t in metadata.sorted_tables])
def test_personal_columns_are_declared_redacted(table: str) -> None:
    """A new table with a personal column fails here until it is declared in
    ``plased.audit.trail.REDACTED`` (or skipped, when the trail never records it)."""
    if not trail.audited(table):
        return
    for column in metadata.tables[table].columns:
        personal = column.name in PERSONAL
        if personal and table not in ("organisation", "service", "platform", "admin_unit"):
            assert trail.redact(table, column.name, "x") == trail.REDACTED_VALUE, column.name
    # Names of organisations, services and places are public facts, not personal data.


def test_redaction_keeps_no_value_but_the_field_name() -> None:
    assert trail.redact("referral_client", "gender", "female") == "[redacted]"
    assert trail.redact("person", "gender", "female") == "female"
    assert trail.redact("meeting", "secret", "abc") == "[redacted]"
    assert trail.redact("meeting", "title", uuid.UUID(int=1)) == str(uuid.UUID(int=1))


def test_a_change_made_outside_a_request_names_its_parents_platform(
    client: TestClient, board: Board, engine: Engine
) -> None:
    """A meeting has no platform of its own: the row of a change made by a job (no request,
    no context) still names the body's platform, so the secretariat reads it."""
    w = board.w
    made = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=w.h(w.secretariat)
    )
    assert made.status_code == 201, made.text
    with Session(engine) as session:
        meeting = session.get(Meeting, uuid.UUID(made.json()["id"]))
        assert meeting is not None
        apply(session, MEETINGS, meeting, "convene", actor_id=None)
        session.commit()
    rows = client.get(
        AUDIT,
        params={"resource_type": "meeting", "action": "transition"},
        headers=w.h(w.secretariat),
    )
    assert rows.status_code == 200, rows.text
    convened = [row for row in rows.json()["items"] if row["resource_id"] == made.json()["id"]]
    assert len(convened) == 1
    assert convened[0]["platform_id"] == str(w.plased.id)
