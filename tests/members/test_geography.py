"""The shipped geography: official codes, Khmer names, public listing."""

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from plased.members.models import AdminUnit
from tests.factories import unit
from tests.helpers import assert_problem


def test_seed_counts_and_nesting(db: Session) -> None:
    counts = dict(db.exec(select(AdminUnit.level, func.count()).group_by(AdminUnit.level)).all())
    assert counts == {"province": 25, "district": 9, "commune": 50, "village": 243}
    ratanakiri = unit(db, "16")
    assert ratanakiri.name_km == "រតនគិរី"
    ban_lung = unit(db, "1602")
    assert ban_lung.parent_id == ratanakiri.id and ban_lung.name == "Ban Lung"
    # Every unit below the province has a parent whose code prefixes its own.
    parents = {u.id: u for u in db.exec(select(AdminUnit)).all()}
    for child in parents.values():
        if child.level != "province":
            assert child.code.startswith(parents[child.parent_id].code)  # type: ignore[index]


def test_public_listing_and_filters(client: TestClient, db: Session) -> None:
    districts = client.get("/api/v1/geography?level=district&limit=200")
    assert districts.status_code == 200
    assert districts.json()["total"] == 9
    ban_lung = unit(db, "1602")
    communes = client.get(f"/api/v1/geography?parent={ban_lung.id}").json()
    assert [c["code"] for c in communes["items"]] == ["160201", "160202", "160203", "160204"]
    assert client.get("/api/v1/geography?q=បានលុង").json()["total"] >= 1
    assert (
        client.get("/api/v1/geography?q=veun sai&level=district").json()["items"][0]["code"]
        == "1609"
    )
    assert client.get("/api/v1/geography?q=16&level=district").json()["total"] == 9
    assert client.get("/api/v1/geography?sort=-name&level=province").json()["items"][0]["name"]
    assert_problem(client.get("/api/v1/geography?level=hamlet"), 422, "validation_failed")
    assert_problem(client.get("/api/v1/geography?sort=level"), 422, "validation_failed")
