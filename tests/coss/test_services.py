"""The service directory: providers publish, anyone reads published services."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from plased.coss.models import Service, ServiceArea
from tests.factories import make_organisation, unit
from tests.helpers import assert_problem
from tests.worlds import SERVICES as URL
from tests.worlds import Catalogue, service_body


def count(db: Session) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(Service)).one()


def test_provider_publishes_its_service(client: TestClient, db: Session, cat: Catalogue) -> None:
    h = cat.w.h(cat.provider_staff)
    created = client.post(URL, json=service_body(cat, db), headers=h)
    assert created.status_code == 201, created.text
    service = created.json()
    assert service["status"] == "draft" and service["provider_name"] == "Legal Aid Ratanakiri"
    assert service["languages"] == ["khmer", "tampuan"] and service["name_km"] == "ប្រឹក្សាច្បាប់ឥតគិតថ្លៃ"
    url = f"{URL}/{service['id']}"
    # Drafts are invisible to the public and to other providers.
    assert_problem(client.get(url), 404, "not_found")
    assert_problem(client.get(url, headers=cat.w.h(cat.other_staff)), 404, "not_found")
    assert client.get(url, headers=cat.w.h(cat.w.secretariat)).status_code == 200
    assert client.get(URL).json()["total"] == 0
    published = client.patch(url, json={"status": "published"}, headers={**h, "If-Match": '"1"'})
    assert published.status_code == 200 and published.json()["version"] == 2
    assert client.get(url).status_code == 200
    assert client.get(URL).json()["total"] == 1
    paused = client.patch(
        url, json={"status": "paused", "coverage_unit_ids": [str(unit(db, "16").id)]}, headers=h
    )
    assert paused.json()["coverage_unit_ids"] == [str(unit(db, "16").id)]
    assert client.get(URL).json()["total"] == 0
    assert client.get(f"{URL}?status=paused", headers=h).json()["total"] == 1


def test_who_may_create_and_edit(client: TestClient, db: Session, cat: Catalogue) -> None:
    body = service_body(cat, db)
    assert_problem(client.post(URL, json=body), 401, "not_authenticated")
    for user in (cat.w.observer, cat.other_staff):
        assert_problem(client.post(URL, json=body, headers=cat.w.h(user)), 403, "forbidden")
    assert_problem(client.post(URL, json=body, headers=cat.w.h(cat.w.stranger)), 404, "not_found")
    assert client.post(URL, json=body, headers=cat.w.h(cat.w.secretariat)).status_code == 201
    service_id = db.exec(select(Service.id)).one()
    url = f"{URL}/{service_id}"
    assert_problem(
        client.patch(url, json={"name": "X"}, headers=cat.w.h(cat.other_staff)), 404, "not_found"
    )
    assert_problem(
        client.patch(url, json={"name": "X"}, headers=cat.w.h(cat.w.observer)), 404, "not_found"
    )
    client.patch(url, json={"status": "published"}, headers=cat.w.h(cat.provider_staff))
    assert_problem(
        client.patch(url, json={"name": "X"}, headers=cat.w.h(cat.other_staff)), 403, "forbidden"
    )
    assert_problem(client.patch(url, json={"name": "X"}), 401, "not_authenticated")


def test_bad_input_writes_nothing(client: TestClient, db: Session, cat: Catalogue) -> None:
    h = cat.w.h(cat.w.secretariat)
    non_member = make_organisation(db, cat.w.plased, kind="service_provider")
    other_platform_category = db.exec(select(ServiceArea)).first()  # none yet: just a sanity read
    assert other_platform_category is None
    plased_category = client.get(f"/api/v1/platforms/{cat.w.plased.id}/service-categories").json()[
        "items"
    ][0]
    cases = [
        service_body(cat, db, provider_id=str(non_member.id)),
        service_body(cat, db, coverage_unit_ids=[str(uuid.uuid4())]),
        service_body(cat, db, age_min=40, age_max=18),
        service_body(cat, db, capacity_per_month=-1),
        service_body(cat, db, category_id=str(uuid.uuid4())),
        service_body(cat, db, category_id=plased_category["id"]),
        service_body(cat, db, languages=["klingon"]),
        service_body(cat, db, target_groups=["everyone"]),
        service_body(cat, db, gender="robot"),
        service_body(cat, db, name="x\x00"),
        service_body(cat, db, id=str(uuid.uuid4())),
    ]
    for body in cases:
        assert_problem(client.post(URL, json=body, headers=h), 422, "validation_failed")
    assert count(db) == 0
    created = client.post(URL, json=service_body(cat, db), headers=h).json()
    url = f"{URL}/{created['id']}"
    assert_problem(client.patch(url, json={"age_min": 90}, headers=h), 422, "validation_failed")
    assert_problem(
        client.patch(url, json={"status": "closed"}, headers=h), 422, "validation_failed"
    )
    for bad_query in (
        "language=klingon",
        "target_group=all",
        f"unit_id={uuid.uuid4()}",
        "sort=capacity_per_month",
        "status=gone",
    ):
        assert_problem(client.get(f"{URL}?{bad_query}"), 422, "validation_failed")


def test_directory_coverage_inheritance(client: TestClient, db: Session, cat: Catalogue) -> None:
    """Hand-computed: a commune finds services covering it, its district or its province."""
    h = cat.w.h(cat.w.secretariat)

    def publish(name: str, code: str, **changes: Any) -> None:
        body = service_body(
            cat,
            db,
            name=name,
            coverage_unit_ids=[str(unit(db, code).id)],
            **{"status": "published", **changes},
        )
        assert client.post(URL, json=body, headers=h).status_code == 201

    publish("Province-wide", "16", languages=["khmer"], target_groups=["youth"])
    publish("Lumphat district", "1605", languages=["jarai"])
    publish(
        "Chey Otdam commune",
        "160501",
        category_id=str(cat.categories["credit"].id),
        provider_id=str(cat.other_provider.id),
    )
    publish("Ban Lung only", "1602")
    publish("Draft somewhere", "1605", status="draft")

    def names(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.text
        return [s["name"] for s in response.json()["items"]]

    commune = unit(db, "160501")
    other_commune = unit(db, "160502")
    district = unit(db, "1605")
    village = db.exec(select(ServiceArea)).first()
    assert village is not None
    assert names(f"unit_id={commune.id}") == [
        "Chey Otdam commune",
        "Lumphat district",
        "Province-wide",
    ]
    assert names(f"unit_id={other_commune.id}") == ["Lumphat district", "Province-wide"]
    assert names(f"unit_id={district.id}") == ["Lumphat district", "Province-wide"]
    assert names("language=jarai") == ["Lumphat district"]
    assert names("target_group=youth") == ["Province-wide"]
    assert names(f"category_id={cat.categories['microfinance'].id}") == ["Chey Otdam commune"]
    assert names(f"category_id={cat.categories['legal_aid'].id}") == [
        "Ban Lung only",
        "Lumphat district",
        "Province-wide",
    ]
    assert names("q=ប្រឹក្សាច្បាប់") == [
        "Ban Lung only",
        "Chey Otdam commune",
        "Lumphat district",
        "Province-wide",
    ]
    assert names("q=LUMPHAT") == ["Lumphat district"]
    assert names(f"provider_id={cat.other_provider.id}") == ["Chey Otdam commune"]
    assert names("sort=-name&limit=1") == ["Province-wide"]
    assert names("updated_since=2999-01-01T00:00:00Z") == []
