"""People: contact details only for the secretariat, their organisations' staff and themselves."""

import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.members.models import Person
from tests.factories import make_organisation, make_person, make_user, represent
from tests.helpers import assert_problem
from tests.worlds import World

URL = "/api/v1/people"


def test_contacts_visibility(client: TestClient, db: Session, world: World) -> None:
    person = make_person(
        db,
        world.plased,
        full_name="Sreyleak Phan",
        phone="+855 97 111 2222",
        consent_to_be_listed=True,
    )
    represent(db, world.org, person)
    other_org = make_organisation(db, world.plased)
    other_staff = make_user(db, organisation_id=other_org.id)
    own_user = make_user(db)
    person.user_id = own_user.id
    db.add(person)
    db.commit()
    url = f"{URL}/{person.id}"
    for user, sees in (
        (world.secretariat, True),
        (world.staff, True),
        (own_user, True),
        (world.admin, True),
        (world.observer, False),
        (world.facilitator, False),
        (other_staff, False),
    ):
        response = client.get(url, headers=world.h(user))
        assert response.status_code == 200, (user.email, response.text)
        data = response.json()
        assert data["contacts_visible"] is sees
        assert (data["phone"] == "+855 97 111 2222") is sees
        assert ("+855 97 111 2222" in response.text) is sees
        listing = client.get(f"{URL}?q=sreyleak", headers=world.h(user)).text
        assert ("+855 97 111 2222" in listing) is sees
    assert_problem(client.get(url, headers=world.h(world.stranger)), 404, "not_found")
    assert_problem(client.get(url), 401, "not_authenticated")


def test_own_user_sees_own_contacts(client: TestClient, db: Session, world: World) -> None:
    person = make_person(db, world.plased, phone="+855 12 999 888")
    person.user_id = world.staff.id
    db.add(person)
    db.commit()
    data = client.get(f"{URL}/{person.id}", headers=world.h(world.staff)).json()
    assert data["phone"] == "+855 12 999 888"


def test_youth_from_regulations(client: TestClient, db: Session, world: World) -> None:
    year = datetime.now(UTC).year
    young = make_person(db, world.plased, birth_year=year - 20)
    old = make_person(db, world.plased, birth_year=year - 45)
    unknown = make_person(db, world.plased, birth_year=None)
    h = world.h(world.secretariat)
    assert client.get(f"{URL}/{young.id}", headers=h).json()["is_youth"] is True
    assert client.get(f"{URL}/{old.id}", headers=h).json()["is_youth"] is False
    assert client.get(f"{URL}/{unknown.id}", headers=h).json()["is_youth"] is None
    # Youth is derived from the birth year, a detail other members do not see.
    listed = make_person(db, world.plased, birth_year=year - 20, consent_to_be_listed=True)
    seen = client.get(f"{URL}/{listed.id}", headers=world.h(world.observer)).json()
    assert seen["is_youth"] is None and seen["birth_year"] is None


def test_create_and_edit(client: TestClient, db: Session, world: World) -> None:
    payload = {
        "platform_id": str(world.coss.id),
        "full_name": "Bunthoeun Kreung",
        "name_km": "ប៊ុនធឿន",
        "gender": "male",
        "birth_year": 1999,
        "indigenous_group": "Kreung",
        "phone": "+855 88 123 4567",
    }
    assert_problem(client.post(URL, json=payload), 401, "not_authenticated")
    assert_problem(
        client.post(URL, json=payload, headers=world.h(world.observer)), 403, "forbidden"
    )
    assert_problem(
        client.post(URL, json=payload, headers=world.h(world.stranger)), 404, "not_found"
    )
    created = client.post(URL, json=payload, headers=world.h(world.staff))  # org staff may
    assert created.status_code == 201, created.text
    person = created.json()
    assert person["platform_id"] == str(world.plased.id) and person["name_km"] == "ប៊ុនធឿន"
    url = f"{URL}/{person['id']}"
    # The organisation that registered the person looks after them until someone represents
    # them; another organisation's staff may not.
    other_staff = make_user(db, organisation_id=make_organisation(db, world.plased).id)
    assert_problem(
        client.patch(url, json={"gender": "other"}, headers=world.h(other_staff)), 404, "not_found"
    )
    mine = client.patch(url, json={"gender": "other"}, headers=world.h(world.staff))
    assert mine.status_code == 200 and mine.json()["phone"] == "+855 88 123 4567"
    # Not listed (no consent): observers cannot find them at all.
    assert_problem(
        client.patch(url, json={"gender": "other"}, headers=world.h(world.observer)),
        404,
        "not_found",
    )
    stale = client.patch(
        url, json={"gender": "other"}, headers={**world.h(world.secretariat), "If-Match": '"9"'}
    )
    assert_problem(stale, 412, "precondition_failed")
    ok = client.patch(url, json={"consent_to_be_listed": True}, headers=world.h(world.secretariat))
    assert ok.status_code == 200 and ok.json()["version"] == 3
    for bad in (
        {"gender": "unknown"},
        {"birth_year": 1800},
        {"full_name": None},
        {"email": "nope"},
        {"platform_id": str(world.other.id)},
        {"full_name": "x\x00"},
    ):
        assert_problem(
            client.patch(url, json=bad, headers=world.h(world.secretariat)),
            422,
            "validation_failed",
        )
    assert_problem(
        client.patch(f"{URL}/{uuid.uuid4()}", json={}, headers=world.h(world.secretariat)),
        404,
        "not_found",
    )


