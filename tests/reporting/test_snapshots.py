"""Snapshots: the indicators of a period frozen for a report, never changed afterwards, and
compared with the live values."""

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state
from tests.reporting.conftest import People, by_code, meeting, ok, person

BODY = {"period_from": "2026-01-01", "period_to": "2026-12-31", "title": "Donor report 2026"}


def test_a_snapshot_is_frozen_and_compared(client: TestClient, people: People) -> None:
    w = people.w
    url = f"/api/v1/platforms/{w.plased.id}/indicator-snapshots"
    h = {**w.h(w.secretariat), "Idempotency-Key": "snap-1"}
    made = client.post(url, json={**BODY, "title_km": "របាយការណ៍"}, headers=h)
    assert made.status_code == 201, made.text
    snapshot = made.json()
    assert made.headers["Location"] == f"{url}/{snapshot['id']}"
    frozen = by_code(snapshot["report"])
    assert frozen["people_trained"]["value"] == 17
    # A retry answers the first response; the same key with another body is refused.
    again = client.post(url, json={**BODY, "title_km": "របាយការណ៍"}, headers=h)
    assert again.status_code == 201 and again.json() == snapshot
    assert_problem(
        client.post(url, json={**BODY, "title": "Other"}, headers=h), 422, "idempotency_key_reused"
    )

    # Five more people trained in 2026: the live value moves, the snapshot does not.
    newcomers = [person(client, w, "female", 1990) for _ in range(5)]
    committee = ok(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/bodies",
            json={"kind": "committee", "name": "Second committee"},
            headers=w.h(w.secretariat),
        ),
        201,
    )["id"]
    meeting(client, w, committee, "2026-06-01", [(p, "present", None) for p in newcomers])
    read = ok(client.get(f"{url}/{snapshot['id']}", headers=w.h(w.observer)))
    assert read["report"] == snapshot["report"]
    comparison = ok(client.get(f"{url}/{snapshot['id']}/comparison", headers=w.h(w.observer)))
    rows = {r["code"]: r for r in comparison["rows"]}
    assert (rows["people_trained"]["frozen"], rows["people_trained"]["live"]) == (17, 22)
    assert rows["people_trained"]["difference"] == 5
    assert rows["member_organisations"]["difference"] == 0
    assert comparison["period_from"] == "2026-01-01"

    listed = ok(client.get(url, headers=w.h(w.observer)))
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Donor report 2026"
    assert "report" not in listed["items"][0]
    # Organisation staff read it without the breakdowns below district level.
    staff = ok(client.get(f"{url}/{snapshot['id']}", headers=w.h(w.staff)))
    dims = [b["dimension"] for b in by_code(staff["report"])["member_organisations"]["breakdowns"]]
    assert "commune" not in dims
    # Never changed: no route changes or removes it.
    for method in ("patch", "put", "delete"):
        response = getattr(client, method)(f"{url}/{snapshot['id']}", headers=w.h(w.admin))
        assert response.status_code == 405


def test_snapshot_access_and_bad_input(client: TestClient, people: People, engine: Engine) -> None:
    w = people.w
    url = f"/api/v1/platforms/{w.plased.id}/indicator-snapshots"
    before = database_state(engine)
    assert_problem(client.post(url, json=BODY), 401, "not_authenticated")
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.post(url, json=BODY, headers=w.h(user)), 403, "forbidden")
    assert_problem(client.post(url, json=BODY, headers=w.h(w.stranger)), 404, "not_found")
    sec = w.h(w.secretariat)
    for bad in (
        {**BODY, "period_from": "2027-01-01"},
        {**BODY, "title": ""},
        {**BODY, "title": "x" * 201},
        {**BODY, "report": {}},
        {"period_from": "2026-01-01"},
        {**BODY, "period_to": "not a day"},
    ):
        assert_problem(client.post(url, json=bad, headers=sec), 422, "validation_failed")
    assert database_state(engine) == before
    made = ok(client.post(url, json=BODY, headers=sec), 201)
    other = f"/api/v1/platforms/{w.other.id}/indicator-snapshots"
    assert_problem(client.get(f"{other}/{made['id']}", headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.get(f"{url}/{made['id']}", headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.get(url, headers=w.h(w.facilitator)), 403, "forbidden")
    assert_problem(client.get(f"{url}/{made['id']}"), 401, "not_authenticated")
    assert_problem(client.get(f"{url}/{w.plased.id}/comparison", headers=sec), 404, "not_found")
    # An open period is allowed; an empty one gives zeros.
    empty = ok(
        client.post(url, json={"period_to": "2020-01-01", "title": "Before"}, headers=sec), 201
    )
    assert by_code(empty["report"])["people_engaged"]["value"] == 0
