"""The indicators of a platform over a period, against the hand-counted fixture of
conftest.py: values, targets, breakdowns, suppression, access and bad input."""

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state
from tests.reporting.conftest import People, assert_no_cell_recoverable, by_code, cells, ok


def test_people_indicators_hand_counted(client: TestClient, people: People) -> None:
    w = people.w
    report = ok(client.get(people.url, headers=w.h(w.secretariat)))
    assert (report["period_from"], report["period_to"]) == ("2026-01-01", "2026-12-31")
    rows = by_code(report)
    engaged = rows["people_engaged"]
    assert (engaged["value"], engaged["target"], engaged["met"]) == (19, 110, False)
    assert cells(engaged, "gender") == {"female": 10, "male": 9}
    # youth 3, unknown 1: hidden, and the rest with them (a subtraction would find them).
    assert set(cells(engaged, "youth").values()) == {None}
    assert set(cells(engaged, "indigenous").values()) == {None}
    assert cells(engaged, "disability") == {"unknown": 19}
    assert rows["women_share"]["value"] == round(10 / 19, 4)
    assert rows["women_share"]["met"] is True
    trained = rows["people_trained"]
    assert (trained["value"], trained["target"], trained["met"]) == (17, 110, False)
    assert cells(trained, "gender") == {"female": 9, "male": 8}
    assert rows["trained_women_share"]["value"] == round(9 / 17, 4)
    assert_no_cell_recoverable(report)


def test_organisation_indicators_hand_counted(client: TestClient, people: People) -> None:
    w = people.w
    rows = by_code(ok(client.get(people.url, headers=w.h(w.observer))))
    members = rows["member_organisations"]
    assert members["value"] == 1
    assert cells(members, "stakeholder_kind") == {"cso": 1}
    assert cells(members, "district") == {"1605": 1}
    assert cells(members, "commune") == {"160501": 1}
    district = next(b for b in members["breakdowns"] if b["dimension"] == "district")
    assert district["cells"][0]["label"]
    agriculture = rows["member_csos_agriculture"]
    assert (agriculture["value"], agriculture["target"], agriculture["met"]) == (1, 15, False)
    assert rows["member_csos_environment"]["value"] == 0
    assert rows["member_las_commune"]["value"] == 0
    # The COSS's own indicators are not a PLASED's.
    assert "referrals_made" not in rows and "coss_member_csos" not in rows


def test_the_period_is_honoured(client: TestClient, people: People) -> None:
    w = people.w
    url = f"/api/v1/platforms/{w.plased.id}/indicators"
    rows = by_code(ok(client.get(f"{url}?from=2025-01-01&to=2025-12-31", headers=w.h(w.admin))))
    # Only J was trained in 2025: one person, not published; nobody was a member yet.
    assert rows["people_trained"]["value"] is None and rows["people_trained"]["suppressed"]
    assert rows["people_trained"]["met"] is None
    assert set(cells(rows["people_trained"], "gender").values()) == {None}
    assert rows["member_organisations"]["value"] == 0
    assert rows["trained_women_share"]["value"] is None
    # From a day only: T2 (2026-04-15) and what follows.
    rows = by_code(ok(client.get(f"{url}?from=2026-04-01", headers=w.h(w.admin))))
    assert rows["people_trained"]["value"] is None  # D E G and A: 4
    rows = by_code(ok(client.get(f"{url}?to=2026-03-10", headers=w.h(w.admin))))
    assert rows["people_trained"]["value"] == 15  # J, then T1's 14
    # Without a period: everything so far.
    rows = by_code(ok(client.get(url, headers=w.h(w.admin))))
    assert rows["people_trained"]["value"] == 18


def test_only_the_indicators_asked_for(client: TestClient, people: People) -> None:
    w = people.w
    url = f"{people.url}&indicator=women_share&indicator=people_trained"
    report = ok(client.get(url, headers=w.h(w.secretariat)))
    assert [r["code"] for r in report["indicators"]] == ["women_share", "people_trained"]


def test_access(client: TestClient, people: People) -> None:
    w = people.w
    assert_problem(client.get(people.url), 401, "not_authenticated")
    assert_problem(client.get(people.url, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.get(people.url, headers=w.h(w.facilitator)), 403, "forbidden")
    other = f"/api/v1/platforms/{w.other.id}/indicators"
    assert_problem(client.get(other, headers=w.h(w.secretariat)), 404, "not_found")
    # Organisation staff: the same values, no breakdown below district level.
    staff = by_code(ok(client.get(people.url, headers=w.h(w.staff))))
    dimensions = [b["dimension"] for b in staff["member_organisations"]["breakdowns"]]
    assert dimensions == ["stakeholder_kind", "district"]
    assert staff["people_engaged"]["value"] == 19


def test_bad_input_is_refused(client: TestClient, people: People, engine: Engine) -> None:
    w = people.w
    h = w.h(w.secretariat)
    url = f"/api/v1/platforms/{w.plased.id}/indicators"
    before = database_state(engine)
    problem = assert_problem(
        client.get(f"{url}?from=2026-12-31&to=2026-01-01", headers=h), 422, "validation_failed"
    )
    assert problem["errors"][0]["code"] == "period_inverted"
    problem = assert_problem(
        client.get(f"{url}?indicator=nope", headers=h), 422, "validation_failed"
    )
    assert problem["errors"][0] == {
        "pointer": "/query/indicator",
        "code": "unknown_indicator",
        "message": problem["errors"][0]["message"],
    }
    # A COSS's indicator on a PLASED is unknown there too.
    assert_problem(
        client.get(f"{url}?indicator=referrals_made", headers=h), 422, "validation_failed"
    )
    problem = assert_problem(
        client.get(f"{url}?since=2026-01-01", headers=h), 422, "validation_failed"
    )
    assert problem["errors"][0]["pointer"] == "/query/since"
    assert problem["errors"][0]["code"] == "unknown_parameter"
    for bad in ("from=yesterday", "to=2026-02-30", "from=0999-01-01"):
        assert_problem(client.get(f"{url}?{bad}", headers=h), 422, "validation_failed")
    assert database_state(engine) == before


def test_catalogue(client: TestClient, people: People) -> None:
    w = people.w
    assert_problem(client.get("/api/v1/indicators"), 401, "not_authenticated")
    catalogue = ok(client.get("/api/v1/indicators?limit=200", headers=w.h(w.staff)))["items"]
    codes = {row["code"] for row in catalogue}
    assert {"people_engaged", "people_trained", "referrals_made", "board_women_share"} <= codes
    for row in catalogue:
        assert row["title"] and row["title_km"] and row["definition"]
        assert row["unit"] in {"people", "organisations", "number", "referrals", "share", "hours"}
        assert row["direction"] in {"up", "down"}
    for bad in ("sort=title", "kind=coss", "updated_since=2026-01-01T00:00:00Z"):
        assert_problem(
            client.get(f"/api/v1/indicators?{bad}", headers=w.h(w.staff)), 422, "validation_failed"
        )
