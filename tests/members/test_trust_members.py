"""Members: people belong to their organisations, the unlisted stay unlisted, the fields
that decide rights are the secretariat's, names compare as people read them, and leaving
PLASED takes the organisation out of COSS and its seats out of votes."""

import uuid
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from plased.members.models import Membership, MembershipEvent
from tests.factories import make_membership, make_organisation, make_person, make_user, represent
from tests.helpers import assert_problem
from tests.worlds import World

PEOPLE = "/api/v1/people"


def test_staff_cannot_claim_another_organisations_person(
    client: TestClient, db: Session, world: World
) -> None:
    """A2: a person who represents another organisation is not staff's to link (and so their
    contacts never become visible to that staff)."""
    other = make_organisation(db, world.plased, name="Other Organisation")
    person = make_person(db, world.plased, phone="+855 12 333 444", consent_to_be_listed=True)
    represent(db, other, person, "primary")
    url = f"/api/v1/organisations/{world.org.id}/representatives"
    body = {"person_id": str(person.id), "role": "alternate"}
    assert_problem(
        client.post(url, json=body, headers=world.h(world.staff)),
        403,
        "person_of_another_organisation",
    )
    seen = client.get(f"{PEOPLE}/{person.id}", headers=world.h(world.staff)).json()
    assert seen["phone"] is None and "+855 12 333 444" not in str(seen)
    assert_problem(
        client.patch(
            f"{PEOPLE}/{person.id}", json={"phone": "+855 99 999 999"}, headers=world.h(world.staff)
        ),
        403,
        "forbidden",
    )
    # An unlisted person of another organisation is not even found.
    hidden = make_person(db, world.plased)
    represent(db, other, hidden, "alternate")
    assert_problem(
        client.post(
            url, json={"person_id": str(hidden.id), "role": "staff"}, headers=world.h(world.staff)
        ),
        422,
        "validation_failed",
    )
    # Someone registered by another organisation and represented by none is theirs too.
    other_staff = make_user(db, organisation_id=other.id)
    registered = client.post(
        PEOPLE,
        json={"platform_id": str(world.plased.id), "full_name": "New Volunteer", "gender": "male"},
        headers=world.h(other_staff),
    ).json()
    assert_problem(
        client.post(
            url, json={"person_id": registered["id"], "role": "staff"}, headers=world.h(world.staff)
        ),
        422,
        "validation_failed",
    )
    # The secretariat links people across organisations.
    linked = client.post(url, json=body, headers=world.h(world.secretariat))
    assert linked.status_code == 201, linked.text


def test_unlisted_people_are_listed_nowhere(client: TestClient, db: Session, world: World) -> None:
    """A6: no consent to be listed → absent from lists and single reads for other members and
    observers, name hidden wherever they appear; their organisation and the secretariat see
    them whole."""
    make_membership(db, world.org, world.plased, "active")
    shy = make_person(
        db,
        world.plased,
        full_name="Unlisted Villager",
        birth_year=1988,
        indigenous_group="Jarai",
        has_disability=True,
        consent_to_be_listed=False,
    )
    listed = make_person(
        db, world.plased, full_name="Listed Villager", birth_year=1990, consent_to_be_listed=True
    )
    represent(db, world.org, shy, "primary")
    represent(db, world.org, listed, "alternate")
    other_staff = make_user(db, organisation_id=make_organisation(db, world.plased).id)
    board = client.post(
        f"/api/v1/platforms/{world.plased.id}/bodies",
        json={"kind": "committee", "name": "Committee"},
        headers=world.h(world.secretariat),
    ).json()
    seat = client.post(
        f"/api/v1/bodies/{board['id']}/seats",
        json={
            "position": "member",
            "person_id": str(shy.id),
            "organisation_id": str(world.org.id),
            "term_start": str(date.today() - timedelta(days=1)),
        },
        headers=world.h(world.secretariat),
    )
    assert seat.status_code == 201, seat.text
    for user in (world.observer, world.facilitator, other_staff):
        h = world.h(user)
        everyone = client.get(f"{PEOPLE}?limit=200", headers=h)
        assert "Unlisted Villager" not in everyone.text and "Jarai" not in everyone.text
        assert "Listed Villager" in everyone.text
        assert_problem(client.get(f"{PEOPLE}/{shy.id}", headers=h), 404, "not_found")
        details = client.get(f"{PEOPLE}/{listed.id}", headers=h).json()
        assert details["birth_year"] is None and details["indigenous_group"] is None
        assert details["has_disability"] is None and details["contacts_visible"] is False
        reps = client.get(f"/api/v1/organisations/{world.org.id}/representatives", headers=h)
        assert "Unlisted Villager" not in reps.text
        assert {r["person_name"] for r in reps.json()["items"]} == {None, "Listed Villager"}
        seats = client.get(f"/api/v1/bodies/{board['id']}/seats", headers=h)
        assert seats.json()["items"][0]["person_name"] is None and "Unlisted" not in seats.text
    for user in (world.secretariat, world.staff):
        h = world.h(user)
        assert "Unlisted Villager" in client.get(f"{PEOPLE}?limit=200", headers=h).text
        details = client.get(f"{PEOPLE}/{shy.id}", headers=h).json()
        assert details["birth_year"] == 1988 and details["has_disability"] is True


