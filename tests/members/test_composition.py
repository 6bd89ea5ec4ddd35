"""Composition numbers, checked against a hand-counted fixture."""

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_membership, make_organisation, make_person, represent, unit
from tests.helpers import assert_problem
from tests.worlds import World


def test_composition_hand_counted(client: TestClient, db: Session, world: World) -> None:
    year = datetime.now(UTC).year
    p = world.coss
    # Active members of the COSS: 2 CSOs (agriculture, indigenous), 1 provider, 1 district LA.
    cso_a = make_organisation(db, world.plased, sector="agriculture")
    cso_b = make_organisation(db, world.plased, sector="indigenous")
    provider = make_organisation(db, world.plased, kind="service_provider")
    la = make_organisation(
        db, world.plased, kind="local_authority", la_level="district", unit_id=unit(db, "1605").id
    )
    for org in (cso_a, cso_b, provider, la):
        make_membership(db, org, p, "active")
    # Not counted: an applicant and a suspended member.
    applicant = make_organisation(db, world.plased)
    make_membership(db, applicant, p, "applied")
    suspended = make_organisation(db, world.plased, kind="service_provider")
    make_membership(db, suspended, p, "suspended")
    # People: current representatives of active members.
    w1 = make_person(
        db, world.plased, gender="female", birth_year=year - 22, indigenous_group="Tampuan"
    )
    w2 = make_person(db, world.plased, gender="female", birth_year=year - 50)
    m1 = make_person(
        db, world.plased, gender="male", birth_year=year - 25, indigenous_group="Jarai"
    )
    m2 = make_person(db, world.plased, gender="male", birth_year=None)
    u1 = make_person(db, world.plased, gender="undisclosed", birth_year=year - 35)
    represent(db, cso_a, w1)
    represent(db, cso_a, m1, "alternate")
    represent(db, cso_b, w2)
    represent(db, provider, m2)
    represent(db, la, u1)
    represent(db, la, w1, "staff")  # w1 counted once
    # Not counted: an ended representation, and people of non-members.
    ended = represent(db, cso_b, make_person(db, world.plased, gender="male"), "staff")
    ended.end_date = date(2025, 6, 1)
    db.add(ended)
    db.commit()
    represent(db, applicant, make_person(db, world.plased, gender="female"))

    url = f"/api/v1/platforms/{p.id}/composition"
    response = client.get(url, headers=world.h(world.secretariat))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["organisations"] == 4
    assert data["organisations_by_kind"] == {"cso": 2, "service_provider": 1, "local_authority": 1}
    assert data["csos_by_sector"] == {"agriculture": 1, "indigenous": 1}
    assert data["local_authorities_by_level"] == {"district": 1}
    assert data["people"] == 5
    assert data["people_by_gender"] == {"female": 2, "male": 2, "undisclosed": 1}
    assert data["youth"] == 2  # w1 (22) and m1 (25)
    assert data["indigenous"] == 2
    assert data["women_share"] == 0.4
    targets = {t["indicator_code"]: t for t in data["targets"]}
    assert targets["women_share"] == {
        "indicator_code": "women_share",
        "target": 0.4,
        "actual": 0.4,
        "met": True,
    }
    assert (
        targets["coss_member_csos"]["actual"] == 2 and targets["coss_member_csos"]["met"] is False
    )
    assert targets["coss_member_sesps"]["actual"] == 1
    assert targets["coss_member_las"]["actual"] == 1


def test_composition_access(client: TestClient, world: World) -> None:
    url = f"/api/v1/platforms/{world.plased.id}/composition"
    assert_problem(client.get(url), 401, "not_authenticated")
    assert_problem(client.get(url, headers=world.h(world.stranger)), 404, "not_found")
    empty = client.get(url, headers=world.h(world.staff)).json()
    assert empty["people"] == 0 and empty["women_share"] is None
    people_target = next(t for t in empty["targets"] if t["indicator_code"] == "people_engaged")
    assert people_target == {
        "indicator_code": "people_engaged",
        "target": 110,
        "actual": 0,
        "met": False,
    }
