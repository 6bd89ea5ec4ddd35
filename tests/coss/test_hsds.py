"""The HSDS export carries every field the HSDS 3 schemas require, with their enums."""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.helpers import assert_problem
from tests.worlds import SERVICES as URL
from tests.worlds import Catalogue, service_body

# The "required" lists of the Open Referral HSDS 3 JSON schemas for the records exported.
REQUIRED = {
    "organizations": {"id", "name", "description"},
    "services": {"id", "name", "status"},
    "service_areas": {"id"},
    "taxonomy_terms": {"id", "name", "description"},
    "languages": {"id"},
    "attributes": {"id", "taxonomy_term_id"},
    "locations": {"id", "location_type"},
}
SERVICE_STATUS = {"active", "inactive", "defunct", "temporarily closed"}


def test_export_shape(client: TestClient, db: Session, cat: Catalogue) -> None:
    h = cat.w.h(cat.w.secretariat)
    client.post(URL, json=service_body(cat, db, status="published"), headers=h)
    client.post(URL, json=service_body(cat, db, name="Hidden draft"), headers=h)
    cat.provider.address = "Ban Lung, Ratanakiri"
    db.add(cat.provider)
    db.commit()
    response = client.get(f"/api/v1/platforms/{cat.w.coss.id}/services.hsds.json")
    assert response.status_code == 200
    data = response.json()
    assert data["hsds_version"] == "3.0"
    for table, required in REQUIRED.items():
        for record in data[table]:
            missing = {f for f in required if record.get(f) in (None, "")}
            assert not missing, (table, missing)
            uuid.UUID(record["id"])
    assert [s["name"] for s in data["services"]] == ["Free legal advice"]
    service = data["services"][0]
    assert service["status"] in SERVICE_STATUS
    assert service["organization_id"] in {o["id"] for o in data["organizations"]}
    assert {a["service_id"] for a in data["service_areas"]} == {service["id"]}
    assert {lang["code"] for lang in data["languages"]} == {"km", "tpu"}
    term_ids = {t["id"] for t in data["taxonomy_terms"]}
    assert all(a["taxonomy_term_id"] in term_ids for a in data["attributes"])
    assert data["locations"][0]["organization_id"] == str(cat.provider.id)
    assert "Hidden draft" not in response.text
    assert_problem(
        client.get(f"/api/v1/platforms/{uuid.uuid4()}/services.hsds.json"), 404, "not_found"
    )