def test_list_filters(client: TestClient, db: Session, world: World) -> None:
    a = make_person(
        db, world.plased, full_name="Chantha Tampuan", gender="female", consent_to_be_listed=True
    )
    b = make_person(db, world.plased, full_name="Dara", gender="male", consent_to_be_listed=True)
    make_person(db, world.other, full_name="Hidden Person")
    represent(db, world.org, b, "alternate")
    h = world.h(world.observer)
    names = lambda q: [p["full_name"] for p in client.get(f"{URL}?{q}", headers=h).json()["items"]]  # noqa: E731
    assert names("") == [a.full_name, b.full_name]
    assert names("gender=male") == [b.full_name]
    assert names(f"organisation_id={world.org.id}") == [b.full_name]
    assert names("q=tampuan") == [a.full_name]
    assert names("sort=-full_name") == [b.full_name, a.full_name]
    assert names(f"platform_id={world.other.id}") == []
    assert_problem(client.get(f"{URL}?sort=phone", headers=h), 422, "validation_failed")


def test_representatives(client: TestClient, db: Session, world: World) -> None:
    registered = [
        client.post(
            URL,
            json={"platform_id": str(world.plased.id), "full_name": name, "gender": "female"},
            headers=world.h(world.staff),
        ).json()["id"]
        for name in ("Sokha Phan", "Leakhena Mao")
    ]  # registered by the organisation's staff: its own people to name
    first, second = (db.get(Person, uuid.UUID(pid)) for pid in registered)
    assert first is not None and second is not None
    url = f"/api/v1/organisations/{world.org.id}/representatives"
    body = {"person_id": str(first.id), "role": "primary", "start_date": "2026-01-01"}
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    assert_problem(client.post(url, json=body, headers=world.h(world.observer)), 403, "forbidden")
    assert_problem(client.post(url, json=body, headers=world.h(world.stranger)), 404, "not_found")
    created = client.post(url, json=body, headers=world.h(world.staff))
    assert created.status_code == 201, created.text
    rep = created.json()
    assert rep["person_name"] == first.full_name
    # One primary at a time; the same person twice in a role is a conflict too.
    second_primary = {"person_id": str(second.id), "role": "primary"}
    assert_problem(
        client.post(url, json=second_primary, headers=world.h(world.staff)),
        409,
        "primary_representative_exists",
    )
    assert_problem(
        client.post(url, json=body, headers=world.h(world.staff)), 409, "representative_exists"
    )
    foreign = make_person(db, world.other)
    for bad in (
        {"person_id": str(foreign.id), "role": "staff"},
        {"person_id": str(uuid.uuid4()), "role": "staff"},
        {"person_id": str(second.id), "role": "boss"},
        {"person_id": str(second.id), "role": "staff", "end_date": "2026-01-01"},
    ):
        assert_problem(
            client.post(url, json=bad, headers=world.h(world.secretariat)), 422, "validation_failed"
        )
    end_url = f"{url}/{rep['id']}/end"
    assert_problem(
        client.post(end_url, json={"end_date": "2025-01-01"}, headers=world.h(world.staff)),
        422,
        "validation_failed",
    )
    assert_problem(client.post(end_url, json={}, headers=world.h(world.observer)), 403, "forbidden")
    ended = client.post(end_url, json={"end_date": "2026-06-30"}, headers=world.h(world.staff))
    assert ended.status_code == 200 and ended.json()["end_date"] == "2026-06-30"
    assert_problem(
        client.post(end_url, json={}, headers=world.h(world.staff)), 409, "representative_ended"
    )
    assert_problem(
        client.post(f"{url}/{uuid.uuid4()}/end", json={}, headers=world.h(world.staff)),
        404,
        "not_found",
    )
    # The history stays; a new primary can now be named.
    assert (
        client.post(url, json=second_primary, headers=world.h(world.secretariat)).status_code == 201
    )
    history = client.get(url, headers=world.h(world.observer)).json()["items"]
    assert {r["person_id"] for r in history} == {str(first.id), str(second.id)}
    current = client.get(f"{url}?current=true", headers=world.h(world.observer)).json()["items"]
    assert [r["person_id"] for r in current] == [str(second.id)]
    assert_problem(client.get(url, headers=world.h(world.stranger)), 404, "not_found")
