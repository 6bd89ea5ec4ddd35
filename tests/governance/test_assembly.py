"""The general assembly votes by member organisation: quorum counts organisations, the
primary representative votes, an alternate stands in when the primary is not present."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_membership, make_organisation, make_person, make_user, represent
from tests.helpers import assert_problem
from tests.worlds import World, meeting_body


def test_assembly_votes_by_organisation(client: TestClient, db: Session, world: World) -> None:
    sec = world.h(world.secretariat)
    assembly = next(
        b
        for b in client.get(f"/api/v1/platforms/{world.plased.id}/bodies", headers=sec).json()[
            "items"
        ]
        if b["kind"] == "general_assembly"
    )
    orgs = []
    for n in range(4):
        org = make_organisation(db, world.plased, name=f"Member {n}")
        make_membership(db, org, world.plased, "active")
        primary_user, alternate_user = make_user(db), make_user(db)
        primary = make_person(db, world.plased, user_id=primary_user.id)
        alternate = make_person(db, world.plased, user_id=alternate_user.id)
        represent(db, org, primary, "primary")
        represent(db, org, alternate, "alternate")
        orgs.append((primary_user, primary, alternate_user, alternate))
    make_membership(
        db, make_organisation(db, world.plased, name="Applicant"), world.plased, "applied"
    )
    mid = client.post(
        f"/api/v1/bodies/{assembly['id']}/meetings",
        json=meeting_body(kind="assembly", title="Annual assembly"),
        headers=sec,
    ).json()["id"]
    item = client.post(
        f"/api/v1/meetings/{mid}/agenda", json={"title": "Regulations"}, headers=sec
    ).json()["id"]
    client.post(f"/api/v1/meetings/{mid}/convene", headers=sec)
    invited = client.get(f"/api/v1/meetings/{mid}/attendance", headers=sec).json()["items"]
    assert len(invited) == 8  # primaries and alternates of the four members
    # Org 0 and 1 send their primary, org 2 only its alternate, org 3 nobody.
    rows = [
        {"person_id": str(orgs[0][1].id), "status": "present"},
        {"person_id": str(orgs[1][1].id), "status": "present"},
        {"person_id": str(orgs[2][3].id), "status": "present"},
        {"person_id": str(orgs[0][3].id), "status": "present"},
    ]  # org 0's alternate too
    client.post(f"/api/v1/meetings/{mid}/attendance", json={"rows": rows}, headers=sec)
    quorum = client.get(f"/api/v1/meetings/{mid}/quorum", headers=sec).json()
    assert quorum["voting"] == "member_organisations"
    assert (quorum["eligible_voters"], quorum["present_voters"], quorum["quorate"]) == (4, 3, True)
    client.post(f"/api/v1/meetings/{mid}/start", headers=sec)
    motion = client.post(
        f"/api/v1/meetings/{mid}/motions",
        json={"agenda_item_id": item, "text": "Amend the regulations", "majority_rule": "absolute"},
        headers=sec,
    ).json()["id"]
    assert client.post(f"/api/v1/motions/{motion}/open", headers=sec).status_code == 200

    def ballot(user, choice):  # type: ignore[no-untyped-def]
        return client.post(
            f"/api/v1/motions/{motion}/ballots", json={"choice": choice}, headers=world.h(user)
        )

    assert ballot(orgs[0][0], "yes").status_code == 201  # org 0's primary
    assert_problem(ballot(orgs[0][2], "no"), 403, "not_a_voter")  # its alternate: primary present
    assert ballot(orgs[2][2], "yes").status_code == 201  # org 2's alternate stands in
    assert ballot(orgs[1][0], "no").status_code == 201
    assert_problem(ballot(orgs[2][0], "no"), 403, "not_present")  # org 2's primary is absent
    assert_problem(ballot(orgs[3][0], "no"), 403, "not_present")  # org 3 sent nobody
    late = client.put(
        f"/api/v1/meetings/{mid}/attendance/{orgs[2][1].id}",
        json={"status": "present"},
        headers=sec,
    )
    assert late.status_code == 200  # org 2's primary arrives after its alternate voted
    assert_problem(ballot(orgs[2][0], "no"), 409, "already_voted")  # one vote per organisation
    client.post(f"/api/v1/motions/{motion}/close", headers=sec)
    result = client.get(f"/api/v1/motions/{motion}/result", headers=world.h(world.observer)).json()
    # Absolute majority of the 4 member organisations needs 3 yes: 2 yes is not enough.
    assert (result["yes"], result["no"], result["eligible_voters"], result["passed"]) == (
        2,
        1,
        4,
        False,
    )
    assert {v["choice"] for v in result["named_votes"]} == {"yes", "no"}
