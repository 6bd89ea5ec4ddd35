"""Targets per indicator: baseline, target value and period set by the secretariat, in the
indicator's unit, with every setting kept; the indicators compare with the target of the
period asked for."""

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state
from tests.reporting.conftest import People, by_code, ok


def test_targets_are_set_with_their_history(client: TestClient, people: People) -> None:
    w = people.w
    base = f"/api/v1/platforms/{w.plased.id}/targets"
    sec = w.h(w.secretariat)
    seeded = {
        t["indicator_code"]: t for t in ok(client.get(f"{base}?limit=200", headers=sec))["items"]
    }
    assert seeded["people_trained"]["target_value"] == 110
    assert seeded["member_las_commune"]["target_value"] == 50
    changed = client.patch(
        f"{base}/people_trained",
        json={"baseline": 20, "target_value": 150, "period_start": "2026-01-01",
              "period_end": "2026-12-31"},
        headers={**sec, "If-Match": '"1"'},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["baseline"] == 20 and changed.headers["ETag"] == '"2"'
    ok(client.patch(f"{base}/people_trained", json={"target_value": 160}, headers=sec))
    history = ok(client.get(f"{base}/people_trained/history", headers=w.h(w.observer)))
    assert [(h["version"], h["target_value"], h["baseline"]) for h in history["items"]] == [
        (1, 110, None),
        (2, 150, 20),
        (3, 160, 20),
    ]
    assert history["items"][2]["changed_by_id"] == str(w.secretariat.id)
    # The indicators compare with it in a period its own overlaps, and with none outside.
    indicators = f"/api/v1/platforms/{w.plased.id}/indicators"
    row = by_code(ok(client.get(f"{indicators}?from=2026-06-01&to=2026-06-30", headers=sec)))[
        "people_trained"
    ]
    assert (row["baseline"], row["target"], row["target_period_end"]) == (20, 160, "2026-12-31")
    row = by_code(ok(client.get(f"{indicators}?from=2027-01-01", headers=sec)))["people_trained"]
    assert (row["target"], row["met"]) == (None, None)


def test_target_of_an_indicator_without_one(client: TestClient, people: People) -> None:
    """Services published is a COSS's indicator; initiatives completed has no seeded target."""
    w = people.w
    url = f"/api/v1/platforms/{w.plased.id}/targets/initiatives_completed"
    sec = w.h(w.secretariat)
    assert_problem(client.patch(url, json={"baseline": 0}, headers=sec), 422, "validation_failed")
    made = ok(client.patch(url, json={"target_value": 2}, headers=sec))
    assert (made["target_value"], made["version"]) == (2, 1)
    row = by_code(ok(client.get(f"/api/v1/platforms/{w.plased.id}/indicators", headers=sec)))[
        "initiatives_completed"
    ]
    assert (row["value"], row["target"], row["met"]) == (0, 2, False)
    coss_only = f"/api/v1/platforms/{w.plased.id}/targets/services_published"
    assert_problem(client.patch(coss_only, json={"target_value": 2}, headers=sec), 404, "not_found")


def test_targets_refuse_the_wrong_unit(client: TestClient, people: People, engine: Engine) -> None:
    w = people.w
    base = f"/api/v1/platforms/{w.plased.id}/targets"
    sec = w.h(w.secretariat)
    before = database_state(engine)
    for code, body, pointer in (
        ("women_share", {"target_value": 40}, "/body/target_value"),
        ("people_engaged", {"target_value": 110.5}, "/body/target_value"),
        ("people_engaged", {"baseline": 0.5}, "/body/baseline"),
    ):
        problem = assert_problem(
            client.patch(f"{base}/{code}", json=body, headers=sec), 422, "validation_failed"
        )
        assert problem["errors"][0]["pointer"] == pointer
        assert problem["errors"][0]["code"] == "wrong_unit"
    km = client.patch(
        f"{base}/women_share", json={"target_value": 40}, headers={**sec, "Accept-Language": "km"}
    )
    assert km.json()["errors"][0]["code"] == "wrong_unit"
    for user, status, code in (
        (w.observer, 403, "forbidden"),
        (w.staff, 403, "forbidden"),
        (w.stranger, 404, "not_found"),
    ):
        assert_problem(
            client.patch(f"{base}/women_share", json={"target_value": 0.5}, headers=w.h(user)),
            status,
            code,
        )
    assert_problem(client.get(f"{base}/nope/history", headers=sec), 404, "not_found")
    assert_problem(client.get(f"{base}/women_share/history"), 401, "not_authenticated")
    assert database_state(engine) == before
