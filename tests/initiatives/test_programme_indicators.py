"""The programme's indicators of value chains, initiatives and advocacy, against records
made through the API and counted by hand (the indicators themselves: plased.reporting)."""

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from plased.members.geography import unit_id
from tests.helpers import created
from tests.initiatives.conftest import Setup, create_initiative
from tests.valuechains.conftest import Chains, new_chain, passed_motion, score

ORGANISATIONS = "/api/v1/organisations"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _rows(client: TestClient, s: Setup, query: str = "") -> dict[str, dict[str, Any]]:
    url = f"/api/v1/platforms/{s.w.plased.id}/indicators{query}"
    report = _ok(client.get(url, headers=s.w.h(s.w.observer)))
    return {row["code"]: row for row in report["indicators"]}


def _validated_strategy(client: TestClient, s: Setup, chains: Chains, motion: str) -> str:
    """Cashew: a focus group meeting with 5 women and 5 men present (and one absent) linked
    to the diagnosis step; the strategy validated by the board's motion."""
    chain = new_chain(client, chains, "Cashew")["id"]
    assert score(client, chains, chain, {chains.market: 4}).status_code == 200
    _ok(
        client.post(
            f"/api/v1/value-chains/{chain}/prioritise", json={"reason": "Ranked"}, headers=s.sec
        )
    )
    group = _ok(
        client.post(f"/api/v1/value-chains/{chain}/focus-group", json={}, headers=s.sec), 201
    )
    people = [
        created(
            client.post(
                "/api/v1/people",
                json={"platform_id": str(s.w.plased.id), "full_name": f"Grower {n}",
                      "gender": "female" if n < 5 else "male"},
                headers=s.sec,
            )
        )["id"]
        for n in range(11)
    ]  # fmt: skip
    start = date.today() + timedelta(days=3)
    meeting = _ok(
        client.post(
            f"/api/v1/bodies/{group['id']}/meetings",
            json={"kind": "consultation", "title": "Diagnosis",
                  "starts_at": f"{start}T08:00:00+07:00", "ends_at": f"{start}T12:00:00+07:00"},
            headers=s.sec,
        ),
        201,
    )["id"]  # fmt: skip
    _ok(client.post(f"/api/v1/meetings/{meeting}/convene", headers=s.sec))
    rows = [{"person_id": p, "status": "present"} for p in people[:10]]
    rows.append({"person_id": people[10], "status": "absent"})
    _ok(client.post(f"/api/v1/meetings/{meeting}/attendance", json={"rows": rows}, headers=s.sec))
    strategy = _ok(
        client.post(
            f"/api/v1/value-chains/{chain}/strategies", json={"title": "Cashew"}, headers=s.sec
        ),
        201,
    )["id"]
    _ok(
        client.post(
            f"/api/v1/strategies/{strategy}/steps",
            json={"kind": "diagnosis", "meeting_ids": [meeting]},
            headers=s.sec,
        ),
        201,
    )
    _ok(
        client.post(
            f"/api/v1/strategies/{strategy}/validate", json={"motion_id": motion}, headers=s.sec
        )
    )
    return str(strategy)


