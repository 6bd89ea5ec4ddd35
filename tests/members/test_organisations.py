"""Organisations: who registers, reads and edits them; shape rules; search; directory."""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.members.models import Organisation
from tests.factories import make_membership, make_organisation, unit
from tests.helpers import assert_problem
from tests.worlds import World

URL = "/api/v1/organisations"


def body(world: World, **changes: object) -> dict[str, object]:
    return {
        "platform_id": str(world.plased.id),
        "name": "Cashew Growers of Lumphat",
        "name_km": "សហគមន៍ស្វាយចន្ទីលំផាត់",
        "kind": "cso",
        "sector": "agriculture",
        **changes,
    }


def test_secretariat_registers_in_the_root_platform(client: TestClient, world: World) -> None:
    # Registered through the COSS, the organisation belongs to its PLASED (shared).
    response = client.post(
        URL, json=body(world, platform_id=str(world.coss.id)), headers=world.h(world.secretariat)
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["platform_id"] == str(world.plased.id)
    assert created["name_km"] == "សហគមន៍ស្វាយចន្ទីលំផាត់"
    assert response.headers["etag"] == '"1"'
    assert (
        client.get(response.headers["location"], headers=world.h(world.observer)).status_code == 200
    )


def test_who_may_register(client: TestClient, world: World) -> None:
    assert_problem(client.post(URL, json=body(world)), 401, "not_authenticated")
    for user in (world.observer, world.facilitator, world.staff):
        assert_problem(client.post(URL, json=body(world), headers=world.h(user)), 403, "forbidden")
    assert_problem(
        client.post(URL, json=body(world), headers=world.h(world.stranger)), 404, "not_found"
    )
    assert client.post(URL, json=body(world), headers=world.h(world.admin)).status_code == 201


def test_shape_rules_name_the_field(client: TestClient, db: Session, world: World) -> None:
    h = world.h(world.secretariat)
    lumphat = unit(db, "1605")
    commune = unit(db, "160501")
    cases = [
        (body(world, sector=None), "/body/sector", "sector_required"),
        (body(world, kind="service_provider"), "/body/sector", "sector_not_allowed"),
        (
            body(world, kind="local_authority", sector=None, unit_id=str(lumphat.id)),
            "/body/la_level",
            "la_level_required",
        ),
        (
            body(world, kind="local_authority", sector=None, la_level="district"),
            "/body/unit_id",
            "unit_required",
        ),
        (
            body(
                world,
                kind="local_authority",
                sector=None,
                la_level="provincial",
                unit_id=str(lumphat.id),
            ),
            "/body/la_level",
            "la_level_mismatch",
        ),
        (body(world, la_level="commune"), "/body/la_level", "la_level_not_allowed"),
        (body(world, unit_id=str(uuid.uuid4())), "/body/unit_id", "unknown_unit"),
    ]
    for payload, pointer, code in cases:
        problem = assert_problem(
            client.post(URL, json=payload, headers=h), 422, "validation_failed"
        )
        assert problem["errors"][0]["pointer"] == pointer
        assert problem["errors"][0]["code"] == code
    for bad in (
        body(world, kind="club"),
        body(world, sector="mining"),
        body(world, name=""),
        body(world, email="not-mail"),
        body(world, phone="call me"),
        body(world, website="ftp://x"),
        body(world, id=str(uuid.uuid4())),
        body(world, version=3),
        body(world, name="A\x00B"),
    ):
        assert_problem(client.post(URL, json=bad, headers=h), 422, "validation_failed")
    ok = body(
        world,
        name="Lumphat District Administration",
        kind="local_authority",
        sector=None,
        la_level="district",
        unit_id=str(lumphat.id),
    )
    assert client.post(URL, json=ok, headers=h).status_code == 201
    commune_council = body(
        world,
        name="Chey Otdam Commune Council",
        kind="local_authority",
        sector=None,
        la_level="commune",
        unit_id=str(commune.id),
    )
    assert client.post(URL, json=commune_council, headers=h).status_code == 201
    assert len(db.exec(select(Organisation)).all()) == 3  # world.org and the two valid ones


def test_duplicate_names_ignore_case_and_spaces(client: TestClient, world: World) -> None:
    h = world.h(world.secretariat)
    assert client.post(URL, json=body(world), headers=h).status_code == 201
    again = client.post(URL, json=body(world, name="  cashew   GROWERS of lumphat "), headers=h)
    assert_problem(again, 409, "organisation_exists")
    # Another platform family may register the same name.
    assert (
        client.post(
            URL, json=body(world, platform_id=str(world.other.id)), headers=world.h(world.stranger)
        ).status_code
        == 201
    )


def test_read_access(client: TestClient, db: Session, world: World) -> None:
    url = f"{URL}/{world.org.id}"
    assert_problem(client.get(url), 401, "not_authenticated")
    for user in (world.secretariat, world.observer, world.facilitator, world.staff, world.admin):
        assert client.get(url, headers=world.h(user)).status_code == 200
    assert_problem(client.get(url, headers=world.h(world.stranger)), 404, "not_found")
    assert_problem(
        client.get(f"{URL}/{uuid.uuid4()}", headers=world.h(world.observer)), 404, "not_found"
    )
    assert (
        client.get(url, headers={**world.h(world.observer), "If-None-Match": '"1"'}).status_code
        == 304
    )


def test_edit_access_and_if_match(client: TestClient, db: Session, world: World) -> None:
    url = f"{URL}/{world.org.id}"
    other_org = make_organisation(db, world.plased)
    assert_problem(client.patch(url, json={"acronym": "HA"}), 401, "not_authenticated")
    assert_problem(
        client.patch(url, json={"acronym": "HA"}, headers=world.h(world.observer)), 403, "forbidden"
    )
    assert_problem(
        client.patch(url, json={"acronym": "HA"}, headers=world.h(world.stranger)), 404, "not_found"
    )
    assert_problem(
        client.patch(f"{URL}/{other_org.id}", json={"acronym": "X"}, headers=world.h(world.staff)),
        403,
        "forbidden",
    )
    stale = client.patch(
        url, json={"acronym": "HA"}, headers={**world.h(world.staff), "If-Match": '"4"'}
    )
    assert_problem(stale, 412, "precondition_failed")
    own = client.patch(
        url,
        json={"acronym": "HA", "name_km": "សមាគម"},
        headers={**world.h(world.staff), "If-Match": '"1"'},
    )
    assert own.status_code == 200 and own.json()["version"] == 2 and own.json()["acronym"] == "HA"
    secretariat = client.patch(
        url, json={"phone": "+855 75 974 000"}, headers=world.h(world.secretariat)
    )
    assert secretariat.json()["version"] == 3
    # Shape rules hold on edit too, and required fields cannot be emptied.
    assert_problem(
        client.patch(url, json={"kind": "service_provider"}, headers=world.h(world.secretariat)),
        422,
        "validation_failed",
    )
    # Fields that decide rights are the secretariat's (tests/members/test_trust_members.py).
    assert_problem(
        client.patch(url, json={"kind": "service_provider"}, headers=world.h(world.staff)),
        403,
        "field_reserved_to_secretariat",
    )
    assert_problem(
        client.patch(url, json={"name": None}, headers=world.h(world.staff)),
        422,
        "validation_failed",
    )
    assert_problem(
        client.patch(url, json={"name": other_org.name}, headers=world.h(world.staff)),
        409,
        "organisation_exists",
    )


def test_search_filters_and_sorting(client: TestClient, db: Session, world: World) -> None:
    ban_lung, kachanh = unit(db, "1602"), unit(db, "160201")
    district = make_organisation(
        db,
        world.plased,
        name="Ban Lung Municipal Administration",
        kind="local_authority",
        la_level="district",
        unit_id=ban_lung.id,
    )
    commune = make_organisation(
        db,
        world.plased,
        name="Kachanh Sangkat Council",
        name_km="ក្រុមប្រឹក្សាសង្កាត់កាចាញ",
        kind="local_authority",
        la_level="commune",
        unit_id=kachanh.id,
    )
    provider = make_organisation(
        db, world.plased, name="Rural Credit Ratanakiri", kind="service_provider"
    )
    make_organisation(db, world.other, name="Elsewhere Network")
    make_membership(db, provider, world.coss, "active")
    make_membership(db, commune, world.coss, "applied")
    h = world.h(world.observer)

    def names(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}", headers=h)
        assert response.status_code == 200, response.text
        return [o["name"] for o in response.json()["items"]]

    assert "Elsewhere Network" not in names("limit=200")
    assert names("kind=local_authority") == [district.name, commune.name]
    assert names("la_level=commune") == [commune.name]
    assert names("sector=agriculture") == [world.org.name]
    assert names(f"unit_id={ban_lung.id}") == [district.name, commune.name]  # and below it
    assert names(f"unit_id={kachanh.id}") == [commune.name]
    assert names("q=KACHANH") == [commune.name]
    assert names("q=សង្កាត់កាចាញ") == [commune.name]
    assert names(f"platform_id={world.coss.id}&membership_status=active") == [provider.name]
    assert names(f"platform_id={world.coss.id}") == [commune.name, provider.name]
    assert names("sort=-name&kind=local_authority") == [commune.name, district.name]
    assert names("updated_since=2999-01-01T00:00:00Z") == []
    assert client.get(f"{URL}?limit=2", headers=h).json()["total"] == 4
    for bad in (
        "kind=club",
        "sort=email",
        "membership_status=active",
        f"unit_id={uuid.uuid4()}",
        "limit=500",
    ):
        assert_problem(client.get(f"{URL}?{bad}", headers=h), 422, "validation_failed")
    # The stranger's list holds only its own platform family.
    stranger = client.get(URL, headers=world.h(world.stranger)).json()
    assert [o["name"] for o in stranger["items"]] == ["Elsewhere Network"]
    assert_problem(client.get(URL), 401, "not_authenticated")


def test_public_directory(client: TestClient, db: Session, world: World) -> None:
    active = make_organisation(db, world.plased, name="Active Member", email="private@x.org")
    make_membership(db, active, world.plased, "active")
    make_membership(db, world.org, world.plased, "applied")
    response = client.get(f"/api/v1/platforms/{world.plased.id}/directory")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["name"] for i in items] == ["Active Member"]
    assert (
        "email" not in items[0] and "phone" not in items[0] and "private@x.org" not in response.text
    )
    assert client.get(f"/api/v1/platforms/{world.coss.id}/directory").json()["total"] == 0
    assert_problem(client.get(f"/api/v1/platforms/{uuid.uuid4()}/directory"), 404, "not_found")


def test_search_takes_wildcards_literally(client: TestClient, db: Session, world: World) -> None:
    make_organisation(db, world.plased, name="100% Organic Farmers")
    make_organisation(db, world.plased, name="Other_Group")
    h = world.h(world.observer)
    names = lambda q: [o["name"] for o in client.get(f"{URL}?q={q}", headers=h).json()["items"]]  # noqa: E731
    assert names("%25") == ["100% Organic Farmers"]  # "%" matches only a percent sign
    assert names("_") == ["Other_Group"]
    assert names("%5C") == []  # a lone backslash is harmless
