"""Platforms: public to read while active, administered by admins only."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.auth.models import PlatformRoleName, User
from plased.config import Settings
from plased.platforms.models import InclusionTarget, Platform, Regulations
from tests.factories import auth, grant, make_platform, make_user
from tests.helpers import assert_problem

NEW = {
    "code": "plased-mondulkiri",
    "name": "PLASED Mondulkiri",
    "kind": "plased",
    "province": "Mondulkiri",
}


@pytest.fixture
def admin(db: Session) -> User:
    return make_user(db, is_admin=True)


def test_create_seeds_regulations_and_targets(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    body = {**NEW, "name_km": "វេទិកា មណ្ឌលគិរី"}
    response = client.post("/api/v1/platforms", json=body, headers=auth(settings, admin))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name_km"] == "វេទិកា មណ្ឌលគិរី"
    assert created["time_zone"] == "Asia/Phnom_Penh" and created["status"] == "active"
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/api/v1/platforms/{created['id']}"
    platform_id = uuid.UUID(created["id"])
    regulations = db.exec(select(Regulations).where(Regulations.platform_id == platform_id)).one()
    assert regulations.version == 1 and regulations.min_women_share == 0.40
    targets = {
        t.indicator_code: t.target_value
        for t in db.exec(select(InclusionTarget).where(InclusionTarget.platform_id == platform_id))
    }
    assert targets["people_engaged"] == 110 and targets["women_share"] == 0.40
    assert targets["value_chain_strategies"] == 4 and targets["strategic_initiatives"] == 4


def test_coss_belongs_to_a_plased(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    headers = auth(settings, admin)
    parent = make_platform(db)
    coss = {"code": "coss-x", "name": "COSS X", "kind": "coss", "province": "Ratanakiri"}
    for body, pointer in (
        (coss, "/body/parent_id"),
        ({**coss, "parent_id": str(uuid.uuid4())}, "/body/parent_id"),
        ({**NEW, "parent_id": str(parent.id)}, "/body/parent_id"),
    ):
        problem = assert_problem(
            client.post("/api/v1/platforms", json=body, headers=headers), 422, "validation_failed"
        )
        assert problem["errors"][0]["pointer"] == pointer
    created = client.post(
        "/api/v1/platforms", json={**coss, "parent_id": str(parent.id)}, headers=headers
    )
    assert created.status_code == 201
    targets = db.exec(
        select(InclusionTarget.indicator_code).where(
            InclusionTarget.platform_id == uuid.UUID(created.json()["id"])
        )
    ).all()
    assert {"coss_member_csos", "coss_member_sesps", "coss_member_las"} <= set(targets)
    # A COSS cannot be the parent of another COSS.
    nested = {**coss, "code": "coss-y", "parent_id": created.json()["id"]}
    assert_problem(
        client.post("/api/v1/platforms", json=nested, headers=headers), 422, "validation_failed"
    )


def test_create_is_admin_only(client: TestClient, db: Session, settings: Settings) -> None:
    platform = make_platform(db)
    secretariat = make_user(db)
    grant(db, secretariat, platform, PlatformRoleName.secretariat)
    assert_problem(client.post("/api/v1/platforms", json=NEW), 401, "not_authenticated")
    assert_problem(
        client.post("/api/v1/platforms", json=NEW, headers=auth(settings, secretariat)),
        403,
        "forbidden",
    )


def test_create_bad_input_writes_nothing(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    headers = auth(settings, admin)
    for body in (
        {**NEW, "code": "Has Spaces"},
        {**NEW, "kind": "federation"},
        {**NEW, "time_zone": "Mars/Olympus"},
        {**NEW, "name": ""},
        {**NEW, "name": "x" * 201},
        {**NEW, "name": "PLASED\x00"},
        {**NEW, "status": "archived"},
        {**NEW, "id": str(uuid.uuid4())},
        {k: v for k, v in NEW.items() if k != "province"},
    ):
        assert_problem(
            client.post("/api/v1/platforms", json=body, headers=headers), 422, "validation_failed"
        )
    assert client.post("/api/v1/platforms", json=NEW, headers=headers).status_code == 201
    assert_problem(
        client.post("/api/v1/platforms", json=NEW, headers=headers), 409, "platform_code_taken"
    )
    db.expire_all()
    assert len(db.exec(select(Platform)).all()) == 1
    assert len(db.exec(select(Regulations)).all()) == 1


def test_public_list_and_get(client: TestClient, db: Session) -> None:
    first = make_platform(db, code="aaa-platform", name="Alpha", name_km="អាល់ហ្វា")
    make_platform(db, code="bbb-platform", name="Beta")
    listing = client.get("/api/v1/platforms")
    assert listing.status_code == 200
    assert [p["code"] for p in listing.json()["items"]] == ["aaa-platform", "bbb-platform"]
    assert client.get("/api/v1/platforms?sort=-name").json()["items"][0]["name"] == "Beta"
    assert client.get("/api/v1/platforms?q=អាល់").json()["total"] == 1
    assert client.get("/api/v1/platforms?q=ALPHA").json()["total"] == 1
    assert client.get("/api/v1/platforms?kind=coss").json()["total"] == 0
    page = client.get("/api/v1/platforms?limit=1&offset=1")
    assert page.json()["items"][0]["code"] == "bbb-platform"
    assert 'rel="prev"' in page.headers["link"] and 'rel="next"' not in page.headers["link"]
    assert_problem(client.get("/api/v1/platforms?kind=federation"), 422, "validation_failed")
    assert_problem(client.get("/api/v1/platforms?sort=province"), 422, "validation_failed")
    got = client.get(f"/api/v1/platforms/{first.id}")
    assert got.status_code == 200 and got.headers["etag"] == '"1"'
    assert_problem(client.get(f"/api/v1/platforms/{uuid.uuid4()}"), 404, "not_found")


def test_updated_since_filters(client: TestClient, db: Session) -> None:
    make_platform(db)
    assert client.get("/api/v1/platforms?updated_since=2000-01-01T00:00:00Z").json()["total"] == 1
    assert (
        client.get("/api/v1/platforms?updated_since=2999-01-01T00:00:00%2B07:00").json()["total"]
        == 0
    )


def test_if_none_match_gives_304(client: TestClient, db: Session) -> None:
    platform = make_platform(db)
    response = client.get(f"/api/v1/platforms/{platform.id}", headers={"If-None-Match": '"1"'})
    assert response.status_code == 304 and response.content == b""
    assert (
        client.get(f"/api/v1/platforms/{platform.id}", headers={"If-None-Match": '"0"'}).status_code
        == 200
    )


def test_patch_with_if_match(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    platform = make_platform(db)
    headers = auth(settings, admin)
    url = f"/api/v1/platforms/{platform.id}"
    stale = client.patch(url, json={"name": "Renamed"}, headers={**headers, "If-Match": '"7"'})
    body = assert_problem(stale, 412, "precondition_failed")
    assert body["current_etag"] == '"1"'
    ok = client.patch(
        url, json={"name": "Renamed", "name_km": "ឈ្មោះថ្មី"}, headers={**headers, "If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    assert ok.json()["name_km"] == "ឈ្មោះថ្មី"
    # Without If-Match the update applies to whatever is current.
    assert (
        client.patch(url, json={"province": "Stung Treng"}, headers=headers).json()["version"] == 3
    )
    for bad in (
        {"kind": "coss"},
        {"name": None},
        {"time_zone": "Nowhere/City"},
        {"code": "new-code"},
    ):
        assert_problem(client.patch(url, json=bad, headers=headers), 422, "validation_failed")
    assert_problem(
        client.patch(f"/api/v1/platforms/{uuid.uuid4()}", json={}, headers=headers),
        404,
        "not_found",
    )
    observer = make_user(db)
    grant(db, observer, platform, PlatformRoleName.observer)
    assert_problem(
        client.patch(url, json={"name": "X"}, headers=auth(settings, observer)), 403, "forbidden"
    )
    assert_problem(client.patch(url, json={"name": "X"}), 401, "not_authenticated")


def test_archive_hides_from_public(
    client: TestClient, db: Session, settings: Settings, admin: User
) -> None:
    platform = make_platform(db)
    headers = auth(settings, admin)
    url = f"/api/v1/platforms/{platform.id}"
    assert_problem(
        client.delete(url, headers={**headers, "If-Match": '"5"'}), 412, "precondition_failed"
    )
    assert client.delete(url, headers=headers).status_code == 204
    assert_problem(client.get(url), 404, "not_found")
    assert client.get("/api/v1/platforms").json()["total"] == 0
    assert client.get(url, headers=headers).json()["status"] == "archived"
    assert client.get("/api/v1/platforms?status=archived", headers=headers).json()["total"] == 1
    assert client.delete(url, headers=headers).status_code == 204  # idempotent
