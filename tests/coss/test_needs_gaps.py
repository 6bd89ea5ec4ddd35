"""Needs and the gap table, against hand-computed numbers."""

import csv
import io
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from plased.coss.models import Need
from tests.factories import unit
from tests.helpers import assert_problem
from tests.worlds import SERVICES as URL
from tests.worlds import Catalogue, service_body


def need(
    client: TestClient,
    cat: Catalogue,
    db: Session,
    code: str,
    category: str,
    people: int,
    **kw: Any,
) -> None:
    body = {
        "category_id": str(cat.categories[category].id),
        "unit_id": str(unit(db, code).id),
        "people_count": people,
        "source": "survey",
        "need_date": "2026-10-01",
        **kw,
    }
    response = client.post(
        f"/api/v1/platforms/{cat.w.coss.id}/needs", json=body, headers=cat.w.h(cat.w.secretariat)
    )
    assert response.status_code == 201, response.text


def test_needs_access_and_validation(client: TestClient, db: Session, cat: Catalogue) -> None:
    url = f"/api/v1/platforms/{cat.w.coss.id}/needs"
    body = {
        "category_id": str(cat.categories["health"].id),
        "unit_id": str(unit(db, "1605").id),
        "people_count": 12,
        "source": "focus_group",
        "need_date": "2026-09-01",
    }
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    assert_problem(
        client.post(url, json=body, headers=cat.w.h(cat.provider_staff)), 403, "forbidden"
    )
    assert_problem(client.post(url, json=body, headers=cat.w.h(cat.w.stranger)), 404, "not_found")
    for bad in (
        {**body, "people_count": -3},
        {**body, "people_count": 0},
        {**body, "unit_id": str(uuid.uuid4())},
        {**body, "category_id": str(uuid.uuid4())},
        {**body, "source": "rumour"},
        {**body, "target_group": "all"},
    ):
        assert_problem(
            client.post(url, json=bad, headers=cat.w.h(cat.w.secretariat)), 422, "validation_failed"
        )
    db.expire_all()
    assert db.exec(select(func.count()).select_from(Need)).one() == 0
    assert client.post(url, json=body, headers=cat.w.h(cat.w.secretariat)).status_code == 201
    listing = client.get(url, headers=cat.w.h(cat.provider_staff))  # observers and staff read
    assert listing.json()["total"] == 1
    assert_problem(client.get(url, headers=cat.w.h(cat.w.stranger)), 404, "not_found")
    assert (
        client.get(f"{url}?source=survey", headers=cat.w.h(cat.provider_staff)).json()["total"] == 0
    )


def test_gap_table_hand_computed(client: TestClient, db: Session, cat: Catalogue) -> None:
    h = cat.w.h(cat.w.secretariat)

    def publish(code: str, category: str, capacity: int, **kw: Any) -> None:
        body = service_body(
            cat,
            db,
            name=f"{category} {code}",
            category_id=str(cat.categories[category].id),
            coverage_unit_ids=[str(unit(db, code).id)],
            capacity_per_month=capacity,
            **{"status": "published", **kw},
        )
        assert client.post(URL, json=body, headers=h).status_code == 201

    # Legal aid: province-wide 10/month; Lumphat district 5/month; one commune in Lumphat 3/month.
    publish("16", "legal_counselling", 10)
    publish("1605", "legal_representation", 5)
    publish("160501", "legal_aid", 3)
    publish("1602", "credit", 20, status="draft")  # drafts never count
    # Needs: Lumphat legal aid 30 (a commune 20, a village 10); Ban Lung legal 4; Lumphat health 7.
    village = next(
        u for u in client.get(f"/api/v1/geography?parent={unit(db, '160501').id}").json()["items"]
    )
    need(client, cat, db, "160502", "legal_aid", 20)
    need(client, cat, db, village["code"], "legal_counselling", 10)
    need(client, cat, db, "1602", "legal_aid", 4)
    need(client, cat, db, "1605", "health", 7, target_group="women")
    need(client, cat, db, "16", "legal_aid", 100)  # province-level: not attributable to a district

    report = client.get(
        f"/api/v1/platforms/{cat.w.coss.id}/service-gaps?level=district",
        headers=cat.w.h(cat.w.observer),
    )
    assert report.status_code == 200, report.text
    rows = {(r["unit_code"], r["category_code"]): r for r in report.json()["rows"]}
    lumphat_legal = rows[("1605", "legal_aid")]
    assert lumphat_legal["people_in_need"] == 30
    assert lumphat_legal["services"] == 2 and lumphat_legal["monthly_capacity"] == 15
    assert lumphat_legal["partial_services"] == 1 and lumphat_legal["gap"] == 15
    assert rows[("1605", "health")] == {
        **rows[("1605", "health")],
        "people_in_need": 7,
        "monthly_capacity": 0,
        "gap": 7,
    }
    assert rows[("1602", "legal_aid")]["gap"] == 4 - 10
    assert (
        rows[("1601", "legal_aid")]["people_in_need"] == 0
        and rows[("1601", "legal_aid")]["gap"] == -10
    )
    gaps = [r["gap"] for r in report.json()["rows"]]
    assert gaps == sorted(gaps, reverse=True) and report.json()["rows"][0]["unit_code"] == "1605"
    assert report.json()["competences_to_build"] == [
        {"category_code": "health", "category_name": "Health", "people_in_need": 7}
    ]
    communes = client.get(
        f"/api/v1/platforms/{cat.w.coss.id}/service-gaps?level=commune", headers=h
    ).json()
    by_commune = {(r["unit_code"], r["category_code"]): r for r in communes["rows"]}
    assert by_commune[("160501", "legal_aid")]["people_in_need"] == 10
    assert by_commune[("160501", "legal_aid")]["monthly_capacity"] == 18  # 10 + 5 + 3
    assert by_commune[("160502", "legal_aid")]["monthly_capacity"] == 15
    assert by_commune[("160502", "legal_aid")]["gap"] == 5
    only_health = client.get(
        f"/api/v1/platforms/{cat.w.coss.id}/service-gaps?category_id={cat.categories['health'].id}",
        headers=h,
    ).json()
    assert {r["category_code"] for r in only_health["rows"]} == {"health"}


def test_gap_csv_download(client: TestClient, db: Session, cat: Catalogue) -> None:
    need(client, cat, db, "1605", "health", 7)
    cat.categories["health"].name = "=cmd|' /C calc'!A0"
    db.add(cat.categories["health"])
    db.commit()
    response = client.get(
        f"/api/v1/platforms/{cat.w.coss.id}/service-gaps",
        headers={**cat.w.h(cat.w.secretariat), "Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["unit_id", "unit_code", "unit_name"]
    assert rows[1][5] == "'=cmd|' /C calc'!A0"  # a formula-like cell is quoted
    assert rows[1][4] == "health" and rows[1][rows[0].index("gap")] == "7"
    assert "លំផាត់" in response.content.decode("utf-8-sig")


def test_gap_access_and_bad_input(client: TestClient, cat: Catalogue) -> None:
    url = f"/api/v1/platforms/{cat.w.coss.id}/service-gaps"
    assert_problem(client.get(url), 401, "not_authenticated")
    assert_problem(client.get(url, headers=cat.w.h(cat.w.stranger)), 404, "not_found")
    assert_problem(
        client.get(f"{url}?level=province", headers=cat.w.h(cat.w.secretariat)),
        422,
        "validation_failed",
    )
    assert_problem(
        client.get(f"{url}?category_id={uuid.uuid4()}", headers=cat.w.h(cat.w.secretariat)),
        422,
        "validation_failed",
    )