def test_rights_deciding_fields_are_the_secretariats(
    client: TestClient, db: Session, world: World
) -> None:
    """C12: a provider's staff cannot turn it into a CSO (which may send referrals), nor move
    an authority to another unit; the database is unchanged."""
    provider = make_organisation(db, world.plased, name="Provider Org", kind="service_provider")
    provider_staff = make_user(db, organisation_id=provider.id)
    url = f"/api/v1/organisations/{provider.id}"
    for change in ({"kind": "cso", "sector": "agriculture"}, {"sector": "cbo"}):
        problem = assert_problem(
            client.patch(url, json=change, headers=world.h(provider_staff)),
            403,
            "field_reserved_to_secretariat",
        )
        assert problem["errors"][0]["pointer"].startswith("/body/")
    assert client.get(url, headers=world.h(provider_staff)).json()["kind"] == "service_provider"
    # Sending the same value, or editing other fields, is fine.
    same = client.patch(
        url, json={"kind": "service_provider", "acronym": "PO"}, headers=world.h(provider_staff)
    )
    assert same.status_code == 200 and same.json()["acronym"] == "PO"
    commune = client.get("/api/v1/geography?level=commune&limit=2").json()["items"]
    authority = make_organisation(
        db,
        world.plased,
        name="Commune Council",
        kind="local_authority",
        la_level="commune",
        unit_id=uuid.UUID(commune[0]["id"]),
    )
    clerk = make_user(db, organisation_id=authority.id)
    assert_problem(
        client.patch(
            f"/api/v1/organisations/{authority.id}",
            json={"unit_id": commune[1]["id"]},
            headers=world.h(clerk),
        ),
        403,
        "field_reserved_to_secretariat",
    )
    moved = client.patch(
        url, json={"kind": "cso", "sector": "agriculture"}, headers=world.h(world.secretariat)
    )
    assert moved.status_code == 200 and moved.json()["kind"] == "cso"


def test_names_that_differ_only_in_form_are_duplicates(
    client: TestClient, db: Session, world: World
) -> None:
    """D18: NFC/NFD, case, full-width letters and zero-width characters do not make a new name."""
    sec = world.h(world.secretariat)
    created = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(world.plased.id),
            "name": "Sesan River Network",
            "kind": "cso",
            "sector": "environment",
        },
        headers=sec,
    )
    assert created.status_code == 201
    for twin in (
        "SESAN  river network",
        "Ｓｅｓａｎ River Network",  # full-width letters from a phone keyboard
        "Sesan\u200b River\u00ad Network",  # zero-width space, soft hyphen
    ):
        assert_problem(
            client.post(
                "/api/v1/organisations",
                json={
                    "platform_id": str(world.plased.id),
                    "name": twin,
                    "kind": "cso",
                    "sector": "environment",
                },
                headers=sec,
            ),
            409,
            "organisation_exists",
        )
    khmer = "សុខ ចាន់ធី"
    decomposed = "\u179f\u17bb\u1781 \u1785\u17b6\u1793\u17cb\u1792\u17b8"
    person = {
        "platform_id": str(world.plased.id),
        "full_name": khmer,
        "gender": "female",
        "birth_year": 1991,
    }
    assert client.post(PEOPLE, json=person, headers=sec).status_code == 201
    for twin in (decomposed, khmer.replace(" ", "\u200b "), f" {khmer} "):
        assert_problem(
            client.post(PEOPLE, json={**person, "full_name": twin}, headers=sec),
            409,
            "possible_duplicate",
        )
    # A namesake born another year is another person; a real namesake can be forced.
    assert client.post(PEOPLE, json={**person, "birth_year": 1975}, headers=sec).status_code == 201
    forced = client.post(f"{PEOPLE}?allow_duplicate=true", json=person, headers=sec)
    assert forced.status_code == 201
    # Search ignores separators: "Banlung" finds "Ban Lung", and the other way round.
    client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(world.plased.id),
            "name": "Banlung Youth Club",
            "kind": "cso",
            "sector": "cbo",
        },
        headers=sec,
    )
    found = client.get("/api/v1/organisations?q=Ban%20Lung", headers=sec).json()["items"]
    assert [o["name"] for o in found] == ["Banlung Youth Club"]
    units = client.get("/api/v1/geography?q=banlung&level=district").json()["items"]
    assert [u["code"] for u in units] == ["1602"]


