"""The secretariat creates organisation staff users."""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.auth.test_login import login
from tests.core.test_errors import assert_problem
from tests.factories import make_organisation
from tests.members.conftest import World


def test_create_staff_user(client: TestClient, db: Session, world: World) -> None:
    url = f"/api/v1/platforms/{world.coss.id}/staff-users"
    body = {
        "organisation_id": str(world.org.id),
        "email": "Officer@Highlanders.org",
        "full_name": "Officer",
        "password": "a good long password",
    }
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    for user in (world.observer, world.staff):
        assert_problem(client.post(url, json=body, headers=world.h(user)), 403, "forbidden")
    assert_problem(client.post(url, json=body, headers=world.h(world.stranger)), 404, "not_found")
    foreign = make_organisation(db, world.other)
    for bad in (
        {**body, "organisation_id": str(foreign.id)},
        {**body, "organisation_id": str(uuid.uuid4())},
        {**body, "password": "short"},
        {**body, "is_admin": True},
    ):
        assert_problem(
            client.post(url, json=bad, headers=world.h(world.secretariat)), 422, "validation_failed"
        )
    created = client.post(url, json=body, headers=world.h(world.secretariat))
    assert created.status_code == 201, created.text
    assert (
        created.json()["organisation_id"] == str(world.org.id)
        and created.json()["is_admin"] is False
    )
    assert_problem(
        client.post(url, json=body, headers=world.h(world.secretariat)), 409, "email_taken"
    )
    tokens = login(client, "officer@highlanders.org", "a good long password").json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    edit = client.patch(
        f"/api/v1/organisations/{world.org.id}", json={"acronym": "HLA"}, headers=headers
    )
    assert edit.status_code == 200
