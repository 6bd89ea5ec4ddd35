"""A board with five seat holders (users of their own), and helpers for meetings."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.auth.models import PlatformRoleName, User
from plased.members.models import Person
from tests.factories import grant, make_membership, make_person, make_user
from tests.members.conftest import World, world  # noqa: F401 - the shared fixture


@dataclass
class Board:
    w: World
    body_id: str
    facilitator: User
    voters: list[tuple[User, Person]]

    def h(self, user: User) -> dict[str, str]:
        return self.w.h(user)


def meeting_body(**changes: Any) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return {
        "kind": "board",
        "title": "Quarterly board meeting",
        "title_km": "កិច្ចប្រជុំក្រុមប្រឹក្សា",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "place": "Provincial hall, Ban Lung",
        **changes,
    }


def link_person(client: TestClient, w: World, person: Person, user: User) -> None:
    """The secretariat names the account that acts as the person (through the API)."""
    linked = client.put(
        f"/api/v1/people/{person.id}/user",
        json={"user_id": str(user.id)},
        headers=w.h(w.secretariat),
    )
    assert linked.status_code == 200, linked.text
    person.user_id = user.id


@pytest.fixture
def board(client: TestClient, db: Session, world: World) -> Board:  # noqa: F811
    facilitator = make_user(db)
    grant(db, facilitator, world.plased, PlatformRoleName.facilitator)
    created = client.post(
        f"/api/v1/platforms/{world.plased.id}/bodies",
        json={
            "kind": "executive_board",
            "name": "Executive Board",
            "name_km": "ក្រុមប្រឹក្សាភិបាល",
            "facilitator_ids": [str(facilitator.id)],
        },
        headers=world.h(world.secretariat),
    )
    assert created.status_code == 201, created.text
    body_id = created.json()["id"]
    # The seats represent world.org, which must be an active member for them to vote.
    make_membership(db, world.org, world.plased, "active")
    voters = []
    positions = ["chair", "vice_chair", "secretary", "member", "member"]
    for n, position in enumerate(positions):
        user = make_user(db)
        person = make_person(db, world.plased, gender="female" if n % 2 == 0 else "male")
        link_person(client, world, person, user)
        seat = client.post(
            f"/api/v1/bodies/{body_id}/seats",
            json={
                "position": position,
                "person_id": str(person.id),
                "term_start": str(date.today() - timedelta(days=30)),
                "organisation_id": str(world.org.id),
            },
            headers=world.h(world.secretariat),
        )
        assert seat.status_code == 201, seat.text
        voters.append((user, person))
    return Board(w=world, body_id=body_id, facilitator=facilitator, voters=voters)


def running_meeting(client: TestClient, board: Board, present: int = 5, **changes: Any) -> str:
    """A meeting in progress with ``present`` of the five voters checked in."""
    h = board.h(board.facilitator)
    meeting = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(**changes), headers=h
    ).json()
    mid = meeting["id"]
    assert client.post(f"/api/v1/meetings/{mid}/convene", headers=h).status_code == 200
    rows = [{"person_id": str(p.id), "status": "present"} for _, p in board.voters[:present]]
    if rows:
        assert (
            client.post(
                f"/api/v1/meetings/{mid}/attendance", json={"rows": rows}, headers=h
            ).status_code
            == 200
        )
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=h).status_code == 200
    return mid