def test_strategies_and_initiatives_hand_counted(
    client: TestClient, setup: Setup, chains: Chains
) -> None:
    """One strategy validated with 10 participants (5 women); four initiatives: one proposed,
    one approved, one in progress, one completed."""
    s = setup
    before = _rows(client, s)
    assert before["value_chain_strategies"]["value"] == 0
    assert before["strategy_participants_min"]["value"] is None
    assert before["strategic_initiatives"]["value"] == 0
    motion = passed_motion(client, s.board)
    strategy = _validated_strategy(client, s, chains, motion)
    initiatives = [create_initiative(client, s, title=f"Initiative {n}")["id"] for n in range(4)]
    for iid in initiatives[1:]:
        url = f"/api/v1/initiatives/{iid}"
        _ok(client.post(f"{url}/approve", json={"motion_id": motion}, headers=s.sec))
    for iid in initiatives[2:]:
        _ok(client.post(f"/api/v1/initiatives/{iid}/start", headers=s.sec))
    _ok(client.post(f"/api/v1/initiatives/{initiatives[3]}/complete", headers=s.sec))

    rows = _rows(client, s)
    strategies = rows["value_chain_strategies"]
    assert (strategies["value"], strategies["target"], strategies["met"]) == (1, 4, False)
    participants = rows["strategy_participants_min"]
    assert (participants["value"], participants["target"], participants["met"]) == (10, 15, False)
    cell = participants["breakdowns"][0]["cells"][0]
    assert (cell["key"], cell["label"], cell["count"]) == (strategy, "Cashew", 10)
    assert rows["strategy_women_share"]["value"] == 0.5
    assert rows["strategy_women_share"]["met"] is True
    assert rows["strategic_initiatives"]["value"] == 3
    assert rows["initiatives_approved"]["value"] == 3
    assert rows["initiatives_in_progress"]["value"] == 1
    assert rows["initiatives_completed"]["value"] == 1
    # The board's five seats: three women, two men. Two men are a subtraction away from a
    # published share, so it is not published.
    board = rows["board_women_share"]
    assert (board["value"], board["suppressed"]) == (None, True)
    # A period before any of it.
    old = _rows(client, s, "?from=2020-01-01&to=2020-12-31")
    assert old["value_chain_strategies"]["value"] == 0
    assert old["strategic_initiatives"]["value"] == 0
    assert old["initiatives_approved"]["value"] == 0


def test_advocacy_hand_counted(client: TestClient, setup: Setup) -> None:
    """Two CBOs mapped; three advocacy plans, one taken up; three commitments of a commune
    council, one fulfilled, one made in 2020."""
    s, w = setup, setup.w
    council = created(
        client.post(
            ORGANISATIONS,
            json={"platform_id": str(w.plased.id), "name": "Ka Laeng Commune Council",
                  "kind": "local_authority", "la_level": "commune",
                  "unit_id": str(unit_id("160502"))},
            headers=s.sec,
        )
    )["id"]  # fmt: skip
    plans = []
    for n in range(2):
        cbo = created(
            client.post(
                ORGANISATIONS,
                json={"platform_id": str(w.plased.id), "name": f"Savings group {n}",
                      "kind": "cso", "sector": "cbo"},
                headers=s.sec,
            )
        )["id"]  # fmt: skip
        profile = {
            "village_id": str(unit_id("16050201")),
            "members_count": 20,
            "women_members": 12,
            "focus": ["savings_credit"],
        }
        _ok(client.put(f"{ORGANISATIONS}/{cbo}/cbo-profile", json=profile, headers=s.sec))
        for _ in range(2 if n == 0 else 1):
            plan = {"issue": "A bridge to the market", "target_organisation_id": council}
            plans.append(
                _ok(
                    client.post(f"{ORGANISATIONS}/{cbo}/advocacy-plans", json=plan, headers=s.sec),
                    201,
                )["id"]
            )
    _ok(client.post(f"/api/v1/advocacy-plans/{plans[0]}/submit", headers=s.sec))
    _ok(
        client.post(
            f"/api/v1/advocacy-plans/{plans[0]}/take-up", json={"note": "Funded"}, headers=s.sec
        )
    )
    url = f"/api/v1/platforms/{w.plased.id}/commitments"
    made = []
    for made_on in (date.today() - timedelta(days=5), date.today(), date(2020, 6, 1)):
        body = {"text": "A water point", "owner_organisation_id": council,
                "made_on": made_on.isoformat()}  # fmt: skip
        made.append(_ok(client.post(url, json=body, headers=s.sec), 201)["id"])
    _ok(client.patch(f"/api/v1/commitments/{made[0]}", json={"status": "fulfilled"}, headers=s.sec))
    rows = _rows(client, s)
    assert rows["cbos_mapped"]["value"] == 2
    assert rows["advocacy_plans"]["value"] == 3
    assert rows["advocacy_plans_taken_up"]["value"] == 1
    assert rows["commitments_made"]["value"] == 3
    assert rows["commitments_implemented"]["value"] == 1
    recent = _rows(client, s, f"?from={date.today() - timedelta(days=30)}")
    assert recent["commitments_made"]["value"] == 2
    assert recent["commitments_implemented"]["value"] == 1
    old = _rows(client, s, "?from=2020-01-01&to=2020-12-31")
    assert (old["commitments_made"]["value"], old["cbos_mapped"]["value"]) == (1, 0)
    assert old["advocacy_plans"]["value"] == 0
