"""Community mapping through the API: CBO profiles and their health score, mapping
campaigns, advocacy plans on their life cycle, who may do what, bad input that changes
nothing, the summary by district against a hand-counted fixture, and the one-winner race."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from plased.members.geography import unit_id
from tests.helpers import assert_problem, created, database_state
from tests.worlds import World

ORGANISATIONS = "/api/v1/organisations"


def village(code: str) -> str:
    return str(unit_id(code))


@dataclass
class Setup:
    w: World
    authority: str  # the commune council of Ka Laeng (Lumphat)

    @property
    def sec(self) -> dict[str, str]:
        return self.w.h(self.w.secretariat)

    @property
    def campaigns(self) -> str:
        return f"/api/v1/platforms/{self.w.plased.id}/mapping-campaigns"

    def cbo(self, client: TestClient, name: str, **fields: Any) -> str:
        body = {"platform_id": str(self.w.plased.id), "name": name, "kind": "cso", "sector": "cbo"}
        return str(
            created(client.post(ORGANISATIONS, json={**body, **fields}, headers=self.sec))["id"]
        )


@pytest.fixture
def setup(client: TestClient, world: World) -> Setup:
    authority = created(
        client.post(
            ORGANISATIONS,
            json={
                "platform_id": str(world.plased.id),
                "name": "Ka Laeng Commune Council",
                "kind": "local_authority",
                "la_level": "commune",
                "unit_id": str(unit_id("160502")),
            },
            headers=world.h(world.secretariat),
        )
    )["id"]
    return Setup(w=world, authority=authority)


def _profile(code: str = "16050201", **fields: Any) -> dict[str, Any]:
    return {
        "village_id": village(code),
        "members_count": 24,
        "women_members": 15,
        "focus": ["savings_credit", "women"],
        "year_founded": 2015,
        "health": {"has_statutes": True, "elected_leaders": True, "meets_regularly": True,
                   "keeps_accounts": True},
        **fields,
    }  # fmt: skip


def _put(client: TestClient, s: Setup, cbo: str, **fields: Any) -> dict[str, Any]:
    answer = client.put(
        f"{ORGANISATIONS}/{cbo}/cbo-profile", json=_profile(**fields), headers=s.sec
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _plan(client: TestClient, s: Setup, cbo: str, **fields: Any) -> dict[str, Any]:
    body = {"issue": "A bridge to the district market", "target_organisation_id": s.authority}
    answer = client.post(
        f"{ORGANISATIONS}/{cbo}/advocacy-plans", json={**body, **fields}, headers=s.sec
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _act(client: TestClient, s: Setup, plan: str, action: str, **body: Any) -> Any:
    return client.post(f"/api/v1/advocacy-plans/{plan}/{action}", json=body or None, headers=s.sec)


def test_cbo_profiles(client: TestClient, setup: Setup, engine: Engine) -> None:
    s, w = setup, setup.w
    cbo = s.cbo(client, "Sayas Women's Savings Group")
    url = f"{ORGANISATIONS}/{cbo}/cbo-profile"
    assert_problem(client.get(url, headers=s.sec), 404, "not_found")  # not mapped yet
    profile = _put(client, s, cbo)
    # Four of six checklist items: 66.7, rounded down.
    assert (profile["health_score"], profile["district_code"], profile["district_name"]) == (
        66,
        "1605",
        "Lumphat",
    )
    assert profile["village_name"] == "Sayas" and profile["plans"] == 0
    assert profile["health"]["has_bank_account"] is False and profile["version"] == 1
    for user in (w.observer, w.staff, w.facilitator):
        read = client.get(url, headers=w.h(user))
        assert read.status_code == 200 and read.json()["members_count"] == 24
    replaced = client.put(
        url,
        json=_profile(health=dict.fromkeys(profile["health"], True), focus=["water", "water"]),
        headers={**s.sec, "If-Match": '"1"'},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["health_score"] == 100 and replaced.json()["focus"] == ["water"]
    assert replaced.headers["ETag"] == '"2"'
    assert_problem(
        client.put(url, json=_profile(), headers={**s.sec, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )

    # Who may: anonymous 401; readers but not the secretariat 403; another platform 404.
    assert_problem(client.get(url), 401, "not_authenticated")
    assert_problem(client.put(url, json=_profile()), 401, "not_authenticated")
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.put(url, json=_profile(), headers=w.h(user)), 403, "forbidden")
    for method in ("GET", "PUT"):
        real = client.request(method, url, json=_profile(), headers=w.h(w.stranger))
        missing = client.request(
            method, f"{ORGANISATIONS}/{w.plased.id}/cbo-profile", json=_profile(),
            headers=w.h(w.stranger),
        )  # fmt: skip
        assert_problem(real, 404, "not_found")
        assert real.json()["detail"] == missing.json()["detail"]

    # Bad input changes nothing.
    before = database_state(engine)
    refused = assert_problem(
        client.put(f"{ORGANISATIONS}/{w.org.id}/cbo-profile", json=_profile(), headers=s.sec),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["pointer"] == "/path/cbo_id"
    assert refused["errors"][0]["code"] == "not_a_cbo"
    next_year = date.today().year + 1
    for bad, pointer, code in (
        ({"village_id": str(unit_id("160502"))}, "/body/village_id", "not_a_village"),
        ({"village_id": cbo}, "/body/village_id", "unknown_unit"),
        ({"women_members": 25}, "/body/women_members", "women_exceed_members"),
        ({"year_founded": next_year}, "/body/year_founded", "founded_in_future"),
        ({"year_founded": 1899}, "/body/year_founded", "greater_than_equal"),
        ({"members_count": 0}, "/body/members_count", "greater_than_equal"),
        ({"focus": ["weaving"]}, "/body/focus/0", "enum"),
        ({"health": {"has_office": True}}, "/body/health/has_office", "extra_forbidden"),
        ({"health_score": 100}, "/body/health_score", "extra_forbidden"),
    ):
        refused = assert_problem(
            client.put(url, json=_profile(**bad), headers=s.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    khmer = client.put(
        url, json=_profile(women_members=99), headers={**s.sec, "Accept-Language": "km"}
    ).json()
    assert khmer["errors"][0]["code"] == "women_exceed_members"
    assert khmer["errors"][0]["message"] == "ចំនួនសមាជិកស្ត្រីមិនអាចលើសចំនួនសមាជិកសរុបបានទេ។"
    assert database_state(engine) == before

    # The list, by name, filtered by district.
    other = s.cbo(client, "Kak Water Users")
    _put(client, s, other, code="16030104")
    listing = f"/api/v1/platforms/{w.plased.id}/cbo-profiles"
    names = [p["name"] for p in client.get(listing, headers=w.h(w.observer)).json()["items"]]
    assert names == ["Kak Water Users", "Sayas Women's Savings Group"]
    lumphat = client.get(listing, params={"district_code": "1605"}, headers=s.sec).json()
    assert [p["organisation_id"] for p in lumphat["items"]] == [cbo]
    assert_problem(client.get(listing, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(
        client.get(listing, params={"district_code": "Lumphat"}, headers=s.sec),
        422,
        "validation_failed",
    )


def test_mapping_campaigns(client: TestClient, setup: Setup, engine: Engine) -> None:
    s, w = setup, setup.w
    profiled = s.cbo(client, "Sayas Women's Savings Group")
    _put(client, s, profiled)
    elsewhere = s.cbo(client, "Kak Water Users")
    _put(client, s, elsewhere, code="16030104")
    unprofiled = s.cbo(client, "Ka Laeng Youth Group")
    body = {
        "name": "Lumphat mapping, dry season",
        "starts_on": "2026-01-05",
        "ends_on": "2026-01-20",
        "village_ids": [village("16050201"), village("16050202"), village("16050201")],
        "cbo_ids": [profiled, unprofiled],
    }
    made = client.post(s.campaigns, json=body, headers=s.sec)
    assert made.status_code == 201, made.text
    campaign = made.json()
    assert made.headers["Location"] == f"/api/v1/mapping-campaigns/{campaign['id']}"
    assert (campaign["villages_visited"], campaign["cbos_found"], campaign["cbos_profiled"]) == (
        2,
        2,
        1,
    )
    assert [x["code"] for x in campaign["warnings"]] == ["cbos_without_profile"]
    url = f"/api/v1/mapping-campaigns/{campaign['id']}"
    read = client.get(url, headers=w.h(w.observer))
    assert read.status_code == 200 and read.json()["village_ids"] == body["village_ids"][:2]
    _put(client, s, unprofiled, code="16050202")
    changed = client.patch(
        url, json={"cbo_ids": [profiled, unprofiled, elsewhere]},
        headers={**s.sec, "If-Match": '"1"'},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["cbos_profiled"] == 3
    assert [x["code"] for x in changed.json()["warnings"]] == ["cbo_outside_visited_villages"]
    assert_problem(
        client.patch(url, json={"notes": "x"}, headers={**s.sec, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )
    listed = client.get(s.campaigns, headers=w.h(w.staff)).json()
    assert [c["id"] for c in listed["items"]] == [campaign["id"]]

    # Who may.
    assert_problem(client.get(s.campaigns), 401, "not_authenticated")
    assert_problem(client.get(url), 401, "not_authenticated")
    assert_problem(client.post(s.campaigns, json=body), 401, "not_authenticated")
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.post(s.campaigns, json=body, headers=w.h(user)), 403, "forbidden")
        assert_problem(client.patch(url, json={"notes": "x"}, headers=w.h(user)), 403, "forbidden")
    stranger = w.h(w.stranger)
    assert_problem(client.get(url, headers=stranger), 404, "not_found")
    assert_problem(client.patch(url, json={"notes": "x"}, headers=stranger), 404, "not_found")
    assert_problem(client.post(s.campaigns, json=body, headers=stranger), 404, "not_found")
    assert_problem(client.get(s.campaigns, headers=stranger), 404, "not_found")

    # Bad input changes nothing.
    foreign = created(
        client.post(
            ORGANISATIONS,
            json={
                "platform_id": str(w.other.id),
                "name": "Far CBO",
                "kind": "cso",
                "sector": "cbo",
            },
            headers=stranger,
        )
    )["id"]
    before = database_state(engine)
    for bad, pointer, code in (
        ({"village_ids": [village("16050201"), str(unit_id("1605"))]}, "/body/village_ids/1",
         "not_a_village"),
        ({"cbo_ids": [profiled, foreign]}, "/body/cbo_ids/1", "unknown_organisation"),
        ({"cbo_ids": [str(w.org.id)]}, "/body/cbo_ids/0", "not_a_cbo"),
        ({"ends_on": "2026-01-01"}, "/body/ends_on", "period_inverted"),
        ({"starts_on": "2026-02-30"}, "/body/starts_on", "date_from_datetime_parsing"),
        ({"name": ""}, "/body/name", "string_too_short"),
    ):  # fmt: skip
        refused = assert_problem(
            client.post(s.campaigns, json={**body, **bad}, headers=s.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    assert_problem(
        client.patch(url, json={"starts_on": "2026-02-01"}, headers=s.sec), 422, "validation_failed"
    )
    assert_problem(client.patch(url, json={"name": None}, headers=s.sec), 422, "validation_failed")
    assert database_state(engine) == before


def test_advocacy_plan_life_cycle(client: TestClient, setup: Setup, engine: Engine) -> None:
    s, w = setup, setup.w
    cbo = s.cbo(client, "Sayas Women's Savings Group")
    plans = f"{ORGANISATIONS}/{cbo}/advocacy-plans"
    body = {"issue": "A bridge to the district market", "target_organisation_id": s.authority}
    # A CBO is mapped before it plans.
    assert_problem(client.post(plans, json=body, headers=s.sec), 404, "not_found")
    _put(client, s, cbo)
    made = client.post(plans, json={**body, "issue_km": "ស្ពានទៅផ្សារស្រុក"}, headers=s.sec)
    assert made.status_code == 201, made.text
    plan = made.json()
    pid = plan["id"]
    url = f"/api/v1/advocacy-plans/{pid}"
    assert made.headers["Location"] == url
    assert plan["status"] == "drafted" and plan["target_body"] is None
    khmer = client.get(url, headers={**w.h(w.observer), "Accept-Language": "km"})
    assert khmer.status_code == 200 and khmer.json()["display_issue"] == "ស្ពានទៅផ្សារស្រុក"

    # Only a submitted plan gets an answer; turning down needs a note.
    for action in ("take-up", "turn-down"):
        refused = assert_problem(_act(client, s, pid, action, note="x"), 409, "invalid_transition")
        assert refused["current_status"] == "drafted"
    retargeted = client.patch(
        url, json={"target_organisation_id": None, "target_body": "Ministry of Rural Development"},
        headers={**s.sec, "If-Match": '"1"'},
    )  # fmt: skip
    assert retargeted.status_code == 200, retargeted.text
    assert retargeted.json()["target_organisation_id"] is None
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.post(f"{url}/submit", headers=w.h(user)), 403, "forbidden")
    assert_problem(client.post(f"{url}/submit", headers=w.h(w.stranger)), 404, "not_found")
    submitted = _act(client, s, pid, "submit")
    assert submitted.status_code == 200 and submitted.json()["submitted_at"]
    assert_problem(_act(client, s, pid, "submit"), 409, "invalid_transition")
    closed = assert_problem(
        client.patch(url, json={"issue": "Another"}, headers=s.sec), 409, "plan_not_draft"
    )
    assert closed["current_status"] == "submitted"
    assert_problem(_act(client, s, pid, "turn-down"), 422, "validation_failed")
    taken = _act(client, s, pid, "take-up", note="On the commune investment plan")
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "taken_up" and taken.json()["decided_at"]
    assert taken.json()["outcome_note"] == "On the commune investment plan"
    assert_problem(_act(client, s, pid, "turn-down", note="x"), 409, "invalid_transition")
    history = client.get(f"{url}/history", headers=w.h(w.staff)).json()["items"]
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "drafted"),
        ("drafted", "submitted"),
        ("submitted", "taken_up"),
    ]
    second = _plan(client, s, cbo, target_organisation_id=None, target_body="National Assembly")
    _act(client, s, second["id"], "submit")
    turned = _act(client, s, second["id"], "turn-down", note="Outside its mandate")
    assert turned.json()["status"] == "not_taken_up"
    listed = client.get(plans, headers=w.h(w.observer)).json()["items"]
    assert [p["id"] for p in listed] == [pid, second["id"]]
    assert client.get(f"{ORGANISATIONS}/{cbo}/cbo-profile", headers=s.sec).json()["plans"] == 2

    # Who may.
    assert_problem(client.get(url), 401, "not_authenticated")
    assert_problem(client.get(plans), 401, "not_authenticated")
    for path in (url, plans, f"{url}/history"):
        assert_problem(client.get(path, headers=w.h(w.stranger)), 404, "not_found")
    for user in (w.observer, w.staff):
        assert_problem(client.post(plans, json=body, headers=w.h(user)), 403, "forbidden")
    assert_problem(client.get(f"/api/v1/advocacy-plans/{cbo}", headers=s.sec), 404, "not_found")

    # Bad input changes nothing.
    draft = _plan(client, s, cbo)
    before = database_state(engine)
    for bad, code in (
        ({"target_organisation_id": None}, "target_exactly_one"),
        ({"target_body": "Ministry of Interior"}, "target_exactly_one"),
        ({"target_organisation_id": str(w.org.id)}, "not_a_local_authority"),
        ({"target_organisation_id": pid}, "unknown_organisation"),
    ):
        refused = assert_problem(
            client.post(plans, json={**body, **bad}, headers=s.sec), 422, "validation_failed"
        )
        assert refused["errors"][0] == {
            "pointer": "/body/target_organisation_id",
            "code": code,
            "message": refused["errors"][0]["message"],
        }
    assert_problem(
        client.patch(
            f"/api/v1/advocacy-plans/{draft['id']}", json={"target_body": "Ministry"},
            headers=s.sec,
        ),
        422,
        "validation_failed",
    )  # fmt: skip
    assert_problem(
        client.post(plans, json={**body, "status": "taken_up"}, headers=s.sec),
        422,
        "validation_failed",
    )
    assert database_state(engine) == before


def test_summary_by_district_hand_counted(client: TestClient, setup: Setup) -> None:
    """Lumphat: three CBOs mapped, two with plans (one submitted, one taken up), one taken
    up. Veun Sai: two mapped, both with plans (one drafted; one with a plan turned down and
    another taken up), one taken up. Bar Kaev: one mapped, its plan turned down. A CBO found
    without a profile and another platform's CBO do not count. Totals: 6, 5, 2."""
    s, w = setup, setup.w

    def mapped(name: str, code: str) -> str:
        cbo = s.cbo(client, name)
        _put(client, s, cbo, code=code)
        return cbo

    def plan(cbo: str, *actions: str) -> None:
        pid = _plan(client, s, cbo)["id"]
        for action in actions:
            note = {"note": "Answered"} if action != "submit" else {}
            assert _act(client, s, pid, action, **note).status_code == 200

    lumphat = [mapped(f"Lumphat CBO {n}", code) for n, code in
               enumerate(("16050201", "16050603", "16050101"))]  # fmt: skip
    plan(lumphat[0], "submit", "take-up")
    plan(lumphat[1], "submit")
    veun_sai = [mapped("Kaoh Peak Fishers", "16090601"), mapped("Veun Sai Weavers", "16091001")]
    plan(veun_sai[0], "submit", "turn-down")
    plan(veun_sai[0], "submit", "take-up")
    plan(veun_sai[1])
    bar_kaev = mapped("Kak Water Users", "16030104")
    plan(bar_kaev, "submit", "turn-down")
    s.cbo(client, "Found But Not Profiled")
    stranger = w.h(w.stranger)
    far = created(
        client.post(
            ORGANISATIONS,
            json={
                "platform_id": str(w.other.id),
                "name": "Far CBO",
                "kind": "cso",
                "sector": "cbo",
            },
            headers=stranger,
        )
    )["id"]
    assert client.put(
        f"{ORGANISATIONS}/{far}/cbo-profile", json=_profile(), headers=stranger
    ).is_success

    url = f"/api/v1/platforms/{w.plased.id}/cbo-mapping/summary"
    summary = client.get(url, headers=w.h(w.observer))
    assert summary.status_code == 200, summary.text
    rows = [
        (d["district_code"], d["district_name"], d["mapped"], d["with_plans"], d["advocated"])
        for d in summary.json()["districts"]
    ]
    assert rows == [
        ("1603", "Bar Kaev", 1, 1, 0),
        ("1605", "Lumphat", 3, 2, 1),
        ("1609", "Veun Sai", 2, 2, 1),
    ]
    totals = summary.json()
    assert (totals["mapped"], totals["with_plans"], totals["advocated"]) == (6, 5, 2)
    # The COSS branch shares its PLASED's organisations, so their mapping.
    coss = client.get(f"/api/v1/platforms/{w.coss.id}/cbo-mapping/summary", headers=s.sec)
    assert coss.json()["districts"] == summary.json()["districts"]
    other = client.get(f"/api/v1/platforms/{w.other.id}/cbo-mapping/summary", headers=stranger)
    assert other.json()["mapped"] == 1
    assert_problem(client.get(url), 401, "not_authenticated")
    assert_problem(client.get(url, headers=stranger), 404, "not_found")


def test_concurrent_answers_have_one_winner(
    client: TestClient, setup: Setup, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    s = setup
    cbo = s.cbo(client, "Sayas Women's Savings Group")
    _put(client, s, cbo)
    pid = _plan(client, s, cbo)["id"]
    assert _act(client, s, pid, "submit").status_code == 200

    def answer(n: int) -> int:
        action = "take-up" if n % 2 else "turn-down"
        return int(_act(client, s, pid, action, note="Answered").status_code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(answer, range(8)))
    assert statuses.count(200) == 1 and statuses.count(409) == 7
    events = client.get(f"/api/v1/advocacy-plans/{pid}/history", headers=s.sec).json()["items"]
    assert [e["from_status"] for e in events] == [None, "drafted", "submitted"]
