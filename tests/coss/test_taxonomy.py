import uuid

from fastapi.testclient import TestClient

from tests.helpers import assert_problem
from tests.worlds import Catalogue


def test_seeded_public_taxonomy(client: TestClient, cat: Catalogue) -> None:
    response = client.get(f"/api/v1/platforms/{cat.w.coss.id}/service-categories?limit=200")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == response.json()["total"]
    top = [c for c in items if c["parent_id"] is None]
    assert len(top) == 11
    codes = {c["code"] for c in items}
    assert {"microfinance", "psycho_social_support", "legal_aid", "gbv_response"} <= codes
    assert all(c["name_km"] for c in items)
    assert_problem(
        client.get(f"/api/v1/platforms/{uuid.uuid4()}/service-categories"), 404, "not_found"
    )


def test_secretariat_edits_taxonomy(client: TestClient, cat: Catalogue) -> None:
    url = f"/api/v1/platforms/{cat.w.coss.id}/service-categories"
    parent = cat.categories["legal_aid"]
    body = {
        "code": "land_rights",
        "name": "Land rights",
        "name_km": "សិទ្ធិដីធ្លី",
        "parent_id": str(parent.id),
    }
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    assert_problem(
        client.post(url, json=body, headers=cat.w.h(cat.provider_staff)), 403, "forbidden"
    )
    assert_problem(client.post(url, json=body, headers=cat.w.h(cat.w.stranger)), 404, "not_found")
    created = client.post(url, json=body, headers=cat.w.h(cat.w.secretariat))
    assert created.status_code == 201, created.text
    assert_problem(
        client.post(url, json=body, headers=cat.w.h(cat.w.secretariat)), 409, "category_exists"
    )
    deeper = {"code": "deeper", "name": "Deeper", "parent_id": created.json()["id"]}
    assert_problem(
        client.post(url, json=deeper, headers=cat.w.h(cat.w.secretariat)), 422, "validation_failed"
    )
    for bad in (
        {"code": "Bad Code", "name": "X"},
        {"code": "ok_code", "name": ""},
        {"code": "x", "name": "X"},
    ):
        assert_problem(
            client.post(url, json=bad, headers=cat.w.h(cat.w.secretariat)), 422, "validation_failed"
        )
    patch_url = f"/api/v1/service-categories/{parent.id}"
    stale = client.patch(
        patch_url,
        json={"name": "Legal help"},
        headers={**cat.w.h(cat.w.secretariat), "If-Match": '"5"'},
    )
    assert_problem(stale, 412, "precondition_failed")
    ok = client.patch(patch_url, json={"name": "Legal help"}, headers=cat.w.h(cat.w.secretariat))
    assert ok.status_code == 200 and ok.json()["name"] == "Legal help"
    assert_problem(
        client.patch(patch_url, json={"name": "X"}, headers=cat.w.h(cat.w.observer)),
        403,
        "forbidden",
    )
    assert_problem(
        client.patch(patch_url, json={"name": "X"}, headers=cat.w.h(cat.w.stranger)),
        404,
        "not_found",
    )