def test_person_user_link(client: TestClient, db: Session, world: World) -> None:
    """B7: the secretariat (or an administrator) names the account acting as a person; one
    person per account and platform family; shown on /me."""
    person = make_person(db, world.plased, full_name="Board Member")
    member = make_user(db)
    url = f"{PEOPLE}/{person.id}/user"
    body = {"user_id": str(member.id)}
    assert_problem(client.put(url, json=body), 401, "not_authenticated")
    for user in (world.observer, world.staff, world.facilitator):
        response = client.put(url, json=body, headers=world.h(user))
        assert response.status_code in (403, 404), response.text
    assert_problem(client.put(url, json=body, headers=world.h(world.stranger)), 404, "not_found")
    assert_problem(
        client.put(url, json={"user_id": str(uuid.uuid4())}, headers=world.h(world.secretariat)),
        422,
        "validation_failed",
    )
    assert_problem(
        client.put(
            url, json={"user_id": str(world.secretariat.id)}, headers=world.h(world.secretariat)
        ),
        403,
        "self_link",
    )
    linked = client.put(url, json=body, headers=world.h(world.secretariat))
    assert linked.status_code == 200 and linked.json()["user_id"] == str(member.id)
    me = client.get("/api/v1/me", headers=world.h(member)).json()
    assert me["people"] == [
        {
            "person_id": str(person.id),
            "platform_id": str(world.plased.id),
            "full_name": "Board Member",
        }
    ]
    second = make_person(db, world.plased)
    assert_problem(
        client.put(f"{PEOPLE}/{second.id}/user", json=body, headers=world.h(world.secretariat)),
        409,
        "user_linked",
    )
    assert_problem(
        client.put(url, json={"user_id": str(make_user(db).id)}, headers=world.h(world.admin)),
        409,
        "person_linked",
    )
    # Another platform family may link the same account to its own person.
    elsewhere = make_person(db, world.other)
    assert (
        client.put(
            f"{PEOPLE}/{elsewhere.id}/user", json=body, headers=world.h(world.stranger)
        ).status_code
        == 200
    )
    assert client.delete(url, headers=world.h(world.secretariat)).json()["user_id"] is None
    assert len(client.get("/api/v1/me", headers=world.h(member)).json()["people"]) == 1


def test_leaving_plased_cascades_to_coss_and_seats(
    client: TestClient, db: Session, world: World
) -> None:
    """B10: suspending the PLASED membership suspends the COSS one; withdrawing ends it; each
    with its own event; the organisation's board seat is flagged and stops voting."""
    sec = world.h(world.secretariat)
    plased = make_membership(db, world.org, world.plased, "active")
    coss = make_membership(db, world.org, world.coss, "active")
    member = make_person(db, world.plased)
    board = client.post(
        f"/api/v1/platforms/{world.plased.id}/bodies",
        json={"kind": "executive_board", "name": "Board"},
        headers=sec,
    ).json()
    client.post(
        f"/api/v1/bodies/{board['id']}/seats",
        json={
            "position": "chair",
            "person_id": str(member.id),
            "organisation_id": str(world.org.id),
            "term_start": str(date.today() - timedelta(days=10)),
        },
        headers=sec,
    )
    suspended = client.post(
        f"/api/v1/memberships/{plased.id}/suspend", json={"reason": "Reports overdue"}, headers=sec
    )
    assert suspended.status_code == 200, suspended.text
    assert client.get(f"/api/v1/memberships/{coss.id}", headers=sec).json()["status"] == "suspended"
    events = db.exec(
        select(MembershipEvent).where(col(MembershipEvent.membership_id) == coss.id)
    ).all()
    assert [e.to_status for e in events] == ["suspended"]
    assert "PLASED membership was suspended" in (events[0].reason or "")
    seats = client.get(f"/api/v1/bodies/{board['id']}/seats", headers=sec).json()["items"]
    assert seats[0]["organisation_is_member"] is False
    composition = client.get(f"/api/v1/bodies/{board['id']}/composition", headers=sec).json()
    assert "seat_organisation_not_member" in {w["code"] for w in composition["warnings"]}
    # Reinstating PLASED leaves COSS to the secretariat's decision.
    client.post(f"/api/v1/memberships/{plased.id}/reinstate", headers=sec)
    assert client.get(f"/api/v1/memberships/{coss.id}", headers=sec).json()["status"] == "suspended"
    client.post(f"/api/v1/memberships/{coss.id}/reinstate", headers=sec)
    # Withdrawal ends both; a pending COSS application is rejected.
    client.post(f"/api/v1/memberships/{plased.id}/withdraw", headers=world.h(world.staff))
    assert client.get(f"/api/v1/memberships/{coss.id}", headers=sec).json()["status"] == "withdrawn"
    other = make_organisation(db, world.plased, name="Applicant Org")
    parent = make_membership(db, other, world.plased, "active")
    application = make_membership(db, other, world.coss, "applied")
    client.post(f"/api/v1/memberships/{parent.id}/expire", headers=sec)
    db.expire_all()
    assert db.get(Membership, application.id).status == "rejected"  # type: ignore[union-attr]
