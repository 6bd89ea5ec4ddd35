"""Organisation staff accounts are invited, never created with a password by someone else.

Invariant: nobody outside the referring and the receiving organisation can come to read a
client's data, including by creating, resetting or taking over an account of one of them.
"""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.auth.models import User
from plased.members.models import StaffInvitation
from tests.factories import make_organisation
from tests.helpers import accept, assert_problem, invite, login
from tests.worlds import World

PASSWORD = "the invitee's own password"


def _url(organisation_id: object) -> str:
    return f"/api/v1/organisations/{organisation_id}/staff-invitations"


def test_secretariat_invites_only_the_first_staff_member(
    client: TestClient, db: Session, world: World
) -> None:
    org = make_organisation(db, world.plased, name="New Member Association")
    body = {"email": "Director@NewMember.org", "full_name": "Director"}
    url = _url(org.id)
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    for user in (world.observer, world.facilitator, world.staff):
        assert_problem(client.post(url, json=body, headers=world.h(user)), 403, "staff_admin_only")
    assert_problem(client.post(url, json=body, headers=world.h(world.stranger)), 404, "not_found")
    assert_problem(
        client.post(_url(uuid.uuid4()), json=body, headers=world.h(world.secretariat)),
        404,
        "not_found",
    )
    for bad in (
        {**body, "email": "not an email"},
        {**body, "password": "a password the secretariat would know"},
        {**body, "is_admin": True},
        {"email": "x@y.org"},
    ):
        assert_problem(
            client.post(url, json=bad, headers=world.h(world.secretariat)), 422, "validation_failed"
        )
    created = client.post(url, json=body, headers=world.h(world.secretariat))
    assert created.status_code == 201, created.text
    invitation = created.json()
    assert invitation["email"] == "director@newmember.org" and invitation["is_org_admin"] is True
    # Only a hash of the token is kept.
    stored = db.exec(select(StaffInvitation)).one()
    assert invitation["token"] not in stored.token_hash
    # While it is pending the secretariat cannot invite someone else …
    assert_problem(
        client.post(
            url, json={**body, "email": "other@newmember.org"}, headers=world.h(world.secretariat)
        ),
        409,
        "invitation_pending",
    )
    # … and nobody can sign in with it until the invitee chooses a password.
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "director@newmember.org", "password": "x" * 12}
        ).status_code
        == 401
    )
    headers = accept(client, invitation["token"], PASSWORD)
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["organisation_id"] == str(org.id) and me["is_org_admin"] is True
    assert login(client, "director@newmember.org", PASSWORD)
    # Used once; then the organisation has staff, and the secretariat invites nobody more.
    assert_problem(
        client.post(
            "/api/v1/staff-invitations/accept",
            json={"token": invitation["token"], "password": PASSWORD},
        ),
        422,
        "validation_failed",
    )
    assert_problem(
        client.post(
            url, json={**body, "email": "third@newmember.org"}, headers=world.h(world.secretariat)
        ),
        409,
        "organisation_has_staff",
    )


def test_staff_admin_manages_colleagues(client: TestClient, db: Session, world: World) -> None:
    org = make_organisation(db, world.plased, name="Colleagues Network")
    admin = accept(
        client, invite(client, org.id, world.h(world.secretariat), email="admin@colleagues.org")
    )
    token = invite(client, org.id, admin, email="field@colleagues.org", full_name="Field Officer")
    pending = client.get(_url(org.id), headers=admin).json()
    assert [i["email"] for i in pending["items"]] == ["field@colleagues.org"]
    assert "token" not in pending["items"][0]
    field = accept(client, token)
    assert client.get("/api/v1/me", headers=field).json()["is_org_admin"] is False
    # A colleague who is not the staff administrator invites nobody.
    assert_problem(
        client.post(_url(org.id), json={"email": "x@y.org", "full_name": "X"}, headers=field),
        403,
        "staff_admin_only",
    )
    staff = client.get(f"/api/v1/organisations/{org.id}/staff", headers=admin).json()
    assert {u["email"] for u in staff["items"]} == {"admin@colleagues.org", "field@colleagues.org"}
    # Every account created is notified to the organisation's staff.
    kinds = [
        n["kind"] for n in client.get("/api/v1/me/notifications", headers=admin).json()["items"]
    ]
    assert "staff_account_created" in kinds
    field_id = next(u["id"] for u in staff["items"] if u["email"] == "field@colleagues.org")
    deactivate = f"/api/v1/organisations/{org.id}/staff/{field_id}/deactivate"
    assert_problem(client.post(deactivate, headers=field), 403, "staff_admin_only")
    assert_problem(
        client.post(deactivate, headers=world.h(world.secretariat)), 403, "staff_admin_only"
    )
    assert client.post(deactivate, headers=admin).json()["is_active"] is False
    assert_problem(client.get("/api/v1/me", headers=field), 401, "invalid_token")
    # Revoking a pending invitation makes its token useless.
    token = invite(client, org.id, admin, email="late@colleagues.org")
    invitation_id = client.get(_url(org.id), headers=admin).json()["items"][0]["id"]
    assert client.delete(f"{_url(org.id)}/{invitation_id}", headers=admin).status_code == 204
    assert_problem(
        client.post(
            "/api/v1/staff-invitations/accept", json={"token": token, "password": PASSWORD}
        ),
        422,
        "validation_failed",
    )
    assert_problem(
        client.delete(f"{_url(org.id)}/{invitation_id}", headers=admin), 409, "invitation_closed"
    )


def test_invitation_bad_input(client: TestClient, db: Session, world: World) -> None:
    org = make_organisation(db, world.plased, name="Bad Input Group")
    token = invite(client, org.id, world.h(world.secretariat), email="first@bad.org")
    for bad in (
        {"token": token, "password": "short"},
        {"token": "", "password": PASSWORD},
        {"token": "not-a-token", "password": PASSWORD},
        {"token": token},
    ):
        assert_problem(
            client.post("/api/v1/staff-invitations/accept", json=bad), 422, "validation_failed"
        )
    assert db.exec(select(User).where(User.email == "first@bad.org")).first() is None
    assert_problem(
        client.post(
            _url(org.id),
            json={"email": world.staff.email, "full_name": "Taken"},
            headers=world.h(world.secretariat),
        ),
        409,
        "invitation_pending",
    )
    other = make_organisation(db, world.plased, name="Email Taken Org")
    assert_problem(
        client.post(
            _url(other.id),
            json={"email": world.staff.email, "full_name": "Taken"},
            headers=world.h(world.secretariat),
        ),
        409,
        "email_taken",
    )
